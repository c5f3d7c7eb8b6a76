// Package ingest is step 1 of the pipeline: it reads Delphes files of each sample, emulates the
// trigger, builds the 801×19 low-level and 14 high-level features of every selected event
// (package features) and writes them as Parquet, partitioned by label as Spark wrote them:
//
//	OUT/label=0/part-<input>-<hash>.parquet   (qcd)
//	OUT/label=1/...                           (ttbar)
//	OUT/label=2/...                           (wjets)
//
// One output file is written per input file, under a temporary name renamed when complete, so
// a killed run resumes by skipping inputs whose output exists. Inputs are spread over shards
// deterministically (Plan), so that a Slurm array, a Kubernetes Indexed Job or an MPI job each
// ingest a share and together produce exactly what a single run produces.
//
// Inside a run, files are read concurrently and the events of each file are cut into chunks
// whose features are computed on all cores; each file's writer puts the chunks back in order,
// so the output does not depend on the number of workers.
package ingest
