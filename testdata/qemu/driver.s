# fpvmdiff QEMU oracle driver: MIPS64 big-endian, n64 ABI, static, no libc.
#
# One long-lived qemu-mips64 process runs single instructions chosen by the Go side
# (package qemuoracle) and reports the machine state they leave behind.
#
# Protocol (all integers big-endian, 8-byte fields unless noted):
#   startup  driver -> Go: hello, 64 bytes: "FPVMQEMU", version, code base, block bytes,
#            max batch, window address, input record size, output record size.
#   batch    Go -> driver: n (0 = exit), then n input records of IN_SIZE bytes:
#              0   entry pc (where the case starts, inside its block)
#              8   HI     16  LO
#              24  R0..R31 (32 x 8)
#              280 memory window (8 x 8), copied to the window address before the case
#              344 code block (32 words), copied to CODE_BASE + i*BLOCK_BYTES
#            driver -> Go: n output records of OUT_SIZE bytes:
#              0   signal number that ended the case (SIGTRAP = reached a BREAK pad)
#              8   pc of the signal      16 HI     24 LO
#              32  R0..R31               288 memory window
#
# How a case runs: every block is filled with BREAKs except the instruction under test and
# its delay-slot NOP, so whichever way control leaves the instruction it stops at a BREAK.
# The SIGTRAP handler (on an alternate stack, because the case owns every register,
# including sp) saves the interrupted context as the result of the case in flight, then
# rewrites that same context with the next case's registers, HI/LO and entry pc, so
# rt_sigreturn loads all of them at once and jumps straight to the instruction. After the
# last case it points the context at `resume`. The driver itself never uses the stack.

        .set    noreorder
        .set    mips64r2

        .equ    PROTO_VERSION, 1
        .equ    CODE_BASE, 0x20000000
        .equ    BLOCK_BYTES, 128
        .equ    MAX_BATCH, 256
        .equ    IN_SIZE, 472
        .equ    IN_BLOCK, 344
        .equ    OUT_SIZE, 352
        .equ    WINDOW_WORDS, 8
        .equ    ALTSTACK_SIZE, 65536

        # n64 syscall numbers (Linux arch/mips/kernel/syscalls/syscall_n64.tbl)
        .equ    SYS_READ, 5000
        .equ    SYS_WRITE, 5001
        .equ    SYS_MMAP, 5009
        .equ    SYS_RT_SIGACTION, 5013
        .equ    SYS_SIGALTSTACK, 5129
        .equ    SYS_CACHEFLUSH, 5197
        .equ    SYS_EXIT_GROUP, 5205

        # MIPS values of the mmap and sigaction flags
        .equ    MMAP_FLAGS, 0x812               # MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS
        .equ    SA_FLAGS, 0x08000008            # SA_ONSTACK | SA_SIGINFO

        # n64 ucontext: flags 8, link 8, stack_t 24, then the sigcontext:
        # sc_regs[32], sc_fpregs[32], sc_mdhi, hi1..3, sc_mdlo, lo1..3, sc_pc.
        .equ    UC_REGS, 40
        .equ    UC_MDHI, 40 + 512
        .equ    UC_MDLO, 40 + 512 + 32
        .equ    UC_PC, 40 + 512 + 64

        # offsets into `state`
        .equ    ST_INFLIGHT, 0                  # 1 while a case is running
        .equ    ST_INP, 8                       # next input record
        .equ    ST_OUTP, 16                     # output record of the case in flight
        .equ    ST_LEFT, 24                     # cases not started yet
        .equ    ST_N, 32                        # cases in this batch

        # exit codes: protocol or set-up failures the Go side reports
        .equ    EXIT_SETUP, 3
        .equ    EXIT_PROTO, 4
        .equ    EXIT_IO, 5

        .text
        .globl  __start
__start:
        dla     $a1, hello
        jal     write_full
        li      $a2, 64

        dla     $a0, altstack_desc
        move    $a1, $zero
        li      $v0, SYS_SIGALTSTACK
        syscall
        bnez    $a3, fail_setup
        nop

        dla     $s0, sigact
        dla     $s1, trapped_signals
1:      ld      $a0, 0($s1)
        beqz    $a0, 2f
        nop
        move    $a1, $s0
        move    $a2, $zero
        li      $a3, 16                         # sizeof(sigset_t)
        li      $v0, SYS_RT_SIGACTION
        syscall
        bnez    $a3, fail_setup
        nop
        b       1b
        daddiu  $s1, $s1, 8

2:      li      $a0, CODE_BASE
        li      $a1, MAX_BATCH * BLOCK_BYTES
        li      $a2, 7                          # PROT_READ | PROT_WRITE | PROT_EXEC
        li      $a3, MMAP_FLAGS
        li      $a4, -1
        move    $a5, $zero
        li      $v0, SYS_MMAP
        syscall
        bnez    $a3, fail_setup
        li      $t0, CODE_BASE
        bne     $v0, $t0, fail_setup
        nop

batch:
        dla     $a1, nbuf
        jal     read_full
        li      $a2, 8
        dla     $t0, nbuf
        ld      $s2, 0($t0)
        beqz    $s2, exit_ok
        sltiu   $t0, $s2, MAX_BATCH + 1
        beqz    $t0, fail_proto
        li      $t0, IN_SIZE
        dmultu  $s2, $t0
        mflo    $a2
        dla     $a1, inbuf
        jal     read_full
        nop

        # copy each case's block into its slot of the code region
        dla     $s3, inbuf + IN_BLOCK
        li      $s4, CODE_BASE
        move    $s5, $s2
3:      move    $t1, $s3
        move    $t2, $s4
        li      $t3, BLOCK_BYTES / 8
4:      ld      $t8, 0($t1)
        sd      $t8, 0($t2)
        daddiu  $t1, $t1, 8
        addiu   $t3, $t3, -1
        bnez    $t3, 4b
        daddiu  $t2, $t2, 8
        daddiu  $s3, $s3, IN_SIZE
        daddiu  $s5, $s5, -1
        bnez    $s5, 3b
        daddiu  $s4, $s4, BLOCK_BYTES

        # QEMU notices writes to translated code by itself; real hardware needs this
        li      $a0, CODE_BASE
        li      $t0, BLOCK_BYTES
        dmultu  $s2, $t0
        mflo    $a1
        li      $a2, 3                          # BCACHE
        li      $v0, SYS_CACHEFLUSH
        syscall

        dla     $t0, state
        sd      $zero, ST_INFLIGHT($t0)
        dla     $t1, inbuf
        sd      $t1, ST_INP($t0)
        dla     $t1, outbuf
        sd      $t1, ST_OUTP($t0)
        sd      $s2, ST_LEFT($t0)
        sd      $s2, ST_N($t0)
        break   0                               # the handler runs the whole batch

        # Reached from the handler after the last case; every register but pc holds that
        # case's values, so reload everything from memory.
resume:
        dla     $t0, state
        ld      $s2, ST_N($t0)
        li      $t0, OUT_SIZE
        dmultu  $s2, $t0
        mflo    $a2
        dla     $a1, outbuf
        jal     write_full
        nop
        b       batch
        nop

exit_ok:
        move    $a0, $zero
        b       exit
        nop
fail_setup:
        b       exit
        li      $a0, EXIT_SETUP
fail_proto:
        b       exit
        li      $a0, EXIT_PROTO
fail_io:
        li      $a0, EXIT_IO
exit:
        li      $v0, SYS_EXIT_GROUP
        syscall
        nop

# read_full reads exactly $a2 bytes from stdin into $a1; end of input exits with 0 (the Go
# side closes stdin to stop the driver). The loop state lives in $s6/$s7, which syscalls keep.
read_full:
        move    $s6, $a1
        move    $s7, $a2
1:      beqz    $s7, 2f
        move    $a0, $zero
        move    $a1, $s6
        move    $a2, $s7
        li      $v0, SYS_READ
        syscall
        bnez    $a3, fail_io
        nop
        beqz    $v0, exit_ok
        daddu   $s6, $s6, $v0
        b       1b
        dsubu   $s7, $s7, $v0
2:      jr      $ra
        nop

# write_full writes exactly $a2 bytes from $a1 to stdout.
write_full:
        move    $s6, $a1
        move    $s7, $a2
1:      beqz    $s7, 2f
        li      $a0, 1
        move    $a1, $s6
        move    $a2, $s7
        li      $v0, SYS_WRITE
        syscall
        bnez    $a3, fail_io
        nop
        beqz    $v0, fail_io
        daddu   $s6, $s6, $v0
        b       1b
        dsubu   $s7, $s7, $v0
2:      jr      $ra
        nop

# handler(signo $a0, siginfo $a1, ucontext $a2). It may clobber any register: rt_sigreturn
# reloads all of them from the ucontext. Only $sp (the frame rt_sigreturn reads) and $ra
# (the return trampoline) must survive.
handler:
        dla     $t0, state
        ld      $t1, ST_INFLIGHT($t0)
        beqz    $t1, next_case
        ld      $t1, ST_OUTP($t0)

        sd      $a0, 0($t1)
        ld      $t2, UC_PC($a2)
        sd      $t2, 8($t1)
        ld      $t2, UC_MDHI($a2)
        sd      $t2, 16($t1)
        ld      $t2, UC_MDLO($a2)
        sd      $t2, 24($t1)
        daddiu  $t2, $a2, UC_REGS
        daddiu  $t3, $t1, 32
        li      $t8, 32
1:      ld      $v0, 0($t2)
        sd      $v0, 0($t3)
        daddiu  $t2, $t2, 8
        addiu   $t8, $t8, -1
        bnez    $t8, 1b
        daddiu  $t3, $t3, 8
        dla     $t2, window
        li      $t8, WINDOW_WORDS
2:      ld      $v0, 0($t2)
        sd      $v0, 0($t3)
        daddiu  $t2, $t2, 8
        addiu   $t8, $t8, -1
        bnez    $t8, 2b
        daddiu  $t3, $t3, 8
        sd      $t3, ST_OUTP($t0)
        sd      $zero, ST_INFLIGHT($t0)

next_case:
        ld      $t1, ST_LEFT($t0)
        beqz    $t1, batch_done
        daddiu  $t1, $t1, -1
        sd      $t1, ST_LEFT($t0)
        li      $t1, 1
        sd      $t1, ST_INFLIGHT($t0)
        ld      $t1, ST_INP($t0)

        ld      $t2, 0($t1)
        sd      $t2, UC_PC($a2)
        ld      $t2, 8($t1)
        sd      $t2, UC_MDHI($a2)
        ld      $t2, 16($t1)
        sd      $t2, UC_MDLO($a2)
        daddiu  $t2, $t1, 24
        daddiu  $t3, $a2, UC_REGS
        li      $t8, 32
3:      ld      $v0, 0($t2)
        sd      $v0, 0($t3)
        daddiu  $t2, $t2, 8
        addiu   $t8, $t8, -1
        bnez    $t8, 3b
        daddiu  $t3, $t3, 8
        dla     $t3, window
        li      $t8, WINDOW_WORDS
4:      ld      $v0, 0($t2)
        sd      $v0, 0($t3)
        daddiu  $t2, $t2, 8
        addiu   $t8, $t8, -1
        bnez    $t8, 4b
        daddiu  $t3, $t3, 8
        daddiu  $t1, $t1, IN_SIZE
        jr      $ra
        sd      $t1, ST_INP($t0)

batch_done:
        dla     $t1, resume
        jr      $ra
        sd      $t1, UC_PC($a2)

        .data
        .align  3
hello:
        .ascii  "FPVMQEMU"
        .dword  PROTO_VERSION, CODE_BASE, BLOCK_BYTES, MAX_BATCH, window, IN_SIZE, OUT_SIZE
sigact:                                         # MIPS struct sigaction
        .word   SA_FLAGS, 0
        .dword  handler
        .dword  0, 0                            # sa_mask: nothing extra blocked
altstack_desc:                                  # stack_t
        .dword  altstack, ALTSTACK_SIZE
        .word   0, 0
trapped_signals:                                # SIGILL SIGTRAP SIGFPE SIGBUS SIGSEGV, 0
        .dword  4, 5, 8, 10, 11, 0

        # The alternate signal stack comes last, far (> 64 KiB) from the window: a case's
        # base register points near the window, and when that register is sp and its value
        # lies inside the alternate stack, the kernel (and QEMU) believes the handler is
        # already on it and builds the signal frame right below sp, over the window.
        .bss
        .align  6
window: .space  WINDOW_WORDS * 8
state:  .space  40
nbuf:   .space  8
        .align  4
inbuf:  .space  MAX_BATCH * IN_SIZE
outbuf: .space  MAX_BATCH * OUT_SIZE
altstack:
        .space  ALTSTACK_SIZE
