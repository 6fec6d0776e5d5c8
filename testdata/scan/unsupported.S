# A MIPS64 big-endian program full of what the MT-Cannon spec does not support, for the
# tests of `fpvmdiff scan` (scan/scan_test.go, internal/cli/scan_test.go). It is assembled
# and linked by the tests (mips64-linux-gnuabi64-as/ld); it is never run. Each function
# holds one kind of finding, so the expected report can be written by hand from this file.
# Plain GNU as syntax: no C preprocessor is involved.

        .set    noreorder
        .set    mips64r2
        .text

        .globl  __start
        .type   __start, @function
__start:
        jal     write_ok
        nop
        jal     send_signal
        nop
        daddiu  $v0, $zero, 5205        # exit_group: implemented
        syscall
        .size   __start, .-__start

        .type   write_ok, @function
write_ok:
        daddiu  $a0, $zero, 1
        daddiu  $v0, $zero, 5001        # write: implemented
        syscall
        jr      $ra
        nop
        .size   write_ok, .-write_ok

        .type   accumulate, @function
accumulate:                             # SPECIAL2 multiply-accumulate: rejected
        madd    $a0, $a1
        madd    $a2, $a3
        msubu   $a0, $a1
        jr      $ra
        nop
        .size   accumulate, .-accumulate

        .type   prefetch, @function
prefetch:                               # PREF is not a no-op in Cannon: rejected
        pref    0, 0($a0)
        jr      $ra
        nop
        .size   prefetch, .-prefetch

        .type   bitfield, @function
bitfield:                               # SPECIAL3: rejected
        ext     $v0, $a0, 3, 5
        jr      $ra
        nop
        .size   bitfield, .-bitfield

        .type   likely, @function
likely:                                 # branch-likely: rejected
        beql    $a0, $a1, 1f
        nop
1:      jr      $ra
        nop
        .size   likely, .-likely

        .type   traps, @function
traps:                                  # traps and BREAK: rejected
        teq     $a0, $a1
        break
        jr      $ra
        nop
        .size   traps, .-traps

        .type   fpu, @function
fpu:                                    # COP1: rejected
        add.d   $f0, $f2, $f4
        jr      $ra
        nop
        .size   fpu, .-fpu

        .type   rotate, @function
rotate:                                 # runs as SRL under Cannon: deviating
        rotr    $v0, $a0, 8
        jr      $ra
        nop
        .size   rotate, .-rotate

        .type   set_name, @function
set_name:                               # prctl: not implemented
        daddiu  $v0, $zero, 5153
        syscall
        jr      $ra
        nop
        .size   set_name, .-set_name

        .type   big_number, @function
big_number:                             # connect, built with lui+ori: not implemented
        lui     $v0, 0
        ori     $v0, $v0, 5041
        syscall
        jr      $ra
        nop
        .size   big_number, .-big_number

        .type   raw_syscall, @function
raw_syscall:                            # a wrapper: the number is the stack argument 8($sp)
        ld      $v0, 8($sp)
        syscall
        jr      $ra
        nop
        .size   raw_syscall, .-raw_syscall

        .type   send_signal, @function
send_signal:
        daddiu  $sp, $sp, -32
        sd      $ra, 0($sp)
        daddiu  $t0, $zero, 5060        # kill, through the wrapper: not implemented
        sd      $t0, 8($sp)
        jal     raw_syscall
        nop
        daddiu  $t0, $zero, 5023        # sched_yield, through the wrapper: implemented
        jal     raw_syscall
        sd      $t0, 8($sp)             # stored in the delay slot, before the call
        ld      $ra, 0($sp)
        jr      $ra
        daddiu  $sp, $sp, 32
        .size   send_signal, .-send_signal

        .type   computed, @function
computed:                               # the number comes from the caller: not checked
        move    $v0, $a0
        syscall
        jr      $ra
        nop
        .size   computed, .-computed
