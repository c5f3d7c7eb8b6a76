package delphes_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

// Open a Delphes file, look at its event tree and read its events: the first step of the
// pipeline reads the collections of each event. Here the file holds 20 generated ttbar
// events (synth.Generate).
func ExampleOpen() {
	dir, err := os.MkdirTemp("", "delphes")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	files, err := synth.Generate(context.Background(), dir, synth.Options{Events: 20, Seed: 1, Classes: []synth.Class{synth.TTbar}})
	if err != nil {
		fmt.Println(err)
		return
	}

	quiet := delphes.WithLogf(func(string, ...any) {}) // MuonBranch tells which muons are read
	f, err := delphes.Open(files[0], quiet)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	fmt.Println("file:", filepath.Base(f.Name()))
	fmt.Println("entries:", f.Entries())
	fmt.Println("layout:", f.Layout())
	fmt.Println("muons from:", f.MuonBranch())

	// Read calls fn for each event in order. The event and its slices are reused: copy what
	// you keep. WithRange reads a part of the file.
	var entries []int64
	withMET := 0
	err = f.Read(context.Background(), func(ev *delphes.Event) error {
		entries = append(entries, ev.Entry)
		if ev.MissingET.Len() == 1 {
			withMET++
		}
		return nil
	}, delphes.WithRange(5, 10))
	fmt.Println("entries read:", entries, err)
	fmt.Println("with one MissingET:", withMET)
	// Output:
	// file: ttbar_0000.root
	// entries: 20
	// layout: flat
	// muons from: MuonTight
	// entries read: [5 6 7 8 9] <nil>
	// with one MissingET: 5
}
