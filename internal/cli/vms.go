package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fpvmdiff/fpvmdiff/check"
)

// The Go VMs a binary offers. fpvmdiff has ours; fpvmdiff-cannon (oracles/cannon, a nested
// module) registers the production VM as well, so the same commands can drive either.
var vms = map[string]check.Open{"ours": check.OurVM}

// RegisterVM makes a Go VM available under name (for --vm and lockstep). A binary calls it
// before Main.
func RegisterVM(name string, open check.Open) { vms[name] = open }

// lookupVM returns the VM registered under name, or an error listing the names there are.
func lookupVM(name string) (check.Open, error) {
	if open, ok := vms[name]; ok {
		return open, nil
	}
	return nil, fmt.Errorf("unknown VM %q (this binary has: %s)", name, strings.Join(vmNames(), ", "))
}

func vmNames() []string {
	names := make([]string, 0, len(vms))
	for n := range vms {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
