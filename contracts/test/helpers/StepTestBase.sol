// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TestBase, Vm} from "./TestBase.sol";
import {MTCodec, State, Thread} from "./MTCodec.sol";
import {SparseMemory, Mem} from "./SparseMemory.sol";
import {StepCalldata} from "./StepCalldata.sol";
import {Insn} from "./Insn.sol";
import {IMIPS64Step, IOracle} from "./Interfaces.sol";
import {MIPS64} from "../../src/MIPS64.sol";
import {PreimageOracle} from "../../src/PreimageOracle.sol";
import {IPreimageOracle} from "../../src/interfaces/IPreimageOracle.sol";

/// @notice A whole VM as a test sees it: the witness fields, both thread stacks (bottom first)
///         and the sparse memory. `s.memRoot`, `s.left` and `s.right` are derived by `_seal`.
struct Machine {
    State s;
    Thread[] left;
    Thread[] right;
    Mem mem;
}

/// @notice Deploys PreimageOracle + MIPS64 (state version 8) and runs single steps with
///         hand-built witnesses, checking the log/return contract of spec §10 on every step.
abstract contract StepTestBase is TestBase {
    IMIPS64Step internal mips;
    IOracle internal oracle;

    uint64 internal constant PC = 0x1000;
    uint64 internal constant HEAP_START = 0x0000_1000_0000_0000;
    bytes32 internal constant LOCAL_CONTEXT = bytes32(uint256(0xC0FFEE));

    // Register numbers (spec §9.1).
    uint256 internal constant V0 = 2;
    uint256 internal constant A0 = 4;
    uint256 internal constant A1 = 5;
    uint256 internal constant A2 = 6;
    uint256 internal constant A3 = 7;
    uint256 internal constant SP = 29;
    uint256 internal constant RA = 31;

    uint64 internal constant MINUS_ONE = 0xFFFF_FFFF_FFFF_FFFF;

    // Defaults of `_machine` for the state fields a step usually leaves alone.
    bytes32 internal constant DEFAULT_PREIMAGE_KEY = 0x02000000000000000000000000000000000000000000000000000000000dea11;
    uint64 internal constant DEFAULT_PREIMAGE_OFFSET = 0x3C;
    uint64 internal constant DEFAULT_LL_ADDRESS = 0x7777_0004; // a reservation no test touches
    uint64 internal constant DEFAULT_LL_OWNER = 0x33;
    uint64 internal constant DEFAULT_STEP = 0x0000_0001_0000_0000;
    uint64 internal constant DEFAULT_STEPS_SINCE = 0x10;
    uint64 internal constant DEFAULT_NEXT_THREAD_ID = 0x42;

    function setUp() public virtual {
        PreimageOracle po = new PreimageOracle(0, 0);
        oracle = IOracle(address(po));
        mips = IMIPS64Step(address(new MIPS64(IPreimageOracle(address(po)), 8)));
    }

    // ---------------------------------------------------------------- machine building

    /// @notice Thread `id` at `pc` (nextPC = pc + 4). R[0] = 0; R[i] = 0x00AB_0000_0000_i0i
    ///         and HI/LO hold filler values, so a write to a wrong register shows up.
    function _thread(uint64 id, uint64 pc) internal pure returns (Thread memory t) {
        t.id = id;
        t.pc = pc;
        for (uint64 i = 1; i < 32; i++) {
            t.r[i] = 0x00AB_0000_0000_0000 | (i << 8) | i;
        }
        t.hi = 0x4849;
        t.lo = 0x4C4F;
        unchecked {
            t.nextPC = pc + 4;
        }
    }

    /// @notice One thread (id 0) on the left stack at PC running `insn`, memory empty otherwise.
    ///         Every other state field holds a nonzero default (DEFAULT_*) that an ordinary step
    ///         must carry over unchanged; tests about a field set it explicitly.
    function _machine(uint32 insn) internal pure returns (Machine memory m) {
        return _machineAt(PC, insn);
    }

    /// @notice As `_machine` with the thread at `pc` (nextPC = pc + 4).
    function _machineAt(uint64 pc, uint32 insn) internal pure returns (Machine memory m) {
        m.left = new Thread[](1);
        m.left[0] = _thread(0, pc);
        m.right = new Thread[](0);
        m.s.heap = HEAP_START;
        m.s.nextThreadID = DEFAULT_NEXT_THREAD_ID;
        m.s.preimageKey = DEFAULT_PREIMAGE_KEY;
        m.s.preimageOffset = DEFAULT_PREIMAGE_OFFSET;
        (m.s.llStatus, m.s.llAddress, m.s.llOwner) = (1, DEFAULT_LL_ADDRESS, DEFAULT_LL_OWNER);
        m.s.step = DEFAULT_STEP;
        m.s.stepsSince = DEFAULT_STEPS_SINCE;
        _putInsn(m.mem, pc, insn);
    }

    /// @notice Writes the big-endian instruction word at the 4-aligned `pc`.
    function _putInsn(Mem memory mem, uint64 pc, uint32 insn) internal pure {
        uint64 a = pc & ~uint64(7);
        uint64 w = SparseMemory.getWord(mem, a);
        if (pc & 4 == 0) w = (w & 0xFFFF_FFFF) | (uint64(insn) << 32);
        else w = (w & 0xFFFF_FFFF_0000_0000) | uint64(insn);
        SparseMemory.setWord(mem, a, w);
    }

    function _setWord(Machine memory m, uint64 addr, uint64 word) internal pure {
        SparseMemory.setWord(m.mem, addr, word);
    }

    function _word(Machine memory m, uint64 addr) internal pure returns (uint64) {
        return SparseMemory.getWord(m.mem, addr);
    }

    /// @notice The active thread (top of the active stack), by reference.
    function _t(Machine memory m) internal pure returns (Thread memory) {
        Thread[] memory st = m.s.traverseRight != 0 ? m.right : m.left;
        require(st.length > 0, "StepTestBase: active stack is empty");
        return st[st.length - 1];
    }

    function _copy(Machine memory m) internal pure returns (Machine memory) {
        return abi.decode(abi.encode(m), (Machine));
    }

    function _copyThread(Thread memory t) internal pure returns (Thread memory) {
        return abi.decode(abi.encode(t), (Thread));
    }

    /// @notice The expected post-state of an ordinary instruction: step and the context-switch
    ///         counter +1, active thread pc = nextPC, nextPC += 4. Tests then edit what changes.
    function _next(Machine memory pre) internal pure returns (Machine memory e) {
        e = _copy(pre);
        e.s.step += 1;
        e.s.stepsSince += 1;
        Thread memory t = _t(e);
        t.pc = t.nextPC;
        unchecked {
            t.nextPC += 4; // pc arithmetic is mod 2^64
        }
    }

    /// @notice Same as `_next` but the pc is not advanced (exit, exit_group, bad clone).
    function _nextNoPC(Machine memory pre) internal pure returns (Machine memory e) {
        e = _copy(pre);
        e.s.step += 1;
        e.s.stepsSince += 1;
    }

    function _stack(Thread memory a) internal pure returns (Thread[] memory st) {
        st = new Thread[](1);
        st[0] = a;
    }

    function _stack(Thread memory a, Thread memory b) internal pure returns (Thread[] memory st) {
        st = new Thread[](2);
        (st[0], st[1]) = (a, b);
    }

    function _stack(Thread memory a, Thread memory b, Thread memory c) internal pure returns (Thread[] memory st) {
        st = new Thread[](3);
        (st[0], st[1], st[2]) = (a, b, c);
    }

    function _empty() internal pure returns (Thread[] memory) {
        return new Thread[](0);
    }

    /// @notice Derives memRoot and both stack roots from the machine's contents.
    function _seal(Machine memory m) internal pure {
        m.s.memRoot = SparseMemory.root(m.mem);
        m.s.left = MTCodec.stackRoot(m.left);
        m.s.right = MTCodec.stackRoot(m.right);
    }

    // ---------------------------------------------------------------- one-register-result shortcuts

    /// Pre-state filler values: a destination that must be overwritten, and HI/LO that must survive.
    uint64 internal constant SENTINEL = 0x5A5A_5A5A_5A5A_5A5A;
    uint64 internal constant HI0 = 0x0000_1111_0000_1111;
    uint64 internal constant LO0 = 0x0000_2222_0000_2222;

    /// @notice Runs `insn` with R[a0]=`a0`, R[a1]=`a1`, R[v0]=SENTINEL, HI/LO = HI0/LO0 and
    ///         expects only R[v0] = `want` (plus the pc advance).
    function _checkAlu(uint32 insn, uint64 a0, uint64 a1, uint64 want) internal {
        Machine memory m = _aluMachine(insn, a0, a1);
        Machine memory e = _next(m);
        _t(e).r[V0] = want;
        _checkStep(m, e);
    }

    /// @notice As `_checkAlu` but expects HI/LO to become `hi`/`lo` and R[v0] to keep SENTINEL.
    function _checkHiLo(uint32 insn, uint64 a0, uint64 a1, uint64 hi, uint64 lo) internal {
        Machine memory m = _aluMachine(insn, a0, a1);
        Machine memory e = _next(m);
        Thread memory t = _t(e);
        t.hi = hi;
        t.lo = lo;
        _checkStep(m, e);
    }

    function _aluMachine(uint32 insn, uint64 a0, uint64 a1) internal pure returns (Machine memory m) {
        m = _machine(insn);
        Thread memory t = _t(m);
        t.r[A0] = a0;
        t.r[A1] = a1;
        t.r[V0] = SENTINEL;
        t.hi = HI0;
        t.lo = LO0;
    }

    // ---------------------------------------------------------------- calldata

    /// @notice Memory proof of `addr` in the machine's memory.
    function _proof(Machine memory m, uint64 addr) internal pure returns (bytes memory) {
        return SparseMemory.proof(m.mem, addr);
    }

    /// @notice The 6090-byte `_proof`: active thread, inner root, slot 0 for `pc & ~7` and the
    ///         given slots 1/2 (empty = zeros). With an empty active stack thread and root are zeros.
    function _proofData(Machine memory m, bytes memory s1, bytes memory s2) internal pure returns (bytes memory) {
        Thread[] memory st = m.s.traverseRight != 0 ? m.right : m.left;
        if (st.length == 0) {
            return StepCalldata.proofData(new bytes(298), bytes32(0), "", s1, s2);
        }
        Thread memory t = st[st.length - 1];
        bytes memory s0 = SparseMemory.proof(m.mem, t.pc & ~uint64(7));
        return StepCalldata.proofData(MTCodec.encodeThread(t), MTCodec.innerRoot(st), s0, s1, s2);
    }

    /// @notice Seals `m` and encodes the full step calldata (local context LOCAL_CONTEXT).
    function _calldata(Machine memory m, bytes memory s1, bytes memory s2) internal pure returns (bytes memory) {
        _seal(m);
        return StepCalldata.encode(MTCodec.encodeState(m.s), _proofData(m, s1, s2), LOCAL_CONTEXT);
    }

    // ---------------------------------------------------------------- running

    /// @notice Calls step with raw calldata, bubbles a revert, and checks the output contract of
    ///         spec §10.3: exactly one LOG0 from the step contract with 188 bytes of data whose
    ///         status-tagged hash is the 32-byte return value. Returns the decoded post-state.
    function _call(bytes memory cd) internal returns (State memory post, bytes memory witness) {
        vm.recordLogs();
        (bool ok, bytes memory ret) = address(mips).call(cd);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        Vm.Log[] memory logs = vm.getRecordedLogs();
        vm.assertEq(logs.length, 1, "step must emit exactly one log");
        vm.assertEq(logs[0].emitter, address(mips), "log emitter");
        vm.assertEq(logs[0].topics.length, 0, "the post-state log must be a LOG0");
        vm.assertEq(logs[0].data.length, 188, "log data must be the 188-byte state witness");
        vm.assertEq(ret.length, 32, "step must return one bytes32");
        vm.assertEq(abi.decode(ret, (bytes32)), MTCodec.stateHash(logs[0].data), "return value != hash(log data)");
        witness = logs[0].data;
        post = MTCodec.decodeState(witness);
    }

    function _run(Machine memory m, bytes memory s1, bytes memory s2) internal returns (State memory post) {
        (post,) = _call(_calldata(m, s1, s2));
    }

    /// @notice Runs `pre` and requires the post-state to equal `exp` (sealed) field by field and byte for byte.
    function _check(Machine memory pre, Machine memory exp, bytes memory s1, bytes memory s2) internal {
        bytes memory cd = _calldata(pre, s1, s2);
        _seal(exp);
        (State memory post, bytes memory witness) = _call(cd);
        _assertState(post, exp.s);
        vm.assertEq(witness, MTCodec.encodeState(exp.s), "post-state witness bytes");
    }

    /// @notice A step that touches no data memory.
    function _checkStep(Machine memory pre, Machine memory exp) internal {
        _check(pre, exp, "", "");
    }

    /// @notice A step with one data access at `addr` (slot 1 built from the pre-state memory).
    function _checkStepAt(Machine memory pre, Machine memory exp, uint64 addr) internal {
        _check(pre, exp, _proof(pre, addr), "");
    }

    function _assertState(State memory got, State memory want) internal pure {
        vm.assertEq(got.memRoot, want.memRoot, "memRoot");
        vm.assertEq(got.preimageKey, want.preimageKey, "preimageKey");
        vm.assertEq(got.preimageOffset, want.preimageOffset, "preimageOffset");
        vm.assertEq(got.heap, want.heap, "heap");
        vm.assertEq(got.llStatus, want.llStatus, "llReservationStatus");
        vm.assertEq(got.llAddress, want.llAddress, "llAddress");
        vm.assertEq(got.llOwner, want.llOwner, "llOwnerThread");
        vm.assertEq(got.exitCode, want.exitCode, "exitCode");
        vm.assertEq(got.exited, want.exited, "exited");
        vm.assertEq(got.step, want.step, "step");
        vm.assertEq(got.stepsSince, want.stepsSince, "stepsSinceLastContextSwitch");
        vm.assertEq(got.traverseRight, want.traverseRight, "traverseRight");
        vm.assertEq(got.left, want.left, "leftThreadStack (a thread field differs)");
        vm.assertEq(got.right, want.right, "rightThreadStack (a thread field differs)");
        vm.assertEq(got.nextThreadID, want.nextThreadID, "nextThreadID");
    }

    // ---------------------------------------------------------------- reverts

    /// @notice `m` (sealed, with slots 1/2) must make step revert with `Error(reason)`.
    function _revertsWith(Machine memory m, bytes memory s1, bytes memory s2, string memory reason) internal {
        _cdRevertsWith(_calldata(m, s1, s2), reason);
    }

    /// @notice `m` must make step revert with the custom error `selector` (no arguments).
    function _revertsWithError(Machine memory m, bytes memory s1, bytes memory s2, bytes4 selector) internal {
        _cdRevertsWithError(_calldata(m, s1, s2), selector);
    }

    function _cdRevertsWith(bytes memory cd, string memory reason) internal {
        vm.expectRevert(bytes(reason));
        _callExpectingRevert(cd);
    }

    function _cdRevertsWithError(bytes memory cd, bytes4 selector) internal {
        vm.expectRevert(selector);
        _callExpectingRevert(cd);
    }

    /// @notice step must revert with empty revert data (spec §10.1: ABI offset checks).
    function _cdRevertsEmpty(bytes memory cd) internal {
        (bool ok, bytes memory ret) = address(mips).call(cd);
        vm.assertFalse(ok, "step must revert");
        vm.assertEq(ret.length, 0, "revert data must be empty");
    }

    /// @dev With vm.expectRevert armed, a low-level call returns true iff the revert matched;
    ///      on a mismatch the returned data is forge's explanation, re-raised here.
    function _callExpectingRevert(bytes memory cd) private {
        (bool ok, bytes memory ret) = address(mips).call(cd);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}
