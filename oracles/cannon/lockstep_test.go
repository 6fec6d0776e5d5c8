package cannon

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/internal/guests"
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

func guestELF(t testing.TB, name string) []byte {
	t.Helper()
	elf, err := os.ReadFile(guests.MustBuild(t, name))
	require.NoError(t, err)
	return elf
}

func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := guests.RepoRoot()
	require.NoError(t, err)
	return root
}

func guestPreimages(t testing.TB) *fpvm.PreimageMap {
	t.Helper()
	m, err := fpvm.ReadPreimageFile(filepath.Join(repoRoot(t), "testdata", "programs", "preimage", "preimages.json"))
	require.NoError(t, err)
	return m
}

// TestLockstepGuests runs every project guest on our VM and the production VM side by side
// and wants zero differences. The deadlock and livelock guests never exit, so a bounded
// prefix of each is compared (well past their threads' start and into the endless loop).
func TestLockstepGuests(t *testing.T) {
	for _, tc := range []struct {
		guest    string
		pre      bool
		to       uint64
		exitCode uint8
	}{
		{guest: "hello"},
		{guest: "exitcode", exitCode: 7},
		{guest: "preimage", pre: true},
		{guest: "mt"},
		{guest: "deadlock", to: 3_000_000},
		{guest: "livelock", to: 3_000_000},
	} {
		t.Run(tc.guest, func(t *testing.T) {
			cfg := check.LockstepConfig{ELF: guestELF(t, tc.guest), A: check.OurVM, B: Open, NameA: "ours", NameB: "production", To: tc.to}
			if tc.pre {
				cfg.Preimages = guestPreimages(t)
			}
			res, err := check.Lockstep(cfg)
			require.NoError(t, err)
			require.Nil(t, res.Divergence, "%+v", res.Divergence)
			require.Empty(t, res.Fault)
			require.Equal(t, res.End, res.Steps, "every step from 0 compared")
			if tc.to != 0 {
				require.Equal(t, tc.to, res.End)
				require.False(t, res.Exited)
				return
			}
			require.True(t, res.Exited)
			require.Equal(t, tc.exitCode, res.ExitCode)
		})
	}
}

// TestLockstepOpProgram compares the whole op-program run (about 448M steps) when its ELF
// has been built (`make op-program`, an ignored cache folder); otherwise it is skipped, the
// only test here that may be.
func TestLockstepOpProgram(t *testing.T) {
	root := repoRoot(t)
	elfPath := os.Getenv("OP_PROGRAM_ELF")
	if elfPath == "" {
		matches, _ := filepath.Glob(filepath.Join(root, ".cache", "op-program", "op-program-client-*.elf"))
		if len(matches) == 0 {
			t.Skip("no op-program ELF: run `make op-program` (or set OP_PROGRAM_ELF)")
		}
		elfPath = matches[len(matches)-1]
	}
	prePath := os.Getenv("OP_PROGRAM_PRE")
	if prePath == "" {
		prePath = filepath.Join(root, "testdata", "op-program", "pre.json")
	}
	elf, err := os.ReadFile(elfPath)
	require.NoError(t, err)
	pre, err := fpvm.ReadPreimageFile(prePath)
	require.NoError(t, err)
	res, err := check.Lockstep(check.LockstepConfig{ELF: elf, Preimages: pre, A: check.OurVM, B: Open,
		NameA: "ours", NameB: "production"})
	require.NoError(t, err)
	require.Nil(t, res.Divergence, "%+v", res.Divergence)
	require.True(t, res.Exited)
	require.Equal(t, uint8(0), res.ExitCode, "claim verified")
	require.Equal(t, res.End, res.Steps)
	t.Logf("op-program: %d steps compared, %d checkpoints, final state hash %x", res.Steps, res.Checkpoints, res.FinalHash)
}

// perturbed plants a difference in one VM right after the step with pre-state counter at.
type perturbed struct {
	check.VM
	at     uint64
	change func(check.VM)
}

func perturbOpen(open check.Open, at uint64, change func(check.VM)) check.Open {
	return func(elf []byte, pre *fpvm.PreimageMap, stdout, stderr io.Writer) (check.VM, error) {
		v, err := open(elf, pre, stdout, stderr)
		if err != nil {
			return nil, err
		}
		return &perturbed{VM: v, at: at, change: change}, nil
	}
}

func (p *perturbed) Step(w bool) (*check.Witness, error) {
	var v check.View
	p.VM.View(&v)
	wit, err := p.VM.Step(w)
	if err == nil && v.Step == p.at {
		p.change(p.VM)
	}
	return wit, err
}

func (p *perturbed) Run(n uint64) (uint64, error) {
	var v check.View
	p.VM.View(&v)
	if v.Step > p.at || v.Step+n <= p.at {
		return p.VM.Run(n)
	}
	k, err := p.VM.Run(p.at - v.Step)
	if err != nil || k < p.at-v.Step {
		return k, err
	}
	if _, err := p.Step(false); err != nil {
		return k, err
	}
	m, err := p.VM.Run(n - k - 1)
	return k + 1 + m, err
}

// A register of the production VM changed right after step N is reported at exactly N with
// that register; a hidden memory change (no per-step field shows it) is narrowed to N too.
func TestLockstepPlantedOnProduction(t *testing.T) {
	elf := guestELF(t, "hello")
	reg := func(v check.VM) {
		s := v.(*VM).Inner()
		th := s.LeftThreadStack
		if s.TraverseRight {
			th = s.RightThreadStack
		}
		th[len(th)-1].Registers[6] ^= 1 << 40
	}
	res, err := check.Lockstep(check.LockstepConfig{ELF: elf, A: check.OurVM, B: perturbOpen(Open, 300_001, reg), CheckpointEvery: 100_000})
	require.NoError(t, err)
	require.NotNil(t, res.Divergence)
	require.Equal(t, uint64(300_001), res.Divergence.Step)
	require.Equal(t, "step", res.Divergence.Found)
	require.Equal(t, []check.LockstepField{{Field: "regs[6]", A: res.Divergence.Fields[0].A, B: res.Divergence.Fields[0].B}}, res.Divergence.Fields)

	var entry uint64
	{
		v, err := Open(elf, nil, nil, nil)
		require.NoError(t, err)
		var view check.View
		v.View(&view)
		entry = view.PC &^ 7
	}
	mem := func(v check.VM) {
		m := v.(*VM).Inner().Memory
		m.SetWord(entry, m.GetWord(entry)^1)
	}
	res, err = check.Lockstep(check.LockstepConfig{ELF: elf, A: check.OurVM, B: perturbOpen(Open, 54_321, mem), CheckpointEvery: 100_000})
	require.NoError(t, err)
	require.NotNil(t, res.Divergence)
	require.Equal(t, uint64(54_321), res.Divergence.Step)
	require.Equal(t, "checkpoint", res.Divergence.Found)
	require.Len(t, res.Divergence.Fields, 1)
	require.Equal(t, "memRoot", res.Divergence.Fields[0].Field)
}
