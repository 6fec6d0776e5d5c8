package check

import (
	"os"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/internal/guests"
)

// BenchmarkRunHello measures checked steps per second on the first 20k steps of hello.
func BenchmarkRunHello(b *testing.B) {
	elf, err := os.ReadFile(guests.MustBuild(b, "hello"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		res, err := Run(RunConfig{ELF: elf, MaxSteps: 20_000})
		if err != nil || res.Diverged() {
			b.Fatal(err, res.Divergence)
		}
		b.ReportMetric(float64(res.StepsChecked)/res.Duration.Seconds(), "steps/s")
	}
}
