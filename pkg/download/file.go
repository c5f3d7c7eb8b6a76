package download

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// partSuffix marks a file still being downloaded.
const partSuffix = ".part"

// outcome is what happened to one file.
type outcome struct {
	skipped bool  // already complete
	resumed bool  // continued from a partial download
	bytes   int64 // bytes received
}

// complete reports whether final holds the whole of rf already.
func complete(rf remoteFile, final string) bool {
	fi, err := os.Stat(final)
	return err == nil && fi.Mode().IsRegular() && (rf.Size < 0 || fi.Size() == rf.Size)
}

// remaining estimates the bytes still to download for rf.
func (f *fetcher) remaining(rf remoteFile, final string) int64 {
	if rf.Size < 0 || complete(rf, final) {
		return 0
	}
	if fi, err := os.Stat(final + partSuffix); err == nil && fi.Size() <= rf.Size {
		return rf.Size - fi.Size()
	}
	return rf.Size
}

// fetchFile downloads rf to final through final.part, resuming, retrying and renaming
// as described at Fetch.
func (f *fetcher) fetchFile(ctx context.Context, rf remoteFile, final string) (outcome, error) {
	var out outcome
	if complete(rf, final) {
		out.skipped = true
		return out, nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return out, fmt.Errorf("download: %w", err)
	}
	part := final + partSuffix
	stated := int64(-1) // the size the last GET stated
	err := retry(ctx, f.opts.Retries, f.opts.Backoff, func() error {
		var err error
		stated, err = f.attempt(ctx, rf, part, &out)
		return err
	})
	if err != nil {
		return out, err
	}
	fi, err := os.Stat(part)
	if err != nil {
		return out, fmt.Errorf("download: %w", err)
	}
	for _, want := range []int64{rf.Size, stated} {
		if want >= 0 && fi.Size() != want {
			return out, fmt.Errorf("download: %s: %s holds %d bytes, the server stated %d; not renamed into place", rf.URL, part, fi.Size(), want)
		}
	}
	if err := os.Rename(part, final); err != nil {
		return out, fmt.Errorf("download: %w", err)
	}
	return out, nil
}

// attempt makes one GET for the rest of rf and appends it to part. It returns the size of the
// whole file as the GET stated it (-1: not stated), after checking that it agrees with rf.Size.
func (f *fetcher) attempt(ctx context.Context, rf remoteFile, part string, out *outcome) (int64, error) {
	off, err := partSize(part)
	if err != nil {
		return -1, permanent(err)
	}
	if rf.Size >= 0 && off > rf.Size {
		off = 0 // longer than the remote file: not ours to continue
	}
	if rf.Size >= 0 && off == rf.Size && off > 0 {
		return -1, nil // the previous run stopped between the last byte and the rename
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	resp, err := f.get(ctx, rf, off)
	if err != nil {
		return -1, err
	}
	defer resp.Body.Close()

	expect := int64(-1) // final size of the file
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, total, ok := contentRange(resp.Header.Get("Content-Range"))
		if ok && start == off && (rf.Size < 0 || total < 0 || total == rf.Size) {
			expect = total
			if resp.ContentLength >= 0 && (expect < 0 || off+resp.ContentLength == expect) {
				expect = off + resp.ContentLength
			} else if resp.ContentLength >= 0 {
				return -1, permanent(fmt.Errorf("download: GET %s: Content-Length %d from byte %d disagrees with the Content-Range total %d", rf.URL, resp.ContentLength, off, total))
			}
			out.resumed = true
			break
		}
		// Not the range asked for: start again from zero.
		resp.Body.Close()
		f.restarted(off)
		if off, err = 0, truncate(part); err != nil {
			return -1, permanent(err)
		}
		if resp, err = f.get(ctx, rf, 0); err != nil {
			return -1, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return -1, statusError(resp)
		}
		expect = resp.ContentLength
	case http.StatusOK:
		if off > 0 { // the server ignored the Range header: it sends the whole file
			f.restarted(off)
			off = 0
		}
		expect = resp.ContentLength
	case http.StatusRequestedRangeNotSatisfiable:
		if _, total, _ := contentRange(resp.Header.Get("Content-Range")); off > 0 && total == off && (rf.Size < 0 || total == rf.Size) {
			return total, nil // already whole
		}
		f.restarted(off)
		if err := truncate(part); err != nil {
			return -1, permanent(err)
		}
		return -1, fmt.Errorf("download: GET %s: range bytes=%d- refused, starting again", rf.URL, off)
	default:
		return -1, statusError(resp)
	}
	if expect >= 0 && rf.Size >= 0 && expect != rf.Size {
		return -1, permanent(fmt.Errorf("download: GET %s: the server states %d bytes, its HEAD answer or listing stated %d", rf.URL, expect, rf.Size))
	}
	stated := expect
	if expect < 0 && rf.Size >= 0 {
		expect = rf.Size
	}

	file, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return -1, permanent(fmt.Errorf("download: %w", err))
	}
	if err := file.Truncate(off); err != nil {
		file.Close()
		return -1, permanent(fmt.Errorf("download: %w", err))
	}
	if _, err := file.Seek(off, io.SeekStart); err != nil {
		file.Close()
		return -1, permanent(fmt.Errorf("download: %w", err))
	}
	n, copyErr := f.copy(ctx, cancel, file, resp.Body, out)
	if err := file.Close(); err != nil {
		return -1, permanent(fmt.Errorf("download: %w", err))
	}
	if copyErr != nil {
		return -1, fmt.Errorf("download: GET %s to %s: %w", rf.URL, part, copyErr)
	}
	if expect >= 0 && off+n != expect {
		return -1, fmt.Errorf("download: GET %s: got %d of %d bytes", rf.URL, off+n, expect)
	}
	return stated, nil
}

// get requests rf from byte off on.
func (f *fetcher) get(ctx context.Context, rf remoteFile, off int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rf.URL.String(), nil)
	if err != nil {
		return nil, permanent(fmt.Errorf("download: %s: %w", rf.URL, err))
	}
	if off > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", off))
	}
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download: GET %s: %w", rf.URL, err)
	}
	return resp, nil
}

// errStalled ends a transfer that receives nothing for a while.
var errStalled = errors.New("download: transfer stalled")

// copy streams body, read under ctx, into w, counting progress; a transfer that
// receives nothing for opts.Stall is aborted through cancel.
func (f *fetcher) copy(ctx context.Context, cancel context.CancelCauseFunc, w io.Writer, body io.Reader, out *outcome) (int64, error) {
	timer := time.AfterFunc(f.opts.Stall, func() { cancel(errStalled) })
	defer timer.Stop()
	buf := make([]byte, 256<<10)
	var n int64
	for {
		k, rerr := body.Read(buf)
		if k > 0 {
			timer.Reset(f.opts.Stall)
			if _, werr := w.Write(buf[:k]); werr != nil {
				return n, permanent(werr)
			}
			n += int64(k)
			out.bytes += int64(k)
			f.bar.Add(int64(k))
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			if errors.Is(context.Cause(ctx), errStalled) {
				return n, fmt.Errorf("nothing received for %s", f.opts.Stall)
			}
			return n, fmt.Errorf("receiving: %w", rerr)
		}
	}
}

// restarted accounts on the bar for the off bytes of a partial file thrown away.
func (f *fetcher) restarted(off int64) {
	if off > 0 {
		f.bar.SetTotal(f.total.Add(off))
	}
}

func partSize(part string) (int64, error) {
	fi, err := os.Stat(part)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("download: %w", err)
	}
	return fi.Size(), nil
}

func truncate(part string) error {
	if err := os.Truncate(part, 0); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("download: %w", err)
	}
	return nil
}

// contentRange parses "bytes START-END/TOTAL" (TOTAL may be "*": -1) and
// "bytes */TOTAL" (START -1).
func contentRange(v string) (start, total int64, ok bool) {
	v, found := strings.CutPrefix(strings.TrimSpace(v), "bytes ")
	if !found {
		return -1, -1, false
	}
	rng, tot, found := strings.Cut(v, "/")
	if !found {
		return -1, -1, false
	}
	total = -1
	if tot != "*" {
		t, err := strconv.ParseInt(tot, 10, 64)
		if err != nil || t < 0 {
			return -1, -1, false
		}
		total = t
	}
	if rng == "*" {
		return -1, total, true
	}
	s, e, found := strings.Cut(rng, "-")
	if !found {
		return -1, -1, false
	}
	start, err1 := strconv.ParseInt(s, 10, 64)
	end, err2 := strconv.ParseInt(e, 10, 64)
	if err1 != nil || err2 != nil || start < 0 || end < start || (total >= 0 && end >= total) {
		return -1, -1, false
	}
	if total < 0 {
		total = -1
	}
	return start, total, true
}
