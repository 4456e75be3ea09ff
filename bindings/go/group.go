package drillmaster

/*
#include <stdlib.h>
#include <drillmaster/drillmaster.h>
*/
import "C"

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"
	"unsafe"
)

// Group is a set of services on one private network, and what can be done
// with it: Start, Stop, Reload, Status, Logs, Exec. Operations on one group
// run one at a time (a second waits for the first); different groups are
// independent. Close it when done.
type Group struct {
	c      *C.dm_group
	name   string
	client *Client // nil: the environment's, opened on first use
	target C.int   // a dm_target: where every operation runs the services
	// registry: where Start and Reload push the images they build, on the
	// swarm target; "": nowhere.
	registry string
	values   *Values

	mu      sync.Mutex // serialises operations and definitions; guards c
	hookIDs []uintptr

	info     sync.Mutex // guards what may be read during an operation
	services []string
	defs     []Service // the definitions, for the group's readers (logs)
	network  string
	closed   bool
}

// operation is what the hooks of an operation in progress share.
type operation struct {
	ctx    context.Context
	client *Client
}

// Option configures a group made by NewGroup.
type Option func(*Group) error

// WithClient makes the group talk to that engine instead of the one the
// environment names (DOCKER_HOST, the docker context...).
func WithClient(c *Client) Option {
	return func(g *Group) error { g.client = c; return nil }
}

// WithDirectory sets the directory that relative build contexts, volumes,
// env files and secrets start from (default: the current directory).
func WithDirectory(dir string) Option {
	return func(g *Group) error {
		return call(func() C.int {
			return withString(dir, func(c *C.char) C.int { return C.dm_group_set_directory(g.c, c) })
		})
	}
}

// WithNetwork names the group's network (default "drillmaster-<name>").
func WithNetwork(name string) Option {
	return func(g *Group) error {
		return call(func() C.int {
			return withString(name, func(c *C.char) C.int { return C.dm_group_set_network_name(g.c, c) })
		})
	}
}

// Target is where a group's services run (dm_target).
type Target int

const (
	// Local: containers of the engine itself (the default).
	Local Target = C.DM_TARGET_LOCAL
	// Swarm: services of the Docker Swarm the engine manages, one swarm
	// service each on an attachable overlay network, ports published in
	// mode=host; the hooks still run in this process. README.md, "Swarm",
	// has the mapping and what a swarm target does not do yet. Every
	// operation of the group fails with ErrUnreachable, before it makes
	// anything, when the engine is not the manager of an active swarm.
	Swarm Target = C.DM_TARGET_SWARM
)

// WithTarget makes every operation of the group run its services on that
// target (the target field of each operation's options).
func WithTarget(t Target) Option {
	return func(g *Group) error { g.target = C.int(t); return nil }
}

// WithRegistry makes Start and Reload on the Swarm target push each image
// they build to that registry, given as host[:port] and an optional path
// ("127.0.0.1:5000/myteam"; no scheme, no tag), as
// "<registry>/<group>_<service>:<the image id's first 12 hex digits>", and
// run the services' tasks from there, so every node of the swarm can pull
// it. Images a service names without building them are left as written.
// The library checks the value when an operation begins: a bad one, or a
// registry with the Local target, fails it with ErrInvalid before anything
// is made. README.md, "Swarm", says more.
func WithRegistry(registry string) Option {
	return func(g *Group) error { g.registry = registry; return nil }
}

// NewGroup makes an empty group. The name (a Docker name of at most 63
// characters) labels everything drillmaster makes for the group, and is what
// finds it again: a program run twice with the same name works on the same
// containers.
func NewGroup(name string, opts ...Option) (*Group, error) {
	g := &Group{name: name, values: &Values{}}
	if err := call(func() C.int {
		return withString(name, func(c *C.char) C.int { return C.dm_group_new(&g.c, c) })
	}); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(g, (*Group).Close)
	for _, opt := range opts {
		if err := opt(g); err != nil {
			g.Close()
			return nil, err
		}
	}
	g.network = goString(C.dm_group_network_name(g.c))
	return g, nil
}

// Name is the group's name.
func (g *Group) Name() string { return g.name }

// Network is the name of the group's network.
func (g *Group) Network() string { return g.network }

// Values is the group's store for values made at start time: a hook puts a
// generated password there, another service's Prepare reads it and sets it
// in its env, a test reads it. It lives in this process only.
func (g *Group) Values() *Values { return g.values }

// Add defines services in the group. Each one's values are checked on their
// own first (ErrInvalid naming the service, the field and the value), and a
// service that fails the check is not added; what needs the whole group
// (dependencies, cycles) is checked by Validate and by every operation.
func (g *Group) Add(services ...*Service) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.c == nil {
		return errClosed
	}
	for _, s := range services {
		if s == nil {
			return &Error{Status: StatusInvalid, Message: "drillmaster: Add was given a nil *Service"}
		}
		def := *s
		def.call = nil
		// Checked in a scratch group first: the C group cannot take back a
		// service, and a failed Add must leave the group as it was.
		if err := checkAlone(&def); err != nil {
			return err
		}
		id := uintptr(0)
		for _, on := range def.hooks() {
			if on {
				id = register(&serviceHooks{group: g, def: def})
				g.hookIDs = append(g.hookIDs, id)
				break
			}
		}
		if err := def.define(g.c, id); err != nil {
			return err
		}
		g.info.Lock()
		g.services = append(g.services, def.Name)
		g.defs = append(g.defs, def)
		g.info.Unlock()
	}
	return nil
}

// checkAlone defines the service in a group of its own and checks it there.
func checkAlone(s *Service) error {
	var scratch *C.dm_group
	name := cString("drillmaster-check")
	defer C.free(unsafe.Pointer(name))
	if err := call(func() C.int { return C.dm_group_new(&scratch, name) }); err != nil {
		return err
	}
	defer C.dm_group_free(scratch)
	return s.define(scratch, 0)
}

// Services are the names of the services, in the order they were added.
func (g *Group) Services() []string {
	g.info.Lock()
	defer g.info.Unlock()
	return append([]string(nil), g.services...)
}

// Validate checks every definition and the dependency graph without
// touching the engine: ErrInvalid with every problem, one per line.
func (g *Group) Validate() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.c == nil {
		return errClosed
	}
	return call(func() C.int { return C.dm_group_validate(g.c, nil, 0) })
}

// GraphFormat is a text format of Graph.
type GraphFormat int

const (
	Mermaid GraphFormat = C.DM_GRAPH_MERMAID
	DOT     GraphFormat = C.DM_GRAPH_DOT
)

// Graph is the dependency graph as Mermaid or Graphviz DOT text, an arrow
// reading "depends on". It needs no engine.
func (g *Group) Graph(format GraphFormat) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.c == nil {
		return "", errClosed
	}
	opts := (*C.dm_graph_options)(C.calloc(1, C.sizeof_dm_graph_options))
	defer C.free(unsafe.Pointer(opts))
	var text *C.char
	err := call(func() C.int {
		if rc := C.dm_graph_options_init(opts, C.DM_GRAPH_OPTIONS_VERSION); rc != C.DM_OK {
			return rc
		}
		opts.format = C.int(format)
		return C.dm_group_graph(&text, g.c, opts)
	})
	if err != nil {
		return "", err
	}
	defer C.dm_free(unsafe.Pointer(text))
	return C.GoString(text), nil
}

// KeepOnExit cancels the removal on exit that a Start with RemoveOnExit
// registered for the group's name in this process: its containers stay when
// the process exits. A Stop with Remove of the whole group ends it too.
func (g *Group) KeepOnExit() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.c == nil {
		return errClosed
	}
	return call(func() C.int { return C.dm_group_keep_on_exit(g.c) })
}

// Close frees the group. Hooks of an operation abandoned past their deadline
// that return later find their group gone and fail quietly. Closing twice is
// a no-op.
func (g *Group) Close() error {
	if g == nil {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.c == nil {
		return nil
	}
	runtime.SetFinalizer(g, nil)
	C.dm_group_free(g.c)
	g.c = nil
	g.info.Lock()
	g.closed = true
	g.info.Unlock()
	for _, id := range g.hookIDs {
		release(id)
	}
	g.hookIDs = nil
	return nil
}

// resolveClient is the group's client, WithClient's or else the
// environment's, and its C handle.
func (g *Group) resolveClient() (*Client, *C.dm_client, error) {
	client := g.client
	if client == nil {
		var err error
		if client, err = environmentClient(); err != nil {
			return nil, nil, err
		}
	}
	c, err := client.handle()
	return client, c, err
}

// notBegun is the error of an operation whose context ended before it
// began: it matches ErrCancelled and the context's error.
func (g *Group) notBegun(err error) error {
	return &Error{Status: StatusCancelled, cause: err,
		Message: "drillmaster: the operation on group '" + g.name + "' was not begun: " + err.Error()}
}

// beginReader gives an operation that only reads what the engine has (logs)
// a C group of its own with the same name and services, and no hooks: it
// runs beside this process's operations on the group instead of waiting
// for them, and its cancel (ctx's end) cancels it alone. The returned
// function ends it and frees that group.
func (g *Group) beginReader(ctx context.Context) (*C.dm_group, *C.dm_client, func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, g.notBegun(err)
	}
	_, client, err := g.resolveClient()
	if err != nil {
		return nil, nil, nil, err
	}
	g.info.Lock()
	defs, closed := append([]Service(nil), g.defs...), g.closed
	g.info.Unlock()
	if closed {
		return nil, nil, nil, errClosed
	}
	var reader *C.dm_group
	err = call(func() C.int {
		return withPair(g.name, g.network, func(name, network *C.char) C.int {
			if rc := C.dm_group_new(&reader, name); rc != C.DM_OK {
				return rc
			}
			return C.dm_group_set_network_name(reader, network)
		})
	})
	for i := 0; err == nil && i < len(defs); i++ {
		def := defs[i]
		def.Prepare, def.PreStart, def.Ping, def.PostStartInit, def.PreStop = nil, nil, nil, nil, nil
		err = def.define(reader, 0)
	}
	if err != nil {
		C.dm_group_free(reader) // NULL is a no-op
		return nil, nil, nil, err
	}
	stopWatch := watchCancel(ctx, reader)
	return reader, client, func() {
		stopWatch()
		C.dm_group_free(reader)
	}, nil
}

// begin takes the group for an operation: it locks the group (operations
// run one at a time), resolves the client, publishes the context the
// operation's hooks get, and turns the end of ctx into dm_group_cancel().
// The returned function ends it.
func (g *Group) begin(ctx context.Context) (*C.dm_group, *C.dm_client, func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, g.notBegun(err)
	}
	g.mu.Lock()
	if g.c == nil {
		g.mu.Unlock()
		return nil, nil, nil, errClosed
	}
	client, cclient, err := g.resolveClient()
	if err != nil {
		g.mu.Unlock()
		return nil, nil, nil, err
	}
	// The hooks' context ends with the operation: a hook abandoned past its
	// deadline learns that it is no longer wanted.
	opCtx, cancel := context.WithCancel(ctx)
	g.setOperation(&operation{ctx: opCtx, client: client})
	stopWatch := watchCancel(ctx, g.c)
	return g.c, cclient, func() {
		stopWatch()
		g.setOperation(nil)
		cancel()
		g.mu.Unlock()
	}, nil
}

// watchCancel cancels the group's operation once ctx ends, until the
// returned function is called; that function returns only once the watch
// has ended, so the group is never touched after the operation. The cancel
// is sent again every 50 ms: an operation clears a cancel that arrives
// before it has begun.
func watchCancel(ctx context.Context, group *C.dm_group) func() {
	done := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		select {
		case <-done:
			return
		case <-ctx.Done():
		}
		ticker := time.NewTicker(50 * time.Millisecond)
		defer ticker.Stop()
		for {
			C.dm_group_cancel(group)
			select {
			case <-done:
				return
			case <-ticker.C:
			}
		}
	}()
	return func() {
		close(done)
		<-ended
	}
}

// The operation in progress is read by hooks on other threads while g.mu
// is held by the operation itself, so it has a lock of its own.
var operations sync.Map // *Group -> *operation

func (g *Group) setOperation(op *operation) {
	if op == nil {
		operations.Delete(g)
	} else {
		operations.Store(g, op)
	}
}

// operationContext is the context and client of the group's operation in
// progress; a hook called after it ended gets a cancelled context.
func (g *Group) operationContext() (context.Context, *Client) {
	if op, ok := operations.Load(g); ok {
		o := op.(*operation)
		return o.ctx, o.client
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx, g.client
}

func (g *Group) String() string { return fmt.Sprintf("drillmaster.Group(%s)", g.name) }

// Values is a concurrency-safe store of named values (Group.Values).
type Values struct {
	m sync.Map
}

// Set stores a value.
func (v *Values) Set(name, value string) { v.m.Store(name, value) }

// Get is the value stored under name, and whether there is one.
func (v *Values) Get(name string) (string, bool) {
	value, ok := v.m.Load(name)
	if !ok {
		return "", false
	}
	return value.(string), true
}
