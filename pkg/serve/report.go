package serve

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Stats counts what one Run did.
type Stats struct {
	Files     int64 // input files decided
	Skipped   int64 // input files decided by an earlier run
	Bad       int64 // input files that could not be read
	Events    int64 // decisions written (one per event of the decided files)
	Triggered int64 // events that passed the trigger emulation
	Passed    int64 // events that passed the working point
	// Processed counts the events worked on, including those of files abandoned or found bad.
	Processed int64
	Busy      time.Duration // time spent deciding files (not waiting for them)
	Elapsed   time.Duration
}

// EventsPerSecond is the throughput: events worked on per second spent deciding files.
func (s Stats) EventsPerSecond() float64 {
	if s.Busy <= 0 {
		return 0
	}
	return float64(s.Processed) / s.Busy.Seconds()
}

// String is the report line.
func (s Stats) String() string {
	var overall float64
	if s.Elapsed > 0 {
		overall = float64(s.Processed) / s.Elapsed.Seconds()
	}
	return fmt.Sprintf("%d files decided (%d skipped as done, %d bad), %d events, %d triggered, %d passed; %.1f events/s while deciding, %.1f over %s",
		s.Files, s.Skipped, s.Bad, s.Events, s.Triggered, s.Passed, s.EventsPerSecond(), overall, s.Elapsed.Round(time.Millisecond))
}

// counters are the live Stats of a run, read by the reporting goroutine.
type counters struct {
	start                                time.Time
	files, skipped, bad                  atomic.Int64
	events, triggered, passed, processed atomic.Int64
	busy, since                          atomic.Int64 // ns spent deciding; start of the file at hand (0: idle)
}

// busyFrom marks the start of a file's decisions; the returned function marks their end.
func (c *counters) busyFrom() (end func()) {
	t := time.Now().UnixNano()
	c.since.Store(t)
	return func() {
		c.since.Store(0)
		c.busy.Add(time.Now().UnixNano() - t)
	}
}

func (c *counters) reset() {
	c.start = time.Now()
	for _, v := range []*atomic.Int64{&c.files, &c.skipped, &c.bad, &c.events, &c.triggered, &c.passed, &c.processed, &c.busy, &c.since} {
		v.Store(0)
	}
}

func (c *counters) commit(fs fileStats) {
	c.files.Add(1)
	c.events.Add(fs.events)
	c.triggered.Add(fs.triggered)
	c.passed.Add(fs.passed)
}

func (c *counters) snapshot() Stats {
	busy := c.busy.Load()
	if t := c.since.Load(); t != 0 {
		busy += time.Now().UnixNano() - t
	}
	return Stats{Busy: time.Duration(busy), Files: c.files.Load(), Skipped: c.skipped.Load(), Bad: c.bad.Load(), Events: c.events.Load(),
		Triggered: c.triggered.Load(), Passed: c.passed.Load(), Processed: c.processed.Load(), Elapsed: time.Since(c.start)}
}

// startReport writes the report line to Options.Report every ReportEvery; the returned
// function stops it and writes the final line.
func (s *Server) startReport() (stop func()) {
	if s.opts.Report == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(s.opts.ReportEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fmt.Fprintf(s.opts.Report, "serve: %v\n", s.stats.snapshot())
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
		fmt.Fprintf(s.opts.Report, "serve: end: %v\n", s.stats.snapshot())
	}
}
