// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TestBase} from "./helpers/TestBase.sol";
import {MTCodec, State, Thread} from "./helpers/MTCodec.sol";
import {SparseMemory, Mem} from "./helpers/SparseMemory.sol";
import {StepCalldata} from "./helpers/StepCalldata.sol";
import {Insn} from "./helpers/Insn.sol";
import {IMIPS64Step} from "./helpers/Interfaces.sol";

/// @notice The test helpers reproduce the constants and derived vectors of spec §2.3, §3, §10.
contract SanityTest is TestBase {
    bytes32 internal constant ZERO_THREAD_HASH = 0x142eef1e422e67c394d8fab4a0ce5c04ee405cb059176f719d9c2efb8e28d3a0;
    bytes32 internal constant ZERO_THREAD_LEFT_ROOT = 0x505ea3064aed44444fa938e2d1385d799ec3b37386d433a611439aed796ea153;
    bytes32 internal constant EMPTY_STATE_HASH = 0x035b096e17d7b97f6bbaa13d179958e729b70813e931dc90dbf4193372f3dc71;
    bytes32 internal constant EMPTY_MEMORY_ROOT = 0x14af5385bcbb1e4738bbae8106046e6e2fca42875aa5c000c582587742bcc748;

    function _zeroThread() internal pure returns (Thread memory t) {
        t.nextPC = 4;
    }

    function test_emptyThreadRoot_isKeccakOf64ZeroBytes() external pure {
        vm.assertEq(MTCodec.EMPTY_THREAD_ROOT, keccak256(new bytes(64)), "EMPTY_THREAD_ROOT");
        vm.assertEq(MTCodec.stackRoot(new Thread[](0)), MTCodec.EMPTY_THREAD_ROOT, "root of []");
    }

    function test_threadHash_zeroThreadMatchesSpec() external pure {
        bytes memory enc = MTCodec.encodeThread(_zeroThread());
        vm.assertEq(enc.length, 298, "thread size");
        vm.assertEq(uint8(enc[25]), 4, "nextPC low byte at offset 25");
        vm.assertEq(MTCodec.threadHash(_zeroThread()), ZERO_THREAD_HASH, "zero thread hash");
    }

    function test_stackRoot_singleZeroThreadMatchesSpec() external pure {
        Thread[] memory st = new Thread[](1);
        st[0] = _zeroThread();
        vm.assertEq(MTCodec.stackRoot(st), ZERO_THREAD_LEFT_ROOT, "left root");
        vm.assertEq(
            ZERO_THREAD_LEFT_ROOT, keccak256(abi.encodePacked(MTCodec.EMPTY_THREAD_ROOT, ZERO_THREAD_HASH)), "push"
        );
        vm.assertEq(MTCodec.innerRoot(st), MTCodec.EMPTY_THREAD_ROOT, "inner root of a 1-element stack");
    }

    function test_stackRoot_pushesBottomFirst() external pure {
        Thread[] memory st = new Thread[](2);
        st[0] = _zeroThread();
        st[1] = _zeroThread();
        st[1].id = 1;
        bytes32 want = keccak256(abi.encodePacked(ZERO_THREAD_LEFT_ROOT, keccak256(MTCodec.encodeThread(st[1]))));
        vm.assertEq(MTCodec.stackRoot(st), want, "two-thread root");
        vm.assertEq(MTCodec.innerRoot(st), ZERO_THREAD_LEFT_ROOT, "inner root");
    }

    function test_stateHash_emptyStateMatchesSpec() external pure {
        State memory s;
        s.memRoot = EMPTY_MEMORY_ROOT;
        s.left = ZERO_THREAD_LEFT_ROOT;
        s.right = MTCodec.EMPTY_THREAD_ROOT;
        s.nextThreadID = 1;
        bytes memory w = MTCodec.encodeState(s);
        vm.assertEq(w.length, 188, "witness size");
        vm.assertEq(MTCodec.stateHash(w), EMPTY_STATE_HASH, "empty state hash");
    }

    function test_stateHash_replacesFirstHashByteWithStatus() external pure {
        State memory s;
        s.memRoot = keccak256("some root");
        uint8[5] memory codes = [uint8(0), 1, 2, 7, 255];
        uint8[5] memory tags = [uint8(0), 1, 2, 2, 2];
        for (uint256 i = 0; i < 5; i++) {
            s.exited = 1;
            s.exitCode = codes[i];
            bytes memory w = MTCodec.encodeState(s);
            bytes32 h = MTCodec.stateHash(w);
            vm.assertEq(uint8(h[0]), tags[i], "exited status tag");
            vm.assertEq(h << 8, keccak256(w) << 8, "rest of the hash is keccak256(witness)");
        }
        s.exited = 0;
        s.exitCode = 1;
        vm.assertEq(uint8(MTCodec.stateHash(MTCodec.encodeState(s))[0]), 3, "unfinished tag 3");
    }

    function test_stateCodec_roundTripsEveryField() external pure {
        State memory s;
        s.memRoot = keccak256("m");
        s.preimageKey = keccak256("k");
        s.preimageOffset = 0x0102030405060708;
        s.heap = 0x1112131415161718;
        s.llStatus = 2;
        s.llAddress = 0x2122232425262728;
        s.llOwner = 0x3132333435363738;
        s.exitCode = 0x41;
        s.exited = 1;
        s.step = 0x5152535455565758;
        s.stepsSince = 0x6162636465666768;
        s.traverseRight = 1;
        s.left = keccak256("l");
        s.right = keccak256("r");
        s.nextThreadID = 0x7172737475767778;
        bytes memory w = MTCodec.encodeState(s);
        // Spot-check absolute offsets of spec §2.1.
        vm.assertEq(uint8(w[64]), 0x01, "preimageOffset at 64");
        vm.assertEq(uint8(w[80]), 2, "llStatus at 80");
        vm.assertEq(uint8(w[81]), 0x21, "llAddress at 81");
        vm.assertEq(uint8(w[97]), 0x41, "exitCode at 97");
        vm.assertEq(uint8(w[98]), 1, "exited at 98");
        vm.assertEq(uint8(w[106]), 0x58, "step ends at 106");
        vm.assertEq(uint8(w[115]), 1, "traverseRight at 115");
        vm.assertEq(uint8(w[187]), 0x78, "nextThreadID ends at 187");
        vm.assertEq(keccak256(abi.encode(MTCodec.decodeState(w))), keccak256(abi.encode(s)), "round trip");
    }

    function test_zeroHash_level59IsEmptyMemoryRoot() external pure {
        vm.assertEq(SparseMemory.zeroHash(59), EMPTY_MEMORY_ROOT, "Z[59]");
        Mem memory m;
        vm.assertEq(SparseMemory.root(m), EMPTY_MEMORY_ROOT, "root of empty memory");
        SparseMemory.setWord(m, 0x40, 0);
        vm.assertEq(SparseMemory.root(m), EMPTY_MEMORY_ROOT, "an explicit zero leaf hashes like an empty subtree");
    }

    function test_setWord_placesBigEndianWordInsideLeaf() external pure {
        Mem memory m;
        SparseMemory.setWord(m, 0x1008, 0x0102030405060708);
        SparseMemory.setWord(m, 0x1018, 0xA1A2A3A4A5A6A7A8);
        bytes memory p = SparseMemory.proof(m, 0x1000);
        bytes32 leaf;
        assembly {
            leaf := mload(add(p, 32))
        }
        vm.assertEq(
            leaf, bytes32(uint256(0x0102030405060708) << 128 | uint256(0xA1A2A3A4A5A6A7A8)), "leaf bytes 8..15 and 24..31"
        );
        vm.assertEq(SparseMemory.getWord(m, 0x1018), 0xA1A2A3A4A5A6A7A8, "getWord");
        vm.assertEq(SparseMemory.getWord(m, 0x1010), 0, "untouched word");
    }

    /// @dev Root of one leaf computed directly from the definition: the lowest leaf hashes with
    ///      Z[i] on its right at every level, the highest with Z[i] on its left.
    function test_root_singleLeafAtBothEndsOfTheAddressSpace() external pure {
        bytes32 leaf = bytes32(uint256(0xDEADBEEF) << 224);
        bytes32 lo = leaf;
        bytes32 hi = leaf;
        bytes32 z;
        for (uint256 i = 0; i < 59; i++) {
            lo = keccak256(abi.encodePacked(lo, z));
            hi = keccak256(abi.encodePacked(z, hi));
            z = keccak256(abi.encodePacked(z, z));
        }
        Mem memory m;
        SparseMemory.setWord(m, 0, 0xDEADBEEF00000000);
        vm.assertEq(SparseMemory.root(m), lo, "leaf 0");
        Mem memory m2;
        SparseMemory.setWord(m2, 0xFFFFFFFFFFFFFFE0, 0xDEADBEEF00000000);
        vm.assertEq(SparseMemory.root(m2), hi, "last leaf");
    }

    function test_proof_verifiesForEveryTouchedAndUntouchedAddress() external pure {
        Mem memory m;
        SparseMemory.setWord(m, 0x1000, 0x1111);
        SparseMemory.setWord(m, 0x1020, 0x2222);
        SparseMemory.setWord(m, 0x7FFFFFFFF000, 0x3333);
        SparseMemory.setWord(m, 0xFFFFFFFFFFFFFFF8, 0x4444);
        bytes32 root = SparseMemory.root(m);
        uint64[7] memory addrs =
            [uint64(0x1000), 0x1008, 0x1020, 0x7FFFFFFFF000, 0xFFFFFFFFFFFFFFF8, 0x0, 0x123456789ABCDEF0];
        for (uint256 i = 0; i < addrs.length; i++) {
            vm.assertEq(SparseMemory.rootFromProof(SparseMemory.proof(m, addrs[i]), addrs[i]), root, "proof verifies");
        }
        // A proof is bound to its address: the proof of 0x1000 does not verify for 0x1020.
        vm.assertNotEq(SparseMemory.rootFromProof(SparseMemory.proof(m, 0x1000), 0x1020), root, "wrong address");
    }

    function test_calldata_isTheStandardAbiEncodingWithSpecOffsets() external pure {
        bytes memory state = new bytes(188);
        state[0] = 0xAA;
        state[187] = 0xBB;
        bytes memory proof = new bytes(6090);
        proof[0] = 0xCC;
        proof[6089] = 0xDD;
        bytes32 lc = bytes32(uint256(0x1234));
        bytes memory cd = StepCalldata.encode(state, proof, lc);
        vm.assertEq(cd, abi.encodeCall(IMIPS64Step.step, (state, proof, lc)), "standard ABI encoding");
        vm.assertEq(cd.length, 6468, "calldata size");
        vm.assertEq(uint32(StepCalldata.STEP_SELECTOR), uint32(bytes4(keccak256("step(bytes,bytes,bytes32)"))), "sel");
        vm.assertEq(uint8(cd[132]), 0xAA, "state at 132");
        vm.assertEq(uint8(cd[319]), 0xBB, "state ends at 319");
        vm.assertEq(uint8(cd[356]), 0xCC, "proof at 356");
        vm.assertEq(uint8(cd[6445]), 0xDD, "proof ends at 6445");
        vm.assertEq(_word(cd, 4), 0x60, "state offset head");
        vm.assertEq(_word(cd, 36), 0x140, "proof offset head");
        vm.assertEq(_word(cd, 68), 0x1234, "local context");
        vm.assertEq(_word(cd, 100), 188, "state length");
        vm.assertEq(_word(cd, 324), 6090, "proof length");
    }

    /// @dev Expected words assembled with mips64-linux-gnuabi64-as -mips64r2 -EB.
    function test_insn_encodersMatchGnuAs() external pure {
        vm.assertEq(Insn.r(4, 5, 2, 0, 0x21), 0x00851021, "addu v0,a0,a1");
        vm.assertEq(Insn.r(0, 5, 2, 31, 0x3C), 0x000517fc, "dsll32 v0,a1,31");
        vm.assertEq(Insn.i(0x23, 4, 5, 0xFFF3), 0x8c85fff3, "lw a1,-13(a0)");
        vm.assertEq(Insn.i(0x04, 4, 5, 0x11), 0x10850011, "beq a0,a1,+0x11");
        vm.assertEq(Insn.i(0x01, 4, 0x10, 0x11), 0x04900011, "bltzal a0,+0x11");
        vm.assertEq(Insn.sp2(4, 5, 2, 0x02), 0x70851002, "mul v0,a0,a1");
        vm.assertEq(Insn.sp2(4, 2, 2, 0x24), 0x70821024, "dclz v0,a0");
        vm.assertEq(Insn.r(4, 0, 2, 0, 0x09), 0x00801009, "jalr v0,a0");
        vm.assertEq(Insn.r(1, 5, 2, 4, 0x02), 0x00251102, "rotr v0,a1,4");
        vm.assertEq(Insn.j(0x02, 0x40), 0x08000040, "j 0x100");
    }

    function _word(bytes memory b, uint256 off) internal pure returns (uint256 v) {
        assembly {
            v := mload(add(add(b, 32), off))
        }
    }
}
