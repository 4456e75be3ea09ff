package drillmaster

/*
#include <stdlib.h>
#include <drillmaster/drillmaster.h>
#include "callbacks.h"
*/
import "C"

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"time"
	"unsafe"
)

// Every operation takes a context: cancelling it (or its deadline) cancels
// the operation through dm_group_cancel(), as Ctrl-C does on the command
// line. Steps under way finish or time out, nothing new starts, and the
// operation returns an *Error matching ErrCancelled and the context's error,
// with the Result of what was done.
//
// Zero values of the options are the library's defaults
// (dm_*_options_init): only what a field sets differs from them.

// Event is one step of an operation's progress.
type Event struct {
	Service string // "" for the group itself (its network)
	Phase   string // "building", "creating", "pinging", "running", "failed"...
	Message string
	Time    time.Time
}

// StartOptions are the options of Group.Start.
type StartOptions struct {
	Only         []string      // these services and what they depend on; none: all
	Exclude      []string      // services to leave out
	Profiles     []string      // enabled profiles
	Timeout      time.Duration // for each service to be ready; 0: 300 s
	RunNew       bool          // never reuse a container
	Build        bool          // rebuild images that have a build context
	Parallelism  int           // services worked on at once; 0: all
	StopTimeout  time.Duration // grace period of a container the start replaces; 0: 10 s
	RemoveOnExit bool          // remove the group once this process exits, even by kill -9
	OnEvent      func(Event)   // progress; called from one goroutine at a time
}

// StopOptions are the options of Group.Stop.
type StopOptions struct {
	Exclude []string // services that keep running
	Remove  bool     // remove the containers, then the network
	// The grace period between the stop signal and SIGKILL; 0: 10 s;
	// Immediately kills at once.
	GracePeriod time.Duration
	OnEvent     func(Event)
}

// ReloadOptions are the options of Group.Reload.
type ReloadOptions struct {
	Timeout        time.Duration // readiness, as for Start; 0: 300 s
	Remove         bool          // remove the old containers
	GracePeriod    time.Duration // of the containers stopped; 0: 10 s; Immediately
	RunNew         bool          // new containers for the dependants restarted
	KeepDependants bool          // leave the dependants running, untouched
	OnEvent        func(Event)
}

// Immediately is a grace period of none: the containers are killed at once.
const Immediately time.Duration = -1

// ServiceResult is what an operation did to one service.
type ServiceResult struct {
	Service     string
	Outcome     string // "started", "already running", "failed", "skipped", "stopped"...
	Reason      string // why it failed or was skipped
	ContainerID string
	Duration    time.Duration
}

// Failed reports whether the service failed or was skipped for a failure.
func (r ServiceResult) Failed() bool { return r.Outcome == "failed" || r.Outcome == "skipped" }

// Result is what an operation did, one entry per service in definition
// order.
type Result struct {
	Services  []ServiceResult
	Cancelled bool
}

// Service is the entry of that service, or nil.
func (r *Result) Service(name string) *ServiceResult {
	if r == nil {
		return nil
	}
	for i := range r.Services {
		if r.Services[i].Service == name {
			return &r.Services[i]
		}
	}
	return nil
}

// Failures are the entries of the services that failed or were skipped.
func (r *Result) Failures() []ServiceResult {
	var out []ServiceResult
	if r != nil {
		for _, s := range r.Services {
			if s.Failed() {
				out = append(out, s)
			}
		}
	}
	return out
}

func convertResult(c *C.dm_result) *Result {
	if c == nil {
		return nil
	}
	r := &Result{Cancelled: C.dm_result_cancelled(c) != 0}
	n := C.dm_result_count(c)
	for i := C.size_t(0); i < n; i++ {
		r.Services = append(r.Services, ServiceResult{
			Service:     goString(C.dm_result_service(c, i)),
			Outcome:     goString(C.dm_outcome_name(C.dm_result_outcome(c, i))),
			Reason:      goString(C.dm_result_reason(c, i)),
			ContainerID: goString(C.dm_result_container_id(c, i)),
			Duration:    time.Duration(float64(C.dm_result_seconds(c, i)) * float64(time.Second)),
		})
	}
	return r
}

// operationError is the error of an operation that returned status with
// result: the library's message, or, when some services failed, one line
// per failure naming the service and the reason.
func operationError(ctx context.Context, what string, status C.int, message string, result *Result) error {
	if status == C.DM_OK {
		return nil
	}
	if message == "" && result != nil {
		var lines []string
		for _, f := range result.Failures() {
			lines = append(lines, fmt.Sprintf("  %s: %s: %s", f.Service, f.Outcome, f.Reason))
		}
		message = fmt.Sprintf("drillmaster: %s of group failed:\n%s", what, strings.Join(lines, "\n"))
		if status == C.DM_ECANCELLED {
			message = fmt.Sprintf("drillmaster: %s was cancelled", what)
		}
	}
	e := &Error{Status: Status(status), Message: message, Result: result}
	if ctx.Err() != nil {
		e.cause = ctx.Err()
	}
	return e
}

// events registers an event receiver for the length of an operation; the
// returned function releases it.
func events(fn func(Event), on *C.dm_event_fn, data *unsafe.Pointer) func() {
	if fn == nil {
		return func() {}
	}
	id := register(fn)
	C.dm_go_set_events(on, data, C.uintptr_t(id))
	return func() { release(id) }
}

//export dmGoEvent
func dmGoEvent(event *C.dm_event, id C.uintptr_t) {
	fn, _ := lookup(uintptr(id)).(func(Event))
	if fn == nil {
		return
	}
	sec := float64(event.timestamp)
	e := Event{
		Service: goString(event.service),
		Phase:   goString(C.dm_phase_name(event.phase)),
		Message: goString(event.message),
		Time:    time.Unix(0, int64(sec*1e9)),
	}
	guard(func() { fn(e) }) // a receiver's panic or Goexit must not take the process down
}

// setSeconds writes a duration in seconds into an options field, whose
// zero Go value means "the library's default" (the field is left as
// dm_*_options_init filled it) and a negative one (Immediately) 0 s.
func setSeconds(field *C.double, d time.Duration) {
	switch {
	case d < 0:
		*field = 0
	case d > 0:
		*field = C.double(d.Seconds())
	}
}

// setFlag turns an options switch on; false leaves the library's default.
func setFlag(field *C.int, on bool) {
	if on {
		*field = 1
	}
}

// runOperation runs one operation with its C options struct already filled:
// it locks the group, watches ctx, and turns the status and result into Go
// values.
func (g *Group) runOperation(ctx context.Context, what string,
	run func(group *C.dm_group, client *C.dm_client, out **C.dm_result) C.int) (*Result, error) {
	group, client, end, err := g.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer end()
	var cresult *C.dm_result
	var status C.int
	var message string
	func() {
		runtime.LockOSThread() // dm_error_last() is the calling thread's
		defer runtime.UnlockOSThread()
		status = run(group, client, &cresult)
		if status != C.DM_OK {
			message = goString(C.dm_error_last())
		}
	}()
	defer C.dm_result_free(cresult)
	result := convertResult(cresult)
	if status == C.DM_EFAILED || status == C.DM_ECANCELLED {
		message = "" // the result says it service by service
	}
	return result, operationError(ctx, what, status, message, result)
}

// Start brings the group up: builds or pulls what is missing, then starts
// each service as soon as its dependencies are ready, in parallel, running
// its hooks. A running container with the same definition is left alone.
// Services that fail make the error match ErrFailed; its Result, also
// returned, says which and why.
func (g *Group) Start(ctx context.Context, opts StartOptions) (*Result, error) {
	copts := (*C.dm_start_options)(C.calloc(1, C.sizeof_dm_start_options))
	defer C.free(unsafe.Pointer(copts))
	if err := call(func() C.int { return C.dm_start_options_init(copts, C.DM_START_OPTIONS_VERSION) }); err != nil {
		return nil, err
	}
	only, onlyN, freeOnly := cStrings(opts.Only)
	defer freeOnly()
	exclude, excludeN, freeExclude := cStrings(opts.Exclude)
	defer freeExclude()
	profiles, profilesN, freeProfiles := cStrings(opts.Profiles)
	defer freeProfiles()
	copts.only, copts.only_count = only, onlyN
	copts.exclude, copts.exclude_count = exclude, excludeN
	copts.profiles, copts.profiles_count = profiles, profilesN
	setSeconds(&copts.timeout, opts.Timeout)
	setSeconds(&copts.stop_timeout, opts.StopTimeout)
	setFlag(&copts.run_new_containers, opts.RunNew)
	setFlag(&copts.build, opts.Build)
	setFlag(&copts.remove_on_exit, opts.RemoveOnExit)
	if opts.Parallelism > 0 {
		copts.parallelism = C.uint(opts.Parallelism)
	}
	copts.target = g.target
	defer setRegistry(&copts.registry, g.registry)()
	defer events(opts.OnEvent, &copts.on_event, &copts.event_user_data)()
	return g.runOperation(ctx, "start", func(group *C.dm_group, client *C.dm_client, out **C.dm_result) C.int {
		return C.dm_group_start(out, group, client, copts)
	})
}

// setRegistry points field at a C copy of registry (NULL for ""); the
// returned function frees it once the operation is over.
func setRegistry(field **C.char, registry string) func() {
	if registry == "" {
		return func() {}
	}
	c := cString(registry)
	*field = c
	return func() { C.free(unsafe.Pointer(c)) }
}

// Stop stops the group, dependants first. Stopping a group that is not
// running is no error.
func (g *Group) Stop(ctx context.Context, opts StopOptions) (*Result, error) {
	copts := (*C.dm_stop_options)(C.calloc(1, C.sizeof_dm_stop_options))
	defer C.free(unsafe.Pointer(copts))
	if err := call(func() C.int { return C.dm_stop_options_init(copts, C.DM_STOP_OPTIONS_VERSION) }); err != nil {
		return nil, err
	}
	exclude, excludeN, freeExclude := cStrings(opts.Exclude)
	defer freeExclude()
	copts.exclude, copts.exclude_count = exclude, excludeN
	setSeconds(&copts.timeout, opts.GracePeriod)
	setFlag(&copts.remove, opts.Remove)
	copts.target = g.target
	defer events(opts.OnEvent, &copts.on_event, &copts.event_user_data)()
	return g.runOperation(ctx, "stop", func(group *C.dm_group, client *C.dm_client, out **C.dm_result) C.int {
		return C.dm_group_stop(out, group, client, copts)
	})
}

// Reload rebuilds service's image, stops it and its dependants, recreates
// it and starts the dependants again.
func (g *Group) Reload(ctx context.Context, service string, opts ReloadOptions) (*Result, error) {
	copts := (*C.dm_reload_options)(C.calloc(1, C.sizeof_dm_reload_options))
	defer C.free(unsafe.Pointer(copts))
	if err := call(func() C.int { return C.dm_reload_options_init(copts, C.DM_RELOAD_OPTIONS_VERSION) }); err != nil {
		return nil, err
	}
	setSeconds(&copts.timeout, opts.Timeout)
	setSeconds(&copts.stop_timeout, opts.GracePeriod)
	setFlag(&copts.remove, opts.Remove)
	setFlag(&copts.run_new_containers, opts.RunNew)
	setFlag(&copts.keep_dependants, opts.KeepDependants)
	copts.target = g.target
	defer setRegistry(&copts.registry, g.registry)()
	cservice := cString(service)
	defer C.free(unsafe.Pointer(cservice))
	defer events(opts.OnEvent, &copts.on_event, &copts.event_user_data)()
	return g.runOperation(ctx, "reload", func(group *C.dm_group, client *C.dm_client, out **C.dm_result) C.int {
		return C.dm_group_reload(out, group, client, cservice, copts)
	})
}

// Exec runs argv in service's running container and waits for its end; a
// non-zero exit code is no error (ExecResult.ExitCode). It runs as an
// operation of the group, so not from a hook: use Service.Exec there.
func (g *Group) Exec(ctx context.Context, service string, argv ...string) (*ExecResult, error) {
	group, client, end, err := g.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer end()
	cservice := cString(service)
	defer C.free(unsafe.Pointer(cservice))
	result, err := runExec(ctx, func(array **C.char, n C.size_t, opts *C.dm_exec_options, out **C.dm_exec_result) C.int {
		return C.dm_group_exec(group, client, cservice, array, n, opts, out)
	}, argv)
	if e, ok := err.(*Error); ok && ctx.Err() != nil {
		e.cause = ctx.Err()
		if ctx.Err() == context.DeadlineExceeded && e.Status == StatusCancelled {
			// The deadline reached the group's cancel before the exec's own
			// timeout, set to the same moment: it is the command's timeout.
			e.Status = StatusTimeout
		}
	}
	return result, err
}
