// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

interface Vm {
    function assertEq(uint256 a, uint256 b) external pure;
}

contract SmokeTest {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    function test_toolchain() external pure {
        vm.assertEq(1 + 1, 2);
    }

}
