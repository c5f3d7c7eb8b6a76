package train

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// Restated is what a resumed run is given again besides its directory, as a command line
// gives it: the classifier and training options a new run would take. A resumed run continues
// with the settings it recorded (model.json, data.json); each setting restated must equal the
// recorded one, or the resume is refused with an error naming the setting, both values and how
// it was given. The number of epochs is the exception: it may change (see Resume).
type Restated struct {
	// Kind is the classifier's kind, "" when not given.
	Kind models.Kind
	// Model is a whole classifier configuration (from an options file), nil when not given;
	// ModelFrom says how it was given (e.g. "--options best.json").
	Model     *models.Config
	ModelFrom string
	// Options holds the training options given; Given maps the JSON name of each one given
	// (as in model.json's "training": "learning_rate", "batch_size", ...) to how it was given
	// (e.g. "--lr"). Options not in Given are not compared.
	Options modeldir.Options
	Given   map[string]string
}

// GiveAll marks every training option of r.Options but the number of epochs as given by how.
func (r *Restated) GiveAll(how string) {
	if r.Given == nil {
		r.Given = map[string]string{}
	}
	t := reflect.TypeFor[modeldir.Options]()
	for i := range t.NumField() {
		if name := jsonName(t.Field(i)); name != "" && name != "epochs" {
			r.Given[name] = how
		}
	}
}

// jsonName is the member name of a struct field in JSON ("" for a field left out).
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	if name == "" {
		return f.Name
	}
	return name
}

// CheckRestated compares what job restates with the records of job.Dir (model.json,
// data.json) as a resume does before it trains: a caller that reuses a finished run instead of
// resuming it checks the same, so that it never reports a run trained with other settings.
func (job DatasetJob) CheckRestated() error {
	info, err := modeldir.ReadInfo(job.Dir)
	if err != nil {
		return err
	}
	rec, err := modeldir.ReadDataRecord(job.Dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return job.checkRestated(info, rec)
}

// checkRestated compares what job restates (job.Restated, the datasets and the shuffle
// buffer) with the run's records: info (model.json) and rec (data.json; its empty members are
// not compared).
func (job DatasetJob) checkRestated(info *modeldir.Info, rec modeldir.DataRecord) error {
	modelFile, dataFile := filepath.Join(job.Dir, modeldir.ModelFile), filepath.Join(job.Dir, modeldir.DataFile)
	refuse := func(what string, given any, how string, recorded any, file string) error {
		if how != "" {
			how = " (" + how + ")"
		}
		return fmt.Errorf("train: resume %s: %s %v%s differs from %v recorded in %s: a resumed run continues with its own settings (only the number of epochs may change); train into another directory to change them",
			job.Dir, what, given, how, recorded, file)
	}
	for _, d := range []struct{ what, given, recorded string }{
		{"training dataset", job.TrainDir, rec.Train}, {"validation dataset", job.TestDir, rec.Test},
	} {
		if d.recorded != "" && d.given != "" && !samePath(d.given, d.recorded) {
			return refuse(d.what, d.given, "", d.recorded, dataFile)
		}
	}
	if job.ShuffleBuffer > 0 && rec.Streamed && job.ShuffleBuffer != rec.ShuffleBuffer {
		return refuse("shuffle buffer", job.ShuffleBuffer, "", rec.ShuffleBuffer, dataFile)
	}
	r := job.Restated
	if r == nil {
		return nil
	}
	if r.Kind != "" && r.Kind != info.Model.Kind {
		return refuse("classifier", r.Kind, "", info.Model.Kind, modelFile)
	}
	if r.Model != nil {
		name, given, recorded, err := firstDifference(*r.Model, info.Model, nil)
		if err != nil {
			return err
		}
		if name != "" {
			return refuse("model "+name, given, r.ModelFrom, recorded, modelFile)
		}
	}
	names := []string{} // not nil: only those given
	for name := range r.Given {
		// Without particle sequences, a new run records no particle count either.
		if name != "epochs" && (name != "max_particles" || info.Model.UsesSequence()) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	name, given, recorded, err := firstDifference(r.Options, info.Options, names)
	if err != nil {
		return err
	}
	if name != "" {
		return refuse(name, given, r.Given[name], recorded, modelFile)
	}
	return nil
}

// firstDifference encodes a and b as JSON objects and returns the first of names (all
// members, sorted, when names is nil) whose values differ, with both values ("" when none).
// A member left out (empty) counts as 0.
func firstDifference(a, b any, names []string) (name string, av, bv any, err error) {
	ma, err := jsonMembers(a)
	if err != nil {
		return "", nil, nil, err
	}
	mb, err := jsonMembers(b)
	if err != nil {
		return "", nil, nil, err
	}
	if names == nil {
		for k := range ma {
			names = append(names, k)
		}
		for k := range mb {
			if _, ok := ma[k]; !ok {
				names = append(names, k)
			}
		}
		slices.Sort(names)
	}
	for _, n := range names {
		x, y := ma[n], mb[n]
		if !reflect.DeepEqual(x, y) {
			return n, orZero(x), orZero(y), nil
		}
	}
	return "", nil, nil, nil
}

func orZero(v any) any {
	if v == nil {
		return 0
	}
	return v
}

// jsonMembers is v encoded as a JSON object, decoded into a map.
func jsonMembers(v any) (map[string]any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("train: compare settings: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("train: compare settings: %w", err)
	}
	return m, nil
}

// samePath reports whether the paths a and b name the same file or directory: the same
// cleaned path, or the same file on disk.
func samePath(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	if aa, err := filepath.Abs(a); err == nil {
		if ab, err := filepath.Abs(b); err == nil && aa == ab {
			return true
		}
	}
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

// sameJSON reports whether a and b encode the same JSON value.
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
