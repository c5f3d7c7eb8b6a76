package delphes

import (
	"context"
	"fmt"
	"net/url"
	"os/user"
	"path"
	"sort"
	"strings"
	"time"

	"go-hep.org/x/hep/xrootd"
)

// xrootdListTimeout bounds the connection and listing of one remote directory.
const xrootdListTimeout = 60 * time.Second

// expandURL expands an XRootD URL whose last path element is a glob (root://eos//dir/*.root)
// or, for a name not ending in .root, a directory (root://eos//dir): it lists the remote
// directory and returns the matching files' URLs, sorted. Other URLs are returned as they are,
// without contacting the server.
func expandURL(p string) ([]string, error) {
	u, err := url.Parse(p)
	if err != nil {
		return nil, fmt.Errorf("delphes: expand %s: %w", p, err)
	}
	if u.Scheme != "root" && u.Scheme != "xroot" {
		return []string{p}, nil
	}
	fpath := u.Path
	if strings.HasPrefix(fpath, "//") {
		fpath = fpath[1:]
	}
	dir, pattern := path.Dir(fpath), path.Base(fpath)
	isGlob := strings.ContainsAny(pattern, "*?[")
	if !isGlob && strings.HasSuffix(pattern, ".root") {
		return []string{p}, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), xrootdListTimeout)
	defer cancel()
	name := "godltrigger"
	if cur, err := user.Current(); err == nil {
		name = cur.Username
	}
	cli, err := xrootd.NewClient(ctx, u.Host, name)
	if err != nil {
		return nil, fmt.Errorf("delphes: expand %s: cannot reach %s: %w", p, u.Host, err)
	}
	defer cli.Close()
	if !isGlob {
		st, err := cli.FS().Stat(ctx, fpath)
		if err != nil {
			return nil, fmt.Errorf("delphes: expand %s: %w", p, err)
		}
		if !st.IsDir() {
			return []string{p}, nil
		}
		dir, pattern = fpath, "*.root"
	}
	entries, err := cli.FS().Dirlist(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("delphes: expand %s: list %s: %w", p, dir, err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		ok, err := path.Match(pattern, e.Name())
		if err != nil {
			return nil, fmt.Errorf("delphes: expand %s: bad pattern: %w", p, err)
		}
		if ok {
			out = append(out, remoteURL(u, path.Join(dir, e.Name())))
		}
	}
	if len(out) == 0 {
		if isGlob {
			return nil, fmt.Errorf("delphes: expand %s: no remote file matches", p)
		}
		return nil, fmt.Errorf("delphes: expand %s: remote directory holds no .root file", p)
	}
	sort.Strings(out)
	return out, nil
}

// remoteURL is the URL of the absolute path abs on u's server, in the root://host//abs form.
func remoteURL(u *url.URL, abs string) string {
	v := *u
	v.Path = "/" + abs
	v.RawPath = ""
	return v.String()
}
