package download

import (
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestParseListingApacheIndex(t *testing.T) {
	f, err := os.Open("testdata/apache_index.html")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	base, _ := url.Parse("http://sparkdltrigger.web.cern.ch/sparkdltrigger/testUndersampled_HLF_features.parquet/")
	got, err := ParseListing(f, base)
	if err != nil {
		t.Fatal(err)
	}
	const part = "-2b4d6a9e-75b4-4b5d-8a4f-5c1a0c3f6f0e-c000.snappy.parquet"
	want := []struct {
		name string
		dir  bool
		url  string
	}{
		{"._SUCCESS.crc", false, "._SUCCESS.crc"},
		{"_SUCCESS", false, "_SUCCESS"},
		{"label=1/", true, "label%3D1/"},
		{"part-00000" + part, false, "part-00000" + part},
		{"part-00001" + part, false, "part-00001" + part},
		{"part-00002" + part, false, "part-00002" + part},
		{"notes&errata v2.txt", false, "notes&errata%20v2.txt"},
	}
	if len(got) != len(want) {
		var names []string
		for _, e := range got {
			names = append(names, e.Name)
		}
		t.Fatalf("got %d entries %q, want %d", len(got), names, len(want))
	}
	for i, w := range want {
		e := got[i]
		if e.Name != w.name || e.Dir != w.dir || e.URL.String() != base.String()+w.url {
			t.Errorf("entry %d: %q dir=%v %s, want %q dir=%v %s", i, e.Name, e.Dir, e.URL, w.name, w.dir, base.String()+w.url)
		}
	}
}

func TestParseListingBaseWithoutSlash(t *testing.T) {
	base, _ := url.Parse("http://h/d/ds.parquet?x=1")
	got, err := ParseListing(strings.NewReader(`<pre><a href="ds.parquet/a">a</a> <a href="b">b</a></pre>`), base)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, e := range got {
		urls = append(urls, e.URL.String())
	}
	if want := []string{"http://h/d/ds.parquet/ds.parquet/a", "http://h/d/ds.parquet/b"}; !reflect.DeepEqual(urls, want) {
		t.Errorf("got %q, want %q", urls, want)
	}
}

func TestHrefs(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      []string
	}{
		{"double quotes", `<a href="x">x</a>`, []string{"x"}},
		{"single quotes and case", `<A HREF='y'>y</A>`, []string{"y"}},
		{"unquoted", `<a href=z>z</a>`, []string{"z"}},
		{"entities", `<a href="a&amp;b">`, []string{"a&b"}},
		{"other attributes first", `<a class="c" title="1 > 0" href = "w">`, []string{"w"}},
		{"not an anchor", `<abbr href="no">`, nil},
		{"no href", `<a name="top">`, nil},
		{"unterminated", `<a href="cut`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := hrefs(tc.doc); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("hrefs(%q) = %q, want %q", tc.doc, got, tc.want)
			}
		})
	}
}
