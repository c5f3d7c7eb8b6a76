package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/godltrigger/godltrigger/pkg/dataset"
)

// settings are the footer values of the outputs that depend on the options: outputs of runs
// with the same settings are interchangeable, so a rerun may keep them.
func (o Options) settings() map[string]string {
	quirks := "reproduced"
	if o.Features.FixQuirks {
		quirks = "fixed"
	}
	return map[string]string{dataset.MetaFeatureSpec: FeatureSpec, dataset.MetaQuirks: quirks}
}

// settingNames tells people which option a setting comes from.
var settingNames = map[string]string{
	dataset.MetaQuirks:      "quirks (--fix-quirks)",
	dataset.MetaFeatureSpec: "feature specification (another version of the program)",
}

// checkSettings returns an error unless the existing output path was written with the
// settings want.
func checkSettings(path string, want map[string]string) error {
	r, err := dataset.Open(path)
	if err != nil {
		return fmt.Errorf("ingest: existing output %s cannot be read (remove it to ingest its input again): %w", path, err)
	}
	got := r.Files()[0].Metadata()
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if got[k] != want[k] {
			return fmt.Errorf("ingest: %s was made with %s %q, this run asks for %q: rerun with the settings of the existing outputs, or ingest into another output directory",
				path, settingNames[k], got[k], want[k])
		}
	}
	return nil
}

// stamp identifies a whole ingestion, all shards together: its inputs, their labels and the
// settings. Shards mark the output complete together only when their stamps agree.
func stamp(all []Input, settings map[string]string) string {
	h := sha256.New()
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "%s=%s\n", k, settings[k])
	}
	for _, in := range all {
		fmt.Fprintf(h, "%d\t%s\n", in.Label, in.Path)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// markDone records that this run's shard is complete (see dataset.MarkShardSuccess). A run
// that changed nothing in an output already marked complete leaves it as it is.
func markDone(out string, sum *Summary, stamp string, changed bool) error {
	if !changed && dataset.IsComplete(out) {
		sum.Complete = true
		return nil
	}
	complete, err := dataset.MarkShardSuccess(out, sum.Shard, sum.Of, stamp)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	sum.Complete, sum.shardDone = complete, true
	return nil
}

// dirs records the directories a run created, to remove those it left empty.
type dirs struct {
	mu   sync.Mutex
	made []string
}

// mkdir creates dir and its parents, remembering those that did not exist.
func (d *dirs) mkdir(dir string) error {
	var missing []string
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		if _, err := os.Stat(p); err == nil {
			break
		}
		missing = append(missing, p)
		if filepath.Dir(p) == p {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	d.mu.Lock()
	d.made = append(d.made, missing...)
	d.mu.Unlock()
	return nil
}

// removeEmpty removes the directories it made that are empty, deepest first.
func (d *dirs) removeEmpty() {
	d.mu.Lock()
	defer d.mu.Unlock()
	sort.SliceStable(d.made, func(i, j int) bool { return len(d.made[i]) > len(d.made[j]) })
	for _, p := range d.made {
		os.Remove(p) // fails, as it should, when p holds anything
	}
}
