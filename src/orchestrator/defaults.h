// The defaults of the operations, each written once. The orchestrator's
// option structs start from them; the C API's DM_*_OPTIONS_INIT macros and
// dm_*_options_init() functions are checked against them at compile time
// (src/capi/options.cc); front ends that cannot use the macros (the Python
// package, cgo, bindgen, cffi) ask the library through those functions. So
// every front end waits alike.
#ifndef DM_ORCHESTRATOR_DEFAULTS_H
#define DM_ORCHESTRATOR_DEFAULTS_H

namespace dm::orchestrator::defaults {

// Seconds a service may take to be ready in start and reload, unless the
// service says otherwise.
inline constexpr double kReadySeconds = 300;

// The grace period: seconds a container gets between its stop signal and
// SIGKILL, Docker's and Compose's default. Used by stop, by reload for the
// containers it stops, and by start for an outdated container it replaces.
inline constexpr double kStopGraceSeconds = 10;

// Services worked on at once: 0, no limit.
inline constexpr unsigned kParallelism = 0;

// Log lines shown per service before any that follow: -1, all of them.
inline constexpr int kLogTail = -1;

// How long a stop waits for another process's operation on the group: as
// long as a start with the default timeout may take to give up on a service.
// A stop's own timeout is the grace period, so it cannot serve for this.
inline constexpr double kStopLockWaitSeconds = kReadySeconds;

}  // namespace dm::orchestrator::defaults

#endif
