package prep_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/ingest"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/spec"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

var (
	ingestedOnce sync.Once
	ingestedDir  string
	ingestedErr  error
)

// ingested returns a small ingested dataset made from generated events (shared by the tests).
func ingested(t *testing.T) string {
	t.Helper()
	ingestedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "prep-test-")
		if err != nil {
			ingestedErr = err
			return
		}
		ingestedDir = filepath.Join(dir, "ingested")
		ctx := context.Background()
		if _, err := synth.Generate(ctx, filepath.Join(dir, "events"), synth.Options{Events: 500, Seed: 3, EventsPerFile: 250}); err != nil {
			ingestedErr = err
			return
		}
		_, ingestedErr = ingest.Run(ctx, ingest.Options{Out: ingestedDir, Samples: samplesIn(filepath.Join(dir, "events")), Logf: t.Logf})
	})
	if ingestedErr != nil {
		t.Fatal(ingestedErr)
	}
	return ingestedDir
}

// samplesIn lists events/<class> for each class as a sample.
func samplesIn(events string) []ingest.Sample {
	var samples []ingest.Sample
	for _, c := range synth.AllClasses() {
		samples = append(samples, ingest.Sample{Name: c.String(), Label: int64(c), Patterns: []string{filepath.Join(events, c.String())}})
	}
	return samples
}

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
	code := m.Run()
	if ingestedDir != "" {
		os.RemoveAll(filepath.Dir(ingestedDir))
	}
	os.Exit(code)
}

type rowSet map[[32]byte]int64 // event fingerprint -> label

func fingerprint(h []float64) [32]byte {
	var b bytes.Buffer
	for _, v := range h {
		binary.Write(&b, binary.LittleEndian, v)
	}
	return sha256.Sum256(b.Bytes())
}

// readFull reads a full output dataset and checks every row's invariants.
func readFull(t *testing.T, dir string, scaler *prep.MinMax) rowSet {
	t.Helper()
	r, err := dataset.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Check(dataset.Full()); err != nil {
		t.Fatal(err)
	}
	set := rowSet{}
	const nr, nc = spec.SequenceLength, spec.NumParticleFeatures
	err = r.Scan(context.Background(), dataset.Full(), 0, func(b *dataset.Batch) error {
		for i := 0; i < b.Rows; i++ {
			h, l := b.RowFloat64s("hfeatures", i), b.RowFloat64s("lfeatures", i)
			hlf, gru, enc := b.RowFloat64s("HLF_input", i), b.RowFloat64s("GRU_input", i), b.RowFloat64s("encoded_label", i)
			label := b.Int64s("label")[i]
			fp := fingerprint(h)
			if _, dup := set[fp]; dup {
				t.Fatalf("%s: event appears twice", dir)
			}
			set[fp] = label
			for k, v := range hlf {
				if v < 0 || v > 1 {
					t.Fatalf("HLF_input[%d] = %v outside [0,1]", k, v)
				}
				want := 0.5
				if scaler.Max[k] != scaler.Min[k] {
					want = (h[k] - scaler.Min[k]) / (scaler.Max[k] - scaler.Min[k])
				}
				if math.Abs(v-want) > 1e-12 {
					t.Fatalf("HLF_input[%d] = %v, want %v", k, v, want)
				}
			}
			for k, v := range enc {
				if want := map[bool]float64{true: 1, false: 0}[int64(k) == label]; v != want {
					t.Fatalf("encoded_label %v for label %d", enc, label)
				}
			}
			// Per column: mean 0 and std 1 (or 0 for constant columns); keep mean/std of the raw rows.
			var mean, std [nc]float64
			for c := 0; c < nc; c++ {
				var s, ss, gs, gss float64
				for r := 0; r < nr; r++ {
					s += l[r*nc+c]
					gs += gru[r*nc+c]
				}
				mean[c] = s / nr
				for r := 0; r < nr; r++ {
					ss += (l[r*nc+c] - mean[c]) * (l[r*nc+c] - mean[c])
					gss += (gru[r*nc+c] - gs/nr) * (gru[r*nc+c] - gs/nr)
				}
				std[c] = math.Sqrt(ss / nr)
				if math.Abs(gs/nr) > 1e-9 {
					t.Fatalf("GRU_input column %d mean %v", c, gs/nr)
				}
				want := 1.0
				if std[c] == 0 {
					want = 0
				}
				if g := math.Sqrt(gss / nr); math.Abs(g-want) > 1e-9 {
					t.Fatalf("GRU_input column %d std %v, want %v", c, g, want)
				}
			}
			// Undo the standardization of eta and phi: rows must be in decreasing ΔR to the lepton.
			const ce, cp = 5, 6
			lepEta, lepPhi := l[ce], l[cp]
			prev := math.Inf(1)
			for r := 0; r < nr; r++ {
				eta := gru[r*nc+ce]*std[ce] + mean[ce]
				phi := gru[r*nc+cp]*std[cp] + mean[cp]
				dphi := math.Remainder(phi-lepPhi, 2*math.Pi)
				dr := math.Hypot(eta-lepEta, dphi)
				if dr > prev+1e-9 {
					t.Fatalf("GRU_input row %d: ΔR %v after %v", r, dr, prev)
				}
				prev = dr
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func TestPrepareOutputsBalancedSplitAndTransformed(t *testing.T) {
	in := ingested(t)
	out := t.TempDir()
	sum, err := prep.Run(context.Background(), prep.Options{In: in, Out: out, Seed: 42, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	if !prep.Complete(out) {
		t.Fatal("output not complete")
	}
	scaler, err := prep.LoadMinMax(filepath.Join(out, prep.ScalerFile))
	if err != nil {
		t.Fatal(err)
	}
	train := readFull(t, filepath.Join(out, prep.TrainFull), scaler)
	test := readFull(t, filepath.Join(out, prep.TestFull), scaler)
	for fp := range test {
		if _, both := train[fp]; both {
			t.Fatal("an event is in both train and test")
		}
	}
	// Balance: every class's kept count is Binomial(n, smallest/n) around the smallest count.
	smallest := int64(math.MaxInt64)
	for _, n := range sum.In {
		smallest = min(smallest, n)
	}
	perClass := map[int64]int64{}
	for _, s := range []rowSet{train, test} {
		for _, l := range s {
			perClass[l]++
		}
	}
	for l, n := range sum.In {
		p := float64(smallest) / float64(n)
		sigma := math.Sqrt(float64(n) * p * (1 - p))
		if d := math.Abs(float64(perClass[l] - smallest)); d > 5*sigma+0.5 {
			t.Errorf("label %d: %d rows kept, want %d ± %.1f", l, perClass[l], smallest, 5*sigma)
		}
		if perClass[l] != sum.Train[l]+sum.Test[l] {
			t.Errorf("label %d: summary says %d+%d, outputs hold %d", l, sum.Train[l], sum.Test[l], perClass[l])
		}
	}
	total := float64(len(train) + len(test))
	frac := float64(len(test)) / total
	if sigma := math.Sqrt(0.2 * 0.8 / total); math.Abs(frac-0.2) > 5*sigma {
		t.Errorf("test fraction %.3f, want 0.2 ± %.3f", frac, 5*sigma)
	}
	// The HLF and inclusive datasets hold the same rows as the full ones.
	for _, c := range []struct {
		name   string
		schema dataset.Schema
		n      int
	}{{prep.TrainHLF, dataset.HLF(), len(train)}, {prep.TestInclusive, dataset.Inclusive(), len(test)}} {
		r, err := dataset.Open(filepath.Join(out, c.name))
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Check(c.schema); err != nil {
			t.Fatal(err)
		}
		if r.NumRows() != int64(c.n) {
			t.Errorf("%s: %d rows, want %d", c.name, r.NumRows(), c.n)
		}
	}
}

func TestPrepareIsDeterministicAcrossWorkersAndBuckets(t *testing.T) {
	in := ingested(t)
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	ctx := context.Background()
	if _, err := prep.Run(ctx, prep.Options{In: in, Out: a, Seed: 7, Workers: 1, Logf: t.Logf}); err != nil {
		t.Fatal(err)
	}
	if _, err := prep.Run(ctx, prep.Options{In: in, Out: b, Seed: 7, Workers: 2, Logf: t.Logf}); err != nil {
		t.Fatal(err)
	}
	// Same seed, any number of workers: byte-identical outputs.
	for _, name := range prep.Outputs() {
		fa, _ := filepath.Glob(filepath.Join(a, name, "*.parquet"))
		fb, _ := filepath.Glob(filepath.Join(b, name, "*.parquet"))
		if len(fa) == 0 || len(fa) != len(fb) {
			t.Fatalf("%s: %d and %d part files", name, len(fa), len(fb))
		}
		for i := range fa {
			da, _ := os.ReadFile(fa[i])
			db, _ := os.ReadFile(fb[i])
			if !bytes.Equal(da, db) {
				t.Fatalf("%s differs between 1 and 2 workers", fa[i])
			}
		}
	}
	// A tiny memory bound forces many buckets: the same rows in each split, in another order.
	sum, err := prep.Run(ctx, prep.Options{In: in, Out: c, Seed: 7, MemoryBytes: 1, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Buckets < 2 {
		t.Fatalf("%d buckets with a 1-byte memory bound", sum.Buckets)
	}
	sa, _ := prep.LoadMinMax(filepath.Join(a, prep.ScalerFile))
	for _, name := range []string{prep.TrainFull, prep.TestFull} {
		ra, rc := readFull(t, filepath.Join(a, name), sa), readFull(t, filepath.Join(c, name), sa)
		if len(ra) != len(rc) {
			t.Fatalf("%s: %d rows with one bucket, %d with many", name, len(ra), len(rc))
		}
		for fp := range ra {
			if _, ok := rc[fp]; !ok {
				t.Fatalf("%s: a row is missing with many buckets", name)
			}
		}
	}
}

func TestPrepareRejectsWhatIsNotIngested(t *testing.T) {
	dir := t.TempDir()
	if _, err := prep.Run(context.Background(), prep.Options{In: filepath.Join(dir, "nothing"), Out: filepath.Join(dir, "out")}); err == nil {
		t.Fatal("a missing input was accepted")
	}
	if _, err := prep.Run(context.Background(), prep.Options{In: dir, Out: filepath.Join(dir, "out"), TestFraction: 1.5}); err == nil {
		t.Fatal("test fraction 1.5 accepted")
	}
}
