package drillmaster_test

// Status, logs, exec, reload, graph, definitions the library refuses, and
// an engine that does not answer.

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"drillmaster"
	"drillmaster/testutil"
)

func TestVersion(t *testing.T) {
	if v := drillmaster.Version(); v == "" || !strings.Contains(v, ".") {
		t.Errorf("Version() = %q", v)
	}
}

// talkerCmd writes two lines to stdout and one to stderr, then runs on.
var talkerCmd = []string{"sh", "-c",
	"echo line-one; echo line-two; echo on-stderr >&2; trap 'exit 0' TERM; while :; do sleep 1; done"}

func TestStatusAndLogs(t *testing.T) {
	t.Parallel()
	talker := &drillmaster.Service{Name: "talker", Image: bbImage, Cmd: talkerCmd, Ports: []string{"8080"}}
	idle := &drillmaster.Service{Name: "idle", Image: bbImage, Cmd: bbLoop}
	ticker := &drillmaster.Service{Name: "ticker", Image: bbImage,
		Cmd: []string{"sh", "-c", "trap 'exit 0' TERM; i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.3; done"}}
	g := newTestGroup(t, "status", talker, idle, ticker)
	ctx := context.Background()

	status, err := g.Status(ctx)
	if err != nil {
		t.Fatalf("Status before the start: %v", err)
	}
	if len(status) != 3 || status[0].State != "missing" || status[1].State != "missing" {
		t.Errorf("status before the start: %+v, want all missing", status)
	}

	result := mustStart(t, g, drillmaster.StartOptions{Only: []string{"talker", "ticker"}})
	if r := outcome(t, result, "idle"); r.Outcome != "excluded" {
		t.Errorf("idle, left out by Only: %+v", r)
	}
	status, err = g.Status(ctx)
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	if len(status) != 3 || status[0].Service != "talker" || status[1].Service != "idle" || status[2].Service != "ticker" {
		t.Fatalf("status: %+v, want talker, idle, ticker", status)
	}
	s := status[0]
	if s.State != "running" || s.ContainerName != g.Name()+"-talker-1" || s.Image != bbImage ||
		s.ContainerID != outcome(t, result, "talker").ContainerID || s.Outdated {
		t.Errorf("talker's status: %+v", s)
	}
	if len(s.Published) == 0 {
		t.Fatalf("talker publishes no port: %+v", s)
	}
	for _, p := range s.Published {
		if p.ContainerPort != "8080/tcp" || p.HostPort <= 0 {
			t.Errorf("talker's published port: %+v", p)
		}
	}
	if !strings.Contains(s.Ports, "8080/tcp") {
		t.Errorf("talker's ports %q", s.Ports)
	}
	if status[1].State != "missing" || status[1].ContainerID != "" {
		t.Errorf("idle's status: %+v, want missing", status[1])
	}
	_, port, err := g.HostPort(ctx, "talker", "8080")
	if err != nil || port != s.Published[0].HostPort {
		t.Errorf("HostPort: %d %v, want %d", port, err, s.Published[0].HostPort)
	}
	if _, _, err := g.HostPort(ctx, "idle", "8080"); !errors.Is(err, drillmaster.ErrNotFound) {
		t.Errorf("HostPort of a service without a container: %v, want ErrNotFound", err)
	}
	if _, _, err := g.HostPort(ctx, "talker", "9999"); !errors.Is(err, drillmaster.ErrNotFound) {
		t.Errorf("HostPort of a port not published: %v, want ErrNotFound", err)
	}

	// The lines may reach the engine's log a moment after the start.
	var lines []drillmaster.LogLine
	deadline := time.Now().Add(10 * time.Second)
	for {
		lines, err = g.Logs(ctx, drillmaster.LogsOptions{Services: []string{"talker"}})
		if err != nil {
			t.Fatalf("Logs: %v", err)
		}
		if len(lines) >= 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	var stdout []string
	var stderr []string
	for _, l := range lines {
		if l.Service != "talker" {
			t.Errorf("a line of another service: %+v", l)
		}
		if l.Stderr {
			stderr = append(stderr, l.Text)
		} else {
			stdout = append(stdout, l.Text)
		}
	}
	if strings.Join(stdout, "|") != "line-one|line-two" || strings.Join(stderr, "|") != "on-stderr" {
		t.Errorf("logs: stdout %q, stderr %q", stdout, stderr)
	}
	tail, err := g.Logs(ctx, drillmaster.LogsOptions{Services: []string{"talker"}, Tail: 1})
	if err != nil || len(tail) != 1 {
		t.Errorf("Logs with Tail 1: %+v %v, want one line", tail, err)
	}

	// FollowLogs gives the lines that come, until its context ends; then it
	// returns nil.
	followCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var followed []drillmaster.LogLine
	done := make(chan error, 1)
	go func() {
		done <- g.FollowLogs(followCtx, drillmaster.LogsOptions{Services: []string{"ticker"}, Tail: drillmaster.NoLines},
			func(l drillmaster.LogLine) error {
				mu.Lock()
				defer mu.Unlock()
				followed = append(followed, l)
				return nil
			})
	}()
	for deadline := time.Now().Add(10 * time.Second); ; {
		mu.Lock()
		n := len(followed)
		mu.Unlock()
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("FollowLogs passed on %d new lines in 10 s", n)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancelled := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("FollowLogs ended by its context: %v, want nil", err)
		}
		mu.Lock()
		for _, l := range followed {
			if l.Service != "ticker" || !strings.HasPrefix(l.Text, "tick ") {
				t.Errorf("a followed line: %+v", l)
			}
		}
		mu.Unlock()
		if took := time.Since(cancelled); took > 10*time.Second {
			t.Errorf("FollowLogs returned %v after its context ended", took)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("FollowLogs did not end with its context")
	}

	// A receiver's error ends a follow and is returned.
	stop := errors.New("enough")
	err = g.FollowLogs(ctx, drillmaster.LogsOptions{Services: []string{"talker"}},
		func(drillmaster.LogLine) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("FollowLogs whose receiver fails: %v, want its error", err)
	}
	// A receiver's panic ends the logs with ErrHook; the program goes on.
	_, err = g.Logs(ctx, drillmaster.LogsOptions{Services: []string{"talker"}})
	if err != nil {
		t.Fatal(err)
	}
	err = g.FollowLogs(ctx, drillmaster.LogsOptions{Services: []string{"talker"}},
		func(drillmaster.LogLine) error { panic("receiver panic 31") })
	if !errors.Is(err, drillmaster.ErrHook) || !strings.Contains(err.Error(), "receiver panic 31") {
		t.Errorf("FollowLogs whose receiver panics: %v, want ErrHook with the panic's value", err)
	}
	err = g.FollowLogs(ctx, drillmaster.LogsOptions{Services: []string{"talker"}},
		func(drillmaster.LogLine) error { runtime.Goexit(); return nil })
	if !errors.Is(err, drillmaster.ErrHook) || !strings.Contains(err.Error(), "Goexit") {
		t.Errorf("FollowLogs whose receiver calls runtime.Goexit: %v, want ErrHook saying so", err)
	}
}

// A follow in a goroutine does not hold up the group's other operations: a
// Status and a Stop run meanwhile, and the Stop ends the follow.
func TestFollowBesideStop(t *testing.T) {
	t.Parallel()
	quiet := &drillmaster.Service{Name: "quiet", Image: bbImage, Cmd: bbLoop}
	g := newTestGroup(t, "follow", quiet)
	ctx := context.Background()
	mustStart(t, g, drillmaster.StartOptions{})
	done := make(chan error, 1)
	go func() {
		done <- g.FollowLogs(ctx, drillmaster.LogsOptions{}, func(drillmaster.LogLine) error { return nil })
	}()
	time.Sleep(300 * time.Millisecond) // the follow is under way
	stopCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := g.Status(stopCtx); err != nil {
		t.Fatalf("Status beside a follow: %v", err)
	}
	if _, err := g.Stop(stopCtx, drillmaster.StopOptions{GracePeriod: drillmaster.Immediately}); err != nil {
		t.Fatalf("Stop beside a follow: %v", err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the follow ended by the stop: %v, want nil", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the follow did not end once its only container stopped")
	}
}

// A service with a bad value is refused by Add, naming the service and the
// value, and the group is left as it was.
func TestInvalidDefinitions(t *testing.T) {
	t.Parallel()
	g, err := drillmaster.NewGroup(testutil.Name("gotest-invalid"))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if err := g.Add(&drillmaster.Service{Name: "good", Image: bbImage}); err != nil {
		t.Fatalf("Add of a good service: %v", err)
	}
	cases := []struct {
		what  string
		svc   *drillmaster.Service
		value string
	}{
		{"restart", &drillmaster.Service{Name: "restarter", Image: bbImage, Restart: "sometimes"}, "sometimes"},
		{"cpus", &drillmaster.Service{Name: "cpuhog", Image: bbImage, CPUs: -1}, "-1"},
		{"port", &drillmaster.Service{Name: "porter", Image: bbImage, Ports: []string{"abc"}}, "abc"},
		{"mem", &drillmaster.Service{Name: "memer", Image: bbImage, MemLimit: "lots"}, "lots"},
		{"replicas", &drillmaster.Service{Name: "crowd", Image: bbImage, Replicas: -2}, "replicas -2"},
	}
	for _, c := range cases {
		err := g.Add(c.svc)
		if !errors.Is(err, drillmaster.ErrInvalid) {
			t.Errorf("%s: Add: %v, want ErrInvalid", c.what, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, c.svc.Name) || !strings.Contains(msg, c.value) {
			t.Errorf("%s: the message does not name the service %q and the value %q: %s", c.what, c.svc.Name, c.value, msg)
		}
	}
	if err := g.Add(nil); !errors.Is(err, drillmaster.ErrInvalid) {
		t.Errorf("Add(nil): %v, want ErrInvalid", err)
	}
	if got := g.Services(); len(got) != 1 || got[0] != "good" {
		t.Errorf("Services() after refused Adds: %v, want [good]", got)
	}
	if err := g.Validate(); err != nil {
		t.Errorf("Validate after refused Adds: %v", err)
	}

	t.Run("graph", func(t *testing.T) {
		t.Parallel()
		for _, c := range []struct {
			name string
			svcs []*drillmaster.Service
			want string
		}{
			{"unknown dependency", []*drillmaster.Service{
				{Name: "app", Image: bbImage, Dependencies: []string{"nowhere"}}}, "nowhere"},
			{"cycle", []*drillmaster.Service{
				{Name: "chicken", Image: bbImage, Cmd: bbLoop, Dependencies: []string{"egg"}},
				{Name: "egg", Image: bbImage, Cmd: bbLoop, Dependencies: []string{"chicken"}}}, "chicken"},
			{"duplicate", []*drillmaster.Service{
				{Name: "twin", Image: bbImage}, {Name: "twin", Image: bbImage}}, "twin"},
		} {
			c := c
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				hooked := false
				for _, s := range c.svcs {
					s.PreStart = func(context.Context, *drillmaster.Service) error { hooked = true; return nil }
				}
				// A group that does not validate cannot be stopped either:
				// closed, and checked to have made nothing.
				g, err := drillmaster.NewGroup(testutil.Name("gotest-invalid"))
				if err != nil {
					t.Fatal(err)
				}
				defer g.Close()
				if err := g.Add(c.svcs...); err != nil {
					t.Fatalf("Add: %v", err)
				}
				err = g.Validate()
				if !errors.Is(err, drillmaster.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
					t.Errorf("Validate: %v, want ErrInvalid naming %q", err, c.want)
				}
				result, err := g.Start(context.Background(), drillmaster.StartOptions{})
				if !errors.Is(err, drillmaster.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
					t.Errorf("Start: %v, want ErrInvalid naming %q", err, c.want)
				}
				if result != nil {
					t.Errorf("a start refused before anything was done has a result: %+v", result)
				}
				if _, err := g.Graph(drillmaster.Mermaid); !errors.Is(err, drillmaster.ErrInvalid) {
					t.Errorf("Graph: %v, want ErrInvalid", err)
				}
				if hooked {
					t.Errorf("a hook ran")
				}
				if left := groupContainerIDs(t, g.Name(), ""); len(left) != 0 {
					t.Errorf("a refused start made containers: %v", left)
				}
				if left := groupNetworks(t, g.Name()); len(left) != 0 {
					t.Errorf("a refused start made a network: %v", left)
				}
			})
		}
	})

	t.Run("group name", func(t *testing.T) {
		for _, name := range []string{"", "has space", "-leading-dash", "slash/ed", strings.Repeat("x", 64)} {
			g, err := drillmaster.NewGroup(name)
			if !errors.Is(err, drillmaster.ErrInvalid) || g != nil {
				t.Errorf("NewGroup(%q): %v %v, want ErrInvalid", name, g, err)
				g.Close()
			}
		}
		g, err := drillmaster.NewGroup(strings.Repeat("x", 63))
		if err != nil {
			t.Errorf("NewGroup of 63 characters: %v", err)
		}
		g.Close()
	})
}

func TestUnreachableEngine(t *testing.T) {
	t.Parallel()
	client, err := drillmaster.Connect(drillmaster.ClientOptions{Host: "unix:///nonexistent.sock"})
	if !errors.Is(err, drillmaster.ErrUnreachable) || client != nil {
		t.Fatalf("Connect to a missing socket: %v %v, want ErrUnreachable", client, err)
	}
	if !strings.Contains(err.Error(), "nonexistent.sock") {
		t.Errorf("the message does not name the socket: %v", err)
	}
	var e *drillmaster.Error
	if !errors.As(err, &e) || e.Status != drillmaster.StatusUnreachable {
		t.Errorf("the error is no *Error of StatusUnreachable: %#v", err)
	}
	if errors.Is(err, drillmaster.ErrInvalid) {
		t.Errorf("ErrUnreachable matches ErrInvalid too")
	}
}

func TestClient(t *testing.T) {
	t.Parallel()
	client, err := drillmaster.Connect(drillmaster.ClientOptions{Host: "unix:///var/run/docker.sock", Timeout: 30 * time.Second})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() { client.Close() }) // after the group's removal
	if client.Host() != "unix:///var/run/docker.sock" || client.FoundBy() == "" {
		t.Errorf("Host %q, FoundBy %q", client.Host(), client.FoundBy())
	}
	svc := &drillmaster.Service{Name: "svc", Image: bbImage, Cmd: bbLoop, Ports: []string{"8080"},
		Ping: func(ctx context.Context, s *drillmaster.Service) (bool, error) {
			_, err := s.Address(ctx, "8080")
			return err == nil, err
		}}
	g, err := drillmaster.NewGroup(testutil.Name("gotest-client"), drillmaster.WithClient(client),
		drillmaster.WithNetwork(testutil.Name("gotest-client-net")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeTestGroup(t, g) })
	if err := g.Add(svc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(g.Network(), "gotest-client-net") {
		t.Errorf("Network() = %q, want the one WithNetwork named", g.Network())
	}
	r := outcome(t, mustStart(t, g, drillmaster.StartOptions{}), "svc")
	_, port, err := client.HostPort(context.Background(), r.ContainerID, "8080")
	if err != nil || port <= 0 {
		t.Errorf("Client.HostPort: %d %v", port, err)
	}
	if _, _, err := client.HostPort(context.Background(), r.ContainerID, "9999"); !errors.Is(err, drillmaster.ErrNotFound) {
		t.Errorf("Client.HostPort of a port not published: %v, want ErrNotFound", err)
	}
	out, err := exec.Command("docker", "inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}", r.ContainerID).Output()
	if err != nil || strings.TrimSpace(string(out)) != g.Network() {
		t.Errorf("the container's network: %q %v, want %q", out, err, g.Network())
	}
}

// Group.Exec from outside any hook, Reload of a built service, Graph.
func TestExecReloadGraph(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeDockerfile := func(version string) {
		text := "FROM " + bbImage + "\nRUN echo " + version + " > /version\n"
		if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeDockerfile("v1")
	name := testutil.Name("gotest-reload")
	image := "drillmaster-gotest/" + strings.ToLower(name) + ":latest"
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", image).Run() })
	var mu sync.Mutex
	inits := 0
	built := &drillmaster.Service{Name: "built", Image: image, BuildFrom: dir, Cmd: bbLoop,
		PostStartInit: func(ctx context.Context, s *drillmaster.Service) error {
			mu.Lock()
			defer mu.Unlock()
			inits++
			return nil
		}}
	user := &drillmaster.Service{Name: "user", Image: bbImage, Cmd: bbLoop, Dependencies: []string{"built"}}
	g, err := drillmaster.NewGroup(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeTestGroup(t, g) })
	if err := g.Add(built, user); err != nil {
		t.Fatal(err)
	}

	graph, err := g.Graph(drillmaster.Mermaid)
	if err != nil {
		t.Fatalf("Graph: %v", err)
	}
	for _, want := range []string{"built", "user", "-->"} {
		if !strings.Contains(graph, want) {
			t.Errorf("the Mermaid graph lacks %q:\n%s", want, graph)
		}
	}
	if dot, err := g.Graph(drillmaster.DOT); err != nil || !strings.Contains(dot, "digraph") || !strings.Contains(dot, "user") {
		t.Errorf("Graph(DOT): %v\n%s", err, dot)
	}

	ctx := context.Background()
	first := mustStart(t, g, drillmaster.StartOptions{})
	out, err := g.Exec(ctx, "built", "cat", "/version")
	if err != nil || strings.TrimSpace(string(out.Stdout)) != "v1" {
		t.Fatalf("Exec cat /version: %+v %v, want v1", out, err)
	}
	out, err = g.Exec(ctx, "user", "sh", "-c", "echo to-out; echo to-err >&2; exit 3")
	if err != nil {
		t.Fatalf("Exec: %v", err)
	}
	if out.ExitCode != 3 || string(out.Stdout) != "to-out\n" || string(out.Stderr) != "to-err\n" {
		t.Errorf("Exec: exit %d, stdout %q, stderr %q", out.ExitCode, out.Stdout, out.Stderr)
	}
	if _, err := g.Exec(ctx, "nosuch", "true"); !errors.Is(err, drillmaster.ErrNotFound) {
		t.Errorf("Exec in an undefined service: %v, want ErrNotFound", err)
	}
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err = g.Exec(short, "user", "sleep", "5")
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, drillmaster.ErrTimeout) {
		t.Errorf("Exec past its context's deadline: %v, want ErrTimeout and context.DeadlineExceeded", err)
	}
	// Well before the command's own end (5 s): the deadline ended the wait.
	if took := time.Since(began); took > 4500*time.Millisecond {
		t.Errorf("Exec returned %v after it began, past its context's deadline of 0.5 s", took)
	}

	writeDockerfile("v2")
	result, err := g.Reload(ctx, "built", drillmaster.ReloadOptions{Remove: true, GracePeriod: drillmaster.Immediately})
	if err != nil {
		t.Fatalf("Reload: %v", err)
	}
	r := outcome(t, result, "built")
	if r.Outcome != "reloaded" || r.ContainerID == outcome(t, first, "built").ContainerID {
		t.Errorf("built after the reload: %+v", r)
	}
	if u := outcome(t, result, "user"); u.Failed() {
		t.Errorf("user after the reload: %+v", u)
	}
	out, err = g.Exec(ctx, "built", "cat", "/version")
	if err != nil || strings.TrimSpace(string(out.Stdout)) != "v2" {
		t.Errorf("Exec cat /version after the reload: %+v %v, want v2", out, err)
	}
	mu.Lock()
	if inits != 2 {
		t.Errorf("PostStartInit ran %d times, want twice: the reload made a new container", inits)
	}
	mu.Unlock()
	if ids := groupContainerIDs(t, name, "built"); len(ids) != 1 {
		t.Errorf("containers of built after a reload that removes: %v", ids)
	}
	if _, err := g.Reload(ctx, "user", drillmaster.ReloadOptions{}); !errors.Is(err, drillmaster.ErrInvalid) {
		t.Errorf("Reload of a service without a build context: %v, want ErrInvalid", err)
	}
}

// A closed group refuses every call.
func TestClosedGroup(t *testing.T) {
	t.Parallel()
	g, err := drillmaster.NewGroup(testutil.Name("gotest-closed"))
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	if err := g.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	if err := g.Add(&drillmaster.Service{Name: "svc", Image: bbImage}); !errors.Is(err, drillmaster.ErrInvalid) {
		t.Errorf("Add to a closed group: %v", err)
	}
	if _, err := g.Start(context.Background(), drillmaster.StartOptions{}); !errors.Is(err, drillmaster.ErrInvalid) {
		t.Errorf("Start of a closed group: %v", err)
	}
	if _, err := g.Status(context.Background()); !errors.Is(err, drillmaster.ErrInvalid) {
		t.Errorf("Status of a closed group: %v", err)
	}
}
