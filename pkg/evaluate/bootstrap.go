package evaluate

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Bootstrap configures the confidence intervals: Resamples resamples of the
// events with replacement (0: no intervals), drawn from a PCG generator
// seeded with Seed, so a run is reproducible. Intervals are percentile
// intervals: 68% = [16th, 84th] and 95% = [2.5th, 97.5th] percentiles.
type Bootstrap struct {
	Resamples int    `json:"resamples"`
	Seed      uint64 `json:"seed"`
}

// DefaultBootstrap returns 200 resamples with seed 42.
func DefaultBootstrap() Bootstrap { return Bootstrap{Resamples: 200, Seed: 42} }

// resample runs cfg.Resamples bootstrap resamples of the ranked events and
// calls stat with each resample's ROC curve; stat writes one value per
// statistic into out (NaN when undefined). It returns, per statistic, the
// values over the resamples.
//
// A resample draws n events with replacement; it is represented by the
// count of each ranked event, so the curve is rebuilt by one pass over the
// already sorted events (O(n) per resample, no sort). Resample b uses the
// generator PCG(Seed, b).
func (rk *ranked) resample(cfg Bootstrap, nStats int, stat func(r *ROC, out []float64)) [][]float64 {
	n := len(rk.score)
	samples := make([][]float64, nStats)
	for i := range samples {
		samples[i] = make([]float64, 0, cfg.Resamples)
	}
	counts := make([]int32, n)
	out := make([]float64, nStats)
	r := &ROC{}
	for b := range cfg.Resamples {
		clear(counts)
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(b)))
		for range n {
			counts[rng.IntN(n)]++
		}
		rk.curve(counts, r)
		for i := range out {
			out[i] = math.NaN()
		}
		if r.Len() > 0 {
			stat(r, out)
		}
		for i, v := range out {
			samples[i] = append(samples[i], v)
		}
	}
	return samples
}

// withCI returns the Estimate of value with percentile intervals from the
// bootstrap values; NaN values (resamples where the statistic is undefined)
// are ignored.
func withCI(value float64, values []float64) Estimate {
	e := pointEstimate(value)
	v := make([]float64, 0, len(values))
	for _, x := range values {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return e
	}
	slices.Sort(v)
	e.CI68 = [2]float64{quantile(v, 0.16), quantile(v, 0.84)}
	e.CI95 = [2]float64{quantile(v, 0.025), quantile(v, 0.975)}
	return e
}

// quantile returns the q-quantile of sorted values, interpolating linearly
// between order statistics (the default of R and NumPy).
func quantile(sorted []float64, q float64) float64 {
	h := q * float64(len(sorted)-1)
	lo := int(math.Floor(h))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	a, b := sorted[lo], sorted[lo+1]
	f := h - float64(lo)
	if a == b || f == 0 {
		return a
	}
	return a + f*(b-a)
}
