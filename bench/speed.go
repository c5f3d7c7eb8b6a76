package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// SpeedOptions configure CompareSpeed.
type SpeedOptions struct {
	Torch   *Torch
	Backend compute.Backend // runs our models; nil: train.NewBackend
	// Models are the classifiers to time; nil means hlf and particle. Sequence models run once
	// per entry of SeqLens (nil: 50, 200, 801).
	Models  []models.Kind
	SeqLens []int
	Batch   int // rows per step; 0: 128
	// Threads are the PyTorch thread counts to time, each case once per entry (nil: 2 and 1).
	// On a loaded machine PyTorch's 2-thread runs can collapse (its workers spin-wait for a
	// core that another process holds) while 1 thread holds up: the ratio is taken against the
	// fastest of them.
	Threads []int
	// Window times each case; LongWindow replaces it for sequences of at least LongSeq
	// particles (one short window of a few steps is enough at 801).
	Window     Window
	LongWindow Window
	LongSeq    int
	GRUImpl    string    // PyTorch GRU masking implementation (torch_twin.py --gru-impl); "": fused
	Log        io.Writer // progress lines; nil writes nothing
}

// SpeedRow is one case of a speed comparison.
type SpeedRow struct {
	Model    models.Kind
	SeqLen   int // 0 for the HLF classifier
	Ours     Rate
	Torch    []TorchRate // one per SpeedOptions.Threads entry
	LoadGo   [3]float64  // load averages (1, 5, 15 min) read after our case
	TorchTag string      // torch version, flush-denormal, GRU implementation
}

// TorchRate is one PyTorch timing of a case.
type TorchRate struct {
	Threads int
	Rate
	Load [3]float64 // load averages read after it
}

// BestTorch is the fastest PyTorch timing of the case.
func (r SpeedRow) BestTorch() TorchRate {
	var best TorchRate
	for _, t := range r.Torch {
		if t.RowsPerSec > best.RowsPerSec {
			best = t
		}
	}
	return best
}

// Ratio is our rate over the fastest PyTorch rate.
func (r SpeedRow) Ratio() float64 { return r.Ours.RowsPerSec / r.BestTorch().RowsPerSec }

// SpeedReport is the result of CompareSpeed.
type SpeedReport struct {
	Backend string
	Rows    []SpeedRow
}

// torchSpeed is one line of torch_twin.py speed.
type torchSpeed struct {
	Model         string  `json:"model"`
	SeqLen        int     `json:"seq_len"`
	RowsPerS      float64 `json:"rows_per_s"`
	Steps         int     `json:"steps"`
	Seconds       float64 `json:"seconds"`
	GRUImpl       string  `json:"gru_impl"`
	Threads       int     `json:"threads"`
	FlushDenormal bool    `json:"flush_denormal"`
	Version       string  `json:"torch"`
	OMPWait       string  `json:"omp_wait_policy"`
}

// CompareSpeed times training of our classifiers and of their PyTorch twins case by case,
// alternating in one run on the same CPU: same shapes, batch, Adam settings and synthetic
// batches drawn the same way. It measures and reports; it judges nothing.
func CompareSpeed(ctx context.Context, o SpeedOptions) (*SpeedReport, error) {
	if o.Torch == nil {
		return nil, fmt.Errorf("bench: speed comparison needs a Torch")
	}
	if o.Models == nil {
		o.Models = []models.Kind{models.KindHLF, models.KindParticle}
	}
	if o.SeqLens == nil {
		o.SeqLens = []int{50, 200, 801}
	}
	if o.Batch <= 0 {
		o.Batch = 128
	}
	if o.Threads == nil {
		o.Threads = []int{2, 1}
	}
	if o.GRUImpl == "" {
		o.GRUImpl = "fused"
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	rep := &SpeedReport{}
	if o.Backend == nil {
		b, line, err := train.NewBackend(nil)
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		o.Backend, rep.Backend = b, line
	} else {
		rep.Backend = o.Backend.Name()
	}
	opts := train.DefaultOptions()
	opts.BatchSize = o.Batch
	for _, kind := range o.Models {
		lens := o.SeqLens
		if kind == models.KindHLF {
			lens = []int{0}
		}
		for _, s := range lens {
			w := o.Window
			if o.LongSeq > 0 && s >= o.LongSeq {
				w = o.LongWindow
			}
			row := SpeedRow{Model: kind, SeqLen: s}
			fmt.Fprintf(o.Log, "bench: %s seq %d: ours...\n", kind, s)
			r, err := GoTrainRate(o.Backend, models.DefaultConfig(kind), opts, s, w)
			if err != nil {
				return nil, err
			}
			row.Ours, row.LoadGo = r, LoadAverage()
			fmt.Fprintf(o.Log, "bench: %s seq %d: ours %.0f rows/s; PyTorch...\n", kind, s, r.RowsPerSec)
			for _, th := range o.Threads {
				t, err := torchRate(ctx, o, kind, s, th, w, opts.Seed)
				if err != nil {
					return nil, err
				}
				row.Torch = append(row.Torch, TorchRate{Threads: th, Load: LoadAverage(),
					Rate: Rate{RowsPerSec: t.RowsPerS, Steps: t.Steps, Seconds: t.Seconds}})
				row.TorchTag = fmt.Sprintf("torch %s, flush-denormal %v, OMP_WAIT_POLICY=%s", t.Version, t.FlushDenormal, t.OMPWait)
				if t.GRUImpl != "" {
					row.TorchTag += ", GRU " + t.GRUImpl
				}
				fmt.Fprintf(o.Log, "bench: %s seq %d: PyTorch %d threads %.0f rows/s\n", kind, s, th, t.RowsPerS)
			}
			rep.Rows = append(rep.Rows, row)
		}
	}
	return rep, nil
}

// torchRate times one case with the twin script.
func torchRate(ctx context.Context, o SpeedOptions, kind models.Kind, seqLen, threads int, w Window, seed int64) (torchSpeed, error) {
	args := []string{"speed", "--model", string(kind), "--batch", strconv.Itoa(o.Batch),
		"--threads", strconv.Itoa(threads), "--seed", strconv.FormatInt(seed, 10),
		"--min-time", fmt.Sprint(w.MinTime.Seconds()), "--min-steps", strconv.Itoa(w.MinSteps),
		"--max-steps", strconv.Itoa(w.MaxSteps), "--warmup", strconv.Itoa(max(w.Warmup, 1)),
		"--gru-impl", o.GRUImpl}
	if kind != models.KindHLF {
		args = append(args, "--seq-lens", strconv.Itoa(seqLen))
	}
	res, err := runTwin[torchSpeed](ctx, o.Torch, args...)
	if err != nil {
		return torchSpeed{}, err
	}
	t := res[0]
	if t.Model != string(kind) || t.RowsPerS <= 0 || t.Threads != threads {
		return torchSpeed{}, fmt.Errorf("bench: torch_twin.py speed answered %+v for %s seq %d, %d threads", t, kind, seqLen, threads)
	}
	return t, nil
}

// WriteTable prints the report: one line per case with our rate, PyTorch's per thread count,
// the ratio ours / fastest PyTorch, the timed steps and the load averages after each timing.
func (r *SpeedReport) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "ours:    %s\n", strings.TrimPrefix(r.Backend, "backend: "))
	if len(r.Rows) == 0 {
		return nil
	}
	fmt.Fprintf(w, "pytorch: %s\n", r.Rows[len(r.Rows)-1].TorchTag)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "model\tseq\tours rows/s"
	for _, t := range r.Rows[0].Torch {
		head += fmt.Sprintf("\tpt %dthr rows/s", t.Threads)
	}
	head += "\tours/best pt"
	for _, t := range r.Rows[0].Torch {
		head += fmt.Sprintf("\tours/pt %dthr", t.Threads)
	}
	fmt.Fprintln(tw, head+"\tsteps ours/pt\tload after ours\tload after pt\t")
	for _, row := range r.Rows {
		seq := "-"
		if row.SeqLen > 0 {
			seq = strconv.Itoa(row.SeqLen)
		}
		line := fmt.Sprintf("%s\t%s\t%.1f", row.Model, seq, row.Ours.RowsPerSec)
		steps, loads := "", ""
		for _, t := range row.Torch {
			line += fmt.Sprintf("\t%.1f", t.RowsPerSec)
			steps += fmt.Sprintf("/%d", t.Steps)
			loads += " | " + fmtLoad(t.Load)
		}
		line += fmt.Sprintf("\t%.2fx", row.Ratio())
		for _, t := range row.Torch {
			line += fmt.Sprintf("\t%.2fx", row.Ours.RowsPerSec/t.RowsPerSec)
		}
		fmt.Fprintf(tw, "%s\t%d%s\t%s\t%s\t\n", line, row.Ours.Steps, steps, fmtLoad(row.LoadGo), loads[3:])
	}
	return tw.Flush()
}

func fmtLoad(l [3]float64) string { return fmt.Sprintf("%.2f %.2f %.2f", l[0], l[1], l[2]) }

// LoadAverage reads the 1, 5 and 15 minute load averages from /proc/loadavg (zeros where it
// cannot be read): the machine is shared, so timings are reported next to it.
func LoadAverage() [3]float64 {
	var l [3]float64
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return l
	}
	f := strings.Fields(string(b))
	for i := 0; i < 3 && i < len(f); i++ {
		l[i], _ = strconv.ParseFloat(f[i], 64)
	}
	return l
}

// DefaultWindows are the timing windows of the record runs: 5 s per case, and at 801
// particles 3 steps after one warm-up step.
func DefaultWindows() (normal, long Window, longSeq int) {
	return Window{MinTime: 5 * time.Second, MinSteps: 5, Warmup: 2},
		Window{MinSteps: 3, MaxSteps: 3, Warmup: 1}, 400
}
