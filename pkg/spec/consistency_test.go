package spec_test

import (
	"slices"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/download"
	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/features"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/report"
	"github.com/godltrigger/godltrigger/pkg/serve"
	"github.com/godltrigger/godltrigger/pkg/spec"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

// The packages that keep a name of their own for a spec value, or a table that follows the
// spec's order, agree with it.

func TestParquetSchemasFollowSpec(t *testing.T) {
	seq := dataset.Column{Kind: dataset.Float64List2, Rows: spec.SequenceLength, Cols: spec.NumParticleFeatures}
	hlf := dataset.Column{Kind: dataset.Float64List, Width: len(spec.HLF)}
	enc := dataset.Column{Kind: dataset.Float64List, Width: len(spec.Classes)}
	label := dataset.Column{Kind: dataset.Int64}
	named := func(c dataset.Column, name string) dataset.Column { c.Name = name; return c }
	tests := []struct {
		name string
		got  dataset.Schema
		want dataset.Schema
	}{
		{"ingested", dataset.Ingested(), dataset.Schema{
			named(hlf, spec.ColumnHFeatures), named(label, spec.ColumnLabel), named(seq, spec.ColumnLFeatures)}},
		{"full", dataset.Full(), dataset.Schema{
			named(hlf, spec.ColumnHFeatures), named(label, spec.ColumnLabel), named(seq, spec.ColumnLFeatures),
			named(enc, spec.ColumnEncodedLabel), named(hlf, spec.ColumnHLFInput), named(seq, spec.ColumnGRUInput)}},
		{"HLF", dataset.HLF(), dataset.Schema{named(hlf, spec.ColumnHLFInput), named(enc, spec.ColumnEncodedLabel)}},
		{"inclusive", dataset.Inclusive(), dataset.Schema{
			named(hlf, spec.ColumnHLFInput),
			{Name: spec.ColumnGRUInput, Kind: dataset.Float64List, Width: spec.SequenceLength * len(spec.Particle)},
			named(enc, spec.ColumnEncodedLabel)}},
	}
	for _, tc := range tests {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s schema:\n got %v\nwant %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestFeatureIndicesFollowSpec(t *testing.T) {
	type index struct {
		i    int
		name string
	}
	for _, tc := range []struct {
		table   string
		names   []string
		indices []index
	}{
		{"spec.HLF", spec.HLF[:], []index{
			{features.HLFHT, "HT"}, {features.HLFMET, "MET"}, {features.HLFPhiMET, "PhiMET"}, {features.HLFMT, "MT"},
			{features.HLFNJets, "nJets"}, {features.HLFNBjets, "nBjets"}, {features.HLFLepPt, "LepPt"},
			{features.HLFLepEta, "LepEta"}, {features.HLFLepPhi, "LepPhi"}, {features.HLFLepIsoCh, "LepIsoCh"},
			{features.HLFLepIsoGamma, "LepIsoGamma"}, {features.HLFLepIsoNeu, "LepIsoNeu"},
			{features.HLFLepCharge, "LepCharge"}, {features.HLFLepIsEle, "LepIsEle"},
		}},
		{"spec.Particle", spec.Particle[:], []index{
			{features.ColEnergy, "Energy"}, {features.ColPx, "Px"}, {features.ColPy, "Py"}, {features.ColPz, "Pz"},
			{features.ColPt, "Pt"}, {features.ColEta, "Eta"}, {features.ColPhi, "Phi"}, {features.ColVtxX, "vtxX"},
			{features.ColVtxY, "vtxY"}, {features.ColVtxZ, "vtxZ"}, {features.ColChPFIso, "ChPFIso"},
			{features.ColGammaPFIso, "GammaPFIso"}, {features.ColNeuPFIso, "NeuPFIso"}, {features.ColIsChHad, "isChHad"},
			{features.ColIsNeuHad, "isNeuHad"}, {features.ColIsGamma, "isGamma"}, {features.ColIsEle, "isEle"},
			{features.ColIsMu, "isMu"}, {features.ColCharge, "Charge"},
		}},
	} {
		if len(tc.indices) != len(tc.names) {
			t.Errorf("features has %d indices into %s, which has %d names", len(tc.indices), tc.table, len(tc.names))
		}
		for k, c := range tc.indices {
			if c.i != k || tc.names[c.i] != c.name {
				t.Errorf("%s: index %d, %s[%d] = %q", c.name, c.i, tc.table, c.i, tc.names[c.i])
			}
		}
	}
	if features.NumParticles != features.MaxTracks+features.MaxPhotons+features.MaxNeutrals+1 {
		t.Errorf("features.NumParticles %d is not the lepton, %d tracks, %d photons and %d neutrals",
			features.NumParticles, features.MaxTracks, features.MaxPhotons, features.MaxNeutrals)
	}
}

func TestSizesFollowSpec(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"features.NumHLF", features.NumHLF, len(spec.HLF)},
		{"features.NumColumns", features.NumColumns, len(spec.Particle)},
		{"features.NumParticles", features.NumParticles, spec.SequenceLength},
		{"models.NumHLF", models.NumHLF, len(spec.HLF)},
		{"models.NumFeatures", models.NumFeatures, len(spec.Particle)},
		{"models.NumClasses", models.NumClasses, len(spec.Classes)},
		{"models.MaxParticles", models.MaxParticles, spec.SequenceLength},
		{"evaluate.NumClasses", evaluate.NumClasses, len(spec.Classes)},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, spec %d", c.name, c.got, c.want)
		}
	}
}

func TestClassNamesFollowSpec(t *testing.T) {
	if got := evaluate.ClassNames(); !slices.Equal(got, spec.Classes[:]) {
		t.Errorf("evaluate.ClassNames() = %v, spec %v", got, spec.Classes)
	}
	var got []string
	for _, c := range synth.AllClasses() {
		got = append(got, c.String())
		if int(c) != slices.Index(spec.Classes[:], c.String()) {
			t.Errorf("synth class %s has label %d", c, int(c))
		}
	}
	if !slices.Equal(got, spec.Classes[:]) {
		t.Errorf("synth classes %v, spec %v", got, spec.Classes)
	}
	if serve.DefaultClass != spec.Classes[spec.TTbar] {
		t.Errorf("serve.DefaultClass = %q, want the headline selector %q", serve.DefaultClass, spec.Classes[spec.TTbar])
	}
}

func TestDatasetNamesFollowSpec(t *testing.T) {
	published := []string{spec.TrainFull, spec.TestFull, spec.TrainHLF, spec.TestHLF, spec.TrainInclusive, spec.TestInclusive}
	if got := prep.Outputs(); !slices.Equal(got, published) {
		t.Errorf("prep.Outputs() = %v, spec %v", got, published)
	}
	for i, name := range published {
		d, err := download.Lookup(name)
		if err != nil {
			t.Errorf("the download catalogue lacks %s: %v", name, err)
			continue
		}
		rows := int64(spec.PublishedTrainRows)
		if i%2 == 1 {
			rows = spec.PublishedTestRows
		}
		if d.Format != "parquet" || d.Rows != rows {
			t.Errorf("catalogue %s: %s, %d rows, want parquet, %d", name, d.Format, d.Rows, rows)
		}
	}
}

func TestReferenceAUCsFollowSpec(t *testing.T) {
	for _, c := range []struct {
		kind models.Kind
		want float64
	}{
		{models.KindHLF, spec.ReferenceAUCHLF},
		{models.KindParticle, spec.ReferenceAUCParticle},
		{models.KindInclusive, spec.ReferenceAUCInclusive},
	} {
		if got := evaluate.ReferenceAUC(c.kind); got != c.want {
			t.Errorf("evaluate.ReferenceAUC(%s) = %v, spec %v", c.kind, got, c.want)
		}
		if got, ok := report.PaperAUC[string(c.kind)]; !ok || got != c.want {
			t.Errorf("report.PaperAUC[%s] = %v (%v), spec %v", c.kind, got, ok, c.want)
		}
	}
	if len(report.PaperAUC) != 3 {
		t.Errorf("report.PaperAUC has %d entries, want the three networks", len(report.PaperAUC))
	}
}
