package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/spec"
)

// duckScript runs each SQL argument with DuckDB (npm @duckdb/node-api) and prints
// the rows of each as one JSON line.
const duckScript = `
const { createRequire } = require('module');
const req = createRequire(process.argv[2] + '/');
const { DuckDBInstance } = req('@duckdb/node-api');
(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  for (const sql of process.argv.slice(3)) {
    const r = await con.runAndReadAll(sql);
    console.log(JSON.stringify(r.getRowObjectsJson()));
  }
})().catch(e => { console.error(String(e)); process.exit(1); });
`

// duckdb runs queries with DuckDB from .tools/node (scripts/install-deps.sh), or
// skips the test when node or the package is missing.
func duckdb(t *testing.T, queries ...string) [][]map[string]any {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found; DuckDB cross-check skipped (install Node.js and run scripts/install-deps.sh)")
	}
	modules, err := filepath.Abs(filepath.Join("..", "..", ".tools", "node", "node_modules"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(modules, "@duckdb", "node-api")); err != nil {
		t.Skip("@duckdb/node-api not installed in .tools/node; run scripts/install-deps.sh")
	}
	script := filepath.Join(t.TempDir(), "duck.cjs")
	if err := os.WriteFile(script, []byte(duckScript), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, append([]string{script, modules}, queries...)...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("duckdb: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("duckdb: %v", err)
	}
	var res [][]map[string]any
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var rows []map[string]any
		if err := dec.Decode(&rows); err != nil {
			t.Fatalf("duckdb output %q: %v", out, err)
		}
		res = append(res, rows)
	}
	if len(res) != len(queries) {
		t.Fatalf("duckdb answered %d of %d queries: %s", len(res), len(queries), out)
	}
	return res
}

// num reads a DuckDB JSON value (numbers come as strings).
func num(t *testing.T, v any) float64 {
	t.Helper()
	switch x := v.(type) {
	case string:
		f, err := strconv.ParseFloat(x, 64)
		if err != nil {
			t.Fatalf("duckdb value %q: %v", x, err)
		}
		return f
	case float64:
		return x
	}
	t.Fatalf("duckdb value %v (%T) is not a number", v, v)
	return 0
}

type rowSums struct {
	label              int64
	hfSum, lfSum, lf18 float64 // lf18: sum of column 18 (charge) over the 801 rows
}

// TestDuckDBReadsOurFiles writes an Ingested dataset (label in the partition
// directories) and a Full file, and has DuckDB read them back.
func TestDuckDBReadsOurFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ingested.parquet")
	rng := rand.New(rand.NewPCG(7, 8))
	want := map[int]rowSums{} // by id = hfeatures[0]
	id := 0
	job := NewJobID()
	for _, label := range []int64{0, 2} {
		for part := range 2 {
			w, err := NewWriter(filepath.Join(PartitionDir(dir, "label", label), PartName(part, job)), Ingested().Drop("label"))
			if err != nil {
				t.Fatal(err)
			}
			for range 3 + part {
				hf, lf := eventRow(rng)
				hf[0] = float64(id)
				s := rowSums{label: label}
				for _, v := range hf {
					s.hfSum += v
				}
				for k, v := range lf {
					s.lfSum += v
					if k%spec.NumParticleFeatures == 18 {
						s.lf18 += v
					}
				}
				want[id] = s
				id++
				if err := w.Append(hf, lf); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := MarkSuccess(dir); err != nil {
		t.Fatal(err)
	}
	full := filepath.Join(t.TempDir(), "full.parquet")
	writeFile(t, full, Full(), 4)

	src := fmt.Sprintf("read_parquet('%s/**/*.parquet', hive_partitioning=true)", dir)
	res := duckdb(t,
		"SELECT count(*) AS n FROM "+src,
		`SELECT CAST(hfeatures[1] AS BIGINT) AS id, label, len(hfeatures) AS nh, len(lfeatures) AS nl,
		        list_min(list_transform(lfeatures, lambda x: len(x))) AS cmin,
		        list_max(list_transform(lfeatures, lambda x: len(x))) AS cmax,
		        list_sum(hfeatures) AS hs, list_sum(flatten(lfeatures)) AS ls,
		        list_sum(list_transform(lfeatures, lambda x: x[19])) AS l18
		 FROM `+src+` ORDER BY id`,
		"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "+src+") ORDER BY column_name",
		fmt.Sprintf("SELECT label, len(GRU_input) AS ng, len(GRU_input[801]) AS nc, GRU_input[801][19] AS last, encoded_label[3] AS e3 FROM read_parquet('%s') ORDER BY label, GRU_input[1][1]", full),
	)
	if n := num(t, res[0][0]["n"]); int(n) != len(want) {
		t.Fatalf("DuckDB counts %v rows, want %d", n, len(want))
	}
	if len(res[1]) != len(want) {
		t.Fatalf("DuckDB returned %d rows, want %d", len(res[1]), len(want))
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	for _, row := range res[1] {
		id := int(num(t, row["id"]))
		w, ok := want[id]
		if !ok {
			t.Fatalf("DuckDB row with unknown id %d: %v", id, row)
		}
		if int64(num(t, row["label"])) != w.label {
			t.Errorf("row %d: label %v, want %d", id, row["label"], w.label)
		}
		if num(t, row["nh"]) != spec.NumHLF || num(t, row["nl"]) != spec.SequenceLength || num(t, row["cmin"]) != spec.NumParticleFeatures || num(t, row["cmax"]) != spec.NumParticleFeatures {
			t.Errorf("row %d: list lengths %v", id, row)
		}
		if !near(num(t, row["hs"]), w.hfSum) || !near(num(t, row["ls"]), w.lfSum) || !near(num(t, row["l18"]), w.lf18) {
			t.Errorf("row %d: sums %v %v %v, want %v %v %v", id, row["hs"], row["ls"], row["l18"], w.hfSum, w.lfSum, w.lf18)
		}
	}
	types := map[string]string{}
	for _, row := range res[2] {
		types[row["column_name"].(string)] = row["column_type"].(string)
	}
	wantTypes := map[string]string{"hfeatures": "DOUBLE[]", "lfeatures": "DOUBLE[][]", "label": "BIGINT"}
	for k, v := range wantTypes {
		if types[k] != v {
			t.Errorf("DuckDB sees %s as %q, want %q (all: %v)", k, types[k], v, types)
		}
	}
	if len(res[3]) != 4 {
		t.Fatalf("Full file: %d rows, want 4", len(res[3]))
	}
	for i, row := range res[3] {
		r := []int{0, 3, 1, 2}[i] // fillRow's label is r%3; ORDER BY label, then row
		if num(t, row["label"]) != float64(r%3) || num(t, row["ng"]) != spec.SequenceLength || num(t, row["nc"]) != spec.NumParticleFeatures ||
			num(t, row["last"]) != value(r, 5, spec.SequenceLength*spec.NumParticleFeatures-1) || num(t, row["e3"]) != value(r, 3, 2) {
			t.Errorf("Full row %d: %v", r, row)
		}
	}
}
