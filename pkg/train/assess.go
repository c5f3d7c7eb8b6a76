package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// ReferenceAUC is the published ttbar-selector AUC of each classifier (PIPELINE.md,
// "Reference results"; the LSTM and Transformer variants of the inclusive classifier from the
// original repository's notebooks), 0 for a kind without one.
func ReferenceAUC(kind models.Kind) float64 {
	switch kind {
	case models.KindHLF:
		return spec.ReferenceAUCHLF
	case models.KindParticle:
		return spec.ReferenceAUCParticle
	case models.KindInclusive:
		return spec.ReferenceAUCInclusive
	case models.KindInclusiveLSTM:
		return spec.ReferenceAUCInclusiveLSTM
	case models.KindInclusiveTransformer:
		return spec.ReferenceAUCInclusiveTransformer
	}
	return 0
}

// ModelName is the classifier's name in reports and plot titles, e.g. "HLF classifier".
func ModelName(kind models.Kind) string {
	switch kind {
	case models.KindHLF:
		return "HLF classifier"
	case models.KindParticle:
		return "Particle-sequence classifier"
	case models.KindInclusive:
		return "Inclusive classifier"
	case models.KindInclusiveTransformer:
		return "Inclusive classifier (Transformer)"
	case models.KindInclusiveTransformerMasked:
		return "Inclusive classifier (masked Transformer)"
	case models.KindParticleLSTM:
		return "Particle-sequence classifier (LSTM)"
	case models.KindInclusiveLSTM:
		return "Inclusive classifier (LSTM)"
	case models.KindXGBoost:
		return "XGBoost classifier"
	case models.KindRF:
		return "Random forest classifier"
	}
	return string(kind) + " classifier"
}

// EvaluateOptions tune EvaluateModel.
type EvaluateOptions struct {
	// Reference adds the published ttbar AUC of the model's kind to the ROC legend.
	Reference bool
	Trigger   evaluate.TriggerConfig
	Backend   compute.Backend // nil: NewBackend
	Progress  progress.Sink
}

// EvaluateModel predicts the labelled test dataset testDir with the model of modelDir and
// writes, in outDir, metrics.json (accuracy, per-class AUC, confusion matrix normalised per
// true class, trigger metrics of the ttbar and wjets selectors) and the plots as PNG and
// SVG: loss and accuracy per epoch (from history.json), the ROC curves of the three classes
// (ttbar highlighted) and the confusion matrix. The test rows are streamed.
func EvaluateModel(ctx context.Context, modelDir, testDir, outDir string, opts EvaluateOptions) (*evaluate.Report, error) {
	pred, err := LoadPredictor(modelDir, opts.Backend)
	if err != nil {
		return nil, err
	}
	defer pred.Close()
	kind := pred.Info.Model.Kind
	plan, err := planData(testDir, DataConfig{Kind: kind, MaxParticles: pred.Info.Options.MaxParticles, Truncate: pred.Info.Options.Truncation()}, true)
	if err != nil {
		return nil, err
	}
	n := plan.rows()
	probs := make([]float64, 0, n*models.NumClasses)
	labels := make([]int, 0, n)
	bar := progress.NewBar(opts.Progress, "evaluate", "rows", int64(n))
	err = predictPlan(ctx, pred, plan, func(p []float32, l []int) error {
		for _, v := range p {
			probs = append(probs, float64(v))
		}
		labels = append(labels, l...)
		bar.Add(int64(len(l)))
		return nil
	})
	bar.Finish()
	if err != nil {
		return nil, err
	}
	name := ModelName(kind)
	rep, err := evaluate.NewReport(probs, models.NumClasses, labels, evaluate.ReportConfig{Model: name, Trigger: opts.Trigger})
	if err != nil {
		return nil, fmt.Errorf("train: evaluate %s on %s: %w", modelDir, testDir, err)
	}
	if err := evaluate.WriteReport(outDir, rep); err != nil {
		return nil, err
	}
	hist, err := ReadHistory(modelDir)
	if err != nil {
		return nil, err
	}
	curves, err := evaluate.OneVsRestAll(probs, models.NumClasses, labels)
	if err != nil {
		return nil, fmt.Errorf("train: evaluate %s: %w", modelDir, err)
	}
	conf, err := evaluate.NewConfusion(probs, models.NumClasses, labels)
	if err != nil {
		return nil, fmt.Errorf("train: evaluate %s: %w", modelDir, err)
	}
	rocOpts := evaluate.ROCPlotOptions{Title: name + ": tt selector", Model: name}
	if opts.Reference && ReferenceAUC(kind) > 0 {
		rocOpts.ReferenceAUC = map[string]float64{spec.Classes[spec.TTbar]: ReferenceAUC(kind)}
	}
	set := evaluate.PlotSet{ROC: curves, ROCOptions: rocOpts, Confusion: conf, Model: name}
	if hist.Epochs() > 0 {
		set.History = &evaluate.History{Model: name, Loss: hist.Loss, ValLoss: hist.ValLoss,
			Accuracy: hist.Accuracy, ValAccuracy: hist.ValAccuracy}
	}
	if _, err := evaluate.WritePlots(outDir, set); err != nil {
		return nil, err
	}
	return rep, nil
}

// PredictionSchema is the layout of PredictDataset's output: the class probabilities
// (qcd, ttbar, wjets) and, when the input has labels, the true class.
func PredictionSchema(withLabel bool) dataset.Schema {
	s := dataset.Schema{{Name: "probabilities", Kind: dataset.Float64List, Width: models.NumClasses}}
	if withLabel {
		s = append(s, dataset.Column{Name: ColumnLabel, Kind: dataset.Int64})
	}
	return s
}

// PredictOptions tune PredictDataset.
type PredictOptions struct {
	Backend  compute.Backend // nil: NewBackend
	Progress progress.Sink
}

// PredictDataset writes the class probabilities of every row of the prepared dataset inDir,
// in storage order, to the Parquet file outFile (PredictionSchema; label when inDir has
// encoded_label or label). It returns the number of rows written. The rows are streamed;
// outFile appears only when complete.
func PredictDataset(ctx context.Context, modelDir, inDir, outFile string, opts PredictOptions) (int64, error) {
	pred, err := LoadPredictor(modelDir, opts.Backend)
	if err != nil {
		return 0, err
	}
	defer pred.Close()
	plan, err := planData(inDir, DataConfig{Kind: pred.Info.Model.Kind, MaxParticles: pred.Info.Options.MaxParticles, Truncate: pred.Info.Options.Truncation()}, false)
	if err != nil {
		return 0, err
	}
	meta, err := predictionProvenance(modelDir, pred.Info, plan.reader)
	if err != nil {
		return 0, err
	}
	w, err := dataset.NewWriter(filepath.Clean(outFile), PredictionSchema(plan.label >= 0), dataset.WithMetadata(meta))
	if err != nil {
		return 0, fmt.Errorf("train: %w", err)
	}
	defer w.Abort()
	bar := progress.NewBar(opts.Progress, "predict", "rows", int64(plan.rows()))
	row := make([]float64, models.NumClasses)
	err = predictPlan(ctx, pred, plan, func(p []float32, l []int) error {
		for i := range len(p) / models.NumClasses {
			for c := range row {
				row[c] = float64(p[i*models.NumClasses+c])
			}
			var err error
			if plan.label >= 0 {
				err = w.Append(row, int64(l[i]))
			} else {
				err = w.Append(row)
			}
			if err != nil {
				return fmt.Errorf("write %s: %w", outFile, err)
			}
		}
		bar.Add(int64(len(p) / models.NumClasses))
		return nil
	})
	bar.Finish()
	if err != nil {
		return 0, err
	}
	rows := w.Rows()
	if err := w.Close(); err != nil {
		return 0, fmt.Errorf("train: %w", err)
	}
	return rows, nil
}

// predictChunkRows is the number of rows predicted at a time: a multiple of predictBatch, so
// that every graph execution but the last sees the same batch shape.
const predictChunkRows = 8 * predictBatch

// predictPlan runs pred over the rows of plan in storage order and calls fn with the
// probabilities [n, 3] and the labels (nil without labels) of every chunk of rows.
func predictPlan(ctx context.Context, pred *Predictor, plan *dataPlan, fn func(probs []float32, labels []int) error) error {
	hw, sw := plan.hlfWidth(), plan.seqWidth()
	chunk := Data{SeqLen: plan.keep}
	var labels []int
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		d := Data{SeqLen: chunk.SeqLen}
		if hw > 0 {
			d.HLF = chunk.HLF[:n*hw]
		}
		if sw > 0 {
			d.Seq = chunk.Seq[:n*sw]
		}
		p, err := pred.Predict(d)
		if err != nil {
			return err
		}
		for _, v := range p {
			if math.IsNaN(float64(v)) {
				return errors.New("NaN probability")
			}
		}
		var l []int
		if plan.label >= 0 {
			l = labels[:n]
		}
		n = 0
		return fn(p, l)
	}
	chunk.HLF = make([]float32, predictChunkRows*hw)
	chunk.Seq = make([]float32, predictChunkRows*sw)
	labels = make([]int, predictChunkRows)
	err := plan.scan(ctx, nil, func(b *dataset.Batch) error {
		for i := 0; i < b.Rows; i++ {
			l, err := plan.convertRow(b, i, chunk.HLF[n*hw:(n+1)*hw], chunk.Seq[n*sw:(n+1)*sw])
			if err != nil {
				return err
			}
			labels[n] = l
			n++
			if n == predictChunkRows {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("train: predict %s: %w", plan.dir, err)
	}
	return nil
}
