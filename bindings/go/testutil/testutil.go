// Package testutil starts drillmaster groups for Go tests: each test (or
// test binary) gets a group of its own, removed when it ends, also when the
// test binary is killed.
//
//	func TestQuery(t *testing.T) {
//		env := testutil.Start(t, "app", db)
//		addr := env.Address("db", "5432")
//		...
//	}
package testutil

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"drillmaster"
)

// Env is a started group, as a test uses it.
type Env struct {
	Group  *drillmaster.Group
	Result *drillmaster.Result
}

// Name is a group name of its own for this run: base, then the process and
// a random suffix, so runs (and `go test ./...`'s packages, which run at
// once) never meet. A name that is not a valid group name is shortened
// and cleaned.
func Name(base string) string {
	var suffix [3]byte
	_, _ = rand.Read(suffix[:])
	base = invalid.ReplaceAllString(base, "-")
	base = strings.TrimLeft(base, "-_.")
	if base == "" {
		base = "test"
	}
	tail := fmt.Sprintf("-%d-%s", os.Getpid(), hex.EncodeToString(suffix[:]))
	if max := 63 - len(tail); len(base) > max {
		base = base[:max]
	}
	return base + tail
}

var invalid = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// Start makes a group named for the test (Name(base)) with services,
// starts it, and removes it when the test and its subtests end
// (t.Cleanup); a start that fails is a t.Fatal naming each failed service
// and why. The group is also registered for removal on exit: a test binary
// killed by a CI timeout or kill -9 leaves nothing behind.
func Start(t testing.TB, base string, services ...*drillmaster.Service) *Env {
	t.Helper()
	return StartWith(t, base, drillmaster.StartOptions{}, services...)
}

// StartWith is Start with start options (profiles, a timeout, events...).
func StartWith(t testing.TB, base string, opts drillmaster.StartOptions,
	services ...*drillmaster.Service) *Env {
	t.Helper()
	env, stop, err := Setup(context.Background(), base, opts, services...)
	if stop != nil {
		t.Cleanup(func() {
			if err := stop(); err != nil {
				t.Errorf("removing group %s: %v", env.Group.Name(), err)
			}
		})
	}
	if err != nil {
		t.Fatalf("starting the services: %v", err)
	}
	return env
}

// Setup is Start for a TestMain, which has no *testing.T: it returns the
// env and the function that removes the group (call it after m.Run()). On
// failure stop is still returned when there is something to remove.
//
//	func TestMain(m *testing.M) {
//		env, stop, err := testutil.Setup(context.Background(), "app", drillmaster.StartOptions{}, db)
//		if err != nil { ... }
//		code := m.Run()
//		stop()
//		os.Exit(code)
//	}
func Setup(ctx context.Context, base string, opts drillmaster.StartOptions,
	services ...*drillmaster.Service) (*Env, func() error, error) {
	group, err := drillmaster.NewGroup(Name(base))
	if err != nil {
		return nil, nil, err
	}
	if err := group.Add(services...); err != nil {
		group.Close()
		return nil, nil, err
	}
	env := &Env{Group: group}
	stop := func() error {
		defer group.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		_, err := group.Stop(ctx, drillmaster.StopOptions{Remove: true, GracePeriod: drillmaster.Immediately})
		return err
	}
	opts.RemoveOnExit = true
	env.Result, err = group.Start(ctx, opts)
	if err != nil {
		return env, stop, err
	}
	return env, stop, nil
}

// HostPort is where the test connects to containerPort ("5432", "53/udp")
// of service, as the engine published it.
func (e *Env) HostPort(t testing.TB, service, containerPort string) (string, int) {
	t.Helper()
	host, port, err := e.Group.HostPort(context.Background(), service, containerPort)
	if err != nil {
		t.Fatalf("the address of %s's port %s: %v", service, containerPort, err)
	}
	return host, port
}

// Address is HostPort as "host:port".
func (e *Env) Address(t testing.TB, service, containerPort string) string {
	t.Helper()
	host, port := e.HostPort(t, service, containerPort)
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// Value is what a hook stored in the group's Values under name; a missing
// one is a t.Fatal.
func (e *Env) Value(t testing.TB, name string) string {
	t.Helper()
	value, ok := e.Group.Values().Get(name)
	if !ok {
		t.Fatalf("no value %q was stored by the hooks of group %s", name, e.Group.Name())
	}
	return value
}
