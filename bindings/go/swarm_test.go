package drillmaster_test

// The swarm target from Go: a group started with WithTarget(Swarm) on the
// single-node swarm of scripts/swarm-engine (DM_SWARM_HOST, the DOCKER_HOST
// it prints), with its hooks in this process. Skipped without
// DM_SWARM_HOST; scripts/test sets it while that swarm runs.

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"drillmaster"
	"drillmaster/testutil"
)

// freePort is a TCP port nothing listens on now (a swarm service's
// mode=host port is given by number).
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// swarmServices lists the swarm services of a group on the swarm's engine.
func swarmServices(t *testing.T, host, group string) []string {
	t.Helper()
	cmd := exec.Command("docker", "service", "ls", "-q", "--filter", "label=io.drillmaster.group="+group)
	cmd.Env = append(os.Environ(), "DOCKER_HOST="+host)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("docker service ls: %v", err)
	}
	return strings.Fields(string(out))
}

// swarmTaskContainers lists the running task containers of a swarm service.
func swarmTaskContainers(t *testing.T, host, service string) []string {
	t.Helper()
	cmd := exec.Command("docker", "ps", "-q", "--filter", "label=com.docker.swarm.service.name="+service)
	cmd.Env = append(os.Environ(), "DOCKER_HOST="+host)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("docker ps: %v", err)
	}
	return strings.Fields(string(out))
}

func TestSwarmTarget(t *testing.T) {
	host := os.Getenv("DM_SWARM_HOST")
	if host == "" {
		t.Skip("DM_SWARM_HOST is not set: start a swarm with scripts/swarm-engine and set it to what it prints")
	}
	t.Parallel()
	client, err := drillmaster.Connect(drillmaster.ClientOptions{Host: host})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	name := testutil.Name("gotest-swarm")
	g, err := drillmaster.NewGroup(name, drillmaster.WithClient(client), drillmaster.WithTarget(drillmaster.Swarm))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	t.Cleanup(func() {
		_, _ = g.Stop(context.Background(), drillmaster.StopOptions{Remove: true, GracePeriod: drillmaster.Immediately})
	})
	tl := newTimeline()
	port := freePort(t)
	web := &drillmaster.Service{Name: "web", Image: bbImage, Cmd: webCmd("the swarm"),
		Ports: []string{"published=" + port + ",target=8080,mode=host"}, StopSignal: "SIGKILL",
		Ping: func(ctx context.Context, s *drillmaster.Service) (bool, error) {
			addr, err := s.Address(ctx, "8080")
			if err != nil {
				return false, err
			}
			body, err := httpGet(ctx, addr)
			if err != nil {
				return false, nil
			}
			tl.mark("web.ready")
			return strings.Contains(body, "hello from the swarm"), nil
		},
		PostStartInit: func(ctx context.Context, s *drillmaster.Service) error {
			s.Values().Set("web_id", s.ContainerID())
			return nil
		}}
	app := &drillmaster.Service{Name: "app", Image: bbImage, Dependencies: []string{"web"}, Replicas: 2,
		Cmd: []string{"sh", "-c", "echo app sees WEB_ID=$WEB_ID; " + bbLoop[2]},
		Prepare: func(ctx context.Context, s *drillmaster.Service) error {
			tl.mark("app.prepare")
			id, _ := s.Values().Get("web_id")
			return s.SetEnv("WEB_ID", id)
		}}
	if err := g.Add(web, app); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	result, err := g.Start(ctx, drillmaster.StartOptions{})
	if err != nil {
		t.Fatalf("Start on the swarm: %v", err)
	}
	for _, s := range result.Services {
		if s.Outcome != "started" {
			t.Errorf("%s: %s %s, want started", s.Service, s.Outcome, s.Reason)
		}
	}
	ready, _ := tl.at("web.ready")
	if prepared, ok := tl.at("app.prepare"); !ok || prepared.Before(ready) {
		t.Errorf("app's Prepare ran at %v, before web was ready (%v)", prepared, ready)
	}
	if n := len(swarmServices(t, host, name)); n != 2 {
		t.Errorf("%d swarm services of the group, want 2", n)
	}
	status, err := g.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range status {
		if s.State != "running" {
			t.Errorf("status of %s: %s, want running", s.Service, s.State)
		}
		if s.Service == "app" && s.StatusText != "swarm service running (2/2)" {
			t.Errorf("status of app (Replicas: 2): %q, want swarm service running (2/2)", s.StatusText)
		}
	}
	if n := len(swarmTaskContainers(t, host, name+"_app")); n != 2 {
		t.Errorf("%d running task containers of app (Replicas: 2), want 2", n)
	}
	webID, _ := g.Values().Get("web_id")
	var seen bool
	for deadline := time.Now().Add(30 * time.Second); !seen && time.Now().Before(deadline); {
		lines, err := g.Logs(ctx, drillmaster.LogsOptions{Services: []string{"app"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			seen = seen || strings.Contains(l.Text, "app sees WEB_ID="+webID)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !seen || webID == "" {
		t.Errorf("app's logs never said the web id (%q) its Prepare set", webID)
	}
	if _, err := g.Stop(ctx, drillmaster.StopOptions{Remove: true, GracePeriod: drillmaster.Immediately}); err != nil {
		t.Fatalf("Stop with Remove: %v", err)
	}
	if left := swarmServices(t, host, name); len(left) != 0 {
		t.Errorf("swarm services left after Stop with Remove: %v", left)
	}
}

// A swarm target on an engine that is not in a swarm fails at once, before
// anything is made, saying how to start one.
func TestSwarmTargetWithoutASwarm(t *testing.T) {
	t.Parallel()
	g, err := drillmaster.NewGroup(testutil.Name("gotest-noswarm"), drillmaster.WithTarget(drillmaster.Swarm))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if err := g.Add(&drillmaster.Service{Name: "svc", Image: bbImage, Cmd: bbLoop}); err != nil {
		t.Fatal(err)
	}
	_, err = g.Start(context.Background(), drillmaster.StartOptions{})
	if !errors.Is(err, drillmaster.ErrUnreachable) || !strings.Contains(err.Error(), "docker swarm init") {
		t.Fatalf("Start on an engine without a swarm: %v, want ErrUnreachable naming docker swarm init", err)
	}
	if left := groupContainerIDs(t, g.Name(), ""); len(left) != 0 {
		t.Errorf("containers made: %v", left)
	}
	if left := groupNetworks(t, g.Name()); len(left) != 0 {
		t.Errorf("networks made: %v", left)
	}
}

// WithRegistry reaches the library: a registry with the local target, and
// a value that is no registry reference, fail Start and Reload with
// ErrInvalid saying what to do, before anything is made.
func TestGroupWithRegistryIsCheckedBeforeAnythingIsMade(t *testing.T) {
	t.Parallel()
	cases := []struct {
		what string
		opts []drillmaster.Option
		want string
	}{
		{"local target", []drillmaster.Option{drillmaster.WithRegistry("127.0.0.1:5000/team")},
			"applies to the swarm target only"},
		{"a scheme", []drillmaster.Option{drillmaster.WithTarget(drillmaster.Swarm),
			drillmaster.WithRegistry("http://127.0.0.1:5000")}, "has a scheme"},
	}
	for _, c := range cases {
		g, err := drillmaster.NewGroup(testutil.Name("gotest-registry"), c.opts...)
		if err != nil {
			t.Fatal(err)
		}
		defer g.Close()
		if err := g.Add(&drillmaster.Service{Name: "svc", Image: bbImage, Cmd: bbLoop}); err != nil {
			t.Fatal(err)
		}
		_, err = g.Start(context.Background(), drillmaster.StartOptions{})
		if !errors.Is(err, drillmaster.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Start: %v, want ErrInvalid saying %q", c.what, err, c.want)
		}
		_, err = g.Reload(context.Background(), "svc", drillmaster.ReloadOptions{})
		if !errors.Is(err, drillmaster.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Reload: %v, want ErrInvalid saying %q", c.what, err, c.want)
		}
		if left := groupContainerIDs(t, g.Name(), ""); len(left) != 0 {
			t.Errorf("%s: containers made: %v", c.what, left)
		}
		if left := groupNetworks(t, g.Name()); len(left) != 0 {
			t.Errorf("%s: networks made: %v", c.what, left)
		}
	}
}
