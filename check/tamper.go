package check

// Tamper mode (issue 14, item 3): forged witnesses. Honest checking cannot see a step
// contract that uses a memory word without verifying its Merkle proof — on an honest witness
// the unverified word is right anyway — yet on chain such a contract lets a dishonest party
// prove any memory value. So, for a step both sides agreed on, Tamper corrupts one 32-byte
// word of the witness at a time and calls the contract again:
//
//   - a word the step relies on (tamper_rule.go: the thread witness and inner root, every
//     word — leaf and 59 siblings — of each memory proof slot the step uses): the contract
//     must revert, with the error of that check: "MIPS64: invalid thread witness" for the
//     thread and the inner root, InvalidMemoryProof() for slots 0 and 1,
//     InvalidSecondMemoryProof() for slot 2 (a step that reverts honestly may also keep its
//     own reason: its failing check can come before the corrupted one);
//   - a word the step does not use (a sample): the contract must do exactly what it did on
//     the honest witness.
//
// The state is different. It is not verified against anything inside the step: the pre-state
// is the claim the step starts from (a dispute game commits to it by its hash), and a
// changed pre-state is simply another pre-state, whose step the contract must compute
// correctly from the same proofs, or reject when the proofs no longer fit it (a memory root
// the proofs do not lead to, a stack root the thread witness does not hash to, a pre-image
// the oracle does not hold). Soundness for a state field therefore means: whatever the
// contract does equals what a correct stateless step does on the same forged input. Our Go
// VM's stateless replay (vm.ReplayWitness) is such a step: it rebuilds memory and stacks from
// the witness alone and fails on any proof that does not fit. Every state field is corrupted
// (each of the 15; booleans and the reservation status stay representable, see stateMask),
// and the contract and the replay must both reject, or both accept with the same post-state
// byte for byte; an exited byte of 2 must revert InvalidExitedValue(). When the forged
// step reads a pre-image at a forged key or offset, the part at that key and offset is
// loaded first, if the pre-image is known, as the harness does for every honest step.
//
// Every forged proof is also replayed by the Go VM's stateless replay, which should reject
// the used words and ignore the unused ones like the contract: a check of the Go side's own
// verification. What it finds is reported apart (GoReplay), as it says nothing about the
// contract; a step whose honest witness the replay already disagrees on gets no state
// forgeries (they could not be judged).
//
// A forged witness the contract accepts with a post-state other than the honest one is a
// soundness divergence; a used word the contract accepts at all, a revert with the wrong
// reason, and an unused word that changes the outcome are findings too. Each finding keeps
// a bundle of the forged witness, which `fpvmdiff repro` replays (its Go side is the
// stateless replay, which rejects the forgery).

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/fpvmdiff/fpvmdiff/evmharness"
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// TamperOptions configures Tamper.
type TamperOptions struct {
	// Words is how many words of each used region are corrupted (0: every word); the first
	// and the last word of a region are always among them. It also bounds the state fields
	// corrupted and the sample of unused words (0: 16 of those).
	Words int
	// Seed makes the choice of words and the random bit flips reproducible.
	Seed uint64
}

// Forgery is one corrupted word of a witness.
type Forgery struct {
	// Region is thread, inner-root, slot0, slot1, slot2 (of the proof) or state.
	Region string `json:"region"`
	// Word is the index within the region: the 32-byte chunk of the thread, the node of a
	// memory proof (0 the leaf, i the i-th sibling from the bottom), the state field.
	Word   int           `json:"word"`
	Field  string        `json:"field,omitempty"` // state field name
	Offset int           `json:"offset"`          // of the corrupted bytes in the proof (state for region state)
	Mask   hexutil.Bytes `json:"mask"`            // XORed into the bytes at Offset
	Used   bool          `json:"used"`            // the rule says the step relies on it
	Random bool          `json:"random,omitempty"`
}

func (f *Forgery) String() string {
	if f.Region == "" {
		return "the honest witness"
	}
	used := "unused"
	if f.Used {
		used = "used"
	}
	name := fmt.Sprintf("%s word %d", f.Region, f.Word)
	if f.Field != "" {
		name = fmt.Sprintf("state field %s", f.Field)
	}
	return fmt.Sprintf("%s (%s, bytes %d..%d xor 0x%x)", name, used, f.Offset, f.Offset+len(f.Mask), []byte(f.Mask))
}

// Problems a forged witness can show.
const (
	// ProblemAccepted: the contract accepted a witness with a corrupted word it must verify.
	ProblemAccepted = "accepted"
	// ProblemWrongReason: it reverted, but not with the error of the corrupted word's check.
	ProblemWrongReason = "wrong-reason"
	// ProblemUnusedChanged: a word the step does not use changed the contract's outcome.
	ProblemUnusedChanged = "unused-changed"
	// ProblemStateReplay: on a forged state, the contract and the stateless replay differ.
	ProblemStateReplay = "state-vs-replay"
	// ProblemGoReplay (Go side): the Go VM's stateless replay accepted a corrupted used
	// word, or an unused one changed its outcome.
	ProblemGoReplay = "go-replay"
	// ProblemHonestReplay (Go side): the stateless replay disagrees with the contract on the
	// honest witness, so the state forgeries of the step could not be judged.
	ProblemHonestReplay = "honest-replay"
)

// TamperFinding is one forged witness that did not get the expected outcome.
type TamperFinding struct {
	Step    uint64  `json:"step"`
	Kind    string  `json:"kind"` // the step's kind (StepUse)
	Forgery Forgery `json:"forgery"`
	Problem string  `json:"problem"`
	// Soundness: the contract accepted the forgery with a post-state other than the one it
	// must produce.
	Soundness bool    `json:"soundness"`
	Detail    string  `json:"detail"`
	Bundle    *Bundle `json:"-"`
}

func (f *TamperFinding) String() string {
	s := ""
	if f.Soundness {
		s = " SOUNDNESS"
	}
	return fmt.Sprintf("step %d [%s] %s: %s%s: %s", f.Step, f.Kind, f.Forgery.String(), f.Problem, s, f.Detail)
}

// TamperReport is the verdict on the forged witnesses of one step.
type TamperReport struct {
	Step           uint64
	Kind           string
	Tried          int // forged witnesses given to the contract
	Rejected       int // used words: reverted with the expected reason
	AcceptedUnused int // unused words: the honest outcome
	StateAgreed    int // state forgeries: the contract did what the stateless replay did
	StateSkipped   bool
	Findings       []*TamperFinding // about the contract
	GoReplay       []*TamperFinding // about the Go VM's stateless replay
}

// tamperReasons are the revert reasons (as evmharness decodes them) of each region's check.
var tamperReasons = map[string]string{
	"thread":     "MIPS64: invalid thread witness",
	"inner-root": "MIPS64: invalid thread witness",
	"slot0":      "InvalidMemoryProof()",
	"slot1":      "InvalidMemoryProof()",
	"slot2":      "InvalidSecondMemoryProof()",
}

const exitedValueReason = "InvalidExitedValue()"

// Tamper runs the forged witnesses of one step on s. honest is the contract's outcome on
// the honest witness in (CheckStep's, which must have agreed with the Go side); the
// pre-image part the step reads must already be loaded in s (CheckStep does it).
func Tamper(s *evmharness.Session, in *StepInput, honest *evmharness.EVMOutcome, opt TamperOptions) *TamperReport {
	use := StepUseOf(in.State, in.Proof)
	rng := rand.New(rand.NewPCG(opt.Seed, in.PreStep()))
	fs := proofForgeries(in.Proof, use, opt, rng)
	if len(in.State) == StateSize {
		fs = append(fs, stateForgeries(in.State, opt, rng)...)
	}
	return TamperWith(s, in, honest, fs)
}

// TamperWith runs the given forgeries of one step (see Tamper; the fuzz target makes its
// own). Forgeries of the state are skipped when the stateless replay already disagrees with
// the contract on the honest witness.
func TamperWith(s *evmharness.Session, in *StepInput, honest *evmharness.EVMOutcome, fs []Forgery) *TamperReport {
	use := StepUseOf(in.State, in.Proof)
	step := in.PreStep()
	rep := &TamperReport{Step: step, Kind: use.Kind}
	oracle := storeOracle{in}

	goHonestPost, goHonestErr := replayPost(in.State, in.Proof, oracle)
	honestReplayOK := sameAsReplay(honest, goHonestPost, goHonestErr)
	if !honestReplayOK {
		rep.GoReplay = append(rep.GoReplay, &TamperFinding{Step: step, Kind: use.Kind, Problem: ProblemHonestReplay,
			Detail: fmt.Sprintf("honest witness: contract %s, stateless replay %s", describeOutcome(honest), describeReplay(goHonestPost, goHonestErr))})
	}

	for _, f := range fs {
		if f.Region == "state" {
			if !honestReplayOK {
				rep.StateSkipped = true
				continue
			}
			rep.Tried++
			state := forge(in.State, f)
			part := forgedPart(in, state)
			out := s.Step(state, in.Proof, part)
			post, gerr := replayPost(state, in.Proof, oracle)
			finding := judgeState(state, out, post, gerr)
			if finding == nil {
				rep.StateAgreed++
				continue
			}
			rep.Findings = append(rep.Findings, tamperFinding(s, in, finding, f, step, use.Kind, state, in.Proof, out, part))
			continue
		}
		rep.Tried++
		proof := forge(in.Proof, f)
		out := s.Step(in.State, proof, nil)
		finding := judgeProof(f, out, honest)
		if finding != nil {
			rep.Findings = append(rep.Findings, tamperFinding(s, in, finding, f, step, use.Kind, in.State, proof, out, nil))
			continue
		}
		if f.Used {
			rep.Rejected++
		} else {
			rep.AcceptedUnused++
		}
		if !honestReplayOK {
			continue
		}
		post, err := replayPost(in.State, proof, oracle)
		var goFinding *TamperFinding
		switch {
		case f.Used && err == nil:
			goFinding = &TamperFinding{Problem: ProblemGoReplay, Detail: "the Go VM's stateless replay accepted it; the contract rejected it"}
		case !f.Used && (!bytes.Equal(post, goHonestPost) || (err == nil) != (goHonestErr == nil)):
			goFinding = &TamperFinding{Problem: ProblemGoReplay,
				Detail: fmt.Sprintf("the Go VM's stateless replay changed its outcome: %s, honest %s", describeReplay(post, err), describeReplay(goHonestPost, goHonestErr))}
		}
		if goFinding != nil {
			goFinding.Step, goFinding.Kind, goFinding.Forgery = step, use.Kind, f
			rep.GoReplay = append(rep.GoReplay, goFinding)
		}
	}
	return rep
}

// TamperWords lists every word tamper mode can corrupt in the witness of in, without masks:
// the proof's regions (Used by the rule) and the state's fields.
func TamperWords(in *StepInput) []Forgery {
	var fs []Forgery
	for _, r := range proofRegions(len(in.Proof), StepUseOf(in.State, in.Proof)) {
		for w, sp := range r.words {
			fs = append(fs, Forgery{Region: r.name, Word: w, Offset: sp.off, Mask: make([]byte, sp.size), Used: r.used})
		}
	}
	if len(in.State) == StateSize {
		for i, f := range stateFields {
			fs = append(fs, Forgery{Region: "state", Word: i, Field: f.name, Offset: f.off, Mask: make([]byte, f.size), Used: true})
		}
	}
	return fs
}

// tamperFinding fills a finding and its bundle: the forged witness, the contract's outcome traced
// to its source line, and the stateless replay of the forged witness as the Go side.
func tamperFinding(s *evmharness.Session, in *StepInput, fd *TamperFinding, f Forgery, step uint64, kind string,
	state, proof []byte, out *evmharness.EVMOutcome, part *evmharness.Part) *TamperFinding {
	fd.Step, fd.Kind, fd.Forgery = step, kind, f
	forged := *in
	forged.State, forged.Proof, forged.OracleCalldata = state, proof, nil
	if part != nil {
		forged.PreimageKey, forged.PreimageOffset, forged.PreimageValue = part.Key, part.Offset, part.Value
	}
	forged.GoPost, forged.GoErr = replayPost(state, proof, storeOracle{in})
	forged.GoThread = nil
	s.Trace(state, proof, out)
	mism := []string{fmt.Sprintf("forged witness, %s: %s: %s", f.String(), fd.Problem, fd.Detail)}
	b := NewBundle(&forged, &StepReport{Step: step, EVM: out, Mismatches: mism}, s, "tamper/"+kind)
	b.Notes = append(b.Notes, fmt.Sprintf("tamper mode: the honest witness of step %d with %s; the Go side is the stateless replay of the forged witness", step, f.String()))
	fd.Bundle = b
	return fd
}

// judgeProof checks the contract's outcome on a forged proof word.
func judgeProof(f Forgery, out, honest *evmharness.EVMOutcome) *TamperFinding {
	if f.Used {
		want := tamperReasons[f.Region]
		switch {
		case !out.Reverted:
			same := !honest.Reverted && sameLogs(out, honest)
			d := "the contract accepted it with the honest post-state"
			if !same {
				d = fmt.Sprintf("the contract accepted it with another post-state (%s; honest %s)", describeOutcome(out), describeOutcome(honest))
			}
			return &TamperFinding{Problem: ProblemAccepted, Soundness: !same, Detail: d}
		case strings.Contains(out.RevertReason, want):
		case honest.Reverted && out.RevertReason == honest.RevertReason:
		default:
			return &TamperFinding{Problem: ProblemWrongReason, Detail: fmt.Sprintf("reverted with %s, want %s", out.RevertReason, want)}
		}
		return nil
	}
	if sameOutcome(out, honest) {
		return nil
	}
	return &TamperFinding{Problem: ProblemUnusedChanged, Soundness: !out.Reverted,
		Detail: fmt.Sprintf("contract %s, honest %s", describeOutcome(out), describeOutcome(honest))}
}

// judgeState checks the contract's outcome on a forged state against the stateless replay.
// An exited byte above 1 must revert InvalidExitedValue() (the replay rejects it too).
func judgeState(state []byte, out *evmharness.EVMOutcome, post []byte, gerr error) *TamperFinding {
	if state[stateExitedOff] > 1 {
		if out.Reverted && strings.Contains(out.RevertReason, exitedValueReason) {
			return nil
		}
		return &TamperFinding{Problem: ProblemWrongReason, Soundness: !out.Reverted,
			Detail: fmt.Sprintf("exited byte %d: contract %s, want a revert %s", state[stateExitedOff], describeOutcome(out), exitedValueReason)}
	}
	if sameAsReplay(out, post, gerr) {
		return nil
	}
	return &TamperFinding{Problem: ProblemStateReplay, Soundness: !out.Reverted,
		Detail: fmt.Sprintf("contract %s, stateless replay %s", describeOutcome(out), describeReplay(post, gerr))}
}

// sameAsReplay: both rejected, or both accepted with the same post-state.
func sameAsReplay(out *evmharness.EVMOutcome, post []byte, gerr error) bool {
	if out.Reverted || gerr != nil {
		return out.Reverted && gerr != nil
	}
	return len(out.Logs) == 1 && bytes.Equal(out.Logs[0].Data, post)
}

func sameLogs(a, b *evmharness.EVMOutcome) bool {
	if len(a.Logs) != len(b.Logs) || !bytes.Equal(a.Return, b.Return) {
		return false
	}
	for i := range a.Logs {
		if !bytes.Equal(a.Logs[i].Data, b.Logs[i].Data) {
			return false
		}
	}
	return true
}

func sameOutcome(a, b *evmharness.EVMOutcome) bool {
	if a.Reverted || b.Reverted {
		return a.Reverted && b.Reverted && bytes.Equal(a.RevertData, b.RevertData)
	}
	return sameLogs(a, b)
}

func describeOutcome(out *evmharness.EVMOutcome) string {
	if out.Reverted {
		return "reverted " + out.RevertReason
	}
	if len(out.Logs) == 1 {
		h := fpvm.StateHash(out.Logs[0].Data)
		return fmt.Sprintf("accepted, post-state hash 0x%x", h[:])
	}
	return fmt.Sprintf("accepted with %d logs", len(out.Logs))
}

func describeReplay(post []byte, err error) string {
	if err != nil {
		return "rejected: " + err.Error()
	}
	h := fpvm.StateHash(post)
	return fmt.Sprintf("accepted, post-state hash 0x%x", h[:])
}

// replayPost runs the Go VM's stateless replay of a witness.
func replayPost(state, proof []byte, oracle fpvm.PreimageOracle) ([]byte, error) {
	r, err := fpvm.ReplayWitness(state, proof, oracle)
	if err != nil {
		return nil, err
	}
	return r.Post, nil
}

// storeOracle serves the stateless replay the pre-images the step input knows.
type storeOracle struct{ in *StepInput }

func (o storeOracle) Hint([]byte) {}

func (o storeOracle) GetPreimage(key [32]byte) ([]byte, error) {
	if v, ok := o.lookup(key); ok {
		return v, nil
	}
	return nil, fmt.Errorf("pre-image 0x%x not known", key)
}

func (o storeOracle) lookup(key [32]byte) ([]byte, bool) {
	if v, ok := o.in.Store[key]; ok {
		return v, true
	}
	if o.in.HasPreimage && key == o.in.PreimageKey {
		return o.in.PreimageValue, true
	}
	return nil, false
}

// forgedPart is the pre-image part a forged state makes the step read, when it differs from
// the honest one (already loaded) and the pre-image is known; nil otherwise (the contract's
// read then fails in the oracle, as the replay's does in its oracle).
func forgedPart(in *StepInput, state []byte) *evmharness.Part {
	if !in.HasPreimage {
		return nil
	}
	key := [32]byte(state[32:64])
	off := binary.BigEndian.Uint64(state[64:72])
	if key == in.PreimageKey && off == in.PreimageOffset {
		return nil
	}
	v, ok := storeOracle{in}.lookup(key)
	if !ok {
		return nil
	}
	return &evmharness.Part{Key: key, Offset: off, Value: v, Store: in.Store}
}

// forge returns a copy of b with f's mask XORed in.
func forge(b []byte, f Forgery) []byte {
	out := bytes.Clone(b)
	for i, m := range f.Mask {
		out[f.Offset+i] ^= m
	}
	return out
}

// pattern is the fixed corruption: every bit of a word changes in a known way.
func pattern(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = 0xA5 ^ byte(i*0x11)
	}
	return p
}

// randomBit is a mask of n bytes with one random bit set.
func randomBit(n int, rng *rand.Rand) []byte {
	m := make([]byte, n)
	m[rng.IntN(n)] = 1 << rng.IntN(8)
	return m
}

// region is a run of words of the proof.
type region struct {
	name  string
	words []span
	used  bool
}

type span struct{ off, size int }

// proofRegions splits the proof into the words tamper mode corrupts.
func proofRegions(proofLen int, use StepUse) []region {
	var th region
	th.name, th.used = "thread", use.Thread
	for off := 0; off < ThreadSize && off < proofLen; off += 32 {
		th.words = append(th.words, span{off, min(32, ThreadSize-off, proofLen-off)})
	}
	regs := []region{th}
	if proofLen >= proofSlots {
		regs = append(regs, region{name: "inner-root", words: []span{{proofInnerRoot, 32}}, used: use.Thread})
	}
	for i := 0; i < 3; i++ {
		r := region{name: fmt.Sprintf("slot%d", i), used: use.Slots[i]}
		for w := 0; w < memProofWords; w++ {
			if off := slotStart(i) + 32*w; off+32 <= proofLen {
				r.words = append(r.words, span{off, 32})
			}
		}
		if len(r.words) > 0 {
			regs = append(regs, r)
		}
	}
	return regs
}

// pick chooses k of n indices: all when k is 0 or at least n; else the first, the last and
// k-2 others at random, in increasing order.
func pick(n, k int, rng *rand.Rand) []int {
	if k <= 0 || k >= n {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	chosen := map[int]bool{0: true, n - 1: true}
	for len(chosen) < k {
		chosen[rng.IntN(n)] = true
	}
	out := make([]int, 0, k)
	for i := 0; i < n; i++ {
		if chosen[i] {
			out = append(out, i)
		}
	}
	return out
}

// defaultUnusedSample is the sample of unused words when Words is 0.
const defaultUnusedSample = 16

// proofForgeries lists the forged proof words of a step: every selected word of each used
// region with the fixed pattern, one random bit flip per used region, and a sample of the
// unused words.
func proofForgeries(proof []byte, use StepUse, opt TamperOptions, rng *rand.Rand) []Forgery {
	var fs, unused []Forgery
	for _, r := range proofRegions(len(proof), use) {
		mk := func(w int, mask []byte, random bool) Forgery {
			sp := r.words[w]
			return Forgery{Region: r.name, Word: w, Offset: sp.off, Mask: mask, Used: r.used, Random: random}
		}
		if !r.used {
			for w, sp := range r.words {
				unused = append(unused, mk(w, pattern(sp.size), false))
			}
			continue
		}
		for _, w := range pick(len(r.words), opt.Words, rng) {
			fs = append(fs, mk(w, pattern(r.words[w].size), false))
		}
		w := rng.IntN(len(r.words))
		fs = append(fs, mk(w, randomBit(r.words[w].size, rng), true))
	}
	k := opt.Words
	if k <= 0 {
		k = defaultUnusedSample
	}
	for _, i := range pickAny(len(unused), k, rng) {
		fs = append(fs, unused[i])
	}
	return fs
}

// pickAny chooses min(k, n) of n indices at random, in increasing order.
func pickAny(n, k int, rng *rand.Rand) []int {
	if k >= n {
		return pick(n, 0, rng)
	}
	idx := rng.Perm(n)[:k]
	out := make([]int, 0, k)
	for i := 0; i < n; i++ {
		for _, j := range idx {
			if j == i {
				out = append(out, i)
			}
		}
	}
	return out
}

// stateMask is the fixed corruption of a state field. The booleans (exited, traverseRight) are
// toggled, so that the forged state is still one both sides can represent (the Go state has no
// room for a traverseRight byte of 0x5a, which the contract reads as true: a known difference
// of representation, docs/spec.md §12.6 "Crafted states", not a soundness question); the
// exited byte's invalid values are tried separately (exited=2). The reservation status is
// XORed with 3, which swaps LL (1) and LLD (2).
func stateMask(f field) []byte {
	switch f.name {
	case "exited", "traverseRight":
		return []byte{1}
	case "llReservationStatus":
		return []byte{3}
	}
	return pattern(f.size)
}

// stateForgeries lists the forged states of a step: the selected fields with their fixed
// corruption, one random bit flip of a field, and the exited byte set to 2.
func stateForgeries(state []byte, opt TamperOptions, rng *rand.Rand) []Forgery {
	mk := func(i int, mask []byte, random bool) Forgery {
		f := stateFields[i]
		return Forgery{Region: "state", Word: i, Field: f.name, Offset: f.off, Mask: mask, Used: true, Random: random}
	}
	var fs []Forgery
	for _, i := range pick(len(stateFields), opt.Words, rng) {
		fs = append(fs, mk(i, stateMask(stateFields[i]), false))
	}
	i := rng.IntN(len(stateFields))
	mask := randomBit(stateFields[i].size, rng)
	if stateFields[i].size == 1 && (stateFields[i].name == "exited" || stateFields[i].name == "traverseRight") {
		mask = []byte{1}
	}
	fs = append(fs, mk(i, mask, true))
	ex := Forgery{Region: "state", Word: -1, Field: "exited=2", Offset: stateExitedOff, Mask: []byte{state[stateExitedOff] ^ 2}, Used: true}
	return append(fs, ex)
}
