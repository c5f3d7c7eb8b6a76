package tune

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// MergeSummary is the outcome of Merge.
type MergeSummary struct {
	Inputs     int      // results logs read
	Duplicates int      // results whose key an earlier input already held (dropped)
	Ranked     []Result // the merged results, best first
}

// Merge joins the results logs of the shards' output directories (or results.jsonl files)
// inputs into out: out/results.jsonl (written atomically, in input order, the first result of
// each key kept) and the final table (WriteOutputs). out may be one of the inputs. Merge
// holds out's LockFile, as Run does.
func Merge(out string, inputs []string) (*MergeSummary, error) {
	if len(inputs) == 0 {
		return nil, fmt.Errorf("tune: merge: no results to merge")
	}
	lock, err := lockOut(out)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	sum := &MergeSummary{Inputs: len(inputs)}
	seen := map[string]bool{}
	var all []Result
	for _, in := range inputs {
		path := in
		if fi, err := os.Stat(in); err != nil {
			return nil, fmt.Errorf("tune: merge: %w", err)
		} else if fi.IsDir() {
			path = filepath.Join(in, ResultsFile)
			if _, err := os.Stat(path); err != nil {
				return nil, fmt.Errorf("tune: merge: %s holds no %s: %w", in, ResultsFile, err)
			}
		}
		results, err := ReadResults(path)
		if err != nil {
			return nil, err
		}
		for _, r := range results {
			if seen[r.Key] {
				sum.Duplicates++
				continue
			}
			seen[r.Key] = true
			all = append(all, r)
		}
	}
	err = writeAtomic(filepath.Join(out, ResultsFile), func(w io.Writer) error {
		enc := json.NewEncoder(w) // one compact object per line, as ResultLog writes them
		for _, r := range all {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if sum.Ranked, err = WriteOutputs(out, all); err != nil {
		return nil, err
	}
	return sum, nil
}
