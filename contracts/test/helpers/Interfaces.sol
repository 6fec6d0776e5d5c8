// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice The step contract as the tests see it (spec §10).
interface IMIPS64Step {
    function step(bytes calldata stateData, bytes calldata proof, bytes32 localContext) external returns (bytes32);
    function oracle() external view returns (address);
    function stateVersion() external view returns (uint256);
}

/// @notice The pre-image oracle calls of spec §8.
interface IOracle {
    function loadLocalData(uint256 ident, bytes32 localContext, bytes32 word, uint256 size, uint256 partOffset)
        external
        returns (bytes32 key);
    function loadKeccak256PreimagePart(uint256 partOffset, bytes calldata preimage) external;
    function loadSha256PreimagePart(uint256 partOffset, bytes calldata preimage) external;
    function loadBlobPreimagePart(uint256 z, uint256 y, bytes calldata commitment, bytes calldata proof, uint256 partOffset)
        external;
    function loadPrecompilePreimagePart(uint256 partOffset, address precompile, uint64 requiredGas, bytes calldata input)
        external;
    function readPreimage(bytes32 key, uint256 offset) external view returns (bytes32 dat, uint256 datLen);
}
