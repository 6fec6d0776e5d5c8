// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { IPreimageOracle } from "./interfaces/IPreimageOracle.sol";
import { PreimageKeys } from "./PreimageKeys.sol";

/// @title PreimageOracle
/// @notice Stores 32-byte parts of pre-images, each checked against its key when loaded, for
///         the step contract to read (spec §8). A pre-image is served as the byte string
///         `u64 BE length ‖ data`; a part is the 32 bytes of that string starting at a part
///         offset (zero-padded past its end), so offsets 0…7 hold the length.
///         Large-preimage proposals are out of scope for fpvmdiff.
contract PreimageOracle is IPreimageOracle {
    /// @notice A part offset lies at or past the end of the length-prefixed pre-image.
    error PartOffsetOOB();
    /// @notice Less gas than `requiredGas` (plus the reserve) is left for a precompile call.
    error NotEnoughGas();
    /// @notice The KZG point-evaluation proof (or its encoding) was rejected.
    error InvalidProof();
    /// @notice The sha256 precompile call failed.
    error Sha256Failed();

    /// @notice Gas kept back, besides 64/63 of `requiredGas`, when calling a precompile.
    uint256 internal constant PRECOMPILE_CALL_RESERVED_GAS = 100_000;
    /// @notice The sha256 precompile's address.
    uint256 internal constant SHA256_PRECOMPILE = 0x02;
    /// @notice The KZG point-evaluation precompile's address (EIP-4844).
    uint256 internal constant POINT_EVALUATION_PRECOMPILE = 0x0A;
    /// @notice Length prefix of every pre-image, in bytes.
    uint256 internal constant LENGTH_PREFIX = 8;
    /// @notice KZG commitment and proof size, in bytes.
    uint256 internal constant KZG_POINT_SIZE = 48;
    /// @notice Size of a blob pre-image (the evaluation `y`), in bytes.
    uint256 internal constant BLOB_PREIMAGE_SIZE = 32;

    /// @notice Accepted for deployment compatibility with the production oracle; unused here
    ///         (large-preimage proposals are out of scope).
    uint256 internal immutable MIN_LPP_SIZE_BYTES;
    /// @notice Accepted for deployment compatibility with the production oracle; unused here.
    uint256 internal immutable CHALLENGE_PERIOD;

    /// @notice Pre-image length (without the 8-byte prefix) per key.
    mapping(bytes32 => uint256) public preimageLengths;
    /// @notice Loaded parts per key and part offset.
    mapping(bytes32 => mapping(uint256 => bytes32)) public preimageParts;
    /// @notice Whether a part has been loaded, per key and part offset.
    mapping(bytes32 => mapping(uint256 => bool)) public preimagePartOk;

    /// @param _minProposalSize Minimum large-preimage proposal size (recorded only).
    /// @param _challengePeriod Large-preimage challenge period (recorded only).
    constructor(uint256 _minProposalSize, uint256 _challengePeriod) {
        MIN_LPP_SIZE_BYTES = _minProposalSize;
        CHALLENGE_PERIOD = _challengePeriod;
    }

    /// @notice The minimum large-preimage proposal size given at deployment.
    function minProposalSize() external view returns (uint256 minProposalSize_) {
        minProposalSize_ = MIN_LPP_SIZE_BYTES;
    }

    /// @notice The large-preimage challenge period given at deployment.
    function challengePeriod() external view returns (uint256 challengePeriod_) {
        challengePeriod_ = CHALLENGE_PERIOD;
    }

    /// @inheritdoc IPreimageOracle
    /// @dev Reverts "pre-image must exist" unless the part was loaded. `datLen_` is 32 unless
    ///      the part reaches the end: when `_offset + 32 >= length + 8` it is `length + 8 - _offset`.
    function readPreimage(bytes32 _key, uint256 _offset) external view returns (bytes32 dat_, uint256 datLen_) {
        require(preimagePartOk[_key][_offset], "pre-image must exist");
        uint256 end = preimageLengths[_key] + LENGTH_PREFIX;
        datLen_ = _offset + 32 >= end ? end - _offset : 32;
        dat_ = preimageParts[_key][_offset];
    }

    /// @inheritdoc IPreimageOracle
    /// @dev The key is `localize(0x01 ‖ ident[1:], _localContext)` for `msg.sender`. Bytes of
    ///      `_word` past `_size` stay in the stored part (they lie past `datLen`); bytes past
    ///      the 40-byte string are zero. Reverts `PartOffsetOOB()` if `_partOffset >= _size + 8`
    ///      or `_size > 32`.
    function loadLocalData(uint256 _ident, bytes32 _localContext, bytes32 _word, uint256 _size, uint256 _partOffset)
        external
        returns (bytes32 key_)
    {
        if (_size > 32 || _partOffset >= _size + LENGTH_PREFIX) revert PartOffsetOOB();
        key_ = PreimageKeys.localize(PreimageKeys.typed(bytes32(_ident), PreimageKeys.TYPE_LOCAL), _localContext);
        bytes32 part;
        assembly {
            // buf: [0,8) size (u64 BE) | [8,40) word | [40,72) zero
            let buf := mload(0x40)
            mstore(add(buf, 0x20), 0)
            mstore(add(buf, 0x28), 0)
            mstore(buf, shl(192, _size))
            mstore(add(buf, 8), _word)
            part := mload(add(buf, _partOffset))
        }
        _storePart(key_, _partOffset, part, _size);
    }

    /// @inheritdoc IPreimageOracle
    /// @dev Key `0x02 ‖ keccak256(_preimage)[1:]`. Reverts `PartOffsetOOB()` if
    ///      `_partOffset >= _preimage.length + 8`.
    function loadKeccak256PreimagePart(uint256 _partOffset, bytes calldata _preimage) external {
        uint256 size = _preimage.length;
        if (_partOffset >= size + LENGTH_PREFIX) revert PartOffsetOOB();
        (uint256 buf, bytes32 part) = _prefixedPart(_preimage, _partOffset);
        bytes32 digest;
        assembly {
            digest := keccak256(add(buf, LENGTH_PREFIX), size)
        }
        _storePart(PreimageKeys.typed(digest, PreimageKeys.TYPE_KECCAK256), _partOffset, part, size);
    }

    /// @inheritdoc IPreimageOracle
    /// @dev Key `0x04 ‖ sha256(_preimage)[1:]` (precompile 0x02). Reverts `PartOffsetOOB()` if
    ///      `_partOffset >= _preimage.length + 8`.
    function loadSha256PreimagePart(uint256 _partOffset, bytes calldata _preimage) external {
        uint256 size = _preimage.length;
        if (_partOffset >= size + LENGTH_PREFIX) revert PartOffsetOOB();
        (uint256 buf, bytes32 part) = _prefixedPart(_preimage, _partOffset);
        bytes32 digest;
        bool ok;
        assembly {
            ok := staticcall(gas(), SHA256_PRECOMPILE, add(buf, LENGTH_PREFIX), size, 0x00, 0x20)
            digest := mload(0x00)
        }
        if (!ok) revert Sha256Failed();
        _storePart(PreimageKeys.typed(digest, PreimageKeys.TYPE_SHA256), _partOffset, part, size);
    }

    /// @inheritdoc IPreimageOracle
    /// @dev Verifies `p(z) = y` for the blob committed to by `_commitment` with the point
    ///      evaluation precompile; the versioned hash is `0x01 ‖ sha256(commitment)[1:]`.
    ///      Key `0x05 ‖ keccak256(commitment ‖ z)[1:]`; the pre-image is `y` (32 bytes).
    ///      Reverts `PartOffsetOOB()` if `_partOffset >= 40`, `InvalidProof()` if the
    ///      commitment or proof is not 48 bytes or the precompile rejects the proof.
    function loadBlobPreimagePart(
        uint256 _z,
        uint256 _y,
        bytes calldata _commitment,
        bytes calldata _proof,
        uint256 _partOffset
    ) external {
        if (_partOffset >= BLOB_PREIMAGE_SIZE + LENGTH_PREFIX) revert PartOffsetOOB();
        if (_commitment.length != KZG_POINT_SIZE || _proof.length != KZG_POINT_SIZE) revert InvalidProof();
        bytes32 key;
        bytes32 part;
        bool ok;
        assembly {
            let buf := mload(0x40)
            // Versioned hash: sha256(commitment) with its first byte set to 0x01.
            calldatacopy(buf, _commitment.offset, KZG_POINT_SIZE)
            ok := staticcall(gas(), SHA256_PRECOMPILE, buf, KZG_POINT_SIZE, 0x00, 0x20)
            let versionedHash := or(shr(8, shl(8, mload(0x00))), shl(248, 0x01))
            // Precompile input (192 bytes):
            //   [0,32) versioned hash | [32,64) z | [64,96) y | [96,144) commitment | [144,192) proof
            mstore(buf, versionedHash)
            mstore(add(buf, 0x20), _z)
            mstore(add(buf, 0x40), _y)
            calldatacopy(add(buf, 0x60), _commitment.offset, KZG_POINT_SIZE)
            calldatacopy(add(buf, 0x90), _proof.offset, KZG_POINT_SIZE)
            ok := and(ok, staticcall(gas(), POINT_EVALUATION_PRECOMPILE, buf, 0xC0, 0x00, 0x40))
            // Key: keccak256(commitment ‖ z) = keccak256(buf[96,144) ‖ z) — rebuild it contiguously.
            mstore(add(buf, 0xC0), _z)
            calldatacopy(add(buf, 0x90), _commitment.offset, KZG_POINT_SIZE)
            key := or(shr(8, shl(8, keccak256(add(buf, 0x90), 0x50))), shl(248, 5))
            // Part string: [0,8) u64 BE 32 | [8,40) y | [40,72) zero
            mstore(add(buf, 0x20), 0)
            mstore(add(buf, 0x28), 0)
            mstore(buf, shl(192, BLOB_PREIMAGE_SIZE))
            mstore(add(buf, 8), _y)
            part := mload(add(buf, _partOffset))
        }
        if (!ok) revert InvalidProof();
        _storePart(key, _partOffset, part, BLOB_PREIMAGE_SIZE);
    }

    /// @inheritdoc IPreimageOracle
    /// @dev Key `0x06 ‖ keccak256(precompile(20) ‖ requiredGas(u64 BE) ‖ input)[1:]`. Reverts
    ///      `NotEnoughGas()` unless `gasleft() * 63 >= requiredGas * 64 + 100_000 * 63`, so the
    ///      precompile cannot be starved into a failure that would be stored as its result.
    ///      The pre-image is `status (1 byte: 1 success, 0 failure) ‖ returndata`; reverts
    ///      `PartOffsetOOB()` if `_partOffset >= 1 + returndatasize + 8`.
    function loadPrecompilePreimagePart(
        uint256 _partOffset,
        address _precompile,
        uint64 _requiredGas,
        bytes calldata _input
    ) external {
        bytes32 key;
        assembly {
            // Key input: [0,20) precompile | [20,28) requiredGas | [28,28+len) input
            let buf := mload(0x40)
            mstore(buf, shl(96, _precompile))
            mstore(add(buf, 20), shl(192, _requiredGas))
            calldatacopy(add(buf, 28), _input.offset, _input.length)
            key := or(shr(8, shl(8, keccak256(buf, add(28, _input.length)))), shl(248, 6))
        }
        if (gasleft() * 63 < uint256(_requiredGas) * 64 + PRECOMPILE_CALL_RESERVED_GAS * 63) revert NotEnoughGas();
        uint256 size;
        bytes32 part;
        assembly {
            let buf := mload(0x40)
            calldatacopy(buf, _input.offset, _input.length)
            let ok := staticcall(gas(), _precompile, buf, _input.length, 0x00, 0x00)
            size := add(1, returndatasize())
            // Part string: [0,8) u64 BE size | [8] status | [9,9+rds) returndata | 32 zero bytes
            mstore(buf, shl(192, size))
            mstore8(add(buf, 8), ok)
            returndatacopy(add(buf, 9), 0, returndatasize())
            mstore(add(buf, add(9, returndatasize())), 0)
            part := mload(add(buf, _partOffset))
        }
        if (_partOffset >= size + LENGTH_PREFIX) revert PartOffsetOOB();
        _storePart(key, _partOffset, part, size);
    }

    /// @notice Copies `u64 BE len ‖ data ‖ 32 zero bytes` to free memory and returns the
    ///         buffer and the 32-byte part at `_partOffset` (the caller has bounds-checked it).
    function _prefixedPart(bytes calldata _data, uint256 _partOffset)
        internal
        pure
        returns (uint256 buf_, bytes32 part_)
    {
        assembly {
            buf_ := mload(0x40)
            mstore(buf_, shl(192, _data.length))
            calldatacopy(add(buf_, LENGTH_PREFIX), _data.offset, _data.length)
            mstore(add(add(buf_, LENGTH_PREFIX), _data.length), 0)
            part_ := mload(add(buf_, _partOffset))
        }
    }

    /// @notice Records a checked part and the pre-image length under `_key`.
    function _storePart(bytes32 _key, uint256 _partOffset, bytes32 _part, uint256 _size) internal {
        preimagePartOk[_key][_partOffset] = true;
        preimageParts[_key][_partOffset] = _part;
        preimageLengths[_key] = _size;
    }
}
