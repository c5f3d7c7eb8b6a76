package xgboost_test

import (
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

// ParseEval reads the line that Booster.Eval returns, as Python's xgboost does.
func ExampleParseEval() {
	ev, err := xgboost.ParseEval("[9]\ttrain-mlogloss:0.25\ttest-mlogloss:0.45\ttest-merror:0.16")
	if err != nil {
		fmt.Println(err)
		return
	}
	loss, _ := xgboost.Lookup(ev, "test", "mlogloss")
	fmt.Println(len(ev), loss)
	// Output: 3 0.45
}
