package drillmaster

/*
#include <stdlib.h>
#include <drillmaster/drillmaster.h>
#include "callbacks.h"
*/
import "C"

import (
	"context"
	"math"
	"sort"
	"time"
	"unsafe"
)

// Service is one service's definition: a container, what it needs, and the
// hooks that run in this process. Fill it as a struct literal and add it to
// a group with Group.Add; the group keeps a copy, so changing the struct
// afterwards changes nothing.
//
// Each field is a field of the C API's dm_service (service.h says what it
// means, and Compose's name for it); the zero value of each is the
// library's default. Values are checked when the service is added: a bad one
// is an ErrInvalid naming the service, the field and the value.
type Service struct {
	Name  string // a DNS label, unique in its group
	Image string // the image to run; the tag a built image gets

	BuildFrom   string            // a build context (relative: to the group's directory)
	Dockerfile  string            // in the context; "": "Dockerfile"
	BuildArgs   map[string]string // Dockerfile ARGs
	BuildTarget string            // the stage of a multi-stage Dockerfile

	Dependencies []string // services that must be ready before this one starts

	// Ports in Compose's short syntax, host before container:
	// "5432" (a free host port, see Service.HostPort), "5433:5432",
	// "127.0.0.1:5433:5432", "53:53/udp", "8000-8002:8000-8002"; or the
	// long form "published=8080,target=80,mode=host", whose mode says how a
	// swarm publishes it (the routing mesh when it says none).
	Ports      []string
	Env        map[string]string
	EnvFiles   []string
	Volumes    []string // Docker's short form: "host:container[:ro]", "name:container"
	Tmpfs      []string // "/run", "/tmp:size=64m"
	Secrets    map[string]string
	Entrypoint []string
	Cmd        []string
	User       string
	WorkingDir string
	Hostname   string
	Aliases    []string
	Labels     map[string]string
	ExtraHosts map[string]string // host name: address (or "host-gateway")
	Profiles   []string

	StopSignal      string        // "SIGTERM" by default
	StopGracePeriod time.Duration // wins over the stop options'; Immediately: none
	Timeout         time.Duration // to be ready; 0: the start options'
	AlwaysStartNew  bool          // never reuse a container
	Oneshot         bool          // a job: ready when it exits with 0
	Restart         string        // "no", "always", "unless-stopped", "on-failure[:N]"
	Healthcheck     *Healthcheck
	ReadOnly        bool
	Init            bool
	Privileged      bool
	CapAdd          []string
	CapDrop         []string
	ShmSize         string // "64m"
	MemLimit        string // "1g"
	CPUs            float64
	Ulimits         map[string]Ulimit
	// More of the engine's create request, as a JSON object merged into it:
	// `{"HostConfig": {"OomScoreAdj": 100}}`.
	CreateOptions string
	// Copies run at once, 1 to 1000; 0: the library's default, 1. More
	// than 1 runs on a swarm target only (WithTarget(Swarm)): the swarm
	// service is scaled to that many tasks, ready when all of them run.
	Replicas int

	// Hooks. Each runs in this process on a goroutine of its own, gets the
	// operation's context (cancelled when the operation is cancelled or
	// ends) and s, a copy of this definition that also knows the running
	// container (s.ContainerID, s.HostPort, s.Exec). A returned error fails
	// the service with its text; so does a panic, with the panic's value.

	// Prepare runs once the dependencies are ready, before anything is
	// decided about the container: s.SetEnv fills in values known only now.
	Prepare func(ctx context.Context, s *Service) error
	// PreStart runs before a new container is created.
	PreStart func(ctx context.Context, s *Service) error
	// Ping is polled once the container runs, every 0.1 s, until it says
	// true. Return false, nil to be asked again; an error fails the service
	// at once.
	Ping func(ctx context.Context, s *Service) (bool, error)
	// PostStartInit runs once after a new container's first successful
	// ping: schemas, fixtures.
	PostStartInit func(ctx context.Context, s *Service) error
	// PreStop runs before the running container is stopped; a failure is
	// reported as an event and the stop goes on.
	PreStop func(ctx context.Context, s *Service) error

	call *hookCall // set only on the copy a hook gets
}

// Healthcheck is the container's health check (Compose's healthcheck). Test
// is {"CMD", program, args...}, {"CMD-SHELL", "command"} or {"NONE"}; a zero
// duration or Retries keeps the image's value, else the engine's default.
type Healthcheck struct {
	Test        []string
	Interval    time.Duration
	Timeout     time.Duration
	Retries     int
	StartPeriod time.Duration
}

// Ulimit is a soft and a hard limit; -1 is unlimited.
type Ulimit struct {
	Soft, Hard int64
}

// setter applies one value to a dm_service; it returns the C status.
type setter func(svc *C.dm_service) C.int

// withString calls set with a C copy of s.
func withString(s string, set func(*C.char) C.int) C.int {
	cs := cString(s)
	defer C.free(unsafe.Pointer(cs))
	return set(cs)
}

func withPair(a, b string, set func(*C.char, *C.char) C.int) C.int {
	ca, cb := cString(a), cString(b)
	defer C.free(unsafe.Pointer(ca))
	defer C.free(unsafe.Pointer(cb))
	return set(ca, cb)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// setters lists what the definition sets, field by field, in a fixed order
// (maps by key), so the same struct always gives the same definition and the
// same definition hash. Fields left at their zero value set nothing: the
// library's defaults are the only defaults.
func (s *Service) setters() []setter {
	var l setterList
	s.buildSetters(&l)
	s.containerSetters(&l)
	s.lifecycleSetters(&l)
	s.resourceSetters(&l)
	return l
}

func (s *Service) buildSetters(l *setterList) {
	if s.BuildFrom != "" || s.Dockerfile != "" {
		context, dockerfile := s.BuildFrom, s.Dockerfile
		l.add(func(svc *C.dm_service) C.int {
			cctx := cString(context)
			defer C.free(unsafe.Pointer(cctx))
			var cfile *C.char
			if dockerfile != "" {
				cfile = cString(dockerfile)
				defer C.free(unsafe.Pointer(cfile))
			}
			return C.dm_service_set_build(svc, cctx, cfile)
		})
	}
	l.pairs(s.BuildArgs, func(svc *C.dm_service, k, v *C.char) C.int { return C.dm_service_set_build_arg(svc, k, v) })
	l.str(s.BuildTarget, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_set_build_target(svc, v) })
}

func (s *Service) containerSetters(l *setterList) {
	l.each(s.Dependencies, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_add_dependency(svc, v) })
	l.each(s.Ports, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_add_port_spec(svc, v) })
	l.pairs(s.Env, func(svc *C.dm_service, k, v *C.char) C.int { return C.dm_service_set_env(svc, k, v) })
	l.each(s.EnvFiles, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_add_env_file(svc, v) })
	l.each(s.Volumes, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_add_volume(svc, v) })
	l.each(s.Tmpfs, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_add_tmpfs(svc, v) })
	l.pairs(s.Secrets, func(svc *C.dm_service, k, v *C.char) C.int { return C.dm_service_add_secret(svc, k, v) })
	l.argv(s.Entrypoint, func(svc *C.dm_service, a **C.char, n C.size_t) C.int { return C.dm_service_set_entrypoint(svc, a, n) })
	l.argv(s.Cmd, func(svc *C.dm_service, a **C.char, n C.size_t) C.int { return C.dm_service_set_cmd(svc, a, n) })
	l.str(s.User, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_set_user(svc, v) })
	l.str(s.WorkingDir, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_set_working_dir(svc, v) })
	l.str(s.Hostname, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_set_hostname(svc, v) })
	l.each(s.Aliases, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_add_alias(svc, v) })
	l.pairs(s.Labels, func(svc *C.dm_service, k, v *C.char) C.int { return C.dm_service_set_label(svc, k, v) })
	l.pairs(s.ExtraHosts, func(svc *C.dm_service, k, v *C.char) C.int { return C.dm_service_add_extra_host(svc, k, v) })
	l.each(s.Profiles, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_add_profile(svc, v) })
	l.str(s.CreateOptions, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_set_create_options(svc, v) })
}

func (s *Service) lifecycleSetters(l *setterList) {
	l.str(s.StopSignal, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_set_stop_signal(svc, v) })
	l.seconds(s.StopGracePeriod, func(svc *C.dm_service, v C.double) C.int { return C.dm_service_set_stop_grace_period(svc, v) })
	l.seconds(s.Timeout, func(svc *C.dm_service, v C.double) C.int { return C.dm_service_set_timeout(svc, v) })
	l.flag(s.AlwaysStartNew, func(svc *C.dm_service, v C.int) C.int { return C.dm_service_set_always_start_new(svc, v) })
	l.flag(s.Oneshot, func(svc *C.dm_service, v C.int) C.int { return C.dm_service_set_oneshot(svc, v) })
	if s.Replicas != 0 {
		replicas := C.int(s.Replicas)
		if s.Replicas > math.MaxInt32 {
			replicas = math.MaxInt32 // out of range either way: validation names it
		}
		l.add(func(svc *C.dm_service) C.int { return C.dm_service_set_replicas(svc, replicas) })
	}
	l.str(s.Restart, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_set_restart(svc, v) })
	if h := s.Healthcheck; h != nil {
		l.add(func(svc *C.dm_service) C.int {
			test, n, free := cStrings(h.Test)
			defer free()
			return C.dm_service_set_healthcheck(svc, test, n, C.double(h.Interval.Seconds()),
				C.double(h.Timeout.Seconds()), C.int(h.Retries), C.double(h.StartPeriod.Seconds()))
		})
	}
}

func (s *Service) resourceSetters(l *setterList) {
	l.flag(s.ReadOnly, func(svc *C.dm_service, v C.int) C.int { return C.dm_service_set_read_only(svc, v) })
	l.flag(s.Init, func(svc *C.dm_service, v C.int) C.int { return C.dm_service_set_init(svc, v) })
	l.flag(s.Privileged, func(svc *C.dm_service, v C.int) C.int { return C.dm_service_set_privileged(svc, v) })
	l.each(s.CapAdd, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_add_cap_add(svc, v) })
	l.each(s.CapDrop, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_add_cap_drop(svc, v) })
	l.str(s.ShmSize, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_set_shm_size(svc, v) })
	l.str(s.MemLimit, func(svc *C.dm_service, v *C.char) C.int { return C.dm_service_set_mem_limit(svc, v) })
	if s.CPUs != 0 {
		cpus := s.CPUs
		l.add(func(svc *C.dm_service) C.int { return C.dm_service_set_cpus(svc, C.double(cpus)) })
	}
	for _, name := range sortedKeys(s.Ulimits) {
		name, limit := name, s.Ulimits[name]
		l.add(func(svc *C.dm_service) C.int {
			return withString(name, func(c *C.char) C.int {
				return C.dm_service_set_ulimit(svc, c, C.longlong(limit.Soft), C.longlong(limit.Hard))
			})
		})
	}
}

// setterList collects setters, with one method per shape of field.
type setterList []setter

func (l *setterList) add(set setter) { *l = append(*l, set) }

// str sets a string field when it is not "".
func (l *setterList) str(value string, set func(*C.dm_service, *C.char) C.int) {
	if value != "" {
		l.add(func(svc *C.dm_service) C.int {
			return withString(value, func(c *C.char) C.int { return set(svc, c) })
		})
	}
}

// each adds every entry of a list field, an empty one too: validation
// names it.
func (l *setterList) each(values []string, add func(*C.dm_service, *C.char) C.int) {
	for _, v := range values {
		v := v
		l.add(func(svc *C.dm_service) C.int {
			return withString(v, func(c *C.char) C.int { return add(svc, c) })
		})
	}
}

// pairs sets every entry of a map field, by key.
func (l *setterList) pairs(m map[string]string, set func(*C.dm_service, *C.char, *C.char) C.int) {
	for _, k := range sortedKeys(m) {
		k, v := k, m[k]
		l.add(func(svc *C.dm_service) C.int {
			return withPair(k, v, func(a, b *C.char) C.int { return set(svc, a, b) })
		})
	}
}

// flag turns a switch on when true.
func (l *setterList) flag(on bool, set func(*C.dm_service, C.int) C.int) {
	if on {
		l.add(func(svc *C.dm_service) C.int { return set(svc, 1) })
	}
}

// argv sets a command line; nil keeps the image's, an empty one is set.
func (l *setterList) argv(args []string, set func(*C.dm_service, **C.char, C.size_t) C.int) {
	if args != nil {
		l.add(func(svc *C.dm_service) C.int {
			array, n, free := cStrings(args)
			defer free()
			return set(svc, array, n)
		})
	}
}

// seconds sets a duration field, in seconds, when it is not 0; a negative
// one (Immediately) is 0 s.
func (l *setterList) seconds(d time.Duration, set func(*C.dm_service, C.double) C.int) {
	if d != 0 {
		var field C.double
		setSeconds(&field, d)
		l.add(func(svc *C.dm_service) C.int { return set(svc, field) })
	}
}

// define adds the service to a C group and sets its fields and its hooks
// (registered as hooksID), then checks the values on their own.
func (s *Service) define(group *C.dm_group, hooksID uintptr) error {
	return call(func() C.int {
		name, image := cString(s.Name), cString(s.Image)
		defer C.free(unsafe.Pointer(name))
		defer C.free(unsafe.Pointer(image))
		var svc *C.dm_service
		if rc := C.dm_group_add_service(&svc, group, name, image); rc != C.DM_OK {
			return rc
		}
		for _, set := range s.setters() {
			if rc := set(svc); rc != C.DM_OK {
				return rc
			}
		}
		for kind, on := range s.hooks() {
			if on {
				if rc := C.dm_go_set_hook(svc, C.int(kind), C.uintptr_t(hooksID)); rc != C.DM_OK {
					return rc
				}
			}
		}
		return C.dm_service_validate(svc)
	})
}

// hooks says which hooks the definition has, by kind.
func (s *Service) hooks() map[hookKind]bool {
	return map[hookKind]bool{
		hookPrepare:       s.Prepare != nil,
		hookPreStart:      s.PreStart != nil,
		hookPing:          s.Ping != nil,
		hookPostStartInit: s.PostStartInit != nil,
		hookPreStop:       s.PreStop != nil,
	}
}
