// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice MIPS instruction word builders (field layout of spec §5.1). Only bit packing: the
///         field values are chosen in each test. Checked against GNU as in Sanity.t.sol.
library Insn {
    uint32 internal constant SYSCALL = 0x0000000C;
    uint32 internal constant NOP = 0x00000000;

    /// @notice op(6) rs(5) rt(5) rd(5) sa(5) funct(6).
    function enc(uint256 op, uint256 rs, uint256 rt, uint256 rd, uint256 sa, uint256 funct)
        internal
        pure
        returns (uint32)
    {
        require(op < 64 && rs < 32 && rt < 32 && rd < 32 && sa < 32 && funct < 64, "Insn: field out of range");
        return uint32((op << 26) | (rs << 21) | (rt << 16) | (rd << 11) | (sa << 6) | funct);
    }

    /// @notice SPECIAL (op 0) R-type.
    function r(uint256 rs, uint256 rt, uint256 rd, uint256 sa, uint256 funct) internal pure returns (uint32) {
        return enc(0, rs, rt, rd, sa, funct);
    }

    /// @notice SPECIAL2 (op 0x1C).
    function sp2(uint256 rs, uint256 rt, uint256 rd, uint256 funct) internal pure returns (uint32) {
        return enc(0x1C, rs, rt, rd, 0, funct);
    }

    /// @notice I-type: op(6) rs(5) rt(5) imm(16).
    function i(uint256 op, uint256 rs, uint256 rt, uint256 imm) internal pure returns (uint32) {
        require(op < 64 && rs < 32 && rt < 32 && imm < 65536, "Insn: field out of range");
        return uint32((op << 26) | (rs << 21) | (rt << 16) | imm);
    }

    /// @notice J-type: op(6) target(26).
    function j(uint256 op, uint256 target) internal pure returns (uint32) {
        require(op < 64 && target < (1 << 26), "Insn: field out of range");
        return uint32((op << 26) | target);
    }
}
