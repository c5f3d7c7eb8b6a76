package tune

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sync"
)

// ResultsFile is the name of the results log in an output directory: one JSON Result per
// line, appended and synced as each point finishes.
const ResultsFile = "results.jsonl"

// Result is the cross-validated score of one point.
type Result struct {
	Key      string    `json:"key"` // Key(Point, Setup)
	Point    Point     `json:"point"`
	Setup    Setup     `json:"setup"`
	AUC      []float64 `json:"auc"`      // ttbar ROC AUC of each fold
	Accuracy []float64 `json:"accuracy"` // accuracy of each fold
	// Means and standard deviations over the folds (population standard deviation, as
	// scikit-learn's cross-validation reports it).
	MeanAUC      float64 `json:"mean_auc"`
	StdAUC       float64 `json:"std_auc"`
	MeanAccuracy float64 `json:"mean_accuracy"`
	StdAccuracy  float64 `json:"std_accuracy"`
	Rows         int     `json:"rows"`    // rows of the sample split into folds
	Seconds      float64 `json:"seconds"` // training and scoring time, summed over the folds
}

// NewResult summarises the fold scores of p under s.
func NewResult(p Point, s Setup, scores []FoldScore, rows int, seconds float64) Result {
	r := Result{Key: Key(p, s), Point: p, Setup: s, Rows: rows, Seconds: seconds}
	for _, sc := range scores {
		r.AUC = append(r.AUC, sc.AUC)
		r.Accuracy = append(r.Accuracy, sc.Accuracy)
	}
	r.MeanAUC, r.StdAUC = meanStd(r.AUC)
	r.MeanAccuracy, r.StdAccuracy = meanStd(r.Accuracy)
	return r
}

func meanStd(v []float64) (mean, std float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(v)))
}

// ReadResults reads a results log. A missing file holds no results. A last line without its
// newline is what a crash in the middle of an append leaves: it is ignored. Any other line
// that does not decode, or whose key does not match its point, is an error.
func ReadResults(path string) ([]Result, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("tune: read results: %w", err)
	}
	results, _, err := parseResults(path, data)
	return results, err
}

// parseResults decodes the complete lines of data and returns the length of that prefix.
func parseResults(path string, data []byte) ([]Result, int, error) {
	var results []Result
	complete := bytes.LastIndexByte(data, '\n') + 1
	for n, line := range bytes.Split(data[:complete], []byte{'\n'}) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var r Result
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, 0, fmt.Errorf("tune: %s line %d: %w", path, n+1, err)
		}
		if want := Key(r.Point, r.Setup); r.Key != want {
			return nil, 0, fmt.Errorf("tune: %s line %d: key %q does not match its point (want %q)", path, n+1, r.Key, want)
		}
		results = append(results, r)
	}
	return results, complete, nil
}

// ResultLog appends results to a log file, syncing each line to disk. Its methods are safe
// for concurrent use.
type ResultLog struct {
	mu   sync.Mutex
	path string
	f    *os.File
}

// OpenResultLog opens (creating it if needed) the log at path for appending and returns the
// results it already holds. A torn last line is cut off first, so the next line starts clean.
func OpenResultLog(path string) (*ResultLog, []Result, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("tune: open results: %w", err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("tune: read results %s: %w", path, err)
	}
	results, complete, err := parseResults(path, data)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if complete < len(data) {
		if err := f.Truncate(int64(complete)); err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("tune: cut torn last line of %s: %w", path, err)
		}
	}
	if _, err := f.Seek(int64(complete), io.SeekStart); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("tune: %s: %w", path, err)
	}
	return &ResultLog{path: path, f: f}, results, nil
}

// Append writes r as one line and syncs the file.
func (l *ResultLog) Append(r Result) error {
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("tune: encode result %s: %w", r.Key, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.f.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("tune: append to %s: %w", l.path, err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("tune: sync %s: %w", l.path, err)
	}
	return nil
}

// Close closes the file.
func (l *ResultLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("tune: close %s: %w", l.path, err)
	}
	return nil
}
