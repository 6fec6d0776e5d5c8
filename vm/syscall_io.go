package vm

import (
	"encoding/binary"
	"io"
)

// File descriptors the VM knows (docs/spec.md §9.1 "Constants").
const (
	fdStdin         = 0
	fdStdout        = 1
	fdStderr        = 2
	fdHintRead      = 3
	fdHintWrite     = 4
	fdPreimageRead  = 5
	fdPreimageWrite = 6
	fdEventfd       = 100
)

// fcntl commands and the eventfd2 flag that must be present (docs/spec.md §7.2 "Supported
// syscalls", §9.1 "Constants").
const (
	fcntlGetFD  = 1
	fcntlGetFL  = 3
	efdNonblock = 0x80
)

// maxGuestCopy bounds the bytes copied out of guest memory by one write to stdout, stderr or
// the hint fd. The VM result ($v0 = count) does not depend on it; it only keeps a crafted
// count like 2^63 from exhausting the host. Real guests never write this much at once.
const maxGuestCopy = 64 << 20

// outputChunk is how many guest bytes are copied per Write call.
const outputChunk = 64 << 10

// sysRead serves read(2) (docs/spec.md §7.4 "File descriptors, read and write"). Only fd 5
// touches memory.
func (v *VM) sysRead(t *Thread, insn uint32, fd, buf, count uint64) error {
	switch fd {
	case fdStdin:
		sysReturn(t, 0)
	case fdHintRead:
		// The host's one-byte acknowledgement is not modelled: the read "succeeds" untouched.
		sysReturn(t, count)
	case fdPreimageRead:
		return v.readPreimage(t, insn, buf, count)
	case fdEventfd:
		sysError(t, errEAGAIN)
	default:
		sysError(t, errEBADF)
	}
	return nil
}

// sysWrite serves write(2) (docs/spec.md §7.4 "File descriptors, read and write"). Writes to
// stdout, stderr and the hint fd report the full count, never truncated to a word; only fd 6
// touches proven memory.
func (v *VM) sysWrite(t *Thread, fd, buf, count uint64) {
	switch fd {
	case fdStdout:
		v.copyOut(v.stdout, buf, count)
		sysReturn(t, count)
	case fdStderr:
		v.copyOut(v.stderr, buf, count)
		sysReturn(t, count)
	case fdHintWrite:
		v.bufferHint(buf, count)
		sysReturn(t, count)
	case fdPreimageWrite:
		v.writePreimageKey(t, buf, count)
	case fdEventfd:
		sysError(t, errEAGAIN)
	default:
		sysError(t, errEBADF)
	}
}

// copyOut hands guest output to w. Output is best effort: a failing writer cannot change the
// guest-visible result, so its error is dropped.
func (v *VM) copyOut(w io.Writer, addr, count uint64) {
	if w == io.Discard {
		return
	}
	count = min(count, maxGuestCopy)
	for count > 0 {
		n := min(count, outputChunk)
		if _, err := w.Write(v.state.Memory.ReadBytes(addr, int(n))); err != nil {
			return
		}
		addr += n
		count -= n
	}
}

// bufferHint appends the written bytes to State.LastHint and passes every complete hint
// (4-byte big-endian length, then the payload) to the oracle. Hints never affect the witness.
func (v *VM) bufferHint(addr, count uint64) {
	if v.stateless {
		// The on-chain step does not read the hint bytes (docs/spec.md §7.4 "File
		// descriptors, read and write"), so its witness proves none: a replay skips them.
		return
	}
	s := v.state
	count = min(count, maxGuestCopy)
	if count > 0 {
		s.LastHint = append(s.LastHint, v.state.Memory.ReadBytes(addr, int(count))...)
	}
	for len(s.LastHint) >= 4 {
		n := uint64(binary.BigEndian.Uint32(s.LastHint))
		if uint64(len(s.LastHint))-4 < n {
			break
		}
		if v.oracle != nil {
			v.oracle.Hint(s.LastHint[4 : 4+n])
		}
		s.LastHint = s.LastHint[4+n:]
	}
	if len(s.LastHint) == 0 {
		s.LastHint = nil
	}
}

// sysFcntlCall answers F_GETFD and F_GETFL for the VM's fixed descriptors. The command is
// checked before the descriptor; the eventfd (100) is unknown to fcntl.
func sysFcntlCall(t *Thread, fd, cmd uint64) {
	switch cmd {
	case fcntlGetFD:
		if fd > fdPreimageWrite {
			sysError(t, errEBADF)
			return
		}
		sysReturn(t, 0)
	case fcntlGetFL:
		switch fd {
		case fdStdin, fdHintRead, fdPreimageRead:
			sysReturn(t, 0) // O_RDONLY
		case fdStdout, fdStderr, fdHintWrite, fdPreimageWrite:
			sysReturn(t, 1) // O_WRONLY
		default:
			sysError(t, errEBADF)
		}
	default:
		sysError(t, errEINVAL)
	}
}

// sysEventfd2Call returns the VM's single eventfd, which only exists non-blocking; the
// initial value is ignored.
func sysEventfd2Call(t *Thread, flags uint64) {
	if flags&efdNonblock == 0 {
		sysError(t, errEINVAL)
		return
	}
	sysReturn(t, fdEventfd)
}
