package prep_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/ingest"
	"github.com/godltrigger/godltrigger/pkg/prep"
)

func TestOutputsCarryProvenance(t *testing.T) {
	in := ingested(t)
	out := t.TempDir()
	if _, err := prep.Run(context.Background(), prep.Options{In: in, Out: out, Seed: 7, Logf: t.Logf}); err != nil {
		t.Fatal(err)
	}
	scaler, err := prep.LoadMinMax(filepath.Join(out, prep.ScalerFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{prep.TrainFull, prep.TrainHLF, prep.TrainInclusive, prep.TestFull, prep.TestHLF, prep.TestInclusive} {
		r, err := dataset.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range r.Files() {
			meta := f.Metadata()
			want := map[string]string{
				dataset.MetaProducer:    "dltrigger prepare",
				dataset.MetaInput:       in,
				dataset.MetaFeatureSpec: ingest.FeatureSpec,
				dataset.MetaQuirks:      "reproduced",
				prep.MetaPrepare:        `{"seed":7,"test_fraction":0.2}`,
			}
			for k, v := range want {
				if meta[k] != v {
					t.Errorf("%s: metadata %s = %q, want %q", f.Path, k, meta[k], v)
				}
			}
			var got prep.MinMax
			if err := json.Unmarshal([]byte(meta[prep.MetaScaler]), &got); err != nil {
				t.Errorf("%s: scaler metadata: %v", f.Path, err)
			} else if !reflect.DeepEqual(&got, scaler) {
				t.Errorf("%s: scaler metadata %+v, want %s's %+v", f.Path, got, prep.ScalerFile, scaler)
			}
		}
	}
}
