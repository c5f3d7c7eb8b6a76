package trees

import (
	"strconv"

	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

// Names under which Train evaluates its data sets, and the metric of early stopping.
const (
	EvalTrain   = "train"
	EvalTest    = "test"
	StopMetric  = "mlogloss"
	ErrorMetric = "merror"
	objective   = "multi:softprob"
)

// Params are the booster parameters of cfg, in the order Train sets them: multi:softprob over
// the three classes, the tree parameters, seed and nthread (threads; 0: all cores), and the
// evaluation metrics merror then mlogloss (the last one drives early stopping, as in Python's
// xgboost.train). Python's xgboost given the same list trains the same model.
func Params(cfg models.TreeConfig, seed int64, threads int) []xgboost.Param {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	return []xgboost.Param{
		{Name: "objective", Value: objective},
		{Name: "num_class", Value: strconv.Itoa(models.NumClasses)},
		{Name: "tree_method", Value: cfg.TreeMethod},
		{Name: "max_depth", Value: strconv.Itoa(cfg.MaxDepth)},
		{Name: "eta", Value: f(cfg.Eta)},
		{Name: "subsample", Value: f(cfg.Subsample)},
		{Name: "colsample_bynode", Value: f(cfg.ColsampleByNode)},
		{Name: "num_parallel_tree", Value: strconv.Itoa(cfg.NumParallelTree)},
		{Name: "seed", Value: strconv.FormatInt(seed, 10)},
		{Name: "nthread", Value: strconv.Itoa(threads)},
		{Name: "eval_metric", Value: ErrorMetric},
		{Name: "eval_metric", Value: StopMetric},
	}
}
