package dataset

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"
)

func TestListFilesSkipsSideFiles(t *testing.T) {
	dir := t.TempDir()
	job := NewJobID()
	var want []string
	for _, label := range []int64{1, 0} {
		for part := range 2 {
			p := filepath.Join(PartitionDir(dir, "label", label), PartName(part, job))
			writeFile(t, p, HLF(), 1)
			want = append(want, p)
		}
	}
	side := []string{
		SuccessFile,
		"_committed_123",
		"._SUCCESS.crc",
		filepath.Join("label=0", "."+PartName(0, job)+".crc"),
		filepath.Join("label=0", PartName(9, job)+tempMarker+"123"),
		filepath.Join("_temporary", "0", "part-00000.parquet"),
		filepath.Join(".hidden", "part-00000.parquet"),
	}
	for _, s := range side {
		p := filepath.Join(dir, s)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("not parquet"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := listFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Path)
		if f.Partition["label"] != filepath.Base(filepath.Dir(f.Path))[len("label="):] {
			t.Errorf("%s: partition %v", f.Path, f.Partition)
		}
	}
	want = []string{want[2], want[3], want[0], want[1]} // label=0 sorts first
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("files\n%v\nwant\n%v", got, want)
	}
}

func TestPartitionOf(t *testing.T) {
	tests := []struct {
		dir  string
		want map[string]string
	}{
		{".", nil},
		{"label=2", map[string]string{"label": "2"}},
		{"a/year=2020/label=0", map[string]string{"year": "2020", "label": "0"}},
		{"x=1=2/=3", map[string]string{"x": "1=2"}},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			if got := partitionOf(tc.dir); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("partitionOf(%q) = %v, want %v", tc.dir, got, tc.want)
			}
		})
	}
}

func TestPartName(t *testing.T) {
	job := NewJobID()
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(job) {
		t.Fatalf("job id %q is not a UUID v4", job)
	}
	if job == NewJobID() {
		t.Fatal("two job ids are equal")
	}
	if got := PartName(7, "j"); got != "part-00007-j-c000.snappy.parquet" {
		t.Fatalf("PartName = %q", got)
	}
	if got := PartitionDir("d", "label", 2); got != filepath.Join("d", "label=2") {
		t.Fatalf("PartitionDir = %q", got)
	}
}

func TestShare(t *testing.T) {
	dir := t.TempDir()
	for part := range 5 {
		writeFile(t, filepath.Join(dir, PartName(part, "j")), HLF(), part+1)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.NumRows() != 15 {
		t.Fatalf("NumRows %d, want 15", r.NumRows())
	}
	seen := map[string]int{}
	var rows int64
	for rank := range 2 {
		s, err := r.Share(rank, 2)
		if err != nil {
			t.Fatal(err)
		}
		var scanned int64
		err = s.Scan(context.Background(), HLF(), 0, func(b *Batch) error {
			scanned += int64(b.Rows)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if scanned != s.NumRows() {
			t.Fatalf("share %d scanned %d rows of %d", rank, scanned, s.NumRows())
		}
		rows += scanned
		for _, f := range s.Files() {
			seen[f.Path]++
		}
	}
	if rows != 15 || len(seen) != 5 {
		t.Fatalf("shares read %d rows from %d files, want 15 from 5", rows, len(seen))
	}
	for p, n := range seen {
		if n != 1 {
			t.Errorf("%s in %d shares", p, n)
		}
	}
	for _, bad := range [][2]int{{2, 2}, {-1, 2}, {0, 0}} {
		if _, err := r.Share(bad[0], bad[1]); err == nil {
			t.Errorf("Share(%d, %d) succeeded", bad[0], bad[1])
		}
	}
}
