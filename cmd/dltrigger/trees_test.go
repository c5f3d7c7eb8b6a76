package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/models"
)

func TestTreeKind(t *testing.T) {
	opts := filepath.Join(t.TempDir(), "rf.json")
	if err := os.WriteFile(opts, []byte(`{"model": {"kind": "rf"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want models.Kind
	}{
		{[]string{"--model", "xgboost", "--train", "x"}, models.KindXGBoost},
		{[]string{"-model=rf"}, models.KindRF},
		{[]string{"--train", "x", "--model", "hlf"}, ""},
		{[]string{"--options", opts}, models.KindRF},
		{[]string{"--options=" + opts, "--model", "hlf"}, ""},
		{[]string{"--train", "rf"}, ""},
		{[]string{"--", "--model", "rf"}, ""},
		{nil, ""},
	} {
		if got := treeKind(tc.args); got != tc.want {
			t.Errorf("treeKind(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}
