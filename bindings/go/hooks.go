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
	"net"
	"strconv"
	"time"
	"unsafe"
)

type hookKind int

const (
	hookPrepare       hookKind = C.DM_GO_PREPARE
	hookPreStart      hookKind = C.DM_GO_PRE_START
	hookPing          hookKind = C.DM_GO_PING
	hookPostStartInit hookKind = C.DM_GO_POST_START_INIT
	hookPreStop       hookKind = C.DM_GO_PRE_STOP
)

var hookNames = map[hookKind]string{
	hookPrepare: "Prepare", hookPreStart: "PreStart", hookPing: "Ping",
	hookPostStartInit: "PostStartInit", hookPreStop: "PreStop",
}

// serviceHooks is what the registry holds for a service with hooks: its
// group and the definition the hooks get copies of.
type serviceHooks struct {
	group *Group
	def   Service
}

// hookCall is what a hook's copy of its service knows about the call.
type hookCall struct {
	info        *C.dm_hook_info
	kind        hookKind
	group       *Group
	client      *Client
	containerID string
	container   string
	groupName   string
	network     string
}

//export dmGoHook
func dmGoHook(kind C.int, info *C.dm_hook_info, id C.uintptr_t) C.int {
	entry, _ := lookup(uintptr(id)).(*serviceHooks)
	if entry == nil {
		setError("drillmaster: the hook's group was closed")
		return failure(hookKind(kind))
	}
	s := entry.def // the hook's own copy
	s.call = &hookCall{
		info:        info,
		kind:        hookKind(kind),
		group:       entry.group,
		containerID: goString(info.container_id),
		container:   goString(info.container_name),
		groupName:   goString(info.group),
		network:     goString(info.network),
	}
	ctx, client := entry.group.operationContext()
	s.call.client = client
	var err error
	ready := false
	r := guard(func() {
		switch hookKind(kind) {
		case hookPing:
			ready, err = s.Ping(ctx, &s)
		case hookPrepare:
			err = s.Prepare(ctx, &s)
		case hookPreStart:
			err = s.PreStart(ctx, &s)
		case hookPostStartInit:
			err = s.PostStartInit(ctx, &s)
		case hookPreStop:
			err = s.PreStop(ctx, &s)
		}
	})
	if r.stopped {
		setError(fmt.Sprintf("%s hook of service '%s' %s", hookNames[hookKind(kind)], s.Name, r))
		return failure(hookKind(kind))
	}
	if err != nil {
		setError(err.Error())
		return failure(hookKind(kind))
	}
	if hookKind(kind) == hookPing {
		if ready {
			return C.DM_PING_READY
		}
		return C.DM_PING_NOT_READY
	}
	return 0
}

// guarded is how user code run by guard ended.
type guarded struct {
	stopped bool // it did not return: it panicked or called runtime.Goexit
	value   any  // what it panicked with
}

func (g guarded) String() string {
	if g.value == nil {
		return "called runtime.Goexit (t.FailNow, t.Fatal, t.SkipNow?) or panicked with nil"
	}
	return "panicked: " + panicText(g.value)
}

// guard runs user code called back from C (a hook, an event or log
// receiver) on a goroutine of its own and waits for it, so that a panic is
// recovered and a runtime.Goexit (what t.FailNow does) ends that goroutine
// only: on the C thread of the callback it would abort the whole process.
func guard(f func()) guarded {
	done := make(chan guarded, 1)
	go func() {
		returned := false
		defer func() {
			if !returned {
				done <- guarded{stopped: true, value: recover()}
			}
		}()
		f()
		returned = true
		done <- guarded{}
	}()
	return <-done
}

// failure is what a hook of that kind returns to fail its service at once.
func failure(kind hookKind) C.int {
	if kind == hookPing {
		return -1 // a negative ping fails at once; 0 would ask again
	}
	return 1
}

func setError(message string) {
	cs := cString(message)
	defer C.free(unsafe.Pointer(cs))
	C.dm_error_set(cs)
}

// ContainerID is the id of the service's container while a hook runs with
// one (ping, post-start init, pre-stop); "" elsewhere.
func (s *Service) ContainerID() string {
	if s.call == nil {
		return ""
	}
	return s.call.containerID
}

// ContainerName is the container's final name, <group>-<service>-1, while
// a hook runs with one; "" elsewhere. A new container still has its setup
// name while it is pinged and initialised: address it by ContainerID then.
func (s *Service) ContainerName() string {
	if s.call == nil {
		return ""
	}
	return s.call.container
}

// GroupName is the name of the service's group, while a hook runs; ""
// elsewhere.
func (s *Service) GroupName() string {
	if s.call == nil {
		return ""
	}
	return s.call.groupName
}

// Network is the group's network, while a hook runs; "" elsewhere.
func (s *Service) Network() string {
	if s.call == nil {
		return ""
	}
	return s.call.network
}

// Values is the store of the service's group (Group.Values), while a hook
// runs; nil elsewhere.
func (s *Service) Values() *Values {
	if s.call == nil {
		return nil
	}
	return s.call.group.values
}

var errNotInHook = &Error{Status: StatusInvalid,
	Message: "drillmaster: this works only on the Service a hook gets, while it runs"}

// HostPort is where this process connects to the service's containerPort
// ("5432", "53/udp") as the engine published it, from a hook with a
// container (Ping, PostStartInit, PreStop).
func (s *Service) HostPort(ctx context.Context, containerPort string) (string, int, error) {
	if s.call == nil || s.call.containerID == "" || s.call.client == nil {
		return "", 0, errNotInHook
	}
	return s.call.client.HostPort(ctx, s.call.containerID, containerPort)
}

// Address is HostPort as "host:port", ready for net.Dial.
func (s *Service) Address(ctx context.Context, containerPort string) (string, error) {
	host, port, err := s.HostPort(ctx, containerPort)
	if err != nil {
		return "", err
	}
	return net.JoinHostPort(host, strconv.Itoa(port)), nil
}

// SetEnv sets an environment value of the container, from Prepare: a value
// known only once the dependencies are ready (one a dependency's
// PostStartInit put in the group's Values, say).
func (s *Service) SetEnv(name, value string) error {
	if s.call == nil || s.call.kind != hookPrepare || s.call.info.definition == nil {
		return &Error{Status: StatusInvalid,
			Message: fmt.Sprintf("drillmaster: SetEnv(%q) on service '%s' works only in its Prepare hook", name, s.Name)}
	}
	definition := s.call.info.definition
	return call(func() C.int {
		return withPair(name, value, func(k, v *C.char) C.int { return C.dm_service_set_env(definition, k, v) })
	})
}

// Exec runs argv in the service's container from a hook with a container
// and waits for its end: a non-zero exit code is no error (read
// ExecResult.ExitCode). ctx's deadline bounds the command (ErrTimeout past
// it); the operation's cancel or end stops the wait (ErrCancelled).
func (s *Service) Exec(ctx context.Context, argv ...string) (*ExecResult, error) {
	if s.call == nil || s.call.containerID == "" {
		return nil, errNotInHook
	}
	info := s.call.info
	return runExec(ctx, func(array **C.char, n C.size_t, opts *C.dm_exec_options, out **C.dm_exec_result) C.int {
		return C.dm_hook_exec(info, array, n, opts, out)
	}, argv)
}

// ExecResult is what a command that ran to its end gave.
type ExecResult struct {
	ExitCode int
	Stdout   []byte
	Stderr   []byte
}

// runExec runs one exec call, bounded by ctx's deadline.
func runExec(ctx context.Context,
	run func(**C.char, C.size_t, *C.dm_exec_options, **C.dm_exec_result) C.int,
	argv []string) (*ExecResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	array, n, free := cStrings(argv)
	defer free()
	opts := (*C.dm_exec_options)(C.calloc(1, C.sizeof_dm_exec_options))
	defer C.free(unsafe.Pointer(opts))
	if err := call(func() C.int { return C.dm_exec_options_init(opts, C.DM_EXEC_OPTIONS_VERSION) }); err != nil {
		return nil, err
	}
	if deadline, ok := ctx.Deadline(); ok {
		left := time.Until(deadline).Seconds()
		if left < 0.001 {
			left = 0.001 // 0 would mean no limit
		}
		opts.timeout = C.double(left)
	}
	var result *C.dm_exec_result
	if err := call(func() C.int { return run(array, n, opts, &result) }); err != nil {
		if e, ok := err.(*Error); ok && ctx.Err() != nil {
			e.cause = ctx.Err()
		}
		return nil, err
	}
	defer C.dm_exec_result_free(result)
	out := &ExecResult{ExitCode: int(C.dm_exec_result_exit_code(result))}
	var size C.size_t
	if p := C.dm_exec_result_stdout(result, &size); p != nil {
		out.Stdout = C.GoBytes(unsafe.Pointer(p), C.int(size))
	}
	if p := C.dm_exec_result_stderr(result, &size); p != nil {
		out.Stderr = C.GoBytes(unsafe.Pointer(p), C.int(size))
	}
	return out, nil
}
