package dataset

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/godltrigger/godltrigger/pkg/spec"
)

// benchRows are the distinct rows a benchmark cycles through.
func benchRows(n int) (hfs, lfs [][]float64) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range n {
		hf, lf := eventRow(rng)
		hfs, lfs = append(hfs, hf), append(lfs, lf)
	}
	return hfs, lfs
}

// BenchmarkWriteIngested writes Ingested part files and reports rows/s and MB/s
// (uncompressed doubles) of Writer, and its speed-up over a baseline measured in the
// same run, interleaved in blocks of 100 rows so that a change of machine load hits
// both alike: the generic pqarrow writer fed by Arrow list builders (bulk
// AppendValues per list), same compression and no dictionary.
func BenchmarkWriteIngested(b *testing.B) {
	hfs, lfs := benchRows(64)
	s := Ingested().Drop("label")
	dir := b.TempDir()
	path := filepath.Join(dir, "bench.parquet")
	w, err := NewWriter(path, s)
	if err != nil {
		b.Fatal(err)
	}
	base, err := newBaseline(filepath.Join(dir, "base.parquet"))
	if err != nil {
		b.Fatal(err)
	}
	defer base.release()
	const block = 100
	var ours, theirs time.Duration
	b.ResetTimer()
	for done := 0; done < b.N; done += block {
		n := min(block, b.N-done)
		t0 := time.Now()
		for i := done; i < done+n; i++ {
			if err := w.Append(hfs[i%len(hfs)], lfs[i%len(lfs)]); err != nil {
				b.Fatal(err)
			}
		}
		t1 := time.Now()
		if err := base.write(hfs, lfs, done, n); err != nil {
			b.Fatal(err)
		}
		ours, theirs = ours+t1.Sub(t0), theirs+time.Since(t1)
	}
	t0 := time.Now()
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	t1 := time.Now()
	if err := base.fw.Close(); err != nil {
		b.Fatal(err)
	}
	ours, theirs = ours+t1.Sub(t0), theirs+time.Since(t1)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/ours.Seconds(), "rows/s")
	b.ReportMetric(float64(b.N)*float64(s.RowBytes())/ours.Seconds()/1e6, "MB/s")
	b.ReportMetric(float64(b.N)/theirs.Seconds(), "baseline-rows/s")
	b.ReportMetric(theirs.Seconds()/ours.Seconds(), "x-baseline")
	if st, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(st.Size())/float64(b.N), "B/row-on-disk")
	}
}

// baseline writes Ingested rows with pqarrow's FileWriter from Arrow list builders.
type baseline struct {
	f   *os.File
	fw  *pqarrow.FileWriter
	bld *array.RecordBuilder
}

func newBaseline(path string) (*baseline, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "hfeatures", Type: arrow.ListOf(arrow.PrimitiveTypes.Float64), Nullable: true},
		{Name: "lfeatures", Type: arrow.ListOf(arrow.ListOf(arrow.PrimitiveTypes.Float64)), Nullable: true},
	}, nil)
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy), parquet.WithDictionaryDefault(false))
	fw, err := pqarrow.NewFileWriter(sc, f, props, pqarrow.DefaultWriterProps())
	if err != nil {
		f.Close()
		return nil, err
	}
	return &baseline{f: f, fw: fw, bld: array.NewRecordBuilder(memory.DefaultAllocator, sc)}, nil
}

func (x *baseline) write(hfs, lfs [][]float64, from, n int) error {
	hb := x.bld.Field(0).(*array.ListBuilder)
	lb := x.bld.Field(1).(*array.ListBuilder)
	hv := hb.ValueBuilder().(*array.Float64Builder)
	inner := lb.ValueBuilder().(*array.ListBuilder)
	lv := inner.ValueBuilder().(*array.Float64Builder)
	for i := from; i < from+n; i++ {
		hb.Append(true)
		hv.AppendValues(hfs[i%len(hfs)], nil)
		lb.Append(true)
		lf := lfs[i%len(lfs)]
		for r := 0; r < spec.SequenceLength; r++ {
			inner.Append(true)
			lv.AppendValues(lf[r*spec.NumParticleFeatures:(r+1)*spec.NumParticleFeatures], nil)
		}
	}
	rec := x.bld.NewRecordBatch()
	defer rec.Release()
	return x.fw.Write(rec)
}

func (x *baseline) release() {
	x.bld.Release()
	x.f.Close()
}

// BenchmarkScanInclusive reads an Inclusive file and reports rows/s and MB/s.
func BenchmarkScanInclusive(b *testing.B) {
	_, lfs := benchRows(64)
	s := Inclusive()
	path := filepath.Join(b.TempDir(), "incl.parquet")
	w, err := NewWriter(path, s)
	if err != nil {
		b.Fatal(err)
	}
	hlf, enc := make([]float64, spec.NumHLF), []float64{0, 1, 0}
	const rows = 2000
	for i := 0; i < rows; i++ {
		if err := w.Append(hlf, lfs[i%len(lfs)], enc); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var total int64
	for i := 0; i < b.N; i++ {
		err := r.Scan(context.Background(), s, 256, func(bt *Batch) error {
			total += int64(bt.Rows)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(total)/sec, "rows/s")
	b.ReportMetric(float64(total)*float64(s.RowBytes())/sec/1e6, "MB/s")
}
