package drillmaster_test

// Faults a user causes to a Go program that drives drillmaster: SIGTERM in
// the middle of a start, kill -9 of a program that started its group with
// removal on exit, two programs starting one group at once. Each runs the
// real program (this test binary, re-run as a child in the role
// TestFaultChild plays) against the real engine and checks the engine's
// state afterwards.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"drillmaster"
	"drillmaster/testutil"
)

const faultImage = "drillmaster-test/busybox:latest"

// A command that stops at once on SIGTERM.
var faultLoop = []string{"sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"}

// TestFaultChild is the child program of the fault tests; it does nothing
// unless DM_GO_FAULT_MODE says which role to play:
//
//	stuck  a start whose ping never says ready, cancelled by SIGTERM or
//	       SIGINT (Ctrl-C): exits 128 + the signal once the start has
//	       returned cancelled
//	reaped a start with removal on exit that succeeds; then waits to be killed
//	twice  a start that succeeds; exits 0
func TestFaultChild(t *testing.T) {
	mode := os.Getenv("DM_GO_FAULT_MODE")
	if mode == "" {
		t.Skip("the child of the fault tests")
	}
	os.Exit(faultChild(mode, os.Getenv("DM_GO_FAULT_GROUP")))
}

func faultChild(mode, name string) int {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	var caught syscall.Signal
	var caughtMu sync.Mutex
	go func() {
		sig := (<-signals).(syscall.Signal)
		caughtMu.Lock()
		caught = sig
		caughtMu.Unlock()
		cancel()
	}()

	var once sync.Once
	svc := &drillmaster.Service{Name: "svc", Image: faultImage, Cmd: faultLoop,
		Ping: func(ctx context.Context, s *drillmaster.Service) (bool, error) {
			once.Do(func() { fmt.Println("pinging " + s.ContainerID()) })
			return mode != "stuck", nil
		}}
	group, err := drillmaster.NewGroup(name)
	if err == nil {
		err = group.Add(svc)
	}
	if err != nil {
		fmt.Println(err)
		return 2
	}
	_, err = group.Start(ctx, drillmaster.StartOptions{RemoveOnExit: mode == "reaped"})
	switch {
	case mode == "stuck" && errors.Is(err, drillmaster.ErrCancelled) && errors.Is(err, context.Canceled):
		caughtMu.Lock()
		defer caughtMu.Unlock()
		return 128 + int(caught)
	case err != nil:
		fmt.Println(err)
		return 1
	case mode == "reaped":
		fmt.Println("started")
		time.Sleep(time.Hour)
	}
	return 0
}

// child starts this test binary as the fault child, and a scanner of its
// output.
func child(t *testing.T, mode, group string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFaultChild$")
	cmd.Env = append(os.Environ(), "DM_GO_FAULT_MODE="+mode, "DM_GO_FAULT_GROUP="+group)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(out)
}

// waitFor reads the child's lines until one starts with prefix.
func waitFor(t *testing.T, lines *bufio.Scanner, prefix string) string {
	t.Helper()
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), prefix) {
			return lines.Text()
		}
		t.Logf("child: %s", lines.Text())
	}
	t.Fatalf("the child ended before it printed %q", prefix)
	return ""
}

// containers lists the containers of a group, by the label every one has.
func containers(t *testing.T, group string) []string {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-aq", "--filter", "label=io.drillmaster.group="+group).Output()
	if err != nil {
		t.Fatalf("docker ps: %v", err)
	}
	return strings.Fields(string(out))
}

func removeGroup(t *testing.T, name string) {
	t.Cleanup(func() {
		g, err := drillmaster.NewGroup(name)
		if err != nil {
			return
		}
		defer g.Close()
		_ = g.Add(&drillmaster.Service{Name: "svc", Image: faultImage})
		_, _ = g.Stop(context.Background(), drillmaster.StopOptions{Remove: true, GracePeriod: drillmaster.Immediately})
	})
}

// lockFile is the group's lock file when one exists (group.h: in
// $XDG_RUNTIME_DIR/drillmaster/, else ${TMPDIR:-/tmp}/drillmaster-<uid>/).
func lockFile(group string) string {
	tmp := os.Getenv("TMPDIR")
	if tmp == "" {
		tmp = "/tmp"
	}
	dirs := []string{fmt.Sprintf("%s/drillmaster-%d", tmp, os.Getuid())}
	if xdg := os.Getenv("XDG_RUNTIME_DIR"); xdg != "" {
		dirs = append(dirs, xdg+"/drillmaster")
	}
	for _, dir := range dirs {
		if _, err := os.Stat(dir + "/" + group + ".lock"); err == nil {
			return dir + "/" + group + ".lock"
		}
	}
	return ""
}

func exitCode(err error) int {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// SIGTERM, and SIGINT as Ctrl-C sends it, in the middle of a start.
func TestSignalDuringStartRemovesWhatDidNotComeUp(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		sig := sig
		t.Run(sig.String(), func(t *testing.T) {
			name := testutil.Name("gotest-signal")
			removeGroup(t, name)
			cmd, lines := child(t, "stuck", name)
			id := strings.TrimPrefix(waitFor(t, lines, "pinging "), "pinging ")
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if code := exitCode(cmd.Wait()); code != 128+int(sig) {
				t.Fatalf("exit status %d after %v, want %d (the start returned cancelled)", code, sig, 128+int(sig))
			}
			if left := containers(t, name); len(left) != 0 {
				t.Fatalf("the container the start made (%s) did not come up but is still there: %v", id, left)
			}
			out, _ := exec.Command("docker", "ps", "-aq", "--filter", "id="+id).Output()
			if strings.TrimSpace(string(out)) != "" {
				t.Fatalf("container %s is still on the engine", id)
			}
			if lock := lockFile(name); lock != "" {
				t.Fatalf("the group lock %s is left after the cancelled start", lock)
			}
		})
	}
}

func TestKillDashNineRemovesAGroupStartedWithRemoveOnExit(t *testing.T) {
	name := testutil.Name("gotest-kill9")
	removeGroup(t, name)
	cmd, lines := child(t, "reaped", name)
	waitFor(t, lines, "started")
	if n := len(containers(t, name)); n != 1 {
		t.Fatalf("%d containers after the start, want 1", n)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	// The reaper sweeps at once and again after 2 and 6 s; 30 s is generous.
	deadline := time.Now().Add(30 * time.Second)
	for len(containers(t, name)) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the group's containers are still there 30 s after kill -9: %v", containers(t, name))
		}
		time.Sleep(200 * time.Millisecond)
	}
	out, _ := exec.Command("docker", "network", "ls", "-q", "--filter", "label=io.drillmaster.group="+name).Output()
	if strings.TrimSpace(string(out)) != "" {
		t.Fatalf("the group's network is still there after the reaper: %s", out)
	}
}

func TestTwoProgramsStartingOneGroupGiveOneContainer(t *testing.T) {
	name := testutil.Name("gotest-twice")
	removeGroup(t, name)
	first, _ := child(t, "twice", name)
	second, _ := child(t, "twice", name)
	for i, cmd := range []*exec.Cmd{first, second} {
		if code := exitCode(cmd.Wait()); code != 0 {
			t.Fatalf("program %d exited %d, want 0: one waits for the other's lock", i+1, code)
		}
	}
	if n := len(containers(t, name)); n != 1 {
		t.Fatalf("%d containers of the service, want 1: the second program reuses the first's", n)
	}
}
