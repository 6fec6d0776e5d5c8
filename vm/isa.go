package vm

import "fmt"

// The instruction set of MT-Cannon state version 8 (docs/spec.md §5 "Instructions" and §6
// "LL/SC reservation"), decoded as data: one table per selector field, each entry a small
// named function. execInstruction knows nothing about any single instruction; an encoding the
// VM rejects is an entry without a function, filled in by init with the matching invalid
// handler.

// inst is a 32-bit instruction word with its field decoders (docs/spec.md §5.1 "Decoding and
// common rules").
type inst uint32

func (i inst) op() uint32    { return uint32(i) >> 26 }
func (i inst) rs() uint32    { return uint32(i) >> 21 & 31 }
func (i inst) rt() uint32    { return uint32(i) >> 16 & 31 }
func (i inst) rd() uint32    { return uint32(i) >> 11 & 31 }
func (i inst) sa() uint32    { return uint32(i) >> 6 & 31 }
func (i inst) funct() uint32 { return uint32(i) & 63 }

// simm is the sign-extended 16-bit immediate, zimm the zero-extended one.
func (i inst) simm() uint64 { return uint64(int64(int16(uint16(i)))) }
func (i inst) zimm() uint64 { return uint64(uint16(i)) }

// execFn executes one instruction of the active thread t.
type execFn func(v *VM, t *Thread, i inst) error

// operation is one table entry. A nil exec marks an encoding the VM rejects; name is kept for
// those too, so a fault can say which unsupported instruction it met.
type operation struct {
	name string
	exec execFn
}

// primaryOps is indexed by the opcode field (bits 31..26), docs/spec.md §5.2 "Primary opcodes".
var primaryOps = [64]operation{
	0x00: {"special", opSPECIAL},
	0x01: {"regimm", opREGIMM},
	0x02: {"j", opJ},
	0x03: {"jal", opJAL},
	0x04: {"beq", opBEQ},
	0x05: {"bne", opBNE},
	0x06: {"blez", opBLEZ},
	0x07: {"bgtz", opBGTZ},
	0x08: {"addi", opADDIU},
	0x09: {"addiu", opADDIU},
	0x0A: {"slti", opSLTI},
	0x0B: {"sltiu", opSLTIU},
	0x0C: {"andi", opANDI},
	0x0D: {"ori", opORI},
	0x0E: {"xori", opXORI},
	0x0F: {"lui", opLUI},
	0x10: {name: "cop0"},
	0x11: {name: "cop1"},
	0x12: {name: "cop2"},
	0x13: {name: "cop1x"},
	0x14: {name: "beql"},
	0x15: {name: "bnel"},
	0x16: {name: "blezl"},
	0x17: {name: "bgtzl"},
	0x18: {"daddi", opDADDIU},
	0x19: {"daddiu", opDADDIU},
	0x1A: {"ldl", opLDL},
	0x1B: {"ldr", opLDR},
	0x1C: {"special2", opSPECIAL2},
	0x1D: {name: "jalx"},
	0x1E: {name: "msa"},
	0x1F: {name: "special3"},
	0x20: {"lb", opLB},
	0x21: {"lh", opLH},
	0x22: {"lwl", opLWL},
	0x23: {"lw", opLW},
	0x24: {"lbu", opLBU},
	0x25: {"lhu", opLHU},
	0x26: {"lwr", opLWR},
	0x27: {"lwu", opLWU},
	0x28: {"sb", opSB},
	0x29: {"sh", opSH},
	0x2A: {"swl", opSWL},
	0x2B: {"sw", opSW},
	0x2C: {"sdl", opSDL},
	0x2D: {"sdr", opSDR},
	0x2E: {"swr", opSWR},
	0x2F: {name: "cache"},
	0x30: {"ll", opLL},
	0x31: {name: "lwc1"},
	0x32: {name: "lwc2"},
	0x33: {name: "pref"},
	0x34: {"lld", opLLD},
	0x35: {name: "ldc1"},
	0x36: {name: "ldc2"},
	0x37: {"ld", opLD},
	0x38: {"sc", opSC},
	0x39: {name: "swc1"},
	0x3A: {name: "swc2"},
	0x3C: {"scd", opSCD},
	0x3D: {name: "sdc1"},
	0x3F: {"sd", opSD},
}

// specialOps is indexed by the funct field of opcode 0 (docs/spec.md §5.3 "SPECIAL").
var specialOps = [64]operation{
	0x00: {"sll", opSLL},
	0x01: {name: "movci"},
	0x02: {"srl", opSRL}, // rotr too: the rotate bit is not decoded
	0x03: {"sra", opSRA},
	0x04: {"sllv", opSLLV},
	0x06: {"srlv", opSRLV}, // rotrv too
	0x07: {"srav", opSRAV},
	0x08: {"jr", opJR},
	0x09: {"jalr", opJALR},
	0x0A: {"movz", opMOVZ},
	0x0B: {"movn", opMOVN},
	0x0C: {"syscall", opSYSCALL},
	0x0D: {name: "break"},
	0x0E: {name: "sdbbp"},
	0x0F: {"sync", opSYNC},
	0x10: {"mfhi", opMFHI},
	0x11: {"mthi", opMTHI},
	0x12: {"mflo", opMFLO},
	0x13: {"mtlo", opMTLO},
	0x14: {"dsllv", opDSLLV},
	0x16: {"dsrlv", opDSRLV}, // drotrv too
	0x17: {"dsrav", opDSRAV},
	0x18: {"mult", opMULT},
	0x19: {"multu", opMULTU},
	0x1A: {"div", opDIV},
	0x1B: {"divu", opDIVU},
	0x1C: {"dmult", opDMULT},
	0x1D: {"dmultu", opDMULTU},
	0x1E: {"ddiv", opDDIV},
	0x1F: {"ddivu", opDDIVU},
	0x20: {"add", opADDU},
	0x21: {"addu", opADDU},
	0x22: {"sub", opSUBU},
	0x23: {"subu", opSUBU},
	0x24: {"and", opAND},
	0x25: {"or", opOR},
	0x26: {"xor", opXOR},
	0x27: {"nor", opNOR},
	0x2A: {"slt", opSLT},
	0x2B: {"sltu", opSLTU},
	0x2C: {"dadd", opDADDU},
	0x2D: {"daddu", opDADDU},
	0x2E: {"dsub", opDSUBU},
	0x2F: {"dsubu", opDSUBU},
	0x30: {name: "tge"},
	0x31: {name: "tgeu"},
	0x32: {name: "tlt"},
	0x33: {name: "tltu"},
	0x34: {name: "teq"},
	0x36: {name: "tne"},
	0x38: {"dsll", opDSLL},
	0x3A: {"dsrl", opDSRL}, // drotr too
	0x3B: {"dsra", opDSRA},
	0x3C: {"dsll32", opDSLL32},
	0x3E: {"dsrl32", opDSRL32}, // drotr32 too
	0x3F: {"dsra32", opDSRA32},
}

// special2Ops is indexed by the funct field of opcode 0x1C (docs/spec.md §5.4 "SPECIAL2").
// DCLZ/DCLO exist from state version 7 on.
var special2Ops = [64]operation{
	0x00: {name: "madd"},
	0x01: {name: "maddu"},
	0x02: {"mul", opMUL},
	0x04: {name: "msub"},
	0x05: {name: "msubu"},
	0x20: {"clz", opCLZ},
	0x21: {"clo", opCLO},
	0x24: {"dclz", opDCLZ},
	0x25: {"dclo", opDCLO},
	0x3F: {name: "sdbbp"},
}

func init() {
	for op := range primaryOps {
		if primaryOps[op].exec != nil {
			continue
		}
		// Memory-class opcodes read their data word before the instruction is validated, so an
		// invalid one still consumes proof slot 1 (docs/spec.md §5.1 "Decoding and common
		// rules").
		if op >= 0x20 {
			primaryOps[op].exec = opInvalidAfterLoad
		} else {
			primaryOps[op].exec = opInvalid
		}
	}
	for _, table := range []*[64]operation{&specialOps, &special2Ops} {
		for f := range table {
			if table[f].exec == nil {
				table[f].exec = opInvalid
			}
		}
	}
}

// execInstruction executes every non-syscall instruction, LL/SC included (docs/spec.md §5
// "Instructions", §6 "LL/SC reservation").
func (v *VM) execInstruction(t *Thread, insn uint32) error {
	i := inst(insn)
	return primaryOps[i.op()].exec(v, t, i)
}

func opSPECIAL(v *VM, t *Thread, i inst) error  { return specialOps[i.funct()].exec(v, t, i) }
func opSPECIAL2(v *VM, t *Thread, i inst) error { return special2Ops[i.funct()].exec(v, t, i) }

// opSYSCALL is only reached when execInstruction is called directly: execute routes syscalls
// before the instruction tables.
func opSYSCALL(v *VM, t *Thread, i inst) error { return v.execSyscall(t, uint32(i)) }

func opInvalid(v *VM, t *Thread, i inst) error {
	return v.fault(FaultInvalidInstruction, uint32(i), describeInst(i))
}

func opInvalidAfterLoad(v *VM, t *Thread, i inst) error {
	v.loadWord(effectiveAddr(t, i))
	return opInvalid(v, t, i)
}

// describeInst names the selector that made i invalid, for fault messages.
func describeInst(i inst) string {
	var sel string
	var e operation
	switch i.op() {
	case 0x00:
		sel, e = fmt.Sprintf("SPECIAL funct 0x%02x", i.funct()), specialOps[i.funct()]
	case 0x1C:
		sel, e = fmt.Sprintf("SPECIAL2 funct 0x%02x", i.funct()), special2Ops[i.funct()]
	default:
		sel, e = fmt.Sprintf("opcode 0x%02x", i.op()), primaryOps[i.op()]
	}
	if e.name == "" {
		return sel + " is not defined"
	}
	return fmt.Sprintf("%s (%s) is not supported", sel, e.name)
}

// retire writes val to register r, except R0, and falls through to the next instruction: the
// common ending of every non-branch instruction (docs/spec.md §5.1 "Decoding and common
// rules").
func retire(t *Thread, r uint32, val uint64) error {
	if r != 0 {
		t.Registers[r] = val
	}
	t.PC = t.NextPC
	t.NextPC += 4
	return nil
}

// sext32 sign-extends a 32-bit result to the 64-bit register width.
func sext32(x uint32) uint64 { return uint64(int64(int32(x))) }

func boolWord(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
