package runlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/killtest"
)

// childEnv, when set to a lock path, makes the test binary a process that takes the lock,
// prints "ready" and waits to be killed.
const childEnv = "GODLTRIGGER_RUNLOCK_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		if _, err := Acquire(path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		killtest.Ready()
	}
	os.Exit(m.Run())
}

func TestAcquireExcludesALiveHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".step.lock")
	l, err := Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(path)
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Fatalf("second Acquire: %v, want ErrBusy naming pid %d", err, os.Getpid())
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Release left %s (%v)", path, err)
	}
	l, err = Acquire(path)
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	l.Release()
}

func TestLockOfAKilledProcessIsFree(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".step.lock")
	killtest.RunUntilReady(t, childEnv+"="+path)
	l, err := Acquire(path)
	if err != nil {
		t.Fatalf("after kill -9 of the holder: %v", err)
	}
	l.Release()
}
