// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StepTestBase, Machine} from "./helpers/StepTestBase.sol";
import {MTCodec, Thread} from "./helpers/MTCodec.sol";
import {StepCalldata} from "./helpers/StepCalldata.sol";
import {Insn} from "./helpers/Insn.sol";
import {MIPS64} from "../src/MIPS64.sol";
import {IPreimageOracle} from "../src/interfaces/IPreimageOracle.sol";

/// @notice Every revert condition of spec §10.4's table and §5.8, each with its exact reason.
///         (Delay slots: Branch.t.sol; division by zero: MulDiv.t.sol; unknown syscalls and the
///         second clock proof: Syscall.t.sol; missing pre-image parts: Preimage.t.sol; empty
///         post-state stacks: Scheduler.t.sol.)
contract RevertsTest is StepTestBase {
    bytes4 internal constant INVALID_EXITED_VALUE = 0x0136cc76;
    bytes4 internal constant INVALID_MEMORY_PROOF = 0x8e77b2b7;
    bytes4 internal constant INVALID_SECOND_MEMORY_PROOF = 0x834c4cd4;
    bytes4 internal constant INVALID_PC = 0x3f8200bc;
    bytes4 internal constant UNSUPPORTED_STATE_VERSION = 0x1f8b02a2;

    uint32 internal constant ADDU = 0x0085_1021; // addu v0, a0, a1
    uint32 internal constant LD = 0xDC85_0000; // ld a1, 0(a0)

    function test_selectors_matchSpec() external pure {
        vm.assertEq(uint32(bytes4(keccak256("InvalidExitedValue()"))), uint32(INVALID_EXITED_VALUE), "exited");
        vm.assertEq(uint32(bytes4(keccak256("InvalidMemoryProof()"))), uint32(INVALID_MEMORY_PROOF), "proof");
        vm.assertEq(uint32(bytes4(keccak256("InvalidSecondMemoryProof()"))), uint32(INVALID_SECOND_MEMORY_PROOF), "2nd");
        vm.assertEq(uint32(bytes4(keccak256("InvalidPC()"))), uint32(INVALID_PC), "pc");
        vm.assertEq(uint32(bytes4(keccak256("UnsupportedStateVersion()"))), uint32(UNSUPPORTED_STATE_VERSION), "ver");
        vm.assertEq(uint32(bytes4(keccak256("oracle()"))), 0x7dc0d1d0, "oracle()");
        vm.assertEq(uint32(bytes4(keccak256("stateVersion()"))), 0x1219a4e4, "stateVersion()");
        vm.assertEq(uint32(Insn.i(0x37, A0, A1, 0)), LD, "ld encoding");
    }

    // ------------------------------------------------------------ constructor / getters

    function test_constructor_rejectsStateVersionsOtherThan8() external {
        uint256[5] memory bad = [uint256(7), 9, 0, 6, type(uint256).max];
        for (uint256 i = 0; i < bad.length; i++) {
            vm.expectRevert(UNSUPPORTED_STATE_VERSION);
            new MIPS64(IPreimageOracle(address(oracle)), bad[i]);
        }
    }

    function test_getters_returnOracleAndVersion8() external view {
        vm.assertEq(mips.stateVersion(), 8, "stateVersion");
        vm.assertEq(mips.oracle(), address(oracle), "oracle");
    }

    // ------------------------------------------------------------ ABI offsets (empty revert data)

    function _state(Machine memory m) internal pure returns (bytes memory) {
        _seal(m);
        return MTCodec.encodeState(m.s);
    }

    function test_abi_nonStandardStateOffsetRevertsEmpty() external {
        Machine memory m = _aluMachine(ADDU, 1, 2);
        bytes memory proof = _proofData(m, "", "");
        bytes memory state = _state(m);
        // A valid ABI encoding with one spare word before the state: offsets 0x80 and 0x160.
        bytes memory cd = abi.encodePacked(
            StepCalldata.STEP_SELECTOR, uint256(0x80), uint256(0x160), LOCAL_CONTEXT, uint256(0), uint256(188), state
        );
        cd = abi.encodePacked(cd, new bytes(4), uint256(proof.length), proof, new bytes(22));
        vm.assertEq(keccak256(abi.decode(_slice(cd, 4), (bytes))), keccak256(state), "decodes to the same state");
        _cdRevertsEmpty(cd);
    }

    function test_abi_nonStandardProofOffsetRevertsEmpty() external {
        Machine memory m = _aluMachine(ADDU, 1, 2);
        bytes memory proof = _proofData(m, "", "");
        bytes memory cd = abi.encodePacked(
            StepCalldata.STEP_SELECTOR, uint256(0x60), uint256(0x160), LOCAL_CONTEXT, uint256(188), _state(m)
        );
        cd = abi.encodePacked(cd, new bytes(4), uint256(0), uint256(proof.length), proof, new bytes(22));
        _cdRevertsEmpty(cd);
    }

    function test_abi_garbageOffsetRevertsEmpty() external {
        Machine memory m = _aluMachine(ADDU, 1, 2);
        bytes memory cd = _calldata(m, "", "");
        cd[35] = 0xFF; // proof offset 0x1FF... past the end
        cd[34] = 0xFF;
        _cdRevertsEmpty(cd);
    }

    // ------------------------------------------------------------ state checks

    function test_exitedByte_aboveOneReverts() external {
        uint8[3] memory vals = [uint8(2), 0x80, 0xFF];
        for (uint256 i = 0; i < vals.length; i++) {
            Machine memory m = _aluMachine(ADDU, 1, 2);
            m.s.exited = vals[i];
            _revertsWithError(m, "", "", INVALID_EXITED_VALUE);
        }
    }

    function test_activeStack_emptyReverts() external {
        Machine memory m = _aluMachine(ADDU, 1, 2);
        m.right = m.left;
        m.left = _empty();
        _revertsWith(m, "", "", "MIPS64: active thread stack is empty");
        m.s.traverseRight = 1;
        m.left = m.right;
        m.right = _empty();
        _revertsWith(m, "", "", "MIPS64: active thread stack is empty");
    }

    // ------------------------------------------------------------ thread witness

    /// @notice Step calldata whose `_proof` is the first `len` bytes of the full proof (ABI-correct).
    function _truncatedProof(Machine memory m, bytes memory s1, bytes memory s2, uint256 len)
        internal
        pure
        returns (bytes memory)
    {
        bytes memory p = _proofData(m, s1, s2);
        bytes memory state = _state(m);
        return StepCalldata.encode(state, _slice(p, 0, len), LOCAL_CONTEXT);
    }

    function test_threadWitness_insufficientCalldataReverts() external {
        // Padded calldata stays below 356 + 330 for proofs of up to 320 bytes.
        uint256[4] memory lens = [uint256(0), 100, 298, 320];
        for (uint256 i = 0; i < lens.length; i++) {
            Machine memory m = _aluMachine(ADDU, 1, 2);
            _cdRevertsWith(_truncatedProof(m, "", "", lens[i]), "MIPS64: insufficient calldata for thread witness");
        }
    }

    function test_threadWitness_flippedThreadByteReverts() external {
        uint256[4] memory offs = [uint256(0), 10, 297, 42 + 8 * 2 + 7];
        for (uint256 i = 0; i < offs.length; i++) {
            Machine memory m = _aluMachine(ADDU, 1, 2);
            bytes memory cd = _calldata(m, "", "");
            cd[StepCalldata.THREAD_OFFSET + offs[i]] ^= 0x01;
            _cdRevertsWith(cd, "MIPS64: invalid thread witness");
        }
    }

    function test_threadWitness_flippedInnerRootReverts() external {
        Machine memory m = _aluMachine(ADDU, 1, 2);
        bytes memory cd = _calldata(m, "", "");
        cd[StepCalldata.INNER_ROOT_OFFSET + 31] ^= 0x80;
        _cdRevertsWith(cd, "MIPS64: invalid thread witness");
    }

    function test_threadWitness_threadBelowTopReverts() external {
        // Witness of the bottom thread of a two-thread stack instead of the top one.
        Machine memory m = _aluMachine(ADDU, 1, 2);
        Thread memory t1 = _copyThread(_t(m));
        t1.id = 1;
        m.left = _stack(_t(m), t1);
        m.s.nextThreadID = 2;
        _seal(m);
        bytes memory p = StepCalldata.proofData(
            MTCodec.encodeThread(m.left[0]), MTCodec.EMPTY_THREAD_ROOT, _proof(m, PC), "", ""
        );
        _cdRevertsWith(StepCalldata.encode(MTCodec.encodeState(m.s), p, LOCAL_CONTEXT), "MIPS64: invalid thread witness");
    }

    // ------------------------------------------------------------ memory proofs

    function test_memoryProof_slot0MissingReverts() external {
        Machine memory m = _aluMachine(ADDU, 1, 2);
        _cdRevertsWith(_truncatedProof(m, "", "", 330 + 1000), "MIPS64Memory: check that there is enough calldata");
    }

    function test_memoryProof_slot1MissingReverts() external {
        Machine memory m = _aluMachine(LD, 0x2000, 0);
        _cdRevertsWith(
            _truncatedProof(m, _proof(m, 0x2000), "", 330 + 1920 + 1000),
            "MIPS64Memory: check that there is enough calldata"
        );
    }

    function test_memoryProof_slot2MissingReverts() external {
        Machine memory m = _aluMachine(Insn.SYSCALL, 1, 0x2000);
        _t(m).r[V0] = 5222; // clock_gettime(MONOTONIC, 0x2000)
        _cdRevertsWith(
            _truncatedProof(m, _proof(m, 0x2000), _proof(m, 0x2008), 330 + 3840 + 1000),
            "MIPS64Memory: check that there is enough calldata"
        );
    }

    function test_memoryProof_onlyUsedSlotsNeeded() external {
        // thread + slot 0 (2250 bytes) is enough for an ALU step; trailing bytes are ignored.
        Machine memory m = _aluMachine(ADDU, 1, 2);
        Machine memory e = _next(m);
        _t(e).r[V0] = 3;
        _seal(e);
        (, bytes memory w) = _call(_truncatedProof(m, "", "", 2250));
        vm.assertEq(w, MTCodec.encodeState(e.s), "short proof");
        bytes memory longer = abi.encodePacked(_proofData(m, "", ""), new bytes(100));
        (, w) = _call(StepCalldata.encode(_state(m), longer, LOCAL_CONTEXT));
        vm.assertEq(w, MTCodec.encodeState(e.s), "long proof");
    }

    function test_memoryProof_slot0FlippedReverts() external {
        uint256[3] memory offs = [uint256(3), 32 + 5, 1919]; // leaf (instruction word), lowest sibling, top sibling
        for (uint256 i = 0; i < offs.length; i++) {
            Machine memory m = _aluMachine(ADDU, 1, 2);
            bytes memory cd = _calldata(m, "", "");
            cd[StepCalldata.SLOT0_OFFSET + offs[i]] ^= 0x04;
            _cdRevertsWithError(cd, INVALID_MEMORY_PROOF);
        }
    }

    function test_memoryProof_slot1FlippedReverts() external {
        Machine memory m = _aluMachine(LD, 0x2000, 0);
        bytes memory cd = _calldata(m, _proof(m, 0x2000), "");
        cd[StepCalldata.SLOT1_OFFSET + 40] ^= 0x01;
        _cdRevertsWithError(cd, INVALID_MEMORY_PROOF);
    }

    function test_memoryProof_slot1AllZeroReverts() external {
        Machine memory m = _aluMachine(LD, 0x2000, 0);
        _setWord(m, 0x2000, 1); // non-empty memory: an all-zero proof cannot match
        _revertsWithError(m, "", "", INVALID_MEMORY_PROOF);
    }

    function test_memoryProof_slot1ForOtherAddressReverts() external {
        Machine memory m = _aluMachine(LD, 0x2000, 0);
        _setWord(m, 0x2000, 1);
        _setWord(m, 0x4000, 2);
        _revertsWithError(m, _proof(m, 0x4000), "", INVALID_MEMORY_PROOF);
    }

    function test_memoryProof_staleProofAfterMemoryChangeReverts() external {
        Machine memory m = _aluMachine(LD, 0x2000, 0);
        bytes memory stale = _proof(m, 0x2000);
        _setWord(m, 0x3000, 7); // root changes after the proof was taken
        _revertsWithError(m, stale, "", INVALID_MEMORY_PROOF);
    }

    // ------------------------------------------------------------ pc

    function test_pc_misalignedReverts() external {
        uint64[3] memory pcs = [uint64(0x1001), 0x1002, 0x1003];
        for (uint256 i = 0; i < pcs.length; i++) {
            Machine memory m = _aluMachine(ADDU, 1, 2);
            _t(m).pc = pcs[i];
            _t(m).nextPC = pcs[i] + 4;
            _revertsWithError(m, "", "", INVALID_PC);
        }
    }

    // ------------------------------------------------------------ invalid instructions

    function _invalid(uint32 insn, bytes memory s1) internal {
        Machine memory m = _aluMachine(insn, 0x2000, 0x2000);
        _revertsWith(m, s1, "", "MIPS64: invalid instruction");
    }

    function test_invalid_specialFuncts() external {
        uint8[17] memory f =
            [uint8(0x01), 0x05, 0x0D, 0x0E, 0x15, 0x28, 0x29, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x39, 0x3D];
        for (uint256 i = 0; i < f.length; i++) {
            _invalid(Insn.r(A0, A1, V0, 0, f[i]), "");
        }
    }

    function test_invalid_special2Functs() external {
        uint8[8] memory f = [uint8(0x00), 0x01, 0x03, 0x04, 0x05, 0x22, 0x26, 0x3F];
        for (uint256 i = 0; i < f.length; i++) {
            _invalid(Insn.sp2(A0, A1, V0, f[i]), "");
        }
    }

    function test_invalid_primaryOpcodesBelow0x20() external {
        // COP0, COP1, COP2, COP1X, BEQL, BNEL, BLEZL, BGTZL, JALX, MSA, SPECIAL3 (e.g. EXT/SEB/RDHWR)
        uint8[11] memory ops = [uint8(0x10), 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x1D, 0x1E, 0x1F];
        for (uint256 i = 0; i < ops.length; i++) {
            _invalid(Insn.i(ops[i], A0, A1, 0x10), "");
        }
        _invalid(0x7C05_1420, ""); // seb v0, a1
        _invalid(0x7C02_E83B, ""); // rdhwr v0, $29
    }

    function test_invalid_memoryOpcodesWithValidDataProof() external {
        // CACHE, LWC1, LWC2, PREF, LDC1, LDC2, SWC1, SWC2, 0x3B, SDC1, 0x3E: EA = 0x2000 + 8
        uint8[11] memory ops = [uint8(0x2F), 0x31, 0x32, 0x33, 0x35, 0x36, 0x39, 0x3A, 0x3B, 0x3D, 0x3E];
        for (uint256 i = 0; i < ops.length; i++) {
            Machine memory m = _aluMachine(Insn.i(ops[i], A0, A1, 8), 0x2000, 0);
            _revertsWith(m, _proof(m, 0x2008), "", "MIPS64: invalid instruction");
        }
    }

    function test_invalid_memoryOpcodeReadsDataProofFirst() external {
        // spec §5.1: for op >= 0x20 the data word is read (and its proof checked) before decoding.
        Machine memory m = _aluMachine(Insn.i(0x33, A0, A1, 0), 0x2000, 0); // pref
        _setWord(m, 0x2000, 1);
        _revertsWithError(m, "", "", INVALID_MEMORY_PROOF);
    }

    function _slice(bytes memory b, uint256 from) internal pure returns (bytes memory) {
        return _slice(b, from, b.length - from);
    }

    function _slice(bytes memory b, uint256 from, uint256 len) internal pure returns (bytes memory out) {
        out = new bytes(len);
        for (uint256 i = 0; i < len; i++) {
            out[i] = b[from + i];
        }
    }
}
