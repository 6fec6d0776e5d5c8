package fuzz

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/evmharness"
	"github.com/fpvmdiff/fpvmdiff/internal/guests"
	"github.com/fpvmdiff/fpvmdiff/vectors"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

// tamperGuestSteps is the window of the hello guest whose steps FuzzTamper forges, besides
// every vector of the corpus.
const tamperGuestSteps = 1500

// tamperPool is the honest steps FuzzTamper picks from, with the contract's honest outcome
// of each, computed when the step is first picked (in the target's session, which then
// holds its pre-image part): checking the whole pool up front would take longer than a
// fuzz-smoke run.
var tamperPool struct {
	once   sync.Once
	ins    []*check.StepInput
	mu     sync.Mutex
	honest map[int]*evmharness.EVMOutcome
	err    string
}

// honestOutcome is the contract's outcome on pool step i, which must agree with the Go side.
func honestOutcome(t *testing.T, s *evmharness.Session, i int) *evmharness.EVMOutcome {
	tamperPool.mu.Lock()
	defer tamperPool.mu.Unlock()
	if out, ok := tamperPool.honest[i]; ok {
		return out
	}
	rep := check.CheckStep(s, tamperPool.ins[i])
	if !rep.Agree() {
		t.Fatalf("honest step disagrees: %s", strings.Join(rep.Mismatches, "; "))
	}
	tamperPool.honest[i] = rep.EVM
	return rep.EVM
}

func loadTamperPool(t testing.TB) {
	tamperPool.once.Do(func() {
		var ins []*check.StepInput
		vs, err := vectors.Load(filepath.Join("..", "testdata", "vectors"))
		if err != nil {
			tamperPool.err = err.Error()
			return
		}
		for _, v := range vs {
			c, err := vectors.Resolve(v)
			if err != nil {
				tamperPool.err = err.Error()
				return
			}
			if in := honestInput(c.State, c.Oracle, c.Store); in != nil {
				ins = append(ins, in)
			}
		}
		elfPath, err := guests.Build("hello")
		if err != nil {
			tamperPool.err = err.Error()
			return
		}
		elf, err := os.ReadFile(elfPath)
		if err != nil {
			tamperPool.err = err.Error()
			return
		}
		st, err := vm.Load(elf)
		if err != nil {
			tamperPool.err = err.Error()
			return
		}
		oracle := vm.NewPreimageMap()
		for range tamperGuestSteps {
			in := honestInput(st, oracle, nil)
			if in == nil || in.GoErr != nil {
				break
			}
			ins = append(ins, in)
		}
		tamperPool.ins = ins
		tamperPool.honest = map[int]*evmharness.EVMOutcome{}
	})
	if tamperPool.err != "" {
		t.Fatalf("building the tamper pool: %s", tamperPool.err)
	}
}

// honestInput runs one Go step with proofs on st (which it advances) and packages it.
func honestInput(st *vm.State, oracle vm.PreimageOracle, store map[[32]byte][]byte) *check.StepInput {
	machine := vm.New(st, oracle, nil, nil)
	wit, goErr := machine.Step(true)
	if goErr != nil {
		wit = machine.FailedStepWitness()
	}
	if wit == nil {
		return nil
	}
	in := check.InputFromWitness(check.OurWitness(wit))
	in.GoErr, in.Store = goErr, store
	if goErr == nil {
		post := st.EncodeWitness()
		in.GoPost = post[:]
	}
	return in
}

// FuzzTamper: a random honest step (a vector of the corpus, or a step of the hello guest's
// first 1500), one random word of its witness (proof word or state field) XORed with random
// bits. The contract must reject a corrupted word the step relies on with the error of its
// check, return the honest outcome for one it does not use, and agree with the stateless
// replay on a forged state (check.Tamper). Any other outcome fails.
func FuzzTamper(f *testing.F) {
	f.Add(uint32(0), uint32(0), []byte{0xA5})
	f.Add(uint32(7), uint32(11), []byte{1, 2, 3})
	f.Add(uint32(600), uint32(70), []byte{0x80})
	f.Add(uint32(900), uint32(200), []byte{0xFF, 0})
	f.Add(uint32(1300), uint32(205), []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4})
	f.Fuzz(func(t *testing.T, pick, word uint32, mask []byte) {
		s := session(t)
		loadTamperPool(t)
		i := int(pick % uint32(len(tamperPool.ins)))
		in, honest := tamperPool.ins[i], honestOutcome(t, s, i)
		words := check.TamperWords(in)
		fg := words[int(word%uint32(len(words)))]
		nonzero := false
		for j := range fg.Mask {
			if len(mask) > 0 {
				fg.Mask[j] = mask[j%len(mask)]
			}
			nonzero = nonzero || fg.Mask[j] != 0
		}
		if !nonzero {
			fg.Mask[len(fg.Mask)-1] = 1
		}
		if fg.Field == "traverseRight" {
			// Only 0 and 1 can be represented on the Go side (see check.stateMask).
			fg.Mask[0] = 1
		}
		fg.Random = true
		rep := check.TamperWith(s, in, honest, []check.Forgery{fg})
		for _, fd := range rep.Findings {
			var b strings.Builder
			check.FormatBundle(&b, fd.Bundle)
			t.Errorf("%s\n%s", fd, b.String())
		}
	})
}
