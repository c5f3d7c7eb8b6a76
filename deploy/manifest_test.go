package deploy

import (
	"errors"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// object is the part of a Kubernetes object the tests read.
type object struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec spec `yaml:"spec"`
}

// spec merges the fields read from a Job, an MPIJob and a PersistentVolumeClaim.
type spec struct {
	// Job
	CompletionMode string      `yaml:"completionMode"`
	Completions    *int        `yaml:"completions"`
	Parallelism    *int        `yaml:"parallelism"`
	Template       podTemplate `yaml:"template"`
	// MPIJob
	SlotsPerWorker    *int                   `yaml:"slotsPerWorker"`
	MPIReplicaSpecs   map[string]replicaSpec `yaml:"mpiReplicaSpecs"`
	MPIImplementation string                 `yaml:"mpiImplementation"`
	// PersistentVolumeClaim
	AccessModes []string `yaml:"accessModes"`
}

type replicaSpec struct {
	Replicas *int        `yaml:"replicas"`
	Template podTemplate `yaml:"template"`
}

type podTemplate struct {
	Spec struct {
		RestartPolicy string      `yaml:"restartPolicy"`
		Containers    []container `yaml:"containers"`
		Volumes       []volume    `yaml:"volumes"`
	} `yaml:"spec"`
}

type container struct {
	Name         string   `yaml:"name"`
	Image        string   `yaml:"image"`
	Command      []string `yaml:"command"`
	Args         []string `yaml:"args"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
		ReadOnly  bool   `yaml:"readOnly"`
	} `yaml:"volumeMounts"`
}

// words is the container's command line: command then args.
func (c container) words() []string { return append(append([]string(nil), c.Command...), c.Args...) }

type volume struct {
	Name                  string `yaml:"name"`
	PersistentVolumeClaim *struct {
		ClaimName string `yaml:"claimName"`
		ReadOnly  bool   `yaml:"readOnly"`
	} `yaml:"persistentVolumeClaim"`
}

// readManifest parses every document of a YAML file.
func readManifest(t *testing.T, name string) []object {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var objs []object
	dec := yaml.NewDecoder(f)
	for {
		var o object
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: document %d: %v", name, len(objs)+1, err)
		}
		if o.Kind == "" || o.APIVersion == "" {
			t.Fatalf("%s: document %d has no kind or apiVersion", name, len(objs)+1)
		}
		objs = append(objs, o)
	}
	return objs
}

// templates returns the pod templates of an object, keyed by role ("" for a Job's).
func (o object) templates() map[string]podTemplate {
	if len(o.Spec.MPIReplicaSpecs) > 0 {
		m := map[string]podTemplate{}
		for role, r := range o.Spec.MPIReplicaSpecs {
			m[role] = r.Template
		}
		return m
	}
	if len(o.Spec.Template.Spec.Containers) > 0 {
		return map[string]podTemplate{"": o.Spec.Template}
	}
	return nil
}

// only returns the single object of the kind, failing the test when there is not exactly one.
func only(t *testing.T, objs []object, apiVersion, kind string) object {
	t.Helper()
	var found []object
	for _, o := range objs {
		if o.Kind == kind {
			found = append(found, o)
		}
	}
	if len(found) != 1 {
		t.Fatalf("found %d objects of kind %s, want 1", len(found), kind)
	}
	if found[0].APIVersion != apiVersion {
		t.Errorf("%s %s: apiVersion %q, want %q", kind, found[0].Metadata.Name, found[0].APIVersion, apiVersion)
	}
	return found[0]
}

// mountFor returns the volume mounted at the deepest mount path holding p in the pod, whether
// that mount is read-only, and whether one was found.
func mountFor(pod podTemplate, c container, p string) (vol volume, readOnly, ok bool) {
	best := ""
	for _, m := range c.VolumeMounts {
		mp := path.Clean(m.MountPath)
		if (p == mp || strings.HasPrefix(p, mp+"/")) && len(mp) > len(best) {
			for _, v := range pod.Spec.Volumes {
				if v.Name == m.Name {
					vol, readOnly, ok, best = v, m.ReadOnly || (v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ReadOnly), true, mp
				}
			}
		}
	}
	return vol, readOnly, ok
}

// checkPath fails unless p (a path an invocation reads or, when writes, writes) lies on a
// persistent volume of the pod, writable when written.
func checkPath(t *testing.T, pod podTemplate, c container, flag, p string, writes bool) {
	t.Helper()
	if strings.Contains(p, "://") && !writes {
		return // read remotely (root://)
	}
	if !path.IsAbs(p) {
		t.Errorf("container %s: --%s %s: want an absolute path on a mounted volume", c.Name, flag, p)
		return
	}
	vol, ro, ok := mountFor(pod, c, path.Clean(p))
	switch {
	case !ok:
		t.Errorf("container %s: --%s %s is on no mounted volume", c.Name, flag, p)
	case vol.PersistentVolumeClaim == nil:
		t.Errorf("container %s: --%s %s is on volume %s, not a PersistentVolumeClaim: the output would be lost", c.Name, flag, p, vol.Name)
	case writes && ro:
		t.Errorf("container %s: --%s %s is written but its volume is mounted read-only", c.Name, flag, p)
	}
}

// claimNames returns the claims that the pod's volumes use.
func claimNames(pod podTemplate) []string {
	var names []string
	for _, v := range pod.Spec.Volumes {
		if v.PersistentVolumeClaim != nil {
			names = append(names, v.PersistentVolumeClaim.ClaimName)
		}
	}
	sort.Strings(names)
	return names
}
