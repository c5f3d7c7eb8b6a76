package download

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/parallel"
	"github.com/godltrigger/godltrigger/pkg/progress"
)

// Options tunes Fetch. The zero value is usable.
type Options struct {
	BaseURL  string        // where catalogue names are looked up; "" = BaseURL("")
	Parallel int           // files downloaded at once; <= 0 means 4
	Retries  int           // further attempts per request after a transient failure; < 0 means none, 0 means 5
	Backoff  time.Duration // first wait before a retry, doubling up to 30 s; <= 0 means 1 s
	// Stall aborts and retries a transfer that receives nothing for this long; <= 0 means 2 min.
	Stall    time.Duration
	Client   *http.Client  // nil: a client with sane timeouts
	Progress progress.Sink // nil: no progress shown
}

// Result summarises a Fetch.
type Result struct {
	Dir     string // local directory (or file) of the dataset: DIR/NAME
	Files   int    // files in the dataset
	Skipped int    // files already complete, not downloaded again
	Resumed int    // files continued from a partial download
	Bytes   int64  // bytes received
}

type fetcher struct {
	opts   Options
	client *http.Client
	bar    *progress.Bar
	total  atomic.Int64 // bytes expected, for the bar
	whole  atomic.Int64 // files whole, for the bar
}

// Fetch downloads the dataset target, a catalogue name or an http(s) URL, into
// dir/NAME (NAME: the last element of the URL's path), keeping the layout of the remote
// directory tree. It crawls the directory listing below the URL (never above it), then
// downloads the files, opts.Parallel at a time.
//
// Fetch can be run again after an interruption: complete files (present with the size
// the server reports) are skipped, and partial ones, kept as FILE.part, continue with an
// HTTP Range request where the server supports it and restart from zero otherwise. A file
// gets its final name only when complete: its size matches every size the server stated (the
// HEAD answer, the GET's Content-Length and Content-Range). The dataset's _SUCCESS markers
// are fetched last, once every other file is complete.
func Fetch(ctx context.Context, target, dir string, opts Options) (Result, error) {
	start, name, err := Resolve(target, opts.BaseURL)
	if err != nil {
		return Result{}, err
	}
	f := newFetcher(opts)
	res := Result{Dir: filepath.Join(dir, name)}
	files, err := f.crawl(ctx, start)
	if err != nil {
		return res, withCause(ctx, err)
	}
	res.Files = len(files)
	local := make([]string, len(files))
	for i, rf := range files {
		if local[i], err = localPath(res.Dir, rf.Rel); err != nil {
			return res, err
		}
	}
	f.stat(ctx, files)

	f.bar = progress.NewBar(f.opts.Progress, "download "+name, "B", 0)
	var remaining int64
	for i, rf := range files {
		remaining += f.remaining(rf, local[i])
	}
	f.total.Store(remaining)
	f.bar.SetTotal(remaining)
	f.bar.SetNote("files 0/%d", len(files))

	// The markers of completion (Spark's _SUCCESS) come last, and only when every other file
	// is whole: a run that fails or is killed on the way never leaves one beside a partial
	// set. Markers left by an earlier run go first, whenever a file is still missing.
	var data, markers []int
	whole := true
	for i, rf := range files {
		if path.Base(rf.Rel) == dataset.SuccessFile {
			markers = append(markers, i)
			continue
		}
		data = append(data, i)
		whole = whole && complete(rf, local[i])
	}
	if !whole {
		for _, i := range markers {
			if err := os.Remove(local[i]); err != nil && !errors.Is(err, os.ErrNotExist) {
				return res, fmt.Errorf("download: %w", err)
			}
		}
	}
	done, errs := f.fetchAll(ctx, files, local, data, &res)
	if len(errs) == 0 && ctx.Err() == nil {
		var n int
		n, errs = f.fetchAll(ctx, files, local, markers, &res)
		done += n
	}
	f.bar.Finish()
	if len(errs) == 0 && ctx.Err() != nil {
		errs = append(errs, fmt.Errorf("download: %s: %w", start, context.Cause(ctx)))
	}
	if len(errs) > 0 {
		return res, fmt.Errorf("download: %d of %d files of %s not downloaded (the dataset is not marked complete): %w", len(files)-done, len(files), start, errors.Join(errs...))
	}
	return res, nil
}

// fetchAll downloads the files of index idx, opts.Parallel at a time, adding to res; it
// returns how many are whole and the errors of the others.
func (f *fetcher) fetchAll(ctx context.Context, files []remoteFile, local []string, idx []int, res *Result) (int, []error) {
	var (
		mu   sync.Mutex
		errs []error
		done int
	)
	// Every file is tried: a failed one is recorded, not a reason to stop the others.
	_ = parallel.For(ctx, len(idx), f.opts.Parallel, func(ctx context.Context, k int) error {
		i := idx[k]
		out, err := f.fetchFile(ctx, files[i], local[i])
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, err)
		} else {
			done++
			f.whole.Add(1)
		}
		if out.skipped {
			res.Skipped++
		}
		if out.resumed {
			res.Resumed++
		}
		res.Bytes += out.bytes
		f.bar.SetNote("files %d/%d", f.whole.Load(), len(files))
		return nil
	})
	return done, errs
}

func newFetcher(opts Options) *fetcher {
	if opts.Parallel <= 0 {
		opts.Parallel = 4
	}
	switch {
	case opts.Retries < 0:
		opts.Retries = 0
	case opts.Retries == 0:
		opts.Retries = 5
	}
	if opts.Backoff <= 0 {
		opts.Backoff = time.Second
	}
	if opts.Stall <= 0 {
		opts.Stall = 2 * time.Minute
	}
	client := opts.Client
	if client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.ResponseHeaderTimeout = time.Minute
		tr.MaxIdleConnsPerHost = opts.Parallel + 1
		client = &http.Client{Transport: tr}
	}
	return &fetcher{opts: opts, client: client}
}

// Resolve returns the URL Fetch crawls for target, a catalogue name (looked up under
// BaseURL(baseURL)) or an http(s) URL, and the name of its local directory. An unknown
// name is an error listing the known ones.
func Resolve(target, baseURL string) (*url.URL, string, error) {
	raw := target
	if !strings.Contains(target, "://") {
		if _, err := Lookup(target); err != nil {
			return nil, "", err
		}
		base := BaseURL(baseURL)
		if !strings.HasSuffix(base, "/") {
			base += "/"
		}
		raw = base + url.PathEscape(target)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, "", fmt.Errorf("download: bad URL %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, "", fmt.Errorf("download: bad URL %q: want http or https", raw)
	}
	name := path.Base(strings.TrimSuffix(u.Path, "/"))
	if name == "" || name == "/" || name == "." || name == ".." {
		return nil, "", fmt.Errorf("download: URL %q names no dataset directory", raw)
	}
	return u, name, nil
}

// localPath maps a remote relative path below the dataset root to a local path below dir.
func localPath(dir, rel string) (string, error) {
	if rel == "" {
		return dir, nil
	}
	for _, part := range strings.Split(rel, "/") {
		if part == "" || part == "." || part == ".." || strings.ContainsRune(part, '\\') {
			return "", fmt.Errorf("download: refusing remote path %q", rel)
		}
	}
	return filepath.Join(dir, filepath.FromSlash(rel)), nil
}

// stat asks the server for the size of every file whose size is not known yet, with HEAD
// requests, opts.Parallel at a time. A size that cannot be had stays unknown (-1): the
// download then trusts the GET answer.
func (f *fetcher) stat(ctx context.Context, files []remoteFile) {
	var unknown []int
	for i := range files {
		if files[i].Size < 0 {
			unknown = append(unknown, i)
		}
	}
	_ = parallel.For(ctx, len(unknown), f.opts.Parallel, func(ctx context.Context, k int) error {
		rf := &files[unknown[k]]
		_ = retry(ctx, f.opts.Retries, f.opts.Backoff, func() error {
			resp, err := f.head(ctx, rf.URL)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return statusError(resp)
			}
			rf.Size = resp.ContentLength
			return nil
		})
		return nil
	})
}
