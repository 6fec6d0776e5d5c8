package vm

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/vm/memory"
)

// Branches, jumps and delay slots: docs/spec.md §5.5 "REGIMM", §5.6 "Branches, jumps and delay
// slots" and §12.7 "Delay slots". Unless a case says otherwise pc = 0x4000 and nextPC =
// 0x4004; an offset field k branches to pc + 4 + 4k.

var branchCases = []isaCase{
	{name: "beq $4,$5,0x10 / taken, 64-bit equal", insn: 0x10850010,
		regs: regs{4: 0x00000001_00000005, 5: 0x00000001_00000005}, wantPC: 0x4004, wantNextPC: 0x4044},
	{name: "beq $4,$5,0x10 / equal low words only: not taken", insn: 0x10850010,
		regs: regs{4: 0x00000001_00000005, 5: 0x00000000_00000005}, wantPC: 0x4004, wantNextPC: 0x4008},
	{name: "beq $4,$5,-1 / backwards onto itself", insn: 0x1085FFFF,
		regs: regs{4: 9, 5: 9}, wantPC: 0x4004, wantNextPC: 0x4000},
	{name: "beq $4,$5,-0x8000 / most negative offset", insn: 0x10858000,
		pc: 0x100000, nextPC: 0x100004, regs: regs{4: 9, 5: 9}, wantPC: 0x100004, wantNextPC: 0x000E0004},
	{name: "beq $4,$5,-0x8000 / target below 2^32 from above it", insn: 0x10858000,
		pc: 0x00000001_00000000, nextPC: 0x00000001_00000004, regs: regs{4: 9, 5: 9},
		wantPC: 0x00000001_00000004, wantNextPC: 0x00000000_FFFE0004},
	{name: "bne $4,$5,0x10 / differing upper halves: taken", insn: 0x14850010,
		regs: regs{4: 0x00000001_00000005, 5: 0x00000000_00000005}, wantPC: 0x4004, wantNextPC: 0x4044},
	{name: "bne $4,$5,0x10 / equal: not taken", insn: 0x14850010,
		regs: regs{4: 5, 5: 5}, wantPC: 0x4004, wantNextPC: 0x4008},
	{name: "blez $4,0x10 / zero: taken", insn: 0x18800010,
		regs: regs{4: 0}, wantPC: 0x4004, wantNextPC: 0x4044},
	{name: "blez $4,0x10 / -1: taken", insn: 0x18800010,
		regs: regs{4: 0xFFFFFFFF_FFFFFFFF}, wantPC: 0x4004, wantNextPC: 0x4044},
	{name: "blez $4,0x10 / bit 31 set is positive in 64 bits: not taken", insn: 0x18800010,
		regs: regs{4: 0x00000000_80000000}, wantPC: 0x4004, wantNextPC: 0x4008},
	{name: "raw blez $4,0x10 with rt=5 / rt ignored", insn: 0x18850010,
		regs: regs{4: 0, 5: 1}, wantPC: 0x4004, wantNextPC: 0x4044},
	{name: "bgtz $4,0x10 / 1: taken", insn: 0x1C800010,
		regs: regs{4: 1}, wantPC: 0x4004, wantNextPC: 0x4044},
	{name: "bgtz $4,0x10 / bit 31 set is positive in 64 bits: taken", insn: 0x1C800010,
		regs: regs{4: 0x00000000_80000000}, wantPC: 0x4004, wantNextPC: 0x4044},
	{name: "bgtz $4,0x10 / zero: not taken", insn: 0x1C800010,
		regs: regs{4: 0}, wantPC: 0x4004, wantNextPC: 0x4008},
	{name: "bgtz $4,0x10 / INT64_MIN: not taken", insn: 0x1C800010,
		regs: regs{4: 0x80000000_00000000}, wantPC: 0x4004, wantNextPC: 0x4008},

	{name: "bltz $4,0x10 / -1: taken", insn: 0x04800010,
		regs: regs{4: 0xFFFFFFFF_FFFFFFFF}, wantPC: 0x4004, wantNextPC: 0x4044},
	{name: "bltz $4,0x10 / zero: not taken", insn: 0x04800010,
		regs: regs{4: 0}, wantPC: 0x4004, wantNextPC: 0x4008},
	{name: "bltz $4,0x10 / bit 31 set is positive in 64 bits: not taken", insn: 0x04800010,
		regs: regs{4: 0x00000000_80000000}, wantPC: 0x4004, wantNextPC: 0x4008},
	{name: "bgez $4,0x10 / zero: taken", insn: 0x04810010,
		regs: regs{4: 0}, wantPC: 0x4004, wantNextPC: 0x4044},
	{name: "bgez $4,0x10 / INT64_MIN: not taken", insn: 0x04810010,
		regs: regs{4: 0x80000000_00000000}, wantPC: 0x4004, wantNextPC: 0x4008},
	{name: "bltzal $4,0x10 / taken, links", insn: 0x04900010,
		regs: regs{4: 0xFFFFFFFF_FFFFFFFF}, want: regs{31: 0x4008}, wantPC: 0x4004, wantNextPC: 0x4044},
	{name: "bltzal $4,0x10 / not taken, links anyway", insn: 0x04900010,
		regs: regs{4: 0}, want: regs{31: 0x4008}, wantPC: 0x4004, wantNextPC: 0x4008},
	{name: "bgezal $4,0x10 / taken, links", insn: 0x04910010,
		regs: regs{4: 0}, want: regs{31: 0x4008}, wantPC: 0x4004, wantNextPC: 0x4044},
	{name: "bgezal $4,0x10 / not taken, links anyway", insn: 0x04910010,
		regs: regs{4: 0xFFFFFFFF_FFFFFFFF}, want: regs{31: 0x4008}, wantPC: 0x4004, wantNextPC: 0x4008},
	{name: "bal 0x10 / bgezal $0", insn: 0x04110010,
		want: regs{31: 0x4008}, wantPC: 0x4004, wantNextPC: 0x4044},
	{name: "bgezal $31,0x10 / condition reads R31 before the link: not taken", insn: 0x07F10010,
		regs: regs{31: 0xFFFFFFFF_FFFFFFFF}, want: regs{31: 0x4008}, wantPC: 0x4004, wantNextPC: 0x4008},
	{name: "bgezal $31,0x10 / condition reads R31 before the link: taken", insn: 0x07F10010,
		regs: regs{31: 0}, want: regs{31: 0x4008}, wantPC: 0x4004, wantNextPC: 0x4044},
	{name: "bltzal $4,0x10 / at a high pc the link is 64-bit", insn: 0x04900010,
		pc: 0x12345678_00001000, nextPC: 0x12345678_00001004, regs: regs{4: 0xFFFFFFFF_FFFFFFFF},
		want: regs{31: 0x12345678_00001008}, wantPC: 0x12345678_00001004, wantNextPC: 0x12345678_00001044},

	{name: "j 0x48d158 / region of the delay slot", insn: 0x08123456,
		wantPC: 0x4004, wantNextPC: 0x0048D158},
	{name: "j 0x48d158 / delay slot in the next 256 MiB region", insn: 0x08123456,
		pc: 0x12345678_9FFFFFFC, nextPC: 0x12345678_A0000000,
		wantPC: 0x12345678_A0000000, wantNextPC: 0x12345678_A048D158},
	{name: "j 0xffffffc / largest target field", insn: 0x0BFFFFFF,
		wantPC: 0x4004, wantNextPC: 0x0FFFFFFC},
	{name: "jal 0x48d158 / links pc+8", insn: 0x0C123456,
		want: regs{31: 0x4008}, wantPC: 0x4004, wantNextPC: 0x0048D158},
	{name: "jal 0x48d158 / link and region at a high pc", insn: 0x0C123456,
		pc: 0x12345678_9FFFFFFC, nextPC: 0x12345678_A0000000,
		want: regs{31: 0x12345678_A0000004}, wantPC: 0x12345678_A0000000, wantNextPC: 0x12345678_A048D158},
	{name: "jr $4 / 64-bit target", insn: 0x00800008,
		regs: regs{4: 0x12345678_9ABCDEF0}, wantPC: 0x4004, wantNextPC: 0x12345678_9ABCDEF0},
	{name: "jr $4 / misaligned target is accepted until fetched", insn: 0x00800008,
		regs: regs{4: 0x4001}, wantPC: 0x4004, wantNextPC: 0x4001},
	{name: "raw jr $4 with rd=2 / rd ignored, no link", insn: 0x00801008,
		regs: regs{4: 0x8000}, wantPC: 0x4004, wantNextPC: 0x8000},
	{name: "jalr $2,$4 / links rd", insn: 0x00801009,
		regs: regs{4: 0x8000}, want: regs{2: 0x4008}, wantPC: 0x4004, wantNextPC: 0x8000},
	{name: "jalr $4 / default rd 31", insn: 0x0080F809,
		regs: regs{4: 0x8000}, want: regs{31: 0x4008}, wantPC: 0x4004, wantNextPC: 0x8000},
	{name: "jalr $4,$4 / target read before the link", insn: 0x00802009,
		regs: regs{4: 0x8000}, want: regs{4: 0x4008}, wantPC: 0x4004, wantNextPC: 0x8000},
	{name: "jalr $0,$4 / rd 0: no link", insn: 0x00800009,
		regs: regs{4: 0x8000}, wantPC: 0x4004, wantNextPC: 0x8000},

	// An ordinary instruction in a delay slot runs and continues at the branch target.
	{name: "addu $2,$4,$5 / in a delay slot", insn: 0x00851021,
		pc: 0x4000, nextPC: 0x8000, regs: regs{4: 1, 5: 2}, want: regs{2: 3}, wantPC: 0x8000, wantNextPC: 0x8004},
	{name: "sll $0,$0,0 / nop in a delay slot at a high target", insn: 0x00000000,
		pc: 0x4000, nextPC: 0x12345678_9ABCDEF0, wantPC: 0x12345678_9ABCDEF0, wantNextPC: 0x12345678_9ABCDEF4},
}

// Every branch and jump faults when nextPC != pc+4.
var delaySlotFaultCases = []isaCase{
	{name: "beq $4,$5,0x10 / in a delay slot", insn: 0x10850010, fault: FaultBranchInDelaySlot},
	{name: "bne $4,$5,0x10 / in a delay slot", insn: 0x14850010, fault: FaultBranchInDelaySlot},
	{name: "blez $4,0x10 / in a delay slot", insn: 0x18800010, fault: FaultBranchInDelaySlot},
	{name: "bgtz $4,0x10 / in a delay slot", insn: 0x1C800010, fault: FaultBranchInDelaySlot},
	{name: "bltz $4,0x10 / in a delay slot", insn: 0x04800010, fault: FaultBranchInDelaySlot},
	{name: "bgez $4,0x10 / in a delay slot", insn: 0x04810010, fault: FaultBranchInDelaySlot},
	{name: "bltzal $4,0x10 / in a delay slot", insn: 0x04900010, fault: FaultBranchInDelaySlot},
	{name: "bgezal $4,0x10 / in a delay slot", insn: 0x04910010, fault: FaultBranchInDelaySlot},
	{name: "bltzl $4,0x10 / unknown REGIMM selector in a delay slot", insn: 0x04820010, fault: FaultBranchInDelaySlot},
	{name: "synci 16($4) / unknown REGIMM selector in a delay slot", insn: 0x049F0010, fault: FaultBranchInDelaySlot},
	{name: "j 0x48d158 / in a delay slot", insn: 0x08123456, fault: FaultJumpInDelaySlot},
	{name: "jal 0x48d158 / in a delay slot", insn: 0x0C123456, fault: FaultJumpInDelaySlot},
	{name: "jr $4 / in a delay slot", insn: 0x00800008, fault: FaultJumpInDelaySlot},
	{name: "jalr $2,$4 / in a delay slot", insn: 0x00801009, fault: FaultJumpInDelaySlot},
}

func init() {
	// The fault cases all sit in the delay slot of a branch at 0x3FFC that jumped to 0x5000;
	// a nextPC below pc must fault too, and does in the second copy.
	n := len(delaySlotFaultCases)
	for k := 0; k < n; k++ {
		c := delaySlotFaultCases[k]
		c.pc, c.nextPC, c.regs = 0x4000, 0x5000, regs{4: 0, 5: 0}
		delaySlotFaultCases[k] = c
		c.name += " (nextPC below pc)"
		c.nextPC = 0x3000
		delaySlotFaultCases = append(delaySlotFaultCases, c)
	}
}

// unknownRegimmSelectors are the REGIMM rt values without a branch in docs/spec.md §5.5 "REGIMM".
var unknownRegimmSelectors = []uint32{
	0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
	0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F,
}

// regimmUnknownCases: never taken, no link, no exception, for a negative and a zero rs
// (one of which would satisfy any real condition).
func regimmUnknownCases() []isaCase {
	var cases []isaCase
	for _, sel := range unknownRegimmSelectors {
		insn := 0x04800010 | sel<<16 // REGIMM rs=4, offset 0x10
		for _, rs := range []uint64{0xFFFFFFFF_FFFFFFFF, 0} {
			cases = append(cases, isaCase{
				name: fmt.Sprintf("raw regimm rt=0x%02x rs=0x%x / never taken", sel, rs), insn: insn,
				regs: regs{4: rs}, wantPC: 0x4004, wantNextPC: 0x4008,
			})
		}
	}
	return cases
}

func TestBranches(t *testing.T)              { runISACases(t, branchCases) }
func TestDelaySlotFaults(t *testing.T)       { runISACases(t, delaySlotFaultCases) }
func TestRegimmUnknownSelector(t *testing.T) { runISACases(t, regimmUnknownCases()) }

// TestDelaySlotSequence runs a taken branch, its delay slot and the target as three steps.
func TestDelaySlotSequence(t *testing.T) {
	mem := memory.New()
	mem.SetWord(0x4000, 0x10000003_24020001) // beq $0,$0,3 (-> 0x4010) ; addiu $2,$0,1
	mem.SetWord(0x4008, 0x24030001_24030002) // addiu $3,$0,1 ; addiu $3,$0,2 (both skipped)
	mem.SetWord(0x4010, 0x24050007_00000000) // addiu $5,$0,7 ; nop
	th := &Thread{PC: 0x4000, NextPC: 0x4004}
	v := New(&State{Memory: mem, LeftThreadStack: []*Thread{th}, NextThreadID: 1}, nil, nil, nil)
	wantPCs := [][2]uint64{{0x4004, 0x4010}, {0x4010, 0x4014}, {0x4014, 0x4018}}
	for k, want := range wantPCs {
		_, err := v.Step(k%2 == 0)
		require.NoError(t, err, "step %d", k)
		require.Equal(t, want, [2]uint64{th.PC, th.NextPC}, "pc/nextPC after step %d", k)
	}
	require.Equal(t, uint64(1), th.Registers[2])
	require.Equal(t, uint64(0), th.Registers[3])
	require.Equal(t, uint64(7), th.Registers[5])
}
