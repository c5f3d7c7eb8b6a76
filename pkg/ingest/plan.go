package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/spec"
)

// Sample is one class of input events.
type Sample struct {
	Name     string   // e.g. "ttbar"
	Label    int64    // 0 qcd, 1 ttbar, 2 wjets in the original
	Patterns []string // paths, globs, directories or root:// URLs
}

// ParseSample parses a "NAME=PATTERN[,PATTERN...]" flag value. NAME is qcd, ttbar or wjets
// (labels 0, 1, 2 as in the original) or a non-negative integer label.
func ParseSample(s string) (Sample, error) {
	name, pats, ok := strings.Cut(s, "=")
	if !ok || name == "" || pats == "" {
		return Sample{}, fmt.Errorf("ingest: sample %q: want NAME=GLOB (e.g. ttbar=data/ttbar/*.root)", s)
	}
	label := int64(-1)
	for i, n := range spec.Classes {
		if n == name {
			label = int64(i)
		}
	}
	if label < 0 {
		v, err := strconv.ParseInt(name, 10, 64)
		if err != nil || v < 0 {
			return Sample{}, fmt.Errorf("ingest: sample %q: unknown class %q (want %s or a label number)", s, name, strings.Join(spec.Classes[:], ", "))
		}
		label = v
	}
	return Sample{Name: name, Label: label, Patterns: strings.Split(pats, ",")}, nil
}

// Input is one input file and the label of its events.
type Input struct {
	Path   string
	Label  int64
	Sample string
}

// Plan expands the samples into input files, sorted by label then path, and keeps the share of
// shard (0-based) of n: the inputs whose position i in that order has i % n == shard.
func Plan(samples []Sample, shard, n int) ([]Input, error) {
	if n < 1 || shard < 0 || shard >= n {
		return nil, fmt.Errorf("ingest: shard %d of %d: want 0 <= shard < n", shard, n)
	}
	all, err := planAll(samples)
	if err != nil {
		return nil, err
	}
	return shareOf(all, shard, n), nil
}

// shareOf keeps the inputs of shard of n: those at positions i with i % n == shard.
func shareOf(all []Input, shard, n int) []Input {
	var mine []Input
	for i, in := range all {
		if i%n == shard {
			mine = append(mine, in)
		}
	}
	return mine
}

// planAll expands the samples into the inputs of all shards, sorted by label then path.
func planAll(samples []Sample) ([]Input, error) {
	var all []Input
	seen := map[string]bool{}
	for _, s := range samples {
		files, err := delphes.Expand(s.Patterns...)
		if err != nil {
			return nil, fmt.Errorf("ingest: sample %s: %w", s.Name, err)
		}
		for _, f := range files {
			if seen[f] {
				return nil, fmt.Errorf("ingest: %s is listed twice (sample %s)", f, s.Name)
			}
			seen[f] = true
			all = append(all, Input{Path: f, Label: s.Label, Sample: s.Name})
		}
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("ingest: no input files")
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Label != all[j].Label {
			return all[i].Label < all[j].Label
		}
		return all[i].Path < all[j].Path
	})
	return all, nil
}

// OutputPath is where the features of in are written under out: a Hive partition by label and
// a file name made of the input's base name and a hash of its full path (inputs with the same
// base name in different folders do not collide).
func OutputPath(out string, in Input) string {
	sum := sha256.Sum256([]byte(in.Path))
	base := strings.TrimSuffix(path.Base(in.Path), path.Ext(in.Path))
	base = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ' ' || r == '=' {
			return '_'
		}
		return r
	}, base)
	name := fmt.Sprintf("part-%s-%s.parquet", base, hex.EncodeToString(sum[:4]))
	return filepath.Join(dataset.PartitionDir(out, spec.ColumnLabel, in.Label), name)
}

// ShardFromEnv returns the shard index and count that a scheduler gives this process:
// SLURM_ARRAY_TASK_ID (count from SLURM_ARRAY_TASK_COUNT, ids taken relative to
// SLURM_ARRAY_TASK_MIN), JOB_COMPLETION_INDEX (Kubernetes Indexed Job; count unknown: 0) or
// OMPI_COMM_WORLD_RANK with OMPI_COMM_WORLD_SIZE (mpirun). ok is false when none is set.
// A value that is not an integer, a negative index, a count below 1 or an index not below the
// count is an error naming the variable.
func ShardFromEnv(getenv func(string) string) (index, count int, source string, ok bool, err error) {
	atoi := func(name string) (int, error) {
		v, err := strconv.Atoi(getenv(name))
		if err != nil {
			return 0, fmt.Errorf("ingest: environment %s=%q is not an integer", name, getenv(name))
		}
		return v, nil
	}
	// vars lists, per scheduler, its index, the variable its index is relative to and its count.
	for _, v := range [...]struct{ index, min, count string }{
		{"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT"},
		{"JOB_COMPLETION_INDEX", "", ""},
		{"OMPI_COMM_WORLD_RANK", "", "OMPI_COMM_WORLD_SIZE"},
	} {
		if getenv(v.index) == "" {
			continue
		}
		if index, err = atoi(v.index); err != nil {
			return 0, 0, "", false, err
		}
		if v.min != "" && getenv(v.min) != "" {
			lo, err := atoi(v.min)
			if err != nil {
				return 0, 0, "", false, err
			}
			if index < lo {
				return 0, 0, "", false, fmt.Errorf("ingest: environment %s=%d is below %s=%d", v.index, index, v.min, lo)
			}
			index -= lo
		}
		if index < 0 {
			return 0, 0, "", false, fmt.Errorf("ingest: environment %s=%d is negative", v.index, index)
		}
		if v.count != "" && getenv(v.count) != "" {
			if count, err = atoi(v.count); err != nil {
				return 0, 0, "", false, err
			}
			if count < 1 || index >= count {
				return 0, 0, "", false, fmt.Errorf("ingest: environment %s=%d does not hold shard %d (%s)", v.count, count, index, v.index)
			}
		}
		return index, count, v.index, true, nil
	}
	return 0, 0, "", false, nil
}

// exists reports whether a complete output is present (outputs appear only by rename).
func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
