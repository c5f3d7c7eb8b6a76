// Package progress reports the progress of long pipeline steps.
//
// A step creates a Bar and calls Add as work is done; the Bar hands snapshots (State) to a
// Sink, which draws them: Terminal draws a bar that redraws in place on a terminal and prints
// plain periodic lines elsewhere (logs, CI), and the notebook extension has its own Sink. The
// same step code therefore shows progress in a shell and in a notebook.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// State is a snapshot of a step's progress.
type State struct {
	Step    string        // what runs, e.g. "ingest"
	Unit    string        // what is counted, e.g. "events"
	Done    int64         // units done so far
	Total   int64         // units expected; <= 0 when unknown
	Note    string        // a short free-form status, e.g. "files 3/10"
	Elapsed time.Duration // since the bar started
}

// Rate is the number of units per second so far.
func (s State) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Done) / s.Elapsed.Seconds()
}

// ETA is the estimated time left, or 0 when it cannot be estimated.
func (s State) ETA() time.Duration {
	r := s.Rate()
	if s.Total <= 0 || r <= 0 || s.Done >= s.Total {
		return 0
	}
	return time.Duration(float64(s.Total-s.Done) / r * float64(time.Second))
}

// String renders the state on one line.
func (s State) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", s.Step)
	if s.Total > 0 {
		frac := float64(s.Done) / float64(s.Total)
		if frac > 1 {
			frac = 1
		}
		const width = 24
		n := int(frac * width)
		fmt.Fprintf(&b, "[%s%s] %5.1f%% ", strings.Repeat("=", n), strings.Repeat(" ", width-n), 100*frac)
		fmt.Fprintf(&b, "%d/%d %s", s.Done, s.Total, s.Unit)
	} else {
		fmt.Fprintf(&b, "%d %s", s.Done, s.Unit)
	}
	fmt.Fprintf(&b, ", %s/s", HumanRate(s.Rate()))
	if eta := s.ETA(); eta > 0 {
		fmt.Fprintf(&b, ", ETA %s", eta.Round(time.Second))
	}
	fmt.Fprintf(&b, ", %s", s.Elapsed.Round(100*time.Millisecond))
	if s.Note != "" {
		fmt.Fprintf(&b, " (%s)", s.Note)
	}
	return b.String()
}

// HumanRate formats a rate compactly: 850, 12.3k, 1.25M.
func HumanRate(r float64) string {
	switch {
	case r >= 1e6:
		return fmt.Sprintf("%.2fM", r/1e6)
	case r >= 1e4:
		return fmt.Sprintf("%.1fk", r/1e3)
	default:
		return fmt.Sprintf("%.0f", r)
	}
}

// Sink shows progress snapshots. Show is called from one goroutine at a time; final is true
// for the last call of a bar.
type Sink interface {
	Show(s State, final bool)
}

// Discard is a Sink that shows nothing.
type Discard struct{}

// Show does nothing.
func (Discard) Show(State, bool) {}

// Bar counts the progress of one step and forwards throttled snapshots to a Sink.
// Its methods are safe for concurrent use.
type Bar struct {
	mu       sync.Mutex
	sink     Sink
	state    State
	start    time.Time
	last     time.Time
	interval time.Duration
	finished bool
}

// NewBar starts a bar for step, counting unit, with total units expected (<= 0: unknown).
// A nil sink discards.
func NewBar(sink Sink, step, unit string, total int64) *Bar {
	if sink == nil {
		sink = Discard{}
	}
	now := time.Now()
	return &Bar{sink: sink, state: State{Step: step, Unit: unit, Total: total}, start: now, interval: 200 * time.Millisecond}
}

// Add records n more units done.
func (b *Bar) Add(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state.Done += n
	b.maybeShow()
}

// SetTotal changes the expected total.
func (b *Bar) SetTotal(total int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state.Total = total
}

// SetNote sets the free-form status shown after the counts.
func (b *Bar) SetNote(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state.Note = fmt.Sprintf(format, args...)
	b.maybeShow()
}

// State returns the current snapshot.
func (b *Bar) State() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.state
	s.Elapsed = time.Since(b.start)
	return s
}

// Finish shows the final state once; later calls do nothing.
func (b *Bar) Finish() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.state
	s.Elapsed = time.Since(b.start)
	if !b.finished {
		b.finished = true
		b.sink.Show(s, true)
	}
	return s
}

func (b *Bar) maybeShow() {
	now := time.Now()
	if b.finished || now.Sub(b.last) < b.interval {
		return
	}
	b.last = now
	s := b.state
	s.Elapsed = now.Sub(b.start)
	b.sink.Show(s, false)
}

// Terminal is a Sink writing to W. On a terminal it redraws one line in place; elsewhere it
// prints a plain line at most every Every (default 10 s) and always the final state.
type Terminal struct {
	W     io.Writer
	TTY   bool
	Every time.Duration

	last time.Time
}

// NewTerminal returns a Sink for w, redrawing in place when w is a character device.
func NewTerminal(w io.Writer) *Terminal {
	t := &Terminal{W: w, Every: 10 * time.Second}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			t.TTY = true
		}
	}
	return t
}

// Show draws s.
func (t *Terminal) Show(s State, final bool) {
	if t.TTY {
		end := ""
		if final {
			end = "\n"
		}
		fmt.Fprintf(t.W, "\r\033[K%s%s", s, end)
		return
	}
	now := time.Now()
	if final || t.last.IsZero() || now.Sub(t.last) >= t.Every {
		t.last = now
		fmt.Fprintln(t.W, s)
	}
}
