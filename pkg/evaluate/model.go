package evaluate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/spec"
	"github.com/godltrigger/godltrigger/pkg/train"
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
	Trigger   TriggerConfig
	Backend   compute.Backend // nil: modeldir.NewBackend
	Progress  progress.Sink
}

// EvaluateModel predicts the labelled test dataset testDir with the model of modelDir and
// writes, in outDir, metrics.json (accuracy, per-class AUC, confusion matrix normalised per
// true class, trigger metrics of the ttbar and wjets selectors) and the plots as PNG and
// SVG: loss and accuracy per epoch (from history.json), the ROC curves of the three classes
// (ttbar highlighted) and the confusion matrix. The test rows are streamed. It returns the
// report (with its ROC curves, Report.Curves) and the PNG files of the plots written, by plot
// name ("loss", "accuracy", "roc", "confusion").
func EvaluateModel(ctx context.Context, modelDir, testDir, outDir string, opts EvaluateOptions) (*Report, map[string]string, error) {
	pred, err := modeldir.Load(modelDir, opts.Backend)
	if err != nil {
		return nil, nil, err
	}
	defer pred.Close()
	kind := pred.Info.Model.Kind
	rows, err := openRows(ctx, pred, testDir, true)
	if err != nil {
		return nil, nil, err
	}
	n := rows.Len()
	probs := make([]float64, 0, n*models.NumClasses)
	labels := make([]int, 0, n)
	bar := progress.NewBar(opts.Progress, "evaluate", "rows", int64(n))
	err = predictRows(ctx, pred, rows, func(p []float32, l []int) error {
		for _, v := range p {
			probs = append(probs, float64(v))
		}
		labels = append(labels, l...)
		bar.Add(int64(len(l)))
		return nil
	})
	bar.Finish()
	if err != nil {
		return nil, nil, err
	}
	name := ModelName(kind)
	rep, err := NewReport(probs, models.NumClasses, labels, ReportConfig{Model: name, Trigger: opts.Trigger})
	if err != nil {
		return nil, nil, fmt.Errorf("evaluate: evaluate %s on %s: %w", modelDir, testDir, err)
	}
	if err := WriteReport(outDir, rep); err != nil {
		return nil, nil, err
	}
	hist, err := modeldir.ReadHistory(modelDir)
	if err != nil {
		return nil, nil, err
	}
	curves, err := OneVsRestAll(probs, models.NumClasses, labels)
	if err != nil {
		return nil, nil, fmt.Errorf("evaluate: evaluate %s: %w", modelDir, err)
	}
	rep.Curves = curves
	conf, err := NewConfusion(probs, models.NumClasses, labels)
	if err != nil {
		return nil, nil, fmt.Errorf("evaluate: evaluate %s: %w", modelDir, err)
	}
	rocOpts := ROCPlotOptions{Title: name + ": tt selector", Model: name}
	if opts.Reference && ReferenceAUC(kind) > 0 {
		rocOpts.ReferenceAUC = map[string]float64{spec.Classes[spec.TTbar]: ReferenceAUC(kind)}
	}
	set := PlotSet{ROC: curves, ROCOptions: rocOpts, Confusion: conf, Model: name}
	if hist.Epochs() > 0 {
		set.History = &History{Model: name, Loss: hist.Loss, ValLoss: hist.ValLoss,
			Accuracy: hist.Accuracy, ValAccuracy: hist.ValAccuracy}
	}
	written, err := WritePlots(outDir, set)
	if err != nil {
		return nil, nil, err
	}
	plots := map[string]string{}
	for _, path := range written {
		if name, ok := strings.CutSuffix(filepath.Base(path), ".png"); ok {
			plots[name] = path
		}
	}
	return rep, plots, nil
}

// PredictionSchema is the layout of PredictDataset's output: the class probabilities
// (qcd, ttbar, wjets) and, when the input has labels, the true class.
func PredictionSchema(withLabel bool) dataset.Schema {
	s := dataset.Schema{{Name: "probabilities", Kind: dataset.Float64List, Width: models.NumClasses}}
	if withLabel {
		s = append(s, dataset.Column{Name: train.ColumnLabel, Kind: dataset.Int64})
	}
	return s
}

// PredictOptions tune PredictDataset.
type PredictOptions struct {
	Backend  compute.Backend // nil: modeldir.NewBackend
	Progress progress.Sink
}

// PredictDataset writes the class probabilities of every row of the prepared dataset inDir,
// in storage order, to the Parquet file outFile (PredictionSchema; label when inDir has
// encoded_label or label). It returns the number of rows written. The rows are streamed;
// outFile appears only when complete.
func PredictDataset(ctx context.Context, modelDir, inDir, outFile string, opts PredictOptions) (int64, error) {
	pred, err := modeldir.Load(modelDir, opts.Backend)
	if err != nil {
		return 0, err
	}
	defer pred.Close()
	in, err := openRows(ctx, pred, inDir, false)
	if err != nil {
		return 0, err
	}
	meta, err := predictionProvenance(modelDir, pred.Info, in.Dataset())
	if err != nil {
		return 0, err
	}
	w, err := dataset.NewWriter(filepath.Clean(outFile), PredictionSchema(in.Labelled()), dataset.WithMetadata(meta))
	if err != nil {
		return 0, fmt.Errorf("evaluate: %w", err)
	}
	defer w.Abort()
	bar := progress.NewBar(opts.Progress, "predict", "rows", int64(in.Len()))
	row := make([]float64, models.NumClasses)
	err = predictRows(ctx, pred, in, func(p []float32, l []int) error {
		for i := range len(p) / models.NumClasses {
			for c := range row {
				row[c] = float64(p[i*models.NumClasses+c])
			}
			var err error
			if l != nil {
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
		return 0, fmt.Errorf("evaluate: %w", err)
	}
	return rows, nil
}

// predictChunkRows is the number of rows predicted at a time: a multiple of
// modeldir.PredictBatch, so that every graph execution but the last sees the same batch shape.
const predictChunkRows = 8 * modeldir.PredictBatch

// openRows opens the prepared dataset dir for the predictor pred: the columns its kind reads,
// the particle rows truncated as it was trained.
func openRows(ctx context.Context, pred *modeldir.Predictor, dir string, needLabels bool) (*train.DatasetRows, error) {
	o := pred.Info.Options
	return train.OpenRows(ctx, dir, train.DataConfig{Kind: pred.Info.Model.Kind, MaxParticles: o.MaxParticles, Truncate: o.Truncation()}, needLabels)
}

// predictRows runs pred over rows in storage order and calls fn with the probabilities
// [n, 3] and the labels (nil without labels) of every chunk of rows.
func predictRows(ctx context.Context, pred *modeldir.Predictor, rows *train.DatasetRows, fn func(probs []float32, labels []int) error) error {
	return rows.Chunks(ctx, predictChunkRows, func(d modeldir.Data) error {
		p, err := pred.Predict(d)
		if err != nil {
			return err
		}
		for _, v := range p {
			if math.IsNaN(float64(v)) {
				return errors.New("NaN probability")
			}
		}
		return fn(p, d.Labels)
	})
}

// predictionProvenance is the key-value metadata of a prediction file.
func predictionProvenance(modelDir string, info *modeldir.Info, in *dataset.Reader) (map[string]string, error) {
	model, err := json.Marshal(info.Model)
	if err != nil {
		return nil, fmt.Errorf("modeldir: provenance: %w", err)
	}
	training, err := json.Marshal(info.Options)
	if err != nil {
		return nil, fmt.Errorf("modeldir: provenance: %w", err)
	}
	specs := in.MetadataValues(dataset.MetaFeatureSpec)
	if len(specs) == 0 {
		specs = []string{"unknown"}
	}
	return map[string]string{
		dataset.MetaProducer:    "dltrigger predict",
		modeldir.MetaModelDir:   absPath(modelDir),
		modeldir.MetaModel:      string(model),
		modeldir.MetaTraining:   string(training),
		dataset.MetaInput:       absPath(in.Path()),
		dataset.MetaFeatureSpec: strings.Join(specs, ","),
	}, nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
