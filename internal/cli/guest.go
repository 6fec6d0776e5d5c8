package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/fpvmdiff/fpvmdiff/vm"
)

// loadGuest reads and loads an ELF and the optional pre-image file. Failures are input
// errors: the message names the file and the problem.
func loadGuest(elfPath, preimagesPath string) (*vm.State, vm.PreimageOracle, error) {
	state, oracle, _, err := loadGuestFile(elfPath, preimagesPath)
	return state, oracle, err
}

// loadGuestFile is loadGuest that also returns the ELF's bytes (for its hash).
func loadGuestFile(elfPath, preimagesPath string) (*vm.State, vm.PreimageOracle, []byte, error) {
	file, err := os.ReadFile(elfPath)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("reading ELF: %w", err)
	}
	state, err := vm.Load(file)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", elfPath, err)
	}
	// A nil *PreimageMap in the interface would not compare equal to nil inside the VM.
	var oracle vm.PreimageOracle
	if preimagesPath != "" {
		m, err := vm.ReadPreimageFile(preimagesPath)
		if err != nil {
			return nil, nil, nil, err
		}
		oracle = m
	}
	return state, oracle, file, nil
}

// newMachine wraps a loaded state; guest output goes to stdout and stderr.
func newMachine(state *vm.State, oracle vm.PreimageOracle, stdout, stderr io.Writer) *vm.VM {
	return vm.New(state, oracle, stdout, stderr)
}
