package serve

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
)

// childEnv, when set, makes the test binary a server that TestKilledServerRestarts kills: it
// holds "MODEL|WATCH|OUT"; once one file is decided and a batch of another is written, the
// child prints "ready" and waits to be killed.
const childEnv = "GODLTRIGGER_SERVE_CHILD"

func childMain() int {
	parts := strings.Split(os.Getenv(childEnv), "|")
	if len(parts) != 3 {
		fmt.Fprintf(os.Stderr, "%s=%q: want MODEL|WATCH|OUT\n", childEnv, os.Getenv(childEnv))
		return 2
	}
	backend, _, err := modeldir.NewBackend(nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	f := fixture{model: parts[0], backend: backend}
	opts := f.options(parts[1], parts[2])
	opts.Once = true
	decided := 0
	opts.hooks.fileDone = func(string) { decided++ }
	opts.hooks.batchWritten = func(rel string, batch int) {
		if decided > 0 && batch >= 1 {
			fmt.Println("ready")
			time.Sleep(time.Hour) // killed here, in the middle of a file's decisions
		}
	}
	s, err := New(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, err := s.Run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("finished without being killed")
	return 0
}

// watchAll copies every generated file into a new watched directory and returns it with the
// number of events per file.
func watchAll(t *testing.T, f *fixture) (string, map[string]int64) {
	t.Helper()
	watch := t.TempDir()
	want := map[string]int64{}
	for _, rel := range f.rootFiles(t) {
		copyFile(t, filepath.Join(f.events, rel), filepath.Join(watch, rel))
		want[rel] = entries(t, filepath.Join(watch, rel))
	}
	return watch, want
}

// Cancelling the server in the middle of a file abandons that file cleanly (no output, no
// temporary file); a second run decides the rest, and every event has exactly one decision.
func TestRestartAfterCancelMidFile(t *testing.T) {
	f := testFixture(t)
	watch, want := watchAll(t, f)
	out := t.TempDir()
	opts := f.options(watch, out)
	opts.Once = true
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var first, interrupted string
	opts.hooks.fileDone = func(rel string) { first = rel }
	opts.hooks.batchWritten = func(rel string, batch int) {
		if first != "" && rel != first && batch == 1 {
			interrupted = rel
			cancel()
		}
	}
	st, err := newServer(t, opts).Run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run with --once cancelled mid-stream: %v, want context.Canceled", err)
	}
	if st.Files != 1 || interrupted == "" {
		t.Fatalf("stats %+v, interrupted %q: want one file decided and one interrupted", st, interrupted)
	}
	if _, err := os.Stat(OutputPath(out, interrupted)); err == nil {
		t.Fatalf("the interrupted file %s has an output that looks complete", interrupted)
	}
	if tmp := tempOutputs(t, out); len(tmp) > 0 {
		t.Fatalf("a cancelled server left temporary outputs: %v", tmp)
	}
	lines := journalLines(t, out)
	if last := lines[len(lines)-1]; !strings.Contains(last, `"op":"start"`) || !strings.Contains(last, interrupted) {
		t.Fatalf("journal ends with %s, want the start of %s", last, interrupted)
	}

	opts.hooks = hooks{}
	st, err = newServer(t, opts).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != testFiles-1 || st.Skipped != 1 {
		t.Fatalf("restart stats %+v, want %d files decided and 1 skipped", st, testFiles-1)
	}
	checkOutputs(t, out, want, opts.Threshold, 1)

	// A third run has nothing to do.
	st, err = newServer(t, opts).Run(context.Background())
	if err != nil || st.Files != 0 || st.Skipped != testFiles || st.Processed != 0 {
		t.Fatalf("third run: %+v, %v; want every file skipped", st, err)
	}
}

// A server killed in the middle of a file leaves only a temporary output, which no reader
// takes for a decision file; the restarted server removes it and decides the file again.
func TestKilledServerRestarts(t *testing.T) {
	f := testFixture(t)
	watch, want := watchAll(t, f)
	out := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+f.model+"|"+watch+"|"+out)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	cmd.Process.Kill()
	cmd.Wait()
	if strings.TrimSpace(line) != "ready" {
		t.Fatalf("child said %q (stderr: %s)", line, stderr.String())
	}
	if tmp := tempOutputs(t, out); len(tmp) != 1 {
		t.Fatalf("killed mid-file, the server left temporary outputs %v, want one", tmp)
	}
	complete := 0
	for rel := range want {
		if _, err := os.Stat(OutputPath(out, rel)); err == nil {
			complete++
		}
	}
	if complete != 1 {
		t.Fatalf("%d complete outputs after the kill, want 1", complete)
	}

	opts := f.options(watch, out)
	opts.Once = true
	st, err := newServer(t, opts).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != testFiles-1 || st.Skipped != 1 {
		t.Fatalf("restart stats %+v, want %d files decided and 1 skipped", st, testFiles-1)
	}
	checkOutputs(t, out, want, opts.Threshold, 1)
}
