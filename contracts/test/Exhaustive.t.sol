// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StepTestBase, Machine} from "./helpers/StepTestBase.sol";
import {Thread} from "./helpers/MTCodec.sol";
import {Insn} from "./helpers/Insn.sol";

/// @notice Every byte alignment of the sub-word paths (spec §5.7, §7.2 getrandom, §7.4 fd 5/6,
///         §12.14/§12.16/§12.17), against byte-level models written here from the spec text:
///         memory is handled as 8 big-endian bytes, independently of the shift/mask formulas.
contract ExhaustiveTest is StepTestBase {
    uint64 internal constant M0 = 0x8192_A3B4_C5D6_E7F8;
    uint64 internal constant R = 0x1111_2222_3333_4444;

    /// @dev byte i (0 = most significant) of a big-endian 64-bit word
    function _byte(uint64 w, uint256 i) internal pure returns (uint64) {
        return (w >> (8 * (7 - i))) & 0xFF;
    }

    function _setByte(uint64 w, uint256 i, uint64 b) internal pure returns (uint64) {
        uint256 sh = 8 * (7 - i);
        return (w & ~uint64(0xFF << sh)) | (b << sh);
    }

    /// @dev Nothing allocated by one checked step is used by the next: rewinding the free memory
    ///      pointer keeps memory expansion cost linear over hundreds of steps in one test.
    function _fmp() internal pure returns (uint256 p) {
        assembly {
            p := mload(0x40)
        }
    }

    function _rewind(uint256 p) internal pure {
        assembly {
            mstore(0x40, p)
        }
    }

    function _sx32(uint64 x) internal pure returns (uint64) {
        return uint64(int64(int32(uint32(x))));
    }

    // ------------------------------------------------------------ getrandom: k = 0..7 × len = 0..9

    function _splitmix(uint64 s) internal pure returns (uint64 z) {
        unchecked {
            z = s + 0x9e3779b97f4a7c15;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
            z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
            z = z ^ (z >> 31);
        }
    }

    function test_getrandom_everyAlignmentAndLength() external {
        vm.assertEq(_splitmix(0x1a2b3c4d5e6f7531), 0x4141302768c9e9d0, "model matches the official vector");
        uint64 rnd = _splitmix(778); // step 777 before the syscall
        for (uint64 k = 0; k < 8; k++) {
            for (uint64 len = 0; len <= 9; len++) {
                uint256 fmp = _fmp();
                Machine memory m = _machine(Insn.SYSCALL);
                _setWord(m, 0x2000, M0);
                Thread memory t = _t(m);
                (t.r[V0], t.r[A0], t.r[A1]) = (5313, 0x2000 + k, len);
                m.s.step = 777;
                uint64 n = len < 8 - k ? len : 8 - k;
                uint64 w = M0;
                for (uint256 i = k; i < k + n; i++) {
                    w = _setByte(w, i, _byte(rnd, i));
                }
                Machine memory e = _next(m);
                (_t(e).r[V0], _t(e).r[A3]) = (n, 0);
                _setWord(e, 0x2000, w);
                _checkStepAt(m, e, 0x2000);
                _rewind(fmp);
            }
        }
    }

    // ------------------------------------------------------------ key write: k = 0..7 × count = 0..9

    function test_preimageKeyWrite_everyAlignmentAndCount() external {
        bytes32 key0 = keccak256("key");
        for (uint64 k = 0; k < 8; k++) {
            for (uint64 cnt = 0; cnt <= 9; cnt++) {
                uint256 fmp = _fmp();
                Machine memory m = _machine(Insn.SYSCALL);
                _setWord(m, 0x2000, M0);
                Thread memory t = _t(m);
                (t.r[V0], t.r[A0], t.r[A1], t.r[A2]) = (5001, 6, 0x2000 + k, cnt);
                m.s.preimageKey = key0;
                m.s.preimageOffset = 9;
                uint64 n = cnt < 8 - k ? cnt : 8 - k;
                uint256 key = uint256(key0);
                for (uint256 i = k; i < k + n; i++) {
                    key = (key << 8) | _byte(M0, i);
                }
                Machine memory e = _next(m);
                (_t(e).r[V0], _t(e).r[A3]) = (n, 0);
                e.s.preimageKey = bytes32(key);
                e.s.preimageOffset = 0;
                _checkStepAt(m, e, 0x2000);
                _rewind(fmp);
            }
        }
    }

    // ------------------------------------------------------------ read fd 5: offsets × k × count

    function test_preimageRead_everyAlignmentCountAndOffset() external {
        bytes memory data = hex"1234567898765432";
        bytes memory prefixed = abi.encodePacked(uint64(8), data); // u64 BE length ‖ data
        bytes32 key = bytes32((uint256(keccak256(data)) & (type(uint256).max >> 8)) | (2 << 248));
        uint64[4] memory offsets = [uint64(0), 6, 8, 15];
        for (uint256 o = 0; o < offsets.length; o++) {
            uint64 off = offsets[o];
            oracle.loadKeccak256PreimagePart(off, data);
            for (uint64 k = 0; k < 8; k++) {
                for (uint64 cnt = 0; cnt <= 9; cnt++) {
                    uint256 fmp = _fmp();
                    _checkOneRead(key, prefixed, off, k, cnt);
                    _rewind(fmp);
                }
            }
        }
    }

    function _checkOneRead(bytes32 key, bytes memory prefixed, uint64 off, uint64 k, uint64 cnt) internal {
        Machine memory m = _machine(Insn.SYSCALL);
        _setWord(m, 0x2000, M0);
        Thread memory t = _t(m);
        (t.r[V0], t.r[A0], t.r[A1], t.r[A2]) = (5000, 5, 0x2000 + k, cnt);
        m.s.preimageKey = key;
        m.s.preimageOffset = off;
        uint64 avail = uint64(prefixed.length) - off;
        uint64 n = cnt;
        if (8 - k < n) n = 8 - k;
        if (avail < n) n = avail;
        uint64 w = M0;
        for (uint256 i = 0; i < n; i++) {
            w = _setByte(w, k + i, uint8(prefixed[off + i]));
        }
        Machine memory e = _next(m);
        (_t(e).r[V0], _t(e).r[A3]) = (n, 0);
        e.s.preimageOffset = off + n;
        _setWord(e, 0x2000, w);
        _checkStepAt(m, e, 0x2000);
    }

    // ------------------------------------------------------------ unaligned loads: every byte offset

    /// @notice Bytes EA … end of the aligned 4- (LWL) or 8-byte (LDL) unit go to the top of the
    ///         register, the rest of the register keeps its low bytes.
    function test_unalignedLoads_everyOffset() external {
        for (uint64 b = 0; b < 8; b++) {
            uint256 fmp = _fmp();
            uint64 ea = 0x2000 + b;
            // LDL: register bytes 0..(7-b) = memory bytes b..7, register bytes (8-b)..7 kept.
            uint64 v = R;
            for (uint256 i = 0; i < 8 - b; i++) {
                v = _setByte(v, i, _byte(M0, b + i));
            }
            _load(0x1A, ea, v);
            // LDR: register bytes (7-b)..7 = memory bytes 0..b, the higher ones kept.
            v = R;
            for (uint256 i = 0; i <= b; i++) {
                v = _setByte(v, 7 - b + i, _byte(M0, i));
            }
            _load(0x1B, ea, v);

            uint64 a = b & 3;
            uint64 base = b & 4; // byte index of the aligned word W inside M0
            // LWL: low word bytes 0..(3-a) = W bytes a..3, low word bytes (4-a)..3 kept; sign-extended.
            uint64 lo = R & 0xFFFF_FFFF;
            for (uint256 i = 0; i < 4 - a; i++) {
                lo = _setByte(lo, 4 + i, _byte(M0, base + a + i));
            }
            _load(0x22, ea, _sx32(lo));
            // LWR: low word bytes (3-a)..3 = W bytes 0..a, the others kept; upper word kept unless a == 3.
            lo = R & 0xFFFF_FFFF;
            for (uint256 i = 0; i <= a; i++) {
                lo = _setByte(lo, 4 + 3 - a + i, _byte(M0, base + i));
            }
            _load(0x26, ea, a == 3 ? _sx32(lo) : (R & 0xFFFF_FFFF_0000_0000) | lo);
            _rewind(fmp);
        }
    }

    function _load(uint256 op, uint64 ea, uint64 want) internal {
        Machine memory m = _machine(Insn.i(op, A0, A1, 0));
        _setWord(m, 0x2000, M0);
        (_t(m).r[A0], _t(m).r[A1]) = (ea, R);
        Machine memory e = _next(m);
        _t(e).r[A1] = want;
        _checkStepAt(m, e, 0x2000);
    }

    // ------------------------------------------------------------ unaligned stores: every byte offset

    function test_unalignedStores_everyOffset() external {
        uint64 rt = 0x0102_0304_0506_0708;
        for (uint64 b = 0; b < 8; b++) {
            uint256 fmp = _fmp();
            uint64 ea = 0x2000 + b;
            // SDL: memory bytes b..7 = register bytes 0..(7-b).
            uint64 w = M0;
            for (uint256 i = 0; i < 8 - b; i++) {
                w = _setByte(w, b + i, _byte(rt, i));
            }
            _store(0x2C, ea, rt, w);
            // SDR: memory bytes 0..b = register bytes (7-b)..7.
            w = M0;
            for (uint256 i = 0; i <= b; i++) {
                w = _setByte(w, i, _byte(rt, 7 - b + i));
            }
            _store(0x2D, ea, rt, w);

            uint64 a = b & 3;
            uint64 base = b & 4;
            // SWL: memory bytes EA..(EA|3) = the top 4-a bytes of the low register word.
            w = M0;
            for (uint256 i = 0; i < 4 - a; i++) {
                w = _setByte(w, base + a + i, _byte(rt, 4 + i));
            }
            _store(0x2A, ea, rt, w);
            // SWR: memory bytes (EA&~3)..EA = the low a+1 bytes of the register.
            w = M0;
            for (uint256 i = 0; i <= a; i++) {
                w = _setByte(w, base + i, _byte(rt, 7 - a + i));
            }
            _store(0x2E, ea, rt, w);
            _rewind(fmp);
        }
    }

    function _store(uint256 op, uint64 ea, uint64 rt, uint64 after_) internal {
        Machine memory m = _machine(Insn.i(op, A0, A1, 0));
        _setWord(m, 0x2000, M0);
        (_t(m).r[A0], _t(m).r[A1]) = (ea, rt);
        Machine memory e = _next(m);
        _setWord(e, 0x2000, after_);
        _checkStepAt(m, e, 0x2000);
    }
}
