// Package deploy holds no code: it is where the deployment files of dltrigger live, and its
// tests keep them working.
//
//	kubernetes/ingest-indexed-job.yaml  Indexed Job: step 1 sharded over N pods
//	kubernetes/train-mpijob.yaml        Kubeflow MPIJob: distributed training over MPI
//	slurm/ingest.sbatch                 job array: step 1 sharded over the array tasks
//	slurm/train.sbatch                  distributed training over MPI in one allocation
//
// The tests parse the manifests and check the fields the pipeline relies on (indexed
// completion, shard count, image, volumes under the paths the commands use, MPI ranks equal to
// worker slots), check every dltrigger flag the files use against the built binary's --help,
// and run slurm/ingest.sbatch as a real job array on a single-node Slurm cluster started on
// loopback (slurmctld, slurmd and munged from scripts/install-slurm.sh; needs root, skipped
// otherwise), comparing the union of the shards with a single run:
//
//	scripts/install-slurm.sh
//	go test ./deploy/
package deploy
