// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice One MT-Cannon thread (spec §2.2). `exited` is kept as a raw byte so crafted
///         witnesses with values other than 0/1 can be encoded.
struct Thread {
    uint64 id;
    uint8 exitCode;
    uint8 exited;
    uint64 pc;
    uint64 nextPC;
    uint64 lo;
    uint64 hi;
    uint64[32] r;
}

/// @notice The 188-byte VM state witness (spec §2.1), one field per member.
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
    uint64 stepsSince;
    uint8 traverseRight;
    bytes32 left;
    bytes32 right;
    uint64 nextThreadID;
}

/// @notice Encoders/decoders and hashes of spec §2, written from the layout tables alone.
library MTCodec {
    uint256 internal constant STATE_SIZE = 188;
    uint256 internal constant THREAD_SIZE = 298;

    /// keccak256(32 zero bytes ‖ 32 zero bytes): the root of an empty thread stack.
    bytes32 internal constant EMPTY_THREAD_ROOT = 0xad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5;

    // State witness layout (spec §2.1): offset, size.
    //   0 memRoot 32 | 32 preimageKey 32 | 64 preimageOffset 8 | 72 heap 8 | 80 llStatus 1
    //   81 llAddress 8 | 89 llOwner 8 | 97 exitCode 1 | 98 exited 1 | 99 step 8
    //   107 stepsSince 8 | 115 traverseRight 1 | 116 left 32 | 148 right 32 | 180 nextThreadID 8
    function encodeState(State memory s) internal pure returns (bytes memory out) {
        out = abi.encodePacked(s.memRoot, s.preimageKey, s.preimageOffset, s.heap, s.llStatus, s.llAddress);
        out = abi.encodePacked(out, s.llOwner, s.exitCode, s.exited, s.step, s.stepsSince, s.traverseRight);
        out = abi.encodePacked(out, s.left, s.right, s.nextThreadID);
        require(out.length == STATE_SIZE, "MTCodec: state size");
    }

    function decodeState(bytes memory b) internal pure returns (State memory s) {
        require(b.length == STATE_SIZE, "MTCodec: state witness must be 188 bytes");
        s.memRoot = bytes32(_be(b, 0, 32));
        s.preimageKey = bytes32(_be(b, 32, 32));
        s.preimageOffset = uint64(_be(b, 64, 8));
        s.heap = uint64(_be(b, 72, 8));
        s.llStatus = uint8(_be(b, 80, 1));
        s.llAddress = uint64(_be(b, 81, 8));
        s.llOwner = uint64(_be(b, 89, 8));
        s.exitCode = uint8(_be(b, 97, 1));
        s.exited = uint8(_be(b, 98, 1));
        s.step = uint64(_be(b, 99, 8));
        s.stepsSince = uint64(_be(b, 107, 8));
        s.traverseRight = uint8(_be(b, 115, 1));
        s.left = bytes32(_be(b, 116, 32));
        s.right = bytes32(_be(b, 148, 32));
        s.nextThreadID = uint64(_be(b, 180, 8));
    }

    // Thread layout (spec §2.2): 0 id 8 | 8 exitCode 1 | 9 exited 1 | 10 pc 8 | 18 nextPC 8
    //   26 lo 8 | 34 hi 8 | 42+8i registers[i] 8 (i = 0..31) | 298 end
    function encodeThread(Thread memory t) internal pure returns (bytes memory out) {
        out = abi.encodePacked(t.id, t.exitCode, t.exited, t.pc, t.nextPC, t.lo, t.hi);
        for (uint256 i = 0; i < 32; i++) {
            out = abi.encodePacked(out, t.r[i]);
        }
        require(out.length == THREAD_SIZE, "MTCodec: thread size");
    }

    function threadHash(Thread memory t) internal pure returns (bytes32) {
        return keccak256(encodeThread(t));
    }

    /// @notice push: root' = keccak256(root ‖ keccak256(thread)).
    function push(bytes32 root, Thread memory t) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(root, threadHash(t)));
    }

    /// @notice Root of a stack given bottom first (spec §2.3).
    function stackRoot(Thread[] memory stack) internal pure returns (bytes32 root) {
        root = EMPTY_THREAD_ROOT;
        for (uint256 i = 0; i < stack.length; i++) {
            root = push(root, stack[i]);
        }
    }

    /// @notice Root of the stack without its top element (the "inner root").
    function innerRoot(Thread[] memory stack) internal pure returns (bytes32 root) {
        require(stack.length > 0, "MTCodec: inner root of an empty stack");
        root = EMPTY_THREAD_ROOT;
        for (uint256 i = 0; i + 1 < stack.length; i++) {
            root = push(root, stack[i]);
        }
    }

    /// @notice VM status byte of spec §2.1: 3 unfinished, else 0/1/2 by exit code.
    function status(bool exited, uint8 exitCode) internal pure returns (uint8) {
        if (!exited) return 3;
        if (exitCode == 0) return 0;
        if (exitCode == 1) return 1;
        return 2;
    }

    /// @notice The status-tagged state hash: keccak256 of the 188-byte witness, then the hash's
    ///         first byte replaced by the VM status (spec §2.1; the spec §2.3 vector
    ///         0x035b… of a running VM starts with its status byte 3).
    ///         `exited` is read from byte 98 of the witness itself (nonzero = exited).
    function stateHash(bytes memory witness) internal pure returns (bytes32) {
        require(witness.length == STATE_SIZE, "MTCodec: state witness must be 188 bytes");
        uint256 st = status(uint8(witness[98]) != 0, uint8(witness[97]));
        uint256 h = uint256(keccak256(witness));
        return bytes32((h & (type(uint256).max >> 8)) | (st << 248));
    }

    /// @dev Big-endian unsigned integer of `size` (1..32) bytes at `off`.
    function _be(bytes memory b, uint256 off, uint256 size) private pure returns (uint256 v) {
        require(off + size <= b.length && size > 0 && size <= 32, "MTCodec: read out of range");
        assembly {
            v := shr(sub(256, mul(size, 8)), mload(add(add(b, 32), off)))
        }
    }
}
