package notebooks_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	op, args string
}

func readDockerfile(t *testing.T, path string) []instruction {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []instruction
	var cur strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasSuffix(line, `\`) {
			cur.WriteString(strings.TrimSuffix(line, `\`) + " ")
			continue
		}
		cur.WriteString(line)
		op, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{op: strings.ToUpper(op), args: strings.Join(strings.Fields(args), " ")})
		cur.Reset()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImageRecipes checks that the Docker and Binder images are built by the install script the
// test command runs: its system part as root, then the rest as a non-root notebook user that
// Binder can choose (NB_USER, NB_UID).
func TestImageRecipes(t *testing.T) {
	root := filepath.Join("..")
	for _, name := range []string{"docker/Dockerfile", "binder/Dockerfile"} {
		t.Run(name, func(t *testing.T) {
			ins := readDockerfile(t, filepath.Join(root, name))
			var user string // "" while root
			var system, rest, from, copied, simd bool
			args := map[string]bool{}
			for _, in := range ins {
				switch in.op {
				case "FROM":
					from = true
				case "ENV":
					simd = simd || strings.Contains(" "+in.args+" ", " GOEXPERIMENT=simd ")
				case "ARG":
					a, _, _ := strings.Cut(in.args, "=")
					args[a] = true
				case "USER":
					user = in.args
					if user == "root" || user == "0" {
						user = ""
					}
				case "COPY":
					copied = copied || strings.HasPrefix(strings.TrimPrefix(in.args, "--chown=${NB_UID} "), ". ")
				case "RUN":
					if !strings.Contains(in.args, "scripts/install-image.sh") {
						continue
					}
					if strings.Contains(in.args, "--system") {
						if user != "" {
							t.Errorf("the system part runs as %s, want root", user)
						}
						system = true
					} else {
						if user == "" {
							t.Errorf("the user part of install-image.sh runs as root, want the notebook user")
						}
						if !system {
							t.Errorf("the user part runs before the system part")
						}
						rest = true
					}
				}
			}
			if !from || !copied {
				t.Errorf("FROM %v, COPY of the repository %v: want both", from, copied)
			}
			if !simd {
				t.Errorf("no ENV GOEXPERIMENT=simd: the image's builds would get the Go backend's scalar kernels")
			}
			if !system || !rest {
				t.Errorf("install-image.sh --system run: %v; as the user: %v; want both", system, rest)
			}
			if user == "" {
				t.Errorf("the image ends as root, want a non-root user")
			}
			for _, a := range []string{"NB_USER", "NB_UID"} {
				if !args[a] {
					t.Errorf("no ARG %s (Binder passes the user in it)", a)
				}
			}
		})
	}
	test, err := os.ReadFile(filepath.Join(root, "scripts", "test.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(test), "scripts/install-image.sh ") {
		t.Errorf("scripts/test.sh does not run scripts/install-image.sh: the image recipe would go untested")
	}
	ignore, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ignore), ".tools") {
		t.Errorf(".dockerignore does not leave out .tools (locally installed test tools)")
	}
}
