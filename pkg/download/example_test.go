package download_test

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/godltrigger/godltrigger/pkg/download"
)

// Fetch a dataset from a mirror; here a local server listing a directory as Go's file
// server does.
func ExampleFetch() {
	remote, _ := os.MkdirTemp("", "mirror")
	defer os.RemoveAll(remote)
	ds := filepath.Join(remote, "testUndersampled_HLF_features.parquet")
	os.MkdirAll(filepath.Join(ds, "sub"), 0o755)
	os.WriteFile(filepath.Join(ds, "_SUCCESS"), nil, 0o644)
	os.WriteFile(filepath.Join(ds, "part-00000.parquet"), []byte(strings.Repeat("x", 1000)), 0o644)
	os.WriteFile(filepath.Join(ds, "sub", "part-00001.parquet"), []byte("yy"), 0o644)
	srv := httptest.NewServer(http.FileServer(http.Dir(remote)))
	defer srv.Close()

	local, _ := os.MkdirTemp("", "data")
	defer os.RemoveAll(local)
	opts := download.Options{BaseURL: srv.URL}
	for range 2 { // the second run finds everything complete
		res, err := download.Fetch(context.Background(), "testUndersampled_HLF_features.parquet", local, opts)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%d files, %d skipped, %d bytes\n", res.Files, res.Skipped, res.Bytes)
	}
	filepath.WalkDir(local, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(local, p)
			fmt.Println(filepath.ToSlash(rel))
		}
		return err
	})
	// Output:
	// 3 files, 0 skipped, 1002 bytes
	// 3 files, 3 skipped, 0 bytes
	// testUndersampled_HLF_features.parquet/_SUCCESS
	// testUndersampled_HLF_features.parquet/part-00000.parquet
	// testUndersampled_HLF_features.parquet/sub/part-00001.parquet
}

func ExampleParseListing() {
	page := `<h1>Index of /sparkdltrigger/ds.parquet</h1>
<a href="?C=N;O=D">Name</a> <a href="/sparkdltrigger/">Parent Directory</a>
<a href="_SUCCESS">_SUCCESS</a> <a href="label%3D1/">label=1/</a>
<a href="part-00000.snappy.parquet">part-00000.snappy.parquet</a> <a href="index.html">index.html</a>`
	base, _ := url.Parse("http://sparkdltrigger.web.cern.ch/sparkdltrigger/ds.parquet/")
	entries, _ := download.ParseListing(strings.NewReader(page), base)
	for _, e := range entries {
		fmt.Println(e.Name, e.Dir)
	}
	// Output:
	// _SUCCESS false
	// label=1/ true
	// part-00000.snappy.parquet false
}

func ExampleLookup() {
	d, _ := download.Lookup("testUndersampled_HLF_features.parquet")
	fmt.Println(d.Format, download.HumanBytes(d.Bytes), d.Rows)
	_, err := download.Lookup("testUndersampled.root")
	fmt.Println(err != nil)
	// Output:
	// parquet 75 MB 856090
	// true
}
