package onnx

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/ingest"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/onnx/classifier"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// Producer is the ModelProto producer_name of the models written here.
const Producer = "godltrigger"

// Keys of the ONNX metadata_props, named as the provenance keys of the project's Parquet
// files (packages modeldir and prep) where they mean the same. Values are JSON unless said
// otherwise.
const (
	MetaProducer         = dataset.MetaProducer          // text: "dltrigger export"
	MetaVersion          = "dltrigger.version"           // text: the producer's version (also producer_version)
	MetaModelDir         = modeldir.MetaModelDir         // text: the exported model directory, absolute
	MetaModel            = modeldir.MetaModel            // models.Config
	MetaTraining         = modeldir.MetaTraining         // modeldir.Options
	MetaTrainingData     = "dltrigger.training_data"     // modeldir.DataFile verbatim: dataset paths (when present)
	MetaEpochs           = "dltrigger.epochs"            // text: completed epochs of the exported weights
	MetaKind             = "dltrigger.kind"              // text: the classifier kind (hlf, inclusive-lstm, inclusive-transformer, ...)
	MetaClasses          = "dltrigger.classes"           // ["qcd","ttbar","wjets"]: the order of the probabilities
	MetaFeatureSpec      = dataset.MetaFeatureSpec       // text: ingest.FeatureSpec, the step-1 feature definitions
	MetaHLFFeatures      = "dltrigger.hlf_features"      // names of the 14 hlf columns (models reading hlf)
	MetaParticleFeatures = "dltrigger.particle_features" // names of the 19 seq columns (models reading seq)
	MetaScaler           = prep.MetaScaler               // model.json's scaler verbatim (when it has one), as prepare's
	// MetaMaskPadding (models reading seq): "true" when seq must be prepared as 'dltrigger
	// prepare --mask-padding' prepares GRU_input (padding rows exactly 0 and first), "false"
	// for the original's preparation (model.json's mask_padding).
	MetaMaskPadding = "dltrigger.mask_padding"
)

// metadata collects the metadata_props of the model directory dir.
func metadata(dir string, info *modeldir.Info) ([]classifier.KeyValue, error) {
	var kv []classifier.KeyValue
	addJSON := func(key string, v any) error {
		data, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("onnx: model %s: encode %s: %w", dir, key, err)
		}
		kv = append(kv, entry(key, string(data)))
		return nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	kv = append(kv, entry(MetaProducer, "dltrigger export"), entry(MetaVersion, producerVersion()),
		entry(MetaModelDir, abs))
	if err := addJSON(MetaModel, info.Model); err != nil {
		return nil, err
	}
	if err := addJSON(MetaTraining, info.Options); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, modeldir.DataFile))
	switch {
	case err == nil:
		if !json.Valid(data) {
			return nil, fmt.Errorf("onnx: %s: not valid JSON", filepath.Join(dir, modeldir.DataFile))
		}
		kv = append(kv, entry(MetaTrainingData, string(data)))
	case !errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("onnx: %w", err)
	}
	hist, err := modeldir.ReadHistory(dir)
	if err != nil {
		return nil, fmt.Errorf("onnx: %w", err)
	}
	kv = append(kv, entry(MetaEpochs, fmt.Sprint(hist.ServedEpoch(info.Options))), entry(MetaKind, string(info.Model.Kind)))
	if err := addJSON(MetaClasses, spec.Classes); err != nil {
		return nil, err
	}
	kv = append(kv, entry(MetaFeatureSpec, ingest.FeatureSpec))
	if info.Model.UsesHLF() {
		if err := addJSON(MetaHLFFeatures, spec.HLF); err != nil {
			return nil, err
		}
	}
	if info.Model.UsesSequence() {
		if err := addJSON(MetaParticleFeatures, spec.Particle); err != nil {
			return nil, err
		}
		kv = append(kv, entry(MetaMaskPadding, fmt.Sprint(info.MaskPadding)))
	}
	if len(info.Scaler) > 0 {
		kv = append(kv, entry(MetaScaler, string(info.Scaler)))
	}
	return kv, nil
}

// producerVersion is the main module's version and, when the build recorded it, its VCS
// revision ("(devel)+abc123def456-dirty").
func producerVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision":
			rev = s.Value
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = "-dirty"
		}
	}
	if rev != "" {
		v += "+" + rev[:min(12, len(rev))] + dirty
	}
	return v
}

// ReadMetadata returns the metadata_props of the ONNX model file path.
func ReadMetadata(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("onnx: %w", err)
	}
	bad := func(what string) error { return fmt.Errorf("onnx: %s: not an ONNX model: %s", path, what) }
	out := map[string]string{}
	for b := data; len(b) > 0; {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, bad("bad field tag")
		}
		b = b[n:]
		if num != 14 || typ != protowire.BytesType { // ModelProto.metadata_props
			if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
				return nil, bad(fmt.Sprintf("bad value of field %d", num))
			}
			b = b[n:]
			continue
		}
		entry, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return nil, bad("bad metadata entry")
		}
		b = b[n:]
		var key, value string
		for len(entry) > 0 {
			f, t, m := protowire.ConsumeTag(entry)
			if m < 0 || t != protowire.BytesType {
				return nil, bad("bad metadata entry")
			}
			s, k := protowire.ConsumeString(entry[m:])
			if k < 0 {
				return nil, bad("bad metadata string")
			}
			switch f {
			case 1:
				key = s
			case 2:
				value = s
			}
			entry = entry[m+k:]
		}
		out[key] = value
	}
	return out, nil
}

// entry is one metadata_props entry.
func entry(key, value string) classifier.KeyValue { return classifier.KeyValue{Key: key, Value: value} }
