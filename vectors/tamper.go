package vectors

import (
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/evmharness"
)

// maxTamperLines bounds the tamper findings one vector variant lists.
const maxTamperLines = 4

// tamper runs the forged witnesses of a variant both sides agreed on (check.Tamper, with
// Runner.Tamper) and adds a failure per finding about the contract; the sums go to
// Runner.TamperStats.
func (r *Runner) tamper(in *check.StepInput, honest *evmharness.EVMOutcome, res *Result) {
	if r.Tamper == nil {
		return
	}
	if r.TamperStats == nil {
		r.TamperStats = &check.TamperStats{Words: r.Tamper.Words}
	}
	rep := check.Tamper(r.Session, in, honest, *r.Tamper)
	r.TamperStats.Add(rep)
	for i, f := range rep.Findings {
		if i == maxTamperLines {
			res.Failures = append(res.Failures, fmt.Sprintf("tamper: … %d more findings", len(rep.Findings)-i))
			break
		}
		res.Failures = append(res.Failures, "tamper: "+f.String())
	}
}
