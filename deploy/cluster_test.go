package deploy

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// slurmCluster is a single-node Slurm cluster on loopback, started by a test: munged on its own
// socket and key, slurmctld and slurmd in the foreground, all configuration, state, logs and
// pid files in one temporary folder. Everything is stopped by PID when the test ends.
type slurmCluster struct {
	dir  string // holds slurm.conf, the key, the state and the logs
	conf string // slurm.conf
	bins map[string]string
}

// slurmBinaries are the programs the cluster needs; daemons live in /usr/sbin.
var slurmBinaries = []string{"munged", "slurmctld", "slurmd", "sbatch", "sinfo", "squeue", "scancel"}

// lookSlurm finds the Slurm and MUNGE programs, skipping the test when one is missing or when
// it cannot start daemons (not root).
func lookSlurm(t *testing.T) map[string]string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the Slurm test runs on Linux only")
	}
	bins := map[string]string{}
	for _, b := range slurmBinaries {
		p, err := exec.LookPath(b)
		if err != nil {
			if _, serr := os.Stat(filepath.Join("/usr/sbin", b)); serr == nil {
				p, err = filepath.Join("/usr/sbin", b), nil
			}
		}
		if err != nil {
			t.Skipf("%s not found: install Slurm and MUNGE with scripts/install-slurm.sh to run ingest as a Slurm job array", b)
		}
		bins[b] = p
	}
	if os.Geteuid() != 0 {
		t.Skip("not root: slurmd must run as root to start jobs; run the test as root to use the local Slurm cluster")
	}
	return bins
}

// freePorts returns n distinct TCP ports free on loopback now.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("find a free port: %v", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// nodeLine returns this machine's node definition as slurmd -C sees it (CPUs, sockets, cores,
// threads, RealMemory), named localhost on 127.0.0.1.
func nodeLine(t *testing.T, slurmd string) string {
	t.Helper()
	out, err := exec.Command(slurmd, "-C").Output()
	if err != nil {
		t.Fatalf("slurmd -C: %v", err)
	}
	line, _, _ := strings.Cut(string(out), "\n")
	fields := strings.Fields(line)
	if len(fields) < 2 || !strings.HasPrefix(fields[0], "NodeName=") || !strings.Contains(line, "CPUs=") || !strings.Contains(line, "RealMemory=") {
		t.Fatalf("slurmd -C: unexpected %q", out)
	}
	fields[0] = "NodeName=localhost NodeHostname=localhost NodeAddr=127.0.0.1"
	return strings.Join(fields, " ") + " State=UNKNOWN"
}

// writeConfig writes slurm.conf and cgroup.conf for the cluster into dir.
func (c *slurmCluster) writeConfig(t *testing.T, node string, ctlPort, dPort int) {
	t.Helper()
	d := c.dir
	for _, sub := range []string{"state", "spool"} {
		if err := os.Mkdir(filepath.Join(d, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	conf := fmt.Sprintf(`# A single-node cluster on loopback for the deploy tests.
ClusterName=dltrigger-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=%[2]d
SlurmdPort=%[3]d
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=%[1]s/munge.sock
StateSaveLocation=%[1]s/state
SlurmdSpoolDir=%[1]s/spool
SlurmctldPidFile=%[1]s/slurmctld.pid
SlurmdPidFile=%[1]s/slurmd.pid
SlurmctldLogFile=%[1]s/slurmctld.log
SlurmdLogFile=%[1]s/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
# sbatch --wait polls after 2 s, then 8 s, 32 s while the sleep is below MinJobAge/2: with 4,
# every 2 s, and a finished job stays known for 4 s, two polls.
MinJobAge=4
%[4]s
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
`, d, ctlPort, dPort, node)
	c.conf = filepath.Join(d, "slurm.conf")
	if err := os.WriteFile(c.conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	// Read by slurmd next to slurm.conf; no cgroup plugin is used (proctrack/linuxproc, task/none).
	if err := os.WriteFile(filepath.Join(d, "cgroup.conf"), []byte("CgroupAutomount=no\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// env is the environment of the Slurm commands: the test's, without its own Slurm settings, and
// this cluster's slurm.conf.
func (c *slurmCluster) env(extra ...string) []string {
	return cleanEnv(append([]string{"SLURM_CONF=" + c.conf}, extra...)...)
}

// startSlurm starts munged, slurmctld and slurmd and waits until the node is idle.
func startSlurm(t *testing.T) *slurmCluster {
	t.Helper()
	bins := lookSlurm(t)
	// munged wants every folder up to its socket searchable by all, which t.TempDir's parent is
	// not: a folder of its own, removed after the daemons stop (cleanups run last first).
	dir, err := os.MkdirTemp("", "slurm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o711); err != nil {
		t.Fatal(err)
	}
	if n := len(filepath.Join(dir, "spool", "localhost_4294967294.4294967294")); n > 100 {
		t.Fatalf("temporary folder %s is too long for Unix sockets (%d bytes): set TMPDIR to a shorter path", dir, n)
	}
	c := &slurmCluster{dir: dir, bins: bins}
	ports := freePorts(t, 2)
	c.writeConfig(t, nodeLine(t, bins["slurmd"]), ports[0], ports[1])

	key := make([]byte, 1024)
	rand.Read(key)
	if err := os.WriteFile(filepath.Join(dir, "munge.key"), key, 0o400); err != nil {
		t.Fatal(err)
	}
	c.daemon(t, "munged", bins["munged"], "--foreground", "--socket="+dir+"/munge.sock",
		"--key-file="+dir+"/munge.key", "--pid-file="+dir+"/munged.pid", "--seed-file="+dir+"/munged.seed",
		"--log-file="+dir+"/munged.log")
	c.waitFor(t, "munged socket", 10*time.Second, func() (bool, string) {
		_, err := os.Stat(filepath.Join(dir, "munge.sock"))
		return err == nil, fmt.Sprint(err)
	})
	c.daemon(t, "slurmctld", bins["slurmctld"], "-D", "-i", "-f", c.conf)
	c.daemon(t, "slurmd", bins["slurmd"], "-D", "-N", "localhost", "-f", c.conf)
	// Cancel what is still queued or running before the daemons stop (cleanups run last first).
	t.Cleanup(func() { c.cancelAll(t) })
	c.waitFor(t, "node localhost idle", 40*time.Second, func() (bool, string) {
		out, err := c.command("sinfo", "-h", "-n", "localhost", "-o", "%T").CombinedOutput()
		s := strings.TrimSpace(string(out))
		return err == nil && s == "idle", s
	})
	return c
}

// daemon starts a daemon in the foreground, logging into dir/<name>.out, and registers its stop:
// SIGTERM, then SIGKILL after 10 s, waiting for it to exit.
func (c *slurmCluster) daemon(t *testing.T, name, bin string, args ...string) {
	t.Helper()
	logf, err := os.Create(filepath.Join(c.dir, name+".out"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = c.env()
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // not killed with the terminal's signals
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); logf.Close() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Logf("%s (pid %d) ignored SIGTERM for 10 s: killing it", name, cmd.Process.Pid)
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			c.dumpLog(t, name+".out")
		}
	})
	// A daemon that exits at once (bad configuration) is reported with its log.
	select {
	case err := <-exited:
		exited <- err
		c.dumpLog(t, name+".out")
		t.Fatalf("%s exited at start: %v", name, err)
	case <-time.After(200 * time.Millisecond):
	}
}

// command returns a Slurm client command with the cluster's environment.
func (c *slurmCluster) command(name string, args ...string) *exec.Cmd {
	return c.commandContext(context.Background(), name, args...)
}

// commandContext is command killed when ctx is done.
func (c *slurmCluster) commandContext(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.bins[name], args...)
	cmd.Env = c.env()
	return cmd
}

// waitFor polls cond every 200 ms until it holds, failing the test with the last state and the
// daemons' logs after timeout.
func (c *slurmCluster) waitFor(t *testing.T, what string, timeout time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			for _, f := range []string{"munged.out", "slurmctld.log", "slurmd.log"} {
				c.dumpLog(t, f)
			}
			t.Fatalf("waited %v for %s; last state: %s", timeout, what, state)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// cancelAll cancels every job and waits up to 10 s for the queue to empty.
func (c *slurmCluster) cancelAll(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	queued := func() string {
		out, err := c.commandContext(ctx, "squeue", "-h", "-o", "%i").Output()
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}
	q := queued()
	if q == "" {
		return
	}
	t.Logf("cancelling the jobs still queued: %s", strings.Fields(q))
	c.commandContext(ctx, "scancel", "--full", "--user=root").Run()
	for ctx.Err() == nil && queued() != "" {
		time.Sleep(200 * time.Millisecond)
	}
}

// dumpLog writes the last lines of one of the cluster's logs to the test log.
func (c *slurmCluster) dumpLog(t *testing.T, name string) {
	b, err := os.ReadFile(filepath.Join(c.dir, name))
	if err != nil {
		return
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	t.Logf("%s (last %d lines):\n%s", name, len(lines), strings.Join(lines, "\n"))
}

// sbatchJobID is the line sbatch prints on submission.
var sbatchJobID = regexp.MustCompile(`Submitted batch job (\d+)`)
