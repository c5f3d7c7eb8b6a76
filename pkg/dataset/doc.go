// Package dataset reads and writes the pipeline's Parquet datasets in the layout
// Spark writes, so that Spark, pandas/pyarrow and DuckDB read our files as they
// read the published ones, and we read theirs.
//
// A dataset is a Schema of columns of three kinds: Int64 (label), Float64List (a
// fixed-length list of doubles, e.g. hfeatures, 14) and Float64List2 (a fixed-shape
// list of lists, e.g. lfeatures, 801x19). Ready-made schemas: Ingested (step 1),
// Full, HLF and Inclusive (step 2); their column names and shapes are package spec's.
//
// Writing one part file (rows are appended in bulk, one call per row or per Batch):
//
//	dir := dataset.PartitionDir("out/ingested", "label", 1) // out/ingested/label=1
//	w, err := dataset.NewWriter(filepath.Join(dir, dataset.PartName(0, job)), dataset.Ingested().Drop("label"))
//	if err != nil { ... }
//	defer w.Abort()                     // removes the temporary file unless Close succeeded
//	err = w.Append(hfeatures, lfeatures) // []float64 of 14, []float64 of 801*19 (row-major)
//	err = w.Close()                     // renames PATH.tmp-XXXX to PATH
//
// Reading a file or a directory tree, streaming, one row group at a time:
//
//	r, err := dataset.Open("out/ingested")
//	err = r.Scan(ctx, dataset.Ingested(), 256, func(b *dataset.Batch) error {
//		lf := b.Float64s("lfeatures") // b.Rows * 801*19 values
//		labels := b.Int64s("label")   // from the label=K directory names
//		...
//	})
//
// # File layout
//
// Every field is optional and lists use the standard 3-level form, exactly as Spark
// writes array<double>:
//
//	message spark_schema {
//	  optional group hfeatures (LIST) { repeated group list { optional double element; } }
//	  optional group lfeatures (LIST) { repeated group list {
//	    optional group element (LIST) { repeated group list { optional double element; } } } }
//	}
//
// Pages are snappy-compressed, plain-encoded (no dictionary), format version 1; the
// footer carries Spark's row schema (SparkSchemaKey) and any WithMetadata pairs.
// Readers also accept Spark's legacy list layout (writeLegacyFormat:
// repeated group bag { optional double array; }).
//
// # Partitions: label lives in the path
//
// Spark's partitionBy("label") removes label from the part files and encodes it in
// the directory name: DIR/label=0/part-00000-<uuid>-c000.snappy.parquet. We write
// the same way (write with Ingested().Drop("label") into PartitionDir(DIR, "label",
// K)), and readers add a column missing from a file from the key=value directory
// names above it, so Ingested() reads label whatever the layout.
//
// # Directories and atomicity
//
// Open accepts a file or a directory tree; it skips _SUCCESS and other _* files,
// hidden files, .crc side files and temporary files (*.tmp-*), and sorts the rest
// by path. Writer writes PATH.tmp-XXXX and renames it to PATH on Close: a crashed
// writer leaves only a temporary name, which readers ignore and RemoveStaleTemps
// deletes. MarkSuccess and IsComplete handle Spark's _SUCCESS marker; a job split into
// shards marks each shard done with MarkShardSuccess (_SUCCESS.shard-K-of-N), the last
// shard to finish writes _SUCCESS, and CheckComplete says which shards are missing.
//
// # Checks
//
// Check and Scan name the file and column of any mismatch: a missing column, a
// wrong type, and (while reading) a list of the wrong length, with its row.
package dataset
