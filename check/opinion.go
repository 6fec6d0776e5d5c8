package check

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// A third opinion on a divergence bundle: a third Go VM (the production VM, through
// fpvmdiff-cannon) runs the bundle's program to the diverging step, checks that it reaches
// the very pre-state the bundle recorded, executes the step and says, field by field, which
// side of the divergence its outcome agrees with.

// Opinion is the third VM's view of one diverging step.
type Opinion struct {
	VM   string `json:"vm"`
	Step uint64 `json:"step"`
	// Outcome of each side: "post-state" or the fault / revert.
	GoOutcome    string `json:"go_outcome"`
	EVMOutcome   string `json:"evm_outcome"`
	ThirdOutcome string `json:"third_outcome"`
	// Fields lists every field on which the three do not all agree.
	Fields  []OpinionField `json:"fields"`
	Verdict string         `json:"verdict"`
}

// OpinionField is one field of the three outcomes.
type OpinionField struct {
	Field  string `json:"field"`
	Go     string `json:"go"`
	EVM    string `json:"evm"`
	Third  string `json:"third"`
	Agrees string `json:"agrees_with"` // "go", "evm", "both" or "neither"
}

// Verdicts.
const (
	VerdictGo      = "agrees with the Go VM"
	VerdictEVM     = "agrees with the EVM"
	VerdictBoth    = "agrees with both (the divergence does not reproduce)"
	VerdictNeither = "agrees with neither side on every field"
	VerdictSplit   = "agrees with the Go VM on some fields and with the EVM on others"
)

// ThirdOpinion runs elf on the VM open opens (named name) to the bundle's step and compares
// that step's outcome with both recorded sides. pre serves the whole run's pre-images (the
// bundle holds only the step's part). An ELF that does not reach the bundle's pre-state is
// an error naming where it differs.
func ThirdOpinion(b *Bundle, elf []byte, pre *fpvm.PreimageMap, open Open, name string) (*Opinion, error) {
	v, err := open(elf, pre, io.Discard, io.Discard)
	if err != nil {
		return nil, fmt.Errorf("third opinion: %s: %w", name, err)
	}
	if b.Step > 0 {
		if _, err := v.Run(b.Step); err != nil {
			return nil, fmt.Errorf("third opinion: %s before step %d: %w", name, b.Step, err)
		}
	}
	var view View
	v.View(&view)
	if view.Step != b.Step {
		return nil, fmt.Errorf("third opinion: the ELF exits at step %d, before the bundle's step %d: not the bundle's program", view.Step, b.Step)
	}
	preState := v.EncodeState()
	if !bytes.Equal(preState, b.Witness.State) {
		var names []string
		for _, d := range DiffStates(preState, b.Witness.State) {
			names = append(names, d.Field)
		}
		return nil, fmt.Errorf("third opinion: at step %d the ELF's state differs from the bundle's pre-state (%s): not the bundle's program or pre-images",
			b.Step, strings.Join(names, ", "))
	}
	op := &Opinion{VM: name, Step: b.Step, GoOutcome: "post-state", EVMOutcome: "post-state", ThirdOutcome: "post-state"}
	_, stepErr := v.Step(false)
	var third, thirdThread []byte
	if stepErr != nil {
		op.ThirdOutcome = "fault: " + stepErr.Error()
	} else {
		third, thirdThread = v.EncodeState(), v.EncodeSteppedThread()
	}
	goPost, goThread := []byte(b.Go.Post), []byte(b.Go.Thread)
	if b.Go.Error != "" {
		op.GoOutcome, goPost, goThread = "fault: "+b.Go.Error, nil, nil
	}
	var evmPost, evmThread []byte
	switch {
	case b.EVM == nil:
		op.EVMOutcome = "(not recorded)"
	case b.EVM.Reverted:
		op.EVMOutcome = "revert: " + firstNonEmpty(b.EVM.RevertReason, b.EVM.HaltReason, "(no reason)")
	case len(b.EVM.Logs) == 0:
		op.EVMOutcome = "no post-state log"
	default:
		evmPost, evmThread = b.EVM.Logs[0].Data, b.EVM.Thread
	}
	// Whether each side completed the step is the first field: a fault on one side and a
	// post-state on the other is the whole divergence.
	okGo, okEVM, okThird := completed(goPost), completed(evmPost), completed(third)
	if okGo != okEVM || okGo != okThird {
		op.Fields = append(op.Fields, opinionField("outcome", okGo, okEVM, okThird))
	}
	for _, f := range stateFields {
		if f.name == "step" && (goPost == nil || evmPost == nil || third == nil) {
			continue
		}
		op.addField(f.name, present(goPost, f), present(evmPost, f), present(third, f))
	}
	if len(goThread) == ThreadSize && len(evmThread) == ThreadSize && !bytes.Equal(goThread, evmThread) {
		for _, f := range threadFields {
			op.addField("thread."+f.name, renderField(goThread, f), renderField(evmThread, f), present(thirdThread, f))
		}
	}
	op.Verdict = verdict(op.Fields)
	return op, nil
}

func completed(post []byte) string {
	if post == nil {
		return "fault/revert"
	}
	return "post-state"
}

// present renders a field of an outcome that may be absent (a fault or revert).
func present(b []byte, f field) string {
	if b == nil {
		return "-"
	}
	return renderField(b, f)
}

func (op *Opinion) addField(name, g, e, t string) {
	if g == e && e == t {
		return
	}
	op.Fields = append(op.Fields, opinionField(name, g, e, t))
}

func opinionField(name, g, e, t string) OpinionField {
	f := OpinionField{Field: name, Go: g, EVM: e, Third: t, Agrees: "neither"}
	switch {
	case t == g && t == e:
		f.Agrees = "both"
	case t == g:
		f.Agrees = "go"
	case t == e:
		f.Agrees = "evm"
	}
	return f
}

// verdict sums the fields up: which side the third VM backs wherever the two sides differ.
func verdict(fields []OpinionField) string {
	var goN, evmN, neither int
	for _, f := range fields {
		if f.Go == f.EVM {
			continue // the two sides agree here; the third VM alone differs
		}
		switch f.Agrees {
		case "go":
			goN++
		case "evm":
			evmN++
		default:
			neither++
		}
	}
	switch {
	case goN == 0 && evmN == 0 && neither == 0:
		return VerdictBoth
	case neither == 0 && evmN == 0:
		return VerdictGo
	case neither == 0 && goN == 0:
		return VerdictEVM
	case goN == 0 && evmN == 0:
		return VerdictNeither
	}
	return VerdictSplit
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// FormatOpinion prints an opinion as a table.
func FormatOpinion(w io.Writer, op *Opinion) {
	fmt.Fprintf(w, "third opinion (%s) on step %d: %s\n", op.VM, op.Step, op.Verdict)
	fmt.Fprintf(w, "  go:    %s\n  evm:   %s\n  %-6s %s\n", op.GoOutcome, op.EVMOutcome, op.VM+":", op.ThirdOutcome)
	if len(op.Fields) == 0 {
		return
	}
	fmt.Fprintf(w, "  %-28s %-20s %-20s %-20s %s\n", "field", "go", "evm", op.VM, "agrees with")
	for _, f := range op.Fields {
		fmt.Fprintf(w, "  %-28s %-20s %-20s %-20s %s\n", f.Field, clip(f.Go), clip(f.EVM), clip(f.Third), f.Agrees)
	}
}

// clip shortens 32-byte roots for the table; the JSON keeps them whole.
func clip(s string) string {
	if len(s) > 20 {
		return s[:10] + "…" + s[len(s)-8:]
	}
	return s
}
