// Package xgboost binds XGBoost's C library (libxgboost 1.7, Debian's libxgboost-dev) through
// its C API: data matrices from float32 rows, boosters configured by XGBoost's own parameter
// names, one boosting round at a time, evaluation, class probabilities, and models saved and
// loaded in XGBoost's JSON format, which Python's, R's or JVM's XGBoost read as they are.
//
// The binding needs cgo and the library, so it is compiled in only with the xgboost build tag
// (scripts/install-xgboost.sh installs the library):
//
//	go build -tags xgboost ./cmd/dltrigger
//
// Without the tag every constructor returns an error wrapping ErrNotCompiled that says so,
// and Compiled is false; the rest of the project builds and runs without XGBoost.
//
//	train, _ := xgboost.NewDMatrix(rows, n, 14) // float32, row-major; NaN is missing
//	_ = train.SetLabels(labels)
//	b, _ := xgboost.NewBooster([]xgboost.Param{{"objective", "multi:softprob"}, {"num_class", "3"}}, train)
//	for i := 0; i < 100; i++ {
//		_ = b.Update(i, train)
//	}
//	probs, _ := b.Predict(test, 0) // [rows, 3]; 0: all rounds
//	_ = b.Save("model.json")       // XGBoost's JSON model format
//
// # Threads
//
// XGBoost keeps per-thread state: the last error and the random generator that subsampling
// draws from, seeded when a booster is configured. Go moves goroutines between threads, so
// every Booster runs its calls on one goroutine locked to its own OS thread, as a C or Python
// program calling XGBoost from one thread would: training is then reproducible for a seed and
// equal to Python's. A Booster's methods may be called from any goroutine; they run one at a
// time. XGBoost itself uses OpenMP threads inside each call (parameter nthread; 0: all cores).
package xgboost
