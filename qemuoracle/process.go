package qemuoracle

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"time"
)

// Record sizes and the hello of testdata/qemu/driver.s (protocol in its header comment).
const (
	protoMagic   = "FPVMQEMU"
	protoVersion = 1
	helloSize    = 64
	inSize       = 24 + 32*8 + WindowWords*8 + BlockWords*4 // 472
	outSize      = 32 + 32*8 + WindowWords*8                // 352

	// defaultTimeout bounds one batch: a case that never reaches a pad must not hang a test.
	defaultTimeout = 60 * time.Second
)

// QemuResult is what QEMU reported for one case.
type QemuResult struct {
	Signal int // 5 (SIGTRAP) when the case reached a BREAK pad
	Outcome
}

// sigTrap is SIGTRAP on MIPS Linux.
const sigTrap = 5

// Qemu is one running driver under qemu-mips64.
type Qemu struct {
	Layout Layout
	// Timeout bounds the exchange of one batch; qemu is killed when it passes.
	Timeout time.Duration

	cmd    *exec.Cmd
	stdin  io.WriteCloser
	in     *bufio.Writer
	out    *bufio.Reader
	stderr *lockedBuffer
	buf    []byte
	dead   bool // killed and waited for after a failure
}

// StartQemu starts the driver ELF under qemu and reads its hello.
func (tc Toolchain) StartQemu(driver string) (*Qemu, error) {
	q := &Qemu{stderr: &lockedBuffer{}, Timeout: defaultTimeout}
	q.cmd = exec.Command(tc.Qemu, driver)
	q.cmd.Stderr = q.stderr
	stdin, err := q.cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("qemu stdin: %w", err)
	}
	stdout, err := q.cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("qemu stdout: %w", err)
	}
	if err := q.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", tc.Qemu, err)
	}
	q.stdin, q.in, q.out = stdin, bufio.NewWriterSize(stdin, 1<<16), bufio.NewReaderSize(stdout, 1<<16)

	hello := make([]byte, helloSize)
	if err := q.withTimeout(func() error { _, err := io.ReadFull(q.out, hello); return err }); err != nil {
		return nil, q.failed("reading the driver's hello", err)
	}
	l, err := parseHello(hello)
	if err != nil {
		q.Close()
		return nil, err
	}
	q.Layout = l
	return q, nil
}

func parseHello(b []byte) (Layout, error) {
	be := binary.BigEndian
	if string(b[:8]) != protoMagic {
		return Layout{}, fmt.Errorf("driver hello: magic %q, want %q", b[:8], protoMagic)
	}
	word := func(i int) uint64 { return be.Uint64(b[8*i:]) }
	if v := word(1); v != protoVersion {
		return Layout{}, fmt.Errorf("driver protocol version %d, want %d", v, protoVersion)
	}
	if word(6) != inSize || word(7) != outSize {
		return Layout{}, fmt.Errorf("driver record sizes in %d / out %d, want %d / %d", word(6), word(7), inSize, outSize)
	}
	l := Layout{CodeBase: word(2), BlockBytes: int(word(3)), MaxBatch: int(word(4)), Window: word(5)}
	if err := checkLayout(l); err != nil {
		return Layout{}, err
	}
	return l, nil
}

// Run executes up to Layout.MaxBatch cases; case i must have Slot i.
func (q *Qemu) Run(cases []*Case) ([]QemuResult, error) {
	if len(cases) == 0 || len(cases) > q.Layout.MaxBatch {
		return nil, fmt.Errorf("batch of %d cases, want 1..%d", len(cases), q.Layout.MaxBatch)
	}
	be := binary.BigEndian
	q.buf = be.AppendUint64(q.buf[:0], uint64(len(cases)))
	for i, c := range cases {
		if c.Slot != i {
			return nil, fmt.Errorf("case %d has slot %d", i, c.Slot)
		}
		q.buf = be.AppendUint64(q.buf, c.Entry)
		q.buf = be.AppendUint64(q.buf, c.In.HI)
		q.buf = be.AppendUint64(q.buf, c.In.LO)
		for _, r := range c.In.Regs {
			q.buf = be.AppendUint64(q.buf, r)
		}
		for _, w := range c.In.Window {
			q.buf = be.AppendUint64(q.buf, w)
		}
		for _, w := range c.Block() {
			q.buf = be.AppendUint32(q.buf, w)
		}
	}
	res := make([]QemuResult, len(cases))
	err := q.withTimeout(func() error {
		if _, err := q.in.Write(q.buf); err != nil {
			return err
		}
		if err := q.in.Flush(); err != nil {
			return err
		}
		rec := make([]byte, outSize)
		for i := range res {
			if _, err := io.ReadFull(q.out, rec); err != nil {
				return err
			}
			res[i] = decodeResult(rec)
		}
		return nil
	})
	if err != nil {
		return nil, q.failed("running a batch", err)
	}
	return res, nil
}

func decodeResult(rec []byte) QemuResult {
	be := binary.BigEndian
	word := func(i int) uint64 { return be.Uint64(rec[8*i:]) }
	r := QemuResult{Signal: int(word(0))}
	r.PC, r.HI, r.LO = word(1), word(2), word(3)
	for i := range r.Regs {
		r.Regs[i] = word(4 + i)
	}
	for i := range r.Window {
		r.Window[i] = word(36 + i)
	}
	return r
}

// withTimeout runs f, killing qemu if it takes longer than q.Timeout.
func (q *Qemu) withTimeout(f func() error) error {
	var timedOut bool
	var mu sync.Mutex
	t := time.AfterFunc(q.Timeout, func() {
		mu.Lock()
		timedOut = true
		mu.Unlock()
		_ = q.cmd.Process.Kill()
	})
	err := f()
	t.Stop()
	mu.Lock()
	defer mu.Unlock()
	if timedOut {
		return fmt.Errorf("no answer within %v (killed)", q.Timeout)
	}
	return err
}

// failed stops qemu and describes how it ended, with its stderr.
func (q *Qemu) failed(what string, err error) error {
	q.dead = true
	_ = q.cmd.Process.Kill()
	waitErr := q.cmd.Wait()
	msg := fmt.Sprintf("qemu oracle: %s: %v", what, err)
	var exit *exec.ExitError
	if errors.As(waitErr, &exit) {
		msg += fmt.Sprintf(" (driver %s%s)", exit.ProcessState, driverExitMeaning(exit.ExitCode()))
	}
	if s := bytes.TrimSpace(q.stderr.Bytes()); len(s) > 0 {
		msg += "; qemu stderr: " + string(s)
	}
	return errors.New(msg)
}

// driverExitMeaning explains the driver's own exit codes (driver.s EXIT_*).
func driverExitMeaning(code int) string {
	switch code {
	case 3:
		return ": set-up syscall failed"
	case 4:
		return ": bad batch size"
	case 5:
		return ": stdin/stdout error"
	}
	return ""
}

// Close ends the driver: closing stdin makes it exit.
func (q *Qemu) Close() error {
	if q.dead {
		return nil
	}
	q.dead = true
	_ = q.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- q.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("qemu oracle driver: %w", err)
		}
		return nil
	case <-time.After(5 * time.Second):
		_ = q.cmd.Process.Kill()
		return fmt.Errorf("qemu oracle driver did not exit after stdin closed; killed")
	}
}

// lockedBuffer collects qemu's stderr from the exec goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]byte(nil), b.buf.Bytes()...)
}
