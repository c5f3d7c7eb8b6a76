package serve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/godltrigger/godltrigger/pkg/runlock"
)

// JournalFile, in the output directory, records what the server did with each input file, one
// JSON object per line, appended and synced before the step it announces is relied upon:
//
//	{"op":"start","file":"a/b.root","size":123,"mtime_ns":...}      decisions being written
//	{"op":"done","file":"a/b.root",...,"events":500,"passed":31}     output renamed into place
//	{"op":"bad","file":"c.root",...,"error":"..."}                   unreadable: skipped
//	{"op":"replaced","file":"a/b.root",...,"generation":2}          replaced since decided
//
// An input is identified by its path, size and modification time. A decided file found with
// another size or modification time was replaced: a "replaced" line announces its next
// generation, which is decided into a file of its own (GenerationPath); the records of that
// generation carry its number. Records without one (journals of earlier versions) are of
// generation 1.
//
// The decision file under its final name is the commit: a file is decided when its output
// exists (the journal's "done" follows the rename, and a restart that finds an output without
// "done" completes the journal from it). A "start" without output means a run was stopped
// in the middle of that file: the next run removes the temporary output and decides it again.
// A "bad" file is retried only when its size or modification time changes. The leading "_"
// keeps the journal out of dataset readers' view of the output directory.
const JournalFile = "_serve_journal.jsonl"

// Journal operations.
const (
	opStart    = "start"
	opDone     = "done"
	opBad      = "bad"
	opReplaced = "replaced"
)

// record is one line of the journal.
type record struct {
	Op        string `json:"op"`
	File      string `json:"file"` // relative to the watched directory, slash-separated
	Size      int64  `json:"size"`
	MTimeNs   int64  `json:"mtime_ns"`
	Events    int64  `json:"events,omitempty"`
	Triggered int64  `json:"triggered,omitempty"`
	Passed    int64  `json:"passed,omitempty"`
	Error     string `json:"error,omitempty"`
	// Generation numbers the versions of a file decided under one name; 0 (omitted) is the
	// first, as in journals written before generations existed.
	Generation int    `json:"generation,omitempty"`
	Time       string `json:"time"`
}

// generation is the generation of the file the record is about, from 1.
func (r record) generation() int { return max(r.Generation, 1) }

// journal is the open journal of an output directory, and the state it describes.
type journal struct {
	path    string
	f       *os.File
	done    map[string]record
	bad     map[string]record
	started map[string]bool // started, neither done nor bad since
	// replaced holds the generation announced by the last "replaced" record of a file.
	replaced map[string]int
}

// openJournal opens (creating) the journal of out, locks it against a second server and
// replays it. A torn last line (a crash while appending) is cut off.
func openJournal(out string) (*journal, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	path := filepath.Join(out, JournalFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("serve: open journal: %w", err)
	}
	if err := runlock.TryLock(f); err != nil { // released when the journal is closed
		f.Close()
		return nil, fmt.Errorf("serve: %s is in use by another server: %w", out, err)
	}
	j := &journal{path: path, f: f, done: map[string]record{}, bad: map[string]record{}, started: map[string]bool{}, replaced: map[string]int{}}
	good, err := j.replay()
	if err == nil {
		err = f.Truncate(good)
	}
	if err == nil {
		_, err = f.Seek(good, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("serve: journal %s: %w", path, err)
	}
	return j, nil
}

// replay reads the journal and returns the length of its complete lines.
func (j *journal) replay() (int64, error) {
	r := bufio.NewReader(j.f)
	var good int64
	for line := 1; ; line++ {
		b, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return good, nil // b, if any, is a torn line
		}
		if err != nil {
			return 0, err
		}
		var rec record
		if err := json.Unmarshal(bytes.TrimSpace(b), &rec); err != nil || rec.File == "" {
			return 0, fmt.Errorf("line %d is not a journal record: %q", line, bytes.TrimSpace(b))
		}
		j.apply(rec)
		good += int64(len(b))
	}
}

func (j *journal) apply(rec record) {
	switch rec.Op {
	case opStart:
		j.started[rec.File] = true
	case opDone:
		j.done[rec.File] = rec
		delete(j.bad, rec.File)
		delete(j.started, rec.File)
	case opBad:
		j.bad[rec.File] = rec
		delete(j.started, rec.File)
	case opReplaced:
		j.replaced[rec.File] = rec.generation()
	}
}

// append writes rec, syncs the journal and applies rec to the state.
func (j *journal) append(rec record) error {
	rec.Time = time.Now().UTC().Format(time.RFC3339Nano)
	b, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("serve: journal: %w", err)
	}
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("serve: journal %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("serve: journal %s: %w", j.path, err)
	}
	j.apply(rec)
	return nil
}

func (j *journal) close() error { return j.f.Close() } // closing releases the lock
