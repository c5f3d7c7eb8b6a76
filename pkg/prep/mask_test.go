package prep_test

import (
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/prep"
)

// maskedGRUInput recomputes, in float64 and independently of package prep, the GRU_input of
// --mask-padding for the lfeatures l: padding first (zeros), then the real rows sorted by
// decreasing ΔR to the lepton, standardized over the real rows.
func maskedGRUInput(l []float64) []float64 {
	const nr, nc = features.NumParticles, features.NumColumns
	n := 0
	for r := 0; r < nr; r++ {
		for _, v := range l[r*nc : (r+1)*nc] {
			if v != 0 {
				n = r + 1
			}
		}
	}
	dr := func(r int) float64 {
		dphi := math.Remainder(l[r*nc+features.ColPhi]-l[features.ColPhi], 2*math.Pi)
		return math.Hypot(l[r*nc+features.ColEta]-l[features.ColEta], dphi)
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return dr(order[i]) > dr(order[j]) })
	out := make([]float64, nr*nc)
	for c := 0; c < nc; c++ {
		var mean, ss float64
		for _, r := range order {
			mean += l[r*nc+c]
		}
		mean /= float64(n)
		for _, r := range order {
			ss += (l[r*nc+c] - mean) * (l[r*nc+c] - mean)
		}
		std := math.Sqrt(ss / float64(n))
		for i, r := range order {
			v := l[r*nc+c] - mean
			if std > 0 {
				v /= std
			}
			out[(nr-n+i)*nc+c] = v
		}
	}
	return out
}

func TestMaskPaddingKeepsPaddingZeroAndStandardizesRealRows(t *testing.T) {
	in := ingested(t)
	out := t.TempDir()
	if _, err := prep.Run(context.Background(), prep.Options{In: in, Out: out, Seed: 5, MaskPadding: true, Logf: t.Logf}); err != nil {
		t.Fatal(err)
	}
	const nr, nc = features.NumParticles, features.NumColumns
	rows, padded := 0, 0
	tr, err := prep.NewEventTransform(nil) // serve's per-event form must give the same rows
	if err != nil {
		t.Fatal(err)
	}
	tr.SetMaskPadding(true)
	perEvent := make([]float64, nr*nc)
	for _, split := range []string{prep.TrainFull, prep.TestFull} {
		r, err := dataset.Open(filepath.Join(out, split))
		if err != nil {
			t.Fatal(err)
		}
		err = r.Scan(context.Background(), dataset.Full(), 0, func(b *dataset.Batch) error {
			for i := 0; i < b.Rows; i++ {
				l, gru := b.RowFloat64s("lfeatures", i), b.RowFloat64s("GRU_input", i)
				n := features.RealRows(l)
				if n < 2 || n > nr {
					t.Fatalf("row %d: %d real particle rows", rows, n)
				}
				// At ingest the padding is contiguous at the end: every real row has a flag set.
				for r := 0; r < n; r++ {
					var flags float64
					for c := features.ColIsChHad; c <= features.ColIsMu; c++ {
						flags += l[r*nc+c]
					}
					if flags != 1 {
						t.Fatalf("row %d: ingested particle row %d of %d real ones has flags summing to %v", rows, r, n, flags)
					}
				}
				for k, v := range gru[:(nr-n)*nc] {
					if v != 0 || math.Signbit(v) {
						t.Fatalf("row %d: padding value %d of GRU_input is %v, want exactly 0", rows, k, v)
					}
				}
				tr.GRUInput(perEvent, l)
				for k := range perEvent {
					if math.Float64bits(perEvent[k]) != math.Float64bits(gru[k]) {
						t.Fatalf("row %d: EventTransform with masking gives GRU_input[%d] = %v, prepare %v", rows, k, perEvent[k], gru[k])
					}
				}
				want := maskedGRUInput(l)
				for k := (nr - n) * nc; k < nr*nc; k++ {
					if math.Abs(gru[k]-want[k]) > 1e-12*math.Max(1, math.Abs(want[k])) {
						t.Fatalf("row %d: GRU_input[%d] (particle row %d, column %d) = %v, the recomputation %v", rows, k, k/nc, k%nc, gru[k], want[k])
					}
				}
				// The lepton (ingested row 0, isEle or isMu) is the last row, as without masking.
				if last := gru[(nr-1)*nc:]; last[features.ColIsEle]+last[features.ColIsMu] <= last[features.ColIsChHad]+last[features.ColIsGamma]+last[features.ColIsNeuHad] {
					t.Fatalf("row %d: the last row %v is not the lepton", rows, last)
				}
				if n < nr {
					padded++
				}
				rows++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if rows == 0 || padded == 0 {
		t.Fatalf("%d rows checked, %d with padding: the test saw nothing to mask", rows, padded)
	}
	for _, o := range prep.Outputs() {
		masked, err := prep.PaddingMasked(filepath.Join(out, o))
		if err != nil || !masked {
			t.Fatalf("%s: PaddingMasked = %v, %v; want true", o, masked, err)
		}
		r, err := dataset.Open(filepath.Join(out, o))
		if err != nil {
			t.Fatal(err)
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(r.Files()[0].Metadata()[prep.MetaPrepare]), &rec); err != nil || rec["mask_padding"] != true {
			t.Fatalf("%s: %s = %v (%v), want mask_padding true", o, prep.MetaPrepare, rec, err)
		}
	}
}

func TestDefaultPreparationRecordsNoMasking(t *testing.T) {
	in := ingested(t)
	out := t.TempDir()
	base := prep.Options{In: in, Out: out, Seed: 5, Logf: t.Logf}
	if _, err := prep.Run(context.Background(), base); err != nil {
		t.Fatal(err)
	}
	masked, err := prep.PaddingMasked(filepath.Join(out, prep.TrainInclusive))
	if err != nil || masked {
		t.Fatalf("PaddingMasked = %v, %v; want false", masked, err)
	}
	// A rerun into the same directory with the other setting is refused, never mixed.
	other := base
	other.MaskPadding = true
	reuse, err := prep.Reuse(other)
	if want := "padding masking (--mask-padding) false; this run asks for true"; reuse || err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("reuse %v, error %v; want an error containing %q", reuse, err, want)
	}
	if _, err := prep.PaddingMasked(in); err == nil || !strings.Contains(err.Error(), "does not record how it was prepared") {
		t.Fatalf("PaddingMasked of an ingested dataset: %v, want an error", err)
	}
}
