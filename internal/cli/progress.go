package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/fpvmdiff/fpvmdiff/check"
)

// How often progress is shown: a terminal line is redrawn in place, so it can change often;
// a log (CI, a file) gets one line per interval so it stays readable.
const (
	progressEveryTTY = 500 * time.Millisecond
	progressEveryLog = 10 * time.Second
)

// progressPrinter shows a long run's progress on stderr: one line redrawn in place when
// stderr is a terminal, otherwise a log line every progressEveryLog.
type progressPrinter struct {
	w     io.Writer
	name  string
	tty   bool
	drawn bool // a TTY line is on screen and must be cleared before other output
}

func newProgressPrinter(w io.Writer, name string) *progressPrinter {
	return &progressPrinter{w: w, name: name, tty: isTerminal(w)}
}

func (p *progressPrinter) every() time.Duration {
	if p.tty {
		return progressEveryTTY
	}
	return progressEveryLog
}

func (p *progressPrinter) update(pr check.Progress) {
	if p.tty {
		// \r returns to the line start, ESC[K clears what a longer previous line left.
		fmt.Fprintf(p.w, "\r%s\x1b[K", progressLine(pr))
		p.drawn = true
		return
	}
	fmt.Fprintf(p.w, "%s: %s\n", p.name, progressLine(pr))
}

// done clears the redrawn line so the summary starts on a clean line.
func (p *progressPrinter) done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// progressLine is e.g. "1m10s step 1,200,000/2,000,000 (60.0%), 1,150,000 checked,
// 16,429 checked steps/s, ETA 47s, 0 divergences".
func progressLine(pr check.Progress) string {
	var b strings.Builder
	secs := pr.Elapsed.Seconds()
	fmt.Fprintf(&b, "%s step %s", pr.Elapsed.Round(time.Second), thousands(pr.Step))
	known := pr.EndStep > pr.FirstStep
	if known {
		frac := float64(pr.Step-pr.FirstStep) / float64(pr.EndStep-pr.FirstStep)
		fmt.Fprintf(&b, "/%s (%.1f%%)", thousands(pr.EndStep), 100*frac)
	}
	fmt.Fprintf(&b, ", %s checked", thousands(pr.Done))
	if secs > 0 {
		fmt.Fprintf(&b, ", %s checked steps/s", thousands(uint64(float64(pr.Done)/secs)))
	}
	if known && pr.Step > pr.FirstStep && secs > 0 {
		// The step counter's rate, not the checked one: in sample mode most steps are not
		// checked but still have to be run.
		rate := float64(pr.Step-pr.FirstStep) / secs
		left := time.Duration(float64(pr.EndStep-min(pr.Step, pr.EndStep)) / rate * float64(time.Second))
		fmt.Fprintf(&b, ", ETA %s", left.Round(time.Second))
	}
	div := 0
	if pr.Diverged {
		div = 1
	}
	fmt.Fprintf(&b, ", %d divergences", div)
	return b.String()
}

// thousands writes n with comma separators: 1234567 -> "1,234,567".
func thousands(n uint64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// isTerminal reports whether w is a terminal (not a pipe, file or /dev/null).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && fdIsTerminal(f.Fd())
}
