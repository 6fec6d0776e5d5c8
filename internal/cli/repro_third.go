package cli

import (
	"flag"
	"fmt"
	"os"

	"github.com/fpvmdiff/fpvmdiff/check"
	"github.com/fpvmdiff/fpvmdiff/vm"
)

// thirdOpinionOptions are repro's flags for a third Go VM's opinion on a bundle.
type thirdOpinionOptions struct {
	elf, preimages, vm string
}

func (o *thirdOpinionOptions) flags(fs *flag.FlagSet) {
	fs.StringVar(&o.elf, "elf", "", "the bundle's program: run it on a third Go VM for a third opinion (`FILE`)")
	fs.StringVar(&o.preimages, "preimages", "", "with --elf: the run's pre-image `FILE`")
	fs.StringVar(&o.vm, "third", "cannon", "with --elf: the third Go VM, `NAME` (fpvmdiff-cannon adds cannon)")
}

// opinion runs the third VM when --elf was given; nil otherwise.
func (o *thirdOpinionOptions) opinion(b *check.Bundle) (*check.Opinion, error) {
	if o.elf == "" {
		if o.preimages != "" {
			return nil, fmt.Errorf("--preimages needs --elf")
		}
		return nil, nil
	}
	open, err := lookupVM(o.vm)
	if err != nil {
		return nil, fmt.Errorf("--third: %w; the production VM comes with bin/fpvmdiff-cannon (make cannon)", err)
	}
	elf, err := os.ReadFile(o.elf)
	if err != nil {
		return nil, fmt.Errorf("reading --elf: %w", err)
	}
	var pre *vm.PreimageMap
	if o.preimages != "" {
		if pre, err = vm.ReadPreimageFile(o.preimages); err != nil {
			return nil, err
		}
	}
	return check.ThirdOpinion(b, elf, pre, open, o.vm)
}

// reproWithOpinion is repro's --json when a third opinion was asked for.
type reproWithOpinion struct {
	Replay       *check.Bundle  `json:"replay"`
	ThirdOpinion *check.Opinion `json:"third_opinion"`
}
