// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StepTestBase, Machine} from "./helpers/StepTestBase.sol";
import {Thread} from "./helpers/MTCodec.sol";
import {SparseMemory, Mem} from "./helpers/SparseMemory.sol";
import {Insn} from "./helpers/Insn.sol";

/// @notice Syscalls without scheduling effects (spec §7.1–§7.3, §7.5, §12.1/§12.2/§12.17/§12.18/§12.20).
///         Success: v0 = result, a3 = 0. Errors use convention B: v0 = errno, a3 = 2^64-1.
///         a3 holds SENTINEL before every call so that its write is visible.
contract SyscallTest is StepTestBase {
    uint64 internal constant EBADF = 0x9;
    uint64 internal constant EAGAIN = 0xB;
    uint64 internal constant EINVAL = 0x16;
    uint64 internal constant M0 = 0x8192_A3B4_C5D6_E7F8;
    uint64 internal constant M1 = 0x0102_0304_0506_0708;

    function _sys(uint64 num, uint64 a0, uint64 a1, uint64 a2) internal pure returns (Machine memory m) {
        m = _machine(Insn.SYSCALL);
        Thread memory t = _t(m);
        t.r[V0] = num;
        t.r[A0] = a0;
        t.r[A1] = a1;
        t.r[A2] = a2;
        t.r[A3] = SENTINEL;
        _setWord(m, 0x2000, M0);
        _setWord(m, 0x2008, M1);
    }

    /// @notice Expected state after a syscall returning normally (v0 = `ret`, a3 = 0).
    function _ok(Machine memory m, uint64 ret) internal pure returns (Machine memory e) {
        e = _next(m);
        _t(e).r[V0] = ret;
        _t(e).r[A3] = 0;
    }

    function _fail(Machine memory m, uint64 errno) internal pure returns (Machine memory e) {
        e = _next(m);
        _t(e).r[V0] = errno;
        _t(e).r[A3] = MINUS_ONE;
    }

    function _checkOk(uint64 num, uint64 a0, uint64 a1, uint64 a2, uint64 ret) internal {
        Machine memory m = _sys(num, a0, a1, a2);
        _checkStep(m, _ok(m, ret));
    }

    function _checkFails(uint64 num, uint64 a0, uint64 a1, uint64 a2, uint64 errno) internal {
        Machine memory m = _sys(num, a0, a1, a2);
        _checkStep(m, _fail(m, errno));
    }

    // ------------------------------------------------------------ mmap (5009), brk (5012)

    function test_mmap_heapRoundsLengthUpToPage() external {
        Machine memory m = _sys(5009, 0, 0x1001, 0);
        Machine memory e = _ok(m, HEAP_START);
        e.s.heap = 0x0000_1000_0000_2000;
        _checkStep(m, e);
    }

    function test_mmap_heapAlignedLengthUnchanged() external {
        Machine memory m = _sys(5009, 0, 0x1000, 0);
        Machine memory e = _ok(m, HEAP_START);
        e.s.heap = 0x0000_1000_0000_1000;
        _checkStep(m, e);
    }

    function test_mmap_zeroLengthReturnsHeapWithoutGrowing() external {
        _checkOk(5009, 0, 0, 0, HEAP_START);
    }

    function test_mmap_hintReturnedVerbatimHeapUnchanged() external {
        _checkOk(5009, 0x1234_5671, 0x10, 0, 0x1234_5671);
        _checkOk(5009, 0x1234_5671, 0xFFFF_FFFF_FFFF_FFFF, 0, 0x1234_5671);
    }

    function test_mmap_exactlyUpToHeapEndSucceeds() external {
        Machine memory m = _sys(5009, 0, 0x1000, 0);
        m.s.heap = 0x5FFF_FFFF_F000;
        Machine memory e = _ok(m, 0x5FFF_FFFF_F000);
        e.s.heap = 0x6000_0000_0000;
        _checkStep(m, e);
    }

    function test_mmap_pastHeapEndFailsEinval() external {
        Machine memory m = _sys(5009, 0, 0x2000, 0);
        m.s.heap = 0x5FFF_FFFF_F000;
        _checkStep(m, _fail(m, EINVAL));
    }

    function test_mmap_lengthRoundingWrapFailsEinval() external {
        _checkFails(5009, 0, 0xFFFF_FFFF_FFFF_FFFF, 0, EINVAL);
        _checkFails(5009, 0, 0xFFFF_FFFF_FFFF_F001, 0, EINVAL);
    }

    function test_brk_returnsProgramBreak() external {
        _checkOk(5012, 0, 0, 0, 0x0000_4000_0000_0000);
    }

    // ------------------------------------------------------------ exit_group (5205), bad clone (5055)

    function test_exitGroup_setsVmExitedWithLowByteAndDoesNotAdvance() external {
        Machine memory m = _sys(5205, 0x1_0000_0107, 0, 0);
        Machine memory e = _nextNoPC(m);
        e.s.exited = 1;
        e.s.exitCode = 7;
        _checkStep(m, e); // status tag 2 (panic) checked by the runner
    }

    function test_exitGroup_zeroAndOneGiveValidAndInvalidStatus() external {
        for (uint64 code = 0; code < 2; code++) {
            Machine memory m = _sys(5205, code, 0, 0);
            Machine memory e = _nextNoPC(m);
            e.s.exited = 1;
            e.s.exitCode = uint8(code);
            _checkStep(m, e);
        }
    }

    function test_clone_badFlagsPanicsVmThreadUntouched() external {
        Machine memory m = _sys(5055, 0x0005_0F01, 0x7000, 0);
        Machine memory e = _nextNoPC(m);
        e.s.exited = 1;
        e.s.exitCode = 2;
        _checkStep(m, e);
    }

    // ------------------------------------------------------------ read (5000) / write (5001), no memory

    function test_read_stdinReturnsZero() external {
        _checkOk(5000, 0, 0x2000, 8, 0);
    }

    function test_read_hintResponseReturnsFullCountTouchingNothing() external {
        _checkOk(5000, 3, 0x2000, 0x1_0000_0000, 0x1_0000_0000);
    }

    function test_read_badFdsFailEbadf() external {
        uint64[6] memory fds = [uint64(1), 2, 4, 6, 7, 99];
        for (uint256 i = 0; i < fds.length; i++) {
            _checkFails(5000, fds[i], 0x2000, 8, EBADF);
        }
    }

    function test_read_eventfdFailsEagain() external {
        _checkFails(5000, 100, 0x2000, 8, EAGAIN);
    }

    function test_write_stdoutStderrHintReturnFullCount() external {
        _checkOk(5001, 1, 0x2000, 0x123, 0x123);
        _checkOk(5001, 2, 0x2000, 0x123, 0x123);
        _checkOk(5001, 4, 0x2000, 0xFFFF_FFFF, 0xFFFF_FFFF);
    }

    function test_write_badFdsFailEbadf() external {
        uint64[5] memory fds = [uint64(0), 3, 5, 7, 101];
        for (uint256 i = 0; i < fds.length; i++) {
            _checkFails(5001, fds[i], 0x2000, 8, EBADF);
        }
    }

    function test_write_eventfdFailsEagain() external {
        _checkFails(5001, 100, 0x2000, 8, EAGAIN);
    }

    // ------------------------------------------------------------ fcntl (5070)

    function test_fcntl_getfdReturnsZeroForFdsZeroToSix() external {
        for (uint64 fd = 0; fd <= 6; fd++) {
            _checkOk(5070, fd, 1, 0, 0);
        }
    }

    function test_fcntl_getflReturnsAccessMode() external {
        uint64[7] memory mode = [uint64(0), 1, 1, 0, 1, 0, 1];
        for (uint64 fd = 0; fd <= 6; fd++) {
            _checkOk(5070, fd, 3, 0, mode[fd]);
        }
    }

    function test_fcntl_unknownFdFailsEbadf() external {
        _checkFails(5070, 7, 1, 0, EBADF);
        _checkFails(5070, 100, 3, 0, EBADF);
    }

    function test_fcntl_unknownCmdFailsEinvalBeforeFdCheck() external {
        _checkFails(5070, 0, 2, 0, EINVAL);
        _checkFails(5070, 100, 2, 0, EINVAL);
    }

    // ------------------------------------------------------------ small ones

    function test_gettid_returnsThreadId() external {
        Machine memory m = _sys(5178, 0, 0, 0);
        _t(m).id = 0x1234;
        m.s.nextThreadID = 0x1235;
        _checkStep(m, _ok(m, 0x1234));
    }

    function test_getpid_returnsZero() external {
        _checkOk(5038, 0, 0, 0, 0);
    }

    function test_open_failsEbadf() external {
        _checkFails(5002, 0x2000, 0, 0, EBADF);
    }

    function test_eventfd2_nonblockReturnsFd100() external {
        _checkOk(5284, 5, 0x80, 0, 100);
        _checkOk(5284, 0, 0x880, 0, 100);
    }

    function test_eventfd2_withoutNonblockFailsEinval() external {
        _checkFails(5284, 0, 0, 0, EINVAL);
        _checkFails(5284, 0, 0x800, 0, EINVAL);
    }

    function test_syscall_codeFieldIgnored() external {
        Machine memory m = _sys(5038, 0, 0, 0);
        _putInsn(m.mem, PC, 0x03FF_FFCC); // syscall 0xFFFFF
        _checkStep(m, _ok(m, 0));
    }

    function test_noopSyscalls_returnZero() external {
        uint16[31] memory nums = [
            5011, 5010, 5196, 5027, 5014, 5129, 5013, 5297, 5003, 5016, 5004, 5005, 5247, 5087, 5257, 5015,
            5285, 5287, 5208, 5272, 5061, 5100, 5102, 5026, 5225, 5095, 5008, 5036, 5216, 5217, 5220
        ];
        for (uint256 i = 0; i < nums.length; i++) {
            _checkOk(nums[i], 0x2000, 0x2000, 0x2000, 0);
        }
    }

    function test_unknownSyscall_reverts() external {
        uint64[6] memory nums = [uint64(5999), 0, 4001, 5314, 6000, 0x1_0000_1391]; // last: 5009 + 2^32
        for (uint256 i = 0; i < nums.length; i++) {
            _revertsWith(_sys(nums[i], 0, 0, 0), "", "", "MIPS64: unimplemented syscall");
        }
    }

    function test_syscall_inDelaySlotIsAllowed() external {
        Machine memory m = _sys(5038, 0, 0, 0);
        _t(m).nextPC = 0x9000;
        _checkStep(m, _ok(m, 0));
    }

    // ------------------------------------------------------------ clock_gettime (5222)

    /// @notice clock_gettime at `a1` with two proofs: slot 1 against the pre-state memory,
    ///         slot 2 against the memory after the seconds word was written.
    function _checkClock(Machine memory m, uint64 secs, uint64 nsecs) internal {
        uint64 ea = _t(m).r[A1] & ~uint64(7);
        uint64 ea2;
        unchecked {
            ea2 = ea + 8; // wraps to 0 for the last word of the address space
        }
        Machine memory e = _ok(m, 0);
        _setWord(e, ea, secs);
        Mem memory mid = _copy(m).mem;
        SparseMemory.setWord(mid, ea, secs);
        _setWord(e, ea2, nsecs);
        _check(m, e, _proof(m, ea), SparseMemory.proof(mid, ea2));
    }

    function test_clockGettime_monotonicFromIncrementedStep() external {
        Machine memory m = _sys(5222, 1, 0x2003, 0); // unaligned buffer → 0x2000
        m.s.step = 12_345_677; // step' = 12_345_678 → 1 s, 2_345_678 * 100 ns
        _checkClock(m, 1, 0x0DFB_3878);
    }

    function test_clockGettime_monotonicAtWholeSeconds() external {
        Machine memory m = _sys(5222, 1, 0x2000, 0);
        m.s.step = 29_999_999;
        _checkClock(m, 3, 0);
    }

    function test_clockGettime_realtimeWritesZeros() external {
        Machine memory m = _sys(5222, 0, 0x2000, 0);
        m.s.step = 12_345_677;
        _checkClock(m, 0, 0);
    }

    function test_clockGettime_wordsInTwoLeaves() external {
        Machine memory m = _sys(5222, 1, 0x2018, 0); // 0x2018 and 0x2020: a1 & 31 == 24
        _setWord(m, 0x2018, 0xAAAA);
        _setWord(m, 0x2020, 0xBBBB);
        m.s.step = 10_000_000;
        _checkClock(m, 1, 100);
    }

    function test_clockGettime_secondWordWrapsToAddressZero() external {
        Machine memory m = _sys(5222, 1, 0xFFFF_FFFF_FFFF_FFF8, 0);
        _setWord(m, 0xFFFF_FFFF_FFFF_FFF8, 0xAAAA);
        _setWord(m, 0, 0xBBBB);
        m.s.step = 0;
        _checkClock(m, 0, 100);
    }

    function test_clockGettime_clearsReservationOnEitherWord() external {
        Machine memory m = _sys(5222, 1, 0x2000, 0);
        m.s.step = 4;
        m.s.llStatus = 1;
        m.s.llAddress = 0x200C;
        m.s.llOwner = 0;
        uint64 ea = 0x2000;
        Machine memory e = _ok(m, 0);
        e.s.llStatus = 0;
        e.s.llAddress = 0;
        _setWord(e, ea, 0);
        Mem memory mid = _copy(m).mem;
        SparseMemory.setWord(mid, ea, 0);
        _setWord(e, ea + 8, 500);
        _check(m, e, _proof(m, ea), SparseMemory.proof(mid, ea + 8));

        m.s.llAddress = 0x2001;
        m.s.llStatus = 2;
        _check(m, e, _proof(m, ea), SparseMemory.proof(mid, ea + 8));
    }

    function test_clockGettime_otherClockFailsEinvalWithoutMemory() external {
        _checkFails(5222, 2, 0x2000, 0, EINVAL);
        _checkFails(5222, 0xFFFF_FFFF_FFFF_FFFF, 0x2000, 0, EINVAL);
    }

    function test_clockGettime_secondProofAgainstPreRootReverts() external {
        Machine memory m = _sys(5222, 1, 0x2000, 0);
        m.s.step = 12_345_677;
        // Slot 2 built from the pre-state memory: its leaf still holds M0 at 0x2000.
        _revertsWithError(m, _proof(m, 0x2000), _proof(m, 0x2008), bytes4(0x834c4cd4));
    }

    function test_clockGettime_secondProofAgainstPreRootRevertsTwoLeaves() external {
        Machine memory m = _sys(5222, 1, 0x2018, 0);
        _setWord(m, 0x2018, 0xAAAA);
        m.s.step = 12_345_677;
        _revertsWithError(m, _proof(m, 0x2018), _proof(m, 0x2020), bytes4(0x834c4cd4));
    }

    function test_clockGettime_missingSecondProofReverts() external {
        Machine memory m = _sys(5222, 1, 0x2000, 0);
        _revertsWithError(m, _proof(m, 0x2000), "", bytes4(0x834c4cd4));
    }

    // ------------------------------------------------------------ getrandom (5313, v8)

    /// splitmix64(0x1a2b3c4d5e6f7531) (spec §7.2 official vector; seed = incremented step).
    uint64 internal constant RND = 0x4141_3027_68C9_E9D0;
    uint64 internal constant RND_STEP_BEFORE = 0x1a2b_3c4d_5e6f_7530;

    function _checkGetrandom(uint64 buf, uint64 len, uint64 n, uint64 after_) internal {
        Machine memory m = _sys(5313, buf, len, 0xFFFF);
        m.s.step = RND_STEP_BEFORE;
        Machine memory e = _ok(m, n);
        _setWord(e, buf & ~uint64(7), after_);
        _checkStepAt(m, e, buf & ~uint64(7));
    }

    function test_getrandom_fillsBytesFromOffsetToWordEnd() external {
        _checkGetrandom(0x2001, 8, 7, 0x8141_3027_68C9_E9D0); // mask 0x00FF_FFFF_FFFF_FFFF
        _checkGetrandom(0x2000, 100, 8, RND);
        _checkGetrandom(0x2007, 1, 1, 0x8192_A3B4_C5D6_E7D0);
    }

    function test_getrandom_shortLengthInsideWord() external {
        _checkGetrandom(0x2006, 3, 2, 0x8192_A3B4_C5D6_E9D0); // mask 0x0000_0000_0000_FFFF
        _checkGetrandom(0x2002, 2, 2, 0x8192_3027_C5D6_E7F8);
    }

    function test_getrandom_zeroLengthStillWritesAndClearsReservation() external {
        Machine memory m = _sys(5313, 0x2000, 0, 0);
        m.s.step = RND_STEP_BEFORE;
        m.s.llStatus = 1;
        m.s.llAddress = 0x2004;
        m.s.llOwner = 3;
        Machine memory e = _ok(m, 0);
        e.s.llStatus = 0;
        e.s.llAddress = 0;
        e.s.llOwner = 0;
        _checkStepAt(m, e, 0x2000);
    }

    function test_getrandom_seedIsIncrementedStep() external {
        // step' = 1 → splitmix64(1) = 0x910a2dec89025cc1 (formula of spec §7.2).
        Machine memory m = _sys(5313, 0x2008, 8, 0);
        m.s.step = 0;
        Machine memory e = _ok(m, 8);
        _setWord(e, 0x2008, 0x910a_2dec_8902_5cc1);
        _checkStepAt(m, e, 0x2008);
    }
}
