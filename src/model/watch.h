// Watch rules (ServiceDef::watch): which rule a changed host path triggers,
// and what it asks of each service. Pure: reads the file system (the kind of
// each path, the build contexts' .dockerignore), never the engine.
// include/drillmaster/watch.h is the contract this implements.
#ifndef DM_MODEL_WATCH_H
#define DM_MODEL_WATCH_H

#include <string>
#include <vector>

#include "common/dockerignore.h"
#include "model/service.h"

namespace dm::model {

// "sync", "sync+restart", "rebuild"; "unknown" for another number.
const char* watch_action_name(int action);

// The rules that watch `service`: its own, else (it has a build context) a
// rebuild rule on its context, else none. The one place the implicit rule
// is made.
std::vector<WatchRule> watch_rules(const ServiceDef& service);

// A file of an entry: the host path, its container path ("" when only a
// rebuild rule matched it), and whether it is gone from the host (then its
// target is removed recursively: it may have been a directory).
struct WatchFile {
  std::string host;
  std::string target;
  bool removed = false;
};

struct WatchEntry {
  std::string service;
  int action = 0;  // the heaviest WatchAction triggered
  std::vector<WatchFile> files;
};

struct WatchSkip {
  std::string path;
  std::string reason;
};

struct WatchBatch {
  std::vector<WatchEntry> entries;  // in the group's order
  std::vector<WatchSkip> skipped;
};

// The watch rules of some services of a group, resolved to absolute paths.
// Immutable once made.
class Watcher {
 public:
  // `services`: the names to watch (empty: every service). The group must
  // be valid (validate.h); throws dm::Error(NotFound) for a name that is not
  // a service of the group.
  Watcher(const GroupDef& group, const std::vector<std::string>& services);

  // The absolute paths to watch recursively, sorted; none inside another.
  const std::vector<std::string>& roots() const { return roots_; }

  // What the changed `paths` (absolute; duplicates fine; a directory stands
  // for the files below it) ask of each service (include/drillmaster/watch.h).
  WatchBatch route(const std::vector<std::string>& paths) const;

  // Every file the sync rules map and do not ignore, as DM_WATCH_SYNC
  // entries: one per service with sync rules.
  WatchBatch initial() const;

 private:
  struct Rule {
    std::string path;   // absolute, cleaned
    std::string given;  // as the user wrote it, for messages
    std::string real;   // `path` with its symbolic links resolved
    WatchAction action;
    std::string target;
    DockerIgnore ignore;
    bool has_ignore = false;
    std::string context;     // rebuild: the absolute build context
    std::string dockerfile;  // rebuild: the Dockerfile relative to the context
  };
  struct Service {
    std::string name;
    std::vector<Rule> rules;
  };
  class Routing;

  std::vector<Service> services_;
  std::vector<std::string> roots_;
};

}  // namespace dm::model

#endif
