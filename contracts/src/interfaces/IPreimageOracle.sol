// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IPreimageOracle
/// @notice The part of the pre-image oracle that the step contract reads from, plus the
///         loaders a harness calls before a step that reads pre-image data (spec §8).
interface IPreimageOracle {
    /// @notice Reads up to 32 bytes of `(u64 BE length ‖ pre-image)` starting at `_offset`.
    /// @param _key The (already localized, for type-1 keys) pre-image key.
    /// @param _offset Byte offset into the length-prefixed pre-image.
    /// @return dat_ The 32 bytes starting at `_offset`, left-aligned.
    /// @return datLen_ How many of those bytes are part of the pre-image (≤ 32).
    function readPreimage(bytes32 _key, uint256 _offset) external view returns (bytes32 dat_, uint256 datLen_);

    /// @notice Loads one part of caller-local data (key type 1), localized by caller and context.
    function loadLocalData(uint256 _ident, bytes32 _localContext, bytes32 _word, uint256 _size, uint256 _partOffset)
        external
        returns (bytes32 key_);

    /// @notice Loads one part of a keccak256 pre-image (key type 2).
    function loadKeccak256PreimagePart(uint256 _partOffset, bytes calldata _preimage) external;

    /// @notice Loads one part of a sha256 pre-image (key type 4).
    function loadSha256PreimagePart(uint256 _partOffset, bytes calldata _preimage) external;

    /// @notice Loads one part of a KZG point evaluation (key type 5), verified by precompile 0x0A.
    function loadBlobPreimagePart(
        uint256 _z,
        uint256 _y,
        bytes calldata _commitment,
        bytes calldata _proof,
        uint256 _partOffset
    ) external;

    /// @notice Loads one part of a precompile result (key type 6).
    function loadPrecompilePreimagePart(
        uint256 _partOffset,
        address _precompile,
        uint64 _requiredGas,
        bytes calldata _input
    ) external;
}
