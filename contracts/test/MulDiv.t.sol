// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StepTestBase, Machine} from "./helpers/StepTestBase.sol";
import {Insn} from "./helpers/Insn.sol";

/// @notice MULT/MULTU/DIV/DIVU/DMULT/DMULTU/DDIV/DDIVU (spec §5.3, edge cases §12.12).
///         rs = a0, rt = a1, rd = 0 (canonical) unless a test is about the rd quirk.
contract MulDivTest is StepTestBase {
    uint256 internal constant MULT = 0x18;
    uint256 internal constant MULTU = 0x19;
    uint256 internal constant DIV = 0x1A;
    uint256 internal constant DIVU = 0x1B;
    uint256 internal constant DMULT = 0x1C;
    uint256 internal constant DMULTU = 0x1D;
    uint256 internal constant DDIV = 0x1E;
    uint256 internal constant DDIVU = 0x1F;

    function _op(uint256 funct) internal pure returns (uint32) {
        return Insn.r(A0, A1, 0, 0, funct);
    }

    function test_mult_signedLowWordsSignExtendedHalves() external {
        // (-1) * (-2^31) = 2^31: HI = sx32(0) = 0, LO = sx32(0x80000000).
        _checkHiLo(_op(MULT), 0xFFFF_FFFF_FFFF_FFFF, 0x8000_0000, 0, 0xFFFF_FFFF_8000_0000);
        // 3 * (-2) = -6 with garbage upper halves.
        _checkHiLo(_op(MULT), 0x1234_5678_0000_0003, 0x9ABC_DEF0_FFFF_FFFE, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFA);
    }

    function test_multu_unsignedLowWordsButSignExtendedHalves() external {
        // 0xFFFFFFFF^2 = 0xFFFFFFFE_00000001.
        _checkHiLo(_op(MULTU), 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFE, 1);
        _checkHiLo(_op(MULTU), 0x8000_0000, 2, 1, 0);
        _checkHiLo(_op(MULTU), 0x0001_0000, 0x8000, 0, 0xFFFF_FFFF_8000_0000);
    }

    function test_div_truncatesTowardZeroRemainderSignOfDividend() external {
        _checkHiLo(_op(DIV), 0xAAAA_0000_0000_0007, 0xFFFF_FFFE, 1, 0xFFFF_FFFF_FFFF_FFFD);
        _checkHiLo(_op(DIV), 0xFFFF_FFF9, 2, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFD);
    }

    function test_div_int32MinByMinusOneWrapsWithoutTrap() external {
        _checkHiLo(_op(DIV), 0x8000_0000, 0xFFFF_FFFF, 0, 0xFFFF_FFFF_8000_0000);
    }

    function test_div_onlyLowWordOfDivisorTested() external {
        // Upper half of rt nonzero is irrelevant when the low word is nonzero.
        _checkHiLo(_op(DIV), 100, 0xFFFF_FFFF_0000_0007, 2, 14);
    }

    function test_div_lowWordZeroReverts() external {
        Machine memory m = _aluMachine(_op(DIV), 1, 0x1_0000_0000);
        _revertsWith(m, "", "", "MIPS64: division by zero");
    }

    function test_divu_unsignedQuotientRemainderSignExtended() external {
        _checkHiLo(_op(DIVU), 0xFFFF_FFFF, 1, 0, 0xFFFF_FFFF_FFFF_FFFF);
        _checkHiLo(_op(DIVU), 0xFFFF_FFFE, 0xFFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFE, 0);
        _checkHiLo(_op(DIVU), 0xFFFF_FFFF, 0x10, 0xF, 0x0FFF_FFFF);
    }

    function test_divu_lowWordZeroReverts() external {
        Machine memory m = _aluMachine(_op(DIVU), 1, 0xFFFF_FFFF_0000_0000);
        _revertsWith(m, "", "", "MIPS64: division by zero");
    }

    function test_dmult_signed128BitProduct() external {
        _checkHiLo(_op(DMULT), 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF, 0, 0x8000_0000_0000_0000);
        _checkHiLo(_op(DMULT), 0x8000_0000_0000_0000, 2, 0xFFFF_FFFF_FFFF_FFFF, 0);
        _checkHiLo(_op(DMULT), 0, 0xFFFF_FFFF_FFFF_FFFB, 0, 0);
        _checkHiLo(_op(DMULT), 0xFFFF_FFFF_FFFF_FFFD, 5, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFF1);
        _checkHiLo(_op(DMULT), 0x1_0000_0000, 0x1_0000_0000, 1, 0);
    }

    function test_dmultu_unsigned128BitProduct() external {
        _checkHiLo(_op(DMULTU), 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFE, 1);
        _checkHiLo(_op(DMULTU), 0xFFFF_FFFF_FFFF_FFFF, 2, 1, 0xFFFF_FFFF_FFFF_FFFE);
    }

    function test_ddiv_signed64() external {
        _checkHiLo(_op(DDIV), 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF, 0, 0x8000_0000_0000_0000);
        _checkHiLo(_op(DDIV), 0xFFFF_FFFF_FFFF_FFF9, 2, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFD);
        _checkHiLo(_op(DDIV), 7, 0xFFFF_FFFF_FFFF_FFFE, 1, 0xFFFF_FFFF_FFFF_FFFD);
        // A divisor whose low word is zero is fine for the 64-bit divide.
        _checkHiLo(_op(DDIV), 0x3_0000_0005, 0x1_0000_0000, 5, 3);
    }

    function test_ddiv_zeroReverts() external {
        Machine memory m = _aluMachine(_op(DDIV), 1, 0);
        _revertsWith(m, "", "", "MIPS64: division by zero");
    }

    function test_ddivu_unsigned64() external {
        _checkHiLo(_op(DDIVU), 0xFFFF_FFFF_FFFF_FFFF, 2, 1, 0x7FFF_FFFF_FFFF_FFFF);
        _checkHiLo(_op(DDIVU), 0x8000_0000_0000_0000, 3, 2, 0x2AAA_AAAA_AAAA_AAAA);
    }

    function test_ddivu_zeroReverts() external {
        Machine memory m = _aluMachine(_op(DDIVU), 1, 0);
        _revertsWith(m, "", "", "MIPS64: division by zero");
    }

    /// @dev spec §5.3: every funct 0x10–0x1F writes its (zero) result register to a nonzero rd.
    function test_mulDiv_nonzeroRdIsZeroed() external {
        uint256[4] memory ops = [MULT, DIVU, DMULTU, DDIV];
        uint64[4] memory hi = [uint64(0), 1, 0, 1];
        uint64[4] memory lo = [uint64(6), 1, 6, 1];
        for (uint256 i = 0; i < ops.length; i++) {
            Machine memory m = _aluMachine(Insn.r(A0, A1, V0, 0, ops[i]), 3, 2);
            Machine memory e = _next(m);
            _t(e).hi = hi[i];
            _t(e).lo = lo[i];
            _t(e).r[V0] = 0;
            _checkStep(m, e);
        }
    }
}
