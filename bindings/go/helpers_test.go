package drillmaster_test

// Helpers of the tests of the binding against the real engine: every test
// makes a group of its own (testutil.Name) and removes it, checking that
// nothing of it is left.

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"drillmaster"
	"drillmaster/testutil"
)

// The only image the tests may use: nothing can be pulled.
const bbImage = "drillmaster-test/busybox:latest"

// A long-running command that stops at once on SIGTERM.
var bbLoop = []string{"sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"}

// newTestGroup makes a group named for the test with services, and removes
// it (containers and network) when the test ends, failing the test when
// something of it is left.
func newTestGroup(t *testing.T, base string, services ...*drillmaster.Service) *drillmaster.Group {
	t.Helper()
	g, err := drillmaster.NewGroup(testutil.Name("gotest-" + base))
	if err != nil {
		t.Fatalf("NewGroup: %v", err)
	}
	t.Cleanup(func() { removeTestGroup(t, g) })
	if err := g.Add(services...); err != nil {
		t.Fatalf("Add: %v", err)
	}
	return g
}

// removeTestGroup stops and removes g, closes it and checks that the engine
// has nothing of it left.
func removeTestGroup(t *testing.T, g *drillmaster.Group) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := g.Stop(ctx, drillmaster.StopOptions{Remove: true, GracePeriod: drillmaster.Immediately}); err != nil {
		t.Errorf("removing group %s: %v", g.Name(), err)
	}
	g.Close()
	if left := groupContainerIDs(t, g.Name(), ""); len(left) != 0 {
		t.Errorf("group %s left containers behind: %v", g.Name(), left)
	}
	if left := groupNetworks(t, g.Name()); len(left) != 0 {
		t.Errorf("group %s left networks behind: %v", g.Name(), left)
	}
}

// groupContainerIDs are the ids of the containers of the group (of one
// service of it when service is not ""), running or not.
func groupContainerIDs(t testing.TB, group, service string) []string {
	t.Helper()
	args := []string{"ps", "-aq", "--no-trunc", "--filter", "label=io.drillmaster.group=" + group}
	if service != "" {
		args = append(args, "--filter", "label=io.drillmaster.service="+service)
	}
	out, err := exec.Command("docker", args...).Output()
	if err != nil {
		t.Fatalf("docker ps: %v", err)
	}
	return strings.Fields(string(out))
}

// groupNetworks are the ids of the networks labelled with the group.
func groupNetworks(t testing.TB, group string) []string {
	t.Helper()
	out, err := exec.Command("docker", "network", "ls", "-q", "--filter", "label=io.drillmaster.group="+group).Output()
	if err != nil {
		t.Fatalf("docker network ls: %v", err)
	}
	return strings.Fields(string(out))
}

// mustStart starts g and fails the test when the start fails.
func mustStart(t *testing.T, g *drillmaster.Group, opts drillmaster.StartOptions) *drillmaster.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	result, err := g.Start(ctx, opts)
	if err != nil {
		var e *drillmaster.Error
		if errors.As(err, &e) && e.Result != nil {
			for _, f := range e.Result.Failures() {
				t.Logf("%s: %s: %s", f.Service, f.Outcome, f.Reason)
			}
		}
		t.Fatalf("Start of %s: %v", g.Name(), err)
	}
	return result
}

// outcome is the outcome of service in result, failing the test when the
// result has no entry for it.
func outcome(t *testing.T, result *drillmaster.Result, service string) *drillmaster.ServiceResult {
	t.Helper()
	r := result.Service(service)
	if r == nil {
		t.Fatalf("the result has no entry for %s: %+v", service, result)
	}
	return r
}

// timeline records when things happened, from any goroutine.
type timeline struct {
	mu     sync.Mutex
	times  map[string]time.Time
	counts map[string]int
}

func newTimeline() *timeline {
	return &timeline{times: map[string]time.Time{}, counts: map[string]int{}}
}

// mark records the first time of what, and counts it.
func (tl *timeline) mark(what string) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if _, ok := tl.times[what]; !ok {
		tl.times[what] = time.Now()
	}
	tl.counts[what]++
}

func (tl *timeline) at(what string) (time.Time, bool) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	at, ok := tl.times[what]
	return at, ok
}

func (tl *timeline) count(what string) int {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return tl.counts[what]
}
