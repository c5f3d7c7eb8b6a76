package prep

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/dataset"
)

// settings are the options of Run recorded in the outputs (MetaPrepare).
type settings struct {
	Seed         int64   `json:"seed"`
	TestFraction float64 `json:"test_fraction"`
	MaskPadding  bool    `json:"mask_padding,omitempty"`
}

// Reuse reports whether opts.Out already holds a complete output of Run made from opts.In
// with the settings of opts: Run would only make it again. A complete output made from another
// input or with other settings is an error naming what differs; an incomplete one is false.
func Reuse(opts Options) (bool, error) {
	if !Complete(opts.Out) {
		return false, nil
	}
	if opts.TestFraction == 0 {
		opts.TestFraction = 0.2
	}
	train := filepath.Join(opts.Out, TrainFull)
	r, err := dataset.Open(train)
	if err != nil {
		return false, fmt.Errorf("prep: %w", err)
	}
	meta := r.Files()[0].Metadata()
	var got settings
	if err := json.Unmarshal([]byte(meta[MetaPrepare]), &got); err != nil {
		return false, fmt.Errorf("prep: %s does not record the settings it was prepared with (%s: %v): prepare it again (--force) or into another output directory", train, MetaPrepare, err)
	}
	input, err := filepath.Abs(opts.In)
	if err != nil {
		input = opts.In
	}
	differ := func(setting string, was, asked any) error {
		return fmt.Errorf("prep: %s already holds an output prepared with %s %v; this run asks for %v: prepare it again (--force) or into another output directory",
			opts.Out, setting, was, asked)
	}
	switch {
	case meta[dataset.MetaInput] != input:
		return false, differ("the input (--in)", meta[dataset.MetaInput], input)
	case got.Seed != opts.Seed:
		return false, differ("the seed (--seed)", got.Seed, opts.Seed)
	case got.TestFraction != opts.TestFraction:
		return false, differ("the test fraction (--test-fraction)", got.TestFraction, opts.TestFraction)
	case got.MaskPadding != opts.MaskPadding:
		return false, differ("padding masking (--mask-padding)", got.MaskPadding, opts.MaskPadding)
	case opts.Parts > len(r.Files()):
		return false, differ("part files per training set (--parts)", len(r.Files()), fmt.Sprintf("at least %d", opts.Parts))
	}
	return true, nil
}
