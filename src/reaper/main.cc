// drillmaster-reaper: removes a group's containers and network once the
// process that started the group (and any process it was told to watch) has
// exited without a stop that removed them. libdrillmaster starts it
// (orchestrator/reaper_spawn.h) with its orders on the command line
// (orchestrator/reaper_protocol.h) and the control stream on stdin; it is
// not meant to be run by hand.
//
// Its process name says what it is doing (reaper.h: dm-reaper-owner,
// dm-reaper-watch, dm-reaper-sweep), for ps and for the tests.
//
// Exit status of the process the library starts: 0 once the reaper proper
// runs on its own (forked off, so the library's process is left no zombie);
// 2 for arguments it does not understand; 3 when it cannot fork.
#include <signal.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "orchestrator/reaper_protocol.h"
#include "reaper/process_watch.h"
#include "reaper/reaper.h"

namespace {

// Descriptors the library's process had open that the spawn did not close
// (a C library without closefrom for posix_spawn): none may be kept open by
// the reaper, which lives on after that process.
void close_inherited_descriptors() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  ::closefrom(3);
#else
  for (int fd = 3; fd < 1024; fd++) ::close(fd);
#endif
}

// A Ctrl-C or hang-up meant for the test run never reaches the reaper (it
// has its own session), but a stray one must not end it either; SIGTERM
// still does. A write to a closed connection fails instead of killing it.
void ignore_stray_signals() {
  for (int sig : {SIGINT, SIGHUP, SIGQUIT, SIGPIPE}) ::signal(sig, SIG_IGN);
}

}  // namespace

int main(int argc, char** argv) {
  dm::orchestrator::ReaperOrders orders;
  try {
    orders =
        dm::orchestrator::parse_reaper_arguments(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const dm::Error&) {
    return 2;  // its stderr is /dev/null: the library reports the status
  }
  close_inherited_descriptors();
  ignore_stray_signals();
  // Watched from before the library's start goes on (it waits for this
  // process's exit below), so the process cannot slip away unseen.
  dm::reaper::ProcessWatch watch;
  if (orders.watch_pid > 0) watch.add(orders.watch_pid);
  pid_t child = ::fork();  // single-threaded here: a plain fork is safe
  if (child < 0) return 3;
  if (child > 0) ::_exit(0);
  return dm::reaper::run_reaper(orders, STDIN_FILENO, watch);
}
