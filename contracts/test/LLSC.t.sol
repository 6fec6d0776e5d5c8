// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StepTestBase, Machine} from "./helpers/StepTestBase.sol";
import {Insn} from "./helpers/Insn.sol";

/// @notice LL/LLD/SC/SCD and reservation clearing (spec §6, §12.15). The running thread has
///         id 7; memory 0x2000 = 81 92 A3 B4 C5 D6 E7 F8, 0x2008 = 01 02 03 04 05 06 07 08.
contract LLSCTest is StepTestBase {
    uint64 internal constant M0 = 0x8192_A3B4_C5D6_E7F8;
    uint64 internal constant M1 = 0x0102_0304_0506_0708;
    uint64 internal constant TID = 7;

    uint256 internal constant LL = 0x30;
    uint256 internal constant LLD = 0x34;
    uint256 internal constant SC = 0x38;
    uint256 internal constant SCD = 0x3C;

    function _llMachine(uint32 insn, uint64 base, uint64 rt) internal pure returns (Machine memory m) {
        m = _machine(insn);
        _t(m).id = TID;
        m.s.nextThreadID = 8;
        _setWord(m, 0x2000, M0);
        _setWord(m, 0x2008, M1);
        _t(m).r[A0] = base;
        _t(m).r[A1] = rt;
    }

    function _reserve(Machine memory m, uint8 status, uint64 addr, uint64 owner) internal pure {
        m.s.llStatus = status;
        m.s.llAddress = addr;
        m.s.llOwner = owner;
    }

    // ------------------------------------------------------------ LL / LLD

    function test_ll_loadsSignExtendedWordAndReservesExactAddress() external {
        Machine memory m = _llMachine(Insn.i(LL, A0, A1, 4), 0x2001, 0); // ll a1, 4(a0) → 0x2005
        Machine memory e = _next(m);
        _t(e).r[A1] = 0xFFFF_FFFF_C5D6_E7F8;
        _reserve(e, 1, 0x2005, TID);
        _checkStepAt(m, e, 0x2000);
    }

    function test_ll_overwritesAnotherThreadsReservation() external {
        Machine memory m = _llMachine(Insn.i(LL, A0, A1, 0), 0x2008, 0);
        _reserve(m, 2, 0x3000, 9);
        Machine memory e = _next(m);
        _t(e).r[A1] = 0x0102_0304;
        _reserve(e, 1, 0x2008, TID);
        _checkStepAt(m, e, 0x2008);
    }

    function test_ll_rtZeroStillReserves() external {
        Machine memory m = _llMachine(Insn.i(LL, A0, 0, 0), 0x2000, 0);
        Machine memory e = _next(m);
        _reserve(e, 1, 0x2000, TID);
        _checkStepAt(m, e, 0x2000);
    }

    function test_lld_loadsDoublewordStatusTwo() external {
        Machine memory m = _llMachine(Insn.i(LLD, A0, A1, 0), 0x2003, 0);
        Machine memory e = _next(m);
        _t(e).r[A1] = M0;
        _reserve(e, 2, 0x2003, TID);
        _checkStepAt(m, e, 0x2000);
    }

    // ------------------------------------------------------------ SC

    function test_sc_succeedsStoresLowWordAndClearsReservation() external {
        Machine memory m = _llMachine(Insn.i(SC, A0, A1, 4), 0x2000, 0xAAAA_BBBB_1234_5678);
        _reserve(m, 1, 0x2004, TID);
        Machine memory e = _next(m);
        _t(e).r[A1] = 1;
        _reserve(e, 0, 0, 0);
        _setWord(e, 0x2000, 0x8192_A3B4_1234_5678);
        _checkStepAt(m, e, 0x2000);
    }

    function test_sc_unalignedReservedAddressStoresAtAlignedWord() external {
        Machine memory m = _llMachine(Insn.i(SC, A0, A1, 6), 0x2000, 0x1234_5678);
        _reserve(m, 1, 0x2006, TID);
        Machine memory e = _next(m);
        _t(e).r[A1] = 1;
        _reserve(e, 0, 0, 0);
        _setWord(e, 0x2000, 0x8192_A3B4_1234_5678);
        _checkStepAt(m, e, 0x2000);
    }

    /// @notice A failed SC writes 0 to rt, keeps the reservation and touches no memory: the step
    ///         succeeds with slot 1 left empty (spec §10.2: a failed SC/SCD needs none).
    function _checkScFails(uint256 op, uint8 status, uint64 addr, uint64 owner) internal {
        Machine memory m = _llMachine(Insn.i(op, A0, A1, 4), 0x2000, 0x1234_5678);
        _reserve(m, status, addr, owner);
        Machine memory e = _next(m);
        _t(e).r[A1] = 0;
        _checkStep(m, e);
    }

    function test_sc_failsWhenAddressDiffersInLowBits() external {
        _checkScFails(SC, 1, 0x2005, TID);
    }

    function test_sc_failsForAnotherOwner() external {
        _checkScFails(SC, 1, 0x2004, 9);
    }

    function test_sc_failsAfterLld() external {
        _checkScFails(SC, 2, 0x2004, TID);
    }

    function test_sc_failsWithoutReservation() external {
        _checkScFails(SC, 0, 0x2004, TID);
    }

    function test_sc_rtZeroSucceedsAndStoresZero() external {
        Machine memory m = _llMachine(Insn.i(SC, A0, 0, 4), 0x2000, 0);
        _reserve(m, 1, 0x2004, TID);
        Machine memory e = _next(m);
        _reserve(e, 0, 0, 0);
        _setWord(e, 0x2000, 0x8192_A3B4_0000_0000);
        _checkStepAt(m, e, 0x2000);
    }

    // ------------------------------------------------------------ SCD

    function test_scd_succeedsStoresDoubleword() external {
        Machine memory m = _llMachine(Insn.i(SCD, A0, A1, 0), 0x2008, 0xDEAD_BEEF_0BAD_F00D);
        _reserve(m, 2, 0x2008, TID);
        Machine memory e = _next(m);
        _t(e).r[A1] = 1;
        _reserve(e, 0, 0, 0);
        _setWord(e, 0x2008, 0xDEAD_BEEF_0BAD_F00D);
        _checkStepAt(m, e, 0x2008);
    }

    function test_scd_failsAfterLl() external {
        _checkScFails(SCD, 1, 0x2004, TID);
    }

    // ------------------------------------------------------------ clearing by stores

    function test_store_otherHalfOfReservedWordClearsReservation() external {
        // Another thread (9) holds the reservation of 0x2004; thread 7 stores to 0x2000.
        Machine memory m = _llMachine(Insn.i(0x2B, A0, A1, 0), 0x2000, 0x1234_5678); // sw
        _reserve(m, 1, 0x2004, 9);
        Machine memory e = _next(m);
        _reserve(e, 0, 0, 0);
        _setWord(e, 0x2000, 0x1234_5678_C5D6_E7F8);
        _checkStepAt(m, e, 0x2000);
    }

    function test_store_byOwnerClearsReservation() external {
        Machine memory m = _llMachine(Insn.i(0x28, A0, A1, 0), 0x2007, 0xAB); // sb
        _reserve(m, 2, 0x2001, TID);
        Machine memory e = _next(m);
        _reserve(e, 0, 0, 0);
        _setWord(e, 0x2000, 0x8192_A3B4_C5D6_E7AB);
        _checkStepAt(m, e, 0x2000);
    }

    function test_store_toOtherWordKeepsReservation() external {
        Machine memory m = _llMachine(Insn.i(0x2B, A0, A1, 0), 0x2008, 0x1234_5678); // sw
        _reserve(m, 1, 0x2004, 9);
        Machine memory e = _next(m);
        _setWord(e, 0x2008, 0x1234_5678_0506_0708);
        _checkStepAt(m, e, 0x2008);
    }

    function test_load_keepsReservation() external {
        Machine memory m = _llMachine(Insn.i(0x37, A0, A1, 0), 0x2000, 0); // ld
        _reserve(m, 1, 0x2004, 9);
        Machine memory e = _next(m);
        _t(e).r[A1] = M0;
        _checkStepAt(m, e, 0x2000);
    }
}
