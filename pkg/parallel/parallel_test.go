package parallel_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/parallel"
)

// TestForFirstErrorCancels: the first error cancels the calls in flight and starts no other.
func TestForFirstErrorCancels(t *testing.T) {
	const n, workers = 1000, 4
	boom := errors.New("boom")
	var started atomic.Int64
	var others sync.WaitGroup
	others.Add(workers - 1)
	var uncancelled atomic.Int64
	err := parallel.For(context.Background(), n, workers, func(ctx context.Context, i int) error {
		started.Add(1)
		if i == 0 {
			others.Wait() // every worker busy: the failure meets calls in flight
			return boom
		}
		if i < workers {
			others.Done()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Second):
			uncancelled.Add(1)
			return nil
		}
	})
	if !errors.Is(err, boom) {
		t.Fatalf("For returned %v, want the first error %v", err, boom)
	}
	if u := uncancelled.Load(); u > 0 {
		t.Errorf("%d calls in flight ran on after the first error: their context was not cancelled", u)
	}
	if s := started.Load(); s > workers {
		t.Errorf("%d of %d calls started, want at most the %d in flight when the first error came", s, n, workers)
	}
}

// TestForAll: every item runs once, at most workers at a time, results by index in order.
func TestForAll(t *testing.T) {
	const n, workers = 200, 3
	out := make([]int, n)
	var running, most atomic.Int64
	err := parallel.For(context.Background(), n, workers, func(_ context.Context, i int) error {
		r := running.Add(1)
		for m := most.Load(); r > m && !most.CompareAndSwap(m, r); m = most.Load() {
		}
		time.Sleep(100 * time.Microsecond)
		out[i] += i + 1
		running.Add(-1)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range out {
		if v != i+1 {
			t.Fatalf("item %d: result %d, want %d (run once)", i, v, i+1)
		}
	}
	if m := most.Load(); m > workers {
		t.Errorf("%d calls at once, want at most %d", m, workers)
	}
}

// TestForContextEnded: a cancelled context starts no call and is returned.
func TestForContextEnded(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var started atomic.Int64
	err := parallel.For(ctx, 10, 2, func(context.Context, int) error { started.Add(1); return nil })
	if !errors.Is(err, context.Canceled) || started.Load() != 0 {
		t.Errorf("For on a cancelled context: %v after %d calls, want context.Canceled after none", err, started.Load())
	}
}

func ExampleFor() {
	words := []string{"delphes", "ingest", "prepare", "train"}
	lengths := make([]int, len(words))
	err := parallel.For(context.Background(), len(words), 2, func(_ context.Context, i int) error {
		lengths[i] = len(words[i]) // by index: the input order survives any schedule
		return nil
	})
	fmt.Println(lengths, err)

	err = parallel.For(context.Background(), len(words), 2, func(_ context.Context, i int) error {
		if words[i] == "prepare" {
			return fmt.Errorf("%s: disk full", words[i])
		}
		return nil
	})
	fmt.Println(err)
	// Output:
	// [7 6 7 5] <nil>
	// prepare: disk full
}
