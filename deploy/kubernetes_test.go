package deploy

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestIngestIndexedJob(t *testing.T) {
	bin := dltrigger(t)
	objs := readManifest(t, "kubernetes/ingest-indexed-job.yaml")
	job := only(t, objs, "batch/v1", "Job")
	s := job.Spec
	if s.CompletionMode != "Indexed" {
		t.Errorf("completionMode %q, want Indexed (JOB_COMPLETION_INDEX is the shard)", s.CompletionMode)
	}
	if s.Completions == nil || s.Parallelism == nil || *s.Completions < 1 || *s.Completions != *s.Parallelism {
		t.Fatalf("completions %v and parallelism %v: want both set, equal and positive", deref(s.Completions), deref(s.Parallelism))
	}
	n := *s.Completions
	if rp := s.Template.Spec.RestartPolicy; rp != "Never" && rp != "OnFailure" {
		t.Errorf("restartPolicy %q: a Job needs Never or OnFailure", rp)
	}
	var ingests int
	for _, c := range s.Template.Spec.Containers {
		iv, ok := findInvocation(c.words(), boolFlags(t, bin, "ingest"))
		if !ok || iv.Cmd != "ingest" {
			continue
		}
		ingests++
		if c.Image != image {
			t.Errorf("container %s: image %q, want %q", c.Name, c.Image, image)
		}
		if v, ok := iv.value("shard"); !ok || v != "$(JOB_COMPLETION_INDEX)" {
			t.Errorf("container %s: --shard %q (given %v), want $(JOB_COMPLETION_INDEX)", c.Name, v, ok)
		}
		// JOB_COMPLETION_INDEX carries no count: --of must say it, and match the Job.
		if v, _ := iv.value("of"); v != strconv.Itoa(n) {
			t.Errorf("container %s: --of %q, want %d (completions)", c.Name, v, n)
		}
		out, ok := iv.value("out")
		if !ok {
			t.Errorf("container %s: no --out", c.Name)
		}
		checkPath(t, s.Template, c, "out", out, true)
		samples := iv.values("sample")
		if len(samples) == 0 {
			t.Errorf("container %s: no --sample", c.Name)
		}
		for _, smp := range samples {
			_, pats, _ := strings.Cut(smp, "=")
			for _, p := range strings.Split(pats, ",") {
				checkPath(t, s.Template, c, "sample", p, false)
			}
		}
	}
	if ingests != 1 {
		t.Fatalf("%d containers run dltrigger ingest, want 1", ingests)
	}
	// Every pod writes into the same folder: the claim, when defined here, must be shared.
	for _, o := range objs {
		if o.Kind == "PersistentVolumeClaim" && slices.Contains(claimNames(s.Template), o.Metadata.Name) &&
			!slices.Contains(o.Spec.AccessModes, "ReadWriteMany") {
			t.Errorf("PersistentVolumeClaim %s: access modes %v, want ReadWriteMany (all pods write)", o.Metadata.Name, o.Spec.AccessModes)
		}
	}
}

func TestTrainMPIJob(t *testing.T) {
	bin := dltrigger(t)
	objs := readManifest(t, "kubernetes/train-mpijob.yaml")
	job := only(t, objs, "kubeflow.org/v2beta1", "MPIJob")
	s := job.Spec
	launcher, okL := s.MPIReplicaSpecs["Launcher"]
	worker, okW := s.MPIReplicaSpecs["Worker"]
	if !okL || !okW || len(s.MPIReplicaSpecs) != 2 {
		t.Fatalf("mpiReplicaSpecs has %v, want Launcher and Worker", keys(s.MPIReplicaSpecs))
	}
	if deref(launcher.Replicas) != 1 {
		t.Errorf("Launcher replicas %d, want 1", deref(launcher.Replicas))
	}
	if s.SlotsPerWorker == nil || *s.SlotsPerWorker < 1 || deref(worker.Replicas) < 1 {
		t.Fatalf("slotsPerWorker %d, Worker replicas %d: want both set and positive", deref(s.SlotsPerWorker), deref(worker.Replicas))
	}
	ranks := *s.SlotsPerWorker * *worker.Replicas
	for role, pod := range job.templates() {
		for _, c := range pod.Spec.Containers {
			if c.Image != image {
				t.Errorf("%s container %s: image %q, want %q", role, c.Name, c.Image, image)
			}
		}
	}
	if len(launcher.Template.Spec.Containers) != 1 {
		t.Fatalf("Launcher has %d containers, want 1", len(launcher.Template.Spec.Containers))
	}
	lc := launcher.Template.Spec.Containers[0]
	words := lc.words()
	if len(words) == 0 || words[0] != "mpirun" {
		t.Fatalf("Launcher runs %q, want mpirun", words)
	}
	np := ""
	for i, w := range words {
		if (w == "-np" || w == "-n" || w == "--np") && i+1 < len(words) {
			np = words[i+1]
			break
		}
		if isDltrigger(w) {
			break
		}
	}
	if np != strconv.Itoa(ranks) {
		t.Errorf("mpirun -np %q, want %d (Worker replicas %d x slotsPerWorker %d)", np, ranks, *worker.Replicas, *s.SlotsPerWorker)
	}
	iv, ok := findInvocation(words, boolFlags(t, bin, "train"))
	if !ok || iv.Cmd != "train" {
		t.Fatalf("Launcher command %q does not run dltrigger train", words)
	}
	if v, _ := iv.value("distributed"); v != "mpi" {
		t.Errorf("dltrigger train --distributed %q, want mpi", v)
	}
	// The ranks run on the workers: the paths they read and write must be mounted there.
	if len(worker.Template.Spec.Containers) != 1 {
		t.Fatalf("Worker has %d containers, want 1", len(worker.Template.Spec.Containers))
	}
	wc := worker.Template.Spec.Containers[0]
	for _, f := range []struct {
		name   string
		writes bool
	}{{"train", false}, {"test", false}, {"out", true}} {
		p, ok := iv.value(f.name)
		if !ok {
			t.Errorf("dltrigger train has no --%s", f.name)
			continue
		}
		checkPath(t, worker.Template, wc, f.name, p, f.writes)
	}
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func keys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
