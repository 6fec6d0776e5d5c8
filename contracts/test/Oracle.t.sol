// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TestBase} from "./helpers/TestBase.sol";
import {IOracle} from "./helpers/Interfaces.sol";
import {PreimageOracle} from "../src/PreimageOracle.sol";

/// @notice PreimageOracle loaders and readPreimage (spec §8.1–§8.3).
contract OracleTest is TestBase {
    IOracle internal oracle;

    bytes4 internal constant PART_OFFSET_OOB = 0xfe254987;
    bytes4 internal constant NOT_ENOUGH_GAS = 0xdd629f86;

    bytes internal constant DATA = hex"1234567898765432";

    function setUp() public {
        oracle = IOracle(address(new PreimageOracle(0, 0)));
    }

    function _typed(bytes32 h, uint8 t) internal pure returns (bytes32) {
        return bytes32((uint256(h) & (type(uint256).max >> 8)) | (uint256(t) << 248));
    }

    function _reverts(bytes memory cd, bytes4 selector) internal {
        vm.expectRevert(selector);
        (bool ok, bytes memory ret) = address(oracle).call(cd);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }

    // ------------------------------------------------------------ selectors of spec §8

    function test_selectors_matchSpec() external pure {
        vm.assertEq(uint32(IOracle.readPreimage.selector), 0xe03110e1, "readPreimage");
        vm.assertEq(uint32(IOracle.loadLocalData.selector), 0x52f0f3ad, "loadLocalData");
        vm.assertEq(uint32(IOracle.loadKeccak256PreimagePart.selector), 0xe1592611, "loadKeccak256PreimagePart");
        vm.assertEq(uint32(IOracle.loadSha256PreimagePart.selector), 0x8dc4be11, "loadSha256PreimagePart");
        vm.assertEq(uint32(IOracle.loadBlobPreimagePart.selector), 0x9d7e8769, "loadBlobPreimagePart");
        vm.assertEq(uint32(IOracle.loadPrecompilePreimagePart.selector), 0xea713950, "loadPrecompilePreimagePart");
        vm.assertEq(uint32(bytes4(keccak256("PartOffsetOOB()"))), uint32(PART_OFFSET_OOB), "PartOffsetOOB");
        vm.assertEq(uint32(bytes4(keccak256("NotEnoughGas()"))), uint32(NOT_ENOUGH_GAS), "NotEnoughGas");
    }

    // ------------------------------------------------------------ readPreimage

    function test_readPreimage_missingPartReverts() external {
        vm.expectRevert(bytes("pre-image must exist"));
        oracle.readPreimage(_typed(keccak256(DATA), 2), 8);
    }

    function test_readPreimage_keccakPartsWithLengthPrefix() external {
        bytes32 key = _typed(keccak256(DATA), 2);
        oracle.loadKeccak256PreimagePart(0, DATA);
        (bytes32 dat, uint256 len) = oracle.readPreimage(key, 0);
        vm.assertEq(dat, bytes32(0x0000000000000008123456789876543200000000000000000000000000000000), "dat @0");
        vm.assertEq(len, 16, "datLen @0");

        oracle.loadKeccak256PreimagePart(8, DATA);
        (dat, len) = oracle.readPreimage(key, 8);
        vm.assertEq(dat, bytes32(0x1234567898765432000000000000000000000000000000000000000000000000), "dat @8");
        vm.assertEq(len, 8, "datLen @8");

        oracle.loadKeccak256PreimagePart(15, DATA);
        (dat, len) = oracle.readPreimage(key, 15);
        vm.assertEq(dat, bytes32(uint256(0x32) << 248), "dat @15");
        vm.assertEq(len, 1, "datLen @15");
    }

    function test_readPreimage_fullPartIs32Bytes() external {
        bytes memory data = new bytes(40);
        for (uint256 i = 0; i < 40; i++) {
            data[i] = bytes1(uint8(0xA0 + i));
        }
        bytes32 key = _typed(keccak256(data), 2);
        oracle.loadKeccak256PreimagePart(8, data);
        (bytes32 dat, uint256 len) = oracle.readPreimage(key, 8);
        vm.assertEq(dat, bytes32(0xA0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF), "dat");
        vm.assertEq(len, 32, "datLen: 8 + 32 < 48");
        // offset 16: 16 + 32 >= 48 → datLen = 32 exactly, from the short-length rule.
        oracle.loadKeccak256PreimagePart(16, data);
        (, len) = oracle.readPreimage(key, 16);
        vm.assertEq(len, 32, "datLen @16");
        oracle.loadKeccak256PreimagePart(17, data);
        (, len) = oracle.readPreimage(key, 17);
        vm.assertEq(len, 31, "datLen @17");
    }

    function test_readPreimage_sha256Key() external {
        bytes memory data = "abc";
        oracle.loadSha256PreimagePart(8, data);
        (bytes32 dat, uint256 len) = oracle.readPreimage(_typed(sha256(data), 4), 8);
        vm.assertEq(dat, bytes32(uint256(0x616263) << 232), "dat");
        vm.assertEq(len, 3, "datLen");
    }

    function test_readPreimage_localDataLocalizedToSender() external {
        bytes32 word = bytes32(uint256(0xDEADBEEF) << 224 | 0xFF); // bytes past size are cut by datLen
        bytes32 ctx = bytes32(uint256(77));
        bytes32 key = oracle.loadLocalData(0x1234, ctx, word, 4, 8);
        bytes32 raw = bytes32(uint256(1) << 248 | 0x1234);
        bytes32 want = _typed(keccak256(abi.encodePacked(raw, uint256(uint160(address(this))), ctx)), 1);
        vm.assertEq(key, want, "localized key");
        (bytes32 dat, uint256 len) = oracle.readPreimage(key, 8);
        vm.assertEq(len, 4, "datLen = size");
        vm.assertEq(dat >> 224, bytes32(uint256(0xDEADBEEF)), "first 4 bytes");

        vm.prank(address(0xBEEF));
        bytes32 other = oracle.loadLocalData(0x1234, ctx, word, 4, 8);
        vm.assertNotEq(other, key, "another sender gets another key");
    }

    function test_readPreimage_precompileResult() external {
        bytes memory input = hex"0102";
        oracle.loadPrecompilePreimagePart(0, address(4), 1000, input);
        bytes32 key = _typed(keccak256(abi.encodePacked(address(4), uint64(1000), input)), 6);
        (bytes32 dat, uint256 len) = oracle.readPreimage(key, 0);
        // length 3 ‖ status 1 ‖ identity output 01 02
        vm.assertEq(dat, bytes32(uint256(0x0000000000000003010102) << 168), "dat");
        vm.assertEq(len, 11, "datLen");
    }

    // ------------------------------------------------------------ loader reverts

    function test_loadLocalData_partOffsetPastEndReverts() external {
        _reverts(abi.encodeCall(IOracle.loadLocalData, (1, bytes32(0), bytes32(0), 4, 12)), PART_OFFSET_OOB);
        _reverts(abi.encodeCall(IOracle.loadLocalData, (1, bytes32(0), bytes32(0), 0, 8)), PART_OFFSET_OOB);
    }

    function test_loadLocalData_sizeAbove32Reverts() external {
        _reverts(abi.encodeCall(IOracle.loadLocalData, (1, bytes32(0), bytes32(0), 33, 0)), PART_OFFSET_OOB);
    }

    function test_loadLocalData_lastValidOffsetAccepted() external {
        oracle.loadLocalData(1, bytes32(0), bytes32(uint256(0xAB) << 248), 1, 8);
    }

    function test_loadKeccak256PreimagePart_offsetAtEndReverts() external {
        _reverts(abi.encodeCall(IOracle.loadKeccak256PreimagePart, (16, DATA)), PART_OFFSET_OOB);
        _reverts(abi.encodeCall(IOracle.loadKeccak256PreimagePart, (8, bytes(""))), PART_OFFSET_OOB);
    }

    function test_loadSha256PreimagePart_offsetAtEndReverts() external {
        _reverts(abi.encodeCall(IOracle.loadSha256PreimagePart, (11, bytes("abc"))), PART_OFFSET_OOB);
    }

    function test_loadBlobPreimagePart_offsetAtOrPast40Reverts() external {
        _reverts(
            abi.encodeCall(IOracle.loadBlobPreimagePart, (0, 0, new bytes(48), new bytes(48), 40)), PART_OFFSET_OOB
        );
    }

    function test_loadBlobPreimagePart_invalidProofReverts() external {
        _reverts(
            abi.encodeCall(IOracle.loadBlobPreimagePart, (1, 2, new bytes(48), new bytes(48), 0)),
            bytes4(keccak256("InvalidProof()"))
        );
    }

    function test_loadPrecompilePreimagePart_notEnoughGasReverts() external {
        _reverts(
            abi.encodeCall(IOracle.loadPrecompilePreimagePart, (0, address(4), type(uint64).max, bytes("x"))),
            NOT_ENOUGH_GAS
        );
    }

    function test_loadPrecompilePreimagePart_offsetPastEndReverts() external {
        // pre-image = status ‖ output = 2 bytes for a 1-byte identity input: offset 10 is past the end.
        _reverts(abi.encodeCall(IOracle.loadPrecompilePreimagePart, (10, address(4), 1000, bytes("x"))), PART_OFFSET_OOB);
    }
}
