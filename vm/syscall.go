package vm

// execSyscall executes the SYSCALL instruction (MTCANNON-FACTS 6, 7).
// TO BE IMPLEMENTED by the syscall work.
func (v *VM) execSyscall(t *Thread, insn uint32) error {
	return v.fault(FaultUnsupportedSyscall, insn, "not implemented yet")
}
