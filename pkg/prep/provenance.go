package prep

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/godltrigger/godltrigger/pkg/dataset"
)

// Keys of the provenance that prepare writes into the key-value metadata of every output file.
// The feature specification and quirks mode are those of the ingested input files ("unknown"
// when they carry none, e.g. data ingested by Spark; a comma-separated list when they differ).
const (
	MetaProducer    = "dltrigger.producer"
	MetaInput       = "dltrigger.input"
	MetaFeatureSpec = "dltrigger.feature_spec"
	MetaQuirks      = "dltrigger.quirks"
	MetaPrepare     = "dltrigger.prepare"
	MetaScaler      = "dltrigger.scaler"
)

// provenance is the key-value metadata of prepare's outputs: where their rows come from and
// how they were prepared.
func provenance(in *dataset.Reader, opts Options, scaler *MinMax) (map[string]string, error) {
	input, err := filepath.Abs(opts.In)
	if err != nil {
		input = opts.In
	}
	settings, err := json.Marshal(struct {
		Seed         int64   `json:"seed"`
		TestFraction float64 `json:"test_fraction"`
	}{opts.Seed, opts.TestFraction})
	if err != nil {
		return nil, fmt.Errorf("prep: provenance: %w", err)
	}
	sc, err := json.Marshal(scaler)
	if err != nil {
		return nil, fmt.Errorf("prep: provenance: %w", err)
	}
	return map[string]string{
		MetaProducer:    "dltrigger prepare",
		MetaInput:       input,
		MetaFeatureSpec: inputValues(in, "dltrigger.feature_spec"),
		MetaQuirks:      inputValues(in, "dltrigger.quirks"),
		MetaPrepare:     string(settings),
		MetaScaler:      string(sc),
	}, nil
}

// inputValues lists the distinct values of key in the metadata of in's files.
func inputValues(in *dataset.Reader, key string) string {
	seen := map[string]bool{}
	for _, f := range in.Files() {
		if v, ok := f.Metadata()[key]; ok {
			seen[v] = true
		}
	}
	if len(seen) == 0 {
		return "unknown"
	}
	vals := make([]string, 0, len(seen))
	for v := range seen {
		vals = append(vals, v)
	}
	sort.Strings(vals)
	return strings.Join(vals, ",")
}
