// What a set of changed paths asks of each watched service (the
// dm_watch_batch of drillmaster/watch.h): made by the routing of watch
// rules, carried out by the watch actions (orchestrator).
#ifndef DM_MODEL_WATCH_BATCH_H
#define DM_MODEL_WATCH_BATCH_H

#include <string>
#include <utility>
#include <vector>

namespace dm::model {

// The actions of watch rules, by weight; the numbers of DM_WATCH_SYNC... of
// drillmaster/watch.h (src/capi checks they agree).
inline constexpr int kWatchSync = 1;
inline constexpr int kWatchSyncRestart = 2;
inline constexpr int kWatchRebuild = 3;

struct WatchBatchEntry {
  std::string service;
  int action = 0;  // DM_WATCH_SYNC, DM_WATCH_SYNC_RESTART or DM_WATCH_REBUILD
  struct File {
    std::string host;    // absolute host path
    std::string target;  // absolute container path; "" for a path only a rebuild rule matched
    bool removed = false;
  };
  std::vector<File> files;
};

struct WatchBatch {
  std::vector<WatchBatchEntry> entries;  // one per service with work, in the group's order
  std::vector<std::pair<std::string, std::string>> skipped;  // path, reason
};

}  // namespace dm::model

#endif
