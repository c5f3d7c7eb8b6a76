package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDownloadList(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := downloadCmd(context.Background(), &out, &errOut, []string{"--list"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"NAME", "trainUndersampled_HLF_features.parquet", "300 MB", "testUndersampled_InclusiveClassifier.parquet", "32 GB"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--list output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestDownloadUnknownName(t *testing.T) {
	var out, errOut bytes.Buffer
	err := downloadCmd(context.Background(), &out, &errOut, []string{"nosuch.parquet", "--dir", t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), `"nosuch.parquet"`) || !strings.Contains(err.Error(), "testUndersampled_HLF_features.parquet") {
		t.Fatalf("error %v, want one naming the unknown dataset and the known ones", err)
	}
}

func TestDownloadNeedsAName(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := downloadCmd(context.Background(), &out, &errOut, nil); !errors.Is(err, errUsage) {
		t.Fatalf("error %v, want errUsage", err)
	}
	if !strings.Contains(errOut.String(), "Usage: dltrigger download") || !strings.Contains(errOut.String(), "Example:") {
		t.Errorf("usage text:\n%s", errOut.String())
	}
}

func TestDownloadFromMirror(t *testing.T) {
	remote := t.TempDir()
	ds := filepath.Join(remote, "testUndersampled_HLF_features.parquet")
	if err := os.MkdirAll(ds, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ds, "part-00000.parquet"), []byte("payload"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(remote)))
	defer srv.Close()
	for _, tc := range []struct {
		name string
		env  string
		args []string
	}{
		{"flag", "", []string{"--base-url", srv.URL}},
		{"environment", srv.URL, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("DLTRIGGER_DATA_URL", tc.env)
			dir := t.TempDir()
			var out, errOut bytes.Buffer
			args := append([]string{"testUndersampled_HLF_features.parquet", "--quiet", "--dir", dir}, tc.args...)
			if err := downloadCmd(context.Background(), &out, &errOut, args); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(dir, "testUndersampled_HLF_features.parquet", "part-00000.parquet"))
			if err != nil || string(b) != "payload" {
				t.Fatalf("downloaded %q, %v", b, err)
			}
			if !strings.Contains(out.String(), "1 files (0 already complete, 0 resumed), 7 B received") {
				t.Errorf("summary: %q", out.String())
			}
		})
	}
}
