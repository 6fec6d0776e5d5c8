// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { IPreimageOracle } from "./interfaces/IPreimageOracle.sol";

/// @title MIPS64
/// @notice One step of the multithreaded 64-bit Cannon VM (MT-Cannon, big-endian MIPS64,
///         state version 8), computed from a state witness and Merkle proofs alone.
///         Behaviour follows docs/spec.md (cited as "spec §N" below);
///         it must match the Go VM in vm/ bit for bit and the production contract's ABI.
///
/// @dev The step runs in one inline-assembly block. The state and the active thread are
///      copied from calldata into memory *packed*, with exactly the byte layout of the
///      witness, so the post-state is logged and hashed straight from memory and the thread
///      is hashed in place. Fields are read and written with the `get64/set64/get8/set8`
///      helpers at `base + offset`, offsets being the `S_*` / `T_*` constants below, which
///      are the offsets of the spec's tables.
///
///      Calldata of `step` (absolute byte offsets; spec §10):
///
///      | offset | size | content                                             | constant            |
///      |--------|------|-----------------------------------------------------|---------------------|
///      | 0      | 4    | selector 0xe14ced32                                 |                     |
///      | 4      | 32   | head: offset of _stateData (0x60)                   |                     |
///      | 36     | 32   | head: offset of _proof (0x140)                      |                     |
///      | 68     | 32   | _localContext                                       |                     |
///      | 100    | 32   | len(_stateData) (188; not checked)                  |                     |
///      | 132    | 188  | state witness (spec §2.1)                          | STATE_CALLDATA      |
///      | 324    | 32   | len(_proof) (not checked; calldatasize is)          |                     |
///      | 356    | 298  | active thread, top of the active stack (spec §2.2) | THREAD_CALLDATA     |
///      | 654    | 32   | inner root of the active stack                      | INNER_ROOT_CALLDATA |
///      | 686    | 1920 | memory proof slot 0: instruction word at pc & ~7    | MEM_PROOF_CALLDATA  |
///      | 2606   | 1920 | memory proof slot 1: the step's data word           |                     |
///      | 4526   | 1920 | memory proof slot 2: clock_gettime's second word    |                     |
///
///      Memory (absolute addresses; the Solidity allocator is not used during a step):
///
///      | address     | size | content                                          | constant        |
///      |-------------|------|--------------------------------------------------|-----------------|
///      | 0x00-0x3f   | 64   | scratch: the two halves of a Merkle/stack node   |                 |
///      | 0x80-0x13b  | 188  | state, packed as in calldata                     | M_STATE         |
///      | 0x140-0x269 | 298  | active thread, packed as in calldata             | M_THREAD        |
///      | 0x280-0x3a9 | 298  | thread created by clone, packed                  | M_CHILD         |
///      | 0x3c0       | 32   | inner root of the active stack                   | M_INNER_ROOT    |
///      | 0x3e0       | 32   | _localContext                                    | M_LOCAL_CONTEXT |
///      | 0x400       | 32   | oracle address                                   | M_ORACLE        |
///      | 0x420-0x47f | 96   | oracle call / key localization buffer            | M_CALL          |
///
///      A packed 8-byte field at `p` is read as `shr(192, mload(p))` and written by a
///      read-modify-write of the 32 bytes at `p`, which leaves the 24 bytes after it as they
///      were (the gaps between the regions above make that safe at each region's end).
contract MIPS64 {
    // ------------------------------------------------------------------ errors

    /// @notice The state's `exited` byte is neither 0 nor 1.
    error InvalidExitedValue();
    /// @notice The thread's pc is not 4-byte aligned.
    error InvalidPC();
    /// @notice A memory proof does not lead to the state's memory root.
    error InvalidMemoryProof();
    /// @notice clock_gettime's second memory proof does not lead to the root after its first write.
    error InvalidSecondMemoryProof();
    /// @notice The constructor was given a state version other than 8.
    error UnsupportedStateVersion();

    // ------------------------------------------------------------------ identity

    /// @notice Semantic version of this contract.
    string public constant version = "1.0.0-fpvmdiff";

    /// @notice The only state version implemented (spec §1.2: v8 = eventfd2, DCLZ/DCLO,
    ///         syscall error convention B, splitmix64 getrandom, mprotect no-op).
    uint256 internal constant STATE_VERSION = 8;

    /// @notice The pre-image oracle read by `read(fd 5)`.
    IPreimageOracle internal immutable ORACLE;

    // ------------------------------------------------------------------ calldata layout

    /// @notice Where the 188-byte state witness starts (= _stateData.offset).
    uint256 internal constant STATE_CALLDATA = 132;
    /// @notice Where the packed active thread starts (= _proof.offset).
    uint256 internal constant THREAD_CALLDATA = 356;
    /// @notice Where the inner root of the active stack is.
    uint256 internal constant INNER_ROOT_CALLDATA = 654;
    /// @notice Where memory proof slot 0 starts; slot `i` starts `i * MEM_PROOF_SIZE` later.
    uint256 internal constant MEM_PROOF_CALLDATA = 686;
    /// @notice One memory proof: the leaf and 59 siblings, 32 bytes each.
    uint256 internal constant MEM_PROOF_SIZE = 1920;

    // ------------------------------------------------------------------ state witness (spec §2.1)

    uint256 internal constant STATE_SIZE = 188;
    uint256 internal constant S_MEM_ROOT = 0; // bytes32
    uint256 internal constant S_PREIMAGE_KEY = 32; // bytes32
    uint256 internal constant S_PREIMAGE_OFFSET = 64; // u64
    uint256 internal constant S_HEAP = 72; // u64
    uint256 internal constant S_LL_STATUS = 80; // u8
    uint256 internal constant S_LL_ADDRESS = 81; // u64
    uint256 internal constant S_LL_OWNER = 89; // u64
    uint256 internal constant S_EXIT_CODE = 97; // u8
    uint256 internal constant S_EXITED = 98; // u8
    uint256 internal constant S_STEP = 99; // u64
    uint256 internal constant S_STEPS_SINCE_SWITCH = 107; // u64
    uint256 internal constant S_TRAVERSE_RIGHT = 115; // u8
    uint256 internal constant S_LEFT_ROOT = 116; // bytes32; the right root follows at +32
    uint256 internal constant S_RIGHT_ROOT = 148; // bytes32
    uint256 internal constant S_NEXT_THREAD_ID = 180; // u64

    // ------------------------------------------------------------------ thread (spec §2.2)

    uint256 internal constant THREAD_SIZE = 298;
    uint256 internal constant T_ID = 0; // u64
    uint256 internal constant T_EXIT_CODE = 8; // u8
    uint256 internal constant T_EXITED = 9; // u8
    uint256 internal constant T_PC = 10; // u64
    uint256 internal constant T_NEXT_PC = 18; // u64
    uint256 internal constant T_LO = 26; // u64
    uint256 internal constant T_HI = 34; // u64
    uint256 internal constant T_REGS = 42; // u64[32]

    // ------------------------------------------------------------------ memory map

    uint256 internal constant M_STATE = 0x80;
    uint256 internal constant M_THREAD = 0x140;
    uint256 internal constant M_CHILD = 0x280;
    uint256 internal constant M_INNER_ROOT = 0x3c0;
    uint256 internal constant M_LOCAL_CONTEXT = 0x3e0;
    uint256 internal constant M_ORACLE = 0x400;
    uint256 internal constant M_CALL = 0x420;

    // ------------------------------------------------------------------ VM constants (spec §9.1)

    /// @notice keccak256(bytes32(0) ‖ bytes32(0)): the root of an empty thread stack.
    bytes32 internal constant EMPTY_THREAD_ROOT = 0xad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5;
    uint256 internal constant MASK64 = 0xFFFFFFFFFFFFFFFF;
    uint256 internal constant MASK32 = 0xFFFFFFFF;
    uint256 internal constant SCHED_QUANTUM = 100_000;
    uint256 internal constant HZ = 10_000_000;
    uint256 internal constant HEAP_END = 0x0000600000000000;
    uint256 internal constant PROGRAM_BREAK = 0x0000400000000000;
    uint256 internal constant PAGE_SIZE = 4096;
    uint256 internal constant CLONE_FLAGS = 0x50F00;
    uint256 internal constant FUTEX_WAIT_PRIVATE = 128;
    uint256 internal constant FUTEX_WAKE_PRIVATE = 129;
    uint256 internal constant EFD_NONBLOCK = 0x80;
    uint256 internal constant FD_EVENTFD = 100;
    uint256 internal constant EBADF = 9;
    uint256 internal constant EAGAIN = 11;
    uint256 internal constant EINVAL = 22;

    uint256 internal constant REG_V0 = 2;
    uint256 internal constant REG_A0 = 4;
    uint256 internal constant REG_A1 = 5;
    uint256 internal constant REG_A2 = 6;
    uint256 internal constant REG_A3 = 7;
    uint256 internal constant REG_SP = 29;
    uint256 internal constant REG_RA = 31;

    /// @notice What the scheduler does with the active thread after an instruction.
    uint256 internal constant SCHED_KEEP = 0; // re-push it on the active stack
    uint256 internal constant SCHED_PREEMPT = 1; // move it to the other stack
    uint256 internal constant SCHED_CLONE = 2; // re-push it, then push the child above it

    /// @notice Bit (op - 0x20) is set for the store ops SB SH SWL SW SDL SDR SWR (0x28–0x2E) and SD (0x3F).
    uint256 internal constant STORE_OPS = 0x80007F00;

    // Custom error selectors, for reverts from assembly (checked by contracts/test/Smoke.t.sol).
    uint256 internal constant SEL_INVALID_EXITED_VALUE = 0x0136cc76;
    uint256 internal constant SEL_INVALID_PC = 0x3f8200bc;
    uint256 internal constant SEL_INVALID_MEMORY_PROOF = 0x8e77b2b7;
    uint256 internal constant SEL_INVALID_SECOND_MEMORY_PROOF = 0x834c4cd4;
    /// @notice Error(string) selector, left-aligned.
    uint256 internal constant ERROR_STRING = 0x08c379a000000000000000000000000000000000000000000000000000000000;
    /// @notice readPreimage(bytes32,uint256) selector, left-aligned.
    uint256 internal constant READ_PREIMAGE = 0xe03110e100000000000000000000000000000000000000000000000000000000;

    /// @param oracle_ The pre-image oracle that `read(fd 5)` reads from.
    /// @param stateVersion_ Must be 8, the only state version implemented.
    constructor(IPreimageOracle oracle_, uint256 stateVersion_) {
        if (stateVersion_ != STATE_VERSION) revert UnsupportedStateVersion();
        ORACLE = oracle_;
    }

    /// @notice The pre-image oracle this VM reads from.
    /// @return oracle_ The oracle given at deployment.
    function oracle() external view returns (IPreimageOracle oracle_) {
        oracle_ = ORACLE;
    }

    /// @notice The state version this VM implements.
    /// @return stateVersion_ Always 8.
    function stateVersion() external pure returns (uint256 stateVersion_) {
        stateVersion_ = STATE_VERSION;
    }

    /// @notice Executes one VM step and emits the post-state.
    /// @dev Requires the standard ABI encoding (`_stateData.offset == 132`,
    ///      `_proof.offset == 356`; reverts with empty data otherwise). Emits exactly one
    ///      LOG0 whose data is the 188-byte post-state witness, also when the VM had already
    ///      exited (then the state is unchanged). Reverts on any exception of spec §5.8.
    /// @param _stateData The 188-byte pre-state witness (spec §2.1).
    /// @param _proof Active thread (298) ‖ inner root (32) ‖ memory proof slots 0, 1, 2 (1920 each);
    ///               only the slots the step uses need to be present.
    /// @param _localContext Context that localizes type-1 pre-image keys (with msg.sender).
    /// @return postStateHash_ keccak256 of the post-state with its first byte set to the VM
    ///         status: 0 valid, 1 invalid, 2 panic (exited with that exit code class), 3 unfinished.
    function step(bytes calldata _stateData, bytes calldata _proof, bytes32 _localContext)
        external
        returns (bytes32 postStateHash_)
    {
        address oracleAddress = address(ORACLE);
        assembly {
            // ======================================================== field access

            function get64(p) -> v {
                v := shr(192, mload(p))
            }

            // shl(192, v) keeps only the low 64 bits of v, so callers need not mask.
            function set64(p, v) {
                mstore(p, or(shl(192, v), shr(64, shl(64, mload(p)))))
            }

            function get8(p) -> v {
                v := shr(248, mload(p))
            }

            function set8(p, v) {
                mstore8(p, v)
            }

            function reg(i) -> v {
                v := get64(add(add(M_THREAD, T_REGS), shl(3, i)))
            }

            // Register 0 is never written (spec §5.1).
            function setReg(i, v) {
                if i { set64(add(add(M_THREAD, T_REGS), shl(3, i)), v) }
            }

            function min(a, b) -> m {
                m := a
                if lt(b, a) { m := b }
            }

            // Sign-extends the low 32 bits of x to 64 bits.
            function sx32(x) -> v {
                v := and(signextend(3, x), MASK64)
            }

            // ======================================================== reverts

            function revertWithSelector(selector) {
                mstore(0x00, shl(224, selector))
                revert(0x00, 0x04)
            }

            // Error(string) with a message of `len` ≤ 64 bytes given as two 32-byte literals,
            // encoded exactly as Solidity's require/revert would encode it.
            function revertWithMessage(len, head, tail) {
                mstore(0x00, ERROR_STRING)
                mstore(0x04, 0x20)
                mstore(0x24, len)
                mstore(0x44, head)
                mstore(0x64, tail)
                revert(0x00, add(0x64, shl(5, gt(len, 32))))
            }

            function revertInvalidInstruction() {
                revertWithMessage(27, "MIPS64: invalid instruction", "")
            }

            // ======================================================== thread stacks (spec §2.3, §4)

            function pushRoot(root, threadHash) -> newRoot {
                mstore(0x00, root)
                mstore(0x20, threadHash)
                newRoot := keccak256(0x00, 0x40)
            }

            // The right root sits 32 bytes after the left one; a nonzero traverseRight
            // byte counts as true (spec §2.1).
            function activeRootSlot() -> p {
                p := add(add(M_STATE, S_LEFT_ROOT), shl(5, iszero(iszero(get8(add(M_STATE, S_TRAVERSE_RIGHT))))))
            }

            function inactiveRootSlot() -> p {
                p := add(add(M_STATE, S_LEFT_ROOT), shl(5, iszero(get8(add(M_STATE, S_TRAVERSE_RIGHT)))))
            }

            function flipTraversal() {
                let p := add(M_STATE, S_TRAVERSE_RIGHT)
                set8(p, iszero(get8(p)))
            }

            function resetSwitchCounter() {
                set64(add(M_STATE, S_STEPS_SINCE_SWITCH), 0)
            }

            // Puts the (updated) active thread back on top of the active stack.
            function updateCurrentThread() {
                mstore(activeRootSlot(), pushRoot(mload(M_INNER_ROOT), keccak256(M_THREAD, THREAD_SIZE)))
            }

            // Drops the exited active thread; flips if that empties the active stack.
            function popThread() {
                let inner := mload(M_INNER_ROOT)
                mstore(activeRootSlot(), inner)
                if eq(inner, EMPTY_THREAD_ROOT) { flipTraversal() }
                resetSwitchCounter()
            }

            // Moves the active thread onto the other stack; flips if that empties the
            // active stack, so the moved thread stays active.
            function preemptThread() {
                let inner := mload(M_INNER_ROOT)
                let other := inactiveRootSlot()
                mstore(other, pushRoot(mload(other), keccak256(M_THREAD, THREAD_SIZE)))
                mstore(activeRootSlot(), inner)
                if eq(inner, EMPTY_THREAD_ROOT) { flipTraversal() }
                resetSwitchCounter()
            }

            // Pushes the thread built by clone on the active stack; it runs next.
            function pushChild() {
                let p := activeRootSlot()
                mstore(p, pushRoot(mload(p), keccak256(M_CHILD, THREAD_SIZE)))
                resetSwitchCounter()
            }

            // ======================================================== memory proofs (spec §3)
            //
            // A proof at calldata `off` is the 32-byte leaf holding the word, then its 59
            // siblings from the lowest level up (sibling i at off + 32·i). Bit i of addr >> 5
            // tells whether the node at level i is a right child (1) or a left one (0).
            // The hashing loops are unrolled four levels at a time (59 = 3 + 14·4): the
            // loop control would otherwise cost a third of each level.

            // Root of the tree whose leaf for `addr` is `leaf`, with the proof's siblings.
            function merkleRoot(leaf, addr, off) -> node {
                node := leaf
                let path := shr(5, addr)
                let p := add(off, 0x20)
                for { let end := add(off, 0x80) } lt(p, end) { p := add(p, 0x20) } {
                    let s := shl(5, and(path, 1))
                    mstore(s, node)
                    mstore(xor(s, 0x20), calldataload(p))
                    node := keccak256(0x00, 0x40)
                    path := shr(1, path)
                }
                for { let end := add(off, MEM_PROOF_SIZE) } lt(p, end) { p := add(p, 0x80) } {
                    let s := shl(5, and(path, 1))
                    mstore(s, node)
                    mstore(xor(s, 0x20), calldataload(p))
                    node := keccak256(0x00, 0x40)
                    s := shl(4, and(path, 2))
                    mstore(s, node)
                    mstore(xor(s, 0x20), calldataload(add(p, 0x20)))
                    node := keccak256(0x00, 0x40)
                    s := shl(3, and(path, 4))
                    mstore(s, node)
                    mstore(xor(s, 0x20), calldataload(add(p, 0x40)))
                    node := keccak256(0x00, 0x40)
                    s := shl(2, and(path, 8))
                    mstore(s, node)
                    mstore(xor(s, 0x20), calldataload(add(p, 0x60)))
                    node := keccak256(0x00, 0x40)
                    path := shr(4, path)
                }
            }

            // Roots of the trees with `oldLeaf` and with `newLeaf` at `addr`, same siblings:
            // one pass verifies a write's proof and computes the root after it.
            function merkleRoots(oldLeaf, newLeaf, addr, off) -> oldNode, newNode {
                oldNode := oldLeaf
                newNode := newLeaf
                let path := shr(5, addr)
                let p := add(off, 0x20)
                for { let end := add(off, 0x80) } lt(p, end) { p := add(p, 0x20) } {
                    oldNode, newNode := hashLevel(oldNode, newNode, shl(5, and(path, 1)), calldataload(p))
                    path := shr(1, path)
                }
                for { let end := add(off, MEM_PROOF_SIZE) } lt(p, end) { p := add(p, 0x80) } {
                    oldNode, newNode := hashLevel(oldNode, newNode, shl(5, and(path, 1)), calldataload(p))
                    oldNode, newNode := hashLevel(oldNode, newNode, shl(4, and(path, 2)), calldataload(add(p, 0x20)))
                    oldNode, newNode := hashLevel(oldNode, newNode, shl(3, and(path, 4)), calldataload(add(p, 0x40)))
                    oldNode, newNode := hashLevel(oldNode, newNode, shl(2, and(path, 8)), calldataload(add(p, 0x60)))
                    path := shr(4, path)
                }
            }

            // One level for both trees: `s` is 0x20 if the nodes are right children, else 0.
            function hashLevel(oldNode, newNode, s, sibling) -> oldParent, newParent {
                mstore(xor(s, 0x20), sibling)
                mstore(s, oldNode)
                oldParent := keccak256(0x00, 0x40)
                mstore(s, newNode)
                newParent := keccak256(0x00, 0x40)
            }

            function proofOffset(slot) -> off {
                off := add(MEM_PROOF_CALLDATA, mul(slot, MEM_PROOF_SIZE))
                if lt(calldatasize(), add(off, MEM_PROOF_SIZE)) {
                    revertWithMessage(49, "MIPS64Memory: check that there i", "s enough calldata")
                }
            }

            // Bit shift of the 8-byte word at 8-aligned `addr` inside its 32-byte leaf.
            function wordShift(addr) -> s {
                s := shl(3, sub(24, and(addr, 24)))
            }

            // The word at 8-aligned `addr` as proof `slot` claims it, not yet verified:
            // only for words that are then written with writeMem, which verifies it.
            function peekMem(addr, slot) -> word {
                word := and(shr(wordShift(addr), calldataload(proofOffset(slot))), MASK64)
            }

            // The word at 8-aligned `addr`, verified by proof `slot` against the memory root.
            function readMem(addr, slot) -> word {
                let off := proofOffset(slot)
                let leaf := calldataload(off)
                if iszero(eq(merkleRoot(leaf, addr, off), mload(add(M_STATE, S_MEM_ROOT)))) {
                    revertWithSelector(SEL_INVALID_MEMORY_PROOF)
                }
                word := and(shr(wordShift(addr), leaf), MASK64)
            }

            function clearReservation() {
                set8(add(M_STATE, S_LL_STATUS), 0)
                set64(add(M_STATE, S_LL_ADDRESS), 0)
                set64(add(M_STATE, S_LL_OWNER), 0)
            }

            // Writes `value` to the word at 8-aligned `addr`: verifies proof `slot` against
            // the current memory root (a mismatch reverts with `errorSelector`) and sets the
            // root to the one with the new leaf. A write to the reserved word clears the LL
            // reservation, whoever writes (spec §6).
            function writeMemChecked(addr, slot, value, errorSelector) {
                let off := proofOffset(slot)
                let s := wordShift(addr)
                let leaf := calldataload(off)
                let newLeaf := or(and(leaf, not(shl(s, MASK64))), shl(s, value))
                let oldRoot, newRoot := merkleRoots(leaf, newLeaf, addr, off)
                let rootSlot := add(M_STATE, S_MEM_ROOT)
                if iszero(eq(oldRoot, mload(rootSlot))) { revertWithSelector(errorSelector) }
                mstore(rootSlot, newRoot)
                if eq(addr, and(get64(add(M_STATE, S_LL_ADDRESS)), not(7))) { clearReservation() }
            }

            function writeMem(addr, slot, value) {
                writeMemChecked(addr, slot, value, SEL_INVALID_MEMORY_PROOF)
            }

            // ======================================================== pc

            function advancePC() {
                let next := get64(add(M_THREAD, T_NEXT_PC))
                set64(add(M_THREAD, T_PC), next)
                set64(add(M_THREAD, T_NEXT_PC), add(next, 4))
            }

            function inDelaySlot() -> yes {
                yes := iszero(eq(get64(add(M_THREAD, T_NEXT_PC)), and(add(get64(add(M_THREAD, T_PC)), 4), MASK64)))
            }

            // pc' = nextPC, nextPC' = target; link (if nonzero) = pc + 8 (spec §5.6).
            function jumpTo(target, linkReg) {
                if inDelaySlot() { revertWithMessage(26, "MIPS64: jump in delay slot", "") }
                let pcv := get64(add(M_THREAD, T_PC))
                set64(add(M_THREAD, T_PC), get64(add(M_THREAD, T_NEXT_PC)))
                set64(add(M_THREAD, T_NEXT_PC), target)
                setReg(linkReg, add(pcv, 8))
            }

            // ======================================================== branches (spec §5.2, §5.5, §5.6)

            function execBranch(insn, op, rsv, rtv) {
                if inDelaySlot() { revertWithMessage(28, "MIPS64: branch in delay slot", "") }
                let srs := signextend(7, rsv)
                let taken := 0
                switch op
                case 0x04 { taken := eq(rsv, rtv) } // BEQ
                case 0x05 { taken := iszero(eq(rsv, rtv)) } // BNE
                case 0x06 { taken := iszero(sgt(srs, 0)) } // BLEZ
                case 0x07 { taken := sgt(srs, 0) } // BGTZ
                default {
                    // REGIMM, selected by the rt field; unknown selectors are never taken.
                    switch and(shr(16, insn), 31)
                    case 0x00 { taken := slt(srs, 0) } // BLTZ
                    case 0x01 { taken := iszero(slt(srs, 0)) } // BGEZ
                    case 0x10 { // BLTZAL: links whether taken or not
                        taken := slt(srs, 0)
                        setReg(REG_RA, add(get64(add(M_THREAD, T_PC)), 8))
                    }
                    case 0x11 { // BGEZAL
                        taken := iszero(slt(srs, 0))
                        setReg(REG_RA, add(get64(add(M_THREAD, T_PC)), 8))
                    }
                }
                let pcv := get64(add(M_THREAD, T_PC))
                let next := get64(add(M_THREAD, T_NEXT_PC))
                set64(add(M_THREAD, T_PC), next)
                switch taken
                case 0 { set64(add(M_THREAD, T_NEXT_PC), add(next, 4)) }
                default { set64(add(M_THREAD, T_NEXT_PC), add(add(pcv, 4), shl(2, signextend(1, and(insn, 0xFFFF))))) }
            }

            // ======================================================== ALU (spec §5.2–§5.4)

            // Number of significant bits of x < 2^64 (0 for x = 0).
            function bitLength(x) -> n {
                n := shl(5, lt(0xFFFFFFFF, x))
                n := or(n, shl(4, lt(0xFFFF, shr(n, x))))
                n := or(n, shl(3, lt(0xFF, shr(n, x))))
                n := or(n, shl(2, lt(0xF, shr(n, x))))
                n := or(n, shl(1, lt(0x3, shr(n, x))))
                n := or(n, lt(0x1, shr(n, x)))
                n := add(n, iszero(iszero(x)))
            }

            // I-type ALU ops; the result goes to rt.
            function immediateOp(op, insn, rsv) -> v {
                let imm := and(insn, 0xFFFF)
                let simm := signextend(1, imm)
                switch op
                case 0x09 { v := sx32(add(rsv, simm)) } // ADDIU
                case 0x19 { v := and(add(rsv, simm), MASK64) } // DADDIU
                case 0x0F { v := sx32(shl(16, imm)) } // LUI
                case 0x0D { v := or(rsv, imm) } // ORI
                case 0x0C { v := and(rsv, imm) } // ANDI
                case 0x0A { v := slt(signextend(7, rsv), simm) } // SLTI
                case 0x0B { v := lt(rsv, and(simm, MASK64)) } // SLTIU
                case 0x0E { v := xor(rsv, imm) } // XORI
                case 0x08 { v := sx32(add(rsv, simm)) } // ADDI (no overflow trap)
                case 0x18 { v := and(add(rsv, simm), MASK64) } // DADDI (no overflow trap)
                default { revertInvalidInstruction() }
            }

            // SPECIAL (op 0): the result goes to rd.
            function execSpecial(insn, rsv, rtv) {
                let funct := and(insn, 0x3F)
                let rd := and(shr(11, insn), 31)
                let sa := and(shr(6, insn), 31)
                let v := 0
                switch funct
                case 0x00 { v := sx32(shl(sa, rtv)) } // SLL
                case 0x02 { v := sx32(shr(sa, and(rtv, MASK32))) } // SRL (ROTR runs as SRL)
                case 0x03 { v := sx32(sar(sa, signextend(3, rtv))) } // SRA
                case 0x04 { v := sx32(shl(and(rsv, 31), rtv)) } // SLLV
                case 0x06 { v := sx32(shr(and(rsv, 31), and(rtv, MASK32))) } // SRLV (ROTRV runs as SRLV)
                case 0x07 { v := sx32(sar(and(rsv, 31), signextend(3, rtv))) } // SRAV
                case 0x08 { // JR
                    jumpTo(rsv, 0)
                    leave
                }
                case 0x09 { // JALR
                    jumpTo(rsv, rd)
                    leave
                }
                case 0x0A { // MOVZ
                    if iszero(rtv) { setReg(rd, rsv) }
                    advancePC()
                    leave
                }
                case 0x0B { // MOVN
                    if rtv { setReg(rd, rsv) }
                    advancePC()
                    leave
                }
                case 0x0F { v := rsv } // SYNC: rd = rs (spec §5.3)
                // 0x10–0x1F share one path that writes its result (0 unless MFHI/MFLO/D*V) to rd.
                case 0x10 { v := get64(add(M_THREAD, T_HI)) } // MFHI
                case 0x11 { set64(add(M_THREAD, T_HI), rsv) } // MTHI
                case 0x12 { v := get64(add(M_THREAD, T_LO)) } // MFLO
                case 0x13 { set64(add(M_THREAD, T_LO), rsv) } // MTLO
                case 0x14 { v := and(shl(and(rsv, 63), rtv), MASK64) } // DSLLV
                case 0x16 { v := shr(and(rsv, 63), rtv) } // DSRLV (DROTRV runs as DSRLV)
                case 0x17 { v := and(sar(and(rsv, 63), signextend(7, rtv)), MASK64) } // DSRAV
                case 0x18 { // MULT
                    let p := mul(signextend(3, rsv), signextend(3, rtv))
                    set64(add(M_THREAD, T_HI), sx32(shr(32, p)))
                    set64(add(M_THREAD, T_LO), sx32(p))
                }
                case 0x19 { // MULTU
                    let p := mul(and(rsv, MASK32), and(rtv, MASK32))
                    set64(add(M_THREAD, T_HI), sx32(shr(32, p)))
                    set64(add(M_THREAD, T_LO), sx32(p))
                }
                case 0x1A { // DIV: only the low 32 bits of rt are tested
                    if iszero(and(rtv, MASK32)) { revertWithMessage(24, "MIPS64: division by zero", "") }
                    let a := signextend(3, rsv)
                    let b := signextend(3, rtv)
                    set64(add(M_THREAD, T_LO), sx32(sdiv(a, b)))
                    set64(add(M_THREAD, T_HI), sx32(smod(a, b)))
                }
                case 0x1B { // DIVU
                    if iszero(and(rtv, MASK32)) { revertWithMessage(24, "MIPS64: division by zero", "") }
                    let a := and(rsv, MASK32)
                    let b := and(rtv, MASK32)
                    set64(add(M_THREAD, T_LO), sx32(div(a, b)))
                    set64(add(M_THREAD, T_HI), sx32(mod(a, b)))
                }
                case 0x1C { // DMULT: 128-bit two's complement product, HI = bits 64..127
                    let p := mul(signextend(7, rsv), signextend(7, rtv))
                    set64(add(M_THREAD, T_HI), shr(64, p))
                    set64(add(M_THREAD, T_LO), p)
                }
                case 0x1D { // DMULTU
                    let p := mul(rsv, rtv)
                    set64(add(M_THREAD, T_HI), shr(64, p))
                    set64(add(M_THREAD, T_LO), p)
                }
                case 0x1E { // DDIV
                    if iszero(rtv) { revertWithMessage(24, "MIPS64: division by zero", "") }
                    let a := signextend(7, rsv)
                    let b := signextend(7, rtv)
                    set64(add(M_THREAD, T_LO), sdiv(a, b))
                    set64(add(M_THREAD, T_HI), smod(a, b))
                }
                case 0x1F { // DDIVU
                    if iszero(rtv) { revertWithMessage(24, "MIPS64: division by zero", "") }
                    set64(add(M_THREAD, T_LO), div(rsv, rtv))
                    set64(add(M_THREAD, T_HI), mod(rsv, rtv))
                }
                case 0x20 { v := sx32(add(rsv, rtv)) } // ADD (no overflow trap)
                case 0x21 { v := sx32(add(rsv, rtv)) } // ADDU
                case 0x22 { v := sx32(sub(rsv, rtv)) } // SUB (no overflow trap)
                case 0x23 { v := sx32(sub(rsv, rtv)) } // SUBU
                case 0x24 { v := and(rsv, rtv) } // AND
                case 0x25 { v := or(rsv, rtv) } // OR
                case 0x26 { v := xor(rsv, rtv) } // XOR
                case 0x27 { v := and(not(or(rsv, rtv)), MASK64) } // NOR
                case 0x2A { v := slt(signextend(7, rsv), signextend(7, rtv)) } // SLT
                case 0x2B { v := lt(rsv, rtv) } // SLTU
                case 0x2C { v := and(add(rsv, rtv), MASK64) } // DADD (no overflow trap)
                case 0x2D { v := and(add(rsv, rtv), MASK64) } // DADDU
                case 0x2E { v := and(sub(rsv, rtv), MASK64) } // DSUB (no overflow trap)
                case 0x2F { v := and(sub(rsv, rtv), MASK64) } // DSUBU
                case 0x38 { v := and(shl(sa, rtv), MASK64) } // DSLL
                case 0x3A { v := shr(sa, rtv) } // DSRL (DROTR runs as DSRL)
                case 0x3B { v := and(sar(sa, signextend(7, rtv)), MASK64) } // DSRA
                case 0x3C { v := and(shl(add(sa, 32), rtv), MASK64) } // DSLL32
                case 0x3E { v := shr(add(sa, 32), rtv) } // DSRL32 (DROTR32 runs as DSRL32)
                case 0x3F { v := and(sar(add(sa, 32), signextend(7, rtv)), MASK64) } // DSRA32
                default { revertInvalidInstruction() }
                setReg(rd, v)
                advancePC()
            }

            // SPECIAL2 (op 0x1C): the result goes to rd; HI/LO are not touched.
            function execSpecial2(insn, rsv, rtv) {
                let v := 0
                switch and(insn, 0x3F)
                case 0x02 { v := sx32(mul(rsv, rtv)) } // MUL
                case 0x20 { v := sub(32, bitLength(and(rsv, MASK32))) } // CLZ
                case 0x21 { v := sub(32, bitLength(xor(and(rsv, MASK32), MASK32))) } // CLO
                case 0x24 { v := sub(64, bitLength(rsv)) } // DCLZ
                case 0x25 { v := sub(64, bitLength(xor(rsv, MASK64))) } // DCLO
                default { revertInvalidInstruction() }
                setReg(and(shr(11, insn), 31), v)
                advancePC()
            }

            // ======================================================== loads and stores (spec §5.7)

            // Every op >= 0x20 and LDL/LDR: the data word is read (proof slot 1) before the
            // op is validated, so invalid ops >= 0x20 need a valid proof too (spec §5.1).
            function execLoadStore(insn, op, rsv, rtIdx, rtv) {
                let ea := and(add(rsv, signextend(1, and(insn, 0xFFFF))), MASK64)
                let addr := and(ea, not(7))
                // Stores (0x28–0x2E, 0x3F) have their proof verified by writeMem.
                let m := 0
                switch and(shr(sub(op, 0x20), STORE_OPS), 1)
                case 0 { m := readMem(addr, 1) }
                default { m := peekMem(addr, 1) }
                let b := and(ea, 7) // byte index of ea in the word (big-endian)
                switch op
                case 0x37 { setReg(rtIdx, m) } // LD
                case 0x3F { writeMem(addr, 1, rtv) } // SD
                case 0x23 { setReg(rtIdx, sx32(shr(shl(3, sub(4, and(b, 4))), m))) } // LW
                case 0x2B { writeMem(addr, 1, insertBits(m, shl(3, sub(4, and(b, 4))), MASK32, rtv)) } // SW
                case 0x20 { setReg(rtIdx, and(signextend(0, shr(shl(3, sub(7, b)), m)), MASK64)) } // LB
                case 0x24 { setReg(rtIdx, and(shr(shl(3, sub(7, b)), m), 0xFF)) } // LBU
                case 0x21 { setReg(rtIdx, and(signextend(1, shr(shl(3, sub(6, and(b, 6))), m)), MASK64)) } // LH
                case 0x25 { setReg(rtIdx, and(shr(shl(3, sub(6, and(b, 6))), m), 0xFFFF)) } // LHU
                case 0x27 { setReg(rtIdx, and(shr(shl(3, sub(4, and(b, 4))), m), MASK32)) } // LWU
                case 0x28 { writeMem(addr, 1, insertBits(m, shl(3, sub(7, b)), 0xFF, rtv)) } // SB
                case 0x29 { writeMem(addr, 1, insertBits(m, shl(3, sub(6, and(b, 6))), 0xFFFF, rtv)) } // SH
                case 0x22 { setReg(rtIdx, loadWordLeft(m, ea, rtv)) } // LWL
                case 0x26 { setReg(rtIdx, loadWordRight(m, ea, rtv)) } // LWR
                case 0x2A { writeMem(addr, 1, storeWordLeft(m, ea, rtv)) } // SWL
                case 0x2E { writeMem(addr, 1, storeWordRight(m, ea, rtv)) } // SWR
                case 0x1A { // LDL: memory bytes ea..ea|7 go to the top of rt
                    let s := shl(3, b)
                    setReg(rtIdx, or(and(shl(s, m), MASK64), and(rtv, sub(shl(s, 1), 1))))
                }
                case 0x1B { // LDR: memory bytes ea&~7..ea go to the bottom of rt
                    let s := shl(3, sub(7, b))
                    setReg(rtIdx, or(shr(s, m), and(rtv, and(shl(sub(64, s), MASK64), MASK64))))
                }
                case 0x2C { // SDL
                    let s := shl(3, b)
                    writeMem(addr, 1, or(shr(s, rtv), and(m, not(shr(s, MASK64)))))
                }
                case 0x2D { // SDR
                    let s := shl(3, sub(7, b))
                    writeMem(addr, 1, or(and(shl(s, rtv), MASK64), and(m, not(shl(s, MASK64)))))
                }
                default { revertInvalidInstruction() }
                advancePC()
            }

            // m with the field (mask << s) replaced by the low bits of v.
            function insertBits(m, s, mask, v) -> r {
                r := or(and(m, not(shl(s, mask))), shl(s, and(v, mask)))
            }

            // The aligned 32-bit word of m that contains ea, and its bit shift in m.
            function wordOf(m, ea) -> w, s {
                s := shl(3, sub(4, and(ea, 4)))
                w := and(shr(s, m), MASK32)
            }

            function loadWordLeft(m, ea, rtv) -> v {
                let w, _s := wordOf(m, ea)
                let s := shl(3, and(ea, 3))
                v := sx32(or(shl(s, w), and(rtv, sub(shl(s, 1), 1))))
            }

            // Keeps rt's upper word unless the whole word is loaded (Cannon-specific, spec §5.7).
            function loadWordRight(m, ea, rtv) -> v {
                let w, _s := wordOf(m, ea)
                let a := and(ea, 3)
                let s := shl(3, sub(3, a))
                let t := or(and(rtv, and(not(shr(s, MASK32)), MASK32)), shr(s, w))
                switch a
                case 3 { v := sx32(t) }
                default { v := or(and(rtv, 0xFFFFFFFF00000000), t) }
            }

            function storeWordLeft(m, ea, rtv) -> r {
                let w, ws := wordOf(m, ea)
                let s := shl(3, and(ea, 3))
                let nw := or(shr(s, and(rtv, MASK32)), and(w, not(shr(s, MASK32))))
                r := insertBits(m, ws, MASK32, nw)
            }

            function storeWordRight(m, ea, rtv) -> r {
                let w, ws := wordOf(m, ea)
                let s := shl(3, sub(3, and(ea, 3)))
                let nw := or(and(shl(s, rtv), MASK32), and(w, sub(shl(s, 1), 1)))
                r := insertBits(m, ws, MASK32, nw)
            }

            // ======================================================== LL/SC (spec §6)

            function execAtomic(insn, op) {
                let rtIdx := and(shr(16, insn), 31)
                let ea := and(add(reg(and(shr(21, insn), 31)), signextend(1, and(insn, 0xFFFF))), MASK64)
                let addr := and(ea, not(7))
                let tid := get64(add(M_THREAD, T_ID))
                switch op
                case 0x30 { // LL
                    let m := readMem(addr, 1)
                    setReg(rtIdx, sx32(shr(shl(3, sub(4, and(ea, 4))), m)))
                    setReservation(1, ea, tid)
                }
                case 0x34 { // LLD
                    setReg(rtIdx, readMem(addr, 1))
                    setReservation(2, ea, tid)
                }
                default { // SC (0x38) / SCD (0x3C)
                    let status := add(1, eq(op, 0x3C))
                    let ok := and(
                        eq(get8(add(M_STATE, S_LL_STATUS)), status),
                        and(eq(get64(add(M_STATE, S_LL_OWNER)), tid), eq(get64(add(M_STATE, S_LL_ADDRESS)), ea))
                    )
                    if ok {
                        clearReservation()
                        let m := peekMem(addr, 1)
                        let rtv := reg(rtIdx)
                        switch status
                        case 1 { writeMem(addr, 1, insertBits(m, shl(3, sub(4, and(ea, 4))), MASK32, rtv)) }
                        default { writeMem(addr, 1, rtv) }
                    }
                    setReg(rtIdx, ok)
                }
                advancePC()
            }

            function setReservation(status, ea, tid) {
                set8(add(M_STATE, S_LL_STATUS), status)
                set64(add(M_STATE, S_LL_ADDRESS), ea)
                set64(add(M_STATE, S_LL_OWNER), tid)
            }

            // ======================================================== syscalls (spec §7)

            // Error convention B (state versions 7/8): $v0 = errno, $a3 = -1.
            function sysError(errno) -> v0, v1 {
                v0 := errno
                v1 := MASK64
            }

            function exitVM(code) {
                set8(add(M_STATE, S_EXITED), 1)
                set8(add(M_STATE, S_EXIT_CODE), code)
            }

            // The VM exits with the last thread: the other stack and the rest of this one are empty.
            function exitThread(code) {
                set8(add(M_THREAD, T_EXITED), 1)
                set8(add(M_THREAD, T_EXIT_CODE), code)
                if and(eq(mload(inactiveRootSlot()), EMPTY_THREAD_ROOT), eq(mload(M_INNER_ROOT), EMPTY_THREAD_ROOT)) {
                    exitVM(code)
                }
            }

            // Builds the child of clone from the pre-syscall thread; returns its id.
            function spawnChild(stack) -> tid {
                mcopy(M_CHILD, M_THREAD, THREAD_SIZE)
                tid := get64(add(M_STATE, S_NEXT_THREAD_ID))
                set64(add(M_STATE, S_NEXT_THREAD_ID), add(tid, 1))
                set64(add(M_CHILD, T_ID), tid)
                set8(add(M_CHILD, T_EXIT_CODE), 0)
                set8(add(M_CHILD, T_EXITED), 0)
                let next := get64(add(M_THREAD, T_NEXT_PC))
                set64(add(M_CHILD, T_PC), next)
                set64(add(M_CHILD, T_NEXT_PC), add(next, 4))
                let regs := add(M_CHILD, T_REGS)
                set64(add(regs, shl(3, REG_SP)), stack)
                set64(add(regs, shl(3, REG_V0)), 0)
                set64(add(regs, shl(3, REG_A3)), 0)
            }

            // mmap: a hint address is returned as is; otherwise the heap grows by the length
            // rounded up to a page. Wrap-arounds are caught by computing in 256 bits.
            function sysMmap(addr, len) -> v0, v1 {
                if addr {
                    v0 := addr
                    leave
                }
                let size := len
                let rem := and(len, sub(PAGE_SIZE, 1))
                if rem { size := add(len, sub(PAGE_SIZE, rem)) }
                let heap := get64(add(M_STATE, S_HEAP))
                if gt(add(heap, size), HEAP_END) {
                    v0, v1 := sysError(EINVAL)
                    leave
                }
                v0 := heap
                set64(add(M_STATE, S_HEAP), add(heap, size))
            }

            function sysRead(fd, addr, count) -> v0, v1 {
                switch fd
                case 0 {} // stdin: end of file
                case 3 { v0 := count } // hint response: nothing to store on-chain
                case 5 { v0 := readPreimageChunk(addr, count) }
                case 100 { v0, v1 := sysError(EAGAIN) } // eventfd
                default { v0, v1 := sysError(EBADF) }
            }

            function sysWrite(fd, addr, count) -> v0, v1 {
                switch fd
                case 1 { v0 := count } // stdout
                case 2 { v0 := count } // stderr
                case 4 { v0 := count } // hint request: off-chain only
                case 6 { v0 := writePreimageKey(addr, count) }
                case 100 { v0, v1 := sysError(EAGAIN) } // eventfd
                default { v0, v1 := sysError(EBADF) }
            }

            function sysFcntl(fd, cmd) -> v0, v1 {
                switch cmd
                case 1 { // F_GETFD
                    if gt(fd, 6) { v0, v1 := sysError(EBADF) }
                }
                case 3 { // F_GETFL: read ends O_RDONLY (0), write ends O_WRONLY (1)
                    switch fd
                    case 0 {}
                    case 3 {}
                    case 5 {}
                    case 1 { v0 := 1 }
                    case 2 { v0 := 1 }
                    case 4 { v0 := 1 }
                    case 6 { v0 := 1 }
                    default { v0, v1 := sysError(EBADF) }
                }
                default { v0, v1 := sysError(EINVAL) }
            }

            function sysFutex(addr, op, val) -> v0, v1, sched {
                switch op
                case 128 { // FUTEX_WAIT_PRIVATE: sleep (= yield) only if *addr still holds val
                    let aligned := and(addr, not(3))
                    let m := readMem(and(addr, not(7)), 1)
                    let cur := and(shr(shl(3, sub(4, and(aligned, 4))), m), MASK32)
                    switch eq(cur, and(val, MASK32))
                    case 1 { sched := SCHED_PREEMPT }
                    default { v0, v1 := sysError(EAGAIN) }
                }
                case 129 { sched := SCHED_PREEMPT } // FUTEX_WAKE_PRIVATE: waiters re-check when scheduled
                default { v0, v1 := sysError(EINVAL) }
            }

            // Writes secs then nsecs at a1 & ~7; the second word is proven (slot 2) against
            // the root after the first write. REALTIME reads 0/0 (spec §7.5).
            function sysClockGettime(clock, addr) -> v0, v1 {
                if gt(clock, 1) {
                    v0, v1 := sysError(EINVAL)
                    leave
                }
                let secs := 0
                let nsecs := 0
                if eq(clock, 1) {
                    let s := get64(add(M_STATE, S_STEP))
                    secs := div(s, HZ)
                    nsecs := mul(mod(s, HZ), 100)
                }
                let first := and(addr, not(7))
                writeMem(first, 1, secs)
                writeMemChecked(and(add(first, 8), MASK64), 2, nsecs, SEL_INVALID_SECOND_MEMORY_PROOF)
            }

            function splitmix64(seed) -> z {
                z := and(add(seed, 0x9e3779b97f4a7c15), MASK64)
                z := and(mul(xor(z, shr(30, z)), 0xbf58476d1ce4e5b9), MASK64)
                z := and(mul(xor(z, shr(27, z)), 0x94d049bb133111eb), MASK64)
                z := xor(z, shr(31, z))
            }

            // Mask of the n bytes starting at byte k (big-endian) of an 8-byte word, n ≤ 8 - k.
            function byteMask(k, n) -> mask {
                mask := shl(shl(3, sub(sub(8, k), n)), sub(shl(shl(3, n), 1), 1))
            }

            // getrandom: fills min(len, 8 - (buf & 7)) bytes from splitmix64(step); the word
            // is written back even for 0 bytes.
            function sysGetrandom(buf, len) -> n {
                let addr := and(buf, not(7))
                let k := and(buf, 7)
                let m := peekMem(addr, 1)
                n := min(len, sub(8, k))
                let mask := byteMask(k, n)
                let rnd := splitmix64(get64(add(M_STATE, S_STEP)))
                writeMem(addr, 1, or(and(m, not(mask)), and(rnd, mask)))
            }

            // ======================================================== pre-image I/O (spec §7.4, §8)

            // Appends min(count, 8 - (addr & 7)) bytes of memory at addr to the key; the
            // read offset restarts at 0 even when no byte is appended.
            function writePreimageKey(addr, count) -> n {
                let k := and(addr, 7)
                let m := readMem(and(addr, not(7)), 1)
                n := min(count, sub(8, k))
                let chunk := and(shr(shl(3, sub(sub(8, k), n)), m), sub(shl(shl(3, n), 1), 1))
                let p := add(M_STATE, S_PREIMAGE_KEY)
                mstore(p, or(shl(shl(3, n), mload(p)), chunk))
                set64(add(M_STATE, S_PREIMAGE_OFFSET), 0)
            }

            // Type-1 keys are localized to the caller and local context (spec §8.1).
            function localizeKey(key) -> localized {
                mstore(M_CALL, key)
                mstore(add(M_CALL, 0x20), caller())
                mstore(add(M_CALL, 0x40), mload(M_LOCAL_CONTEXT))
                localized := or(shr(8, shl(8, keccak256(M_CALL, 0x60))), shl(248, 1))
            }

            // oracle.readPreimage(key, offset); a revert of the oracle is passed on as is.
            function oracleRead(key, offset) -> dat, datLen {
                mstore(M_CALL, READ_PREIMAGE)
                mstore(add(M_CALL, 0x04), key)
                mstore(add(M_CALL, 0x24), offset)
                if iszero(staticcall(gas(), mload(M_ORACLE), M_CALL, 0x44, M_CALL, 0x40)) {
                    returndatacopy(0x00, 0x00, returndatasize())
                    revert(0x00, returndatasize())
                }
                if lt(returndatasize(), 0x40) { revert(0x00, 0x00) }
                dat := mload(M_CALL)
                datLen := mload(add(M_CALL, 0x20))
            }

            // Copies min(datLen, 8 - (addr & 7), count) pre-image bytes to memory at addr;
            // the word is written back even for 0 bytes.
            function readPreimageChunk(addr, count) -> n {
                let word := and(addr, not(7))
                let k := and(addr, 7)
                let m := peekMem(word, 1)
                let key := mload(add(M_STATE, S_PREIMAGE_KEY))
                if eq(shr(248, key), 1) { key := localizeKey(key) }
                let offset := get64(add(M_STATE, S_PREIMAGE_OFFSET))
                let dat, datLen := oracleRead(key, offset)
                n := min(min(datLen, sub(8, k)), count)
                let s := shl(3, sub(sub(8, k), n))
                let chunk := shl(s, shr(sub(256, shl(3, n)), dat))
                writeMem(word, 1, or(and(m, not(byteMask(k, n))), chunk))
                set64(add(M_STATE, S_PREIMAGE_OFFSET), add(offset, n))
            }

            // Runs the syscall in $v0; returns what the scheduler does next. Normal returns
            // set $v0/$a3 and advance the pc; exit, exit_group and a failed clone do neither.
            function execSyscall() -> sched {
                let a0 := reg(REG_A0)
                let a1 := reg(REG_A1)
                let v0 := 0
                let v1 := 0
                switch reg(REG_V0)
                case 5009 { v0, v1 := sysMmap(a0, a1) } // mmap
                case 5194 { v0, v1, sched := sysFutex(a0, a1, reg(REG_A2)) } // futex
                case 5001 { v0, v1 := sysWrite(a0, a1, reg(REG_A2)) } // write
                case 5000 { v0, v1 := sysRead(a0, a1, reg(REG_A2)) } // read
                case 5023 { sched := SCHED_PREEMPT } // sched_yield
                case 5034 { sched := SCHED_PREEMPT } // nanosleep
                case 5222 { v0, v1 := sysClockGettime(a0, a1) } // clock_gettime
                case 5012 { v0 := PROGRAM_BREAK } // brk
                case 5055 { // clone
                    if iszero(eq(a0, CLONE_FLAGS)) {
                        exitVM(2) // unsupported flags: the VM panics, the thread is untouched
                        leave
                    }
                    v0 := spawnChild(a1)
                    sched := SCHED_CLONE
                }
                case 5205 { // exit_group
                    exitVM(and(a0, 0xFF))
                    leave
                }
                case 5058 { // exit
                    exitThread(and(a0, 0xFF))
                    leave
                }
                case 5070 { v0, v1 := sysFcntl(a0, a1) } // fcntl
                case 5178 { v0 := get64(add(M_THREAD, T_ID)) } // gettid
                case 5038 {} // getpid: 0
                case 5002 { v0, v1 := sysError(EBADF) } // open
                case 5313 { v0 := sysGetrandom(a0, a1) } // getrandom
                case 5284 { // eventfd2: only non-blocking; always fd 100
                    switch and(a1, EFD_NONBLOCK)
                    case 0 { v0, v1 := sysError(EINVAL) }
                    default { v0 := FD_EVENTFD }
                }
                // No-ops (spec §7.3): $v0 = $a3 = 0.
                case 5011 {} // munmap
                case 5010 {} // mprotect
                case 5196 {} // sched_getaffinity
                case 5027 {} // madvise
                case 5014 {} // rt_sigprocmask
                case 5129 {} // sigaltstack
                case 5013 {} // rt_sigaction
                case 5297 {} // prlimit64
                case 5003 {} // close
                case 5016 {} // pread64
                case 5004 {} // stat
                case 5005 {} // fstat
                case 5247 {} // openat
                case 5087 {} // readlink
                case 5257 {} // readlinkat
                case 5015 {} // ioctl
                case 5285 {} // epoll_create1
                case 5287 {} // pipe2
                case 5208 {} // epoll_ctl
                case 5272 {} // epoll_pwait
                case 5061 {} // uname
                case 5100 {} // getuid
                case 5102 {} // getgid
                case 5026 {} // mincore
                case 5225 {} // tgkill
                case 5095 {} // getrlimit
                case 5008 {} // lseek
                case 5036 {} // setitimer
                case 5216 {} // timer_create
                case 5217 {} // timer_settime
                case 5220 {} // timer_delete
                default { revertWithMessage(29, "MIPS64: unimplemented syscall", "") }
                setReg(REG_V0, v0)
                setReg(REG_A3, v1)
                advancePC()
            }

            // ======================================================== one instruction (spec §5.1)

            function execInstruction() -> sched {
                let pcv := get64(add(M_THREAD, T_PC))
                if and(pcv, 3) { revertWithSelector(SEL_INVALID_PC) }
                // The instruction is the half of the 8-byte word at pc & ~7 selected by pc & 4.
                let insn := and(shr(shl(5, iszero(and(pcv, 4))), readMem(and(pcv, not(7)), 0)), MASK32)
                let op := shr(26, insn)

                if and(iszero(op), eq(and(insn, 0x3F), 0x0C)) {
                    sched := execSyscall()
                    leave
                }
                // LL 0x30, LLD 0x34, SC 0x38, SCD 0x3C
                if eq(and(op, 0x33), 0x30) {
                    execAtomic(insn, op)
                    leave
                }
                // J 0x02, JAL 0x03
                if eq(shr(1, op), 1) {
                    let next := get64(add(M_THREAD, T_NEXT_PC))
                    let target := or(and(next, 0xFFFFFFFFF0000000), shl(2, and(insn, 0x03FFFFFF)))
                    jumpTo(target, mul(eq(op, 3), REG_RA))
                    leave
                }
                let rtIdx := and(shr(16, insn), 31)
                let rsv := reg(and(shr(21, insn), 31))
                let rtv := reg(rtIdx)
                // REGIMM 0x01, BEQ/BNE/BLEZ/BGTZ 0x04–0x07
                if or(eq(op, 1), eq(shr(2, op), 1)) {
                    execBranch(insn, op, rsv, rtv)
                    leave
                }
                // ops >= 0x20, LDL 0x1A, LDR 0x1B
                if or(gt(op, 0x1F), eq(shr(1, op), 0x0D)) {
                    execLoadStore(insn, op, rsv, rtIdx, rtv)
                    leave
                }
                switch op
                case 0x00 { execSpecial(insn, rsv, rtv) }
                case 0x1C { execSpecial2(insn, rsv, rtv) }
                default {
                    setReg(rtIdx, immediateOp(op, insn, rsv))
                    advancePC()
                }
            }

            // ======================================================== the step (spec §4)

            function runStep() {
                let activeRoot := mload(activeRootSlot())
                if eq(activeRoot, EMPTY_THREAD_ROOT) {
                    revertWithMessage(36, "MIPS64: active thread stack is e", "mpty")
                }
                let stepField := add(M_STATE, S_STEP)
                set64(stepField, add(get64(stepField), 1))

                if lt(calldatasize(), add(INNER_ROOT_CALLDATA, 0x20)) {
                    revertWithMessage(48, "MIPS64: insufficient calldata fo", "r thread witness")
                }
                calldatacopy(M_THREAD, THREAD_CALLDATA, THREAD_SIZE)
                let inner := calldataload(INNER_ROOT_CALLDATA)
                mstore(M_INNER_ROOT, inner)
                if iszero(eq(pushRoot(inner, keccak256(M_THREAD, THREAD_SIZE)), activeRoot)) {
                    revertWithMessage(30, "MIPS64: invalid thread witness", "")
                }

                if get8(add(M_THREAD, T_EXITED)) {
                    popThread()
                    leave
                }
                let counter := add(M_STATE, S_STEPS_SINCE_SWITCH)
                let steps := get64(counter)
                if iszero(lt(steps, SCHED_QUANTUM)) {
                    preemptThread()
                    leave
                }
                set64(counter, add(steps, 1))

                switch execInstruction()
                case 0 { updateCurrentThread() } // SCHED_KEEP
                case 1 { preemptThread() } // SCHED_PREEMPT
                default { // SCHED_CLONE
                    updateCurrentThread()
                    pushChild()
                }
            }

            // ======================================================== entry

            if iszero(and(eq(_stateData.offset, STATE_CALLDATA), eq(_proof.offset, THREAD_CALLDATA))) {
                revert(0x00, 0x00)
            }
            mstore(M_LOCAL_CONTEXT, _localContext)
            mstore(M_ORACLE, oracleAddress)
            calldatacopy(M_STATE, STATE_CALLDATA, STATE_SIZE)

            let exited := get8(add(M_STATE, S_EXITED))
            if gt(exited, 1) { revertWithSelector(SEL_INVALID_EXITED_VALUE) }
            // An exited VM is left as it is (no step increment), but still logged.
            if iszero(exited) { runStep() }

            if eq(mload(activeRootSlot()), EMPTY_THREAD_ROOT) {
                revertWithMessage(47, "MIPS64: post-state active thread", " stack is empty")
            }
            log0(M_STATE, STATE_SIZE)

            // Status byte (spec §2.1): 3 unfinished; exit code 0 → 0 valid, 1 → 1 invalid, else 2 panic.
            let status := 3
            if get8(add(M_STATE, S_EXITED)) {
                let code := get8(add(M_STATE, S_EXIT_CODE))
                status := 2
                if lt(code, 2) { status := code }
            }
            postStateHash_ := or(shr(8, shl(8, keccak256(M_STATE, STATE_SIZE))), shl(248, status))
        }
    }
}
