package download

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// request is one request the test server saw.
type request struct {
	Method, Path, Range string
}

// testServer serves files under Apache-like directory listings and records requests.
type testServer struct {
	*httptest.Server
	files map[string][]byte // URL path -> content

	mu          sync.Mutex
	log         []request
	ignoreRange bool           // answer 200 with the whole file to Range requests
	wrongRange  bool           // answer Range requests with a 206 for bytes from 0
	dropAfter   map[string]int // path -> bytes sent before dropping the connection, once
	status      map[string]int // path -> status to answer with
	shortGet    map[string]int // path -> bytes a GET sends, with a Content-Length that says so
}

// dataset is the layout served under /sparkdltrigger/ds.parquet/.
var datasetFiles = map[string]int{
	"_SUCCESS":                         0,
	"part-00000-c0ffee.snappy.parquet": 300_000,
	"part-00001-c0ffee.snappy.parquet": 250_001,
	"label=0/part-00000-beef.parquet":  200_000,
	"label=1/sub/part-00000.parquet":   150_000,
	"label=1/odd name 100%.parquet":    1_000,
	"label=1/sub/._part-00000.crc":     12,
}

const dsPath = "/sparkdltrigger/ds.parquet/"

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	s := &testServer{files: map[string][]byte{}, dropAfter: map[string]int{}, status: map[string]int{}, shortGet: map[string]int{}}
	for name, n := range datasetFiles {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		s.files[dsPath+name] = b
	}
	s.files["/sparkdltrigger/other.parquet/part-0.parquet"] = []byte("not to be fetched")
	s.files["/mirror/testUndersampled_HLF_features.parquet/part-0.parquet"] = []byte("hlf bytes")
	s.files["/sparkdltrigger/single.bin"] = bytes.Repeat([]byte("x"), 5000)
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *testServer) url(p string) string { return s.URL + p }

// requests returns the logged requests matching method and a path prefix.
func (s *testServer) requests(method, prefix string) []request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []request
	for _, r := range s.log {
		if r.Method == method && strings.HasPrefix(r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

func (s *testServer) resetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

func (s *testServer) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	s.mu.Lock()
	s.log = append(s.log, request{r.Method, p, r.Header.Get("Range")})
	code := s.status[p]
	drop, dropping := s.dropAfter[p]
	if dropping && r.Method == http.MethodGet {
		delete(s.dropAfter, p)
	}
	ignore, wrong := s.ignoreRange, s.wrongRange
	short, shortening := s.shortGet[p]
	s.mu.Unlock()
	if code != 0 {
		http.Error(w, http.StatusText(code), code)
		return
	}
	if body, ok := s.files[p]; ok {
		w.Header().Set("Content-Type", "application/octet-stream")
		switch {
		case shortening && r.Method == http.MethodGet:
			w.Header().Set("Content-Length", fmt.Sprint(short))
			w.Write(body[:short])
		case dropping && r.Method == http.MethodGet:
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			w.WriteHeader(http.StatusOK)
			w.Write(body[:drop])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler) // drops the connection midway
		case ignore || (wrong && r.Header.Get("Range") == ""):
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			if r.Method == http.MethodGet {
				w.Write(body)
			}
		case wrong:
			w.Header().Set("Content-Range", fmt.Sprintf("bytes 0-%d/%d", len(body)-1, len(body)))
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			w.WriteHeader(http.StatusPartialContent)
			w.Write(body)
		default:
			http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
		}
		return
	}
	dir := p
	if !strings.HasSuffix(dir, "/") {
		dir += "/"
	}
	children := s.children(dir)
	if len(children) == 0 {
		http.NotFound(w, r)
		return
	}
	if !strings.HasSuffix(p, "/") {
		http.Redirect(w, r, dir, http.StatusMovedPermanently)
		return
	}
	w.Header().Set("Content-Type", "text/html;charset=ISO-8859-1")
	if r.Method == http.MethodGet {
		apacheIndex(w, dir, children)
	}
}

// children lists the direct children of dir: "name" for files, "name/" for directories.
func (s *testServer) children(dir string) []string {
	seen := map[string]bool{}
	for p := range s.files {
		rest, ok := strings.CutPrefix(p, dir)
		if !ok {
			continue
		}
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			rest = rest[:i+1]
		}
		seen[rest] = true
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// apacheIndex writes a listing as Apache httpd 2.4's mod_autoindex does, with sort links,
// a parent link, a link back to index.html and one to a sibling dataset.
func apacheIndex(w http.ResponseWriter, dir string, children []string) {
	fmt.Fprintf(w, `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<html>
 <head>
  <title>Index of %[1]s</title>
 </head>
 <body>
<h1>Index of %[1]s</h1>
  <table>
   <tr><th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th><th><a href="?C=D;O=A">Description</a></th></tr>
   <tr><th colspan="5"><hr></th></tr>
<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]"></td><td><a href="/sparkdltrigger/">Parent Directory</a></td><td>&nbsp;</td><td align="right">  - </td><td>&nbsp;</td></tr>
<tr><td valign="top"><img src="/icons/text.gif" alt="[TXT]"></td><td><a href="index.html">index.html</a></td><td align="right">2019-11-26 14:37  </td><td align="right">1.2K</td><td>&nbsp;</td></tr>
<tr><td valign="top"><img src="/icons/folder.gif" alt="[DIR]"></td><td><a href="/sparkdltrigger/other.parquet/">other.parquet/</a></td><td align="right">2019-11-26 14:37  </td><td align="right">  - </td><td>&nbsp;</td></tr>
`, dir)
	for _, c := range children {
		icon, alt := "unknown.gif", "[   ]"
		if strings.HasSuffix(c, "/") {
			icon, alt = "folder.gif", "[DIR]"
		}
		href := (&url.URL{Path: c}).EscapedPath()
		fmt.Fprintf(w, `<tr><td valign="top"><img src="/icons/%s" alt="%s"></td><td><a href="%s">%s</a></td><td align="right">2019-11-26 14:37  </td><td align="right">293K</td><td>&nbsp;</td></tr>
`, icon, alt, href, c)
	}
	fmt.Fprint(w, "   <tr><th colspan=\"5\"><hr></th></tr>\n</table>\n<address>Apache/2.4.6 (CentOS) Server at sparkdltrigger.web.cern.ch Port 80</address>\n</body></html>\n")
}
