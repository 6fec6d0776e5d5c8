package cannon

import (
	"bytes"
	"debug/elf"
	"fmt"
	"io"

	"github.com/ethereum-optimism/optimism/cannon/mipsevm"
	"github.com/ethereum-optimism/optimism/cannon/mipsevm/multithreaded"
	"github.com/ethereum-optimism/optimism/cannon/mipsevm/program"
	"github.com/ethereum-optimism/optimism/cannon/mipsevm/versions"
	"github.com/ethereum/go-ethereum/log"

	"github.com/fpvmdiff/fpvmdiff/check"
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// Pinned production version. go.mod requires exactly this module version; TestPinnedVersion
// checks that the state version it names is the one our VM implements.
const (
	ModuleVersion = "v1.19.6"
	StateVersion  = versions.VersionMultiThreaded64_v5
)

// Description names the production VM in reports.
var Description = fmt.Sprintf("production Cannon (optimism %s, state version %d %s)", ModuleVersion, uint8(StateVersion), StateVersion)

var _ check.Open = Open

// Open loads elfFile into a fresh production VM the way its own `cannon load-elf` does
// (program.LoadELF, then program.PatchStack), so the loader is checked as well. pre serves
// the pre-images through the VM's in-process oracle interface (nil: none).
func Open(elfFile []byte, pre *fpvm.PreimageMap, stdout, stderr io.Writer) (vm check.VM, err error) {
	f, err := elf.NewFile(bytes.NewReader(elfFile))
	if err != nil {
		return nil, fmt.Errorf("production VM: not an ELF file: %w", err)
	}
	if f.Machine != elf.EM_MIPS || f.Class != elf.ELFCLASS64 || f.Data != elf.ELFDATA2MSB {
		return nil, fmt.Errorf("production VM: ELF is %s %s %s, want big-endian 64-bit MIPS", f.Class, f.Data, f.Machine)
	}
	// The loader panics on some malformed segments; bad input gets an error, not a crash.
	defer func() {
		if r := recover(); r != nil {
			vm, err = nil, fmt.Errorf("production VM: loading the ELF: %v", r)
		}
	}()
	state, err := program.LoadELF(f, multithreaded.CreateInitialState)
	if err != nil {
		return nil, fmt.Errorf("production VM: loading the ELF: %w", err)
	}
	if err := program.PatchStack(state); err != nil {
		return nil, fmt.Errorf("production VM: setting up the stack: %w", err)
	}
	if pre == nil {
		pre = fpvm.NewPreimageMap()
	}
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	logger := log.NewLogger(log.DiscardHandler())
	inner := multithreaded.NewInstrumentedState(state, preimages{pre}, stdout, stderr, logger, nil, mipsevm.FeatureToggles{})
	return &VM{s: state, m: inner}, nil
}
