// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A small sparse memory: up to 16 non-zero 32-byte leaves of the 64-bit address space.
/// @dev    `idx[i]` is the leaf index (addr >> 5) of `leaf[i]`, for i < n.
struct Mem {
    uint256 n;
    uint64[16] idx;
    bytes32[16] leaf;
}

/// @notice Memory Merkle tree of spec §3, derived independently from the spec's table:
///         leaves are 32 raw bytes (not hashed), 59 levels of keccak256(left ‖ right) above
///         them, an absent subtree at level i hashes to Z[i] (Z[0] = 0, Z[i] = H(Z[i-1] ‖ Z[i-1])).
///         Proof = 60 words: [0] the leaf, [1 + i] the sibling at level i (i = 0 lowest).
library SparseMemory {
    uint256 internal constant DEPTH = 59;
    uint256 internal constant PROOF_SIZE = 1920;
    uint256 internal constant MAX_LEAVES = 16;

    /// @notice Sets the 8-byte big-endian word at the 8-aligned `addr`.
    function setWord(Mem memory m, uint64 addr, uint64 word) internal pure {
        require(addr & 7 == 0, "SparseMemory: unaligned word address");
        uint256 k = _slot(m, addr >> 5, true);
        uint256 shift = (24 - uint256(addr & 31)) * 8;
        uint256 mask = uint256(type(uint64).max) << shift;
        m.leaf[k] = bytes32((uint256(m.leaf[k]) & ~mask) | (uint256(word) << shift));
    }

    /// @notice The 8-byte word at the 8-aligned `addr` (0 where nothing was set).
    function getWord(Mem memory m, uint64 addr) internal pure returns (uint64) {
        require(addr & 7 == 0, "SparseMemory: unaligned word address");
        uint256 k = _slot(m, addr >> 5, false);
        if (k == type(uint256).max) return 0;
        return uint64(uint256(m.leaf[k]) >> ((24 - uint256(addr & 31)) * 8));
    }

    function root(Mem memory m) internal pure returns (bytes32 r) {
        (r,) = _walk(m, 0, false);
    }

    /// @notice The 1920-byte proof of the leaf holding `addr` (any address; low 5 bits ignored).
    function proof(Mem memory m, uint64 addr) internal pure returns (bytes memory p) {
        (, p) = _walk(m, addr, true);
    }

    /// @notice Z[level], computed by repeated hashing.
    function zeroHash(uint256 level) internal pure returns (bytes32 z) {
        for (uint256 i = 0; i < level; i++) {
            z = keccak256(abi.encodePacked(z, z));
        }
    }

    /// @notice Recomputes the root from a proof exactly as spec §3 ("Proofs") describes.
    function rootFromProof(bytes memory p, uint64 addr) internal pure returns (bytes32 node) {
        require(p.length == PROOF_SIZE, "SparseMemory: proof must be 1920 bytes");
        node = _word(p, 0);
        uint64 path = addr >> 5;
        for (uint256 i = 0; i < DEPTH; i++) {
            bytes32 sib = _word(p, i + 1);
            if ((path >> i) & 1 == 0) node = keccak256(abi.encodePacked(node, sib));
            else node = keccak256(abi.encodePacked(sib, node));
        }
    }

    /// @dev One bottom-up pass over the non-empty nodes; at each level the sibling of the
    ///      path to `addr` is recorded, absent nodes being the zero hash of that level.
    function _walk(Mem memory m, uint64 addr, bool wantProof) private pure returns (bytes32 r, bytes memory p) {
        uint256 n = m.n;
        uint64[] memory idx = new uint64[](n);
        bytes32[] memory val = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) {
            idx[i] = m.idx[i];
            val[i] = m.leaf[i];
        }
        uint64 target = addr >> 5;
        bytes32 z; // Z[level]
        if (wantProof) {
            p = new bytes(PROOF_SIZE);
            _put(p, 0, _lookup(idx, val, n, target, z));
        }
        for (uint256 level = 0; level < DEPTH; level++) {
            if (wantProof) _put(p, level + 1, _lookup(idx, val, n, target ^ 1, z));
            uint64[] memory pidx = new uint64[](n);
            bytes32[] memory pval = new bytes32[](n);
            uint256 pn = 0;
            for (uint256 i = 0; i < n; i++) {
                uint64 parent = idx[i] >> 1;
                if (_has(pidx, pn, parent)) continue;
                bytes32 l = _lookup(idx, val, n, parent << 1, z);
                bytes32 rr = _lookup(idx, val, n, (parent << 1) | 1, z);
                pidx[pn] = parent;
                pval[pn] = keccak256(abi.encodePacked(l, rr));
                pn++;
            }
            (idx, val, n) = (pidx, pval, pn);
            z = keccak256(abi.encodePacked(z, z));
            target >>= 1;
        }
        r = n == 0 ? z : val[0];
    }

    function _lookup(uint64[] memory idx, bytes32[] memory val, uint256 n, uint64 key, bytes32 dflt)
        private
        pure
        returns (bytes32)
    {
        for (uint256 i = 0; i < n; i++) {
            if (idx[i] == key) return val[i];
        }
        return dflt;
    }

    function _has(uint64[] memory idx, uint256 n, uint64 key) private pure returns (bool) {
        for (uint256 i = 0; i < n; i++) {
            if (idx[i] == key) return true;
        }
        return false;
    }

    function _slot(Mem memory m, uint64 leafIdx, bool create) private pure returns (uint256) {
        for (uint256 i = 0; i < m.n; i++) {
            if (m.idx[i] == leafIdx) return i;
        }
        if (!create) return type(uint256).max;
        require(m.n < MAX_LEAVES, "SparseMemory: too many leaves");
        m.idx[m.n] = leafIdx;
        m.leaf[m.n] = bytes32(0);
        return m.n++;
    }

    function _put(bytes memory p, uint256 i, bytes32 w) private pure {
        assembly {
            mstore(add(add(p, 32), mul(i, 32)), w)
        }
    }

    function _word(bytes memory p, uint256 i) private pure returns (bytes32 w) {
        assembly {
            w := mload(add(add(p, 32), mul(i, 32)))
        }
    }
}
