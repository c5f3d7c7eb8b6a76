package modeldir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// OptionsFile is a training configuration saved as JSON: the tuning step writes its best
// point as one, and 'dltrigger train --options FILE' reads it.
//
//	{
//	  "model":   {"kind": "hlf", "hlf_hidden": [100, 50, 20]},
//	  "options": {"epochs": 30, "batch_size": 100, "learning_rate": 0.001}
//	}
//
// "model" holds a models.Config and "options" the Options (the names of model.json's
// "model" and "training"). Members left out keep the defaults: DefaultConfig of the kind
// and DefaultOptions.
type OptionsFile struct {
	Model   models.Config `json:"model"`
	Options Options       `json:"options"`
}

// DefaultOptionsFile is the published architecture of kind with the default training options.
func DefaultOptionsFile(kind models.Kind) *OptionsFile {
	return &OptionsFile{Model: models.DefaultConfig(kind), Options: DefaultOptions()}
}

// ReadOptionsFile reads path. The model kind comes from the file, or from kind when the file
// names none; a file naming another kind than a non-empty kind is an error. Unset members
// take the defaults of the kind. The result is validated.
func ReadOptionsFile(path string, kind models.Kind) (*OptionsFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("modeldir: read options: %w", err)
	}
	var probe struct {
		Model struct {
			Kind models.Kind `json:"kind"`
		} `json:"model"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("modeldir: decode options %s: %w", path, err)
	}
	switch {
	case probe.Model.Kind == "" && kind == "":
		return nil, fmt.Errorf("modeldir: options %s: no model kind (set \"model\": {\"kind\": ...})", path)
	case probe.Model.Kind == "":
	case kind != "" && probe.Model.Kind != kind:
		return nil, fmt.Errorf("modeldir: options %s are for the %s classifier, not %s", path, probe.Model.Kind, kind)
	default:
		kind = probe.Model.Kind
	}
	f := DefaultOptionsFile(kind)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(f); err != nil {
		return nil, fmt.Errorf("modeldir: decode options %s: %w", path, err)
	}
	f.Model.Kind = kind
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("modeldir: options %s: %w", path, err)
	}
	return f, nil
}

// Validate checks the model configuration and the options.
func (f *OptionsFile) Validate() error {
	if err := f.Model.Validate(); err != nil {
		return err
	}
	return f.Options.Validate()
}

// WriteOptionsFile writes f to path as indented JSON, atomically.
func WriteOptionsFile(path string, f *OptionsFile) error {
	if err := f.Validate(); err != nil {
		return fmt.Errorf("modeldir: write options %s: %w", path, err)
	}
	return writeJSON(path, f)
}
