package pipeline_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/pipeline"
)

// A tiny demo: 100 generated events per class through every step, from generation to the
// HTML report, in a few seconds. It prints what does not depend on the backend's floating
// point: the report's rows and what the run wrote.
func ExampleRunDemo() {
	out, err := os.MkdirTemp("", "pipeline-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(out)

	o := pipeline.DemoOptions{Out: out, Quick: true, Events: 100} // Log: os.Stderr shows each step
	d, err := pipeline.RunDemo(context.Background(), o)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Title)
	fmt.Println("one row per planned model:", len(d.Models) == len(o.Plans()))
	for _, m := range d.Models {
		if models.Kind(m.Kind).Tree() {
			continue // built with -tags xgboost, the tree ensembles' rows follow the networks'
		}
		fmt.Printf("row: %s (%s)\n", m.Title, m.Kind)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range entries {
		fmt.Println("wrote:", e.Name())
	}
	// Output:
	// GoDLTrigger demo: topology classification on generated events
	// one row per planned model: true
	// row: HLF classifier (hlf)
	// row: Particle-sequence classifier (GRU) (particle)
	// row: Inclusive classifier (GRU + HLF) (inclusive)
	// wrote: evaluation
	// wrote: events
	// wrote: ingested
	// wrote: models
	// wrote: prepared
	// wrote: report.html
}
