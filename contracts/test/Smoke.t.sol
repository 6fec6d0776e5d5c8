// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { MIPS64 } from "../src/MIPS64.sol";
import { PreimageOracle } from "../src/PreimageOracle.sol";
import { IPreimageOracle } from "../src/interfaces/IPreimageOracle.sol";

/// @notice The few forge cheatcodes this smoke test uses (there is no forge-std; see README).
interface Vm {
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function assertEq(uint256 a, uint256 b) external pure;
    function assertEq(bytes32 a, bytes32 b) external pure;
    function assertEq(bytes calldata a, bytes calldata b) external pure;
    function expectRevert(bytes4 selector) external;
    function expectRevert(bytes calldata revertData) external;
    function recordLogs() external;
    function getRecordedLogs() external returns (Log[] memory);
}

/// @notice Toolchain and step-contract smoke test: a handful of single steps on hand-built
///         witnesses whose memory holds a single nonzero leaf (all siblings are zero-subtree
///         hashes). Expected values are derived by hand from docs/spec.md.
contract SmokeTest {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    bytes32 internal constant EMPTY_THREAD_ROOT = 0xad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5;

    struct Thread {
        uint64 id;
        uint8 exitCode;
        uint8 exited;
        uint64 pc;
        uint64 nextPC;
        uint64 lo;
        uint64 hi;
        uint64[32] regs;
    }

    struct State {
        bytes32 memRoot;
        bytes32 preimageKey;
        uint64 preimageOffset;
        uint64 heap;
        uint8 llStatus;
        uint64 llAddress;
        uint64 llOwner;
        uint8 exitCode;
        uint8 exited;
        uint64 step;
        uint64 stepsSinceSwitch;
        uint8 traverseRight;
        bytes32 left;
        bytes32 right;
        uint64 nextThreadID;
    }

    MIPS64 internal mips;
    PreimageOracle internal oracle;
    bytes32[60] internal zeros;

    function setUp() public {
        oracle = new PreimageOracle(0, 0);
        mips = new MIPS64(IPreimageOracle(address(oracle)), 8);
        for (uint256 i = 1; i < 60; i++) {
            zeros[i] = keccak256(abi.encodePacked(zeros[i - 1], zeros[i - 1]));
        }
    }

    // ------------------------------------------------------------ encoding

    function _thread(Thread memory t) internal pure returns (bytes memory out) {
        out = abi.encodePacked(t.id, t.exitCode, t.exited, t.pc, t.nextPC, t.lo, t.hi);
        for (uint256 i = 0; i < 32; i++) {
            out = abi.encodePacked(out, t.regs[i]);
        }
    }

    function _state(State memory s) internal pure returns (bytes memory) {
        return bytes.concat(
            abi.encodePacked(s.memRoot, s.preimageKey, s.preimageOffset, s.heap, s.llStatus, s.llAddress, s.llOwner),
            abi.encodePacked(s.exitCode, s.exited, s.step, s.stepsSinceSwitch, s.traverseRight, s.left, s.right),
            abi.encodePacked(s.nextThreadID)
        );
    }

    function _push(bytes32 root, Thread memory t) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(root, keccak256(_thread(t))));
    }

    /// Root of a memory whose only nonzero leaf is `leaf` at `addr`.
    function _root(uint64 addr, bytes32 leaf) internal view returns (bytes32 node) {
        node = leaf;
        uint256 path = addr >> 5;
        for (uint256 i = 0; i < 59; i++) {
            node = (path >> i) & 1 == 0
                ? keccak256(abi.encodePacked(node, zeros[i]))
                : keccak256(abi.encodePacked(zeros[i], node));
        }
    }

    function _proof(bytes32 leaf) internal view returns (bytes memory out) {
        out = abi.encodePacked(leaf);
        for (uint256 i = 0; i < 59; i++) {
            out = abi.encodePacked(out, zeros[i]);
        }
    }

    function _oneThread(Thread memory t, bytes32 memRoot) internal pure returns (State memory s) {
        s.memRoot = memRoot;
        s.heap = 0x0000_1000_0000_0000;
        s.left = _push(EMPTY_THREAD_ROOT, t);
        s.right = EMPTY_THREAD_ROOT;
        s.nextThreadID = 1;
    }

    function _status(State memory s) internal pure returns (uint8) {
        if (s.exited == 0) return 3;
        return s.exitCode < 2 ? s.exitCode : 2;
    }

    /// Runs one step and checks the log and return value against `want`.
    function _stepExpect(State memory pre, bytes memory proof, State memory want) internal returns (uint256 gasUsed) {
        return _stepExpect(pre, proof, want, bytes32(0));
    }

    function _stepExpect(State memory pre, bytes memory proof, State memory want, bytes32 localContext)
        internal
        returns (uint256 gasUsed)
    {
        vm.recordLogs();
        uint256 g = gasleft();
        bytes32 ret = mips.step(_state(pre), proof, localContext);
        gasUsed = g - gasleft();
        Vm.Log[] memory logs = vm.getRecordedLogs();
        vm.assertEq(logs.length, 1);
        vm.assertEq(logs[0].topics.length, 0);
        bytes memory post = _state(want);
        vm.assertEq(logs[0].data, post);
        bytes32 h = keccak256(post);
        h = bytes32((uint256(h) << 8) >> 8 | (uint256(_status(want)) << 248));
        vm.assertEq(ret, h);
    }

    // ------------------------------------------------------------ tests

    function test_toolchain() external pure {
        vm.assertEq(1 + 1, 2);
    }

    function test_selectors() external pure {
        vm.assertEq(uint256(uint32(MIPS64.step.selector)), 0xe14ced32);
        vm.assertEq(uint256(uint32(MIPS64.oracle.selector)), 0x7dc0d1d0);
        vm.assertEq(uint256(uint32(MIPS64.stateVersion.selector)), 0x1219a4e4);
        vm.assertEq(uint256(uint32(MIPS64.InvalidExitedValue.selector)), 0x0136cc76);
        vm.assertEq(uint256(uint32(MIPS64.InvalidPC.selector)), 0x3f8200bc);
        vm.assertEq(uint256(uint32(MIPS64.InvalidMemoryProof.selector)), 0x8e77b2b7);
        vm.assertEq(uint256(uint32(MIPS64.InvalidSecondMemoryProof.selector)), 0x834c4cd4);
        vm.assertEq(uint256(uint32(MIPS64.UnsupportedStateVersion.selector)), 0x1f8b02a2);
    }

    /// Spec §2.3 sanity vectors.
    function test_emptyStateHash() external view {
        Thread memory t;
        t.nextPC = 4;
        vm.assertEq(keccak256(_thread(t)), 0x142eef1e422e67c394d8fab4a0ce5c04ee405cb059176f719d9c2efb8e28d3a0);
        State memory s = _oneThread(t, zeros[59]);
        s.heap = 0;
        vm.assertEq(s.left, 0x505ea3064aed44444fa938e2d1385d799ec3b37386d433a611439aed796ea153);
        bytes32 h = keccak256(_state(s));
        h = bytes32((uint256(h) << 8) >> 8 | (uint256(3) << 248));
        vm.assertEq(h, 0x035b096e17d7b97f6bbaa13d179958e729b70813e931dc90dbf4193372f3dc71);
    }

    /// ADDIU $2, $0, 5 at 0x1000 (first word of its leaf).
    function test_addiu() external {
        bytes32 leaf = bytes32(uint256(0x24020005) << 224);
        Thread memory t;
        t.pc = 0x1000;
        t.nextPC = 0x1004;
        State memory pre = _oneThread(t, _root(0x1000, leaf));
        bytes memory proof = bytes.concat(_thread(t), EMPTY_THREAD_ROOT, _proof(leaf));

        t.pc = 0x1004;
        t.nextPC = 0x1008;
        t.regs[2] = 5;
        State memory want = _oneThread(t, pre.memRoot);
        want.step = 1;
        want.stepsSinceSwitch = 1;
        _stepExpect(pre, proof, want);
    }

    /// SD $3, 0x1008($0) at 0x1004: the store hits the instruction's own leaf, so proof
    /// slots 0 and 1 are the same.
    function test_sdSameLeaf() external {
        bytes32 leaf = bytes32(uint256(0xFC031008) << 192);
        Thread memory t;
        t.pc = 0x1004;
        t.nextPC = 0x1008;
        t.regs[3] = 0x0102030405060708;
        State memory pre = _oneThread(t, _root(0x1000, leaf));
        bytes memory p = _proof(leaf);
        bytes memory proof = bytes.concat(_thread(t), EMPTY_THREAD_ROOT, p, p);

        bytes32 newLeaf = leaf | bytes32(uint256(0x0102030405060708) << 128);
        t.pc = 0x1008;
        t.nextPC = 0x100c;
        State memory want = _oneThread(t, _root(0x1000, newLeaf));
        want.step = 1;
        want.stepsSinceSwitch = 1;
        uint256 g = _stepExpect(pre, proof, want);
        // Two 59-level proofs (read + write) plus the instruction proof; keep a loose ceiling.
        require(g < 60_000, "SD step too expensive");
    }

    /// write(1, buf, 100) returns 100, no memory access, $a3 = 0.
    function test_writeStdout() external {
        bytes32 leaf = bytes32(uint256(0x0000000C) << 224);
        Thread memory t;
        t.pc = 0x2000;
        t.nextPC = 0x2004;
        t.regs[2] = 5001;
        t.regs[4] = 1;
        t.regs[6] = 100;
        t.regs[7] = 77;
        State memory pre = _oneThread(t, _root(0x2000, leaf));
        bytes memory proof = bytes.concat(_thread(t), EMPTY_THREAD_ROOT, _proof(leaf));

        t.pc = 0x2004;
        t.nextPC = 0x2008;
        t.regs[2] = 100;
        t.regs[7] = 0;
        State memory want = _oneThread(t, pre.memRoot);
        want.step = 1;
        want.stepsSinceSwitch = 1;
        _stepExpect(pre, proof, want);
    }

    /// An exited VM is logged unchanged, with no thread witness or proofs.
    function test_exitedVM() external {
        Thread memory t;
        t.nextPC = 4;
        State memory pre = _oneThread(t, zeros[59]);
        pre.exited = 1;
        pre.exitCode = 7;
        pre.step = 42;
        _stepExpect(pre, "", pre);
    }

    function test_revert_exitedByte() external {
        Thread memory t;
        State memory pre = _oneThread(t, zeros[59]);
        pre.exited = 2;
        bytes memory state = _state(pre);
        vm.expectRevert(MIPS64.InvalidExitedValue.selector);
        mips.step(state, "", bytes32(0));
    }

    function test_revert_badThreadWitness() external {
        bytes32 leaf = bytes32(uint256(0x24020005) << 224);
        Thread memory t;
        t.pc = 0x1000;
        t.nextPC = 0x1004;
        State memory pre = _oneThread(t, _root(0x1000, leaf));
        t.regs[9] = 1;
        bytes memory proof = bytes.concat(_thread(t), EMPTY_THREAD_ROOT, _proof(leaf));
        bytes memory state = _state(pre);
        vm.expectRevert(bytes("MIPS64: invalid thread witness"));
        mips.step(state, proof, bytes32(0));
    }

    function test_revert_shortThreadWitness() external {
        Thread memory t;
        State memory pre = _oneThread(t, zeros[59]);
        bytes memory state = _state(pre);
        vm.expectRevert(bytes("MIPS64: insufficient calldata for thread witness"));
        mips.step(state, _thread(t), bytes32(0));
    }

    function test_revert_missingMemoryProof() external {
        Thread memory t;
        t.pc = 0x1000;
        t.nextPC = 0x1004;
        State memory pre = _oneThread(t, zeros[59]);
        bytes memory proof = bytes.concat(_thread(t), EMPTY_THREAD_ROOT);
        bytes memory state = _state(pre);
        vm.expectRevert(bytes("MIPS64Memory: check that there is enough calldata"));
        mips.step(state, proof, bytes32(0));
    }

    function test_revert_wrongMemoryProof() external {
        Thread memory t;
        t.pc = 0x1000;
        t.nextPC = 0x1004;
        State memory pre = _oneThread(t, zeros[59]);
        bytes memory proof = bytes.concat(_thread(t), EMPTY_THREAD_ROOT, _proof(bytes32(uint256(1))));
        bytes memory state = _state(pre);
        vm.expectRevert(MIPS64.InvalidMemoryProof.selector);
        mips.step(state, proof, bytes32(0));
    }

    function test_revert_stateVersion() external {
        vm.expectRevert(MIPS64.UnsupportedStateVersion.selector);
        new MIPS64(IPreimageOracle(address(0)), 7);
    }

    /// A SYSCALL at 0x1000 with the given $v0/$a0/$a1/$a2; the leaf at 0x1000 holds the
    /// instruction in bytes 0..3 and `rest` in bytes 8..31.
    function _syscallMachine(uint64 v0, uint64 a0, uint64 a1, uint64 a2, bytes24 rest)
        internal
        view
        returns (Thread memory t, bytes32 leaf, State memory pre, bytes memory proof)
    {
        leaf = bytes32(uint256(0x0000000C) << 224) | (bytes32(rest) >> 64);
        t.pc = 0x1000;
        t.nextPC = 0x1004;
        t.regs[2] = v0;
        t.regs[4] = a0;
        t.regs[5] = a1;
        t.regs[6] = a2;
        pre = _oneThread(t, _root(0x1000, leaf));
        bytes memory p = _proof(leaf);
        proof = bytes.concat(_thread(t), EMPTY_THREAD_ROOT, p, p);
    }

    /// read(5, 0x100a, 100) of a keccak256 pre-image at offset 8: 6 bytes fit before the word's end.
    function test_readPreimage_keccak() external {
        bytes memory data = "hello, pre-image oracle";
        bytes32 key = (keccak256(data) << 8 >> 8) | bytes32(uint256(2) << 248);
        oracle.loadKeccak256PreimagePart(8, data);
        (Thread memory t, bytes32 leaf, State memory pre, bytes memory proof) =
            _syscallMachine(5000, 5, 0x100a, 100, bytes24(0));
        pre.preimageKey = key;
        pre.preimageOffset = 8;

        bytes32 newLeaf = leaf | (bytes32(bytes6("hello,")) >> 80);
        t.pc = 0x1004;
        t.nextPC = 0x1008;
        t.regs[2] = 6;
        State memory want = _oneThread(t, _root(0x1000, newLeaf));
        want.preimageKey = key;
        want.preimageOffset = 14;
        want.step = 1;
        want.stepsSinceSwitch = 1;
        _stepExpect(pre, proof, want);
    }

    /// read(5, 0x1008, 8) of a local (type-1) key at offset 0: the length prefix.
    function test_readPreimage_localKey() external {
        bytes32 ctx = bytes32(uint256(0xC0FFEE));
        bytes32 rawKey = bytes32(uint256(1) << 248 | 4);
        oracle.loadLocalData(4, ctx, bytes32(uint256(0xABCD) << 240), 2, 0);
        (Thread memory t, bytes32 leaf, State memory pre, bytes memory proof) =
            _syscallMachine(5000, 5, 0x1008, 8, bytes24(0));
        pre.preimageKey = rawKey;

        bytes32 newLeaf = leaf | bytes32(uint256(2) << 128);
        t.pc = 0x1004;
        t.nextPC = 0x1008;
        t.regs[2] = 8;
        State memory want = _oneThread(t, _root(0x1000, newLeaf));
        want.preimageKey = rawKey;
        want.preimageOffset = 8;
        want.step = 1;
        want.stepsSinceSwitch = 1;
        _stepExpect(pre, proof, want, ctx);

        // Another local context localizes to a key that was never loaded.
        bytes memory state = _state(pre);
        vm.expectRevert(bytes("pre-image must exist"));
        mips.step(state, proof, bytes32(uint256(1)));
    }

    /// clock_gettime(MONOTONIC, 0x1008) at step 30_000_005: secs 3, nsecs 500; both words in
    /// the instruction's leaf, so slot 2 is that leaf after the first write.
    function test_clockGettime() external {
        (Thread memory t, bytes32 leaf, State memory pre,) = _syscallMachine(5222, 1, 0x1008, 0, bytes24(0));
        pre.step = 30_000_004;
        bytes32 mid = leaf | bytes32(uint256(3) << 128);
        bytes32 fin = mid | bytes32(uint256(500) << 64);
        bytes memory proof = bytes.concat(_thread(t), EMPTY_THREAD_ROOT, _proof(leaf), _proof(leaf), _proof(mid));

        t.pc = 0x1004;
        t.nextPC = 0x1008;
        t.regs[2] = 0;
        State memory want = _oneThread(t, _root(0x1000, fin));
        want.step = 30_000_005;
        want.stepsSinceSwitch = 1;
        _stepExpect(pre, proof, want);

        // A second proof built against the pre-state root is rejected.
        proof = bytes.concat(_thread(t), EMPTY_THREAD_ROOT, _proof(leaf), _proof(leaf), _proof(leaf));
        t.pc = 0x1000;
        t.nextPC = 0x1004;
        t.regs[2] = 5222;
        proof = bytes.concat(_thread(t), EMPTY_THREAD_ROOT, _proof(leaf), _proof(leaf), _proof(leaf));
        bytes memory state = _state(pre);
        vm.expectRevert(MIPS64.InvalidSecondMemoryProof.selector);
        mips.step(state, proof, bytes32(0));
    }

    /// clone(0x50F00, stack): the child (id 1) is pushed above the parent and runs next.
    function test_clone() external {
        (Thread memory t,, State memory pre, bytes memory proof) = _syscallMachine(5055, 0x50F00, 0x7000, 0, bytes24(0));
        t.regs[7] = 9;
        t.regs[9] = 0x99;
        t.hi = 3;
        pre.left = _push(EMPTY_THREAD_ROOT, t);
        proof = bytes.concat(_thread(t), EMPTY_THREAD_ROOT, _proof(bytes32(uint256(0x0000000C) << 224)));
        pre.stepsSinceSwitch = 5;

        Thread memory child;
        child.id = 1;
        child.pc = 0x1004;
        child.nextPC = 0x1008;
        child.hi = 3;
        for (uint256 i = 0; i < 32; i++) {
            child.regs[i] = t.regs[i]; // memory arrays assign by reference: copy
        }
        child.regs[29] = 0x7000;
        child.regs[2] = 0;
        child.regs[7] = 0;

        t.pc = 0x1004;
        t.nextPC = 0x1008;
        t.regs[2] = 1;
        t.regs[7] = 0;
        State memory want = _oneThread(t, pre.memRoot);
        want.left = _push(_push(EMPTY_THREAD_ROOT, t), child);
        want.nextThreadID = 2;
        want.step = 1;
        want.stepsSinceSwitch = 0;
        _stepExpect(pre, proof, want);
    }

    // ------------------------------------------------------------ pre-image oracle

    function _typed(bytes32 h, uint8 t) internal pure returns (bytes32) {
        return (h << 8 >> 8) | bytes32(uint256(t) << 248);
    }

    function test_oracle_keccakParts() external {
        bytes memory data = "0123456789abcdefghijklmnopqrstuvwxyz"; // 36 bytes
        bytes32 key = _typed(keccak256(data), 2);
        oracle.loadKeccak256PreimagePart(0, data);
        oracle.loadKeccak256PreimagePart(40, data);
        (bytes32 dat, uint256 len) = oracle.readPreimage(key, 0);
        vm.assertEq(dat, bytes32(abi.encodePacked(uint64(36), bytes24("0123456789abcdefghijklmn"))));
        vm.assertEq(len, 32);
        (dat, len) = oracle.readPreimage(key, 40);
        vm.assertEq(dat, bytes32(bytes4("wxyz")));
        vm.assertEq(len, 4);
        vm.assertEq(oracle.preimageLengths(key), 36);

        vm.expectRevert(PreimageOracle.PartOffsetOOB.selector);
        oracle.loadKeccak256PreimagePart(44, data);
        vm.expectRevert(bytes("pre-image must exist"));
        oracle.readPreimage(key, 8);
    }

    function test_oracle_sha256Key() external {
        bytes memory data = "abc";
        oracle.loadSha256PreimagePart(8, data);
        bytes32 key = _typed(sha256(data), 4);
        (bytes32 dat, uint256 len) = oracle.readPreimage(key, 8);
        vm.assertEq(dat, bytes32(bytes3("abc")));
        vm.assertEq(len, 3);
    }

    function test_oracle_localData() external {
        bytes32 ctx = bytes32(uint256(7));
        bytes32 key = oracle.loadLocalData(2, ctx, bytes32(uint256(0x1122) << 240), 2, 6);
        bytes32 want = _typed(keccak256(abi.encode(bytes32(uint256(1) << 248 | 2), address(this), ctx)), 1);
        vm.assertEq(key, want);
        (bytes32 dat, uint256 len) = oracle.readPreimage(key, 6);
        vm.assertEq(dat, bytes32(uint256(0x00021122) << 224));
        vm.assertEq(len, 4);
        vm.expectRevert(PreimageOracle.PartOffsetOOB.selector);
        oracle.loadLocalData(2, ctx, bytes32(0), 2, 10);
        vm.expectRevert(PreimageOracle.PartOffsetOOB.selector);
        oracle.loadLocalData(2, ctx, bytes32(0), 33, 0);
    }

    /// sha256 precompile via the precompile loader: status 1 ‖ digest, length 33.
    function test_oracle_precompile() external {
        bytes memory input = "abc";
        oracle.loadPrecompilePreimagePart(8, address(2), 100, input);
        bytes32 key = _typed(keccak256(abi.encodePacked(address(2), uint64(100), input)), 6);
        (bytes32 dat, uint256 len) = oracle.readPreimage(key, 8);
        vm.assertEq(dat, bytes32(abi.encodePacked(uint8(1), bytes31(sha256(input)))));
        vm.assertEq(len, 32);
        vm.assertEq(oracle.preimageLengths(key), 33);
        vm.expectRevert(PreimageOracle.NotEnoughGas.selector);
        oracle.loadPrecompilePreimagePart{ gas: 150_000 }(8, address(2), 100_000, input);
    }

    /// The zero polynomial: commitment and proof are the point at infinity, p(z) = 0.
    function test_oracle_blob() external {
        bytes memory inf = abi.encodePacked(bytes1(0xc0), bytes32(0), bytes15(0));
        oracle.loadBlobPreimagePart(1, 0, inf, inf, 0);
        bytes32 key = _typed(keccak256(abi.encodePacked(inf, uint256(1))), 5);
        (bytes32 dat, uint256 len) = oracle.readPreimage(key, 0);
        vm.assertEq(dat, bytes32(uint256(32) << 192));
        vm.assertEq(len, 32);
        vm.expectRevert(PreimageOracle.InvalidProof.selector);
        oracle.loadBlobPreimagePart(1, 5, inf, inf, 0);
        vm.expectRevert(PreimageOracle.PartOffsetOOB.selector);
        oracle.loadBlobPreimagePart(1, 0, inf, inf, 40);
    }
}
