package dataset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/godltrigger/godltrigger/pkg/atomicfile"
)

// A job split into n shards that write into one dataset directory completes it in two steps:
// each shard, once it has written all its files, writes its own marker ShardSuccessFile(k, n)
// holding a stamp of the whole job (its inputs and settings); the shard that finds the
// markers of all n shards with the same stamp writes SuccessFile and removes the shard
// markers. The finished directory therefore looks the same, _SUCCESS included, whether one
// process or n shards wrote it.

// ShardSuccessFile is the name of the marker of shard k (0-based) of n:
// _SUCCESS.shard-K-of-N. Readers skip it as they skip every "_" file.
func ShardSuccessFile(k, n int) string {
	return fmt.Sprintf("%s.shard-%d-of-%d", SuccessFile, k, n)
}

// parseShardSuccess returns k and n of a ShardSuccessFile name.
func parseShardSuccess(name string) (k, n int, ok bool) {
	rest, found := strings.CutPrefix(name, SuccessFile+".shard-")
	if !found {
		return 0, 0, false
	}
	ks, ns, found := strings.Cut(rest, "-of-")
	if !found {
		return 0, 0, false
	}
	k, err1 := strconv.Atoi(ks)
	n, err2 := strconv.Atoi(ns)
	if err1 != nil || err2 != nil || n < 1 || k < 0 || k >= n {
		return 0, 0, false
	}
	return k, n, true
}

// MarkShardSuccess records that shard k of n of the job stamped stamp has written all its
// files into dir. With n == 1 it writes SuccessFile. Otherwise it writes the shard's marker
// and, when the markers of all n shards hold stamp, writes SuccessFile and removes the shard
// markers. It reports whether dir now holds SuccessFile.
func MarkShardSuccess(dir string, k, n int, stamp string) (bool, error) {
	if n < 1 || k < 0 || k >= n {
		return false, fmt.Errorf("dataset: mark shard %d of %d: want 0 <= shard < n", k, n)
	}
	if n == 1 {
		return true, MarkSuccess(dir)
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, ShardSuccessFile(k, n)), []byte(stamp+"\n")); err != nil {
		return false, fmt.Errorf("dataset: mark shard %d of %d of %s complete: %w", k, n, dir, err)
	}
	if len(shardStamps(dir, n)[stamp]) < n {
		return false, nil
	}
	if err := MarkSuccess(dir); err != nil {
		return false, err
	}
	for i := range n {
		if err := os.Remove(filepath.Join(dir, ShardSuccessFile(i, n))); err != nil && !errors.Is(err, os.ErrNotExist) {
			return true, fmt.Errorf("dataset: %w", err)
		}
	}
	return true, nil
}

// UnmarkSuccess removes SuccessFile and the marker of shard k of n from dir, before a shard
// changes the files of a directory that may have been complete. A missing marker is no error.
func UnmarkSuccess(dir string, k, n int) error {
	for _, name := range []string{SuccessFile, ShardSuccessFile(k, n)} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("dataset: %w", err)
		}
	}
	return nil
}

// shardStamps reads the markers of the shards of n in dir: the shards done, in order, by stamp.
func shardStamps(dir string, n int) map[string][]int {
	done := map[string][]int{}
	for k := range n {
		b, err := os.ReadFile(filepath.Join(dir, ShardSuccessFile(k, n)))
		if err != nil {
			continue
		}
		stamp := strings.TrimSpace(string(b))
		done[stamp] = append(done[stamp], k)
	}
	return done
}

// CheckComplete returns nil when path is a complete output (IsComplete: a file, or a directory
// holding SuccessFile), and otherwise an error saying what is missing: the marker of a job
// that did not finish, or, for a sharded job, which shards finished and which did not.
func CheckComplete(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	if IsComplete(path) {
		return nil
	}
	if !st.IsDir() {
		return fmt.Errorf("dataset: %s is not a regular file", path)
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	counts := map[int]bool{}
	for _, e := range entries {
		if _, n, ok := parseShardSuccess(e.Name()); ok {
			counts[n] = true
		}
	}
	if len(counts) == 0 {
		return fmt.Errorf("dataset: %s has no %s marker: the job that wrote it did not finish", path, SuccessFile)
	}
	var ns []int
	for n := range counts {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	var parts []string
	for _, n := range ns {
		done := shardStamps(path, n)
		var stamps []string
		for s := range done {
			stamps = append(stamps, s)
		}
		sort.Strings(stamps)
		for _, s := range stamps {
			parts = append(parts, fmt.Sprintf("shard(s) %s of %d finished, shard(s) %s did not",
				joinInts(done[s]), n, joinInts(missing(done[s], n))))
		}
		if len(stamps) > 1 {
			parts = append(parts, fmt.Sprintf("the finished shards of %d ran with different inputs or settings", n))
		}
	}
	return fmt.Errorf("dataset: %s has no %s marker: %s", path, SuccessFile, strings.Join(parts, "; "))
}

// missing returns the shards of n not in done.
func missing(done []int, n int) []int {
	have := map[int]bool{}
	for _, k := range done {
		have[k] = true
	}
	var out []int
	for k := range n {
		if !have[k] {
			out = append(out, k)
		}
	}
	return out
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}
