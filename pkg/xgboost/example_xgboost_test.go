//go:build xgboost

package xgboost_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

// A three-class booster trained round by round, saved in XGBoost's JSON format and loaded back.
func ExampleNewBooster() {
	x := []float32{0, 0, 0, 1, 1, 0, 1, 1, 2, 0, 2, 1} // 6 rows of 2 features: class = first feature
	train, err := xgboost.NewDMatrix(x, 6, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer train.Close()
	train.SetLabels([]float32{0, 0, 1, 1, 2, 2})
	b, err := xgboost.NewBooster([]xgboost.Param{{Name: "objective", Value: "multi:softprob"}, {Name: "num_class", Value: "3"},
		{Name: "min_child_weight", Value: "0"}, {Name: "eval_metric", Value: "merror"}}, train)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	for i := 0; i < 10; i++ {
		if err := b.Update(i, train); err != nil {
			fmt.Println(err)
			return
		}
	}
	line, _, _ := b.Eval(9, []*xgboost.DMatrix{train}, []string{"train"})
	fmt.Println(line)

	dir, _ := os.MkdirTemp("", "xgboost-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.json")
	if err := b.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := xgboost.LoadBooster(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer loaded.Close()
	probs, shape, _ := loaded.Predict(train, 0)
	best := 0
	for c := 1; c < 3; c++ {
		if probs[3*4+c] > probs[3*4+best] {
			best = c
		}
	}
	fmt.Println(shape, "row 4 is class", best)
	// Output:
	// [9]	train-merror:0.00000000000000000
	// [6 3] row 4 is class 2
}
