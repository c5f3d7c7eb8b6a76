package download

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFetchSuccessMarkerComesLast checks that _SUCCESS is requested after every other file.
func TestFetchSuccessMarkerComesLast(t *testing.T) {
	s := newTestServer(t)
	opts := fastOpts()
	opts.Parallel = 2
	if _, err := Fetch(context.Background(), s.url("/sparkdltrigger/ds.parquet"), t.TempDir(), opts); err != nil {
		t.Fatal(err)
	}
	gets := s.requests(http.MethodGet, dsPath)
	last := gets[len(gets)-1]
	if last.Path != dsPath+"_SUCCESS" {
		t.Errorf("last GET is %s, want the _SUCCESS marker; GETs: %v", last.Path, gets)
	}
	if n := len(s.requests(http.MethodGet, dsPath+"_SUCCESS")); n != 1 {
		t.Errorf("_SUCCESS fetched %d times, want once", n)
	}
}

// TestFetchFailureLeavesNoSuccessMarker fails one part file, with a marker left by an earlier
// run beside a partial set: the dataset must not look complete afterwards.
func TestFetchFailureLeavesNoSuccessMarker(t *testing.T) {
	const broken = "label=1/sub/part-00000.parquet"
	s := newTestServer(t)
	s.status[dsPath+broken] = http.StatusNotFound
	dir := t.TempDir()
	ds := filepath.Join(dir, "ds.parquet")
	if err := os.MkdirAll(ds, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ds, "_SUCCESS"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Fetch(context.Background(), s.url("/sparkdltrigger/ds.parquet"), dir, fastOpts())
	if err == nil || !strings.Contains(err.Error(), broken) || !strings.Contains(err.Error(), "not marked complete") {
		t.Fatalf("error %v, want one naming %s and saying the dataset is not marked complete", err, broken)
	}
	if _, err := os.Stat(filepath.Join(ds, "_SUCCESS")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("_SUCCESS beside a partial dataset (%v)", err)
	}
	if got := s.requests(http.MethodGet, dsPath+"_SUCCESS"); len(got) != 0 {
		t.Errorf("_SUCCESS fetched although a part failed: %v", got)
	}
}

// TestFetchRejectsBodyShorterThanHead serves a GET whose Content-Length and body agree with
// each other but not with the size the HEAD answer stated.
func TestFetchRejectsBodyShorterThanHead(t *testing.T) {
	const file = "part-00000-c0ffee.snappy.parquet"
	s := newTestServer(t)
	s.shortGet[dsPath+file] = 1000
	dir := t.TempDir()
	_, err := Fetch(context.Background(), s.url("/sparkdltrigger/ds.parquet"), dir, fastOpts())
	if err == nil || !strings.Contains(err.Error(), "1000") || !strings.Contains(err.Error(), "300000") {
		t.Fatalf("error %v, want one stating 1000 against 300000 bytes", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ds.parquet", file)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the short file was renamed into place (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ds.parquet", "_SUCCESS")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("_SUCCESS beside a short file (%v)", err)
	}
}
