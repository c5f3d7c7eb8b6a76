package prep_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/ingest"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

// BenchmarkPreparePeakRSS runs `dltrigger prepare` as a child process on ingested datasets made
// from 20 k and 80 k generated events, and prints the child's peak resident memory and its
// rate for each: the peak must not grow with the input (the shuffle goes through disk).
//
//	go test -run '^$' -bench PreparePeakRSS -benchtime 1x ./pkg/prep/
func BenchmarkPreparePeakRSS(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "dltrigger")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/dltrigger").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	memMiB := 512
	var peaks []int64
	for _, total := range []int{20000, 80000} {
		in := filepath.Join(dir, fmt.Sprintf("ing%d", total))
		events := filepath.Join(dir, fmt.Sprintf("ev%d", total))
		ctx := context.Background()
		if _, err := synth.Generate(ctx, events, synth.Options{Events: total / 3, Seed: 11}); err != nil {
			b.Fatal(err)
		}
		var samples []ingest.Sample
		for _, c := range synth.AllClasses() {
			samples = append(samples, ingest.Sample{Name: c.String(), Label: int64(c), Patterns: []string{filepath.Join(events, c.String())}})
		}
		sum, err := ingest.Run(ctx, ingest.Options{Out: in, Samples: samples, Logf: b.Logf})
		if err != nil {
			b.Fatal(err)
		}
		os.RemoveAll(events)
		var rows int64
		for _, n := range sum.Selected {
			rows += n
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			out := filepath.Join(dir, fmt.Sprintf("prep%d-%d", total, i))
			cmd := exec.Command(bin, "prepare", "--in", in, "--out", out, "--memory", fmt.Sprint(memMiB), "--quiet")
			start := time.Now()
			if msg, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("prepare: %v\n%s", err, msg)
			}
			el := time.Since(start)
			peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
			peaks = append(peaks, peak)
			fmt.Printf("prepare --memory %d MiB: %d generated events, %d ingested rows: peak RSS %d MiB, %.1f s, %.0f input rows/s\n",
				memMiB, total, rows, peak>>10, el.Seconds(), float64(rows)/el.Seconds())
			os.RemoveAll(out)
		}
		b.StopTimer()
		os.RemoveAll(in)
	}
	if len(peaks) >= 2 {
		fmt.Printf("peak RSS ratio 80k/20k: %.2f\n", float64(peaks[len(peaks)-1])/float64(peaks[0]))
	}
}
