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
	"unsafe"
)

// ServiceStatus is what runs now for one service.
type ServiceStatus struct {
	Service string
	// "running", "exited", "created", "restarting", "paused", "dead",
	// "missing"; for a Oneshot job that exited, "completed" or "failed".
	State         string
	StatusText    string // the engine's, e.g. "Up 3 minutes"
	Health        string // "healthy", "unhealthy", "starting", "" without a check
	ContainerID   string
	ContainerName string
	Image         string
	Ports         string // "0.0.0.0:5433->5432/tcp"
	Outdated      bool   // made from another definition: a start replaces it
	Published     []PortBinding
}

// PortBinding is one published port of a running container.
type PortBinding struct {
	ContainerPort string // "5432/tcp"
	HostIP        string // as the engine reports it: "0.0.0.0", "::"
	HostPort      int
}

// Status says what runs now, one entry per service in definition order. It
// reads what the engine has at this moment (it takes no group lock in the
// library, but waits for this process's operation on the group).
func (g *Group) Status(ctx context.Context) ([]ServiceStatus, error) {
	group, client, end, err := g.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer end()
	copts := (*C.dm_status_options)(C.calloc(1, C.sizeof_dm_status_options))
	defer C.free(unsafe.Pointer(copts))
	var report *C.dm_report
	if err := call(func() C.int {
		if rc := C.dm_status_options_init(copts, C.DM_STATUS_OPTIONS_VERSION); rc != C.DM_OK {
			return rc
		}
		copts.target = g.target
		return C.dm_group_status_with_options(&report, group, client, copts)
	}); err != nil {
		return nil, err
	}
	defer C.dm_report_free(report)
	var out []ServiceStatus
	n := C.dm_report_count(report)
	for i := C.size_t(0); i < n; i++ {
		s := ServiceStatus{
			Service:       goString(C.dm_report_service(report, i)),
			State:         goString(C.dm_report_state(report, i)),
			StatusText:    goString(C.dm_report_status_text(report, i)),
			Health:        goString(C.dm_report_health(report, i)),
			ContainerID:   goString(C.dm_report_container_id(report, i)),
			ContainerName: goString(C.dm_report_container_name(report, i)),
			Image:         goString(C.dm_report_image(report, i)),
			Ports:         goString(C.dm_report_ports(report, i)),
			Outdated:      C.dm_report_outdated(report, i) != 0,
		}
		bindings := C.dm_report_published_count(report, i)
		for b := C.size_t(0); b < bindings; b++ {
			var port, ip *C.char
			var hostPort C.int
			if C.dm_report_published(report, i, b, &port, &ip, &hostPort) == C.DM_OK {
				s.Published = append(s.Published, PortBinding{goString(port), goString(ip), int(hostPort)})
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// HostPort is where this process connects to containerPort of service's
// running container ("5432", "53/udp"), as the engine published it now.
func (g *Group) HostPort(ctx context.Context, service, containerPort string) (string, int, error) {
	status, err := g.Status(ctx)
	if err != nil {
		return "", 0, err
	}
	for _, s := range status {
		if s.Service == service {
			if s.ContainerID == "" || s.State != "running" {
				return "", 0, &Error{Status: StatusNotFound,
					Message: "drillmaster: service '" + service + "' of group '" + g.name +
						"' has no running container (state: " + s.State + "); start it first"}
			}
			client, _, err := g.resolveClient()
			if err != nil {
				return "", 0, err
			}
			return client.HostPort(ctx, s.ContainerID, containerPort)
		}
	}
	return "", 0, &Error{Status: StatusNotFound,
		Message: "drillmaster: group '" + g.name + "' has no service '" + service + "'"}
}

// LogsOptions are the options of Group.Logs and Group.FollowLogs.
type LogsOptions struct {
	Services []string // none: every service
	// The last lines per service; 0: all of them. NoLines: none, only
	// what follows.
	Tail int
}

// NoLines is a Tail of none.
const NoLines = -1

// LogLine is one line of a container's output.
type LogLine struct {
	Service string
	Stderr  bool
	Text    string
}

// Logs is the output the group's containers have given so far.
func (g *Group) Logs(ctx context.Context, opts LogsOptions) ([]LogLine, error) {
	var lines []LogLine
	err := g.logs(ctx, opts, false, func(l LogLine) error {
		lines = append(lines, l)
		return nil
	})
	return lines, err
}

// FollowLogs passes each line to fn as it comes, until every followed
// container stops, fn returns an error (FollowLogs returns it) or ctx ends.
// Logs and FollowLogs run beside the group's other operations (a follow
// in a goroutine does not hold up a Stop, which ends it), and ending their
// context ends them alone.
func (g *Group) FollowLogs(ctx context.Context, opts LogsOptions, fn func(LogLine) error) error {
	return g.logs(ctx, opts, true, fn)
}

type logReceiver struct {
	fn  func(LogLine) error
	err error
}

func (g *Group) logs(ctx context.Context, opts LogsOptions, follow bool, fn func(LogLine) error) error {
	group, client, end, err := g.beginReader(ctx)
	if err != nil {
		return err
	}
	defer end()
	copts := (*C.dm_logs_options)(C.calloc(1, C.sizeof_dm_logs_options))
	defer C.free(unsafe.Pointer(copts))
	if err := call(func() C.int { return C.dm_logs_options_init(copts, C.DM_LOGS_OPTIONS_VERSION) }); err != nil {
		return err
	}
	services, n, free := cStrings(opts.Services)
	defer free()
	copts.services, copts.service_count = services, n
	if follow {
		copts.follow = 1
	}
	copts.target = g.target
	switch {
	case opts.Tail > 0:
		copts.tail = C.int(opts.Tail)
	case opts.Tail == NoLines:
		copts.tail = 0
	}
	receiver := &logReceiver{fn: fn}
	id := register(receiver)
	defer release(id)
	err = call(func() C.int { return C.dm_go_group_logs(group, client, copts, C.uintptr_t(id)) })
	if receiver.err != nil {
		return receiver.err
	}
	if e, ok := err.(*Error); ok && ctx.Err() != nil {
		if follow && e.Status == StatusCancelled {
			return nil // a follow ends by its context: that is its normal end
		}
		e.cause = ctx.Err()
	}
	return err
}

//export dmGoLog
func dmGoLog(service *C.char, stream C.int, line *C.char, length C.size_t, id C.uintptr_t) C.int {
	receiver, _ := lookup(uintptr(id)).(*logReceiver)
	if receiver == nil {
		return 1
	}
	var err error
	if r := guard(func() {
		err = receiver.fn(LogLine{
			Service: goString(service),
			Stderr:  stream == 2,
			Text:    string(C.GoBytes(unsafe.Pointer(line), C.int(length))),
		})
	}); r.stopped {
		receiver.err = &Error{Status: StatusHook, Message: "drillmaster: the logs receiver " + r.String()}
		return 1
	}
	if err != nil {
		receiver.err = err
		return 1
	}
	return 0
}

func panicText(r any) string { return fmt.Sprint(r) }
