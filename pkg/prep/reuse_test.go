package prep_test

import (
	"context"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/prep"
)

func TestReuseComparesSettings(t *testing.T) {
	in := ingested(t)
	out := t.TempDir()
	base := prep.Options{In: in, Out: out, Seed: 7, Logf: t.Logf}
	if reuse, err := prep.Reuse(base); reuse || err != nil {
		t.Fatalf("empty output: reuse %v, %v; want false, nil", reuse, err)
	}
	if _, err := prep.Run(context.Background(), base); err != nil {
		t.Fatal(err)
	}
	if reuse, err := prep.Reuse(base); !reuse || err != nil {
		t.Fatalf("same settings: reuse %v, %v; want true", reuse, err)
	}
	for _, tc := range []struct {
		name string
		edit func(*prep.Options)
		want string
	}{
		{"seed", func(o *prep.Options) { o.Seed = 8 }, "the seed (--seed) 7; this run asks for 8"},
		{"test fraction", func(o *prep.Options) { o.TestFraction = 0.3 }, "the test fraction (--test-fraction) 0.2; this run asks for 0.3"},
		{"input", func(o *prep.Options) { o.In = t.TempDir() }, "the input (--in) " + in},
		{"parts", func(o *prep.Options) { o.Parts = 1000 }, "at least 1000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := base
			tc.edit(&o)
			reuse, err := prep.Reuse(o)
			if reuse || err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("reuse %v, error %v; want an error containing %q", reuse, err, tc.want)
			}
		})
	}
}
