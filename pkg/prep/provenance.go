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
	MetaPrepare = "dltrigger.prepare" // JSON: seed and test fraction
	MetaScaler  = "dltrigger.scaler"  // JSON: the fitted MinMax
)

// provenance is the key-value metadata of prepare's outputs: where their rows come from and
// how they were prepared.
func provenance(in *dataset.Reader, opts Options, scaler *MinMax) (map[string]string, error) {
	input, err := filepath.Abs(opts.In)
	if err != nil {
		input = opts.In
	}
	recorded, err := json.Marshal(settings{opts.Seed, opts.TestFraction})
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

// inputValues joins the distinct values of key in the metadata of in's files, "unknown" when
// none carries it.
func inputValues(in *dataset.Reader, key string) string {
	if vals := in.MetadataValues(key); len(vals) > 0 {
		return strings.Join(vals, ",")
	}
	return "unknown"
}
