// Waiting for processes that are not our children to exit. Each is watched
// from the moment it is added, through a pidfd (Linux 5.3 and later): a
// process that exits and whose id is reused meanwhile is still seen to have
// exited. Without pidfds, the ids are polled with kill(pid, 0).
#ifndef DM_REAPER_PROCESS_WATCH_H
#define DM_REAPER_PROCESS_WATCH_H

#include <cstddef>
#include <vector>

namespace dm::reaper {

class ProcessWatch {
 public:
  ProcessWatch() = default;
  ~ProcessWatch();
  ProcessWatch(const ProcessWatch&) = delete;
  ProcessWatch& operator=(const ProcessWatch&) = delete;

  // Starts watching `pid`. One that does not exist (any more) counts as
  // exited.
  void add(long pid);

  // How many of the watched processes still run, without waiting.
  size_t running();

  // Blocks until every watched process has exited.
  void wait_all();

 private:
  struct Watched {
    long pid;
    int pidfd;  // -1: polled with kill()
    bool exited;
  };
  bool exited(Watched& w, int timeout_ms);

  std::vector<Watched> watched_;
};

}  // namespace dm::reaper

#endif
