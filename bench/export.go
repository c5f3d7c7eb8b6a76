package bench

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/spec"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// ExportMeta is meta.json of an exported dataset.
type ExportMeta struct {
	Rows   int  `json:"rows"`
	SeqLen int  `json:"seq_len"` // particle rows per event in seq.f32; 0 without sequences
	HLF    bool `json:"hlf"`     // hlf.f32 [rows, 14] is present
	Seq    bool `json:"seq"`     // seq.f32 [rows, seq_len, 19] is present
}

// ExportData writes d to the folder dir (created) as meta.json, labels.i32 (little-endian
// int32 [N]) and, when d holds them, hlf.f32 and seq.f32 (little-endian float32, row-major).
// Each file is written to a temporary name and renamed when complete; meta.json comes last.
func ExportData(d modeldir.Data, dir string) error {
	n := len(d.Labels)
	meta := ExportMeta{Rows: n}
	if d.HLF != nil {
		if len(d.HLF) != n*models.NumHLF {
			return fmt.Errorf("bench: export %s: %d high-level values for %d rows", dir, len(d.HLF), n)
		}
		meta.HLF = true
	}
	if d.Seq != nil {
		if d.SeqLen <= 0 || len(d.Seq) != n*d.SeqLen*models.NumFeatures {
			return fmt.Errorf("bench: export %s: %d sequence values for %d rows of %d particles", dir, len(d.Seq), n, d.SeqLen)
		}
		meta.Seq, meta.SeqLen = true, d.SeqLen
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bench: export: %w", err)
	}
	labels := make([]byte, 4*n)
	for i, l := range d.Labels {
		binary.LittleEndian.PutUint32(labels[4*i:], uint32(int32(l)))
	}
	if err := writeAtomic(filepath.Join(dir, "labels.i32"), labels); err != nil {
		return err
	}
	if meta.HLF {
		if err := writeAtomic(filepath.Join(dir, "hlf.f32"), float32Bytes(d.HLF)); err != nil {
			return err
		}
	}
	if meta.Seq {
		if err := writeAtomic(filepath.Join(dir, "seq.f32"), float32Bytes(d.Seq)); err != nil {
			return err
		}
	}
	js, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return fmt.Errorf("bench: export %s: %w", dir, err)
	}
	return writeAtomic(filepath.Join(dir, "meta.json"), append(js, '\n'))
}

func float32Bytes(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// writeAtomic writes data to path through a temporary file renamed when complete.
func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("bench: write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("bench: write %s: %w", path, err)
	}
	return nil
}

// PreparedPaths returns the training and test datasets of a prepared folder (the output of
// 'dltrigger prepare') that the classifier kind reads: the HLF files for hlf, the inclusive
// ones otherwise.
func PreparedPaths(prepDir string, kind models.Kind) (trainDir, testDir string) {
	if !models.DefaultConfig(kind).UsesSequence() { // the HLF network and the tree ensembles
		return filepath.Join(prepDir, spec.TrainHLF), filepath.Join(prepDir, spec.TestHLF)
	}
	return filepath.Join(prepDir, spec.TrainInclusive), filepath.Join(prepDir, spec.TestInclusive)
}

// LoadPrepared loads the training and test sets of kind from a prepared folder, keeping the
// maxParticles particle rows (0: all) that training keeps by default: those nearest the lepton.
func LoadPrepared(ctx context.Context, prepDir string, kind models.Kind, maxParticles int) (trainData, testData modeldir.Data, err error) {
	trainDir, testDir := PreparedPaths(prepDir, kind)
	cfg := train.DataConfig{Kind: kind, MaxParticles: maxParticles, Truncate: modeldir.DefaultOptions().Truncation()}
	if trainData, err = train.LoadData(ctx, trainDir, cfg); err != nil {
		return modeldir.Data{}, modeldir.Data{}, fmt.Errorf("bench: %w", err)
	}
	if testData, err = train.LoadData(ctx, testDir, cfg); err != nil {
		return modeldir.Data{}, modeldir.Data{}, fmt.Errorf("bench: %w", err)
	}
	if trainData.Labels == nil || testData.Labels == nil {
		return modeldir.Data{}, modeldir.Data{}, fmt.Errorf("bench: prepared data in %s has no labels", prepDir)
	}
	return trainData, testData, nil
}

// Head returns the first n rows of d (all of them when it holds fewer), sharing its slices.
func Head(d modeldir.Data, n int) modeldir.Data {
	if n >= len(d.Labels) {
		return d
	}
	out := modeldir.Data{SeqLen: d.SeqLen, Labels: d.Labels[:n]}
	if d.HLF != nil {
		out.HLF = d.HLF[:n*models.NumHLF]
	}
	if d.Seq != nil {
		out.Seq = d.Seq[:n*d.SeqLen*models.NumFeatures]
	}
	return out
}

// WorkDir returns dir, created if missing, or, when dir is empty, a new temporary directory
// named after pattern (as os.MkdirTemp); done removes a temporary one and keeps a given one.
func WorkDir(dir, pattern string) (path string, done func(), err error) {
	if dir != "" {
		return dir, func() {}, os.MkdirAll(dir, 0o755)
	}
	if dir, err = os.MkdirTemp("", pattern); err != nil {
		return "", nil, err
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}
