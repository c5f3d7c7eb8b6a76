package modeldir

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
)

// EpochsParam is the parameter, saved in each checkpoint, holding the number of epochs
// completed when it was saved.
const EpochsParam = "/dltrigger_epochs"

// ListCheckpoints returns the base names of the checkpoints (their layout files) in dir,
// oldest first; a missing dir has none.
func ListCheckpoints(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("modeldir: list checkpoints: %w", err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasPrefix(n, "checkpoint-") && strings.HasSuffix(n, checkpoint.JsonNameSuffix) {
			names = append(names, strings.TrimSuffix(n, checkpoint.JsonNameSuffix))
		}
	}
	slices.Sort(names)
	return names, nil
}

// ReadCheckpoint reads the checkpoint name of dir and checks that it is complete: the layout
// decodes, and the data (decompressed, its checksum verified) holds exactly the bytes the
// layout describes. It returns both files' contents.
func ReadCheckpoint(dir, name string) (layout string, data []byte, err error) {
	js, err := os.ReadFile(filepath.Join(dir, name+checkpoint.JsonNameSuffix))
	if err != nil {
		return "", nil, err
	}
	var meta struct {
		Variables []struct{ Pos, Length int }
	}
	if err := json.Unmarshal(js, &meta); err != nil {
		return "", nil, fmt.Errorf("%s%s: %w", name, checkpoint.JsonNameSuffix, err)
	}
	want := 0
	for _, v := range meta.Variables {
		if v.Pos != want || v.Length < 0 {
			return "", nil, fmt.Errorf("%s%s: variable at byte %d of %d, want %d", name, checkpoint.JsonNameSuffix, v.Pos, v.Length, want)
		}
		want += v.Length
	}
	bin, err := os.ReadFile(filepath.Join(dir, name+checkpoint.BinDataSuffix))
	if err != nil {
		return "", nil, err
	}
	n, err := checkpointDataSize(bin)
	if err != nil {
		return "", nil, fmt.Errorf("%s%s: %w", name, checkpoint.BinDataSuffix, err)
	}
	if n != int64(want) {
		return "", nil, fmt.Errorf("%s%s: %d bytes of variables, %s describes %d", name, checkpoint.BinDataSuffix, n, name+checkpoint.JsonNameSuffix, want)
	}
	return string(js), bin, nil
}

// GoMLX's data file is the raw variables, or (its default) a header naming the compression
// followed by a gzip stream of them.
const (
	gomlxBinHeader  = "gomlx_checkpointss"
	gomlxGzipHeader = "gzip"
)

// checkpointDataSize returns the number of bytes of variables a checkpoint data file holds,
// decompressing it to the end (which checks the gzip checksum and length).
func checkpointDataSize(bin []byte) (int64, error) {
	rest, ok := bytes.CutPrefix(bin, []byte(gomlxBinHeader))
	if !ok {
		return int64(len(bin)), nil
	}
	if len(rest) < 1 || len(rest) < 1+int(rest[0]) {
		return 0, errors.New("truncated header")
	}
	if c := string(rest[1 : 1+int(rest[0])]); c != gomlxGzipHeader {
		return 0, fmt.Errorf("compression %q, want %q", c, gomlxGzipHeader)
	}
	zr, err := gzip.NewReader(bytes.NewReader(rest[1+int(rest[0]):]))
	if err != nil {
		return 0, fmt.Errorf("read gzip: %w", err)
	}
	n, err := io.Copy(io.Discard, zr)
	if err != nil {
		return 0, fmt.Errorf("read gzip: %w", err)
	}
	return n, nil
}

// LoadNewest loads into store the newest checkpoint of ckDir that reads completely, not newer
// than upTo when upTo is not "". It returns its name, the number of epochs it was saved after
// (-1 when it does not say: saved by an older version) and, for each newer checkpoint skipped,
// "NAME: cause". No complete checkpoint is an error naming the damaged ones.
func LoadNewest(store *model.Store, ckDir, upTo string) (name string, epochs int, skipped []string, err error) {
	names, err := ListCheckpoints(ckDir)
	if err != nil {
		return "", 0, nil, err
	}
	for i := len(names) - 1; i >= 0; i-- {
		if upTo != "" && names[i] > upTo {
			continue
		}
		js, bin, err := ReadCheckpoint(ckDir, names[i])
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", names[i], err))
			continue
		}
		if err := loadCheckpoint(store, js, bin); err != nil {
			return "", 0, skipped, fmt.Errorf("modeldir: load checkpoint %s: %w", filepath.Join(ckDir, names[i]), err)
		}
		epochs := -1
		if v, ok := store.GetParam(EpochsParam); ok {
			if e, ok := v.(int); ok {
				epochs = e
			}
		}
		return names[i], epochs, skipped, nil
	}
	if len(skipped) == 0 {
		return "", 0, nil, fmt.Errorf("modeldir: %s holds no checkpoint: no epoch of this model completed", ckDir)
	}
	return "", 0, skipped, fmt.Errorf("modeldir: %s holds no complete checkpoint: %s", ckDir, strings.Join(skipped, "; "))
}

// loadCheckpoint loads the checkpoint of layout js and data bin into store, creating its
// variables at once.
func loadCheckpoint(store *model.Store, js string, bin []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	_, err = checkpoint.Load(store).FromEmbed(js, bin).Immediate().Done()
	return err
}

// CheckpointFiles are the files of the checkpoint name in dir, the data first: a checkpoint
// counts as present once its JSON file is.
func CheckpointFiles(dir, name string) []string {
	return []string{filepath.Join(dir, name+checkpoint.BinDataSuffix), filepath.Join(dir, name+checkpoint.JsonNameSuffix)}
}

// ServedCheckpoint configures loading the checkpoint that the model directory dir serves into
// store: with info.Options.RestoreBest the best epoch's (once there is one), else the last.
func ServedCheckpoint(store *model.Store, dir string, info *Info) (*checkpoint.Config, string, error) {
	ckDir := filepath.Join(dir, CheckpointDir)
	if !info.Options.RestoreBest {
		return checkpoint.Load(store).Dir(ckDir), ckDir, nil
	}
	hist, err := ReadHistory(dir)
	if err != nil {
		return nil, "", err
	}
	if hist.BestCheckpoint == "" { // no epoch yet
		return checkpoint.Load(store).Dir(ckDir), ckDir, nil
	}
	files := CheckpointFiles(filepath.Join(ckDir, BestDir), hist.BestCheckpoint)
	bin, err := os.ReadFile(files[0])
	if err != nil {
		return nil, "", fmt.Errorf("modeldir: best checkpoint of %s: %w", dir, err)
	}
	js, err := os.ReadFile(files[1])
	if err != nil {
		return nil, "", fmt.Errorf("modeldir: best checkpoint of %s: %w", dir, err)
	}
	return checkpoint.Load(store).FromEmbed(string(js), bin), files[1], nil
}
