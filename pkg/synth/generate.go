package synth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"go-hep.org/x/hep/groot/riofs"
	"go-hep.org/x/hep/groot/rtree"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/parallel"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/runlock"
)

// ModelVersion numbers the physics model; it is stamped in every file so that files of
// another version are regenerated rather than reused.
const ModelVersion = 1

// DefaultEventsPerFile is the number of events per file when Options.EventsPerFile is 0.
const DefaultEventsPerFile = 10000

// basketSize is the ROOT basket buffer size: larger than go-hep's 32 KiB default, so that
// the EFlow branches (~1 KiB per event each) are flushed in fewer, larger writes.
const basketSize = 256 << 10

// Options configures Generate.
type Options struct {
	Events        int     // events per class (required, > 0)
	Seed          int64   // master seed; each file is seeded from (Seed, class, file index)
	EventsPerFile int     // events per file; 0: DefaultEventsPerFile
	Classes       []Class // classes to generate; nil: all three
	Workers       int     // files written at once; 0: GOMAXPROCS
	// Compression of the ROOT baskets: "lz4" (default: fast, ~1.1x smaller than none),
	// "zlib" (go-hep's default, smaller and several times slower) or "none".
	Compression string
	Progress    progress.Sink // nil: no progress shown
}

// job is one file to write.
type job struct {
	class  Class
	index  int
	events int
	seed   int64
	path   string
	title  string
}

// FileSeed is the seed of file index of class under the master seed: files do not depend on
// which worker writes them, nor on how many files there are.
func FileSeed(seed int64, class Class, index int) int64 {
	return int64(mix64(mix64(uint64(seed)) + uint64(class)*0x9e3779b97f4a7c15 + uint64(index)*0xd1b54a32d192ed03))
}

// FileName is the path of file index of class under dir: dir/<class>/<class>_NNNN.root.
func FileName(dir string, class Class, index int) string {
	return filepath.Join(dir, class.String(), fmt.Sprintf("%s_%04d.root", class, index))
}

func (o *Options) normalize() error {
	if o.Events <= 0 {
		return fmt.Errorf("synth: events per class must be positive, got %d", o.Events)
	}
	if o.EventsPerFile < 0 {
		return fmt.Errorf("synth: events per file must be positive, got %d", o.EventsPerFile)
	}
	if o.EventsPerFile == 0 {
		o.EventsPerFile = DefaultEventsPerFile
	}
	if len(o.Classes) == 0 {
		o.Classes = AllClasses()
	}
	for _, c := range o.Classes {
		if !c.Valid() {
			return fmt.Errorf("synth: invalid class %d", int(c))
		}
	}
	if o.Workers < 0 {
		return fmt.Errorf("synth: %d workers, want 0 (all cores) or more", o.Workers)
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if _, err := compression(o.Compression); err != nil {
		return err
	}
	return nil
}

func compression(name string) (rtree.WriteOption, error) {
	switch strings.ToLower(name) {
	case "", "lz4":
		return rtree.WithLZ4(1), nil
	case "zlib":
		return rtree.WithZlib(1), nil
	case "none":
		return rtree.WithoutCompression(), nil
	}
	return nil, fmt.Errorf("synth: unknown compression %q (want lz4, zlib or none)", name)
}

// Generate writes opts.Events events of each class into dir/<class>/<class>_NNNN.root
// (flat Delphes layout, tree "Delphes"), opts.EventsPerFile per file, and returns the paths
// of all the files, class by class in index order.
//
// The output depends only on the seed, the events per file and the model version, not on
// the number of workers. A file that already exists with the expected content stamp (in the
// tree title) and number of entries is kept, so an interrupted run resumes where it stopped.
// Files are written under a temporary name and renamed when complete. A run holds a lock on
// dir (a second generate into it fails) and removes the temporary files of killed runs.
func Generate(ctx context.Context, dir string, opts Options) ([]string, error) {
	if err := opts.normalize(); err != nil {
		return nil, err
	}
	comp, _ := compression(opts.Compression)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	lock, err := runlock.Acquire(filepath.Join(dir, lockName))
	if errors.Is(err, runlock.ErrBusy) {
		return nil, fmt.Errorf("synth: another generate is writing into %s: %w", dir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	defer lock.Release()
	var files []string
	var todo []job
	var todoEvents int64
	for _, c := range opts.Classes {
		if err := os.MkdirAll(filepath.Join(dir, c.String()), 0o755); err != nil {
			return nil, fmt.Errorf("synth: %w", err)
		}
		if err := removeStaleTemps(dir, c); err != nil {
			return nil, err
		}
		for i := 0; i*opts.EventsPerFile < opts.Events; i++ {
			j := job{class: c, index: i, events: min(opts.EventsPerFile, opts.Events-i*opts.EventsPerFile),
				seed: FileSeed(opts.Seed, c, i), path: FileName(dir, c, i)}
			j.title = fmt.Sprintf("synth model=%d class=%s seed=%d file=%d per-file=%d events=%d",
				ModelVersion, c, opts.Seed, i, opts.EventsPerFile, j.events)
			files = append(files, j.path)
			if complete(j) {
				continue
			}
			todo = append(todo, j)
			todoEvents += int64(j.events)
		}
	}
	bar := progress.NewBar(opts.Progress, "generate", "events", todoEvents)
	bar.SetNote("%d files to write, %d kept", len(todo), len(files)-len(todo))
	defer bar.Finish()

	firstErr := parallel.For(ctx, len(todo), opts.Workers, func(ctx context.Context, i int) error {
		return writeFile(ctx, todo[i], comp, bar)
	})
	if firstErr != nil && !errors.Is(firstErr, context.Canceled) {
		return nil, firstErr
	}
	if firstErr != nil {
		return nil, fmt.Errorf("synth: generate %s: %w", dir, firstErr)
	}
	return files, nil
}

// lockName is the lock file a run holds in its output directory (package runlock): a run that
// holds it knows that no other generate is live there, so the temporary files there are those
// of killed runs.
const lockName = ".generate.lock"

// removeStaleTemps removes the temporary files (delphes.FlatWriter's .NAME.tmpNNN) that killed
// runs left in the folder of class c. Call it only while holding the lock.
func removeStaleTemps(dir string, c Class) error {
	stale, err := filepath.Glob(filepath.Join(dir, c.String(), "."+c.String()+"_*.root.tmp*"))
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	for _, p := range stale {
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("synth: remove the temporary file %s of a killed run: %w", p, err)
		}
	}
	return nil
}

// complete reports whether j's file exists with j's stamp and entry count.
func complete(j job) bool {
	f, err := riofs.Open(j.path)
	if err != nil {
		return false
	}
	defer f.Close()
	t, err := riofs.Get[rtree.Tree](f, delphes.TreeName)
	if err != nil {
		return false
	}
	return t.Title() == j.title && t.Entries() == int64(j.events)
}

// writeFile generates and writes one file.
func writeFile(ctx context.Context, j job, comp rtree.WriteOption, bar *progress.Bar) error {
	fw, err := delphes.NewFlatWriter(j.path, rtree.WithTitle(j.title), comp, rtree.WithBasketSize(basketSize))
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	g := NewGenerator(j.class, j.seed)
	var ev delphes.Event
	const chunk = 250
	for k := 0; k < j.events; k++ {
		if k%chunk == chunk-1 {
			bar.Add(chunk)
			if ctx.Err() != nil {
				fw.Abort()
				return ctx.Err()
			}
		}
		g.Next(&ev)
		ev.Entry = int64(k)
		if err := fw.Write(&ev); err != nil {
			fw.Abort()
			return fmt.Errorf("synth: %w", err)
		}
	}
	bar.Add(int64(j.events % chunk))
	if err := fw.Close(); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}
