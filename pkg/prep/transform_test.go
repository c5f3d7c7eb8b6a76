package prep

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/features"
)

func TestMinMaxScalesToUnitAndHalfForConstant(t *testing.T) {
	m := NewMinMax(3)
	rows := [][]float64{{1, 5, 7}, {3, -5, 7}, {2, 0, 7}}
	for _, r := range rows {
		m.Observe(r)
	}
	tests := []struct {
		in, want []float64
	}{
		{[]float64{1, 5, 7}, []float64{0, 1, 0.5}},
		{[]float64{3, -5, 7}, []float64{1, 0, 0.5}},
		{[]float64{2, 0, 7}, []float64{0.5, 0.5, 0.5}},
	}
	for _, tc := range tests {
		got := make([]float64, 3)
		m.Transform(got, tc.in)
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("Transform(%v) = %v, want %v", tc.in, got, tc.want)
				break
			}
		}
	}
	if m.Count != 3 {
		t.Errorf("count = %d, want 3", m.Count)
	}
}

func TestMinMaxMergeEqualsSingleFitAndRoundTrips(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	all, a, b := NewMinMax(4), NewMinMax(4), NewMinMax(4)
	for i := 0; i < 100; i++ {
		r := []float64{rng.NormFloat64(), rng.Float64(), -rng.Float64(), 3}
		all.Observe(r)
		if i%3 == 0 {
			a.Observe(r)
		} else {
			b.Observe(r)
		}
	}
	a.Merge(b)
	path := filepath.Join(t.TempDir(), "scaler.json")
	if err := a.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := LoadMinMax(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range all.Min {
		if got.Min[i] != all.Min[i] || got.Max[i] != all.Max[i] {
			t.Fatalf("feature %d: merged+reloaded [%v,%v], single fit [%v,%v]", i, got.Min[i], got.Max[i], all.Min[i], all.Max[i])
		}
	}
	if got.Count != 100 {
		t.Fatalf("count %d, want 100", got.Count)
	}
}

func TestLoadMinMaxRejectsBadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json")
	if err := writeFileAtomic(path, []byte(`{"min":[0,1],"max":[1]}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadMinMax(path); err == nil {
		t.Fatal("mismatched min/max accepted")
	}
}

// randomEvent returns lfeatures with a lepton row, some particles and zero padding.
func randomEvent(rng *rand.Rand, particles int) []float64 {
	const nc = features.NumColumns
	l := make([]float64, features.NumParticles*nc)
	for r := 0; r <= particles; r++ {
		for c := 0; c < nc; c++ {
			l[r*nc+c] = rng.NormFloat64() * 10
		}
		l[r*nc+colEta] = rng.Float64()*5 - 2.5
		l[r*nc+colPhi] = rng.Float64()*2*math.Pi - math.Pi
	}
	return l
}

func deltaR(eta1, phi1, eta2, phi2 float64) float64 {
	dphi := math.Mod(phi2-phi1+3*math.Pi, 2*math.Pi) - math.Pi
	return math.Hypot(eta2-eta1, dphi)
}

func TestSortByDeltaRDecreasingAndPermutation(t *testing.T) {
	const nc = features.NumColumns
	rng := rand.New(rand.NewPCG(3, 4))
	src := randomEvent(rng, 120)
	dst := make([]float64, len(src))
	NewSequencer().SortByDeltaR(dst, src)
	lepEta, lepPhi := src[colEta], src[colPhi]
	prev := math.Inf(1)
	seen := map[float64]int{}
	for r := 0; r < features.NumParticles; r++ {
		d := deltaR(lepEta, lepPhi, dst[r*nc+colEta], dst[r*nc+colPhi])
		if d > prev+1e-12 {
			t.Fatalf("row %d: ΔR %v after %v: not decreasing", r, d, prev)
		}
		prev = d
		seen[dst[r*nc]]++
	}
	// Same multiset of rows (first column as a fingerprint).
	for r := 0; r < features.NumParticles; r++ {
		seen[src[r*nc]]--
	}
	for v, n := range seen {
		if n != 0 {
			t.Fatalf("row with first value %v appears %+d times more after sorting", v, n)
		}
	}
	// The lepton (ΔR 0) is last among non-padding rows... and padding rows (eta=phi=0) sit at ΔR to origin.
	if got := deltaR(lepEta, lepPhi, dst[(features.NumParticles-1)*nc+colEta], dst[(features.NumParticles-1)*nc+colPhi]); got != 0 && got > deltaR(lepEta, lepPhi, 0, 0) {
		t.Fatalf("last row ΔR %v", got)
	}
}

func TestStandardizeMeanZeroStdOneOrCentred(t *testing.T) {
	const nc = features.NumColumns
	rng := rand.New(rand.NewPCG(5, 6))
	x := randomEvent(rng, 50)
	for r := 0; r < features.NumParticles; r++ {
		x[r*nc+7] = 4.25 // a constant column: only centred
	}
	Standardize(x)
	for c := 0; c < nc; c++ {
		var s, ss float64
		for r := 0; r < features.NumParticles; r++ {
			s += x[r*nc+c]
		}
		mean := s / features.NumParticles
		for r := 0; r < features.NumParticles; r++ {
			ss += (x[r*nc+c] - mean) * (x[r*nc+c] - mean)
		}
		std := math.Sqrt(ss / features.NumParticles)
		if math.Abs(mean) > 1e-12 {
			t.Errorf("column %d: mean %v", c, mean)
		}
		want := 1.0
		if c == 7 {
			want = 0
		}
		if math.Abs(std-want) > 1e-12 {
			t.Errorf("column %d: std %v, want %v", c, std, want)
		}
	}
}

func TestOneHot(t *testing.T) {
	v := []float64{9, 9, 9}
	OneHot(v, 2)
	if v[0] != 0 || v[1] != 0 || v[2] != 1 {
		t.Fatalf("OneHot(2) = %v", v)
	}
}

func TestRowUniformDeterministicAndUniform(t *testing.T) {
	if rowUniform(42, 1, 2, streamKeep) != rowUniform(42, 1, 2, streamKeep) {
		t.Fatal("not deterministic")
	}
	if rowUniform(42, 1, 2, streamKeep) == rowUniform(42, 1, 2, streamSplit) {
		t.Fatal("streams not independent")
	}
	const n = 100000
	var bins [10]int
	for i := 0; i < n; i++ {
		u := rowUniform(7, i%13, i, streamSplit)
		if u < 0 || u >= 1 {
			t.Fatalf("u = %v out of [0,1)", u)
		}
		bins[int(u*10)]++
	}
	for i, b := range bins {
		if math.Abs(float64(b)-n/10) > 5*math.Sqrt(n/10) {
			t.Errorf("bin %d holds %d of %d", i, b, n)
		}
	}
}

func TestBucketRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b0")
	w, err := createBucket(path)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(8, 9))
	var want []row
	for i := 0; i < 20; i++ {
		r := row{Key: rng.Uint64(), Label: int64(i % 3), H: make([]float64, 14), L: randomEvent(rng, i*10)}
		for j := range r.H {
			r.H[j] = rng.NormFloat64()
		}
		want = append(want, r)
		if err := w.write(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	got, err := readBucket(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows back, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Key != want[i].Key || got[i].Label != want[i].Label || len(got[i].L) != len(want[i].L) {
			t.Fatalf("row %d header differs", i)
		}
		for j := range want[i].L {
			if got[i].L[j] != want[i].L[j] {
				t.Fatalf("row %d value %d: %v != %v", i, j, got[i].L[j], want[i].L[j])
			}
		}
		for j := range want[i].H {
			if got[i].H[j] != want[i].H[j] {
				t.Fatalf("row %d h %d differs", i, j)
			}
		}
	}
}
