package delphes

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Expand turns input patterns into file names, in order: a root:// URL whose last element is a
// glob, or that names a remote directory, gives the matching remote files (sorted; the server is
// asked for its listing), another URL is passed through, a directory gives the *.root files inside it (sorted), a glob gives its matches
// (sorted), and a plain path is kept. A pattern that matches nothing is an error naming it.
func Expand(patterns ...string) ([]string, error) {
	var out []string
	for _, p := range patterns {
		if strings.Contains(p, "://") {
			m, err := expandURL(p)
			if err != nil {
				return nil, err
			}
			out = append(out, m...)
			continue
		}
		if st, err := os.Stat(p); err == nil {
			if !st.IsDir() {
				out = append(out, p)
				continue
			}
			m, err := filepath.Glob(filepath.Join(globEscape(p), "*.root"))
			if err != nil {
				return nil, fmt.Errorf("delphes: expand %s: %w", p, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("delphes: expand %s: directory holds no .root file", p)
			}
			sort.Strings(m)
			out = append(out, m...)
			continue
		}
		m, err := filepath.Glob(p)
		if err != nil {
			return nil, fmt.Errorf("delphes: expand %s: bad pattern: %w", p, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("delphes: expand %s: no such file, or no file matches", p)
		}
		sort.Strings(m)
		out = append(out, m...)
	}
	return out, nil
}

// globEscape quotes the glob metacharacters of a literal path.
func globEscape(p string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)
	return r.Replace(p)
}
