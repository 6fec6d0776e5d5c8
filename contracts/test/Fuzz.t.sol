// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StepTestBase, Machine} from "./helpers/StepTestBase.sol";
import {MTCodec, Thread} from "./helpers/MTCodec.sol";
import {StepCalldata} from "./helpers/StepCalldata.sol";
import {Insn} from "./helpers/Insn.sol";

/// @notice A reference model of the ALU/branch rows of spec §5.2–§5.5, written here from the
///         spec tables (independently of both VMs), and the step contract fuzzed against it.
abstract contract ALUModel {
    function _sx32(uint256 x) internal pure returns (uint64) {
        return uint64(int64(int32(uint32(x))));
    }

    function _sx16(uint16 imm) internal pure returns (uint64) {
        return uint64(int64(int16(imm)));
    }

    function _clz(uint256 x, uint256 bits) internal pure returns (uint64 n) {
        for (uint256 i = bits; i > 0; i--) {
            if ((x >> (i - 1)) & 1 == 1) break;
            n++;
        }
    }

    /// @notice SPECIAL result written to rd (rdPre when MOVZ/MOVN do not move).
    function _special(uint256 funct, uint64 a, uint64 b, uint256 sa, uint64 rdPre) internal pure returns (uint64) {
        unchecked {
            if (funct == 0x00) return _sx32(uint256(uint32(b)) << sa);
            if (funct == 0x02) return _sx32(uint32(b) >> sa);
            if (funct == 0x03) return _sx32(uint32(int32(uint32(b)) >> sa));
            if (funct == 0x04) return _sx32(uint256(uint32(b)) << (a & 31));
            if (funct == 0x06) return _sx32(uint32(b) >> (a & 31));
            if (funct == 0x07) return _sx32(uint32(int32(uint32(b)) >> (a & 31)));
            if (funct == 0x0A) return b == 0 ? a : rdPre;
            if (funct == 0x0B) return b != 0 ? a : rdPre;
            if (funct == 0x14) return b << (a & 63);
            if (funct == 0x16) return b >> (a & 63);
            if (funct == 0x17) return uint64(int64(b) >> (a & 63));
            if (funct == 0x20 || funct == 0x21) return _sx32(uint32(a) + uint32(b));
            if (funct == 0x22 || funct == 0x23) return _sx32(uint32(a) - uint32(b));
            if (funct == 0x24) return a & b;
            if (funct == 0x25) return a | b;
            if (funct == 0x26) return a ^ b;
            if (funct == 0x27) return ~(a | b);
            if (funct == 0x2A) return int64(a) < int64(b) ? 1 : 0;
            if (funct == 0x2B) return a < b ? 1 : 0;
            if (funct == 0x2C || funct == 0x2D) return a + b;
            if (funct == 0x2E || funct == 0x2F) return a - b;
            if (funct == 0x38) return b << sa;
            if (funct == 0x3A) return b >> sa;
            if (funct == 0x3B) return uint64(int64(b) >> sa);
            if (funct == 0x3C) return b << (sa + 32);
            if (funct == 0x3E) return b >> (sa + 32);
            if (funct == 0x3F) return uint64(int64(b) >> (sa + 32));
        }
        revert("model: not an rd-writing SPECIAL funct");
    }

    /// @notice (hi, lo) of the multiply/divide rows; divisors are nonzero here.
    function _hilo(uint256 funct, uint64 a, uint64 b) internal pure returns (uint64 hi, uint64 lo) {
        unchecked {
            if (funct == 0x18) {
                uint64 p = uint64(int64(int32(uint32(a))) * int64(int32(uint32(b))));
                return (_sx32(p >> 32), _sx32(p));
            }
            if (funct == 0x19) {
                uint64 p = uint64(uint32(a)) * uint64(uint32(b));
                return (_sx32(p >> 32), _sx32(p));
            }
            if (funct == 0x1A) {
                int32 x = int32(uint32(a));
                int32 y = int32(uint32(b));
                if (x == type(int32).min && y == -1) return (0, _sx32(uint32(x)));
                return (_sx32(uint32(x % y)), _sx32(uint32(x / y)));
            }
            if (funct == 0x1B) return (_sx32(uint32(a) % uint32(b)), _sx32(uint32(a) / uint32(b)));
            if (funct == 0x1C) {
                uint256 p = uint256(int256(int64(a)) * int256(int64(b)));
                return (uint64(p >> 64), uint64(p));
            }
            if (funct == 0x1D) {
                uint256 p = uint256(a) * uint256(b);
                return (uint64(p >> 64), uint64(p));
            }
            if (funct == 0x1E) {
                if (int64(a) == type(int64).min && int64(b) == -1) return (0, a);
                return (uint64(int64(a) % int64(b)), uint64(int64(a) / int64(b)));
            }
            if (funct == 0x1F) return (a % b, a / b);
        }
        revert("model: not a HI/LO funct");
    }

    /// @notice I-type result written to rt.
    function _itype(uint256 op, uint64 a, uint16 imm) internal pure returns (uint64) {
        unchecked {
            if (op == 0x08 || op == 0x09) return _sx32(uint32(a) + uint32(_sx16(imm)));
            if (op == 0x0A) return int64(a) < int64(int16(imm)) ? 1 : 0;
            if (op == 0x0B) return a < _sx16(imm) ? 1 : 0;
            if (op == 0x0C) return a & imm;
            if (op == 0x0D) return a | imm;
            if (op == 0x0E) return a ^ imm;
            if (op == 0x0F) return _sx32(uint256(imm) << 16);
            if (op == 0x18 || op == 0x19) return a + _sx16(imm);
        }
        revert("model: not an ALU I-type op");
    }

    function _special2(uint256 funct, uint64 a, uint64 b) internal pure returns (uint64) {
        unchecked {
            if (funct == 0x02) return _sx32(uint64(int64(int32(uint32(a))) * int64(int32(uint32(b)))));
            if (funct == 0x20) return _clz(uint32(a), 32);
            if (funct == 0x21) return _clz(uint32(~a), 32);
            if (funct == 0x24) return _clz(a, 64);
            if (funct == 0x25) return _clz(~a, 64);
        }
        revert("model: not a SPECIAL2 funct");
    }

    /// @notice Whether a conditional branch (op 1 with selector rt, or op 4..7) is taken.
    function _taken(uint256 op, uint256 rt, uint64 a, uint64 b) internal pure returns (bool) {
        if (op == 0x04) return a == b;
        if (op == 0x05) return a != b;
        if (op == 0x06) return int64(a) <= 0;
        if (op == 0x07) return int64(a) > 0;
        if (rt == 0x00 || rt == 0x10) return int64(a) < 0;
        if (rt == 0x01 || rt == 0x11) return int64(a) >= 0;
        return false;
    }
}

contract ALUFuzzTest is StepTestBase, ALUModel {
    uint8[31] internal SPECIAL_FUNCTS = [
        0x00, 0x02, 0x03, 0x04, 0x06, 0x07, 0x0A, 0x0B, 0x14, 0x16, 0x17, 0x20, 0x21, 0x22, 0x23, 0x24,
        0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x38, 0x3A, 0x3B, 0x3C, 0x3E, 0x3F
    ];
    uint8[10] internal ITYPE_OPS = [0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x18, 0x19];
    uint8[5] internal SPECIAL2_FUNCTS = [0x02, 0x20, 0x21, 0x24, 0x25];

    function testFuzz_special_matchesModel(uint256 sel, uint64 a, uint64 b, uint256 sa) external {
        uint256 funct = SPECIAL_FUNCTS[bound(sel, 0, SPECIAL_FUNCTS.length - 1)];
        sa = bound(sa, 0, 31);
        _checkAlu(Insn.r(A0, A1, V0, sa, funct), a, b, _special(funct, a, b, sa, SENTINEL));
    }

    function testFuzz_hiLo_matchesModel(uint256 sel, uint64 a, uint64 b) external {
        uint256 funct = bound(sel, 0x18, 0x1F);
        bool byZero = (funct == 0x1A || funct == 0x1B) ? uint32(b) == 0 : (funct >= 0x1E && b == 0);
        if (byZero) {
            _revertsWith(_aluMachine(Insn.r(A0, A1, 0, 0, funct), a, b), "", "", "MIPS64: division by zero");
            return;
        }
        (uint64 hi, uint64 lo) = _hilo(funct, a, b);
        _checkHiLo(Insn.r(A0, A1, 0, 0, funct), a, b, hi, lo);
    }

    function testFuzz_hiLo_smallDivisorsMatchModel(uint256 sel, uint64 a, int8 d) external {
        // Small signed divisors hit -1, 0 and sign combinations far more often than uint64 fuzzing.
        uint256 funct = bound(sel, 0x1A, 0x1F);
        uint64 b = uint64(int64(d));
        if ((funct <= 0x1B && uint32(b) == 0) || b == 0) return;
        (uint64 hi, uint64 lo) = _hilo(funct, a, b);
        _checkHiLo(Insn.r(A0, A1, 0, 0, funct), a, b, hi, lo);
    }

    function testFuzz_itype_matchesModel(uint256 sel, uint64 a, uint16 imm) external {
        uint256 op = ITYPE_OPS[bound(sel, 0, ITYPE_OPS.length - 1)];
        _checkAlu(Insn.i(op, A0, V0, imm), a, 0, _itype(op, a, imm));
    }

    function testFuzz_special2_matchesModel(uint256 sel, uint64 a, uint64 b) external {
        uint256 funct = SPECIAL2_FUNCTS[bound(sel, 0, SPECIAL2_FUNCTS.length - 1)];
        _checkAlu(Insn.sp2(A0, A1, V0, funct), a, b, _special2(funct, a, b));
    }

    function testFuzz_clzFamily_sparseValuesMatchModel(uint256 sel, uint8 shift, bool ones) external {
        // One bit boundary per value: x = ~0 >> shift (or its complement).
        uint256 funct = SPECIAL2_FUNCTS[bound(sel, 1, SPECIAL2_FUNCTS.length - 1)];
        uint64 a = uint64(type(uint64).max >> bound(shift, 0, 64));
        if (ones) a = ~a;
        _checkAlu(Insn.sp2(A0, A1, V0, funct), a, 0, _special2(funct, a, 0));
    }

    function testFuzz_branch_matchesModel(uint256 sel, uint64 a, uint64 b, uint16 imm, bool equal) external {
        uint256 which = bound(sel, 0, 8);
        uint256 op = which < 4 ? 0x04 + which : 0x01;
        uint256 rt = which < 4 ? A1 : [uint256(0x00), 0x01, 0x10, 0x11, 0x05][which - 4];
        if (equal) b = a;
        Machine memory m = _aluMachine(Insn.i(op, A0, rt, imm), a, b);
        _t(m).r[RA] = SENTINEL;
        Machine memory e = _next(m);
        Thread memory t = _t(e);
        unchecked {
            t.nextPC = _taken(op, rt, a, b) ? PC + 4 + (_sx16(imm) << 2) : PC + 8;
        }
        if (op == 0x01 && (rt == 0x10 || rt == 0x11)) t.r[RA] = PC + 8;
        _checkStep(m, e);
    }
}

/// @notice Malformed calldata must revert, never succeed (spec §10, §12.21).
contract MalformedCalldataFuzzTest is StepTestBase {
    uint32 internal constant ADDU = 0x0085_1021; // addu v0, a0, a1
    uint32 internal constant LD = 0xDC85_0000; // ld a1, 0(a0)

    function _aluCalldata() internal pure returns (bytes memory) {
        Machine memory m = _aluMachine(ADDU, 1, 2);
        return _calldata(m, "", "");
    }

    function _loadCalldata() internal pure returns (bytes memory) {
        Machine memory m = _aluMachine(LD, 0x2000, 0);
        _setWord(m, 0x2000, 0x1234);
        return _calldata(m, _proof(m, 0x2000), "");
    }

    function _reverts(bytes memory cd) internal returns (bytes memory ret) {
        bool ok;
        (ok, ret) = address(mips).call(cd);
        vm.assertFalse(ok, "malformed calldata must revert");
    }

    function test_validCalldata_succeeds() external {
        (bool ok,) = address(mips).call(_aluCalldata());
        vm.assertTrue(ok, "ALU baseline");
        (ok,) = address(mips).call(_loadCalldata());
        vm.assertTrue(ok, "load baseline");
    }

    function testFuzz_truncatedCalldata_reverts(uint256 len) external {
        // Below 356 + 6090 the declared _proof length exceeds the calldata.
        bytes memory cd = _aluCalldata();
        len = bound(len, 0, 6445);
        assembly {
            mstore(cd, len)
        }
        _reverts(cd);
    }

    function testFuzz_shortProofForUsedSlot_reverts(uint256 len, bool load) external {
        // An ABI-correct _proof that stops inside the thread witness or a used slot. The
        // 32-byte padding must not complete the slot: stay below slot end - 31 (see spec §10).
        Machine memory m = load ? _aluMachine(LD, 0x2000, 0) : _aluMachine(ADDU, 1, 2);
        _setWord(m, 0x2000, 0x1234);
        bytes memory full = _proofData(m, load ? _proof(m, 0x2000) : bytes(""), "");
        len = bound(len, 0, (load ? 4170 : 2250) - 10);
        bytes memory p = new bytes(len);
        for (uint256 i = 0; i < len; i++) {
            p[i] = full[i];
        }
        _seal(m);
        _reverts(StepCalldata.encode(MTCodec.encodeState(m.s), p, LOCAL_CONTEXT));
    }

    function testFuzz_wrongAbiOffsets_revertEmpty(uint256 stateOff, uint256 proofOff) external {
        vm.assume(stateOff != 0x60 || proofOff != 0x140);
        bytes memory cd = _aluCalldata();
        assembly {
            mstore(add(cd, 36), stateOff)
            mstore(add(cd, 68), proofOff)
        }
        bytes memory ret = _reverts(cd);
        vm.assertEq(ret.length, 0, "ABI offset failures revert with empty data");
    }

    function testFuzz_smallAbiOffsetShift_revertEmpty(uint8 ds, uint8 dp) external {
        // Offsets close to the standard ones, in 1-byte and 32-byte steps.
        uint256 stateOff = 0x60 + bound(ds, 0, 64);
        uint256 proofOff = 0x140 + bound(dp, 0, 64);
        vm.assume(stateOff != 0x60 || proofOff != 0x140);
        bytes memory cd = _aluCalldata();
        assembly {
            mstore(add(cd, 36), stateOff)
            mstore(add(cd, 68), proofOff)
        }
        bytes memory ret = _reverts(cd);
        vm.assertEq(ret.length, 0, "ABI offset failures revert with empty data");
    }

    function testFuzz_flippedThreadWitnessByte_reverts(uint256 pos, uint8 mask) external {
        bytes memory cd = _aluCalldata();
        pos = bound(pos, StepCalldata.THREAD_OFFSET, StepCalldata.SLOT0_OFFSET - 1);
        cd[pos] ^= bytes1(uint8(bound(mask, 1, 255)));
        vm.expectRevert(bytes("MIPS64: invalid thread witness"));
        (bool ok,) = address(mips).call(cd);
        vm.assertTrue(ok, "expected 'MIPS64: invalid thread witness'");
    }

    function testFuzz_flippedInstructionProofByte_reverts(uint256 pos, uint8 mask) external {
        bytes memory cd = _aluCalldata();
        pos = bound(pos, StepCalldata.SLOT0_OFFSET, StepCalldata.SLOT1_OFFSET - 1);
        cd[pos] ^= bytes1(uint8(bound(mask, 1, 255)));
        vm.expectRevert(bytes4(0x8e77b2b7)); // InvalidMemoryProof()
        (bool ok,) = address(mips).call(cd);
        vm.assertTrue(ok, "expected InvalidMemoryProof()");
    }

    function testFuzz_flippedDataProofByte_reverts(uint256 pos, uint8 mask) external {
        bytes memory cd = _loadCalldata();
        pos = bound(pos, StepCalldata.SLOT1_OFFSET, StepCalldata.SLOT2_OFFSET - 1);
        cd[pos] ^= bytes1(uint8(bound(mask, 1, 255)));
        vm.expectRevert(bytes4(0x8e77b2b7)); // InvalidMemoryProof()
        (bool ok,) = address(mips).call(cd);
        vm.assertTrue(ok, "expected InvalidMemoryProof()");
    }
}
