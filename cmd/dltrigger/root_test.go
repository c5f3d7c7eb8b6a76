package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/delphes"
	"go-hep.org/x/hep/groot/riofs"
)

// writeRootFixture writes a 3-event flat Delphes file.
func writeRootFixture(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ev.root")
	w, err := delphes.NewFlatWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		ev := delphes.Event{
			EFlowTrack: delphes.Tracks{PT: []float32{1.5, float32(i)}, Eta: []float32{0, 1}, Phi: []float32{0, 1},
				X: []float32{0, 0}, Y: []float32{0, 0}, Z: []float32{2, 3}, PID: []int32{211, -11}},
			MissingET: delphes.MissingET{MET: []float32{40}, Phi: []float32{0.5}},
			Jet:       delphes.Jets{PT: []float32{50}, Eta: []float32{1}, BTag: []uint32{uint32(i)}},
		}
		if err := w.Write(&ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRootLs(t *testing.T) {
	path := writeRootFixture(t)
	var out bytes.Buffer
	if err := rootLs(context.Background(), &out, []string{path}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"tree Delphes;1  entries=3", "EFlowTrack_size", "EFlowTrack.PT", "float32", "events: layout=flat muons=MuonTight"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if dir := os.Getenv("DLTRIGGER_TESTDATA"); dir != "" {
		out.Reset()
		if err := rootLs(context.Background(), &out, []string{filepath.Join(dir, "delphes_seungjin_10evt.root")}); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"tree Delphes;1  entries=10", "tree Delphes;2  entries=10", "EFlowTrack.PT", "TBranchElement", "layout=split muons=Muon"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("real file: output lacks %q", want)
			}
		}
		out.Reset()
		if err := rootLs(context.Background(), &out, []string{filepath.Join(dir, "delphes_d2eic_1000evt_noeflow.root")}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "not readable: missing collection EFlowTrack") {
			t.Errorf("file without EFlow: output does not say why:\n%s", out.String())
		}
	}
}

// handBuilt is the path of a hand-built ROOT file of the delphes package's tests.
func handBuilt(name string) string {
	return filepath.Join("..", "..", "pkg", "delphes", "testdata", name)
}

// TestRootLsPartlyReadable lists files that go-hep cannot decode entirely: a class that points
// to itself, a class go-hep cannot build, a tree whose record is damaged, a truncated file.
func TestRootLsPartlyReadable(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	for name, wants := range map[string][]string{
		"selfref.root":     {"tree data;1  entries=4  branches=2", "run", "int32", "[unsupported by the reader: class ND::TDatum: recursive class ND::TDatum -> ND::TDatum]"},
		"unsupported.root": {"tree events;1  entries=5", "[unsupported by the reader: class ev::HitList:", "tree plain;1  entries=3  branches=1", "float32"},
	} {
		out.Reset()
		path := handBuilt(name)
		if err := rootLs(ctx, &out, []string{path}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.HasPrefix(out.String(), "file "+path+"\n") || strings.Contains(out.String(), "corrupt") {
			t.Errorf("%s:\n%s", name, out.String())
		}
		for _, want := range wants {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s: output lacks %q:\n%s", name, want, out.String())
			}
		}
	}

	b, err := os.ReadFile(handBuilt("unsupported.root"))
	if err != nil {
		t.Fatal(err)
	}
	rf, err := riofs.Open(handBuilt("unsupported.root"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range rf.Keys() {
		if k.Name() == "plain" {
			b[k.SeekKey()+int64(k.Nbytes())-20] ^= 0x10
		}
	}
	rf.Close()
	damaged := filepath.Join(t.TempDir(), "damaged.root")
	if err := os.WriteFile(damaged, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = rootLs(ctx, &out, []string{damaged})
	if err == nil || !strings.Contains(err.Error(), damaged) || !strings.Contains(err.Error(), "tree plain;1: corrupt") {
		t.Errorf("damaged tree: error %v", err)
	}
	if !strings.Contains(out.String(), "tree events;1  entries=5") || !strings.Contains(out.String(), "tree plain;1  corrupt: ") {
		t.Errorf("damaged tree: output\n%s", out.String())
	}

	good, err := os.ReadFile(writeRootFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.root")
	if err := os.WriteFile(cut, good[:len(good)*2/3], 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run(ctx, []string{"root", "ls", cut}, &out); code != 1 || !strings.Contains(out.String(), cut+": truncated: ") {
		t.Errorf("truncated file: exit %d, output %s", code, out.String())
	}
}

func TestRootDump(t *testing.T) {
	path := writeRootFixture(t)
	var out bytes.Buffer
	if err := rootDump(context.Background(), &out, []string{"--json", "--events", "2", path}); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&out)
	var lines int
	for sc.Scan() {
		var ev struct {
			Entry      int64
			EFlowTrack map[string][]float64
			MuonTight  map[string][]float64
			Jet        map[string][]float64
			MissingET  map[string][]float64
		}
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("line %d: %v\n%s", lines, err, sc.Text())
		}
		if ev.Entry != int64(lines) || len(ev.EFlowTrack["PT"]) != 2 || ev.EFlowTrack["PT"][0] != 1.5 ||
			ev.EFlowTrack["PID"][1] != -11 || ev.Jet["BTag"][0] != float64(lines) || ev.MissingET["MET"][0] != 40 ||
			ev.MuonTight == nil || len(ev.MuonTight["PT"]) != 0 {
			t.Errorf("line %d: %s", lines, sc.Text())
		}
		lines++
	}
	if lines != 2 {
		t.Fatalf("%d lines, want 2", lines)
	}
}

func TestRootCommandsErrors(t *testing.T) {
	var out bytes.Buffer
	missing := filepath.Join(t.TempDir(), "nosuch.root")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"root", "ls"}, 2, ""},
		{[]string{"root", "dump", "x.root"}, 2, ""},
		{[]string{"root", "ls", missing}, 1, missing},
		{[]string{"root", "dump", "--json", missing}, 1, missing},
		{[]string{"root", "dump", "-h"}, 0, ""},
	} {
		out.Reset()
		if code := run(context.Background(), tc.args, &out); code != tc.code {
			t.Errorf("%v: exit %d, want %d", tc.args, code, tc.code)
		}
		if tc.code == 1 && !strings.Contains(out.String(), tc.want) {
			t.Errorf("%v: error output lacks %q:\n%s", tc.args, tc.want, out.String())
		}
	}
}
