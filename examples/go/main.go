// An example program: the services of examples/python/spec.py, defined and
// started from Go, with its hooks in Go.
//
//   - store stands in for a database: its PostStartInit stores a token in the
//     group's Values, which app's Prepare puts into app's environment;
//   - web serves a page on a free host port; its Ping asks for the page over
//     HTTP, so it counts as running only once httpd answers;
//   - app depends on both.
//
// It starts them, prints their status and app's output, then stops and
// removes them (-keep leaves them running). Ctrl-C, SIGTERM or SIGHUP
// cancels the start: what did not come up is removed, and the program exits
// 130, 143 or 129.
//
//	go run ./examples/go [-group NAME] [-keep]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"drillmaster"
)

const image = "drillmaster-test/busybox:latest"

// loop stops at once on SIGTERM.
var loop = []string{"sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"}

func services() []*drillmaster.Service {
	store := &drillmaster.Service{
		Name:  "store",
		Image: image,
		Cmd:   loop,
		PostStartInit: func(ctx context.Context, s *drillmaster.Service) error {
			// Runs once, after the new container's first successful ping.
			s.Values().Set("store_token", "token-of-"+s.ContainerName())
			return nil
		},
	}
	web := &drillmaster.Service{
		Name:  "web",
		Image: image,
		Cmd: []string{"sh", "-c", "mkdir -p /www && echo hello from the web service > /www/index.html" +
			" && exec httpd -f -p 8080 -h /www"},
		Ports: []string{"8080"}, // a free host port, picked by the engine
		Ping: func(ctx context.Context, s *drillmaster.Service) (bool, error) {
			addr, err := s.Address(ctx, "8080")
			if err != nil {
				return false, err
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/", nil)
			if err != nil {
				return false, err
			}
			client := http.Client{Timeout: time.Second}
			answer, err := client.Do(req)
			if err != nil {
				return false, nil // not serving yet: asked again in 0.1 s
			}
			defer answer.Body.Close()
			body, _ := io.ReadAll(answer.Body)
			return strings.Contains(string(body), "hello from the web service"), nil
		},
	}
	app := &drillmaster.Service{
		Name:         "app",
		Image:        image,
		Dependencies: []string{"store", "web"},
		Env:          map[string]string{"WEB_URL": "http://web:8080/"},
		Cmd:          []string{"sh", "-c", "echo app sees STORE_TOKEN=$STORE_TOKEN; wget -qO- $WEB_URL; " + loop[2]},
		Prepare: func(ctx context.Context, s *drillmaster.Service) error {
			// The dependencies are ready here: store's token exists.
			token, ok := s.Values().Get("store_token")
			if !ok {
				// store's container was left running by an earlier -keep
				// run and reused, so its init did not run in this one.
				token = "token-of-" + s.GroupName() + "-store-1"
			}
			return s.SetEnv("STORE_TOKEN", token)
		},
	}
	return []*drillmaster.Service{store, web, app}
}

func main() {
	name := flag.String("group", "example-go", "the group's name")
	keep := flag.Bool("keep", false, "leave the services running")
	flag.Parse()
	os.Exit(run(*name, *keep))
}

func run(name string, keep bool) int {
	// The first Ctrl-C, SIGTERM or SIGHUP cancels the operation in progress,
	// and the program exits 128 + the signal's number, as the command line
	// does.
	ctx, caught := cancelOnSignal()

	group, err := drillmaster.NewGroup(name)
	if err == nil {
		defer group.Close()
		err = group.Add(services()...)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if code := start(ctx, group); code != 0 {
		if sig := caught(); sig != 0 {
			return 128 + int(sig)
		}
		return code
	}
	if err := show(ctx, group); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if keep {
		fmt.Printf("left running; run it again without -keep to stop and remove them\n")
		return 0
	}
	if _, err := group.Stop(context.Background(), drillmaster.StopOptions{Remove: true}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("stopped and removed")
	return 0
}

// cancelOnSignal is a context that ends at the first SIGINT, SIGTERM or
// SIGHUP, and the function that says which one came (0: none).
func cancelOnSignal() (context.Context, func() syscall.Signal) {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	var got atomic.Int32
	go func() {
		sig := (<-signals).(syscall.Signal)
		got.Store(int32(sig))
		signal.Reset() // a second signal ends the program at once
		cancel()
	}()
	return ctx, func() syscall.Signal { return syscall.Signal(got.Load()) }
}

// start starts the group, printing each service as it becomes ready; it
// returns the exit status of a start that did not succeed.
func start(ctx context.Context, group *drillmaster.Group) int {
	result, err := group.Start(ctx, drillmaster.StartOptions{
		OnEvent: func(e drillmaster.Event) {
			if e.Service != "" && (e.Phase == "running" || e.Phase == "failed") {
				fmt.Printf("  %-6s %s %s\n", e.Service, e.Phase, e.Message)
			}
		},
	})
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(os.Stderr, "cancelled: what did not come up was removed; run it again to finish")
		return 1
	case errors.Is(err, drillmaster.ErrFailed):
		for _, f := range result.Failures() {
			fmt.Fprintf(os.Stderr, "%s %s: %s\n", f.Service, f.Outcome, f.Reason)
		}
		return 1
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for _, s := range result.Services {
		fmt.Printf("%-6s %s in %.2f s\n", s.Service, s.Outcome, s.Duration.Seconds())
	}
	return 0
}

// show prints the group's status, web's address and app's output.
func show(ctx context.Context, group *drillmaster.Group) error {
	status, err := group.Status(ctx)
	if err != nil {
		return err
	}
	for _, s := range status {
		fmt.Printf("%-6s %-8s %s %s\n", s.Service, s.State, s.ContainerName, s.Ports)
	}
	host, port, err := group.HostPort(ctx, "web", "8080")
	if err != nil {
		return err
	}
	fmt.Printf("web serves on http://%s:%d/\n", host, port)
	time.Sleep(500 * time.Millisecond) // app's first output
	lines, err := group.Logs(ctx, drillmaster.LogsOptions{Services: []string{"app"}})
	for _, l := range lines {
		fmt.Printf("app | %s\n", l.Text)
	}
	return err
}
