package vm

// execInstruction executes every non-syscall instruction, LL/SC included (MTCANNON-FACTS 1, 8).
// TO BE IMPLEMENTED by the ISA work.
func (v *VM) execInstruction(t *Thread, insn uint32) error {
	return v.fault(FaultInvalidInstruction, insn, "not implemented yet")
}
