package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

type recorder struct {
	states []State
	finals int
}

func (r *recorder) Show(s State, final bool) {
	r.states = append(r.states, s)
	if final {
		r.finals++
	}
}

func TestBarCountsAndFinishesOnce(t *testing.T) {
	rec := &recorder{}
	b := NewBar(rec, "ingest", "events", 100)
	for i := 0; i < 10; i++ {
		b.Add(10)
	}
	s := b.Finish()
	b.Finish()
	if s.Done != 100 || s.Total != 100 {
		t.Fatalf("done/total = %d/%d, want 100/100", s.Done, s.Total)
	}
	if rec.finals != 1 {
		t.Fatalf("final shown %d times, want 1", rec.finals)
	}
	if last := rec.states[len(rec.states)-1]; last.Done != 100 {
		t.Fatalf("last shown state has %d done", last.Done)
	}
}

func TestStateStringAndETA(t *testing.T) {
	s := State{Step: "ingest", Unit: "events", Done: 50, Total: 100, Elapsed: 5 * time.Second, Note: "files 1/2"}
	if got := s.Rate(); got != 10 {
		t.Fatalf("rate = %v, want 10", got)
	}
	if got := s.ETA(); got != 5*time.Second {
		t.Fatalf("eta = %v, want 5s", got)
	}
	str := s.String()
	for _, want := range []string{"ingest:", "50/100 events", "50.0%", "ETA 5s", "files 1/2"} {
		if !strings.Contains(str, want) {
			t.Errorf("%q lacks %q", str, want)
		}
	}
}

func TestTerminalPlainPrintsFinal(t *testing.T) {
	var buf bytes.Buffer
	term := NewTerminal(&buf)
	if term.TTY {
		t.Fatal("a buffer is not a terminal")
	}
	b := NewBar(term, "step", "rows", 0)
	b.Add(3)
	b.Finish()
	if !strings.Contains(buf.String(), "3 rows") {
		t.Fatalf("output %q lacks the final count", buf.String())
	}
}
