// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Builds `step(bytes,bytes,bytes32)` calldata byte for byte (spec §10).
///
///   offset  size  content
///        0     4  selector 0xe14ced32
///        4    32  head: offset of _stateData (0x60)
///       36    32  head: offset of _proof (0x140 for a 188-byte state)
///       68    32  _localContext
///      100    32  len(_stateData) = 188
///      132   188  state witness (+4 zero pad)
///      324    32  len(_proof) = 6090
///      356   298  active thread
///      654    32  inner root of the active stack
///      686  1920  memory proof slot 0 (instruction)
///     2606  1920  memory proof slot 1 (data)
///     4526  1920  memory proof slot 2 (clock_gettime second word)
///     6446    22  zero pad                       → 6468 bytes in all
library StepCalldata {
    bytes4 internal constant STEP_SELECTOR = 0xe14ced32;
    uint256 internal constant STATE_OFFSET = 132;
    uint256 internal constant PROOF_LEN_OFFSET = 324;
    uint256 internal constant THREAD_OFFSET = 356;
    uint256 internal constant INNER_ROOT_OFFSET = 654;
    uint256 internal constant SLOT0_OFFSET = 686;
    uint256 internal constant SLOT1_OFFSET = 2606;
    uint256 internal constant SLOT2_OFFSET = 4526;
    uint256 internal constant PROOF_SIZE = 6090;
    uint256 internal constant CALLDATA_SIZE = 6468;
    uint256 internal constant SLOT_SIZE = 1920;

    /// @notice thread(298) ‖ innerRoot(32) ‖ slot0 ‖ slot1 ‖ slot2; an empty slot becomes 1920 zero bytes.
    function proofData(bytes memory thread, bytes32 inner, bytes memory s0, bytes memory s1, bytes memory s2)
        internal
        pure
        returns (bytes memory p)
    {
        require(thread.length == 298, "StepCalldata: thread must be 298 bytes");
        p = abi.encodePacked(thread, inner, _slot(s0), _slot(s1), _slot(s2));
        require(p.length == PROOF_SIZE, "StepCalldata: proof size");
    }

    /// @notice Standard ABI encoding, spelled out so the offsets of the table above are explicit.
    function encode(bytes memory state, bytes memory proof, bytes32 localContext)
        internal
        pure
        returns (bytes memory cd)
    {
        uint256 statePadded = _padded(state.length);
        cd = abi.encodePacked(STEP_SELECTOR, uint256(0x60), uint256(0x60 + 32 + statePadded), localContext);
        cd = abi.encodePacked(cd, uint256(state.length), state, new bytes(statePadded - state.length));
        cd = abi.encodePacked(cd, uint256(proof.length), proof, new bytes(_padded(proof.length) - proof.length));
    }

    function _slot(bytes memory s) private pure returns (bytes memory) {
        if (s.length == 0) return new bytes(SLOT_SIZE);
        require(s.length == SLOT_SIZE, "StepCalldata: memory proof must be 1920 bytes");
        return s;
    }

    function _padded(uint256 n) private pure returns (uint256) {
        return (n + 31) / 32 * 32;
    }
}
