package pipeline

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/prep/preptest"
)

// The scale options replace the plan's particles, epochs and patiences, and --mask-padding
// trains the GRU classifiers with length bucketing on data prepared maskable.
func TestDemoScale(t *testing.T) {
	for _, tc := range []struct {
		o    DemoOptions
		want string
	}{
		{DemoOptions{MaxParticles: 802}, "802 particles"},
		{DemoOptions{MaxParticles: -1}, "-1 particles"},
		{DemoOptions{Epochs: -2}, "-2 epochs"},
		{DemoOptions{Patience: -1}, "patience -1"},
		{DemoOptions{LRPatience: -1}, "learning-rate patience -1"},
	} {
		if err := tc.o.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.o, err, tc.want)
		}
	}
	def := DemoOptions{}.networkPlans()
	scaled := DemoOptions{MaxParticles: 801, Epochs: 7, Patience: 2}.networkPlans()
	for i, p := range scaled {
		epochs := 7
		if p.Kind == models.KindHLF {
			epochs = def[i].Epochs // seconds per epoch: it trains to convergence
		}
		if p.Epochs != epochs || p.Patience != 2 {
			t.Errorf("%s: %d epochs, patience %d; want %d and 2", p.Kind, p.Epochs, p.Patience, epochs)
		}
		if want := map[bool]int{true: 801, false: 0}[def[i].MaxParticles > 0]; p.MaxParticles != want {
			t.Errorf("%s: %d particles, want %d", p.Kind, p.MaxParticles, want)
		}
	}
	if def[1].MaxParticles != demoParticles || def[1].Epochs != 30 {
		t.Errorf("the demo's particle plan changed: %+v", def[1])
	}

	ctx := context.Background()
	out := t.TempDir()
	ing, err := preptest.Ingest(ctx, out, 200, 5)
	if err != nil {
		t.Fatal(err)
	}
	prepared := filepath.Join(out, PreparedDir)
	if _, err := prep.Run(ctx, prep.Options{In: ing, Out: prepared, Seed: 42, MaskPadding: true, Logf: func(string, ...any) {}}); err != nil {
		t.Fatal(err)
	}
	o := DemoOptions{Out: out, MaxParticles: 100, Epochs: 1, LRPatience: 2, MaskPadding: true}
	o.normalize()
	for _, p := range o.networkPlans()[:2] {
		dir := filepath.Join(out, ModelsDir, string(p.Kind))
		if _, _, err := trainModel(ctx, nil, p, o, prepared, dir); err != nil {
			t.Fatalf("%s: %v", p.Kind, err)
		}
		info, err := modeldir.ReadInfo(dir)
		if err != nil {
			t.Fatal(err)
		}
		bucket := p.Kind == models.KindParticle
		if info.Options.BucketByLength != bucket || info.Options.LRPlateauPatience != 2 || info.Options.MaxParticles != p.MaxParticles {
			t.Errorf("%s: model.json options %+v; want bucketing %v, learning-rate patience 2, %d particles", p.Kind, info.Options, bucket, p.MaxParticles)
		}
		if bucket && !info.MaskPadding {
			t.Errorf("%s: model.json does not record the masked padding of its training data", p.Kind)
		}
		// A rerun with the same options reuses the model; with others it refuses.
		if _, reused, err := trainModel(ctx, nil, p, o, prepared, dir); err != nil || !reused {
			t.Errorf("%s: rerun: reused %v, error %v; want the model reused", p.Kind, reused, err)
		}
		other := o
		other.LRPatience = 3
		if _, _, err := trainModel(ctx, nil, p, other, prepared, dir); err == nil || !strings.Contains(err.Error(), "lr_plateau_patience 3 (the demo's plan and flags) differs from 2") {
			t.Errorf("%s: rerun with another learning-rate patience: error %v, want a refusal", p.Kind, err)
		}
	}
}
