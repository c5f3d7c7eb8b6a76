// Package preptest makes what tests of the later steps need: generated events ingested and
// prepared as 'dltrigger generate', 'ingest' and 'prepare' would.
package preptest

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/ingest"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

// Ingest generates events per class under dir/events with seed and ingests them into
// dir/ingested, which it returns: a complete ingest output, the input of prep.Run.
func Ingest(ctx context.Context, dir string, events int, seed int64) (string, error) {
	ev, ing := filepath.Join(dir, "events"), filepath.Join(dir, "ingested")
	if _, err := synth.Generate(ctx, ev, synth.Options{Events: events, Seed: seed, EventsPerFile: events}); err != nil {
		return "", fmt.Errorf("preptest: %w", err)
	}
	var samples []ingest.Sample
	for _, c := range synth.AllClasses() {
		samples = append(samples, ingest.Sample{Name: c.String(), Label: int64(c), Patterns: []string{filepath.Join(ev, c.String())}})
	}
	if _, err := ingest.Run(ctx, ingest.Options{Out: ing, Samples: samples, Logf: quiet}); err != nil {
		return "", fmt.Errorf("preptest: %w", err)
	}
	return ing, nil
}

// Prepare makes Ingest's output and prepares it (seed 42) into dir/prepared, which it returns:
// the datasets named by prep (prep.TrainHLF, ...) and prep.ScalerFile.
func Prepare(ctx context.Context, dir string, events int, seed int64) (string, error) {
	ing, err := Ingest(ctx, dir, events, seed)
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "prepared")
	if _, err := prep.Run(ctx, prep.Options{In: ing, Out: out, Seed: 42, Logf: quiet}); err != nil {
		return "", fmt.Errorf("preptest: %w", err)
	}
	return out, nil
}

// quiet drops the log lines of a step.
func quiet(string, ...any) {}
