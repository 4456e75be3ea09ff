package drillmaster_test

// Hooks and callbacks of several services and groups at once, for the race
// detector (go test -race): each hook touches state the others and the test
// read, events and log lines are gathered without a lock (their receivers
// are never called twice at once), and other calls come in while an
// operation runs.

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"drillmaster"
	"drillmaster/testutil"
)

// raceServices is a diamond, a and b under c, and d on c, with every hook;
// a's and b's PostStartInit store values that c's Prepare puts in its env.
func raceServices(calls *timeline) []*drillmaster.Service {
	hook := func(name string) func(context.Context, *drillmaster.Service) error {
		return func(ctx context.Context, s *drillmaster.Service) error {
			calls.mark(s.Name + "." + name)
			if s.Env["SHARED"] != "yes" || s.GroupName() == "" {
				return errors.New("the hook's service is not its definition")
			}
			return nil
		}
	}
	var services []*drillmaster.Service
	for _, name := range []string{"a", "b", "c", "d"} {
		s := &drillmaster.Service{
			Name: name, Image: bbImage,
			Cmd:      []string{"sh", "-c", "echo hello from $HOSTNAME; " + bbLoop[2]},
			Env:      map[string]string{"SHARED": "yes"},
			PreStart: hook("prestart"),
			PreStop:  hook("prestop"),
			Ping: func(ctx context.Context, s *drillmaster.Service) (bool, error) {
				calls.mark(s.Name + ".ping")
				// Ready at the second ping, from another goroutine's
				// point of view too.
				return calls.count(s.Name+".ping") >= 2, nil
			},
			PostStartInit: func(ctx context.Context, s *drillmaster.Service) error {
				calls.mark(s.Name + ".init")
				s.Values().Set(s.Name+".container", s.ContainerID())
				// An exec from a goroutine of the hook's own.
				done := make(chan error, 1)
				go func() {
					out, err := s.Exec(ctx, "echo", s.Name)
					if err == nil && strings.TrimSpace(string(out.Stdout)) != s.Name {
						err = errors.New("exec gave " + string(out.Stdout))
					}
					done <- err
				}()
				return <-done
			},
		}
		services = append(services, s)
	}
	services[2].Dependencies = []string{"a", "b"}
	services[2].Prepare = func(ctx context.Context, s *drillmaster.Service) error {
		calls.mark("c.prepare")
		for _, dep := range []string{"a", "b"} {
			v, ok := s.Values().Get(dep + ".container")
			if !ok {
				return errors.New("no value of " + dep)
			}
			if err := s.SetEnv(strings.ToUpper(dep)+"_CONTAINER", v); err != nil {
				return err
			}
		}
		return nil
	}
	services[3].Dependencies = []string{"c"}
	return services
}

func TestRaceHooksAndCallbacks(t *testing.T) {
	t.Parallel()
	client, err := drillmaster.Connect(drillmaster.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() }) // after the groups' removal
	// Two groups on one client, started at once.
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		calls := newTimeline()
		g, err := drillmaster.NewGroup(testutil.Name("gotest-race"), drillmaster.WithClient(client))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { removeTestGroup(t, g) })
		if err := g.Add(raceServices(calls)...); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var events []drillmaster.Event // no lock: one call at a time
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			// Calls that wait for the start, and one that does not.
			others := make(chan error, 2)
			began := make(chan struct{})
			var once sync.Once
			go func() {
				<-began
				_, err := g.Status(ctx)
				others <- err
			}()
			go func() {
				for i := 0; i < 50; i++ {
					g.Values().Get("a.container")
					_ = g.Services()
					time.Sleep(10 * time.Millisecond)
				}
				others <- nil
			}()
			result, err := g.Start(ctx, drillmaster.StartOptions{
				OnEvent: func(e drillmaster.Event) {
					once.Do(func() { close(began) })
					events = append(events, e)
				},
			})
			if err != nil {
				t.Errorf("Start of %s: %v", g.Name(), err)
				return
			}
			for i := 0; i < 2; i++ {
				if err := <-others; err != nil {
					t.Errorf("a call beside the start: %v", err)
				}
			}
			running := 0
			for _, e := range events {
				if e.Phase == "running" {
					running++
				}
			}
			if running != 4 || len(result.Failures()) != 0 {
				t.Errorf("%s: %d services running by the events, failures %+v", g.Name(), running, result.Failures())
			}
			out, err := g.Exec(ctx, "c", "sh", "-c", "echo $A_CONTAINER $B_CONTAINER")
			a, _ := g.Values().Get("a.container")
			b, _ := g.Values().Get("b.container")
			if err != nil || strings.TrimSpace(string(out.Stdout)) != a+" "+b {
				t.Errorf("c's env from its Prepare: %v %v, want %s %s", out, err, a, b)
			}
			var lines []drillmaster.LogLine
			if err := g.FollowLogs(ctx, drillmaster.LogsOptions{}, func(l drillmaster.LogLine) error {
				lines = append(lines, l) // no lock: one call at a time
				return errors.New("one is enough")
			}); err == nil {
				t.Errorf("FollowLogs: the receiver's error was not returned")
			}
			events = nil
			if _, err := g.Stop(ctx, drillmaster.StopOptions{GracePeriod: drillmaster.Immediately,
				OnEvent: func(e drillmaster.Event) { events = append(events, e) }}); err != nil {
				t.Errorf("Stop: %v", err)
			}
			if len(events) == 0 {
				t.Errorf("no events of the stop")
			}
			for _, name := range []string{"a", "b", "c", "d"} {
				for _, step := range []string{"prestart", "init", "prestop"} {
					if n := calls.count(name + "." + step); n != 1 {
						t.Errorf("%s.%s ran %d times, want 1", name, step, n)
					}
				}
			}
		}()
	}
	wg.Wait()
}

// A ping that ignores its context past its service's timeout is abandoned:
// the start fails the service without waiting for it, and when it returns
// at last, after its group was closed, nothing breaks.
func TestAbandonedHook(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	returned := make(chan error, 1)
	slow := &drillmaster.Service{Name: "slow", Image: bbImage, Cmd: bbLoop, Timeout: time.Second,
		Ping: func(ctx context.Context, s *drillmaster.Service) (bool, error) {
			<-release
			// The operation that called it has ended.
			select {
			case <-ctx.Done():
				returned <- nil
			default:
				returned <- errors.New("the abandoned hook's context is not done")
			}
			_, err := s.Exec(context.Background(), "true")
			if err == nil {
				returned <- errors.New("an exec from an abandoned hook ran")
			}
			return true, nil
		}}
	g, err := drillmaster.NewGroup(testutil.Name("gotest-abandon"))
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Add(slow); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	result, err := g.Start(context.Background(), drillmaster.StartOptions{})
	if !errors.Is(err, drillmaster.ErrFailed) {
		t.Errorf("Start: %v, want ErrFailed", err)
	}
	if took := time.Since(began); took > 30*time.Second {
		t.Errorf("Start waited %v for an abandoned hook", took)
	}
	if r := result.Service("slow"); r == nil || r.Outcome != "failed" {
		t.Errorf("slow: %+v, want failed", r)
	}
	removeTestGroup(t, g) // stops, removes and closes the group
	close(release)
	select {
	case err := <-returned:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the abandoned hook did not return")
	}
	select {
	case err := <-returned:
		t.Error(err)
	case <-time.After(500 * time.Millisecond):
	}
}
