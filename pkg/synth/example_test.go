package synth_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "synth")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	files, err := synth.Generate(context.Background(), dir, synth.Options{Events: 150, EventsPerFile: 100, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		fmt.Println(filepath.ToSlash(rel))
	}
	// Output:
	// qcd/qcd_0000.root
	// qcd/qcd_0001.root
	// ttbar/ttbar_0000.root
	// ttbar/ttbar_0001.root
	// wjets/wjets_0000.root
	// wjets/wjets_0001.root
}

func ExampleGenerator_Next() {
	g := synth.NewGenerator(synth.WJets, 42)
	var ev delphes.Event
	g.Next(&ev)
	fmt.Println("leptons:", ev.Electron.Len()+ev.Muon.Len() > 0)
	fmt.Println("MissingET entries:", ev.MissingET.Len())
	fmt.Println("tracks in 150-500:", ev.EFlowTrack.Len() >= 150 && ev.EFlowTrack.Len() <= 500)
	// Output:
	// leptons: true
	// MissingET entries: 1
	// tracks in 150-500: true
}

func ExampleParseClass() {
	c, err := synth.ParseClass("ttbar")
	fmt.Println(int(c), c, err)
	// Output: 1 ttbar <nil>
}
