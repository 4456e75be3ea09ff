// Starting a drillmaster-reaper process from inside a host program that may
// have many threads, open files and captured output streams:
//   - posix_spawn, never fork without exec (a forked copy of a threaded
//     process may deadlock on any lock another thread held);
//   - its stdin is one end of a Unix socket pair whose other end only this
//     process holds (close-on-exec from the start, so no program this
//     process runs inherits it); every other descriptor is closed in the
//     child, and stdout and stderr are /dev/null: a reaper holding a captured
//     output pipe open would keep whoever captures it (subprocess.run with
//     capture_output, a CI runner) waiting until it ends;
//   - its own session (setsid), so a Ctrl-C or a signal to the whole process
//     group of a test run does not reach it, and it has no terminal;
//   - it forks once more and the spawned process exits at once, after
//     checking its arguments: this process waits for that one right here, so
//     no zombie is left for the host program, and the reaper itself belongs
//     to init (or the nearest subreaper) from then on.
// A socket rather than a pipe: send() with MSG_NOSIGNAL to a reaper that has
// died fails with EPIPE instead of killing the host program with SIGPIPE.
#ifndef DM_ORCHESTRATOR_REAPER_SPAWN_H
#define DM_ORCHESTRATOR_REAPER_SPAWN_H

#include <string>
#include <vector>

namespace dm::orchestrator {

// Starts `executable` with `arguments` (without the program name) and the
// caller's environment; returns this process's end of the control stream
// (close-on-exec), which the caller owns. Throws dm::Error(Code::Internal)
// naming the executable when it cannot be started or refuses its arguments.
int spawn_reaper(const std::string& executable, const std::vector<std::string>& arguments);

// Sends `text` over the control stream; false when the reaper is gone.
// Never raises SIGPIPE.
bool send_to_reaper(int fd, const std::string& text);

// Whether the reaper at the other end of `fd` still runs: it never writes,
// so the stream turning readable (its end closed) means it has exited.
bool reaper_alive(int fd);

}  // namespace dm::orchestrator

#endif
