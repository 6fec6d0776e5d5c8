// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StepTestBase, Machine} from "./helpers/StepTestBase.sol";
import {Thread} from "./helpers/MTCodec.sol";
import {Insn} from "./helpers/Insn.sol";

/// @notice read(fd 5) and write(fd 6) with the real PreimageOracle (spec §7.4, §8, §12.16).
///         Keccak pre-image: 12 34 56 78 98 76 54 32 (spec §7.4 examples); buffer word at
///         0x2000 = EE EE EE EE FF FF FF FF before each read.
contract PreimageTest is StepTestBase {
    bytes internal constant DATA = hex"1234567898765432";
    uint64 internal constant BUF = 0xEEEE_EEEE_FFFF_FFFF;

    function _typed(bytes32 h, uint8 t) internal pure returns (bytes32) {
        return bytes32((uint256(h) & (type(uint256).max >> 8)) | (uint256(t) << 248));
    }

    function _keccakKey(bytes memory data) internal pure returns (bytes32) {
        return _typed(keccak256(data), 2);
    }

    /// @notice A read(5, a1, a2) syscall with the given pre-image cursor.
    function _readMachine(bytes32 key, uint64 offset, uint64 a1, uint64 a2) internal pure returns (Machine memory m) {
        m = _machine(Insn.SYSCALL);
        Thread memory t = _t(m);
        t.r[V0] = 5000;
        t.r[A0] = 5;
        t.r[A1] = a1;
        t.r[A2] = a2;
        t.r[A3] = SENTINEL;
        m.s.preimageKey = key;
        m.s.preimageOffset = offset;
        _setWord(m, 0x2000, BUF);
    }

    /// @notice Expects v0 = `n`, a3 = 0, offset += n and the buffer word = `after_`.
    function _checkRead(Machine memory m, uint64 n, uint64 after_) internal {
        Machine memory e = _next(m);
        _t(e).r[V0] = n;
        _t(e).r[A3] = 0;
        e.s.preimageOffset += n;
        _setWord(e, 0x2000, after_);
        _checkStepAt(m, e, 0x2000);
    }

    function _keccakRead(uint64 offset, uint64 a1, uint64 a2, uint64 n, uint64 after_) internal {
        oracle.loadKeccak256PreimagePart(offset, DATA);
        _checkRead(_readMachine(_keccakKey(DATA), offset, a1, a2), n, after_);
    }

    // ------------------------------------------------------------ read examples of spec §7.4

    function test_read_threeBytesAtStart() external {
        _keccakRead(8, 0x2000, 3, 3, 0x1234_56EE_FFFF_FFFF);
    }

    function test_read_unalignedBufferTwoBytes() external {
        _keccakRead(9, 0x2001, 2, 2, 0xEE34_56EE_FFFF_FFFF);
    }

    function test_read_fourBytesFromMiddle() external {
        _keccakRead(12, 0x2002, 4, 4, 0xEEEE_9876_5432_FFFF);
    }

    function test_read_largeCountTruncatedToWord() external {
        _keccakRead(8, 0x2000, 15, 8, 0x1234_5678_9876_5432);
    }

    function test_read_largeCountTruncatedToWordEnd() external {
        _keccakRead(8, 0x2001, 15, 7, 0xEE12_3456_7898_7654);
    }

    function test_read_lastByte() external {
        _keccakRead(15, 0x2000, 8, 1, 0x32EE_EEEE_FFFF_FFFF);
    }

    function test_read_lengthPrefixAtOffsetZero() external {
        _keccakRead(0, 0x2000, 8, 8, 0x0000_0000_0000_0008);
    }

    function test_read_straddlesLengthPrefixAndData() external {
        _keccakRead(4, 0x2000, 8, 8, 0x0000_0008_1234_5678);
    }

    function test_read_countZeroStillWritesAndClearsReservation() external {
        oracle.loadKeccak256PreimagePart(8, DATA);
        Machine memory m = _readMachine(_keccakKey(DATA), 8, 0x2003, 0);
        m.s.llStatus = 1;
        m.s.llAddress = 0x2004;
        m.s.llOwner = 0;
        Machine memory e = _next(m);
        _t(e).r[V0] = 0;
        _t(e).r[A3] = 0;
        e.s.llStatus = 0;
        e.s.llAddress = 0;
        _checkStepAt(m, e, 0x2000);
    }

    function test_read_atEndOfPreimageReverts() external {
        // offset 16 = 8 + len: no part can be loaded there, so the oracle read fails.
        Machine memory m = _readMachine(_keccakKey(DATA), 16, 0x2000, 8);
        _revertsWith(m, _proof(m, 0x2000), "", "pre-image must exist");
    }

    function test_read_partNotLoadedReverts() external {
        Machine memory m = _readMachine(_keccakKey(DATA), 8, 0x2000, 8);
        _revertsWith(m, _proof(m, 0x2000), "", "pre-image must exist");
    }

    function test_read_partLoadedAtOtherOffsetReverts() external {
        oracle.loadKeccak256PreimagePart(9, DATA);
        Machine memory m = _readMachine(_keccakKey(DATA), 8, 0x2000, 8);
        _revertsWith(m, _proof(m, 0x2000), "", "pre-image must exist");
    }

    function test_read_longPreimageTailUsesShortDatLen() external {
        bytes memory data = new bytes(40);
        for (uint256 i = 0; i < 40; i++) {
            data[i] = bytes1(uint8(i));
        }
        // offset 44: 44 + 32 >= 48, datLen = 4 → bytes 36..39.
        oracle.loadKeccak256PreimagePart(44, data);
        _checkRead(_readMachine(_keccakKey(data), 44, 0x2000, 8), 4, 0x2425_2627_FFFF_FFFF);
    }

    // ------------------------------------------------------------ other key types

    function test_read_sha256Key() external {
        bytes memory data = "abc";
        oracle.loadSha256PreimagePart(8, data);
        bytes32 key = _typed(sha256(data), 4);
        _checkRead(_readMachine(key, 8, 0x2000, 8), 3, 0x6162_63EE_FFFF_FFFF);
    }

    function test_read_sha256KeyLengthPrefix() external {
        bytes memory data = "abc";
        oracle.loadSha256PreimagePart(0, data);
        _checkRead(_readMachine(_typed(sha256(data), 4), 0, 0x2000, 8), 8, 0x0000_0000_0000_0003);
    }

    function test_read_precompileKey() external {
        // Identity precompile (0x04), requiredGas 100: pre-image = status 0x01 ‖ "hi".
        bytes memory input = "hi";
        oracle.loadPrecompilePreimagePart(8, address(4), 100, input);
        bytes32 key = _typed(keccak256(abi.encodePacked(address(4), uint64(100), input)), 6);
        _checkRead(_readMachine(key, 8, 0x2000, 8), 3, 0x0168_69EE_FFFF_FFFF);
    }

    /// @notice Local key 0x01‖0…01: the contract localizes it with (caller, localContext) before
    ///         reading, the state keeps the raw key (spec §8.1).
    bytes32 internal constant LOCAL_KEY = bytes32(uint256(1) << 248 | 1);

    function test_read_localKeyLocalizedWithCallerAndContext() external {
        bytes32 localized = oracle.loadLocalData(1, LOCAL_CONTEXT, bytes32(uint256(0xDEADBEEF) << 224), 4, 8);
        bytes32 want =
            _typed(keccak256(abi.encodePacked(LOCAL_KEY, uint256(uint160(address(this))), LOCAL_CONTEXT)), 1);
        vm.assertEq(localized, want, "localized key");
        _checkRead(_readMachine(LOCAL_KEY, 8, 0x2000, 8), 4, 0xDEAD_BEEF_FFFF_FFFF);
    }

    function test_read_localKeyOtherContextReverts() external {
        oracle.loadLocalData(1, bytes32(uint256(0xBAD)), bytes32(uint256(0xDEADBEEF) << 224), 4, 8);
        Machine memory m = _readMachine(LOCAL_KEY, 8, 0x2000, 8);
        _revertsWith(m, _proof(m, 0x2000), "", "pre-image must exist");
    }

    function test_read_localKeyOtherSenderReverts() external {
        oracle.loadLocalData(1, LOCAL_CONTEXT, bytes32(uint256(0xDEADBEEF) << 224), 4, 8);
        Machine memory m = _readMachine(LOCAL_KEY, 8, 0x2000, 8);
        bytes memory cd = _calldata(m, _proof(m, 0x2000), "");
        vm.expectRevert(bytes("pre-image must exist"));
        vm.prank(address(0xBEEF));
        (bool ok,) = address(mips).call(cd);
        vm.assertTrue(ok, "expected revert 'pre-image must exist'");
    }

    // ------------------------------------------------------------ key writes (fd 6)

    bytes32 internal constant KEY0 = 0x0101010101010101010101010101010101010101010101010101010101010101;

    function _writeKey(uint64 a1, uint64 a2, uint64 n, bytes32 keyAfter) internal {
        Machine memory m = _machine(Insn.SYSCALL);
        Thread memory t = _t(m);
        t.r[V0] = 5001;
        t.r[A0] = 6;
        t.r[A1] = a1;
        t.r[A2] = a2;
        t.r[A3] = SENTINEL;
        m.s.preimageKey = KEY0;
        m.s.preimageOffset = 5;
        m.s.llStatus = 1; // key writes never clear a reservation
        m.s.llAddress = 0x2004;
        _setWord(m, 0x2000, 0x0102_0304_0506_0708);
        Machine memory e = _next(m);
        _t(e).r[V0] = n;
        _t(e).r[A3] = 0;
        e.s.preimageKey = keyAfter;
        e.s.preimageOffset = 0;
        _checkStepAt(m, e, 0x2000);
    }

    function test_writeKey_appendsEightBytes() external {
        _writeKey(0x2000, 8, 8, 0x0101010101010101010101010101010101010101010101010102030405060708);
    }

    function test_writeKey_unalignedTruncatedToWordEnd() external {
        _writeKey(0x2005, 10, 3, 0x0101010101010101010101010101010101010101010101010101010101060708);
        _writeKey(0x2007, 1, 1, 0x0101010101010101010101010101010101010101010101010101010101010108);
    }

    function test_writeKey_shortCountInsideWord() external {
        _writeKey(0x2002, 2, 2, 0x0101010101010101010101010101010101010101010101010101010101010304);
    }

    function test_writeKey_countZeroStillResetsOffset() external {
        _writeKey(0x2000, 0, 0, KEY0);
    }
}
