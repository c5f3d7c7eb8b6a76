package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// engineResult is one engine's timings of one classifier.
type engineResult struct {
	Latency    []time.Duration // one per batch-1 call
	Throughput map[int]float64 // events/s by batch size
}

// percentile is the nearest-rank p-quantile (0 < p <= 1) of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

// window says how long to time each case.
type window struct {
	LatencyRuns int           // batch-1 calls, after one warm-up call
	MinTime     time.Duration // per throughput case, after one warm-up call
	MinRuns     int           // per throughput case at least
}

// makeModel trains a classifier of kind for one epoch on a few synthetic rows (the timings do
// not depend on the weights' values; 8 particles keep the training graph small) and returns
// the model directory.
func makeModel(ctx context.Context, backend compute.Backend, kind models.Kind, dir string) (string, error) {
	d := train.SyntheticData(32, 8, 1)
	src, err := train.NewMemorySource(d)
	if err != nil {
		return "", err
	}
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize = 1, 16
	cfg := models.DefaultConfig(kind)
	cfg.FlushGradBelow = 0 // short sequences train faster without it
	dir = filepath.Join(dir, string(kind))
	if _, err := train.Train(ctx, train.Job{Dir: dir, Model: cfg, Options: opts, Train: src, Validation: src, Backend: backend}); err != nil {
		return "", fmt.Errorf("train %s: %w", kind, err)
	}
	return dir, nil
}

// benchData is n events of particles rows: high-level features in [0, 1) and particle rows
// drawn from N(0, 1), none all-zero, as in GRU_input prepared by the specification (its
// standardization leaves no zero rows), so every engine runs every step.
func benchData(n, particles int, seed uint64) modeldir.Data {
	rng := rand.New(rand.NewPCG(seed, 3))
	d := modeldir.Data{SeqLen: particles, Labels: make([]int, n),
		HLF: make([]float32, n*models.NumHLF), Seq: make([]float32, n*particles*models.NumFeatures)}
	for i := range d.HLF {
		d.HLF[i] = rng.Float32()
	}
	for i := range d.Seq {
		d.Seq[i] = float32(rng.NormFloat64())
	}
	return d
}

// rows returns rows [start, start+n) of d.
func rows(d modeldir.Data, start, n int) modeldir.Data {
	s := d.SeqLen * models.NumFeatures
	return modeldir.Data{SeqLen: d.SeqLen, Labels: d.Labels[start : start+n],
		HLF: d.HLF[start*models.NumHLF : (start+n)*models.NumHLF], Seq: d.Seq[start*s : (start+n)*s]}
}

// timeGo times the model directory's Predictor on backend: batch-1 calls on successive rows
// of d, then repeated calls on the first b rows for each batch size b.
func timeGo(ctx context.Context, dir string, backend compute.Backend, d modeldir.Data, batches []int, w window) (engineResult, error) {
	p, err := modeldir.Load(dir, backend)
	if err != nil {
		return engineResult{}, err
	}
	defer p.Close()
	r := engineResult{Throughput: map[int]float64{}}
	n := len(d.Labels)
	if _, err := p.Predict(rows(d, 0, 1)); err != nil { // compiles the batch-1 graph
		return r, err
	}
	for i := 0; i < w.LatencyRuns; i++ {
		row := rows(d, i%n, 1)
		start := time.Now()
		if _, err := p.Predict(row); err != nil {
			return r, err
		}
		r.Latency = append(r.Latency, time.Since(start))
	}
	for _, b := range batches {
		if b > n {
			return r, fmt.Errorf("batch %d > %d rows", b, n)
		}
		batch := rows(d, 0, b)
		if _, err := p.Predict(batch); err != nil { // compiles this batch size
			return r, err
		}
		runs, start := 0, time.Now()
		for runs < w.MinRuns || time.Since(start) < w.MinTime {
			if err := ctx.Err(); err != nil {
				return r, err
			}
			if _, err := p.Predict(batch); err != nil {
				return r, err
			}
			runs++
		}
		r.Throughput[b] = float64(runs*b) / time.Since(start).Seconds()
	}
	return r, nil
}

// tableRow is one line of the report.
type tableRow struct {
	Model   models.Kind
	Engine  string
	Threads int
	engineResult
}

// writeTable prints the rows, then for each classifier the ratios of ONNX Runtime over the
// first engine (GoMLX on its default backend): latency ours/ORT, throughput ORT/ours.
func writeTable(w io.Writer, rowsOut []tableRow, batches []int) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"model", "engine", "threads", "p50 b=1 (ms)", "p99 b=1 (ms)"}
	for _, b := range batches {
		head = append(head, fmt.Sprintf("events/s b=%d", b))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	ms := func(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()*1e3) }
	for _, r := range rowsOut {
		cells := []string{string(r.Model), r.Engine, fmt.Sprint(r.Threads), ms(percentile(r.Latency, 0.5)), ms(percentile(r.Latency, 0.99))}
		for _, b := range batches {
			cells = append(cells, fmt.Sprintf("%.0f", r.Throughput[b]))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for i, r := range rowsOut {
		if !strings.HasPrefix(r.Engine, "onnxruntime") {
			continue
		}
		var ours *tableRow
		for j := i - 1; j >= 0 && rowsOut[j].Model == r.Model; j-- {
			ours = &rowsOut[j]
		}
		if ours == nil {
			continue
		}
		line := fmt.Sprintf("%s: %s vs %s: p50 latency x%.2f", r.Model, r.Engine, ours.Engine,
			percentile(ours.Latency, 0.5).Seconds()/percentile(r.Latency, 0.5).Seconds())
		for _, b := range batches {
			line += fmt.Sprintf(", throughput b=%d x%.2f", b, r.Throughput[b]/ours.Throughput[b])
		}
		if _, err := fmt.Fprintln(w, line+" (x > 1: ONNX Runtime faster)"); err != nil {
			return err
		}
	}
	return nil
}
