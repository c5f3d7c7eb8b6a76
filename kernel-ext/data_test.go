package kernelext

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// writeSmallIngested writes two events per label 0 and 1, HT = 10*label + i, as step 1 does.
func writeSmallIngested(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for label := int64(0); label < 2; label++ {
		path := filepath.Join(dataset.PartitionDir(dir, spec.ColumnLabel, label), dataset.PartName(0, "test"))
		w, err := dataset.NewWriter(path, dataset.Ingested().Drop(spec.ColumnLabel))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			hf := make([]float64, spec.NumHLF)
			lf := make([]float64, spec.SequenceLength*spec.NumParticleFeatures)
			hf[features.HLFHT], hf[features.HLFNJets], lf[0] = float64(10*label+int64(i)), float64(i), 0.5
			if err := w.Append(hf, lf); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestHeadTable(t *testing.T) {
	dir := writeSmallIngested(t)
	tb, err := HeadTable(context.Background(), dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	// hfeatures spread over one column per feature, then lfeatures and label.
	want := append(slices.Clone(spec.HLF[:]), spec.ColumnLFeatures, spec.ColumnLabel)
	if !slices.Equal(tb.Header, want) {
		t.Errorf("header %v, want %v", tb.Header, want)
	}
	if len(tb.Rows) != 3 {
		t.Fatalf("%d rows, want 3", len(tb.Rows))
	}
	row := tb.Rows[2]
	if row[features.HLFHT] != "10" || row[len(row)-1] != "1" {
		t.Errorf("row 2: HT %s, label %s, want 10 and 1", row[features.HLFHT], row[len(row)-1])
	}
	if l := row[spec.NumHLF]; !strings.HasPrefix(l, "801x19 [[0.5, 0, 0, 0, … (19)]") {
		t.Errorf("lfeatures cell %q, not abbreviated as dataset's Head writes it", l)
	}
	tb, err = HeadTable(context.Background(), dir, 1, spec.ColumnLabel)
	if err != nil || !slices.Equal(tb.Header, []string{spec.ColumnLabel}) {
		t.Errorf("label only: header %v, %v", tb.Header, err)
	}
}

func TestHLFHistograms(t *testing.T) {
	dir := writeSmallIngested(t)
	plots, err := HLFHistograms(context.Background(), dir, []string{"HT", "nJets"}, 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(plots) != 2 || plots[0].Title.Text != "HT" || plots[1].Title.Text != "nJets" {
		t.Fatalf("%d plots, want HT and nJets", len(plots))
	}
	// HT is 0, 1, 10 and 11, nJets 0 and 1: integers, one bin per integer.
	if p := plots[0]; p.X.Min != -0.5 || p.X.Max != 11.5 {
		t.Errorf("HT axis [%v, %v], want [-0.5, 11.5]", p.X.Min, p.X.Max)
	}
	if p := plots[1]; p.X.Min != -0.5 || p.X.Max != 1.5 {
		t.Errorf("nJets axis [%v, %v], want [-0.5, 1.5]", p.X.Min, p.X.Max)
	}
	// maxRows 2 reads only the qcd events: HT 0 and 1.
	plots, err = HLFHistograms(context.Background(), dir, []string{"HT"}, 5, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p := plots[0]; p.X.Min != -0.5 || p.X.Max != 1.5 {
		t.Errorf("HT of 2 rows: axis [%v, %v], want [-0.5, 1.5]", p.X.Min, p.X.Max)
	}
	if _, err := HLFHistograms(context.Background(), dir, []string{"HTT"}, 5, 0); err == nil || !strings.Contains(err.Error(), `no high-level feature "HTT"`) {
		t.Errorf("unknown feature: %v", err)
	}
}
