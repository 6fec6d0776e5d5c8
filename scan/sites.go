package scan

import (
	"sort"

	"github.com/fpvmdiff/fpvmdiff/mips64"
)

// resolvedSite is a syscall whose number is a constant: at a syscall instruction, or at a
// call that passes the number to a wrapper (via names the wrapper).
type resolvedSite struct {
	symbol string
	addr   uint64
	number int64
	via    string
}

// wrapper is a function that takes the syscall number as a stack argument at off in its
// caller's frame.
type wrapper struct {
	f   fn
	off int64
}

// fnAt is the function containing addr, or the code range it lies in when there is no
// symbol (the backward scans then stop at the range start).
func (a *analyzer) fnAt(addr uint64) fn {
	if s, found := a.img.enclosing(addr); found {
		return fn{name: s.name, start: s.addr}
	}
	for _, r := range a.img.code {
		if addr >= r.addr && addr < r.addr+4*uint64(len(r.words)) {
			return fn{start: r.addr}
		}
	}
	return fn{start: addr}
}

// syscallSites finds every syscall and the number it uses, following wrappers.
func (a *analyzer) syscallSites() ([]resolvedSite, []SyscallSite) {
	var sites []resolvedSite
	var unresolved []SyscallSite
	var work []wrapper
	seen := map[wrapper]bool{}
	addWrapper := func(w wrapper) {
		if !seen[w] {
			seen[w] = true
			work = append(work, w)
		}
	}
	calls := map[uint64][]uint64{} // call target -> jal sites
	for _, r := range a.img.code {
		for i, w := range r.words {
			addr := r.addr + 4*uint64(i)
			switch {
			case mips64.Opcode(w) == 0x03: // jal
				target := (addr+4)&^0x0FFF_FFFF | uint64(w&0x03FF_FFFF)<<2
				calls[target] = append(calls[target], addr)
			case w&0xFC00_003F == 0x0000_000C: // syscall
				f := a.fnAt(addr)
				switch v := a.valueOf(f, regV0, addr, 0); v.kind {
				case constant:
					sites = append(sites, resolvedSite{symbol: f.name, addr: addr, number: v.n})
				case stackArg:
					addWrapper(wrapper{f: f, off: v.off})
				default:
					unresolved = append(unresolved, SyscallSite{Symbol: f.name, Addr: Addr(addr), Why: "$v0: " + v.why})
				}
			}
		}
	}
	for len(work) > 0 {
		w := work[0]
		work = work[1:]
		callers := calls[w.f.start]
		if len(callers) == 0 {
			unresolved = append(unresolved, SyscallSite{Symbol: w.f.name, Addr: Addr(w.f.start), Why: "the number is an argument and no direct call passes it"})
		}
		for _, c := range callers {
			caller := a.fnAt(c)
			switch v := a.storedArg(caller, c, w.off); v.kind {
			case constant:
				sites = append(sites, resolvedSite{symbol: caller.name, addr: c, number: v.n, via: w.f.name})
			case stackArg:
				addWrapper(wrapper{f: caller, off: v.off})
			default:
				unresolved = append(unresolved, SyscallSite{Symbol: caller.name, Addr: Addr(c), Why: "number passed to " + w.f.name + ": " + v.why})
			}
		}
	}
	sort.Slice(unresolved, func(i, j int) bool { return unresolved[i].Addr < unresolved[j].Addr })
	return sites, unresolved
}
