package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/prep"
)

// TestMaskPaddingAndBucketing prepares with --mask-padding, trains with --bucket-by-length
// (refused on the default preparation), checks model.json, and refuses a resume that restates
// another bucketing.
func TestMaskPaddingAndBucketing(t *testing.T) {
	data := preparedData(t)
	fail := func(want string, args ...string) {
		t.Helper()
		var stderr bytes.Buffer
		var code int
		usage := stderrOf(t, func() { code = run(context.Background(), args, &stderr) })
		if all := usage + stderr.String(); code != 1 || !strings.Contains(all, want) {
			t.Fatalf("dltrigger %s: exit code %d, stderr:\n%s\nwant 1 and %q", strings.Join(args, " "), code, all, want)
		}
	}
	fail("prepared with 'dltrigger prepare --mask-padding'", "train", "--model", "particle", "--bucket-by-length",
		"--train", filepath.Join(data, prep.TrainInclusive), "--test", filepath.Join(data, prep.TestInclusive), "--out", t.TempDir(), "--quiet")

	masked := filepath.Join(t.TempDir(), "prepared")
	runOK(t, context.Background(), "prepare", "--in", filepath.Join(filepath.Dir(data), "ingested"), "--out", masked, "--mask-padding", "--quiet")
	tr, te := filepath.Join(masked, prep.TrainInclusive), filepath.Join(masked, prep.TestInclusive)
	model := filepath.Join(t.TempDir(), "m")
	runOK(t, context.Background(), "train", "--model", "particle", "--bucket-by-length", "--max-particles", "64", "--epochs", "1",
		"--train", tr, "--test", te, "--out", model, "--quiet")
	info, err := modeldir.ReadInfo(model)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Options.BucketByLength || !info.MaskPadding || info.Options.MaxParticles != 64 {
		t.Fatalf("model.json: bucket_by_length %v, mask_padding %v, max_particles %d; want true, true, 64",
			info.Options.BucketByLength, info.MaskPadding, info.Options.MaxParticles)
	}
	fail("bucket_by_length 0 (--bucket-by-length) differs from true", "train", "--resume", "--bucket-by-length=false", "--epochs", "2",
		"--train", tr, "--test", te, "--out", model, "--quiet")
}
