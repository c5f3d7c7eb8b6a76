// Package ingest is step 1 of the pipeline: it reads Delphes files of each sample, emulates the
// trigger, builds the 801×19 low-level and 14 high-level features of every selected event
// (package features) and writes them as Parquet, partitioned by label as Spark wrote them:
//
//	OUT/label=0/part-<input>-<hash>.parquet   (qcd)
//	OUT/label=1/...                           (ttbar)
//	OUT/label=2/...                           (wjets)
//
// One output file is written per input file, under a temporary name renamed when complete, so
// a killed run resumes by skipping inputs whose output exists (once its footer shows the
// settings of the rerun: outputs made with other settings are an error, never mixed in).
// Inputs are spread over shards deterministically (Plan), so that a Slurm array, a Kubernetes
// Indexed Job or an MPI job each ingest a share and together produce exactly what a single run
// produces.
//
// A run that covered all its inputs writes OUT/_SUCCESS, Spark's marker of a complete job,
// which prepare requires; a shard writes OUT/_SUCCESS.shard-K-of-N instead, and the last
// shard to finish replaces the shard markers by _SUCCESS (dataset.MarkShardSuccess). An input
// that cannot be read, or whose features are not finite, is bad: it is reported and skipped.
// An error of the output (a full disk, a destination that is not a folder) stops the run, and
// so does a run in which every input is bad.
//
// Inside a run, files are read concurrently and the events of each file are cut into chunks
// whose features are computed on all cores; each file's writer puts the chunks back in order
// and hands the rows to Parquet in batches of a fixed size, so the output files are the same
// byte for byte whatever the number of workers, the chunk size or the sharding.
//
// A run ends with a Summary (Print writes it for people): files ingested, skipped as complete
// and bad, events read, selected per label and dropped per reason.
//
//	sum, err := ingest.Run(ctx, ingest.Options{
//		Out:     "ingested",
//		Samples: []ingest.Sample{{Name: "ttbar", Label: 1, Patterns: []string{"data/ttbar/*.root"}}},
//	})
//	if sum != nil {
//		sum.Print(os.Stdout)
//	}
package ingest
