// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StepTestBase, Machine} from "./helpers/StepTestBase.sol";
import {Thread} from "./helpers/MTCodec.sol";
import {Insn} from "./helpers/Insn.sol";

/// @notice Loads and stores, all sub-word and unaligned forms (spec §5.2, §5.7, §12.3, §12.14).
///         Memory: 0x2000 = 81 92 A3 B4 C5 D6 E7 F8, 0x2008 = 01 02 03 04 05 06 07 08.
///         Base register a0, data register a1; EA = a0 + sx16(imm).
contract LoadStoreTest is StepTestBase {
    uint64 internal constant M0 = 0x8192_A3B4_C5D6_E7F8;
    uint64 internal constant M1 = 0x0102_0304_0506_0708;
    uint64 internal constant R = 0x1111_2222_3333_4444; // pre-value of the load target

    uint256 internal constant LB = 0x20;
    uint256 internal constant LH = 0x21;
    uint256 internal constant LWL = 0x22;
    uint256 internal constant LW = 0x23;
    uint256 internal constant LBU = 0x24;
    uint256 internal constant LHU = 0x25;
    uint256 internal constant LWR = 0x26;
    uint256 internal constant LWU = 0x27;
    uint256 internal constant SB = 0x28;
    uint256 internal constant SH = 0x29;
    uint256 internal constant SWL = 0x2A;
    uint256 internal constant SW = 0x2B;
    uint256 internal constant SDL = 0x2C;
    uint256 internal constant SDR = 0x2D;
    uint256 internal constant SWR = 0x2E;
    uint256 internal constant LDL = 0x1A;
    uint256 internal constant LDR = 0x1B;
    uint256 internal constant LD = 0x37;
    uint256 internal constant SD = 0x3F;

    function _memMachine(uint32 insn, uint64 base, uint64 rt) internal pure returns (Machine memory m) {
        m = _machine(insn);
        _setWord(m, 0x2000, M0);
        _setWord(m, 0x2008, M1);
        _t(m).r[A0] = base;
        _t(m).r[A1] = rt;
    }

    /// @notice `op a1, 0(a0)` with a0 = `ea`, a1 = `rtPre`: expects a1 = `want`, memory unchanged.
    function _checkLoad(uint256 op, uint64 ea, uint64 rtPre, uint64 want) internal {
        Machine memory m = _memMachine(Insn.i(op, A0, A1, 0), ea, rtPre);
        Machine memory e = _next(m);
        _t(e).r[A1] = want;
        _checkStepAt(m, e, ea & ~uint64(7));
    }

    /// @notice `op a1, 0(a0)` at `ea` with a1 = `rt` on a word of all ones at 0x2000:
    ///         expects that word to become `after`, registers unchanged.
    function _checkStore(uint256 op, uint64 ea, uint64 rt, uint64 after_) internal {
        Machine memory m = _memMachine(Insn.i(op, A0, A1, 0), ea, rt);
        _setWord(m, 0x2000, 0xFFFF_FFFF_FFFF_FFFF);
        Machine memory e = _next(m);
        _setWord(e, 0x2000, after_);
        _checkStepAt(m, e, 0x2000);
    }

    // ------------------------------------------------------------ naturally sized loads

    function test_lb_signExtendsByte() external {
        _checkLoad(LB, 0x2003, R, 0xFFFF_FFFF_FFFF_FFB4);
        _checkLoad(LB, 0x2009, R, 0x02);
    }

    function test_lb_negativeImmediate() external {
        Machine memory m = _memMachine(Insn.i(LB, A0, A1, 0xFFF3), 0x2010, R); // lb a1, -13(a0)
        Machine memory e = _next(m);
        _t(e).r[A1] = 0xFFFF_FFFF_FFFF_FFB4;
        _checkStepAt(m, e, 0x2000);
    }

    function test_lbu_zeroExtendsByte() external {
        _checkLoad(LBU, 0x2003, R, 0xB4);
        _checkLoad(LBU, 0x2007, R, 0xF8);
    }

    function test_lh_alignsDownAndSignExtends() external {
        _checkLoad(LH, 0x2003, R, 0xFFFF_FFFF_FFFF_A3B4);
        _checkLoad(LH, 0x2000, R, 0xFFFF_FFFF_FFFF_8192);
        _checkLoad(LH, 0x200A, R, 0x0304);
    }

    function test_lhu_alignsDownAndZeroExtends() external {
        _checkLoad(LHU, 0x2003, R, 0xA3B4);
        _checkLoad(LHU, 0x2007, R, 0xE7F8);
    }

    function test_lw_alignsDownAndSignExtends() external {
        _checkLoad(LW, 0x2006, R, 0xFFFF_FFFF_C5D6_E7F8);
        _checkLoad(LW, 0x2001, R, 0xFFFF_FFFF_8192_A3B4);
        _checkLoad(LW, 0x2008, R, 0x0102_0304);
    }

    function test_lwu_alignsDownAndZeroExtends() external {
        _checkLoad(LWU, 0x2006, R, 0xC5D6_E7F8);
        _checkLoad(LWU, 0x200F, R, 0x0506_0708);
    }

    function test_ld_alignsDownToEightBytes() external {
        _checkLoad(LD, 0x2005, R, M0);
        _checkLoad(LD, 0x2008, R, M1);
    }

    function test_ld_effectiveAddressWrapsAround() external {
        Machine memory m = _memMachine(Insn.i(LD, A0, A1, 0xFFF0), 8, R); // ld a1, -16(a0) → 2^64 - 8
        _setWord(m, 0xFFFF_FFFF_FFFF_FFF8, 0xCAFE_0000_0000_BABE);
        Machine memory e = _next(m);
        _t(e).r[A1] = 0xCAFE_0000_0000_BABE;
        _checkStepAt(m, e, 0xFFFF_FFFF_FFFF_FFF8);
    }

    function test_load_intoZeroRegisterIsDiscarded() external {
        Machine memory m = _memMachine(Insn.i(LD, A0, 0, 0), 0x2000, 0);
        _checkStepAt(m, _next(m), 0x2000);
    }

    // ------------------------------------------------------------ LWL / LWR

    function test_lwl_mergesAndAlwaysSignExtends() external {
        _checkLoad(LWL, 0x2001, R, 0xFFFF_FFFF_92A3_B444);
        _checkLoad(LWL, 0x2002, R, 0xFFFF_FFFF_A3B4_4444);
        _checkLoad(LWL, 0x2004, R, 0xFFFF_FFFF_C5D6_E7F8);
        // a = 3, positive result: the upper word of rt is still replaced.
        _checkLoad(LWL, 0x200B, R, 0x0000_0000_0433_4444);
    }

    function test_lwr_preservesUpperWordUnlessA3() external {
        _checkLoad(LWR, 0x2000, R, 0x1111_2222_3333_4481);
        _checkLoad(LWR, 0x2001, R, 0x1111_2222_3333_8192);
        _checkLoad(LWR, 0x2002, R, 0x1111_2222_3381_92A3);
        _checkLoad(LWR, 0x2004, R, 0x1111_2222_3333_44C5);
        _checkLoad(LWR, 0x2007, R, 0xFFFF_FFFF_C5D6_E7F8);
        _checkLoad(LWR, 0x200B, R, 0x0000_0000_0102_0304);
    }

    // ------------------------------------------------------------ LDL / LDR

    function test_ldl_everyAlignment() external {
        _checkLoad(LDL, 0x2000, R, M0);
        _checkLoad(LDL, 0x2001, R, 0x92A3_B4C5_D6E7_F844);
        _checkLoad(LDL, 0x2003, R, 0xB4C5_D6E7_F833_4444);
        _checkLoad(LDL, 0x2007, R, 0xF811_2222_3333_4444);
    }

    function test_ldr_everyAlignment() external {
        _checkLoad(LDR, 0x2000, R, 0x1111_2222_3333_4481);
        _checkLoad(LDR, 0x2004, R, 0x1111_2281_92A3_B4C5);
        _checkLoad(LDR, 0x2006, R, 0x1181_92A3_B4C5_D6E7);
        _checkLoad(LDR, 0x2007, R, M0);
    }

    // ------------------------------------------------------------ stores (spec §5.7 vectors, rt = 0x12345678, mem = ~0)

    function test_sb_replacesOneByte() external {
        _checkStore(SB, 0x2000, 0x12345678, 0x78FF_FFFF_FFFF_FFFF);
        _checkStore(SB, 0x2005, 0x12345678, 0xFFFF_FFFF_FF78_FFFF);
        _checkStore(SB, 0x2007, 0x12345678, 0xFFFF_FFFF_FFFF_FF78);
    }

    function test_sh_alignsDown() external {
        _checkStore(SH, 0x2000, 0x12345678, 0x5678_FFFF_FFFF_FFFF);
        _checkStore(SH, 0x2003, 0x12345678, 0xFFFF_5678_FFFF_FFFF);
        _checkStore(SH, 0x2007, 0x12345678, 0xFFFF_FFFF_FFFF_5678);
    }

    function test_sw_alignsDownAndStoresLowWord() external {
        _checkStore(SW, 0x2000, 0x12345678, 0x1234_5678_FFFF_FFFF);
        _checkStore(SW, 0x2006, 0xAAAA_BBBB_1234_5678, 0xFFFF_FFFF_1234_5678);
    }

    function test_swl_everyAlignment() external {
        _checkStore(SWL, 0x2000, 0x12345678, 0x1234_5678_FFFF_FFFF);
        _checkStore(SWL, 0x2001, 0x12345678, 0xFF12_3456_FFFF_FFFF);
        _checkStore(SWL, 0x2003, 0x12345678, 0xFFFF_FF12_FFFF_FFFF);
        _checkStore(SWL, 0x2004, 0x12345678, 0xFFFF_FFFF_1234_5678);
        _checkStore(SWL, 0x2006, 0x12345678, 0xFFFF_FFFF_FFFF_1234);
    }

    function test_swr_everyAlignment() external {
        _checkStore(SWR, 0x2000, 0x12345678, 0x78FF_FFFF_FFFF_FFFF);
        _checkStore(SWR, 0x2001, 0x12345678, 0x5678_FFFF_FFFF_FFFF);
        _checkStore(SWR, 0x2003, 0x12345678, 0x1234_5678_FFFF_FFFF);
        _checkStore(SWR, 0x2004, 0x12345678, 0xFFFF_FFFF_78FF_FFFF);
        _checkStore(SWR, 0x2006, 0x12345678, 0xFFFF_FFFF_3456_78FF);
    }

    function test_sd_alignsDown() external {
        _checkStore(SD, 0x2005, M1, M1);
    }

    function test_sdl_everyAlignment() external {
        _checkStore(SDL, 0x2000, M1, M1);
        _checkStore(SDL, 0x2003, M1, 0xFFFF_FF01_0203_0405);
        _checkStore(SDL, 0x2007, M1, 0xFFFF_FFFF_FFFF_FF01);
    }

    function test_sdr_everyAlignment() external {
        _checkStore(SDR, 0x2000, M1, 0x08FF_FFFF_FFFF_FFFF);
        _checkStore(SDR, 0x2004, M1, 0x0405_0607_08FF_FFFF);
        _checkStore(SDR, 0x2007, M1, M1);
    }

    function test_store_leavesNeighbourWordInLeafIntact() external {
        // 0x2008 (same 32-byte leaf) keeps M1; only 0x2000 changes.
        Machine memory m = _memMachine(Insn.i(SD, A0, A1, 0), 0x2000, 0xDEAD_BEEF_DEAD_BEEF);
        Machine memory e = _next(m);
        _setWord(e, 0x2000, 0xDEAD_BEEF_DEAD_BEEF);
        _checkStepAt(m, e, 0x2000);
    }

    function test_store_intoOwnInstructionWord() external {
        // sw a1, 4(a0) with a0 = PC: data and instruction share the 8-byte word (spec §12.3).
        uint32 insn = Insn.i(SW, A0, A1, 4);
        Machine memory m = _memMachine(insn, PC, 0x12345678);
        Machine memory e = _next(m);
        _setWord(e, PC, (uint64(insn) << 32) | 0x12345678);
        _checkStepAt(m, e, PC);
    }

    function test_store_overwritesTheInstructionItExecutes() external {
        uint32 insn = Insn.i(SW, A0, A1, 0); // sw a1, 0(a0) with a0 = PC
        Machine memory m = _memMachine(insn, PC, 0x12345678);
        Machine memory e = _next(m);
        _setWord(e, PC, 0x1234_5678_0000_0000);
        _checkStepAt(m, e, PC);
    }

    function test_store_inDelaySlotIsAllowed() external {
        Machine memory m = _memMachine(Insn.i(SB, A0, A1, 0), 0x2000, 0xAB);
        _t(m).nextPC = 0x9000;
        Machine memory e = _next(m);
        _setWord(e, 0x2000, 0xAB92_A3B4_C5D6_E7F8);
        _checkStepAt(m, e, 0x2000);
    }
}
