package drillmaster_test

// Start against the real engine: order and parallelism, each hook, failing
// and panicking hooks, cancelling by the context, reuse.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"drillmaster"
)

// A dependant starts only once its dependencies are ready, and two
// independent services are pinged at the same time.
func TestStartOrderAndParallelism(t *testing.T) {
	t.Parallel()
	tl := newTimeline()
	// Each of a and b is ready only once the other has been pinged too:
	// pinged one after the other, the first would never be ready.
	ping := func(self, other string) func(context.Context, *drillmaster.Service) (bool, error) {
		return func(ctx context.Context, s *drillmaster.Service) (bool, error) {
			tl.mark(self + ".ping")
			if _, ok := tl.at(other + ".ping"); !ok {
				return false, nil
			}
			tl.mark(self + ".ready")
			return true, nil
		}
	}
	a := &drillmaster.Service{Name: "a", Image: bbImage, Cmd: bbLoop, Timeout: 30 * time.Second, Ping: ping("a", "b")}
	b := &drillmaster.Service{Name: "b", Image: bbImage, Cmd: bbLoop, Timeout: 30 * time.Second, Ping: ping("b", "a")}
	c := &drillmaster.Service{
		Name: "c", Image: bbImage, Cmd: bbLoop, Dependencies: []string{"a", "b"},
		Prepare:  func(ctx context.Context, s *drillmaster.Service) error { tl.mark("c.prepare"); return nil },
		PreStart: func(ctx context.Context, s *drillmaster.Service) error { tl.mark("c.prestart"); return nil },
		Ping: func(ctx context.Context, s *drillmaster.Service) (bool, error) {
			tl.mark("c.ping")
			return true, nil
		},
	}
	g := newTestGroup(t, "order", a, b, c)
	result := mustStart(t, g, drillmaster.StartOptions{})
	for _, name := range []string{"a", "b", "c"} {
		if got := outcome(t, result, name).Outcome; got != "started" {
			t.Errorf("%s: outcome %q, want started", name, got)
		}
	}
	aReady, _ := tl.at("a.ready")
	bReady, _ := tl.at("b.ready")
	for _, step := range []string{"c.prepare", "c.prestart", "c.ping"} {
		at, ok := tl.at(step)
		if !ok {
			t.Fatalf("%s never ran", step)
		}
		if at.Before(aReady) || at.Before(bReady) {
			t.Errorf("%s ran at %v, before its dependencies were ready (a %v, b %v)", step, at, aReady, bReady)
		}
	}
	// Both were being pinged before either was ready.
	aPing, _ := tl.at("a.ping")
	bPing, _ := tl.at("b.ping")
	if aPing.After(bReady) || bPing.After(aReady) {
		t.Errorf("the pings of a and b did not overlap: a pinged %v ready %v, b pinged %v ready %v",
			aPing, aReady, bPing, bReady)
	}
}

// httpGet is the body of http://addr/, or an error.
func httpGet(ctx context.Context, addr string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/", nil)
	if err != nil {
		return "", err
	}
	client := http.Client{Timeout: 2 * time.Second}
	answer, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer answer.Body.Close()
	body, err := io.ReadAll(answer.Body)
	return string(body), err
}

// webCmd serves "hello from NAME" on port 8080 with busybox httpd.
func webCmd(name string) []string {
	return []string{"sh", "-c", "mkdir -p /www && echo hello from " + name + " > /www/index.html" +
		" && exec httpd -f -p 8080 -h /www"}
}

// Each hook runs when it should, with what it should know.
func TestHooks(t *testing.T) {
	t.Parallel()
	tl := newTimeline()
	var mu sync.Mutex
	var problems []string
	problem := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	var groupName, network string // set before the start
	var pingID, pingName, initOutput, preStopID string
	checkGroup := func(hook string, s *drillmaster.Service) {
		if s.GroupName() != groupName {
			problem("%s: GroupName %q, want %q", hook, s.GroupName(), groupName)
		}
		if s.Network() != network {
			problem("%s: Network %q, want %q", hook, s.Network(), network)
		}
		if s.Name != "web" || s.Image != bbImage {
			problem("%s: the hook's service is %q of %q", hook, s.Name, s.Image)
		}
	}
	web := &drillmaster.Service{
		Name: "web", Image: bbImage, Cmd: webCmd("web"),
		Ports: []string{"8080"},
		Env:   map[string]string{"FROM_ENV": "env-value"},
		Prepare: func(ctx context.Context, s *drillmaster.Service) error {
			tl.mark("prepare")
			checkGroup("Prepare", s)
			if s.ContainerID() != "" || s.ContainerName() != "" {
				problem("Prepare: a container already: %q %q", s.ContainerID(), s.ContainerName())
			}
			if _, err := s.Exec(ctx, "true"); !errors.Is(err, drillmaster.ErrInvalid) {
				problem("Prepare: Exec without a container: %v, want ErrInvalid", err)
			}
			return s.SetEnv("FROM_PREPARE", "prepared-value")
		},
		PreStart: func(ctx context.Context, s *drillmaster.Service) error {
			tl.mark("prestart")
			checkGroup("PreStart", s)
			if s.ContainerID() != "" {
				problem("PreStart: a container already: %q", s.ContainerID())
			}
			if err := s.SetEnv("X", "y"); !errors.Is(err, drillmaster.ErrInvalid) {
				problem("PreStart: SetEnv outside Prepare: %v, want ErrInvalid", err)
			}
			return nil
		},
		Ping: func(ctx context.Context, s *drillmaster.Service) (bool, error) {
			tl.mark("ping")
			addr, err := s.Address(ctx, "8080")
			if err != nil {
				return false, err
			}
			body, err := httpGet(ctx, addr)
			if err != nil {
				return false, nil // not serving yet
			}
			mu.Lock()
			pingID, pingName = s.ContainerID(), s.ContainerName()
			mu.Unlock()
			checkGroup("Ping", s)
			return strings.Contains(body, "hello from web"), nil
		},
		PostStartInit: func(ctx context.Context, s *drillmaster.Service) error {
			tl.mark("init")
			checkGroup("PostStartInit", s)
			out, err := s.Exec(ctx, "sh", "-c", "echo $FROM_PREPARE $FROM_ENV; exit 4")
			if err != nil {
				return err
			}
			if out.ExitCode != 4 {
				problem("PostStartInit: Exec exit code %d, want 4", out.ExitCode)
			}
			mu.Lock()
			initOutput = string(out.Stdout)
			mu.Unlock()
			// The context's deadline bounds a command.
			short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			defer cancel()
			if _, err := s.Exec(short, "sleep", "5"); !errors.Is(err, drillmaster.ErrTimeout) {
				problem("PostStartInit: Exec past its context's deadline: %v, want ErrTimeout", err)
			}
			s.Values().Set("init-ran-in", s.ContainerID())
			return nil
		},
		PreStop: func(ctx context.Context, s *drillmaster.Service) error {
			tl.mark("prestop")
			checkGroup("PreStop", s)
			out, err := s.Exec(ctx, "echo", "still running")
			if err != nil || strings.TrimSpace(string(out.Stdout)) != "still running" {
				problem("PreStop: Exec: %v %q", err, out)
			}
			mu.Lock()
			preStopID = s.ContainerID()
			mu.Unlock()
			return nil
		},
	}
	g := newTestGroup(t, "hooks", web)
	groupName, network = g.Name(), g.Network()
	if !strings.Contains(network, g.Name()) {
		t.Errorf("Network %q does not name the group %q", network, g.Name())
	}
	ctx := context.Background()

	// A first start runs every hook but PreStop, in order.
	result := mustStart(t, g, drillmaster.StartOptions{})
	first := outcome(t, result, "web")
	if first.Outcome != "started" || first.ContainerID == "" {
		t.Fatalf("first start: %+v", first)
	}
	order := []string{"prepare", "prestart", "ping", "init"}
	for i, step := range order {
		if n := tl.count(step); n == 0 {
			t.Fatalf("%s did not run", step)
		}
		if i > 0 {
			before, _ := tl.at(order[i-1])
			at, _ := tl.at(step)
			if at.Before(before) {
				t.Errorf("%s ran before %s", step, order[i-1])
			}
		}
	}
	if tl.count("prestop") != 0 {
		t.Errorf("PreStop ran during a start")
	}
	mu.Lock()
	if pingID != first.ContainerID {
		t.Errorf("Ping's ContainerID %q, want the started container %q", pingID, first.ContainerID)
	}
	if want := g.Name() + "-web-1"; pingName != want {
		t.Errorf("Ping's ContainerName %q, want %q", pingName, want)
	}
	if strings.TrimSpace(initOutput) != "prepared-value env-value" {
		t.Errorf("Exec in PostStartInit gave %q, want the env Prepare and Env set", initOutput)
	}
	mu.Unlock()
	if v, ok := g.Values().Get("init-ran-in"); !ok || v != first.ContainerID {
		t.Errorf("the value PostStartInit stored: %q %v", v, ok)
	}
	// The env Prepare set is the container's, seen from outside too.
	out, err := g.Exec(ctx, "web", "env")
	if err != nil {
		t.Fatalf("Exec env: %v", err)
	}
	if !strings.Contains(string(out.Stdout), "FROM_PREPARE=prepared-value") {
		t.Errorf("the container's env lacks what Prepare set:\n%s", out.Stdout)
	}
	// The group's address of the port serves the page.
	host, port, err := g.HostPort(ctx, "web", "8080")
	if err != nil || port == 0 {
		t.Fatalf("HostPort: %q %d %v", host, port, err)
	}
	if body, err := httpGet(ctx, fmt.Sprintf("%s:%d", host, port)); err != nil || !strings.Contains(body, "hello from web") {
		t.Errorf("GET from the group's HostPort: %q %v", body, err)
	}

	// A second start leaves the running container alone: no hook but
	// Prepare (it decides whether the container is up to date).
	result = mustStart(t, g, drillmaster.StartOptions{})
	second := outcome(t, result, "web")
	if second.Outcome != "already running" || second.ContainerID != first.ContainerID {
		t.Errorf("second start: %+v, want already running in %s", second, first.ContainerID)
	}
	for _, step := range []string{"prestart", "init"} {
		if n := tl.count(step); n != 1 {
			t.Errorf("%s ran %d times after a start that reused the container, want 1", step, n)
		}
	}

	// Stop runs PreStop with the running container.
	if _, err := g.Stop(ctx, drillmaster.StopOptions{GracePeriod: drillmaster.Immediately}); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if n := tl.count("prestop"); n != 1 {
		t.Errorf("PreStop ran %d times on a stop, want 1", n)
	}
	mu.Lock()
	if preStopID != first.ContainerID {
		t.Errorf("PreStop's ContainerID %q, want %q", preStopID, first.ContainerID)
	}
	mu.Unlock()

	// A start of the stopped container starts it again and pings it, but
	// initialises nothing: PostStartInit runs once per container.
	pings := tl.count("ping")
	result = mustStart(t, g, drillmaster.StartOptions{})
	third := outcome(t, result, "web")
	if third.Outcome != "restarted" || third.ContainerID != first.ContainerID {
		t.Errorf("start after stop: %+v, want restarted in %s", third, first.ContainerID)
	}
	if tl.count("ping") == pings {
		t.Errorf("the container started again was not pinged")
	}
	if n := tl.count("init"); n != 1 {
		t.Errorf("PostStartInit ran %d times, want once: the container was reused", n)
	}
	if n := tl.count("prestart"); n != 1 {
		t.Errorf("PreStart ran %d times, want once: the container was reused", n)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
}

// A service whose hook fails fails with the hook's error, its dependants
// are skipped, independent services start, and what it made is removed.
func TestFailingHook(t *testing.T) {
	t.Parallel()
	fail := func(ctx context.Context, s *drillmaster.Service) error {
		return fmt.Errorf("the %s hook broke: code 4711", s.Name)
	}
	cases := map[string]func(*drillmaster.Service){
		"Prepare":       func(s *drillmaster.Service) { s.Prepare = fail },
		"PreStart":      func(s *drillmaster.Service) { s.PreStart = fail },
		"PostStartInit": func(s *drillmaster.Service) { s.PostStartInit = fail },
		"Ping": func(s *drillmaster.Service) {
			s.Ping = func(ctx context.Context, s *drillmaster.Service) (bool, error) { return false, fail(ctx, s) }
		},
	}
	for hook, set := range cases {
		hook, set := hook, set
		t.Run(hook, func(t *testing.T) {
			t.Parallel()
			bad := &drillmaster.Service{Name: "bad", Image: bbImage, Cmd: bbLoop}
			set(bad)
			dependant := &drillmaster.Service{Name: "dependant", Image: bbImage, Cmd: bbLoop, Dependencies: []string{"bad"},
				PreStart: func(ctx context.Context, s *drillmaster.Service) error {
					t.Errorf("the dependant of a failed service was started")
					return nil
				}}
			independent := &drillmaster.Service{Name: "independent", Image: bbImage, Cmd: bbLoop}
			g := newTestGroup(t, "fail-"+hook, bad, dependant, independent)
			result, err := g.Start(context.Background(), drillmaster.StartOptions{})
			if !errors.Is(err, drillmaster.ErrFailed) {
				t.Fatalf("Start: %v, want ErrFailed", err)
			}
			if errors.Is(err, drillmaster.ErrCancelled) || errors.Is(err, context.Canceled) {
				t.Errorf("a failed start matches a cancel: %v", err)
			}
			var e *drillmaster.Error
			if !errors.As(err, &e) || e.Result != result || result == nil {
				t.Fatalf("the error carries no result: %#v", err)
			}
			if !strings.Contains(err.Error(), "code 4711") || !strings.Contains(err.Error(), "bad") {
				t.Errorf("the error does not say which service failed and why: %v", err)
			}
			r := outcome(t, result, "bad")
			if r.Outcome != "failed" || !strings.Contains(r.Reason, "the bad hook broke: code 4711") {
				t.Errorf("bad: %+v, want failed with the hook's error", r)
			}
			if r := outcome(t, result, "dependant"); r.Outcome != "skipped" || !r.Failed() {
				t.Errorf("dependant: %+v, want skipped", r)
			}
			if r := outcome(t, result, "independent"); r.Outcome != "started" {
				t.Errorf("independent: %+v, want started", r)
			}
			if n := len(result.Failures()); n != 2 {
				t.Errorf("%d failures, want 2: %+v", n, result.Failures())
			}
			if left := groupContainerIDs(t, g.Name(), "bad"); len(left) != 0 {
				t.Errorf("the failed service's new container is still there: %v", left)
			}
			if left := groupContainerIDs(t, g.Name(), "dependant"); len(left) != 0 {
				t.Errorf("the skipped service has a container: %v", left)
			}
		})
	}
}

// A panicking hook fails its service with the panic's value; the program
// goes on.
func TestPanickingHook(t *testing.T) {
	t.Parallel()
	cases := map[string]func(*drillmaster.Service){
		"Ping": func(s *drillmaster.Service) {
			s.Ping = func(ctx context.Context, s *drillmaster.Service) (bool, error) { panic("kaboom in ping 1234") }
		},
		"Prepare": func(s *drillmaster.Service) {
			s.Prepare = func(ctx context.Context, s *drillmaster.Service) error {
				var m map[string]int
				m["x"] = 1 // a runtime error
				return nil
			}
		},
		"PostStartInit": func(s *drillmaster.Service) {
			s.PostStartInit = func(ctx context.Context, s *drillmaster.Service) error {
				panic(fmt.Errorf("kaboom in init %d", 5678))
			}
		},
		// What t.FailNow and t.Fatal (testify's require) do in a hook.
		"PreStart Goexit": func(s *drillmaster.Service) {
			s.PreStart = func(ctx context.Context, s *drillmaster.Service) error {
				runtime.Goexit()
				return nil
			}
		},
	}
	want := map[string]string{
		"Ping":            "kaboom in ping 1234",
		"Prepare":         "assignment to entry in nil map",
		"PostStartInit":   "kaboom in init 5678",
		"PreStart Goexit": "runtime.Goexit",
	}
	for hook, set := range cases {
		hook, set := hook, set
		t.Run(hook, func(t *testing.T) {
			t.Parallel()
			svc := &drillmaster.Service{Name: "panicky", Image: bbImage, Cmd: bbLoop}
			set(svc)
			other := &drillmaster.Service{Name: "other", Image: bbImage, Cmd: bbLoop}
			g := newTestGroup(t, "panic-"+hook, svc, other)
			// Receivers of events that panic or exit their goroutine are
			// no harm either.
			events := 0
			onEvent := func(e drillmaster.Event) {
				events++
				if events%2 == 0 {
					panic("event receiver panic")
				}
				runtime.Goexit()
			}
			result, err := g.Start(context.Background(), drillmaster.StartOptions{OnEvent: onEvent})
			if !errors.Is(err, drillmaster.ErrFailed) {
				t.Fatalf("Start: %v, want ErrFailed", err)
			}
			if events < 4 {
				t.Errorf("the event receiver was called %d times: not after its panic", events)
			}
			r := outcome(t, result, "panicky")
			if r.Outcome != "failed" || !strings.Contains(r.Reason, want[hook]) || !strings.Contains(r.Reason, "panic") ||
				!strings.Contains(r.Reason, "panicky") {
				t.Errorf("panicky: %+v, want failed with the panic's value %q", r, want[hook])
			}
			if r := outcome(t, result, "other"); r.Outcome != "started" {
				t.Errorf("other: %+v, want started", r)
			}
			if left := groupContainerIDs(t, g.Name(), "panicky"); len(left) != 0 {
				t.Errorf("the failed service's container is still there: %v", left)
			}
		})
	}
}

// Cancelling the context of a start cancels it: it returns at once, and
// the container that did not come up is removed.
func TestCancelByContext(t *testing.T) {
	t.Parallel()
	t.Run("during the start", func(t *testing.T) {
		t.Parallel()
		var mu sync.Mutex
		var pinged string
		firstPing := make(chan struct{})
		stuck := &drillmaster.Service{Name: "stuck", Image: bbImage, Cmd: bbLoop, Timeout: time.Minute,
			Ping: func(ctx context.Context, s *drillmaster.Service) (bool, error) {
				mu.Lock()
				defer mu.Unlock()
				if pinged == "" {
					pinged = s.ContainerID()
					close(firstPing)
				}
				return false, nil
			},
			PreStop: func(ctx context.Context, s *drillmaster.Service) error { return nil },
		}
		waiting := &drillmaster.Service{Name: "waiting", Image: bbImage, Cmd: bbLoop, Dependencies: []string{"stuck"},
			PreStart: func(ctx context.Context, s *drillmaster.Service) error {
				t.Errorf("the dependant of a service that never came up was started")
				return nil
			}}
		g := newTestGroup(t, "cancel", stuck, waiting)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		cancelledAt := make(chan time.Time, 1)
		go func() {
			// Cancelled a second after its container is first pinged.
			select {
			case <-firstPing:
			case <-time.After(time.Minute):
			}
			time.Sleep(time.Second)
			cancelledAt <- time.Now()
			cancel()
		}()
		result, err := g.Start(ctx, drillmaster.StartOptions{})
		returned := time.Now()
		var at time.Time
		select {
		case at = <-cancelledAt:
		default:
		}
		took := returned.Sub(at)
		mu.Lock()
		id := pinged
		mu.Unlock()
		if at.IsZero() {
			t.Fatalf("Start returned before the cancel: %v", err)
		}
		if took > 10*time.Second {
			t.Errorf("Start returned %v after the cancel", took)
		}
		if !errors.Is(err, drillmaster.ErrCancelled) || !errors.Is(err, context.Canceled) {
			t.Fatalf("Start: %v, want ErrCancelled and context.Canceled", err)
		}
		if errors.Is(err, drillmaster.ErrFailed) {
			t.Errorf("a cancelled start matches ErrFailed: %v", err)
		}
		if result == nil || !result.Cancelled {
			t.Errorf("the result does not say cancelled: %+v", result)
		}
		if id == "" {
			t.Errorf("the stuck service was never pinged")
		}
		if left := groupContainerIDs(t, g.Name(), ""); len(left) != 0 {
			t.Errorf("the container the cancelled start made (%s) is still there: %v", id, left)
		}
	})
	t.Run("before the start", func(t *testing.T) {
		t.Parallel()
		svc := &drillmaster.Service{Name: "never", Image: bbImage, Cmd: bbLoop,
			Prepare: func(ctx context.Context, s *drillmaster.Service) error {
				t.Errorf("a hook ran in a start whose context was cancelled before it")
				return nil
			}}
		g := newTestGroup(t, "precancel", svc)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		start := time.Now()
		_, err := g.Start(ctx, drillmaster.StartOptions{})
		if !errors.Is(err, context.Canceled) || !errors.Is(err, drillmaster.ErrCancelled) {
			t.Errorf("Start with a cancelled context: %v, want ErrCancelled and context.Canceled", err)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("Start with a cancelled context took %v", took)
		}
		if left := groupContainerIDs(t, g.Name(), ""); len(left) != 0 {
			t.Errorf("a start with a cancelled context made containers: %v", left)
		}
		if left := groupNetworks(t, g.Name()); len(left) != 0 {
			t.Errorf("a start with a cancelled context made a network: %v", left)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		t.Parallel()
		stuck := &drillmaster.Service{Name: "stuck", Image: bbImage, Cmd: bbLoop, Timeout: time.Minute,
			Ping: func(ctx context.Context, s *drillmaster.Service) (bool, error) { return false, nil }}
		g := newTestGroup(t, "deadline", stuck)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := g.Start(ctx, drillmaster.StartOptions{})
		if !errors.Is(err, drillmaster.ErrCancelled) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Start past its context's deadline: %v, want ErrCancelled and context.DeadlineExceeded", err)
		}
		if left := groupContainerIDs(t, g.Name(), ""); len(left) != 0 {
			t.Errorf("the container the cancelled start made is still there: %v", left)
		}
	})
}

// A second start leaves a running container alone; a changed definition
// gives a new one.
func TestReuse(t *testing.T) {
	t.Parallel()
	define := func(value string) *drillmaster.Service {
		return &drillmaster.Service{Name: "svc", Image: bbImage, Cmd: bbLoop, Env: map[string]string{"VALUE": value}}
	}
	g := newTestGroup(t, "reuse", define("one"))
	first := outcome(t, mustStart(t, g, drillmaster.StartOptions{}), "svc")
	if first.Outcome != "started" {
		t.Fatalf("first start: %+v", first)
	}
	again := outcome(t, mustStart(t, g, drillmaster.StartOptions{}), "svc")
	if again.Outcome != "already running" || again.ContainerID != first.ContainerID {
		t.Errorf("second start: %+v, want already running in %s", again, first.ContainerID)
	}

	// The same group, defined again with another env: its container is
	// outdated, and a start replaces it.
	changed, err := drillmaster.NewGroup(g.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer changed.Close()
	if err := changed.Add(define("two")); err != nil {
		t.Fatal(err)
	}
	status, err := changed.Status(context.Background())
	if err != nil || len(status) != 1 || !status[0].Outdated || status[0].ContainerID != first.ContainerID {
		t.Errorf("status of the changed definition: %+v %v, want the old container, outdated", status, err)
	}
	replaced := outcome(t, mustStart(t, changed, drillmaster.StartOptions{}), "svc")
	if replaced.Outcome != "started" || replaced.ContainerID == first.ContainerID {
		t.Errorf("start of the changed definition: %+v, want a new container", replaced)
	}
	if ids := groupContainerIDs(t, g.Name(), "svc"); len(ids) != 1 || ids[0] != replaced.ContainerID {
		t.Errorf("containers after the replacement: %v, want only %s", ids, replaced.ContainerID)
	}
	out, err := changed.Exec(context.Background(), "svc", "sh", "-c", "echo $VALUE")
	if err != nil || strings.TrimSpace(string(out.Stdout)) != "two" {
		t.Errorf("the new container's env: %v %v", out, err)
	}
	// RunNew never reuses.
	fresh := outcome(t, mustStart(t, changed, drillmaster.StartOptions{RunNew: true}), "svc")
	if fresh.Outcome != "started" || fresh.ContainerID == replaced.ContainerID {
		t.Errorf("start with RunNew: %+v, want a new container", fresh)
	}
}

// A failing or panicking PreStop is reported as an event, and the stop goes
// on.
func TestPreStopFailure(t *testing.T) {
	t.Parallel()
	failing := &drillmaster.Service{Name: "failing", Image: bbImage, Cmd: bbLoop,
		PreStop: func(ctx context.Context, s *drillmaster.Service) error { return errors.New("prestop broke 77") }}
	panicking := &drillmaster.Service{Name: "panicking", Image: bbImage, Cmd: bbLoop,
		PreStop: func(ctx context.Context, s *drillmaster.Service) error { panic("prestop panic 88") }}
	g := newTestGroup(t, "prestop", failing, panicking)
	mustStart(t, g, drillmaster.StartOptions{})
	var messages []string
	result, err := g.Stop(context.Background(), drillmaster.StopOptions{GracePeriod: drillmaster.Immediately,
		OnEvent: func(e drillmaster.Event) { messages = append(messages, e.Service+": "+e.Message) }})
	if err != nil {
		t.Fatalf("Stop: %v", err)
	}
	for _, name := range []string{"failing", "panicking"} {
		if r := outcome(t, result, name); r.Outcome != "stopped" {
			t.Errorf("%s: %+v, want stopped", name, r)
		}
	}
	all := strings.Join(messages, "\n")
	for _, want := range []string{"prestop broke 77", "prestop panic 88"} {
		if !strings.Contains(all, want) {
			t.Errorf("no event says %q:\n%s", want, all)
		}
	}
	status, err := g.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range status {
		if s.State != "exited" {
			t.Errorf("%s: %s after the stop, want exited", s.Service, s.State)
		}
	}
}

// Only, Exclude and Profiles choose what a start starts; a stop's Exclude
// keeps services running.
func TestSelection(t *testing.T) {
	t.Parallel()
	a := &drillmaster.Service{Name: "a", Image: bbImage, Cmd: bbLoop}
	b := &drillmaster.Service{Name: "b", Image: bbImage, Cmd: bbLoop, Profiles: []string{"extra"}}
	c := &drillmaster.Service{Name: "c", Image: bbImage, Cmd: bbLoop, Dependencies: []string{"a"}}
	g := newTestGroup(t, "select", a, b, c)
	outcomes := func(result *drillmaster.Result) string {
		var parts []string
		for _, s := range result.Services {
			parts = append(parts, s.Service+"="+s.Outcome)
		}
		return strings.Join(parts, " ")
	}
	result := mustStart(t, g, drillmaster.StartOptions{Exclude: []string{"c"}})
	if got := outcomes(result); got != "a=started b=excluded c=excluded" {
		t.Errorf("start excluding c: %s", got)
	}
	result = mustStart(t, g, drillmaster.StartOptions{Profiles: []string{"extra"}, Parallelism: 1})
	if got := outcomes(result); got != "a=already running b=started c=started" {
		t.Errorf("start with the profile: %s", got)
	}
	result, err := g.Stop(context.Background(), drillmaster.StopOptions{Exclude: []string{"a"}, GracePeriod: drillmaster.Immediately})
	if err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if got := outcome(t, result, "c").Outcome; got != "stopped" {
		t.Errorf("c after a stop excluding a: %s", got)
	}
	status, err := g.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range status {
		if want := map[string]string{"a": "running", "b": "exited", "c": "exited"}[s.Service]; s.State != want {
			t.Errorf("%s: %s, want %s", s.Service, s.State, want)
		}
	}
	if _, err := g.Start(context.Background(), drillmaster.StartOptions{Only: []string{"nosuch"}}); !errors.Is(err, drillmaster.ErrInvalid) {
		t.Errorf("Start of an unknown service: %v, want ErrInvalid", err)
	}
}
