// Package pipeline runs the pipeline's steps in order, as the demo does: generate events,
// ingest, prepare, train the three classifiers (and any extra ones asked for, such as the LSTM
// variants), evaluate them and write an HTML report.
// Each step's output is reused when an earlier run left it complete, so a second run (or a
// rerun after a crash) picks up where the last stopped.
package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gomlx/compute"
	"gonum.org/v1/plot/vg"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/ingest"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/report"
	"github.com/godltrigger/godltrigger/pkg/spec"
	"github.com/godltrigger/godltrigger/pkg/synth"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// DemoOptions configure RunDemo.
type DemoOptions struct {
	Out      string // output directory (default "demo-out")
	Events   int    // generated events per class (default 5000; 2000 with Quick)
	Quick    bool   // fewer events: about half a minute on 2 cores (see Plans)
	Seed     int64  // generation, sampling and training seed (default 42)
	Progress progress.Sink
	Log      io.Writer // step lines; nil discards

	// ExtraModels are further classifiers, by kind (e.g. models.KindInclusiveLSTM), that the
	// demo trains and reports after its own (see ExtraPlan); none by default.
	ExtraModels []models.Kind

	// Scale, for runs larger than the demo's (docs/RESULTS.md's full-scale comparison); the
	// zero values keep the plan of networkPlans.
	MaxParticles int  // particle rows the sequence classifiers read: 1..801, 801 all of them
	Epochs       int  // at most, for the sequence classifiers (the HLF one trains up to its plan's 60)
	Patience     int  // early-stopping patience of every network
	LRPatience   int  // > 0: reduce the learning rate on plateau after that many epochs (modeldir.Options)
	MaskPadding  bool // prepare with --mask-padding; the GRU classifiers train with length bucketing
}

// ModelPlan is how the demo trains one classifier.
type ModelPlan struct {
	Kind         models.Kind
	Title        string
	Epochs       int // at most
	MaxParticles int // the particles nearest the lepton; 0: all 801
	// Patience > 0 stops after that many epochs without a lower validation loss and serves
	// the best epoch's weights (modeldir.Options.EarlyStoppingPatience and RestoreBest).
	Patience int
}

// Plans returns the demo's training plan: the three networks, then the tree ensembles when
// XGBoost is compiled in, then the ExtraModels.
func (o DemoOptions) Plans() []ModelPlan {
	plans := append(o.networkPlans(), treePlans()...)
	for _, k := range o.ExtraModels {
		plans = append(plans, o.ExtraPlan(k))
	}
	return plans
}

// ExtraPlan is how the demo trains a classifier asked for in ExtraModels: as the demo's plan
// for the classifiers that read the same inputs (a sequence classifier as the particle one,
// another network as the HLF one; a tree ensemble with its defaults), titled by
// evaluate.ModelName.
func (o DemoOptions) ExtraPlan(kind models.Kind) ModelPlan {
	p := ModelPlan{Kind: kind, Title: evaluate.ModelName(kind)}
	if kind.Tree() {
		return p
	}
	like := models.KindHLF
	if models.DefaultConfig(kind).UsesSequence() {
		like = models.KindParticle
	}
	for _, q := range o.networkPlans() {
		if q.Kind == like {
			p.Epochs, p.MaxParticles, p.Patience = q.Epochs, q.MaxParticles, q.Patience
		}
	}
	return p
}

// Validate reports an ExtraModels entry that is not a classifier or that the demo trains
// already, and scale settings out of range.
func (o DemoOptions) Validate() error {
	switch {
	case o.MaxParticles < 0 || o.MaxParticles > models.MaxParticles:
		return fmt.Errorf("pipeline: %d particles: want 1 to %d (0: the demo's %d)", o.MaxParticles, models.MaxParticles, demoParticles)
	case o.Epochs < 0:
		return fmt.Errorf("pipeline: %d epochs: want 1 or more (0: the demo's)", o.Epochs)
	case o.Patience < 0 || o.LRPatience < 0:
		return fmt.Errorf("pipeline: patience %d, learning-rate patience %d: want 0 or more", o.Patience, o.LRPatience)
	}
	seen := map[models.Kind]bool{}
	for _, p := range append(o.networkPlans(), treePlans()...) {
		seen[p.Kind] = true
	}
	for _, k := range o.ExtraModels {
		if err := models.DefaultConfig(k).Validate(); err != nil {
			return fmt.Errorf("pipeline: extra model %q: %w", k, err)
		}
		if k.Tree() && !seen[k] && len(treePlans()) == 0 {
			return fmt.Errorf("pipeline: extra model %s: a tree ensemble needs a binary built with -tags xgboost", k)
		}
		if seen[k] {
			return fmt.Errorf("pipeline: extra model %s: the demo trains it already", k)
		}
		seen[k] = true
	}
	return nil
}

// ExtraNotes are what the report says beside the row of an extra model, by kind: the
// original's results for the classifiers the paper does not list.
var ExtraNotes = map[models.Kind]string{
	models.KindInclusiveLSTM: originalNote("with an LSTM(50) in place of the GRU", spec.OriginalInclusiveLSTM),
	models.KindInclusiveTransformer: originalNote("with 8-head self-attention over the 801 particle rows in place of the GRU "+
		"(no padding mask, no positional encoding)", spec.OriginalInclusiveTransformer),
}

// originalNote is the report's note on the original repository's variant v of the inclusive
// classifier, built as what.
func originalNote(what string, v spec.Variant) string {
	return fmt.Sprintf("The original repository also trained the inclusive classifier %s (Keras, 6 epochs, batch 128, "+
		"full dataset, %d parameters): accuracy %.4f, AUC %s/%s/%s %.4f/%.4f/%.4f.", what, v.Parameters, v.Accuracy,
		spec.Classes[0], spec.Classes[1], spec.Classes[2], v.AUC[0], v.AUC[1], v.AUC[2])
}

// networkPlans are the three networks. The sequence classifiers read the 20 particles
// nearest the lepton: on the generated events the nearest 50 or 100 gain little (a few
// thousandths of ttbar AUC) for 2.5 to 5 times the training time, the farthest 20, 50 or 100
// less (see docs/RESULTS.md). Early stopping ends each training when it stops improving.
// The scale fields of DemoOptions replace the plan's values.
func (o DemoOptions) networkPlans() []ModelPlan {
	hlfEpochs := 60
	if o.Quick {
		hlfEpochs = 40
	}
	plans := []ModelPlan{
		{models.KindHLF, "HLF classifier", hlfEpochs, 0, 5},
		{models.KindParticle, "Particle-sequence classifier (GRU)", 30, demoParticles, 3},
		{models.KindInclusive, "Inclusive classifier (GRU + HLF)", 30, demoParticles, 3},
	}
	for i := range plans {
		p := &plans[i]
		if o.Epochs > 0 && p.MaxParticles > 0 {
			p.Epochs = o.Epochs
		}
		if o.Patience > 0 {
			p.Patience = o.Patience
		}
		if o.MaxParticles > 0 && p.MaxParticles > 0 {
			p.MaxParticles = o.MaxParticles
		}
	}
	return plans
}

// demoParticles is how many particles, nearest the lepton, the demo's sequence classifiers read.
const demoParticles = 20

func (o *DemoOptions) normalize() {
	if o.Out == "" {
		o.Out = "demo-out"
	}
	if o.Events <= 0 {
		o.Events = 5000
		if o.Quick {
			o.Events = 2000
		}
	}
	if o.Seed == 0 {
		o.Seed = 42
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// Demo paths under the output directory.
const (
	EventsDir   = "events"
	IngestedDir = "ingested"
	PreparedDir = "prepared"
	ModelsDir   = "models"
	EvalDir     = "evaluation"
	ReportFile  = "report.html"
)

// RunDemo runs every step and writes Out/report.html. It returns the report's content.
func RunDemo(ctx context.Context, o DemoOptions) (*report.Demo, error) {
	o.normalize()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	d := &report.Demo{Title: "GoDLTrigger demo: topology classification on generated events", Created: time.Now()}
	step := func(name string, fn func() (detail string, reused bool, err error)) error {
		fmt.Fprintf(o.Log, "== %s\n", name)
		start := time.Now()
		detail, reused, err := fn()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		s := report.Step{Name: name, Duration: time.Since(start), Detail: detail, Reused: reused}
		d.Steps = append(d.Steps, s)
		state := s.Duration.Round(10 * time.Millisecond).String()
		if reused {
			state = "reused"
		}
		fmt.Fprintf(o.Log, "   %s (%s)\n", detail, state)
		return nil
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	events := filepath.Join(o.Out, EventsDir)
	ingested := filepath.Join(o.Out, IngestedDir)
	prepared := filepath.Join(o.Out, PreparedDir)

	if err := step("generate", func() (string, bool, error) {
		perFile := min(o.Events, synth.DefaultEventsPerFile)
		reused := generated(events, o.Events, perFile)
		if _, err := synth.Generate(ctx, events, synth.Options{Events: o.Events, Seed: o.Seed, EventsPerFile: perFile, Progress: o.Progress}); err != nil {
			return "", false, err
		}
		return fmt.Sprintf("%d events per class (qcd, ttbar, wjets), seed %d", o.Events, o.Seed), reused, nil
	}); err != nil {
		return nil, err
	}

	if err := step("ingest", func() (string, bool, error) {
		var samples []ingest.Sample
		for _, c := range synth.AllClasses() {
			samples = append(samples, ingest.Sample{Name: c.String(), Label: int64(c), Patterns: []string{filepath.Join(events, c.String())}})
		}
		sum, err := ingest.Run(ctx, ingest.Options{Out: ingested, Samples: samples, Progress: o.Progress, Logf: func(f string, a ...any) { fmt.Fprintf(o.Log, "   "+f+"\n", a...) }})
		if err != nil {
			return "", false, err
		}
		if sum.FilesDone == 0 {
			return fmt.Sprintf("%d files already ingested", sum.Files), true, nil
		}
		return fmt.Sprintf("%d events read, selected qcd %d, ttbar %d, wjets %d (%.0f events/s)", sum.Events, sum.Selected[0], sum.Selected[1], sum.Selected[2], sum.Rate()), false, nil
	}); err != nil {
		return nil, err
	}

	if err := step("prepare", func() (string, bool, error) {
		popts := prep.Options{In: ingested, Out: prepared, Seed: o.Seed, MaskPadding: o.MaskPadding, Progress: o.Progress, Logf: func(f string, a ...any) { fmt.Fprintf(o.Log, "   "+f+"\n", a...) }}
		if reuse, err := prep.Reuse(popts); err != nil || reuse {
			return "datasets already prepared", reuse, err
		}
		sum, err := prep.Run(ctx, popts)
		if err != nil {
			return "", false, err
		}
		var tr, te int64
		for l := range sum.Train {
			tr += sum.Train[l]
			te += sum.Test[l]
		}
		return fmt.Sprintf("balanced to %d rows per class; %d train, %d test rows", minCount(sum.In), tr, te), false, nil
	}); err != nil {
		return nil, err
	}

	backend, line, err := modeldir.NewBackend(o.Log)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	defer backend.Finalize()
	d.Backend = strings.TrimPrefix(strings.SplitN(line, "\n", 2)[0], "backend: ") // the hint line stays in the log

	for _, p := range o.Plans() {
		dir := filepath.Join(o.Out, ModelsDir, string(p.Kind))
		if err := step("train "+string(p.Kind), func() (string, bool, error) {
			return trainModel(ctx, backend, p, o, prepared, dir)
		}); err != nil {
			return nil, err
		}
		var m report.Model
		if err := step("evaluate "+string(p.Kind), func() (string, bool, error) {
			var err error
			m, err = evaluateModel(ctx, backend, p, dir, prepared, filepath.Join(o.Out, EvalDir, string(p.Kind)))
			if err != nil {
				return "", false, err
			}
			return fmt.Sprintf("ttbar AUC %.4f, accuracy %.4f on %d test events", m.Metrics.AUC[spec.Classes[spec.TTbar]], m.Metrics.Accuracy, m.Metrics.Events), false, nil
		}); err != nil {
			return nil, err
		}
		d.Models = append(d.Models, m)
	}
	if d.ROC, err = compareROC(d.Models, filepath.Join(o.Out, EvalDir)); err != nil {
		return nil, err
	}
	d.Truncation = truncationOf(o.Plans())
	d.Ordering = report.CompareOrdering(d.Models, fmt.Sprintf("%d generated events per class, trained as the table says", o.Events))
	d.Notes = append(d.Notes, fmt.Sprintf("The paper's values were measured on the full dataset (3.4 M training events of the "+
		"full Delphes simulation, 801 particles per event); this demo trains on %d generated events per class, on the particles "+
		"stated above, for a few epochs: its digits are not the paper's.", o.Events))
	if len(treePlans()) > 0 {
		d.Notes = append(d.Notes, TreesNote)
	}
	for _, k := range o.ExtraModels {
		if note, ok := ExtraNotes[k]; ok {
			d.Notes = append(d.Notes, note)
		}
	}
	if err := report.Write(filepath.Join(o.Out, ReportFile), d); err != nil {
		return nil, err
	}
	return d, nil
}

// ROCFile is the plot of the ttbar selectors' ROC curves of every classifier, in EvalDir.
const ROCFile = "roc_ttbar"

// compareROC draws the ttbar selectors' ROC curves of the evaluated models in one plot
// (background contamination on a log scale, where the classifiers differ) into dir, and
// returns the PNG's path; "" for fewer than two models.
func compareROC(ms []report.Model, dir string) (string, error) {
	var curves []*evaluate.ROC
	var names []string
	paper := map[string]float64{}
	for _, m := range ms {
		if m.Metrics == nil || len(m.Metrics.Curves) <= spec.TTbar {
			continue
		}
		curves = append(curves, m.Metrics.Curves[spec.TTbar])
		names = append(names, m.Title)
		if a, ok := report.PaperAUC[m.Kind]; ok {
			paper[m.Title] = a
		}
	}
	if len(curves) < 2 {
		return "", nil
	}
	p, err := evaluate.ROCPlot(curves, evaluate.ROCPlotOptions{Title: "tt selector: the classifiers compared",
		Classes: names, Highlight: []int{}, ReferenceAUC: paper, LogFPR: true})
	if err != nil {
		return "", fmt.Errorf("pipeline: %w", err)
	}
	paths, err := evaluate.SavePlot(p, dir, ROCFile, 7*vg.Inch, 5*vg.Inch)
	if err != nil {
		return "", fmt.Errorf("pipeline: %w", err)
	}
	return paths[0], nil
}

func minCount(m map[int64]int64) int64 {
	first := true
	var lo int64
	for _, n := range m {
		if first || n < lo {
			lo, first = n, false
		}
	}
	return lo
}

// generated reports whether every file Generate would write is already there.
func generated(dir string, events, perFile int) bool {
	n := (events + perFile - 1) / perFile
	for _, c := range synth.AllClasses() {
		for i := 0; i < n; i++ {
			if _, err := os.Stat(synth.FileName(dir, c, i)); err != nil {
				return false
			}
		}
	}
	return true
}

// trainModel trains one plan, resuming an interrupted run and reusing a finished one.
func trainModel(ctx context.Context, backend compute.Backend, p ModelPlan, o DemoOptions, prepared, dir string) (string, bool, error) {
	if p.Kind.Tree() {
		return trainTreeModel(ctx, p, o, prepared, dir)
	}
	data := dataFor(p.Kind)
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.Seed, opts.MaxParticles = p.Epochs, o.Seed, p.MaxParticles
	opts.EarlyStoppingPatience, opts.RestoreBest = p.Patience, p.Patience > 0
	opts.LRPlateauPatience = o.LRPatience
	opts.BucketByLength = o.MaskPadding && p.Kind.RecurrentLayer() != ""
	cfg := models.DefaultConfig(p.Kind)
	if p.MaxParticles > 0 && p.MaxParticles < 200 {
		cfg.FlushGradBelow = 0 // the flush only pays on long sequences
	}
	// TrainDatasets reads the scaler beside the datasets and the padding masking they record.
	// Everything but the number of epochs is restated: a rerun with other scale flags neither
	// resumes nor reuses a model trained otherwise.
	job := train.DatasetJob{Dir: dir, TrainDir: filepath.Join(prepared, data.train), TestDir: filepath.Join(prepared, data.test),
		Model: cfg, Options: opts, Backend: backend, Progress: o.Progress,
		Restated: &train.Restated{Kind: p.Kind, Options: opts}}
	job.Restated.GiveAll("the demo's plan and flags")
	hist, err := modeldir.ReadHistory(dir)
	if err != nil {
		return "", false, err
	}
	if hist.Complete(p.Epochs) {
		if err := job.CheckRestated(); err != nil {
			return "", false, err
		}
		return setupOf(p, hist) + " (already trained)", true, nil
	}
	job.Resume = hist.Epochs() > 0
	if hist, err = train.TrainDatasets(ctx, job); err != nil {
		return "", false, err
	}
	served := hist.ServedEpoch(opts) - 1
	return fmt.Sprintf("%s: val_loss %.4f, val_accuracy %.4f", setupOf(p, hist), hist.ValLoss[served], hist.ValAccuracy[served]), false, nil
}

// setupOf describes how a plan trained (as hist says), for logs and the report.
func setupOf(p ModelPlan, hist *modeldir.History) string {
	if p.Kind.Tree() {
		return treeSetup(p.Kind)
	}
	s := fmt.Sprintf("%d epochs, batch %d", hist.Epochs(), modeldir.DefaultOptions().BatchSize)
	if hist.StoppedEpoch > 0 && hist.Epochs() < p.Epochs {
		s = fmt.Sprintf("%d of %d epochs (early stopping), batch %d", hist.Epochs(), p.Epochs, modeldir.DefaultOptions().BatchSize)
	}
	if p.Patience > 0 && hist.BestEpoch > 0 {
		s += fmt.Sprintf(", weights of epoch %d (lowest val_loss)", hist.BestEpoch)
	}
	if models.DefaultConfig(p.Kind).UsesSequence() {
		s += ", " + particlesOf(p)
	}
	return s
}

// particlesOf says which particles a plan's classifier reads.
func particlesOf(p ModelPlan) string {
	if p.MaxParticles <= 0 || p.MaxParticles >= models.MaxParticles {
		return fmt.Sprintf("all %d particle rows", models.MaxParticles)
	}
	return fmt.Sprintf("the %d particles nearest the lepton (of %d rows)", p.MaxParticles, models.MaxParticles)
}

// truncationOf states, for the report, which particles the sequence classifiers of plans read.
func truncationOf(plans []ModelPlan) string {
	var parts []string
	truncated := false
	for _, p := range plans {
		if models.DefaultConfig(p.Kind).UsesSequence() {
			parts = append(parts, fmt.Sprintf("the %s classifier reads %s", p.Kind, particlesOf(p)))
			truncated = truncated || (p.MaxParticles > 0 && p.MaxParticles < models.MaxParticles)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	s := "Particle sequences: " + strings.Join(parts, "; ") + "."
	if truncated {
		s += fmt.Sprintf(" The preparation step sorts an event's %d rows by ΔR to the lepton, decreasing, so these are "+
			"the last rows of the sequence, the lepton last (--max-particles of 'dltrigger train'); the paper's classifiers read all %d.",
			models.MaxParticles, models.MaxParticles)
	}
	return s
}

type datasets struct{ train, test string }

// dataFor picks the smallest prepared dataset holding a model's inputs.
func dataFor(k models.Kind) datasets {
	if k == models.KindHLF || k.Tree() {
		return datasets{prep.TrainHLF, prep.TestHLF}
	}
	return datasets{prep.TrainInclusive, prep.TestInclusive}
}
