#include "orchestrator/removal_on_exit.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <climits>
#include <map>
#include <mutex>
#include <set>
#include <utility>

#include "common/error.h"
#include "orchestrator/reaper_location.h"
#include "orchestrator/reaper_protocol.h"
#include "orchestrator/reaper_spawn.h"

namespace dm::orchestrator {
namespace {

struct Registration {
  int control = -1;        // this process's end of the reaper's control stream
  std::set<long> watched;  // processes the reaper waits for, besides this one
};

// (engine address, group name)
using Key = std::pair<std::string, std::string>;

class Registry {
 public:
  Registry();
  // Whether it spawned a reaper.
  bool arm(const Key& key, const engine::Client& engine, const model::GroupDef& group,
           const RemovalOnExit& removal);
  size_t keep(const std::string& group);
  void release(const Key& key);

 private:
  // Tells the reaper to keep the group and forgets it. Called with mutex_ held.
  void let_go(std::map<Key, Registration>::iterator it);
  // In a child this process forks: the registrations are the parent's
  // alone. Their ends are closed without a word (the parent still holds
  // its own), so the reapers follow the parent and not the child too.
  void forget_in_child();

  std::mutex mutex_;
  std::map<Key, Registration> entries_;
};

// Never destroyed: see the header.
Registry& registry() {
  static Registry* instance = new Registry;
  return *instance;
}

// A fork waits for the registry to be still, so the child gets a copy that
// is not halfway through a change, with its lock free.
Registry::Registry() {
  ::pthread_atfork([] { registry().mutex_.lock(); }, [] { registry().mutex_.unlock(); },
                   [] { registry().forget_in_child(); });
}

void Registry::forget_in_child() {
  for (auto& [key, r] : entries_) ::close(r.control);
  entries_.clear();
  mutex_.unlock();
}

bool Registry::arm(const Key& key, const engine::Client& engine, const model::GroupDef& group,
                   const RemovalOnExit& removal) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end() && reaper_alive(it->second.control)) {
    Registration& r = it->second;
    if (removal.watch_pid == 0 || r.watched.count(removal.watch_pid)) return false;
    if (send_to_reaper(r.control, watch_line(removal.watch_pid))) {
      r.watched.insert(removal.watch_pid);
      return false;
    }
  }
  std::set<long> watched;
  if (it != entries_.end()) {  // its reaper died (someone killed it): a new one
    ::close(it->second.control);
    watched = std::move(it->second.watched);
    entries_.erase(it);
  }
  ReaperOrders orders{engine.connection_options(), group.name, group.network, removal.watch_pid};
  Registration r;
  r.control = spawn_reaper(removal.reaper, reaper_arguments(orders));
  if (removal.watch_pid != 0) r.watched.insert(removal.watch_pid);
  // What the dead one waited for, the new one waits for too.
  for (long pid : watched)
    if (!r.watched.count(pid) && send_to_reaper(r.control, watch_line(pid))) r.watched.insert(pid);
  entries_.emplace(key, std::move(r));
  return true;
}

void Registry::let_go(std::map<Key, Registration>::iterator it) {
  // A reaper that is gone already needs no word; either way it is forgotten.
  send_to_reaper(it->second.control, kKeepLine);
  ::close(it->second.control);
  entries_.erase(it);
}

size_t Registry::keep(const std::string& group) {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t kept = 0;
  for (auto it = entries_.begin(); it != entries_.end();) {
    auto next = std::next(it);
    if (it->first.second == group) {
      let_go(it);
      kept++;
    }
    it = next;
  }
  return kept;
}

void Registry::release(const Key& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end()) let_go(it);
}

}  // namespace

RemovalOnExit RemovalOnExit::prepare(long watch_pid) {
  RemovalOnExit out;
  if (watch_pid < 0 || watch_pid > INT_MAX)
    throw Error(Error::Code::Invalid, "watch_pid " + std::to_string(watch_pid) +
                                          " is not a process id; give the id of the process "
                                          "whose exit removes the group, or 0 for this one");
  if (watch_pid != 0 && watch_pid != ::getpid()) {
    // EPERM: it exists, as another user's process.
    if (::kill(static_cast<pid_t>(watch_pid), 0) != 0 && errno == ESRCH)
      throw Error(Error::Code::Invalid,
                  "watch_pid " + std::to_string(watch_pid) +
                      ": no such process, so the group would be removed as soon as this process "
                      "exits; give the id of a running process, or 0 for this one");
    out.watch_pid = watch_pid;
  }
  out.reaper = locate_reaper();
  return out;
}

void arm_removal_on_exit(const engine::Client& engine, const model::GroupDef& group,
                         const RemovalOnExit& removal, Events& events) {
  // The event is emitted outside the registry's lock: a sink may take locks
  // of its own (a binding's interpreter lock) that a keep_on_exit() caller holds.
  if (!registry().arm({engine.address().text, group.name}, engine, group, removal)) return;
  std::string when = removal.watch_pid != 0 ? "this process and process " +
                                                  std::to_string(removal.watch_pid) + " have exited"
                                            : "this process exits";
  events.emit("", Phase::Detail,
              "group '" + group.name + "' is removed when " + when +
                  " without a stop with remove (" + removal.reaper + ")");
}

size_t keep_on_exit(const std::string& group) { return registry().keep(group); }

void release_removal_on_exit(const std::string& engine_address, const std::string& group) {
  registry().release({engine_address, group});
}

}  // namespace dm::orchestrator
