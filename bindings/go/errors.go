package drillmaster

/*
#include <drillmaster/drillmaster.h>
*/
import "C"

import (
	"fmt"
	"runtime"
)

// Status is a libdrillmaster status code (dm_status in common.h).
type Status int

// The statuses, as common.h defines them.
const (
	StatusOK          Status = C.DM_OK
	StatusInvalid     Status = C.DM_EINVALID
	StatusNotFound    Status = C.DM_ENOTFOUND
	StatusConflict    Status = C.DM_ECONFLICT
	StatusUnreachable Status = C.DM_EUNREACHABLE
	StatusEngine      Status = C.DM_EENGINE
	StatusTimeout     Status = C.DM_ETIMEOUT
	StatusHook        Status = C.DM_EHOOK
	StatusCancelled   Status = C.DM_ECANCELLED
	StatusFailed      Status = C.DM_EFAILED
	StatusNoMemory    Status = C.DM_ENOMEM
	StatusInternal    Status = C.DM_EINTERNAL
)

// String is the status's constant name in C, e.g. "DM_EINVALID".
func (s Status) String() string { return C.GoString(C.dm_status_name(C.int(s))) }

// The errors a failed call matches with errors.Is, one per failure status:
//
//	if errors.Is(err, drillmaster.ErrUnreachable) { ... start an engine ... }
var (
	ErrInvalid     = &statusError{StatusInvalid, "bad argument or definition"}
	ErrNotFound    = &statusError{StatusNotFound, "not found"}
	ErrConflict    = &statusError{StatusConflict, "the engine refused"}
	ErrUnreachable = &statusError{StatusUnreachable, "no engine answers"}
	ErrEngine      = &statusError{StatusEngine, "the engine answered with an error"}
	ErrTimeout     = &statusError{StatusTimeout, "a deadline passed"}
	ErrHook        = &statusError{StatusHook, "a hook failed"}
	ErrCancelled   = &statusError{StatusCancelled, "cancelled"}
	ErrFailed      = &statusError{StatusFailed, "some services failed"}
	ErrNoMemory    = &statusError{StatusNoMemory, "out of memory"}
	ErrInternal    = &statusError{StatusInternal, "a bug in drillmaster"}
)

type statusError struct {
	status Status
	what   string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("drillmaster: %s (%s)", e.what, e.status)
}

// Error is what every failed call returns. Message is libdrillmaster's
// (dm_error_last()): it names the service, the field and the value, and
// what to do. errors.Is matches the sentinel of its Status, and, for an
// operation stopped by its context, the context's error too
// (context.Canceled, context.DeadlineExceeded).
type Error struct {
	Status  Status
	Message string
	// Result is what an operation did when it ran and some services failed
	// or it was cancelled; nil otherwise.
	Result *Result

	cause error // the context's error, when the context stopped the call
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "drillmaster: " + e.Status.String()
	}
	return e.Message
}

// Is reports whether target is the sentinel of e's status.
func (e *Error) Is(target error) bool {
	s, ok := target.(*statusError)
	return ok && s.status == e.Status
}

// Unwrap gives the context's error of a call its context stopped.
func (e *Error) Unwrap() error { return e.cause }

// lastError is the calling thread's libdrillmaster error as an *Error. It
// must be called on the thread of the failed call: callers lock the
// goroutine to its thread around both (see call).
func lastError(status C.int) *Error {
	return &Error{Status: Status(status), Message: goString(C.dm_error_last())}
}

// call runs a libdrillmaster function and, when it fails, reads its error
// on the same thread: dm_error_last() is per thread, and a goroutine may
// move between threads from one cgo call to the next.
func call(f func() C.int) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if status := f(); status != C.DM_OK {
		return lastError(status)
	}
	return nil
}
