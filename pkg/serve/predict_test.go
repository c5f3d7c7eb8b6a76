package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
)

// fingerprint identifies an event by its high-level features.
func fingerprint(h []float64) [32]byte {
	var b bytes.Buffer
	for _, v := range h {
		binary.Write(&b, binary.LittleEndian, v)
	}
	return sha256.Sum256(b.Bytes())
}

// referenceProbabilities runs evaluate.PredictDataset on the datasets that prep.Run wrote and
// returns the probabilities of each of their events, by fingerprint.
func referenceProbabilities(t *testing.T, f *fixture) map[[32]byte][]float64 {
	t.Helper()
	ctx := context.Background()
	ref := map[[32]byte][]float64{}
	for _, name := range []string{prep.TrainFull, prep.TestFull} {
		in := filepath.Join(f.prepared, name)
		pred := filepath.Join(t.TempDir(), "pred.parquet")
		if _, err := evaluate.PredictDataset(ctx, f.model, in, pred, evaluate.PredictOptions{Backend: f.backend}); err != nil {
			t.Fatal(err)
		}
		var fps [][32]byte
		r, err := dataset.Open(in)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := dataset.Full().Select("hfeatures")
		err = r.Scan(ctx, want, 0, func(b *dataset.Batch) error {
			for i := 0; i < b.Rows; i++ {
				fps = append(fps, fingerprint(b.RowFloat64s("hfeatures", i)))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		pr, err := dataset.Open(pred)
		if err != nil {
			t.Fatal(err)
		}
		row := 0
		err = pr.Scan(ctx, evaluate.PredictionSchema(true), 0, func(b *dataset.Batch) error {
			for i := 0; i < b.Rows; i++ {
				ref[fps[row]] = append([]float64(nil), b.RowFloat64s("probabilities", i)...)
				row++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if row != len(fps) {
			t.Fatalf("%s: %d predictions for %d rows", name, row, len(fps))
		}
	}
	if len(ref) == 0 {
		t.Fatal("no prepared rows")
	}
	return ref
}

// The probabilities of the decisions equal those evaluate.PredictDataset gives for the same
// events prepared by prep.Run, both from Delphes files and from ingested Parquet files.
func TestProbabilitiesEqualPredictDataset(t *testing.T) {
	checkProbabilitiesEqualPredictDataset(t, testFixture(t))
}

// checkProbabilitiesEqualPredictDataset serves f's events with f.model and compares.
func checkProbabilitiesEqualPredictDataset(t *testing.T, f *fixture) {
	ref := referenceProbabilities(t, f)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		watch string
		// eventFingerprints maps each input (relative path) to the fingerprints of its
		// triggered events, by entry.
		eventFingerprints func(t *testing.T, watch string, ds map[string][]Decision) map[string]map[int64][32]byte
	}{
		{"root", f.events, rootFingerprints},
		{"parquet", f.ingested, parquetFingerprints},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			opts := f.options(tc.watch, out)
			opts.Once, opts.Threshold = true, 0.3
			st, err := newServer(t, opts).Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.Files == 0 || st.Bad != 0 {
				t.Fatalf("stats %+v", st)
			}
			ds := readAll(t, out)
			fps := tc.eventFingerprints(t, tc.watch, ds)
			matched := map[[32]byte]bool{}
			for rel, list := range ds {
				for _, d := range list {
					checkDecision(t, rel, d, opts.Threshold, 1)
					fp, triggered := fps[rel][d.Entry]
					if triggered != d.Triggered {
						t.Fatalf("%s entry %d: triggered %v, the trigger emulation says %v", rel, d.Entry, d.Triggered, triggered)
					}
					want, ok := ref[fp]
					if !triggered || !ok {
						continue
					}
					matched[fp] = true
					for c := range models.NumClasses {
						if math.Abs(d.Probabilities[c]-want[c]) > 1e-6 {
							t.Fatalf("%s entry %d: probabilities %v, PredictDataset gives %v", rel, d.Entry, d.Probabilities, want)
						}
					}
				}
			}
			if len(matched) != len(ref) {
				t.Fatalf("%d of the %d prepared events found among the decisions", len(matched), len(ref))
			}
		})
	}
}

// readAll reads every decision file under out, by input.
func readAll(t *testing.T, out string) map[string][]Decision {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(out, "*", "*"+OutputSuffix))
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob(filepath.Join(out, "*"+OutputSuffix))
	ds := map[string][]Decision{}
	for _, p := range append(files, more...) {
		rel, _ := filepath.Rel(out, p)
		list, err := ReadDecisions(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		ds[strings.TrimSuffix(filepath.ToSlash(rel), OutputSuffix)] = list
	}
	return ds
}

func rootFingerprints(t *testing.T, watch string, ds map[string][]Decision) map[string]map[int64][32]byte {
	out := map[string]map[int64][32]byte{}
	x := features.NewExtractor(features.Options{})
	l := make([]float64, features.NumParticles*features.NumColumns)
	h := make([]float64, features.NumHLF)
	for rel := range ds {
		f, err := delphes.Open(filepath.Join(watch, rel), delphes.WithLogf(func(string, ...any) {}))
		if err != nil {
			t.Fatal(err)
		}
		m := map[int64][32]byte{}
		err = f.Read(context.Background(), func(ev *delphes.Event) error {
			if x.Extract(ev, l, h) == features.Selected {
				m[ev.Entry] = fingerprint(h)
			}
			return nil
		})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[rel] = m
	}
	return out
}

func parquetFingerprints(t *testing.T, watch string, ds map[string][]Decision) map[string]map[int64][32]byte {
	out := map[string]map[int64][32]byte{}
	want, _ := dataset.Ingested().Select("hfeatures")
	for rel := range ds {
		r, err := dataset.Open(filepath.Join(watch, rel))
		if err != nil {
			t.Fatal(err)
		}
		m := map[int64][32]byte{}
		err = r.Scan(context.Background(), want, 0, func(b *dataset.Batch) error {
			for i := 0; i < b.Rows; i++ {
				m[b.Row+int64(i)] = fingerprint(b.RowFloat64s("hfeatures", i))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		out[rel] = m
	}
	return out
}
