package serve

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// Defaults of Options.
const (
	DefaultThreshold   = 0.5
	DefaultBatchEvents = 256
	DefaultPoll        = time.Second
	DefaultSettle      = 2 * time.Second
	DefaultReportEvery = 10 * time.Second
)

// DefaultClass is the class that selects when Options.Class is empty: ttbar, the headline
// selector.
var DefaultClass = spec.Classes[spec.TTbar]

// ClassIndex returns the label of a class name (spec.Classes: "qcd", "ttbar", "wjets"),
// ignoring case.
func ClassIndex(name string) (int, error) {
	for i, n := range spec.Classes {
		if strings.EqualFold(name, n) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("serve: unknown class %q (want %s)", name, strings.Join(spec.Classes[:], ", "))
}

// Options configure a Server. Model, Watch and Out are required.
type Options struct {
	Model string // model directory written by package train (model.json with the scaler)
	Watch string // directory watched for input files (*.root, *.parquet), recursively
	Out   string // directory of the decisions and the journal; must not be inside Watch

	// Class is the class whose probability selects events ("qcd", "ttbar", "wjets");
	// "" means DefaultClass. An event passes when it passed the trigger emulation and
	// P(Class) >= Threshold. Threshold is used as given (0 passes every triggered event;
	// the command line defaults to DefaultThreshold).
	Class     string
	Threshold float64

	// Once processes the files in Watch, waiting for those still settling, and returns when
	// every file there is decided (or bad); otherwise Run polls until ctx is cancelled.
	Once bool
	// Poll is the time between two looks at Watch; 0 means DefaultPoll.
	Poll time.Duration
	// Settle is how long a file must stay unmodified before it is taken (its mtime must be
	// at least Settle old); 0 means DefaultSettle, < 0 takes files as soon as they are seen
	// (for writers that rename complete files into place).
	Settle time.Duration

	// BatchEvents is the number of events read, featurized and predicted at a time (bounds
	// memory); 0 means DefaultBatchEvents.
	BatchEvents int
	// Workers compute features in parallel within a batch; 0 means GOMAXPROCS.
	Workers  int
	Features features.Options // trigger emulation variant (FixQuirks)

	Backend compute.Backend // nil: modeldir.NewBackend
	// Report receives the rate report every ReportEvery and at the end; nil writes none.
	Report      io.Writer
	ReportEvery time.Duration // 0 means DefaultReportEvery
	// Logf receives one line per bad file and per notable event; nil writes nothing.
	Logf func(format string, args ...any)

	hooks hooks
}

// hooks let tests stop a server at chosen points.
type hooks struct {
	// batchWritten is called after each batch of decisions is handed to a file's writer.
	batchWritten func(rel string, batch int)
	// fileDone is called after a file's decisions are complete and journaled.
	fileDone func(rel string)
}

// normalize fills defaults and checks the options.
func (o *Options) normalize() error {
	if o.Model == "" || o.Watch == "" || o.Out == "" {
		return fmt.Errorf("serve: model, watch and out directories are required")
	}
	if o.Class == "" {
		o.Class = DefaultClass
	}
	if _, err := ClassIndex(o.Class); err != nil {
		return err
	}
	if !(o.Threshold >= 0 && o.Threshold <= 1) {
		return fmt.Errorf("serve: threshold %v outside [0, 1]", o.Threshold)
	}
	switch {
	case o.Poll < 0:
		return fmt.Errorf("serve: poll interval %v, want 0 (the default) or more", o.Poll)
	case o.BatchEvents < 0:
		return fmt.Errorf("serve: batch of %d events, want 0 (the default) or more", o.BatchEvents)
	case o.Workers < 0:
		return fmt.Errorf("serve: %d workers, want 0 (all cores) or more", o.Workers)
	case o.ReportEvery < 0:
		return fmt.Errorf("serve: report interval %v, want 0 (the default) or more", o.ReportEvery)
	}
	if o.Poll == 0 {
		o.Poll = DefaultPoll
	}
	switch {
	case o.Settle == 0:
		o.Settle = DefaultSettle
	case o.Settle < 0:
		o.Settle = 0
	}
	if o.BatchEvents == 0 {
		o.BatchEvents = DefaultBatchEvents
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.ReportEvery == 0 {
		o.ReportEvery = DefaultReportEvery
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	watch, err := filepath.Abs(o.Watch)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	out, err := filepath.Abs(o.Out)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if rel, err := filepath.Rel(watch, out); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
		return fmt.Errorf("serve: output directory %s is inside the watched directory %s", o.Out, o.Watch)
	}
	return nil
}
