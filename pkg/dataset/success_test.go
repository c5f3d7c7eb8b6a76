package dataset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestShardMarkersMergeIntoSuccess(t *testing.T) {
	dir := t.TempDir()
	if err := CheckComplete(dir); err == nil || !strings.Contains(err.Error(), "did not finish") {
		t.Fatalf("empty directory: %v, want an unfinished job", err)
	}
	for _, k := range []int{2, 0} {
		if done, err := MarkShardSuccess(dir, k, 3, "job-a"); err != nil || done {
			t.Fatalf("shard %d of 3: done %v, %v; want not done yet", k, done, err)
		}
	}
	err := CheckComplete(dir)
	if err == nil || !strings.Contains(err.Error(), "shard(s) 0, 2 of 3 finished, shard(s) 1 did not") {
		t.Fatalf("2 of 3 shards: %v", err)
	}
	if done, err := MarkShardSuccess(dir, 1, 3, "job-b"); err != nil || done {
		t.Fatalf("shard of another job: done %v, %v; want not done", done, err)
	}
	if err := CheckComplete(dir); err == nil || !strings.Contains(err.Error(), "different inputs or settings") {
		t.Fatalf("mixed jobs: %v", err)
	}
	if done, err := MarkShardSuccess(dir, 1, 3, "job-a"); err != nil || !done {
		t.Fatalf("last shard: done %v, %v; want done", done, err)
	}
	if err := CheckComplete(dir); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != SuccessFile {
		t.Errorf("complete directory holds %v, want only %s", entries, SuccessFile)
	}
	if err := UnmarkSuccess(dir, 1, 3); err != nil || IsComplete(dir) {
		t.Fatalf("unmark: %v, complete %v", err, IsComplete(dir))
	}
	if err := CheckComplete(filepath.Join(dir, "nothing")); err == nil {
		t.Error("missing directory reported complete")
	}
}
