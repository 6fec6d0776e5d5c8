// Package coverage is the matrix of spec rows (docs/spec.md) against the differential
// checks that exercised them: the vector corpus, guest-program runs (their summary's class
// counts) and fuzz runs (same summary format). A row is covered by a behaviour class (as
// check.Classify names steps) or by an explicit tag a vector lists in "covers".
package coverage

import (
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/mips64"
)

// Row is one spec row. Match holds path.Match patterns over class names and tags.
type Row struct {
	ID      string   `json:"id"`
	Section string   `json:"section"`
	Match   []string `json:"-"`
}

func row(id, section string, match ...string) Row {
	if len(match) == 0 {
		match = []string{id}
	}
	return Row{ID: id, Section: section, Match: match}
}

func insnRow(insn uint32, section string) Row {
	n := mips64.SelectorName(insn) // the class base name check.Classify gives the selector
	return Row{ID: "insn/" + n, Section: section, Match: []string{n, n + "/*"}}
}

// Rows is every spec row the gate requires a differential check for.
func Rows() []Row {
	var rows []Row
	for op := uint32(2); op < 64; op++ {
		if op == 0x1C {
			continue
		}
		rows = append(rows, insnRow(op<<26, "5.2"))
	}
	for f := uint32(0); f < 64; f++ {
		if f == 0x0C {
			continue
		}
		rows = append(rows, insnRow(f, "5.3"))
	}
	for rt := uint32(0); rt < 32; rt++ {
		rows = append(rows, insnRow(1<<26|rt<<16, "5.5"))
	}
	for f := uint32(0); f < 64; f++ {
		rows = append(rows, insnRow(0x1C<<26|f, "5.4"))
	}
	// Outcome variants that select different behaviour (§5.5, §5.6, §6, §5.3).
	for _, b := range []string{"beq", "bne", "blez", "bgtz", "bltz", "bgez", "bltzal", "bgezal"} {
		for _, v := range []string{"taken", "not-taken", "in-delay-slot"} {
			rows = append(rows, row(b+"/"+v, "5.6"))
		}
	}
	for _, j := range []string{"j", "jal", "jr", "jalr"} {
		rows = append(rows, row(j+"/in-delay-slot", "5.6"))
	}
	rows = append(rows,
		row("sc/success", "6"), row("sc/fail", "6"), row("scd/success", "6"), row("scd/fail", "6"),
		row("div/by-zero", "5.3"), row("divu/by-zero", "5.3"), row("ddiv/by-zero", "5.3"), row("ddivu/by-zero", "5.3"),
	)
	rows = append(rows, syscallRows()...)
	rows = append(rows,
		row("sched/exited-vm", "4"), row("sched/empty-stack", "4"), row("sched/pop", "4"),
		row("sched/pop-flip", "4 / 12.4"), row("sched/preempt", "4"),
		row("sched/preempt-single-thread", "4 / 12.4"), row("sched/quantum-99999", "12.4"),
		row("sched/clone", "4", "sched/clone", "syscall/clone/ok"),
		row("sched/yield-inactive-empty", "12.4"), row("sched/yield-inactive-nonempty", "12.4"),
		row("preimage/type1", "8.3"), row("preimage/type2", "8.3"), row("preimage/type4", "8.3"),
	)
	for _, k := range []string{"invalid instruction", "branch in delay slot", "jump in delay slot",
		"division by zero", "misaligned pc", "unimplemented syscall", "active thread stack is empty",
		"pre-image read past the end"} {
		rows = append(rows, row("fault/"+k, "5.8"))
	}
	return rows
}

func syscallRows() []Row {
	s := func(id string, match ...string) Row {
		r := row("syscall/"+id, "7", match...)
		if len(match) == 0 {
			r.Match = []string{"syscall/" + id}
		}
		return r
	}
	var rows []Row
	for _, fd := range []string{"fd0", "fd1", "fd2", "fd3", "fd4", "fd5", "fd6", "fd100", "fd-other"} {
		rows = append(rows, s("read/"+fd, "syscall/read/"+fd, "syscall/read/"+fd+"/*"))
		rows = append(rows, s("write/"+fd, "syscall/write/"+fd, "syscall/write/"+fd+"/*"))
	}
	rows = append(rows,
		s("read/fd5/count0"), s("read/fd5/past-end"), s("write/fd6/count0"),
		s("mmap/heap"), s("mmap/hint"), s("mmap/einval"), s("brk"),
		s("clone/ok"), s("clone/bad-flags"), s("exit_group"), s("exit/last-thread"), s("exit/not-last"),
		s("fcntl/getfd", "syscall/fcntl/fd[0-6]/cmd1"),
		s("fcntl/getfl-rdonly", "syscall/fcntl/fd[035]/cmd3"),
		s("fcntl/getfl-wronly", "syscall/fcntl/fd[1246]/cmd3"),
		s("fcntl/bad-fd", "syscall/fcntl/fd100/cmd[13]", "syscall/fcntl/fd-other/cmd[13]"),
		s("fcntl/bad-cmd", "syscall/fcntl/*/cmd[024]"),
		s("sched_yield"), s("nanosleep"), s("gettid"), s("getpid"), s("open"),
		s("futex/wait-match"), s("futex/wait-eagain"), s("futex/wake"), s("futex/bad-op"),
		s("clock_gettime/clk0"), s("clock_gettime/clk1"), s("clock_gettime/clk1/split-leaf"),
		s("clock_gettime/clk2"), s("clock_gettime/wrap"),
		s("getrandom/len0"), s("eventfd2/nonblock"), s("eventfd2/blocking"),
	)
	for k := 0; k < 8; k++ {
		rows = append(rows, s(fmt.Sprintf("getrandom/align%d", k)))
	}
	for _, sc := range mips64.Syscalls() { // the no-ops of docs/spec.md §7.3 "No-op syscalls", in its order
		if sc.Status != mips64.SyscallNoOp {
			continue
		}
		r := s(fmt.Sprintf("%d", sc.Number))
		if sc.Number == 5010 { // the classifier names mprotect
			r.Match = append(r.Match, "syscall/mprotect")
		}
		rows = append(rows, r)
	}
	return rows
}
