package pipeline

import (
	"context"
	"path/filepath"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/report"
)

// evaluateModel evaluates a trained model on the test set and collects its plots for the report.
func evaluateModel(ctx context.Context, backend compute.Backend, p ModelPlan, modelDir, prepared, outDir string) (report.Model, error) {
	test := filepath.Join(prepared, dataFor(p.Kind).test)
	rep, plots, err := evaluate.EvaluateModel(ctx, modelDir, test, outDir, evaluate.EvaluateOptions{Reference: true, Backend: backend})
	if err != nil {
		return report.Model{}, err
	}
	m := report.Model{Kind: string(p.Kind), Title: p.Title, Metrics: rep, Plots: plots}
	hist, err := modeldir.ReadHistory(modelDir)
	if err != nil {
		return report.Model{}, err
	}
	m.Setup = setupOf(p, hist)
	return m, nil
}
