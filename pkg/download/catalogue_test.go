package download

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestReadmeListsCatalogue(t *testing.T) {
	b, err := os.ReadFile("../../data/README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, d := range Catalogue() {
		if !strings.Contains(readme, "| `"+d.Name+"` |") {
			t.Errorf("data/README.md has no catalogue row for %s", d.Name)
		}
	}
}

func TestLookup(t *testing.T) {
	d, err := Lookup("testUndersampled_HLF_features.parquet")
	if err != nil || d.Rows != 856_090 || d.Format != "parquet" {
		t.Errorf("Lookup = %+v, %v", d, err)
	}
	_, err = Lookup("testUndersampled_HLF.parquet")
	if err == nil {
		t.Fatal("unknown name: no error")
	}
	for _, d := range Catalogue() {
		if !strings.Contains(err.Error(), d.Name) {
			t.Errorf("error %q does not list %s", err, d.Name)
		}
	}
}

func TestCatalogueNamesUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range Catalogue() {
		if seen[d.Name] || d.Bytes <= 0 || d.Description == "" {
			t.Errorf("bad or repeated entry %+v", d)
		}
		seen[d.Name] = true
	}
}

func TestWriteCatalogue(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCatalogue(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != len(Catalogue())+1 {
		t.Fatalf("%d lines, want a header and %d rows:\n%s", len(lines), len(Catalogue()), buf.String())
	}
	if got := strings.Join(strings.Fields(lines[2])[:5], " "); got != "testUndersampled_HLF_features.parquet parquet 75 MB 856090" {
		t.Errorf("second row starts %q", got)
	}
	if got := strings.Join(strings.Fields(lines[len(lines)-1])[:5], " "); got != "dataIngestion_full_13TeV_SAMPLE parquet 6.4 GB -" {
		t.Errorf("last row starts %q", got)
	}
}

func TestBaseURL(t *testing.T) {
	t.Setenv(EnvBaseURL, "")
	if got := BaseURL(""); got != DefaultBaseURL {
		t.Errorf("BaseURL(\"\") = %q, want the default", got)
	}
	t.Setenv(EnvBaseURL, "http://mirror/")
	if got := BaseURL(""); got != "http://mirror/" {
		t.Errorf("with $%s: %q", EnvBaseURL, got)
	}
	if got := BaseURL("http://flag/"); got != "http://flag/" {
		t.Errorf("override: %q", got)
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 75e6: "75 MB", 6.4e9: "6.4 GB", 255e9: "255 GB", 1.5e3: "1.5 kB"} {
		if got := HumanBytes(n); got != want {
			t.Errorf("HumanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
