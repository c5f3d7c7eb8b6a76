package dataset

import (
	"crypto/rand"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// tempMarker is part of every temporary file name: Writer writes FINAL.tmp-XXXX and
// renames it to FINAL on Close. Readers skip such names.
const tempMarker = ".tmp-"

// SuccessFile is the marker Spark writes into a dataset directory when a job completed.
const SuccessFile = "_SUCCESS"

// ignored reports whether a directory entry is not data: Spark's and Hadoop's side
// files (_SUCCESS, _metadata, .part-....crc), hidden files and our temporary files.
func ignored(name string) bool {
	return strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") ||
		strings.HasSuffix(name, ".crc") || strings.Contains(name, tempMarker)
}

// listFiles returns the data files under root (root itself when it is a file), sorted
// by path, each with the Hive partition values (key=value directory names) found
// between root and the file.
func listFiles(root string) ([]File, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	if !st.IsDir() {
		return []File{{Path: root, Partition: partitionOf(filepath.Dir(root))}}, nil
	}
	var out []File
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		if ignored(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		out = append(out, File{Path: p, Partition: partitionOf(rel)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dataset: list %s: %w", root, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("dataset: %s: no Parquet files", root)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// partitionOf parses the key=value components of a directory path.
func partitionOf(dir string) map[string]string {
	var m map[string]string
	for _, part := range strings.Split(filepath.ToSlash(dir), "/") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || k == "" {
			continue
		}
		if m == nil {
			m = map[string]string{}
		}
		m[k] = v
	}
	return m
}

// PartitionDir returns DIR/key=value, the Hive partition directory Spark's
// partitionBy(key) writes rows with that value into.
func PartitionDir(dir, key string, value int64) string {
	return filepath.Join(dir, key+"="+strconv.FormatInt(value, 10))
}

// PartName returns a part-file name in Spark's pattern,
// part-00007-<job>-c000.snappy.parquet. job is shared by all files of one write
// (see NewJobID).
func PartName(part int, job string) string {
	return fmt.Sprintf("part-%05d-%s-c000.snappy.parquet", part, job)
}

// NewJobID returns a random UUID (version 4) for PartName.
func NewJobID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// IsComplete reports whether path is a complete output: a file is complete when it
// exists under its final name (Writer renames it there only after a successful
// Close); a directory is complete when it holds the _SUCCESS marker (MarkSuccess).
func IsComplete(path string) bool {
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	if !st.IsDir() {
		return st.Mode().IsRegular()
	}
	_, err = os.Stat(filepath.Join(path, SuccessFile))
	return err == nil
}

// MarkSuccess writes the empty _SUCCESS marker into dir, as Spark does when a job
// has written all its files.
func MarkSuccess(dir string) error {
	if err := os.WriteFile(filepath.Join(dir, SuccessFile), nil, 0o644); err != nil {
		return fmt.Errorf("dataset: mark %s complete: %w", dir, err)
	}
	return nil
}

// RemoveStaleTemps deletes the temporary files that crashed writers left under dir
// (recursively) and returns their paths. Do not call it while writers are running
// in dir.
func RemoveStaleTemps(dir string) ([]string, error) {
	var removed []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.Contains(d.Name(), tempMarker) {
			return nil
		}
		if err := os.Remove(p); err != nil {
			return err
		}
		removed = append(removed, p)
		return nil
	})
	if err != nil {
		return removed, fmt.Errorf("dataset: remove temporary files in %s: %w", dir, err)
	}
	return removed, nil
}
