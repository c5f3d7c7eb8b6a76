package prep

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/godltrigger/godltrigger/pkg/dataset"
)

// Keys of the provenance that prepare writes into the key-value metadata of every output file,
// beside dataset's MetaProducer, MetaInput, MetaFeatureSpec and MetaQuirks. The feature
// specification and quirks mode are those of the ingested input files ("unknown" when they
// carry none, e.g. data ingested by Spark; a comma-separated list when they differ).
const (
	MetaPrepare = "dltrigger.prepare" // JSON: seed, test fraction and mask_padding (when set)
	MetaScaler  = "dltrigger.scaler"  // JSON: the fitted MinMax
)

// provenance is the key-value metadata of prepare's outputs: where their rows come from and
// how they were prepared.
func provenance(in *dataset.Reader, opts Options, scaler *MinMax) (map[string]string, error) {
	input, err := filepath.Abs(opts.In)
	if err != nil {
		input = opts.In
	}
	recorded, err := json.Marshal(settings{opts.Seed, opts.TestFraction, opts.MaskPadding})
	if err != nil {
		return nil, fmt.Errorf("prep: provenance: %w", err)
	}
	sc, err := json.Marshal(scaler)
	if err != nil {
		return nil, fmt.Errorf("prep: provenance: %w", err)
	}
	return map[string]string{
		dataset.MetaProducer:    "dltrigger prepare",
		dataset.MetaInput:       input,
		dataset.MetaFeatureSpec: inputValues(in, dataset.MetaFeatureSpec),
		dataset.MetaQuirks:      inputValues(in, dataset.MetaQuirks),
		MetaPrepare:             string(recorded),
		MetaScaler:              string(sc),
	}, nil
}

// PaddingMasked reports whether every file of the prepared dataset dir was prepared with
// Options.MaskPadding, as their metadata (MetaPrepare) records. A dataset that records no
// preparation (e.g. one Spark prepared), or whose files differ, is an error saying so.
func PaddingMasked(dir string) (bool, error) {
	r, err := dataset.Open(dir)
	if err != nil {
		return false, fmt.Errorf("prep: %w", err)
	}
	if len(r.Files()) == 0 {
		return false, fmt.Errorf("prep: %s holds no Parquet files", dir)
	}
	masked := 0
	for _, f := range r.Files() {
		var got settings
		if err := json.Unmarshal([]byte(f.Metadata()[MetaPrepare]), &got); err != nil {
			return false, fmt.Errorf("prep: %s does not record how it was prepared (%s: %v): it was not prepared by 'dltrigger prepare'", f.Path, MetaPrepare, err)
		}
		if got.MaskPadding {
			masked++
		}
	}
	if masked != 0 && masked != len(r.Files()) {
		return false, fmt.Errorf("prep: %s mixes files prepared with and without --mask-padding (%d of %d with): prepare it again", dir, masked, len(r.Files()))
	}
	return masked > 0, nil
}

// inputValues joins the distinct values of key in the metadata of in's files, "unknown" when
// none carries it.
func inputValues(in *dataset.Reader, key string) string {
	if vals := in.MetadataValues(key); len(vals) > 0 {
		return strings.Join(vals, ",")
	}
	return "unknown"
}
