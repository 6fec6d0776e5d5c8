// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StepTestBase, Machine} from "./helpers/StepTestBase.sol";
import {Thread} from "./helpers/MTCodec.sol";
import {Insn} from "./helpers/Insn.sol";

/// @notice Branches, jumps, REGIMM and delay-slot rules (spec §5.2, §5.5, §5.6, §12.7).
///         The thread sits at PC = 0x1000 with nextPC = 0x1004 unless stated; an offset of
///         0x10 words targets 0x1000 + 4 + 0x40 = 0x1044, a not-taken branch continues at 0x1008.
contract BranchTest is StepTestBase {
    uint64 internal constant TAKEN = 0x1044;
    uint64 internal constant NOT_TAKEN = 0x1008;
    uint64 internal constant LINK = 0x1008; // pc + 8

    /// @notice pc' = 0x1004, nextPC' = `target`; R31 = LINK when `link`, else untouched.
    function _checkBranch(uint32 insn, uint64 a0, uint64 a1, uint64 target, bool link) internal {
        Machine memory m = _aluMachine(insn, a0, a1);
        _t(m).r[RA] = SENTINEL;
        Machine memory e = _next(m);
        Thread memory t = _t(e);
        t.nextPC = target;
        if (link) t.r[RA] = LINK;
        _checkStep(m, e);
    }

    // ------------------------------------------------------------ BEQ/BNE/BLEZ/BGTZ

    function test_beq_comparesAllSixtyFourBits() external {
        _checkBranch(Insn.i(0x04, A0, A1, 0x10), 0x1234_5678_9ABC_DEF0, 0x1234_5678_9ABC_DEF0, TAKEN, false);
        _checkBranch(Insn.i(0x04, A0, A1, 0x10), 0x1_0000_0005, 5, NOT_TAKEN, false);
    }

    function test_bne_comparesAllSixtyFourBits() external {
        _checkBranch(Insn.i(0x05, A0, A1, 0x10), 0x1_0000_0005, 5, TAKEN, false);
        _checkBranch(Insn.i(0x05, A0, A1, 0x10), 7, 7, NOT_TAKEN, false);
    }

    function test_blez_signed64AndRtIgnored() external {
        _checkBranch(Insn.i(0x06, A0, A1, 0x10), 0, 0x55, TAKEN, false);
        _checkBranch(Insn.i(0x06, A0, A1, 0x10), 0xFFFF_FFFF_FFFF_FFFF, 0x55, TAKEN, false);
        _checkBranch(Insn.i(0x06, A0, A1, 0x10), 0x8000_0000_0000_0000, 0, TAKEN, false);
        _checkBranch(Insn.i(0x06, A0, A1, 0x10), 0x8000_0000, 0, NOT_TAKEN, false);
    }

    function test_bgtz_signed64() external {
        _checkBranch(Insn.i(0x07, A0, 0, 0x10), 0x8000_0000, 0, TAKEN, false);
        _checkBranch(Insn.i(0x07, A0, 0, 0x10), 0, 0, NOT_TAKEN, false);
        _checkBranch(Insn.i(0x07, A0, 0, 0x10), 0x8000_0000_0000_0000, 0, NOT_TAKEN, false);
    }

    function test_branch_negativeOffsetAndSixtyFourBitWrap() external {
        // beq zero, zero, -1: 0x1004 - 4.
        _checkBranch(Insn.i(0x04, 0, 0, 0xFFFF), 0, 0, 0x1000, false);
        // offset -0x8000 words: 0x1004 - 0x20000 wraps below zero.
        _checkBranch(Insn.i(0x04, 0, 0, 0x8000), 0, 0, 0xFFFF_FFFF_FFFE_1004, false);
        // largest forward offset 0x7FFF words: 0x1004 + 0x1FFFC.
        _checkBranch(Insn.i(0x04, 0, 0, 0x7FFF), 0, 0, 0x2_1000, false);
    }

    // ------------------------------------------------------------ REGIMM

    function test_bltz_bgez() external {
        _checkBranch(Insn.i(0x01, A0, 0x00, 0x10), 0xFFFF_FFFF_FFFF_FFFF, 0, TAKEN, false);
        _checkBranch(Insn.i(0x01, A0, 0x00, 0x10), 0, 0, NOT_TAKEN, false);
        _checkBranch(Insn.i(0x01, A0, 0x01, 0x10), 0, 0, TAKEN, false);
        _checkBranch(Insn.i(0x01, A0, 0x01, 0x10), 0x8000_0000_0000_0000, 0, NOT_TAKEN, false);
        _checkBranch(Insn.i(0x01, A0, 0x01, 0x10), 0x8000_0000, 0, TAKEN, false);
    }

    function test_bltzal_linksWhetherTakenOrNot() external {
        _checkBranch(Insn.i(0x01, A0, 0x10, 0x10), 0xFFFF_FFFF_FFFF_FFFF, 0, TAKEN, true);
        _checkBranch(Insn.i(0x01, A0, 0x10, 0x10), 1, 0, NOT_TAKEN, true);
    }

    function test_bgezal_linksWhetherTakenOrNot() external {
        _checkBranch(Insn.i(0x01, A0, 0x11, 0x10), 0, 0, TAKEN, true);
        _checkBranch(Insn.i(0x01, A0, 0x11, 0x10), 0xFFFF_FFFF_FFFF_FFFF, 0, NOT_TAKEN, true);
        // bal = bgezal zero
        _checkBranch(Insn.i(0x01, 0, 0x11, 0x10), 0, 0, TAKEN, true);
    }

    function test_bltzal_readsRaBeforeLinking() external {
        Machine memory m = _machine(Insn.i(0x01, RA, 0x10, 0x10)); // bltzal ra, 0x10
        _t(m).r[RA] = 0xFFFF_FFFF_FFFF_FFFF;
        Machine memory e = _next(m);
        _t(e).nextPC = TAKEN;
        _t(e).r[RA] = LINK;
        _checkStep(m, e);
    }

    function test_regimm_unknownRtIsNeverTakenAndNeverLinks() external {
        uint8[8] memory rts = [uint8(0x02), 0x03, 0x08, 0x0C, 0x12, 0x13, 0x1F, 0x17];
        for (uint256 i = 0; i < rts.length; i++) {
            // a0 = -1: "less than zero" under any reading of the selector.
            _checkBranch(Insn.i(0x01, A0, rts[i], 0x10), 0xFFFF_FFFF_FFFF_FFFF, 0, NOT_TAKEN, false);
            _checkBranch(Insn.i(0x01, A0, rts[i], 0x10), 0, 0, NOT_TAKEN, false);
        }
    }

    // ------------------------------------------------------------ J/JAL

    function test_j_usesRegionOfDelaySlotAddress() external {
        // At 0x1FFF_FFFC the delay slot 0x2000_0000 lies in the next 256 MiB region.
        Machine memory m = _machineAt(0x1FFF_FFFC, Insn.j(0x02, 0x40));
        Machine memory e = _next(m);
        _t(e).nextPC = 0x2000_0100;
        _checkStep(m, e);
    }

    function test_j_keepsUpperAddressBits() external {
        Machine memory m = _machineAt(0x1_2345_6780, Insn.j(0x02, 0x3FF_FFFF));
        Machine memory e = _next(m);
        _t(e).nextPC = 0x1_2FFF_FFFC;
        _checkStep(m, e);
    }

    function test_jal_linksPcPlus8() external {
        Machine memory m = _machineAt(0x1_2345_6784, Insn.j(0x03, 0x40));
        Machine memory e = _next(m);
        _t(e).nextPC = 0x1_2000_0100;
        _t(e).r[RA] = 0x1_2345_678C;
        _checkStep(m, e);
    }

    // ------------------------------------------------------------ JR/JALR

    function test_jr_jumpsToRegisterIgnoringRdAndHint() external {
        // rd and sa (hint) fields set: ignored, no register written.
        _checkBranch(Insn.r(A0, 0, V0, 0x10, 0x08), 0x1234_5678_9ABC_DEF0, 0, 0x1234_5678_9ABC_DEF0, false);
    }

    function test_jalr_linksIntoRd() external {
        Machine memory m = _aluMachine(Insn.r(A0, 0, V0, 0, 0x09), 0x4000, 0); // jalr v0, a0
        Machine memory e = _next(m);
        _t(e).nextPC = 0x4000;
        _t(e).r[V0] = LINK;
        _checkStep(m, e);
    }

    function test_jalr_rdEqualsRsReadsTargetFirst() external {
        Machine memory m = _aluMachine(Insn.r(A0, 0, A0, 0, 0x09), 0x4000, 0); // jalr a0, a0
        Machine memory e = _next(m);
        _t(e).nextPC = 0x4000;
        _t(e).r[A0] = LINK;
        _checkStep(m, e);
    }

    function test_jalr_rdZeroDoesNotLink() external {
        Machine memory m = _aluMachine(Insn.r(A0, 0, 0, 0, 0x09), 0x4000, 0);
        Machine memory e = _next(m);
        _t(e).nextPC = 0x4000;
        _checkStep(m, e);
    }

    // ------------------------------------------------------------ delay slots

    /// @notice A thread at PC whose nextPC is not PC + 4: PC holds a delay-slot instruction.
    function _inDelaySlot(uint32 insn) internal pure returns (Machine memory m) {
        m = _aluMachine(insn, 0, 0);
        _t(m).nextPC = 0x8000;
    }

    function test_delaySlot_ordinaryInstructionRunsAndFollowsTarget() external {
        Machine memory m = _inDelaySlot(Insn.r(A0, A1, V0, 0, 0x21));
        Machine memory e = _next(m);
        _t(e).r[V0] = 0;
        assert(_t(e).pc == 0x8000 && _t(e).nextPC == 0x8004);
        _checkStep(m, e);
    }

    function test_delaySlot_branchReverts() external {
        uint32[8] memory insns = [
            Insn.i(0x04, A0, A1, 0x10), // beq
            Insn.i(0x05, A0, A1, 0x10), // bne
            Insn.i(0x06, A0, 0, 0x10), // blez
            Insn.i(0x07, A0, 0, 0x10), // bgtz
            Insn.i(0x01, A0, 0x00, 0x10), // bltz
            Insn.i(0x01, A0, 0x11, 0x10), // bgezal
            Insn.i(0x01, A0, 0x02, 0x10), // unknown REGIMM selector (never taken, still a branch)
            Insn.i(0x01, A0, 0x1F, 0x10) // unknown REGIMM selector
        ];
        for (uint256 i = 0; i < insns.length; i++) {
            _revertsWith(_inDelaySlot(insns[i]), "", "", "MIPS64: branch in delay slot");
        }
    }

    function test_delaySlot_jumpReverts() external {
        uint32[4] memory insns = [
            Insn.j(0x02, 0x40), // j
            Insn.j(0x03, 0x40), // jal
            Insn.r(A0, 0, 0, 0, 0x08), // jr
            Insn.r(A0, 0, V0, 0, 0x09) // jalr
        ];
        for (uint256 i = 0; i < insns.length; i++) {
            _revertsWith(_inDelaySlot(insns[i]), "", "", "MIPS64: jump in delay slot");
        }
    }
}
