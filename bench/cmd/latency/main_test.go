package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestLatencySmoke runs the command at tiny sizes: every classifier, both engines when ONNX
// Runtime is installed (only ours otherwise), and checks the table.
func TestLatencySmoke(t *testing.T) {
	if os.Getenv("GOMLX_BACKEND") == "" {
		t.Setenv("GOMLX_BACKEND", "go")
	}
	args := []string{"--particles", "6", "--batches", "2,5", "--latency-runs", "4", "--min-time", "1ms", "--min-runs", "1"}
	engines := 1
	if _, err := findRuntime(""); err != nil {
		t.Logf("ONNX Runtime side skipped: %v", err)
		args = append(args, "--ort=false")
	} else {
		engines = 2
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	out := stdout.String()
	t.Logf("\n%s", out)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	rows := 0
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) == 7 && (f[0] == "hlf" || f[0] == "particle" || f[0] == "inclusive") {
			rows++
			for _, v := range f[3:] {
				if v == "0" || v == "0.000" || v == "NaN" || v == "+Inf" {
					t.Errorf("row %q: value %s", l, v)
				}
			}
		}
	}
	if rows != 3*engines {
		t.Errorf("%d table rows, want %d:\n%s", rows, 3*engines, out)
	}
	if engines == 2 && strings.Count(out, "(x > 1: ONNX Runtime faster)") != 3 {
		t.Errorf("ratio lines missing:\n%s", out)
	}
}

func TestBadFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown model", []string{"--models", "cnn", "--ort=false"}, "unknown kind"},
		{"bad batch", []string{"--batches", "0", "--ort=false"}, "bad number"},
		{"no runs", []string{"--latency-runs", "0", "--ort=false"}, "must be > 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), tc.args, &out, &out)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var d []time.Duration
		for _, x := range v {
			d = append(d, time.Duration(x)*time.Millisecond)
		}
		return d
	}
	for _, tc := range []struct {
		name string
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{"median of odd", ms(5, 1, 3), 0.5, 3 * time.Millisecond},
		{"median of even (lower)", ms(4, 1, 3, 2), 0.5, 2 * time.Millisecond},
		{"p99 of 100 is the 99th", ms(append(make([]int, 98), 7, 9)...), 0.99, 7 * time.Millisecond},
		{"single", ms(4), 0.99, 4 * time.Millisecond},
		{"empty", nil, 0.5, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(tc.in, tc.p); got != tc.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", tc.in, tc.p, got, tc.want)
			}
		})
	}
}
