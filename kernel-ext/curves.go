package kernelext

import (
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
)

// History shows the loss and accuracy curves of a training run side by side, with a table
// of the last epoch. model titles the plots (e.g. "HLF classifier").
func (nb *Notebook) History(h *modeldir.History, model string) error {
	if h == nil || h.Epochs() == 0 {
		return fmt.Errorf("kernelext: %s: no completed epochs to show", model)
	}
	eh := evaluate.History{Model: model, Loss: h.Loss, ValLoss: h.ValLoss, Accuracy: h.Accuracy, ValAccuracy: h.ValAccuracy}
	loss, err := evaluate.LossPlot(eh)
	if err != nil {
		return err
	}
	acc, err := evaluate.AccuracyPlot(eh)
	if err != nil {
		return err
	}
	if err := nb.Plots(loss, acc); err != nil {
		return err
	}
	last := h.Epochs() - 1
	t := &Table{Caption: fmt.Sprintf("%s after %d epochs", model, h.Epochs()),
		Header: []string{"", "loss", "accuracy"}}
	t.Add("training", fmt.Sprintf("%.4f", at(h.Loss, last)), fmt.Sprintf("%.4f", at(h.Accuracy, last)))
	t.Add("validation", fmt.Sprintf("%.4f", at(h.ValLoss, last)), fmt.Sprintf("%.4f", at(h.ValAccuracy, last)))
	if n := len(h.RowsPerSecond); n > 0 {
		t.Note = fmt.Sprintf("last epoch: %.0f rows/s", h.RowsPerSecond[n-1])
	}
	nb.Table(t)
	return nil
}

func at(v []float64, i int) float64 {
	if i < len(v) {
		return v[i]
	}
	return 0
}

// ROC shows one-vs-rest ROC curves (evaluate.OneVsRestAll) with their AUCs.
func (nb *Notebook) ROC(curves []*evaluate.ROC, opt evaluate.ROCPlotOptions) error {
	p, err := evaluate.ROCPlot(curves, opt)
	if err != nil {
		return err
	}
	return nb.Plot(p)
}

// Confusion shows the row-normalised confusion matrix c, its classes named by names
// (nil: evaluate.ClassNames).
func (nb *Notebook) Confusion(c *evaluate.Confusion, names []string, model string) error {
	if names == nil {
		names = evaluate.ClassNames()
	}
	p, err := evaluate.ConfusionPlot(c, names, model)
	if err != nil {
		return err
	}
	w := nb.Width
	nb.Width = nb.Height * 1.2 // a matrix reads best nearly square
	defer func() { nb.Width = w }()
	return nb.Plot(p)
}
