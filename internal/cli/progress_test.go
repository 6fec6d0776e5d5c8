package cli

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/fpvmdiff/fpvmdiff/check"

	"github.com/stretchr/testify/require"
)

func TestProgressLine(t *testing.T) {
	cases := []struct {
		name string
		p    check.Progress
		want string
	}{
		{
			// 1,000,000 of 2,000,000 steps in 50 s: 20,000 steps/s, 1,000,000 left: ETA 50 s.
			name: "end known",
			p: check.Progress{Elapsed: 50 * time.Second, Step: 1_500_000, FirstStep: 500_000, EndStep: 2_500_000,
				Done: 900_000},
			want: "50s step 1,500,000/2,500,000 (50.0%), 900,000 checked, 18,000 checked steps/s, ETA 50s, 0 divergences",
		},
		{
			name: "end unknown, diverged",
			p:    check.Progress{Elapsed: 2 * time.Second, Step: 1234, Done: 1000, Diverged: true},
			want: "2s step 1,234, 1,000 checked, 500 checked steps/s, 1 divergences",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, progressLine(c.p))
		})
	}
}

// Not a terminal: whole log lines, each with the command's name, never a carriage return.
func TestProgressPrinter_LogLinesWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	p := newProgressPrinter(&buf, "fpvmdiff run")
	require.False(t, p.tty)
	require.Equal(t, progressEveryLog, p.every())
	p.update(check.Progress{Elapsed: time.Second, Step: 10, Done: 10})
	p.update(check.Progress{Elapsed: 2 * time.Second, Step: 30, Done: 20})
	p.done()
	require.Equal(t, "fpvmdiff run: 1s step 10, 10 checked, 10 checked steps/s, 0 divergences\n"+
		"fpvmdiff run: 2s step 30, 20 checked, 10 checked steps/s, 0 divergences\n", buf.String())

	f, err := os.CreateTemp(t.TempDir(), "log")
	require.NoError(t, err)
	defer f.Close()
	require.False(t, isTerminal(f), "a file is not a terminal")
}

func TestProgressPrinter_RedrawsOneLineOnATerminal(t *testing.T) {
	var buf bytes.Buffer
	p := &progressPrinter{w: &buf, name: "fpvmdiff run", tty: true}
	p.update(check.Progress{Elapsed: time.Second, Step: 10, Done: 10})
	p.done()
	require.Equal(t, "\r1s step 10, 10 checked, 10 checked steps/s, 0 divergences\x1b[K\r\x1b[K", buf.String())
}

func TestThousands(t *testing.T) {
	for n, want := range map[uint64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567"} {
		require.Equal(t, want, thousands(n))
	}
}
