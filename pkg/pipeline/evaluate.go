package pipeline

import (
	"context"
	"os"
	"path/filepath"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/report"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// evaluateModel evaluates a trained model on the test set and collects its plots for the report.
func evaluateModel(ctx context.Context, backend compute.Backend, p ModelPlan, modelDir, prepared, outDir string) (report.Model, error) {
	test := filepath.Join(prepared, dataFor(p.Kind).test)
	rep, err := train.EvaluateModel(ctx, modelDir, test, outDir, train.EvaluateOptions{Reference: true, Backend: backend})
	if err != nil {
		return report.Model{}, err
	}
	m := report.Model{Kind: string(p.Kind), Title: p.Title, Metrics: rep, Plots: map[string]string{}}
	hist, err := train.ReadHistory(modelDir)
	if err != nil {
		return report.Model{}, err
	}
	m.Setup = setupOf(p, hist)
	for _, name := range []string{"roc", "confusion", "loss", "accuracy"} {
		path := filepath.Join(outDir, name+".png")
		if _, err := os.Stat(path); err == nil {
			m.Plots[name] = path
		}
	}
	return m, nil
}
