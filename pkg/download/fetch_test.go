package download

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/progress"
)

// fastOpts are options for tests: short waits.
func fastOpts() Options {
	return Options{Backoff: time.Millisecond, Retries: 2}
}

// checkTree fails unless dir holds exactly the files of the served dataset, byte for byte,
// and nothing else (no .part files).
func checkTree(t *testing.T, s *testServer, dir string) {
	t.Helper()
	got := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		got[rel] = true
		want, ok := s.files[dsPath+rel]
		if !ok {
			t.Errorf("unexpected file %s", rel)
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !bytes.Equal(b, want) {
			t.Errorf("%s: %d bytes differ from the %d served", rel, len(b), len(want))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name := range datasetFiles {
		if !got[name] {
			t.Errorf("missing file %s", name)
		}
	}
}

func TestFetchFull(t *testing.T) {
	s := newTestServer(t)
	dir := t.TempDir()
	rec := &recordSink{}
	opts := fastOpts()
	opts.Progress = rec
	res, err := Fetch(context.Background(), s.url("/sparkdltrigger/ds.parquet"), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	checkTree(t, s, filepath.Join(dir, "ds.parquet"))
	var total int64
	for _, n := range datasetFiles {
		total += int64(n)
	}
	want := Result{Dir: filepath.Join(dir, "ds.parquet"), Files: len(datasetFiles), Bytes: total}
	if res != want {
		t.Errorf("result %+v, want %+v", res, want)
	}
	if n := len(s.requests(http.MethodGet, "/sparkdltrigger/other.parquet")) + len(s.requests(http.MethodHead, "/sparkdltrigger/other.parquet")); n != 0 {
		t.Errorf("%d requests for a sibling dataset: the crawl went above its root", n)
	}
	if got := s.requests(http.MethodGet, "/sparkdltrigger/"); len(got) == 0 || got[0].Path == "/sparkdltrigger/" {
		t.Errorf("parent directory requested: %v", got)
	}
	for _, r := range s.requests(http.MethodGet, "/") {
		if r.Range != "" || strings.Contains(r.Path, "index.html") || r.Path == "/sparkdltrigger/" {
			t.Errorf("unexpected request %+v", r)
		}
	}
	last, ok := rec.final()
	if !ok || last.Done != total || last.Total != total || last.Unit != "B" || last.Note != fmt.Sprintf("files %d/%d", len(datasetFiles), len(datasetFiles)) {
		t.Errorf("final progress %+v (shown: %v), want %d/%d B and all files", last, ok, total, total)
	}
}

func TestFetchResumesAfterDroppedConnection(t *testing.T) {
	const file = "part-00000-c0ffee.snappy.parquet"
	const sent = 123_457
	for _, tc := range []struct {
		name    string
		retries int // -1: the first run fails and a second run resumes
	}{
		{"rerun", -1},
		{"retry", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			s.dropAfter[dsPath+file] = sent
			dir := t.TempDir()
			opts := fastOpts()
			opts.Retries = tc.retries
			res, err := Fetch(context.Background(), s.url("/sparkdltrigger/ds.parquet"), dir, opts)
			if tc.retries < 0 {
				if err == nil || !strings.Contains(err.Error(), s.url(dsPath+file)) {
					t.Fatalf("first run: error %v, want one naming %s", err, s.url(dsPath+file))
				}
				part := filepath.Join(dir, "ds.parquet", file+partSuffix)
				if fi, err := os.Stat(part); err != nil || fi.Size() != sent {
					t.Fatalf("after the drop: %v, want a %d-byte .part file", fi, sent)
				}
				if _, err := os.Stat(filepath.Join(dir, "ds.parquet", file)); !errors.Is(err, os.ErrNotExist) {
					t.Fatalf("incomplete file has its final name: %v", err)
				}
				res, err = Fetch(context.Background(), s.url("/sparkdltrigger/ds.parquet"), dir, opts)
			}
			if err != nil {
				t.Fatal(err)
			}
			checkTree(t, s, filepath.Join(dir, "ds.parquet"))
			gets := s.requests(http.MethodGet, dsPath+file)
			if len(gets) != 2 || gets[0].Range != "" || gets[1].Range != fmt.Sprintf("bytes=%d-", sent) {
				t.Errorf("GETs of %s: %+v, want a full one then Range bytes=%d-", file, gets, sent)
			}
			if res.Resumed != 1 {
				t.Errorf("resumed %d files, want 1", res.Resumed)
			}
		})
	}
}

// cancelAfter is a RoundTripper that cancels a context once the body of a response for
// path has delivered n bytes; that body then fails as a cancelled transfer does.
type cancelAfter struct {
	path   string
	n      int64
	cancel context.CancelFunc
}

func (c *cancelAfter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil && req.URL.Path == c.path {
		resp.Body = &countingBody{ReadCloser: resp.Body, left: c.n, cancel: c.cancel}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	left   int64
	cancel context.CancelFunc
}

func (b *countingBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		b.cancel()
		return 0, context.Canceled
	}
	n, err := b.ReadCloser.Read(p[:min(int64(len(p)), b.left)])
	b.left -= int64(n)
	return n, err
}

func TestFetchResumesAfterCancel(t *testing.T) {
	const file = "part-00000-c0ffee.snappy.parquet"
	s := newTestServer(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := fastOpts()
	opts.Client = &http.Client{Transport: &cancelAfter{path: dsPath + file, n: 100_000, cancel: cancel}}
	_, ferr := Fetch(ctx, s.url("/sparkdltrigger/ds.parquet"), dir, opts)
	if !errors.Is(ferr, context.Canceled) {
		t.Fatalf("cancelled run: error %v, want context.Canceled", ferr)
	}
	fi, err := os.Stat(filepath.Join(dir, "ds.parquet", file+partSuffix))
	if err != nil || fi.Size() != 100_000 {
		t.Fatalf("after cancelling (%v): %v %v, want a 100000-byte .part file", ferr, fi, err)
	}
	s.resetLog()
	if _, err := Fetch(context.Background(), s.url("/sparkdltrigger/ds.parquet"), dir, fastOpts()); err != nil {
		t.Fatal(err)
	}
	checkTree(t, s, filepath.Join(dir, "ds.parquet"))
	gets := s.requests(http.MethodGet, dsPath+file)
	if want := fmt.Sprintf("bytes=%d-", fi.Size()); len(gets) != 1 || gets[0].Range != want {
		t.Errorf("GETs after resuming: %+v, want one with Range %s", gets, want)
	}
}

func TestFetchSkipsCompleteFiles(t *testing.T) {
	s := newTestServer(t)
	dir := t.TempDir()
	if _, err := Fetch(context.Background(), s.url("/sparkdltrigger/ds.parquet"), dir, fastOpts()); err != nil {
		t.Fatal(err)
	}
	// A final file of the wrong size is not complete: it is fetched again.
	const damaged = "label=0/part-00000-beef.parquet"
	if err := os.Truncate(filepath.Join(dir, "ds.parquet", filepath.FromSlash(damaged)), 10); err != nil {
		t.Fatal(err)
	}
	s.resetLog()
	res, err := Fetch(context.Background(), s.url("/sparkdltrigger/ds.parquet"), dir, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	checkTree(t, s, filepath.Join(dir, "ds.parquet"))
	// The marker of completion was taken away while a file was missing, and fetched again last.
	for _, r := range s.requests(http.MethodGet, dsPath) {
		if !strings.HasSuffix(r.Path, "/") && r.Path != dsPath+damaged && r.Path != dsPath+"_SUCCESS" {
			t.Errorf("complete file downloaded again: %+v", r)
		}
	}
	if got := s.requests(http.MethodGet, dsPath+damaged); len(got) != 1 {
		t.Errorf("damaged file: GETs %+v, want 1", got)
	}
	if res.Skipped != len(datasetFiles)-2 || res.Bytes != int64(datasetFiles[damaged]) {
		t.Errorf("result %+v, want %d skipped and %d bytes", res, len(datasetFiles)-2, datasetFiles[damaged])
	}
}

func TestFetchRestartsWhenRangeIsNotHonoured(t *testing.T) {
	const file = "part-00001-c0ffee.snappy.parquet"
	for _, tc := range []struct {
		name string
		set  func(*testServer)
		gets int // the 200 answer is used as is; the 206 one is dropped for a plain GET
	}{
		{"200 to a Range request", func(s *testServer) { s.ignoreRange = true }, 1},
		{"206 for other bytes", func(s *testServer) { s.wrongRange = true }, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			tc.set(s)
			dir := t.TempDir()
			part := filepath.Join(dir, "ds.parquet", file+partSuffix)
			if err := os.MkdirAll(filepath.Dir(part), 0o755); err != nil {
				t.Fatal(err)
			}
			// A partial file whose bytes are not the served ones: appending to it would show.
			if err := os.WriteFile(part, bytes.Repeat([]byte{0xAA}, 1000), 0o644); err != nil {
				t.Fatal(err)
			}
			opts := fastOpts()
			opts.Retries = -1 // restarting is no failure: it needs no retry
			if _, err := Fetch(context.Background(), s.url("/sparkdltrigger/ds.parquet"), dir, opts); err != nil {
				t.Fatal(err)
			}
			checkTree(t, s, filepath.Join(dir, "ds.parquet"))
			gets := s.requests(http.MethodGet, dsPath+file)
			if len(gets) != tc.gets || gets[0].Range != "bytes=1000-" || gets[len(gets)-1].Range != "" && tc.gets > 1 {
				t.Errorf("GETs %+v, want %d, the first asking Range bytes=1000-, the last none", gets, tc.gets)
			}
		})
	}
}

func TestFetchErrorsNameURLAndStatus(t *testing.T) {
	const file = "label=1/sub/part-00000.parquet"
	for _, tc := range []struct {
		name   string
		path   string
		code   int
		target string
		tries  int // GETs expected for path
	}{
		{"404 file", dsPath + file, http.StatusNotFound, "/sparkdltrigger/ds.parquet", 1},
		{"500 file", dsPath + file, http.StatusInternalServerError, "/sparkdltrigger/ds.parquet", 3},
		{"503 listing", dsPath + "label=1/", http.StatusServiceUnavailable, "/sparkdltrigger/ds.parquet", 3},
		{"404 dataset", "/sparkdltrigger/nosuch.parquet", http.StatusNotFound, "/sparkdltrigger/nosuch.parquet", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			s.status[tc.path] = tc.code
			_, err := Fetch(context.Background(), s.url(tc.target), t.TempDir(), fastOpts())
			if err == nil {
				t.Fatal("no error")
			}
			u := s.url(tc.path)
			if !strings.Contains(err.Error(), u) || !strings.Contains(err.Error(), fmt.Sprint(tc.code)) {
				t.Errorf("error %q does not name %s and %d", err, u, tc.code)
			}
			var se *StatusError
			if !errors.As(err, &se) || se.Code != tc.code {
				t.Errorf("error %v: want a StatusError with code %d", err, tc.code)
			}
			if got := len(s.requests(http.MethodGet, tc.path)); got != tc.tries {
				t.Errorf("%d GETs of %s, want %d", got, tc.path, tc.tries)
			}
		})
	}
}

func TestFetchCatalogueNameFromMirror(t *testing.T) {
	s := newTestServer(t)
	for _, tc := range []struct {
		name, env, base string
	}{
		{"option", "", s.url("/mirror")},
		{"environment", s.url("/mirror/"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvBaseURL, tc.env)
			dir := t.TempDir()
			opts := fastOpts()
			opts.BaseURL = tc.base
			if _, err := Fetch(context.Background(), "testUndersampled_HLF_features.parquet", dir, opts); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(dir, "testUndersampled_HLF_features.parquet", "part-0.parquet"))
			if err != nil || string(b) != "hlf bytes" {
				t.Errorf("got %q, %v", b, err)
			}
		})
	}
	if _, err := Fetch(context.Background(), "nosuch.parquet", t.TempDir(), fastOpts()); err == nil || !strings.Contains(err.Error(), "testUndersampled_HLF_features.parquet") {
		t.Errorf("unknown name: error %v, want one listing the known names", err)
	}
}

func TestFetchSingleFile(t *testing.T) {
	s := newTestServer(t)
	dir := t.TempDir()
	res, err := Fetch(context.Background(), s.url("/sparkdltrigger/single.bin"), dir, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "single.bin"))
	if err != nil || !bytes.Equal(b, s.files["/sparkdltrigger/single.bin"]) || res.Files != 1 {
		t.Errorf("single file: %d bytes, %v, %+v", len(b), err, res)
	}
}

// recordSink keeps the progress states shown.
type recordSink struct {
	mu     sync.Mutex
	states []progress.State
	finals atomic.Int32
}

func (r *recordSink) Show(s progress.State, final bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.states = append(r.states, s)
	if final {
		r.finals.Add(1)
	}
}

func (r *recordSink) final() (progress.State, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.states) == 0 || r.finals.Load() != 1 {
		return progress.State{}, false
	}
	return r.states[len(r.states)-1], true
}
