package report_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/report"
)

// Write renders the demo's report: one HTML file with the steps, the AUC table beside the
// paper's values and the plots of each model. Here one model evaluated on 4 events.
func ExampleWrite() {
	probs := []float64{0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.3, 0.6, 0.3, 0.4, 0.3}
	metrics, err := evaluate.NewReport(probs, evaluate.NumClasses, []int{0, 1, 2, 2}, evaluate.ReportConfig{Model: "HLF classifier"})
	if err != nil {
		fmt.Println(err)
		return
	}
	demo := &report.Demo{
		Title: "GoDLTrigger demo", Backend: "go", Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Steps:  []report.Step{{Name: "generate", Duration: 2 * time.Second, Detail: "300 events"}, {Name: "ingest", Reused: true}},
		Models: []report.Model{{Kind: "hlf", Title: "HLF classifier", Setup: "1 epoch", Metrics: metrics}},
	}
	demo.Ordering = report.CompareOrdering(demo.Models, "test")

	dir, err := os.MkdirTemp("", "report")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "report.html")
	if err := report.Write(path, demo); err != nil {
		fmt.Println(err)
		return
	}
	html, err := os.ReadFile(path)
	fmt.Println(filepath.Base(path), err)
	for _, want := range []string{"<html", "HLF classifier", "generate", "ingest"} {
		fmt.Printf("has %q: %v\n", want, strings.Contains(string(html), want))
	}
	// Output:
	// report.html <nil>
	// has "<html": true
	// has "HLF classifier": true
	// has "generate": true
	// has "ingest": true
}
