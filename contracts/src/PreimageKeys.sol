// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title PreimageKeys
/// @notice Pre-image key helpers shared by the step contract and the oracle (spec §8.1).
///         A key is 32 bytes whose first byte is its type; the rest is derived from the data.
library PreimageKeys {
    /// @notice Type byte of caller-local keys.
    uint256 internal constant TYPE_LOCAL = 1;
    /// @notice Type byte of keccak256 keys.
    uint256 internal constant TYPE_KECCAK256 = 2;
    /// @notice Type byte of sha256 keys.
    uint256 internal constant TYPE_SHA256 = 4;
    /// @notice Type byte of KZG point-evaluation (blob) keys.
    uint256 internal constant TYPE_BLOB = 5;
    /// @notice Type byte of precompile-result keys.
    uint256 internal constant TYPE_PRECOMPILE = 6;

    /// @notice Replaces the first byte of a 32-byte hash with a key type.
    function typed(bytes32 _hash, uint256 _type) internal pure returns (bytes32 key_) {
        assembly {
            key_ := or(shr(8, shl(8, _hash)), shl(248, _type))
        }
    }

    /// @notice Localizes a type-1 key to `msg.sender` and a local context:
    ///         `0x01 ‖ keccak256(key ‖ uint256(caller) ‖ localContext)[1:]`.
    /// @dev Uses the free memory as scratch without moving the free memory pointer.
    function localize(bytes32 _key, bytes32 _localContext) internal view returns (bytes32 key_) {
        assembly {
            let buf := mload(0x40)
            mstore(buf, _key)
            mstore(add(buf, 0x20), caller())
            mstore(add(buf, 0x40), _localContext)
            key_ := or(shr(8, shl(8, keccak256(buf, 0x60))), shl(248, TYPE_LOCAL))
        }
    }
}
