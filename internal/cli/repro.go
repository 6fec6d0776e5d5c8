package cli

import (
	"flag"
	"fmt"

	"github.com/fpvmdiff/fpvmdiff/check"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
)

var reproCommand = &command{
	path:    "repro",
	args:    "BUNDLE",
	summary: "replay a divergence bundle on both sides and print the diff",
	details: `
Replays the step of a bundle written by 'fpvmdiff run' from the bundle alone: the Go VM
steps statelessly from the witness (the proofs hold every word the step touches; a
memory access outside them is reported), and a fresh EVM deploys the contracts recorded
in the bundle and runs step on the same witness. Prints the same decoded diff as 'run',
and notes where the replay differs from what the bundle recorded.
--contract replays against another step contract (artifact JSON or creation-code hex),
for example a fixed build.

--elf ELF [--preimages FILE] adds a third opinion: a third Go VM (--third, default
cannon: the production Cannon VM of fpvmdiff-cannon) runs the ELF to the bundle's step,
checks that it reaches the bundle's pre-state, executes the step and says, field by
field, whether it agrees with the Go side or the EVM side. --json then holds
{"replay": ..., "third_opinion": ...}.

Exit codes: 0 the replayed step agrees on both sides, 1 it diverges, 2 usage error or a
corrupt bundle.`,
	minArgs: 1,
	maxArgs: 1,
	setup: func(fs *flag.FlagSet) action {
		var contract, jsonPath, htmlPath string
		var third thirdOpinionOptions
		fs.StringVar(&contract, "contract", "", "replay against this step contract: artifact JSON or creation-code hex `FILE`")
		fs.StringVar(&jsonPath, "json", "", "also write the replayed bundle as JSON to `FILE` (- for standard output)")
		fs.StringVar(&htmlPath, "html", "", "write a self-contained HTML report of the replay to `FILE` (- for standard output)")
		third.flags(fs)
		return func(e *env, args []string) int {
			outs := (&outputs{}).file("json", jsonPath).file("html", htmlPath)
			if err := outs.validate(); err != nil {
				return e.errorf("%v", err)
			}
			human := e.stdout
			if outs.toStdout() {
				human = e.stderr
			}
			b, err := check.ReadBundle(args[0])
			if err != nil {
				return e.errorf("%v", err)
			}
			op, err := third.opinion(b)
			if err != nil {
				return e.errorf("%v", err)
			}
			var override *evmharness.Artifact
			if contract != "" {
				if override, err = evmharness.LoadContractFile(contract); err != nil {
					return e.errorf("%v", err)
				}
			}
			rep, err := check.Repro(b, override)
			if err != nil {
				return e.errorf("%v", err)
			}
			if len(rep.Mismatches) > 0 {
				rep.Opinion = qemuOpinion(rep)
				check.FormatBundle(human, rep)
			} else {
				fmt.Fprintf(human, "step %d: both sides agree on replay\n", rep.Step)
				for _, n := range rep.Notes {
					fmt.Fprintf(human, "note: %s\n", n)
				}
			}
			if htmlPath != "" {
				data, err := check.BundleHTML(rep)
				if err == nil {
					err = writeOutput(htmlPath, e.stdout, data)
				}
				if err != nil {
					return e.errorf("writing --html: %v", err)
				}
			}
			if op != nil {
				fmt.Fprintln(human)
				check.FormatOpinion(human, op)
			}
			if jsonPath != "" {
				var out any = rep
				if op != nil {
					out = reproWithOpinion{Replay: rep, ThirdOpinion: op}
				}
				if err := writeJSON(jsonPath, e.stdout, out); err != nil {
					return e.errorf("writing --json: %v", err)
				}
			}
			if len(rep.Mismatches) > 0 {
				return exitDivergence
			}
			return exitOK
		}
	},
}
