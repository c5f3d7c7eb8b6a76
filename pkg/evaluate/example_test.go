package evaluate_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
)

// NewReport measures a classifier on a test set from its softmax outputs: here 6 events, two
// of each class, one of them (a wjets event) taken for ttbar. WriteReport saves it as
// metrics.json, the file that 'dltrigger evaluate' writes beside its plots.
func ExampleNewReport() {
	probs := []float64{
		0.8, 0.1, 0.1, // qcd
		0.6, 0.3, 0.1, // qcd
		0.1, 0.7, 0.2, // ttbar
		0.2, 0.5, 0.3, // ttbar
		0.1, 0.2, 0.7, // wjets
		0.1, 0.6, 0.3, // wjets, taken for ttbar
	}
	labels := []int{evaluate.QCD, evaluate.QCD, evaluate.TTbar, evaluate.TTbar, evaluate.WJets, evaluate.WJets}
	rep, err := evaluate.NewReport(probs, evaluate.NumClasses, labels, evaluate.ReportConfig{Model: "HLF classifier"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s on %d events: accuracy %.4f\n", rep.Model, rep.Events, rep.Accuracy)
	for i, name := range rep.Classes {
		fmt.Printf("%-5s AUC %.4f, predicted as %v\n", name, rep.AUC[name], rep.ConfusionCounts[i])
	}
	fmt.Println("trigger selectors:", len(rep.Trigger))

	dir, err := os.MkdirTemp("", "evaluate")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := evaluate.WriteReport(dir, rep); err != nil {
		fmt.Println(err)
		return
	}
	back, err := evaluate.ReadReport(filepath.Join(dir, evaluate.ReportFile))
	fmt.Println(evaluate.ReportFile, back.Events, err)
	// Output:
	// HLF classifier on 6 events: accuracy 0.8333
	// qcd   AUC 1.0000, predicted as [2 0 0]
	// ttbar AUC 0.8750, predicted as [0 2 0]
	// wjets AUC 0.9375, predicted as [0 1 1]
	// trigger selectors: 2
	// metrics.json 6 <nil>
}

func ExampleAccuracy() {
	// Softmax outputs, one row of three classes (qcd, ttbar, wjets) per event.
	probs := []float64{
		0.7, 0.2, 0.1, // qcd, right
		0.2, 0.45, 0.35, // ttbar, right
		0.2, 0.5, 0.3, // wjets, predicted ttbar
		0.1, 0.3, 0.6, // wjets, right
	}
	labels := []int{evaluate.QCD, evaluate.TTbar, evaluate.WJets, evaluate.WJets}
	acc, err := evaluate.Accuracy(probs, evaluate.NumClasses, labels)
	if err != nil {
		fmt.Println(err)
		return
	}
	roc, err := evaluate.OneVsRest(probs, evaluate.NumClasses, labels, evaluate.TTbar)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("accuracy %.2f\n", acc)
	fmt.Printf("ttbar selector AUC %.4f over %d points\n", roc.AUC(), roc.Len())
	// Output:
	// accuracy 0.75
	// ttbar selector AUC 0.6667 over 5 points
}

func ExampleMannWhitneyAUC() {
	// Scores of a selector; the signal events score 0.8 and 0.5, the
	// background 0.5 and 0.2. One tie between classes counts one half.
	scores := []float64{0.8, 0.5, 0.5, 0.2}
	signal := []bool{true, true, false, false}
	mw, _ := evaluate.MannWhitneyAUC(scores, signal)
	roc, _ := evaluate.NewROC(scores, signal)
	fmt.Printf("Mann-Whitney %.3f, trapezoid %.3f\n", mw, roc.AUC())
	fmt.Printf("eps_S at eps_B = 0.25: %.2f\n", roc.TPRAtFPR(0.25))
	// Output:
	// Mann-Whitney 0.875, trapezoid 0.875
	// eps_S at eps_B = 0.25: 0.75
}
