// Package killtest lets a test kill a run the hard way: it starts the test binary again as a
// child process that runs the step until a chosen point, says "ready" and waits, then sends it
// SIGKILL, so that no cleanup of any kind runs, as when a machine or a scheduler kills a job.
//
// The child side is chosen in TestMain by an environment variable:
//
//	func TestMain(m *testing.M) {
//		if arg := os.Getenv(childEnv); arg != "" {
//			os.Exit(childMain(arg)) // runs the step; a hook calls killtest.Ready()
//		}
//		os.Exit(m.Run())
//	}
//
// and the test side kills it at that point:
//
//	killtest.RunUntilReady(t, childEnv+"="+arg)
package killtest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"testing"
	"time"
)

// readyLine is what a child prints when it reached the point where it is to be killed.
const readyLine = "ready\n"

// Ready tells the test that the child reached the point where it is to be killed, and waits.
func Ready() {
	fmt.Print(readyLine)
	time.Sleep(time.Hour)
}

// RunUntilReady runs the test binary with env added to the environment, waits until it calls
// Ready, and kills it with SIGKILL. It skips the test where SIGKILL does not exist and fails it
// when the child ends or says something else first, or takes longer than two minutes.
func RunUntilReady(t testing.TB, env ...string) {
	t.Helper()
	Start(t, env...)()
}

// Start runs the test binary as RunUntilReady does and returns once the child has called
// Ready: the child then waits, holding what it took (a lock, open files), until the test
// calls kill (SIGKILL) or ends.
func Start(t testing.TB, env ...string) (kill func()) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a Unix signal")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	var once sync.Once
	kill = func() {
		once.Do(func() {
			cmd.Process.Kill() // SIGKILL
			cmd.Wait()
			cancel()
		})
	}
	t.Cleanup(kill)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if line != readyLine {
		kill()
		t.Fatalf("child process said %q (%v), want %q", line, err, readyLine)
	}
	return kill
}
