package download

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// remoteFile is one file of a dataset.
type remoteFile struct {
	URL  *url.URL
	Rel  string // slash-separated path below the dataset root; "" when the dataset is one file
	Size int64  // bytes, -1 when unknown
}

// maxDepth bounds how deep the crawl descends below the dataset root.
const maxDepth = 32

// crawl lists the files of the dataset at start: a directory listing, crawled
// recursively but never above its root, or a single file.
func (f *fetcher) crawl(ctx context.Context, start *url.URL) ([]remoteFile, error) {
	root, files, err := f.listRoot(ctx, start)
	if err != nil || root == nil {
		return files, err
	}
	var out []remoteFile
	visited := map[string]bool{root.String(): true}
	var walk func(entries []Entry, depth int) error
	walk = func(entries []Entry, depth int) error {
		for _, e := range entries {
			rel := strings.TrimPrefix(e.URL.Path, root.Path)
			if !strings.HasPrefix(e.URL.Path, root.Path) || rel == "" {
				continue
			}
			if !e.Dir {
				out = append(out, remoteFile{URL: e.URL, Rel: rel, Size: -1})
				continue
			}
			if visited[e.URL.String()] {
				continue
			}
			visited[e.URL.String()] = true
			if depth+1 > maxDepth {
				return permanent(fmt.Errorf("download: %s: directories nested deeper than %d", e.URL, maxDepth))
			}
			sub, err := f.listDir(ctx, e.URL)
			if err != nil {
				return err
			}
			if err := walk(sub, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	first, err := f.listDir(ctx, root)
	if err != nil {
		return nil, err
	}
	if err := walk(first, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// listRoot finds out whether start is a directory listing, returning its URL with a
// trailing slash (after redirects), or a single file, returning it as the only file.
func (f *fetcher) listRoot(ctx context.Context, start *url.URL) (*url.URL, []remoteFile, error) {
	if strings.HasSuffix(start.Path, "/") {
		return start, nil, nil
	}
	var root *url.URL
	var single []remoteFile
	err := retry(ctx, f.opts.Retries, f.opts.Backoff, func() error {
		resp, err := f.head(ctx, start)
		if err != nil {
			return err
		}
		resp.Body.Close()
		final := *resp.Request.URL
		if resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode == http.StatusNotImplemented {
			// No HEAD: take the URL for a directory; a file shows as a listing error.
			final.Path += "/"
			final.RawPath = ""
			root = &final
			return nil
		}
		if resp.StatusCode != http.StatusOK {
			return statusError(resp)
		}
		if isHTML(resp.Header.Get("Content-Type")) {
			if !strings.HasSuffix(final.Path, "/") {
				final.Path += "/"
				final.RawPath = ""
			}
			root = &final
			return nil
		}
		single = []remoteFile{{URL: &final, Size: resp.ContentLength}}
		return nil
	})
	return root, single, err
}

// listDir fetches and parses the listing of the directory u.
func (f *fetcher) listDir(ctx context.Context, u *url.URL) ([]Entry, error) {
	var entries []Entry
	err := retry(ctx, f.opts.Retries, f.opts.Backoff, func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return permanent(fmt.Errorf("download: %s: %w", u, err))
		}
		resp, err := f.client.Do(req)
		if err != nil {
			return fmt.Errorf("download: list %s: %w", u, err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return statusError(resp)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "" && !isHTML(ct) {
			return permanent(fmt.Errorf("download: list %s: want an HTML directory listing, got %s", u, ct))
		}
		base := *resp.Request.URL
		entries, err = ParseListing(resp.Body, &base)
		return err
	})
	return entries, err
}

func (f *fetcher) head(ctx context.Context, u *url.URL) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, u.String(), nil)
	if err != nil {
		return nil, permanent(fmt.Errorf("download: %s: %w", u, err))
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download: HEAD %s: %w", u, err)
	}
	return resp, nil
}

func isHTML(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "text/html" || mt == "application/xhtml+xml")
}
