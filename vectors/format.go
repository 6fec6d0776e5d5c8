// Package vectors runs hand-written test vectors (testdata/vectors/README.md) through both
// implementations of the step function: the Go VM and the step contract on the EVM. A vector
// is a pre-state given by its parts and the outcome derived by hand from the spec
// (docs/spec.md); both sides must produce exactly that outcome, so a misreading shared by
// both implementations fails too.
package vectors

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Hex64 is a 64-bit value written as a JSON string "0x…" (or a plain decimal number, which
// is convenient for small counts such as syscall numbers).
type Hex64 uint64

// UnmarshalJSON accepts "0x…" hex strings, decimal strings and JSON numbers below 2^53.
func (h *Hex64) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) > 0 && b[0] != '"' {
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return &valueError{value: string(b), msg: fmt.Sprintf("want a hex string or a number, got %s", b)}
		}
		s = n.String()
	} else if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := parseUint64(s)
	if err != nil {
		return err
	}
	*h = Hex64(v)
	return nil
}

// MarshalJSON writes the canonical 0x-prefixed hex form.
func (h Hex64) MarshalJSON() ([]byte, error) {
	return json.Marshal(fmt.Sprintf("0x%x", uint64(h)))
}

func parseUint64(s string) (uint64, error) {
	clean := strings.ReplaceAll(s, "_", "")
	var v uint64
	var err error
	if strings.HasPrefix(clean, "0x") || strings.HasPrefix(clean, "0X") {
		v, err = strconv.ParseUint(clean[2:], 16, 64)
	} else {
		v, err = strconv.ParseUint(clean, 10, 64)
	}
	if err != nil {
		return 0, &valueError{value: s, msg: fmt.Sprintf("%q is not a 64-bit unsigned value (hex 0x… or decimal)", s)}
	}
	return v, nil
}

// Vector is one test vector: one step from a pre-state, with its expected outcome.
type Vector struct {
	Name string `json:"name"`
	// Rule is the rule the vector checks, citing docs/spec.md sections ("§7.2 mmap: …").
	Rule string `json:"rule"`
	// Covers are extra coverage rows the vector exercises beyond the class derived from its
	// pre-state (coverage/rows.go), e.g. "syscall/mmap/einval".
	Covers []string `json:"covers,omitempty"`
	Pre    Pre      `json:"pre"`
	Expect Expect   `json:"expect"`
	// Randomize lists the parts of the surrounding state the rule does not depend on and
	// that variants may therefore randomize: "registers", "hilo", "reservation",
	// "direction", "threads". Absent means ["registers", "hilo"]; [] means none.
	Randomize *[]string `json:"randomize,omitempty"`

	// File is where the vector was loaded from (not part of the format).
	File string `json:"-"`
}

// StateFields are the scalar state fields (docs/spec.md §2.1 "State witness and state hash")
// as a vector names them: in "pre" the value to start from, in "expect" the value after the
// step. Embedded in both, so the JSON keys are the same at both places.
type StateFields struct {
	Step                        *Hex64 `json:"step,omitempty"`
	StepsSinceLastContextSwitch *Hex64 `json:"stepsSinceLastContextSwitch,omitempty"`
	Heap                        *Hex64 `json:"heap,omitempty"`
	PreimageKey                 string `json:"preimageKey,omitempty"`
	PreimageOffset              *Hex64 `json:"preimageOffset,omitempty"`
	LLReservationStatus         *Hex64 `json:"llReservationStatus,omitempty"`
	LLAddress                   *Hex64 `json:"llAddress,omitempty"`
	LLOwnerThread               *Hex64 `json:"llOwnerThread,omitempty"`
	Exited                      *bool  `json:"exited,omitempty"`
	ExitCode                    *Hex64 `json:"exitCode,omitempty"`
	TraverseRight               *bool  `json:"traverseRight,omitempty"`
	NextThreadID                *Hex64 `json:"nextThreadID,omitempty"`
}

// Pre is the pre-state by its parts. Every field has a default (README.md).
type Pre struct {
	StateFields

	// Thread is the single thread of the usual one-thread vector (left stack, id 0 unless
	// given). Left/Right list the threads of each stack bottom first instead.
	Thread *Thread   `json:"thread,omitempty"`
	Left   []*Thread `json:"left,omitempty"`
	Right  []*Thread `json:"right,omitempty"`

	// Insn are instruction words placed at the active thread's pc, pc+4, …
	Insn []Hex64 `json:"insn,omitempty"`
	// Asm gives the same instructions as assembly text instead ("srav v0, a0, a1"),
	// encoded by mips64.Assemble at the address each one is placed at.
	Asm    AsmText          `json:"asm,omitempty"`
	Memory map[string]Hex64 `json:"memory,omitempty"`

	Preimages []Preimage `json:"preimages,omitempty"`
}

// AsmText is one instruction as a JSON string, or several as an array of strings.
type AsmText []string

// UnmarshalJSON accepts "insn" or ["insn", "insn", …].
func (a *AsmText) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*a = AsmText{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		// Only pre.asm has this type, so the message names it (the value may be an array,
		// which locate cannot find).
		return &valueError{value: "\x00", msg: fmt.Sprintf("field pre.asm: want an instruction as a string, or an array of strings, got %s", b)}
	}
	*a = many
	return nil
}

// Thread is one thread of the pre-state; unlisted registers are 0.
type Thread struct {
	ID       *Hex64           `json:"id,omitempty"`
	PC       *Hex64           `json:"pc,omitempty"`
	NextPC   *Hex64           `json:"nextPC,omitempty"`
	HI       *Hex64           `json:"hi,omitempty"`
	LO       *Hex64           `json:"lo,omitempty"`
	Exited   *bool            `json:"exited,omitempty"`
	ExitCode *Hex64           `json:"exitCode,omitempty"`
	Regs     map[string]Hex64 `json:"regs,omitempty"`
}

// Preimage is one pre-image the oracle serves: by explicit key, or by a key type whose key is
// derived from the data ("keccak256", "sha256") or, for "precompile", from Input = address(20)
// ‖ requiredGas(8, big-endian) ‖ call input (docs/spec.md §8.1 "Key types and localization",
// §8.3 "Loading a part before a step"); Data is then status(1) ‖ return data, which the
// on-chain loader recomputes by calling the precompile.
type Preimage struct {
	Key   string `json:"key,omitempty"`
	Type  string `json:"type,omitempty"`
	Data  string `json:"data"`
	Input string `json:"input,omitempty"`
}

// Expect is the expected outcome: either an exception, or the fields that change.
// Everything not listed is unchanged, except the scheduler bookkeeping of an ordinary step
// (README.md "Implicit changes"): step+1, stepsSinceLastContextSwitch+1, and the active
// thread's pc/nextPC advancing as for a non-branch instruction.
type Expect struct {
	Exception bool `json:"exception,omitempty"`
	// Fault optionally names the kind of exception (docs/spec.md §5.8 "Exceptions") as the Go
	// VM reports it, e.g. "division by zero": the on-chain step only reverts, but the Go side
	// can show that the step failed for the right reason.
	Fault string `json:"fault,omitempty"`

	StateFields

	// Thread changes the thread that was active in the pre-state.
	Thread *ThreadChange `json:"thread,omitempty"`
	// Threads changes other threads by id, or creates one ("from" copies a pre-state thread).
	Threads map[string]*ThreadChange `json:"threads,omitempty"`
	// Left/Right are the thread ids of each stack after the step, bottom first; absent
	// means the pre-state layout.
	Left  *[]Hex64 `json:"left,omitempty"`
	Right *[]Hex64 `json:"right,omitempty"`

	Memory map[string]Hex64 `json:"memory,omitempty"`
}

// ThreadChange lists the thread fields that change.
type ThreadChange struct {
	From     *Hex64           `json:"from,omitempty"`
	PC       *Hex64           `json:"pc,omitempty"`
	NextPC   *Hex64           `json:"nextPC,omitempty"`
	HI       *Hex64           `json:"hi,omitempty"`
	LO       *Hex64           `json:"lo,omitempty"`
	Exited   *bool            `json:"exited,omitempty"`
	ExitCode *Hex64           `json:"exitCode,omitempty"`
	Regs     map[string]Hex64 `json:"regs,omitempty"`
}

// UnmarshalJSON lets "expect" be the string "exception" as well as an object.
func (e *Expect) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		if s != "exception" {
			return &valueError{value: s, msg: fmt.Sprintf(`want "exception" or an object, got %q`, s)}
		}
		*e = Expect{Exception: true}
		return nil
	}
	type plain Expect
	var p plain
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return err
	}
	*e = Expect(p)
	return nil
}
