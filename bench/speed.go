package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// SpeedOptions configure CompareSpeed.
type SpeedOptions struct {
	Torch *Torch
	// Backends run our models, each case on each of them; nil: the one modeldir.NewBackend
	// chooses.
	Backends []compute.Backend
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
	SeqLen   int         // 0 for the HLF classifier
	Ours     []Rate      // one per backend (SpeedReport.Backends)
	Torch    []TorchRate // one per SpeedOptions.Threads entry
	LoadGo   [3]float64  // load averages (1, 5, 15 min) read after our cases
	TorchTag string      // torch version, flush-denormal, GRU or LSTM masking implementation
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

// Ratio is our rate on backend i over the fastest PyTorch rate.
func (r SpeedRow) Ratio(i int) float64 { return r.Ours[i].RowsPerSec / r.BestTorch().RowsPerSec }

// SpeedReport is the result of CompareSpeed.
type SpeedReport struct {
	Backends []string // kernel families (modeldir.KernelFamily), in the order of SpeedRow.Ours
	Rows     []SpeedRow
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
		o.SeqLens = []int{50, 200, models.MaxParticles}
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
	if o.Backends == nil {
		b, _, err := modeldir.NewBackend(nil)
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		o.Backends = []compute.Backend{b}
	}
	for _, b := range o.Backends {
		rep.Backends = append(rep.Backends, modeldir.KernelFamily(b))
	}
	opts := modeldir.DefaultOptions()
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
			for i, b := range o.Backends {
				fmt.Fprintf(o.Log, "bench: %s seq %d: ours on %s...\n", kind, s, rep.Backends[i])
				r, err := GoTrainRate(b, models.DefaultConfig(kind), opts, s, w)
				if err != nil {
					return nil, fmt.Errorf("%w (on %s)", err, rep.Backends[i])
				}
				row.Ours = append(row.Ours, r)
				fmt.Fprintf(o.Log, "bench: %s seq %d: ours on %s %.0f rows/s (first step, compile included: %.1f s)\n",
					kind, s, rep.Backends[i], r.RowsPerSec, r.FirstStep.Seconds())
			}
			row.LoadGo = LoadAverage()
			fmt.Fprintf(o.Log, "bench: %s seq %d: PyTorch...\n", kind, s)
			for _, th := range o.Threads {
				t, err := torchRate(ctx, o, kind, s, th, w, opts.Seed)
				if err != nil {
					return nil, err
				}
				row.Torch = append(row.Torch, TorchRate{Threads: th, Load: LoadAverage(),
					Rate: Rate{RowsPerSec: t.RowsPerS, Steps: t.Steps, Seconds: t.Seconds}})
				row.TorchTag = fmt.Sprintf("torch %s, flush-denormal %v, OMP_WAIT_POLICY=%s", t.Version, t.FlushDenormal, t.OMPWait)
				if t.GRUImpl != "" {
					row.TorchTag += ", " + strings.ToUpper(kind.RecurrentLayer()) + " " + t.GRUImpl
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

// WriteTable prints the report: one line per case with our rate on each backend, PyTorch's
// per thread count, the ratio of each backend to the fastest PyTorch, the first step of each
// backend (graph compile or ONNX Runtime session included), the timed steps and the load
// averages after each timing.
func (r *SpeedReport) WriteTable(w io.Writer) error {
	for i, b := range r.Backends {
		fmt.Fprintf(w, "ours %d:  %s\n", i+1, b)
	}
	if len(r.Rows) == 0 {
		return nil
	}
	var tags []string // one per distinct setting (the GRU and LSTM cases name their layer)
	for _, row := range r.Rows {
		if !slices.Contains(tags, row.TorchTag) {
			tags = append(tags, row.TorchTag)
		}
	}
	fmt.Fprintf(w, "pytorch: %s\n", strings.Join(tags, "; "))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "model\tseq"
	for i := range r.Backends {
		head += fmt.Sprintf("\tours %d rows/s", i+1)
	}
	for _, t := range r.Rows[0].Torch {
		head += fmt.Sprintf("\tpt %dthr rows/s", t.Threads)
	}
	for i := range r.Backends {
		head += fmt.Sprintf("\tours %d/best pt\tours %d 1st step", i+1, i+1)
	}
	fmt.Fprintln(tw, head+"\tsteps ours/pt\tload after ours\tload after pt\t")
	for _, row := range r.Rows {
		seq := "-"
		if row.SeqLen > 0 {
			seq = strconv.Itoa(row.SeqLen)
		}
		line := fmt.Sprintf("%s\t%s", row.Model, seq)
		steps, loads := "", ""
		for _, o := range row.Ours {
			line += fmt.Sprintf("\t%.1f", o.RowsPerSec)
			steps += fmt.Sprintf("/%d", o.Steps)
		}
		for _, t := range row.Torch {
			line += fmt.Sprintf("\t%.1f", t.RowsPerSec)
			loads += " | " + fmtLoad(t.Load)
		}
		for i, o := range row.Ours {
			line += fmt.Sprintf("\t%.2fx\t%.1fs", row.Ratio(i), o.FirstStep.Seconds())
		}
		for _, t := range row.Torch {
			steps += fmt.Sprintf("/%d", t.Steps)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", line, steps[1:], fmtLoad(row.LoadGo), loads[3:])
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
