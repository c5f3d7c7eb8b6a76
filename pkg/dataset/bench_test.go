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
// (uncompressed doubles), and the speed-up over a baseline measured in the same run:
// the generic pqarrow writer fed by Arrow list builders (bulk AppendValues per row).
func BenchmarkWriteIngested(b *testing.B) {
	hfs, lfs := benchRows(64)
	s := Ingested().Drop("label")
	path := filepath.Join(b.TempDir(), "bench.parquet")
	b.ResetTimer()
	w, err := NewWriter(path, s)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		if err := w.Append(hfs[i%len(hfs)], lfs[i%len(lfs)]); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N)/sec, "rows/s")
	b.ReportMetric(float64(b.N)*float64(s.RowBytes())/sec/1e6, "MB/s")
	if st, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(st.Size())/float64(b.N), "B/row-on-disk")
	}
	if b.N >= 500 {
		const n = 500
		start := time.Now()
		if err := writeBaseline(filepath.Join(b.TempDir(), "base.parquet"), hfs, lfs, n); err != nil {
			b.Fatal(err)
		}
		base := float64(n) / time.Since(start).Seconds()
		b.ReportMetric(base, "baseline-rows/s")
		b.ReportMetric(float64(b.N)/sec/base, "x-baseline")
	}
}

// writeBaseline writes n rows with pqarrow's FileWriter from Arrow list builders.
func writeBaseline(path string, hfs, lfs [][]float64, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "hfeatures", Type: arrow.ListOf(arrow.PrimitiveTypes.Float64), Nullable: true},
		{Name: "lfeatures", Type: arrow.ListOf(arrow.ListOf(arrow.PrimitiveTypes.Float64)), Nullable: true},
	}, nil)
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy), parquet.WithDictionaryDefault(false))
	fw, err := pqarrow.NewFileWriter(sc, f, props, pqarrow.DefaultWriterProps())
	if err != nil {
		return err
	}
	bld := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	defer bld.Release()
	hb := bld.Field(0).(*array.ListBuilder)
	lb := bld.Field(1).(*array.ListBuilder)
	hv := hb.ValueBuilder().(*array.Float64Builder)
	inner := lb.ValueBuilder().(*array.ListBuilder)
	lv := inner.ValueBuilder().(*array.Float64Builder)
	for i := 0; i < n; i++ {
		hb.Append(true)
		hv.AppendValues(hfs[i%len(hfs)], nil)
		lb.Append(true)
		lf := lfs[i%len(lfs)]
		for r := 0; r < ParticleRows; r++ {
			inner.Append(true)
			lv.AppendValues(lf[r*ParticleCols:(r+1)*ParticleCols], nil)
		}
		if (i+1)%100 == 0 || i == n-1 {
			rec := bld.NewRecordBatch()
			err := fw.Write(rec)
			rec.Release()
			if err != nil {
				return err
			}
		}
	}
	return fw.Close()
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
	hlf, enc := make([]float64, NumHLF), []float64{0, 1, 0}
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
