// Package bench compares the classifiers of package models, trained by package train on the
// GoMLX backends, with PyTorch twins of the same networks (torch_twin.py, embedded):
// training speed on the same CPU in the same run, and the test-set AUC after training both on
// the same prepared data.
//
// PyTorch runs as Debian's python3-torch under /usr/bin/python3 (scripts/install-bench.sh
// installs it); Torch.Check reports when it is missing.
//
//	tw, _ := bench.NewTorch("")             // /usr/bin/python3 and the embedded script
//	defer tw.Close()
//	rep, _ := bench.CompareSpeed(ctx, bench.SpeedOptions{Torch: tw, SeqLens: []int{50, 200, 801}})
//	rep.WriteTable(os.Stdout)                // rows/s, ours / PyTorch
//
// CompareTrees trains, on the same rows, XGBoost and the random forest (package trees, built
// with -tags xgboost) and the HLF network, and reports their training times and AUCs.
//
// Data travels to PyTorch through ExportData: a folder with meta.json and raw little-endian
// arrays (hlf.f32 [N, 14], seq.f32 [N, S, 19], labels.i32 [N]).
package bench
