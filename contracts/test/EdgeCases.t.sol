// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StepTestBase, Machine} from "./helpers/StepTestBase.sol";
import {MTCodec, Thread} from "./helpers/MTCodec.sol";
import {StepCalldata} from "./helpers/StepCalldata.sol";
import {Insn} from "./helpers/Insn.sol";

/// @notice Edge cases across classes: 64-bit wrap of pc arithmetic, syscall arguments compared
///         on all 64 bits, raw flag bytes of crafted witnesses (spec §12.6), `_stateData`
///         lengths other than 188 (§12.21), huge I/O counts.
contract EdgeCasesTest is StepTestBase {
    uint64 internal constant TOP = 0xFFFF_FFFF_FFFF_FFFC; // last instruction slot of the address space

    // ------------------------------------------------------------ pc arithmetic wraps at 2^64

    function test_pcWrap_aluAtLastSlotContinuesAtZero() external {
        Machine memory m = _aluMachine(Insn.r(A0, A1, V0, 0, 0x21), 1, 2);
        _movePc(m, TOP);
        Machine memory e = _next(m); // pc' = nextPC = 0, nextPC' = 4
        _t(e).r[V0] = 3;
        assert(_t(e).pc == 0 && _t(e).nextPC == 4);
        _checkStep(m, e);
    }

    function test_pcWrap_branchAtLastSlotIsNotInDelaySlot() external {
        // nextPC = 0 = pc + 4 (mod 2^64): not a delay slot; target = pc + 4 + 0x40 = 0x40.
        Machine memory m = _aluMachine(Insn.i(0x04, A0, A1, 0x10), 5, 5);
        _movePc(m, TOP);
        Machine memory e = _next(m);
        _t(e).nextPC = 0x40;
        _checkStep(m, e);
    }

    function test_pcWrap_notTakenBranchAtLastSlot() external {
        Machine memory m = _aluMachine(Insn.i(0x05, A0, A1, 0x10), 5, 5);
        _movePc(m, TOP);
        Machine memory e = _next(m);
        _t(e).nextPC = 4;
        _checkStep(m, e);
    }

    function test_pcWrap_jalLinkWraps() external {
        // jal at 2^64 - 8: link = pc + 8 = 0; region from the delay slot 2^64 - 4.
        Machine memory m = _aluMachine(Insn.j(0x03, 0x40), 0, 0);
        _movePc(m, TOP - 4);
        Machine memory e = _next(m);
        _t(e).nextPC = 0xFFFF_FFFF_F000_0100;
        _t(e).r[RA] = 0;
        _checkStep(m, e);
    }

    function test_pcWrap_bgezalLinkWraps() external {
        Machine memory m = _aluMachine(Insn.i(0x01, 0, 0x11, 0xFFFF), 0, 0); // bal -1
        _movePc(m, TOP - 4);
        Machine memory e = _next(m);
        _t(e).nextPC = TOP - 4; // (2^64 - 8) + 4 - 4
        _t(e).r[RA] = 0;
        _checkStep(m, e);
    }

    function test_pcWrap_syscallAtLastSlot() external {
        Machine memory m = _aluMachine(Insn.SYSCALL, 0, 0);
        _t(m).r[V0] = 5038; // getpid
        _movePc(m, TOP);
        Machine memory e = _next(m);
        _t(e).r[V0] = 0;
        _t(e).r[A3] = 0;
        _checkStep(m, e);
    }

    function _movePc(Machine memory m, uint64 pc) internal pure {
        uint32 insn = uint32(_word(m, PC & ~uint64(7)) >> 32);
        Thread memory t = _t(m);
        t.pc = pc;
        unchecked {
            t.nextPC = pc + 4;
        }
        _putInsn(m.mem, PC, 0);
        _putInsn(m.mem, pc, insn);
    }

    // ------------------------------------------------------------ arguments compared on 64 bits

    function _sys(uint64 num, uint64 a0, uint64 a1, uint64 a2) internal pure returns (Machine memory m) {
        m = _machine(Insn.SYSCALL);
        Thread memory t = _t(m);
        t.r[V0] = num;
        t.r[A0] = a0;
        t.r[A1] = a1;
        t.r[A2] = a2;
        t.r[A3] = SENTINEL;
        _setWord(m, 0x2000, 0x0102_0304_0506_0708);
    }

    function _checkErr(Machine memory m, uint64 errno) internal {
        Machine memory e = _next(m);
        _t(e).r[V0] = errno;
        _t(e).r[A3] = MINUS_ONE;
        _checkStep(m, e);
    }

    function test_fd_upperBitsMakeItUnknown() external {
        _checkErr(_sys(5000, 0x1_0000_0005, 0x2000, 8), 0x9); // read: not the preimage fd
        _checkErr(_sys(5001, 0x1_0000_0001, 0x2000, 8), 0x9); // write: not stdout
        _checkErr(_sys(5000, 0x1_0000_0064, 0x2000, 8), 0x9); // not the eventfd either
    }

    function test_fcntl_cmdUpperBitsMakeItUnknown() external {
        _checkErr(_sys(5070, 0, 0x1_0000_0001, 0), 0x16);
    }

    function test_futex_opUpperBitsMakeItUnknown() external {
        _checkErr(_sys(5194, 0x2000, 0x1_0000_0080, 0), 0x16);
        _checkErr(_sys(5194, 0x2000, 0x1_0000_0081, 0), 0x16);
    }

    function test_clockGettime_clockUpperBitsMakeItUnknown() external {
        _checkErr(_sys(5222, 0x1_0000_0001, 0x2000, 0), 0x16);
    }

    function test_clone_flagsUpperBitsPanic() external {
        Machine memory m = _sys(5055, 0x1_0005_0F00, 0x7000, 0);
        Machine memory e = _nextNoPC(m);
        e.s.exited = 1;
        e.s.exitCode = 2;
        _checkStep(m, e);
    }

    function test_exit_codeTakesLowByteOnly() external {
        Machine memory m = _sys(5058, 0x100, 0, 0);
        Machine memory e = _nextNoPC(m);
        _t(e).exited = 1;
        e.s.exited = 1; // exit code 0: status Valid
        _checkStep(m, e);
    }

    function test_preimageKeyWrite_hugeCountTruncatedToWord() external {
        Machine memory m = _sys(5001, 6, 0x2000, MINUS_ONE);
        m.s.preimageKey = 0;
        Machine memory e = _next(m);
        _t(e).r[V0] = 8;
        _t(e).r[A3] = 0;
        e.s.preimageKey = bytes32(uint256(0x0102_0304_0506_0708));
        e.s.preimageOffset = 0;
        _checkStepAt(m, e, 0x2000);
    }

    function test_preimageRead_hugeCountTruncated() external {
        bytes memory data = hex"AABBCCDDEEFF0011";
        oracle.loadKeccak256PreimagePart(8, data);
        Machine memory m = _sys(5000, 5, 0x2004, MINUS_ONE);
        m.s.preimageKey = bytes32((uint256(keccak256(data)) & (type(uint256).max >> 8)) | (2 << 248));
        m.s.preimageOffset = 8;
        Machine memory e = _next(m);
        _t(e).r[V0] = 4;
        _t(e).r[A3] = 0;
        e.s.preimageOffset = 12;
        _setWord(e, 0x2000, 0x0102_0304_AABB_CCDD);
        _checkStepAt(m, e, 0x2000);
    }

    // ------------------------------------------------------------ crafted flag bytes (spec §12.6)

    function test_threadExitedByteTwo_isPoppedLikeExited() external {
        Machine memory m = _aluMachine(Insn.NOP, 0, 0);
        Thread memory t1 = _copyThread(_t(m));
        t1.id = 1;
        t1.exited = 2;
        m.left = _stack(_t(m), t1);
        m.s.nextThreadID = 2;
        Machine memory e = _copy(m);
        e.s.step += 1;
        e.s.stepsSince = 0;
        e.left = _stack(e.left[0]);
        _checkStep(m, e);
    }

    function test_traverseRightByteTwo_selectsRightAndIsKept() external {
        Machine memory m = _aluMachine(Insn.r(A0, A1, V0, 0, 0x21), 1, 2);
        m.right = m.left;
        m.left = _stack(_thread(5, 0x8000));
        m.s.nextThreadID = 6;
        m.s.traverseRight = 2;
        Machine memory e = _next(m);
        _t(e).r[V0] = 3;
        _checkStep(m, e);
    }

    // ------------------------------------------------------------ _stateData length (spec §12.21)

    function test_stateDataLength_189To192ReadAs188() external {
        Machine memory m = _aluMachine(Insn.r(A0, A1, V0, 0, 0x21), 1, 2);
        Machine memory e = _next(m);
        _t(e).r[V0] = 3;
        _seal(m);
        _seal(e);
        bytes memory proof = _proofData(m, "", "");
        for (uint256 extra = 1; extra <= 4; extra++) {
            bytes memory state = abi.encodePacked(MTCodec.encodeState(m.s), new bytes(extra));
            state[188] = 0xFF; // trailing bytes are ignored
            (, bytes memory w) = _call(StepCalldata.encode(state, proof, LOCAL_CONTEXT));
            vm.assertEq(w, MTCodec.encodeState(e.s), "post-state");
        }
    }
}
