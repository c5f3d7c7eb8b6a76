package prep_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/ingest"
	"github.com/godltrigger/godltrigger/pkg/prep"
)

func TestPrepareRefusesUnfinishedIngest(t *testing.T) {
	samples := samplesIn(filepath.Join(filepath.Dir(ingested(t)), "events"))
	in := filepath.Join(t.TempDir(), "ingested")
	ctx := context.Background()
	if _, err := ingest.Run(ctx, ingest.Options{Out: in, Samples: samples, Shard: 0, Of: 2, Logf: t.Logf}); err != nil {
		t.Fatal(err)
	}
	_, err := prep.Run(ctx, prep.Options{In: in, Out: t.TempDir(), Seed: 7, Logf: t.Logf})
	if err == nil {
		t.Fatal("prepare read the output of one ingest shard of 2")
	}
	for _, want := range []string{in, "_SUCCESS", "shard(s) 1 did not", "Rerun the 'dltrigger ingest' command", "same arguments"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, err := ingest.Run(ctx, ingest.Options{Out: in, Samples: samples, Shard: 1, Of: 2, Logf: t.Logf}); err != nil {
		t.Fatal(err)
	}
	if _, err := prep.Run(ctx, prep.Options{In: in, Out: t.TempDir(), Seed: 7, Logf: t.Logf}); err != nil {
		t.Fatalf("after the last shard: %v", err)
	}
}
