package evaluate_test

import (
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
)

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
