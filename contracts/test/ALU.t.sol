// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StepTestBase, Machine} from "./helpers/StepTestBase.sol";
import {Thread} from "./helpers/MTCodec.sol";
import {Insn} from "./helpers/Insn.sol";

/// @notice SPECIAL, SPECIAL2 and I-type ALU rows of spec §5.2–§5.4 and edge cases §12.8/§12.10/§12.11/§12.13.
///         Register convention: rs = a0 (R4), rt = a1 (R5), destination v0 (R2) unless stated.
///         Every expected value is written out by hand from the spec's tables.
contract ALUTest is StepTestBase {
    // ------------------------------------------------------------ 32-bit shifts by sa

    function test_sll_signExtendsShiftedLowWord() external {
        _checkAlu(Insn.r(A0, A1, V0, 4, 0x00), 0, 0xDEAD_BEEF_8765_4321, 0x0000_0000_7654_3210);
        _checkAlu(Insn.r(A0, A1, V0, 31, 0x00), 0, 1, 0xFFFF_FFFF_8000_0000);
    }

    function test_sll_saZeroSignExtendsLowWordIgnoringUpperHalf() external {
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x00), 0, 0x0000_0001_8000_0000, 0xFFFF_FFFF_8000_0000);
    }

    function test_sll_rsFieldIgnored() external {
        _checkAlu(Insn.r(A0, A1, V0, 8, 0x00), 0xFFFF_FFFF_FFFF_FFFF, 0x12, 0x1200);
    }

    function test_nop_onlyAdvancesPC() external {
        Machine memory m = _aluMachine(Insn.NOP, 1, 2);
        _checkStep(m, _next(m));
    }

    function test_srl_logicalOnLowWordThenSignExtends() external {
        _checkAlu(Insn.r(0, A1, V0, 4, 0x02), 0, 0xFFFF_FFFF_8000_0000, 0x0000_0000_0800_0000);
        _checkAlu(Insn.r(0, A1, V0, 0, 0x02), 0, 0x1234_5678_F000_000F, 0xFFFF_FFFF_F000_000F);
        _checkAlu(Insn.r(0, A1, V0, 31, 0x02), 0, 0x8000_0000, 1);
    }

    function test_rotr_executesAsSrl() external {
        // rs field = 1 selects ROTR on real MIPS64r2; Cannon shifts logically (0xF1 ror 4 would be 0x1000000F).
        _checkAlu(Insn.r(1, A1, V0, 4, 0x02), 0, 0xF1, 0xF);
    }

    function test_sra_arithmeticOnLowWord() external {
        _checkAlu(Insn.r(0, A1, V0, 4, 0x03), 0, 0x0000_0000_8000_0000, 0xFFFF_FFFF_F800_0000);
        _checkAlu(Insn.r(0, A1, V0, 31, 0x03), 0, 0xFFFF_FFFF_7FFF_FFFF, 0);
        _checkAlu(Insn.r(0, A1, V0, 4, 0x03), 0, 0xFFFF_FFFF_0000_0010, 1);
    }

    // ------------------------------------------------------------ 32-bit variable shifts

    function test_sllv_masksShiftToFiveBits() external {
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x04), 36, 1, 0x10);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x04), 0x1F, 3, 0xFFFF_FFFF_8000_0000);
    }

    function test_srlv_masksShiftToFiveBits() external {
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x06), 0xFFFF_FFFF_FFFF_FFE1, 0x8000_0000, 0x4000_0000);
    }

    function test_rotrv_executesAsSrlv() external {
        _checkAlu(Insn.r(A0, A1, V0, 1, 0x06), 4, 0xF1, 0xF);
    }

    function test_srav_masksShiftToFiveBits() external {
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x07), 33, 0x8000_0000, 0xFFFF_FFFF_C000_0000);
    }

    // ------------------------------------------------------------ conditional moves, SYNC

    function test_movz_movesOnlyWhenAllSixtyFourBitsZero() external {
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x0A), 0x1234, 0, 0x1234);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x0A), 0x1234, 0x1_0000_0000, SENTINEL);
    }

    function test_movn_movesWhenAnyBitSet() external {
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x0B), 0x1234, 0x1_0000_0000, 0x1234);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x0B), 0x1234, 0, SENTINEL);
    }

    function test_sync_canonicalIsNoop() external {
        Machine memory m = _aluMachine(0x0000000F, 1, 2);
        _checkStep(m, _next(m));
    }

    function test_sync_nonCanonicalCopiesRsToRd() external {
        // stype (sa) is ignored as well.
        _checkAlu(Insn.r(A0, 0, V0, 7, 0x0F), 0xCAFE_F00D_0000_0001, 0, 0xCAFE_F00D_0000_0001);
    }

    // ------------------------------------------------------------ HI/LO moves

    function test_mfhi_mflo_readHiLo() external {
        _checkAlu(Insn.r(0, 0, V0, 0, 0x10), 0, 0, HI0);
        _checkAlu(Insn.r(0, 0, V0, 0, 0x12), 0, 0, LO0);
    }

    function test_mthi_mtlo_writeHiLoOnly() external {
        _checkHiLo(Insn.r(A0, 0, 0, 0, 0x11), 0xFEDC_BA98_7654_3210, 0, 0xFEDC_BA98_7654_3210, LO0);
        _checkHiLo(Insn.r(A0, 0, 0, 0, 0x13), 0xFEDC_BA98_7654_3210, 0, HI0, 0xFEDC_BA98_7654_3210);
    }

    function test_mthi_mtlo_nonzeroRdIsZeroed() external {
        Machine memory m = _aluMachine(Insn.r(A0, 0, V0, 0, 0x11), 0xFEDC_BA98_7654_3210, 0);
        Machine memory e = _next(m);
        Thread memory t = _t(e);
        t.hi = 0xFEDC_BA98_7654_3210;
        t.r[V0] = 0;
        _checkStep(m, e);

        m = _aluMachine(Insn.r(A0, 0, V0, 0, 0x13), 0xFEDC_BA98_7654_3210, 0);
        e = _next(m);
        t = _t(e);
        t.lo = 0xFEDC_BA98_7654_3210;
        t.r[V0] = 0;
        _checkStep(m, e);
    }

    // ------------------------------------------------------------ 64-bit variable shifts

    function test_dsllv_masksShiftToSixBits() external {
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x14), 0x44, 0x0123_4567_89AB_CDEF, 0x1234_5678_9ABC_DEF0);
    }

    function test_dsrlv_masksShiftToSixBits() external {
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x16), 0x7F, 0x8000_0000_0000_0000, 1);
    }

    function test_drotrv_executesAsDsrlv() external {
        _checkAlu(Insn.r(A0, A1, V0, 1, 0x16), 4, 0x0123_4567_89AB_CDEF, 0x0012_3456_789A_BCDE);
    }

    function test_dsrav_masksShiftToSixBits() external {
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x17), 0x44, 0x8000_0000_0000_0000, 0xF800_0000_0000_0000);
    }

    // ------------------------------------------------------------ 32-bit add/sub

    function test_add_addu_ignoreUpperHalvesAndNeverTrap() external {
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x20), 0xFFFF_FFFF_7FFF_FFFF, 0x1234_5678_0000_0001, 0xFFFF_FFFF_8000_0000);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x21), 0xFFFF_FFFF_7FFF_FFFF, 0x1234_5678_0000_0001, 0xFFFF_FFFF_8000_0000);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x21), 0x0000_0000_FFFF_FFFF, 2, 1);
    }

    function test_sub_subu_ignoreUpperHalvesAndNeverTrap() external {
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x22), 0x0000_0001_0000_0000, 1, 0xFFFF_FFFF_FFFF_FFFF);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x23), 0x0000_0001_0000_0000, 1, 0xFFFF_FFFF_FFFF_FFFF);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x22), 0x8000_0000, 1, 0x7FFF_FFFF);
    }

    // ------------------------------------------------------------ logic, compare

    function test_logic_fullSixtyFourBits() external {
        uint64 a = 0xF0F0_F0F0_F0F0_F0F0;
        uint64 b = 0xFF00_FF00_FF00_FF00;
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x24), a, b, 0xF000_F000_F000_F000);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x25), a, b, 0xFFF0_FFF0_FFF0_FFF0);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x26), a, b, 0x0FF0_0FF0_0FF0_0FF0);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x27), a, b, 0x000F_000F_000F_000F);
    }

    function test_slt_sltu_compareSignedAndUnsigned64() external {
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x2A), 0xFFFF_FFFF_FFFF_FFFF, 1, 1);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x2B), 0xFFFF_FFFF_FFFF_FFFF, 1, 0);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x2A), 1, 0xFFFF_FFFF_FFFF_FFFF, 0);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x2B), 1, 0xFFFF_FFFF_FFFF_FFFF, 1);
        // 0x8000_0000 is positive as a 64-bit value.
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x2A), 0xFFFF_FFFF_8000_0000, 0x8000_0000, 1);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x2A), 5, 5, 0);
    }

    // ------------------------------------------------------------ 64-bit add/sub

    function test_dadd_daddu_wrapWithoutTrap() external {
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x2C), 0x7FFF_FFFF_FFFF_FFFF, 1, 0x8000_0000_0000_0000);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x2D), 0xFFFF_FFFF_FFFF_FFFF, 2, 1);
    }

    function test_dsub_dsubu_wrapWithoutTrap() external {
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x2E), 0, 1, 0xFFFF_FFFF_FFFF_FFFF);
        _checkAlu(Insn.r(A0, A1, V0, 0, 0x2F), 0x8000_0000_0000_0000, 1, 0x7FFF_FFFF_FFFF_FFFF);
    }

    // ------------------------------------------------------------ 64-bit shifts by sa

    function test_dsll_dsrl_dsra() external {
        _checkAlu(Insn.r(0, A1, V0, 4, 0x38), 0, 0x0123_4567_89AB_CDEF, 0x1234_5678_9ABC_DEF0);
        _checkAlu(Insn.r(0, A1, V0, 4, 0x3A), 0, 0x0123_4567_89AB_CDEF, 0x0012_3456_789A_BCDE);
        _checkAlu(Insn.r(0, A1, V0, 4, 0x3B), 0, 0x8000_0000_0000_0000, 0xF800_0000_0000_0000);
        _checkAlu(Insn.r(0, A1, V0, 31, 0x3B), 0, 0x4000_0000_0000_0000, 0x8000_0000);
    }

    function test_drotr_executesAsDsrl() external {
        _checkAlu(Insn.r(1, A1, V0, 4, 0x3A), 0, 0x0123_4567_89AB_CDEF, 0x0012_3456_789A_BCDE);
    }

    function test_dsll32_dsrl32_dsra32_shiftBySaPlus32() external {
        _checkAlu(Insn.r(0, A1, V0, 31, 0x3C), 0, 1, 0x8000_0000_0000_0000);
        _checkAlu(Insn.r(0, A1, V0, 0, 0x3C), 0, 0x0123_4567_89AB_CDEF, 0x89AB_CDEF_0000_0000);
        _checkAlu(Insn.r(0, A1, V0, 0, 0x3E), 0, 0x0123_4567_89AB_CDEF, 0x0000_0000_0123_4567);
        _checkAlu(Insn.r(0, A1, V0, 31, 0x3E), 0, 0x8000_0000_0000_0000, 1);
        _checkAlu(Insn.r(0, A1, V0, 31, 0x3F), 0, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF);
        _checkAlu(Insn.r(0, A1, V0, 0, 0x3F), 0, 0x8000_0000_0000_0000, 0xFFFF_FFFF_8000_0000);
    }

    function test_drotr32_executesAsDsrl32() external {
        _checkAlu(Insn.r(1, A1, V0, 4, 0x3E), 0, 0x0123_4567_89AB_CDEF, 0x0000_0000_0012_3456);
    }

    // ------------------------------------------------------------ register 0

    function test_zeroRegister_isNeverWritten() external {
        Machine memory m = _aluMachine(Insn.r(A0, A1, 0, 0, 0x21), 3, 4); // addu zero, a0, a1
        _checkStep(m, _next(m));
    }

    function test_zeroRegister_nonzeroValueIsReadAsIs() external {
        Machine memory m = _aluMachine(Insn.r(0, A1, V0, 0, 0x21), 0, 1); // addu v0, zero, a1
        _t(m).r[0] = 7;
        Machine memory e = _next(m);
        _t(e).r[V0] = 8;
        _checkStep(m, e);
    }

    // ------------------------------------------------------------ I-type (destination rt = v0)

    function test_addi_addiu_signExtendImmediateAnd32BitResult() external {
        for (uint256 op = 0x08; op <= 0x09; op++) {
            _checkAlu(Insn.i(op, A0, V0, 1), 0xFFFF_FFFF_7FFF_FFFF, 0, 0xFFFF_FFFF_8000_0000);
            _checkAlu(Insn.i(op, A0, V0, 0xFFFF), 5, 0, 4);
            _checkAlu(Insn.i(op, A0, V0, 0x8000), 0x1234_5678_0000_0000, 0, 0xFFFF_FFFF_FFFF_8000);
        }
    }

    function test_slti_signedCompareWithSignExtendedImmediate() external {
        _checkAlu(Insn.i(0x0A, A0, V0, 0xFFFF), 0xFFFF_FFFF_FFFF_FFFE, 0, 1);
        _checkAlu(Insn.i(0x0A, A0, V0, 0x8000), 0, 0, 0);
        _checkAlu(Insn.i(0x0A, A0, V0, 0), 0x8000_0000_0000_0000, 0, 1);
    }

    function test_sltiu_unsignedCompareWithSignExtendedImmediate() external {
        _checkAlu(Insn.i(0x0B, A0, V0, 0xFFFF), 0x7FFF_FFFF_FFFF_FFFF, 0, 1);
        _checkAlu(Insn.i(0x0B, A0, V0, 0xFFFF), 0xFFFF_FFFF_FFFF_FFFF, 0, 0);
        _checkAlu(Insn.i(0x0B, A0, V0, 0x8000), 0xFFFF_FFFF_FFFF_7FFF, 0, 1);
        _checkAlu(Insn.i(0x0B, A0, V0, 0x0001), 0, 0, 1);
    }

    function test_andi_ori_xori_zeroExtendImmediate() external {
        _checkAlu(Insn.i(0x0C, A0, V0, 0x8001), 0xFFFF_FFFF_FFFF_FFFF, 0, 0x8001);
        _checkAlu(Insn.i(0x0D, A0, V0, 0x8001), 0xDEAD_BEEF_0000_0000, 0, 0xDEAD_BEEF_0000_8001);
        _checkAlu(Insn.i(0x0E, A0, V0, 0xFFFF), 0xFFFF_FFFF_FFFF_0000, 0, 0xFFFF_FFFF_FFFF_FFFF);
    }

    function test_lui_signExtendsAndIgnoresRs() external {
        _checkAlu(Insn.i(0x0F, 0, V0, 0x8000), 0, 0, 0xFFFF_FFFF_8000_0000);
        _checkAlu(Insn.i(0x0F, A0, V0, 0x1234), 0xFFFF_FFFF_FFFF_FFFF, 0, 0x1234_0000);
    }

    function test_daddi_daddiu_sixtyFourBitWrap() external {
        for (uint256 op = 0x18; op <= 0x19; op++) {
            _checkAlu(Insn.i(op, A0, V0, 1), 0xFFFF_FFFF, 0, 0x1_0000_0000);
            _checkAlu(Insn.i(op, A0, V0, 0xFFFF), 0, 0, 0xFFFF_FFFF_FFFF_FFFF);
            _checkAlu(Insn.i(op, A0, V0, 1), 0x7FFF_FFFF_FFFF_FFFF, 0, 0x8000_0000_0000_0000);
        }
    }

    // ------------------------------------------------------------ SPECIAL2

    function test_mul_lowWordProductSignExtendedAndHiLoUnchanged() external {
        _checkAlu(Insn.sp2(A0, A1, V0, 0x02), 0x1234_5678_FFFF_FFFF, 0xABCD_0000_0000_0002, 0xFFFF_FFFF_FFFF_FFFE);
        _checkAlu(Insn.sp2(A0, A1, V0, 0x02), 0x10000, 0x10000, 0);
        _checkAlu(Insn.sp2(A0, A1, V0, 0x02), 0x8000, 0x10000, 0xFFFF_FFFF_8000_0000);
        _checkAlu(Insn.sp2(A0, A1, V0, 0x02), 0x7FFF_FFFF, 0x7FFF_FFFF, 1);
    }

    function test_clz_countsLowWordIgnoringUpperAndRt() external {
        _checkAlu(Insn.sp2(A0, A1, V0, 0x20), 0xFFFF_FFFF_0000_0000, 0xFFFF, 32);
        _checkAlu(Insn.sp2(A0, A1, V0, 0x20), 0x0000_0000_0001_0000, 0, 15);
        _checkAlu(Insn.sp2(A0, A1, V0, 0x20), 0x8000_0000, 0, 0);
    }

    function test_clo_countsLowWordIgnoringUpperAndRt() external {
        _checkAlu(Insn.sp2(A0, A1, V0, 0x21), 0xFFFF_FFFF_8000_0000, 0xFFFF, 1);
        _checkAlu(Insn.sp2(A0, A1, V0, 0x21), 0x0000_0000_FFFF_FFFF, 0, 32);
        _checkAlu(Insn.sp2(A0, A1, V0, 0x21), 0xFFFF_FFFF_0000_0000, 0, 0);
        _checkAlu(Insn.sp2(A0, A1, V0, 0x21), 0xFFFF_0000, 0, 16);
    }

    function test_dclz_countsSixtyFourBits() external {
        _checkAlu(Insn.sp2(A0, A1, V0, 0x24), 0, 0xFFFF, 64);
        _checkAlu(Insn.sp2(A0, A1, V0, 0x24), 1, 0, 63);
        _checkAlu(Insn.sp2(A0, A1, V0, 0x24), 0x0000_0001_0000_0000, 0, 31);
        _checkAlu(Insn.sp2(A0, A1, V0, 0x24), 0x8000_0000_0000_0000, 0, 0);
    }

    function test_dclo_countsSixtyFourBits() external {
        _checkAlu(Insn.sp2(A0, A1, V0, 0x25), 0xFFFF_FFFF_FFFF_FFFF, 0, 64);
        _checkAlu(Insn.sp2(A0, A1, V0, 0x25), 0xFFFF_FFFF_0000_0000, 0, 32);
        _checkAlu(Insn.sp2(A0, A1, V0, 0x25), 0, 0xFFFF, 0);
        _checkAlu(Insn.sp2(A0, A1, V0, 0x25), 0xFFFF_FFFF_FFFF_FFFE, 0, 63);
    }
}
