package delphes

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The XRootD tests run a real server (Debian xrootd-server) that listens on all interfaces,
// so it runs in a private network namespace: the test binary re-executes itself under
// `unshare -n` with envInNetNS set, brings loopback up there, and both the server and the
// client live in that namespace, where nothing but loopback exists.
const envInNetNS = "DELPHES_TEST_IN_NETNS"

// inNetNS re-runs the current test or benchmark (selected by the -test.run or -test.bench
// pattern in args) in a fresh network namespace and reports its output. It returns false in
// the parent; in the child (where it returns true) the caller goes on with the real work.
func inNetNS(tb testing.TB, args ...string) bool {
	tb.Helper()
	if os.Getenv(envInNetNS) != "" {
		if out, err := exec.Command("ip", "link", "set", "lo", "up").CombinedOutput(); err != nil {
			tb.Fatalf("bringing loopback up in the namespace: %v\n%s", err, out)
		}
		return true
	}
	for _, tool := range []string{"xrootd", "unshare", "ip"} {
		if _, err := exec.LookPath(tool); err != nil {
			tb.Skipf("%s is not installed (scripts/install-deps.sh installs xrootd-server): skipping the XRootD test", tool)
		}
	}
	if out, err := exec.Command("unshare", "-n", "true").CombinedOutput(); err != nil {
		tb.Skipf("cannot create a network namespace (unshare -n: %v %s): skipping the XRootD test", err, bytes.TrimSpace(out))
	}
	if _, err := user.Lookup("xrootd"); err != nil && os.Getuid() == 0 {
		tb.Skip("no xrootd user to run the server as: skipping the XRootD test")
	}
	cmd := exec.Command("unshare", append([]string{"-n", os.Args[0], "-test.v"}, args...)...)
	cmd.Env = append(os.Environ(), envInNetNS+"=1")
	out, err := cmd.CombinedOutput()
	tb.Logf("in a private network namespace:\n%s", out)
	if err != nil {
		tb.Fatalf("namespaced run failed: %v", err)
	}
	if bytes.Contains(out, []byte("--- SKIP")) {
		tb.Skip("skipped in the namespace")
	}
	return false
}

// xrootdServer is a running xrootd serving one directory read-only.
type xrootdServer struct {
	port int
	pid  int
}

// startXRootD serves dir (world-readable) on a free loopback port, until the test ends.
func startXRootD(tb testing.TB, dir string) *xrootdServer {
	tb.Helper()
	admin, err := os.MkdirTemp("", "xrootd-admin")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(admin) })
	if os.Getuid() == 0 {
		u, err := user.Lookup("xrootd")
		if err != nil {
			tb.Fatal(err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(admin, uid, gid); err != nil {
			tb.Fatal(err)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cfg := filepath.Join(admin, "xrootd.cfg")
	conf := fmt.Sprintf("xrd.port %d\nall.role server\nall.export %s r/o\nall.adminpath %s\nall.pidpath %s\n", port, dir, admin, admin)
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		tb.Fatal(err)
	}
	const name = "delphestest"
	args := []string{"-c", cfg, "-n", name, "-l", filepath.Join(admin, "log"), "-b"}
	if os.Getuid() == 0 {
		args = append([]string{"-R", "xrootd"}, args...)
	}
	if out, err := exec.Command("xrootd", args...).CombinedOutput(); err != nil {
		tb.Fatalf("starting xrootd: %v\n%s", err, out)
	}
	s := &xrootdServer{port: port}
	pidFile := filepath.Join(admin, name, "xrootd.pid")
	deadline := time.Now().Add(15 * time.Second)
	for {
		if b, err := os.ReadFile(pidFile); err == nil && s.pid == 0 {
			s.pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			if s.pid != 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(admin, name, "log"))
			tb.Fatalf("xrootd did not come up on port %d (pid %d):\n%s", port, s.pid, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Cleanup(func() { s.stop(tb) })
	return s
}

// stop kills the server by its pid and waits for it to exit.
func (s *xrootdServer) stop(tb testing.TB) {
	if err := syscall.Kill(s.pid, syscall.SIGTERM); err != nil {
		tb.Errorf("stopping xrootd %d: %v", s.pid, err)
		return
	}
	for i := 0; i < 200; i++ {
		if syscall.Kill(s.pid, 0) != nil {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	syscall.Kill(s.pid, syscall.SIGKILL)
}

// servedDir makes a world-readable directory holding copies of the given files.
func servedDir(tb testing.TB, files map[string]string) string {
	tb.Helper()
	dir, err := os.MkdirTemp("", "xrootd-data")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	for name, src := range files {
		b, err := os.ReadFile(src)
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

func TestXRootDMatchesLocal(t *testing.T) {
	if !inNetNS(t, "-test.run", "^TestXRootDMatchesLocal$") {
		return
	}
	files := map[string]string{"flat.root": writeFlat(t, genEvents(300, 11, smallMult))}
	if os.Getenv("DLTRIGGER_TESTDATA") != "" {
		files["real.root"] = testdata(t, fileZH)
	}
	dir := servedDir(t, files)
	srv := startXRootD(t, dir)
	for name := range files {
		t.Run(name, func(t *testing.T) {
			local := filepath.Join(dir, name)
			url := fmt.Sprintf("root://127.0.0.1:%d/%s", srv.port, local)
			remote := readAll(t, url)
			if d := sameEvents(remote, readAll(t, local)); d != "" {
				t.Fatalf("%s vs local: %s", url, d)
			}
			if len(remote) == 0 {
				t.Fatal("no events")
			}
		})
	}
	t.Run("remote-glob-and-directory", func(t *testing.T) {
		var want []string
		for name := range files {
			want = append(want, fmt.Sprintf("root://127.0.0.1:%d/%s", srv.port, filepath.Join(dir, name)))
		}
		sort.Strings(want)
		base := fmt.Sprintf("root://127.0.0.1:%d/%s", srv.port, dir)
		for _, pattern := range []string{base + "/*.root", base, base + "/"} {
			got, err := Expand(pattern)
			if err != nil {
				t.Fatalf("Expand(%s): %v", pattern, err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("Expand(%s) = %v, want %v", pattern, got, want)
			}
		}
		if got, err := Expand(base + "/flat.root"); err != nil || len(got) != 1 || got[0] != base+"/flat.root" {
			t.Errorf("a remote file is kept as it is: %v, %v", got, err)
		}
		for _, bad := range []string{base + "/nomatch*.root", base + "/nosuchdir/*.root"} {
			if _, err := Expand(bad); err == nil || !strings.Contains(err.Error(), bad) {
				t.Errorf("Expand(%s): error %v should name it", bad, err)
			}
		}
	})
	t.Run("missing-remote-file", func(t *testing.T) {
		url := fmt.Sprintf("root://127.0.0.1:%d/%s/nosuch.root", srv.port, dir)
		if err := openAndRead(url); err == nil || !strings.Contains(err.Error(), url) {
			t.Fatalf("error %v", err)
		}
	})
}

func TestXRootDServerDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	url := fmt.Sprintf("root://127.0.0.1:%d//data/x.root", port)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- openAndRead(url) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), url) || !strings.Contains(err.Error(), "cannot reach") {
			t.Fatalf("error %q should name %s and say it cannot reach it", err, url)
		}
	case <-ctx.Done():
		t.Fatal("opening a URL on a closed port hangs")
	}
}
