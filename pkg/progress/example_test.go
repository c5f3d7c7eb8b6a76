package progress_test

import (
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/progress"
)

// last is a Sink that keeps the final snapshot of a bar; progress.NewTerminal(os.Stderr) draws
// it instead, and the notebook extension has its own.
type last struct{ state progress.State }

func (l *last) Show(s progress.State, final bool) {
	if final {
		l.state = s
	}
}

// A step counts its work on a Bar, which hands snapshots to a Sink.
func ExampleNewBar() {
	sink := &last{}
	bar := progress.NewBar(sink, "ingest", "events", 300)
	for file := 1; file <= 3; file++ {
		bar.Add(100)
		bar.SetNote("files %d/3", file)
	}
	bar.Finish()
	s := sink.state
	fmt.Printf("%s: %d/%d %s, %s\n", s.Step, s.Done, s.Total, s.Unit, s.Note)
	// Output:
	// ingest: 300/300 events, files 3/3
}
