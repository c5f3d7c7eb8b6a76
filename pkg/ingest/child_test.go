package ingest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/godltrigger/godltrigger/pkg/killtest"
)

// childEnv, when set, makes the test binary an ingest process that TestKilledRunResumes kills:
// it holds "OUT|SAMPLEDIR", ingests with two workers, and once one output is complete and a
// chunk of another is written, prints "ready" and waits to be killed.
const childEnv = "GODLTRIGGER_INGEST_CHILD"

func childMain() int {
	out, dir, ok := strings.Cut(os.Getenv(childEnv), "|")
	if !ok {
		fmt.Fprintf(os.Stderr, "%s=%q: want OUT|SAMPLEDIR\n", childEnv, os.Getenv(childEnv))
		return 2
	}
	var mu sync.Mutex
	done := map[string]bool{}
	opts := Options{Out: out, Samples: samplesIn(dir), Workers: 2, Chunk: 4, Logf: func(string, ...any) {}}
	opts.hooks.fileDone = func(in Input) {
		mu.Lock()
		done[in.Path] = true
		mu.Unlock()
	}
	opts.hooks.chunkWritten = func(in Input, seq int) {
		mu.Lock()
		ready := len(done) > 0 && !done[in.Path]
		mu.Unlock()
		if ready {
			killtest.Ready() // killed here, in the middle of writing in's output
		}
	}
	if _, err := Run(context.Background(), opts); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("finished without being killed")
	return 0
}
