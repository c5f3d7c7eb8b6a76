package modeldir

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/models"
)

func TestOptionsFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "best.json")
	f := DefaultOptionsFile(models.KindHLF)
	f.Model.HLFHidden = []int{100, 50, 20}
	f.Options.Epochs, f.Options.BatchSize = 30, 100
	if err := WriteOptionsFile(path, f); err != nil {
		t.Fatal(err)
	}
	got, err := ReadOptionsFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, f) {
		t.Fatalf("read %+v, wrote %+v", got, f)
	}
}

func TestReadOptionsFile(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		kind       models.Kind
		want       func(*OptionsFile) bool
		err        string
	}{
		{"partial file keeps defaults", `{"model": {"kind": "particle", "gru_units": 20}, "options": {"epochs": 3}}`, "",
			func(f *OptionsFile) bool {
				d := DefaultOptions()
				d.Epochs = 3
				want := models.DefaultConfig(models.KindParticle)
				want.GRUUnits = 20
				return reflect.DeepEqual(f.Model, want) && f.Options == d
			}, ""},
		{"kind from the caller", `{"options": {"batch_size": 64}}`, models.KindInclusive,
			func(f *OptionsFile) bool {
				return f.Model.Kind == models.KindInclusive && f.Model.InclusiveHidden == 25 && f.Options.BatchSize == 64
			}, ""},
		{"kinds disagree", `{"model": {"kind": "hlf"}}`, models.KindParticle, nil, "for the hlf classifier, not particle"},
		{"no kind", `{"options": {}}`, "", nil, "no model kind"},
		{"unknown member", `{"model": {"kind": "hlf"}, "optoins": {}}`, "", nil, "unknown field"},
		{"invalid", `{"model": {"kind": "hlf"}, "options": {"epochs": 0}}`, "", nil, "epochs must be > 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "o.json")
			if err := os.WriteFile(path, []byte(tc.json), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := ReadOptionsFile(path, tc.kind)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), path) {
					t.Fatalf("error %v, want one naming %s and %q", err, path, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want(f) {
				t.Fatalf("got %+v", f)
			}
		})
	}
}
