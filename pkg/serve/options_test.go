package serve

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
)

func TestNewRejectsBadOptions(t *testing.T) {
	f := testFixture(t)
	dir := t.TempDir()
	// A copy of the model without its scaler.
	noScaler := filepath.Join(dir, "noscaler")
	info, err := modeldir.ReadInfo(f.model)
	if err != nil {
		t.Fatal(err)
	}
	info.Scaler = nil
	if err := modeldir.WriteInfo(noScaler, info); err != nil {
		t.Fatal(err)
	}
	badScaler := filepath.Join(dir, "badscaler")
	info.Scaler = json.RawMessage(`{"min":[0,1],"max":[1,2]}`)
	if err := modeldir.WriteInfo(badScaler, info); err != nil {
		t.Fatal(err)
	}
	watch := filepath.Join(dir, "watch")
	os.MkdirAll(watch, 0o755)
	for _, tc := range []struct {
		name string
		edit func(o *Options)
		want string
	}{
		{"no model", func(o *Options) { o.Model = "" }, "required"},
		{"missing model", func(o *Options) { o.Model = filepath.Join(dir, "none") }, "model.json"},
		{"unknown class", func(o *Options) { o.Class = "higgs" }, `unknown class "higgs"`},
		{"threshold above 1", func(o *Options) { o.Threshold = 1.5 }, "threshold"},
		{"out inside watch", func(o *Options) { o.Out = filepath.Join(watch, "out") }, "inside the watched directory"},
		{"out is watch", func(o *Options) { o.Out = watch }, "inside the watched directory"},
		{"model without scaler", func(o *Options) { o.Model = noScaler }, "no scaler"},
		{"scaler of 2 features", func(o *Options) { o.Model = badScaler }, "scaler"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := f.options(watch, filepath.Join(dir, "out"))
			tc.edit(&o)
			s, err := New(o)
			if err == nil {
				s.Close()
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "serve: ") {
				t.Fatalf("error %q, want it to start with serve: and mention %q", err, tc.want)
			}
		})
	}
}

func TestClassIndex(t *testing.T) {
	for _, tc := range []struct {
		name string
		want int
		ok   bool
	}{{"qcd", 0, true}, {"ttbar", 1, true}, {"WJets", 2, true}, {"higgs", 0, false}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ClassIndex(tc.name)
			if (err == nil) != tc.ok || got != tc.want {
				t.Fatalf("ClassIndex(%q) = %d, %v", tc.name, got, err)
			}
		})
	}
}

func TestJournalReplaysAndLocks(t *testing.T) {
	out := t.TempDir()
	j, err := openJournal(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []record{
		{Op: opStart, File: "a.root"}, {Op: opDone, File: "a.root", Events: 5},
		{Op: opStart, File: "b.root"}, {Op: opBad, File: "b.root", Error: "broken"},
		{Op: opStart, File: "c.root"},
	} {
		if err := j.append(r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := openJournal(out); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("a second journal on the same directory: %v, want refused", err)
	}
	// A crash in the middle of an append leaves a torn line.
	if _, err := j.f.WriteString(`{"op":"done","file":"c.ro`); err != nil {
		t.Fatal(err)
	}
	j.close()

	j, err = openJournal(out)
	if err != nil {
		t.Fatal(err)
	}
	if j.done["a.root"].Events != 5 || j.bad["b.root"].Error != "broken" || !j.started["c.root"] || len(j.done) != 1 {
		t.Fatalf("replayed state: done %v, bad %v, started %v", j.done, j.bad, j.started)
	}
	if err := j.append(record{Op: opDone, File: "c.root"}); err != nil {
		t.Fatal(err)
	}
	j.close()
	j, err = openJournal(out)
	if err != nil {
		t.Fatal(err)
	}
	defer j.close()
	if _, ok := j.done["c.root"]; !ok || len(j.started) != 0 {
		t.Fatalf("after the torn line was cut and c.root finished: done %v, started %v", j.done, j.started)
	}
}
