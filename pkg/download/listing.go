package download

import (
	"fmt"
	"html"
	"io"
	"net/url"
	"path"
	"strings"
)

// Entry is one link of a directory listing that points below the listed directory.
type Entry struct {
	Name string   // path relative to the listed directory, unescaped; "sub/" for a directory
	URL  *url.URL // absolute
	Dir  bool     // the link ends in "/"
}

// maxListingBytes bounds how much of a listing page is read.
const maxListingBytes = 32 << 20

// ParseListing reads an HTML directory listing (Apache, nginx or Python http.server
// style) of the directory at base and returns the links to files and sub-directories
// below it, in page order, each once. Sort links ("?C=N;O=D"), links to the parent or any
// other place outside base, fragments and index.html* pages are left out.
func ParseListing(r io.Reader, base *url.URL) ([]Entry, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxListingBytes+1))
	if err != nil {
		return nil, fmt.Errorf("download: read listing %s: %w", base, err)
	}
	if len(b) > maxListingBytes {
		return nil, fmt.Errorf("download: listing %s: larger than %d bytes", base, maxListingBytes)
	}
	dir := *base
	dir.RawQuery, dir.Fragment = "", ""
	if !strings.HasSuffix(dir.Path, "/") {
		dir.Path += "/"
		dir.RawPath = ""
	}
	var out []Entry
	seen := map[string]bool{}
	for _, href := range hrefs(string(b)) {
		e, ok := entryOf(&dir, href)
		if !ok || seen[e.Name] {
			continue
		}
		seen[e.Name] = true
		out = append(out, e)
	}
	return out, nil
}

// entryOf resolves href against the directory dir and keeps it when it lies below dir.
func entryOf(dir *url.URL, href string) (Entry, bool) {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(href, "?") {
		return Entry{}, false
	}
	ref, err := url.Parse(href)
	if err != nil || ref.RawQuery != "" || ref.ForceQuery {
		return Entry{}, false
	}
	u := dir.ResolveReference(ref)
	u.Fragment = ""
	if u.Scheme != dir.Scheme || u.Host != dir.Host || !strings.HasPrefix(u.Path, dir.Path) {
		return Entry{}, false
	}
	name := strings.TrimPrefix(u.Path, dir.Path)
	if name == "" || strings.HasPrefix(name, "/") {
		return Entry{}, false
	}
	isDir := strings.HasSuffix(name, "/")
	clean := strings.TrimSuffix(name, "/")
	for _, part := range strings.Split(clean, "/") {
		if part == "" || part == "." || part == ".." {
			return Entry{}, false
		}
	}
	if !isDir && strings.HasPrefix(path.Base(clean), "index.html") {
		return Entry{}, false
	}
	return Entry{Name: name, URL: u, Dir: isDir}, true
}

// hrefs returns the unescaped href values of the <a> tags of an HTML page.
func hrefs(doc string) []string {
	var out []string
	lower := strings.ToLower(doc)
	for i := 0; i < len(doc); {
		j := strings.Index(lower[i:], "<a")
		if j < 0 {
			break
		}
		j += i + 2
		if j >= len(doc) || !isSpace(doc[j]) {
			i = j
			continue
		}
		attrs, end := tagAttrs(doc, j)
		if v, ok := attrs["href"]; ok {
			out = append(out, html.UnescapeString(v))
		}
		i = end
	}
	return out
}

// tagAttrs parses the attributes of a tag from doc[i:] up to its closing '>' and returns
// them (lower-case names) with the index after the tag.
func tagAttrs(doc string, i int) (map[string]string, int) {
	attrs := map[string]string{}
	for i < len(doc) {
		for i < len(doc) && (isSpace(doc[i]) || doc[i] == '/') {
			i++
		}
		if i >= len(doc) {
			break
		}
		if doc[i] == '>' {
			return attrs, i + 1
		}
		start := i
		for i < len(doc) && !isSpace(doc[i]) && doc[i] != '=' && doc[i] != '>' {
			i++
		}
		name := strings.ToLower(doc[start:i])
		for i < len(doc) && isSpace(doc[i]) {
			i++
		}
		if i >= len(doc) || doc[i] != '=' {
			attrs[name] = ""
			continue
		}
		i++
		for i < len(doc) && isSpace(doc[i]) {
			i++
		}
		var val string
		if i < len(doc) && (doc[i] == '"' || doc[i] == '\'') {
			q := doc[i]
			end := strings.IndexByte(doc[i+1:], q)
			if end < 0 {
				return attrs, len(doc)
			}
			val = doc[i+1 : i+1+end]
			i += end + 2
		} else {
			start := i
			for i < len(doc) && !isSpace(doc[i]) && doc[i] != '>' {
				i++
			}
			val = doc[start:i]
		}
		if _, dup := attrs[name]; !dup {
			attrs[name] = val
		}
	}
	return attrs, len(doc)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
