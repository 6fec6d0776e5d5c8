// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StepTestBase, Machine} from "./helpers/StepTestBase.sol";
import {MTCodec, Thread} from "./helpers/MTCodec.sol";
import {StepCalldata} from "./helpers/StepCalldata.sol";
import {Insn} from "./helpers/Insn.sol";

/// @notice Scheduler paths (spec §4, §7.2 clone/exit/yield/futex, §12.4/§12.5/§12.6).
///         Thread i runs at 0x1000 + 0x100·i; the executing thread's instruction is placed there.
contract SchedulerTest is StepTestBase {
    uint64 internal constant QUANTUM = 100_000;
    uint64 internal constant M0 = 0x8192_A3B4_C5D6_E7F8;
    uint32 internal constant ADDIU_V0 = 0x2442_0001; // addiu v0, v0, 1

    function _th(uint64 id) internal pure returns (Thread memory t) {
        t = _thread(id, 0x1000 + 0x100 * id);
        t.r[V0] = 0x100 + id; // distinct contents per thread
        t.r[SP] = 0x7000 + id;
    }

    function _sched(Thread[] memory left, Thread[] memory right, uint8 traverseRight)
        internal
        pure
        returns (Machine memory m)
    {
        m.left = left;
        m.right = right;
        m.s.traverseRight = traverseRight;
        m.s.heap = HEAP_START;
        m.s.nextThreadID = 10;
        m.s.step = 1000;
        m.s.stepsSince = 55;
        for (uint256 i = 0; i < 10; i++) {
            _putInsn(m.mem, uint64(0x1000 + 0x100 * i), ADDIU_V0);
        }
    }

    /// @notice `st` without its top element.
    function _popped(Thread[] memory st) internal pure returns (Thread[] memory out) {
        out = new Thread[](st.length - 1);
        for (uint256 i = 0; i < out.length; i++) {
            out[i] = st[i];
        }
    }

    /// @notice `st` with `t` pushed on top.
    function _pushed(Thread[] memory st, Thread memory t) internal pure returns (Thread[] memory out) {
        out = new Thread[](st.length + 1);
        for (uint256 i = 0; i < st.length; i++) {
            out[i] = st[i];
        }
        out[st.length] = t;
    }

    /// @notice Expected state after the bookkeeping shared by pop and forced preemption.
    function _switched(Machine memory m) internal pure returns (Machine memory e) {
        e = _copy(m);
        e.s.step += 1;
        e.s.stepsSince = 0;
    }

    // ------------------------------------------------------------ exited VM

    function test_exitedVm_stateUnchangedStillLogged() external {
        uint8[3] memory codes = [uint8(0), 1, 9];
        for (uint256 i = 0; i < 3; i++) {
            Machine memory m = _sched(_stack(_th(0)), _empty(), 0);
            m.s.exited = 1;
            m.s.exitCode = codes[i];
            _checkStep(m, _copy(m)); // no step increment; status tag checked by the runner
        }
    }

    function test_exitedVm_needsNoThreadWitnessOrProofs() external {
        Machine memory m = _sched(_stack(_th(0)), _empty(), 0);
        m.s.exited = 1;
        _seal(m);
        bytes memory w = MTCodec.encodeState(m.s);
        // All-zero proof: no thread witness, no memory proofs.
        (, bytes memory post) = _call(StepCalldata.encode(w, new bytes(6090), LOCAL_CONTEXT));
        vm.assertEq(post, w, "post-state");
    }

    function test_exitedVm_emptyActiveStackFailsPostCheck() external {
        Machine memory m = _sched(_empty(), _empty(), 0);
        m.s.exited = 1;
        _revertsWith(m, "", "", "MIPS64: post-state active thread stack is empty");
    }

    // ------------------------------------------------------------ pop

    function test_pop_exitedThreadRemovedCounterReset() external {
        Thread memory t1 = _th(1);
        t1.exited = 1;
        t1.exitCode = 3;
        Machine memory m = _sched(_stack(_th(0), t1), _empty(), 0);
        Machine memory e = _switched(m);
        e.left = _popped(e.left);
        _checkStep(m, e);
    }

    function test_pop_lastOnLeftFlipsToRight() external {
        Thread memory t1 = _th(1);
        t1.exited = 1;
        Machine memory m = _sched(_stack(t1), _stack(_th(0)), 0);
        Machine memory e = _switched(m);
        e.left = _empty();
        e.s.traverseRight = 1;
        _checkStep(m, e);
    }

    function test_pop_lastOnRightFlipsToLeft() external {
        Thread memory t2 = _th(2);
        t2.exited = 1;
        Machine memory m = _sched(_stack(_th(0)), _stack(t2), 1);
        Machine memory e = _switched(m);
        e.right = _empty();
        e.s.traverseRight = 0;
        _checkStep(m, e);
    }

    function test_pop_happensEvenAtQuantum() external {
        Thread memory t1 = _th(1);
        t1.exited = 1;
        Machine memory m = _sched(_stack(_th(0), t1), _empty(), 0);
        m.s.stepsSince = QUANTUM;
        Machine memory e = _switched(m);
        e.left = _popped(e.left);
        _checkStep(m, e);
    }

    function test_pop_lastThreadOverallReverts() external {
        Thread memory t0 = _th(0);
        t0.exited = 1;
        Machine memory m = _sched(_stack(t0), _empty(), 0);
        _revertsWith(m, "", "", "MIPS64: post-state active thread stack is empty");
    }

    function test_exitedThreadBelowTop_topRunsNormally() external {
        Thread memory t0 = _th(0);
        t0.exited = 1;
        Machine memory m = _sched(_stack(t0, _th(1)), _empty(), 0);
        Machine memory e = _next(m);
        _t(e).r[V0] = 0x102;
        _checkStep(m, e);
    }

    // ------------------------------------------------------------ forced preemption

    function test_preempt_atExactlyQuantumMovesTopToOtherStack() external {
        Machine memory m = _sched(_stack(_th(0), _th(1)), _empty(), 0);
        m.s.stepsSince = QUANTUM;
        Machine memory e = _switched(m);
        e.left = _stack(_th(0));
        e.right = _stack(_th(1)); // unchanged thread: no instruction ran
        _checkStep(m, e);
    }

    function test_preempt_oneBelowQuantumStillExecutes() external {
        Machine memory m = _sched(_stack(_th(0), _th(1)), _empty(), 0);
        m.s.stepsSince = QUANTUM - 1;
        Machine memory e = _next(m);
        _t(e).r[V0] = 0x102;
        assert(e.s.stepsSince == QUANTUM);
        _checkStep(m, e);
    }

    function test_preempt_aboveQuantum() external {
        Machine memory m = _sched(_stack(_th(0), _th(1)), _empty(), 0);
        m.s.stepsSince = 2 * QUANTUM;
        Machine memory e = _switched(m);
        e.left = _stack(_th(0));
        e.right = _stack(_th(1));
        _checkStep(m, e);
    }

    function test_preempt_singleThreadFlipsAndStaysActive() external {
        Machine memory m = _sched(_stack(_th(0)), _empty(), 0);
        m.s.stepsSince = QUANTUM;
        Machine memory e = _switched(m);
        e.left = _empty();
        e.right = _stack(_th(0));
        e.s.traverseRight = 1;
        _checkStep(m, e);
    }

    function test_preempt_fromRightPushesOnTopOfLeft() external {
        Machine memory m = _sched(_stack(_th(0), _th(1)), _stack(_th(2), _th(3)), 1);
        m.s.stepsSince = QUANTUM;
        Machine memory e = _switched(m);
        e.right = _stack(_th(2));
        e.left = _stack(_th(0), _th(1), _th(3));
        _checkStep(m, e);
    }

    function test_preempt_keepsReservation() external {
        Machine memory m = _sched(_stack(_th(0), _th(1)), _empty(), 0);
        m.s.stepsSince = QUANTUM;
        m.s.llStatus = 1;
        m.s.llAddress = 0x2004;
        m.s.llOwner = 1;
        Machine memory e = _switched(m);
        e.left = _stack(_th(0));
        e.right = _stack(_th(1));
        _checkStep(m, e);
    }

    // ------------------------------------------------------------ yielding syscalls

    function _syscallOn(Machine memory m, uint64 num, uint64 a0, uint64 a1, uint64 a2) internal pure {
        Thread memory t = _t(m);
        _putInsn(m.mem, t.pc, Insn.SYSCALL);
        t.r[V0] = num;
        t.r[A0] = a0;
        t.r[A1] = a1;
        t.r[A2] = a2;
        t.r[A3] = SENTINEL;
    }

    /// @notice The active thread returns 0/0, advances, and moves to the top of the other stack.
    function _yielded(Machine memory m) internal pure returns (Machine memory e) {
        e = _next(m);
        Thread memory t = _copyThread(_t(e));
        t.r[V0] = 0;
        t.r[A3] = 0;
        e.s.stepsSince = 0;
        if (e.s.traverseRight == 0) {
            e.left = _popped(e.left);
            e.right = _pushed(e.right, t);
            if (e.left.length == 0) e.s.traverseRight = 1;
        } else {
            e.right = _popped(e.right);
            e.left = _pushed(e.left, t);
            if (e.right.length == 0) e.s.traverseRight = 0;
        }
    }

    function test_schedYield_movesThreadToOtherStack() external {
        Machine memory m = _sched(_stack(_th(0), _th(1)), _stack(_th(2)), 0);
        _syscallOn(m, 5023, 0, 0, 0);
        Machine memory e = _yielded(m);
        assert(e.left.length == 1 && e.right.length == 2 && e.s.traverseRight == 0);
        _checkStep(m, e);
    }

    function test_schedYield_singleThreadFlips() external {
        Machine memory m = _sched(_stack(_th(0)), _empty(), 0);
        _syscallOn(m, 5023, 0, 0, 0);
        Machine memory e = _yielded(m);
        assert(e.left.length == 0 && e.right.length == 1 && e.s.traverseRight == 1);
        _checkStep(m, e);
    }

    function test_nanosleep_behavesLikeYield() external {
        Machine memory m = _sched(_stack(_th(0)), _stack(_th(4), _th(5)), 1);
        _syscallOn(m, 5034, 0x2000, 0x2000, 0);
        _checkStep(m, _yielded(m));
    }

    function test_futexWake_yieldsWithoutMemory() external {
        Machine memory m = _sched(_stack(_th(0), _th(1)), _empty(), 0);
        _syscallOn(m, 5194, 0x2000, 129, 1);
        _checkStep(m, _yielded(m));
    }

    function test_futexWait_valueEqualInLow32BitsYields() external {
        Machine memory m = _sched(_stack(_th(0), _th(1)), _empty(), 0);
        _setWord(m, 0x2000, M0);
        _syscallOn(m, 5194, 0x2006, 128, 0xFFFF_FFFF_C5D6_E7F8); // A = 0x2004 → 0xC5D6E7F8
        _checkStepAt(m, _yielded(m), 0x2000);
    }

    function test_futexWait_highWordOfBuffer() external {
        Machine memory m = _sched(_stack(_th(0)), _empty(), 0);
        _setWord(m, 0x2000, M0);
        _syscallOn(m, 5194, 0x2003, 128, 0x8192_A3B4); // A = 0x2000
        _checkStepAt(m, _yielded(m), 0x2000);
    }

    function test_futexWait_mismatchFailsEagainWithoutYield() external {
        Machine memory m = _sched(_stack(_th(0), _th(1)), _empty(), 0);
        _setWord(m, 0x2000, M0);
        _syscallOn(m, 5194, 0x2004, 128, 0xC5D6_E7F9);
        Machine memory e = _next(m);
        _t(e).r[V0] = 0xB;
        _t(e).r[A3] = MINUS_ONE;
        _checkStepAt(m, e, 0x2000);
    }

    function test_futex_otherOpsFailEinval() external {
        uint64[4] memory ops = [uint64(0), 1, 0x180, 130];
        for (uint256 i = 0; i < ops.length; i++) {
            Machine memory m = _sched(_stack(_th(0), _th(1)), _empty(), 0);
            _syscallOn(m, 5194, 0x2000, ops[i], 0);
            Machine memory e = _next(m);
            _t(e).r[V0] = 0x16;
            _t(e).r[A3] = MINUS_ONE;
            _checkStep(m, e);
        }
    }

    // ------------------------------------------------------------ clone

    function test_clone_pushesChildOnActiveStack() external {
        Machine memory m = _sched(_stack(_th(0)), _stack(_th(2)), 0);
        m.s.nextThreadID = 5;
        Thread memory p = _t(m);
        _syscallOn(m, 5055, 0x0005_0F00, 0x7000_0000, 0x33);
        p.hi = 0x4848;
        p.lo = 0x4C4C;
        p.r[9] = 0x0909;
        p.r[SP] = 0x1234;
        p.r[RA] = 0x3131;

        Machine memory e = _next(m);
        Thread memory parent = _t(e);
        Thread memory child = _copyThread(_t(m)); // pre-syscall registers
        parent.r[V0] = 5;
        parent.r[A3] = 0;
        child.id = 5;
        child.pc = 0x1004;
        child.nextPC = 0x1008;
        child.r[SP] = 0x7000_0000;
        child.r[V0] = 0;
        child.r[A3] = 0;
        e.left = _pushed(e.left, child);
        e.s.nextThreadID = 6;
        e.s.stepsSince = 0;
        _checkStep(m, e);
    }

    function test_clone_onRightStack() external {
        Machine memory m = _sched(_stack(_th(0)), _stack(_th(2)), 1);
        m.s.nextThreadID = 0x1_0000_0000;
        _syscallOn(m, 5055, 0x0005_0F00, 0x8000, 0);
        Machine memory e = _next(m);
        Thread memory child = _copyThread(_t(m));
        _t(e).r[V0] = 0x1_0000_0000;
        _t(e).r[A3] = 0;
        child.id = 0x1_0000_0000;
        child.pc = 0x1204;
        child.nextPC = 0x1208;
        child.r[SP] = 0x8000;
        child.r[V0] = 0;
        child.r[A3] = 0;
        e.right = _pushed(e.right, child);
        e.s.nextThreadID = 0x1_0000_0001;
        e.s.stepsSince = 0;
        _checkStep(m, e);
    }

    // ------------------------------------------------------------ exit / exit_group

    function test_exit_lastThreadExitsVm() external {
        Machine memory m = _sched(_stack(_th(0)), _empty(), 0);
        _syscallOn(m, 5058, 0x12A, 0, 0);
        Machine memory e = _nextNoPC(m);
        _t(e).exited = 1;
        _t(e).exitCode = 0x2A;
        e.s.exited = 1;
        e.s.exitCode = 0x2A;
        _checkStep(m, e);
    }

    function test_exit_withThreadBelowOnlyExitsThread() external {
        Machine memory m = _sched(_stack(_th(0), _th(1)), _empty(), 0);
        _syscallOn(m, 5058, 1, 0, 0);
        Machine memory e = _nextNoPC(m);
        _t(e).exited = 1;
        _t(e).exitCode = 1;
        _checkStep(m, e);
    }

    function test_exit_withThreadOnOtherStackOnlyExitsThread() external {
        Machine memory m = _sched(_stack(_th(1)), _stack(_th(0)), 0);
        _syscallOn(m, 5058, 0, 0, 0);
        Machine memory e = _nextNoPC(m);
        _t(e).exited = 1;
        _checkStep(m, e);
    }

    function test_exitGroup_withManyThreadsExitsVmOnly() external {
        Machine memory m = _sched(_stack(_th(0), _th(1)), _stack(_th(2)), 0);
        _syscallOn(m, 5205, 3, 0, 0);
        Machine memory e = _nextNoPC(m);
        e.s.exited = 1;
        e.s.exitCode = 3;
        _checkStep(m, e);
    }
}
