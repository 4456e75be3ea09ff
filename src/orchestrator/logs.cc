// Container output, line by line, for the services asked for. Without follow
// the services are read one after the other, so each one's lines stay
// together; with follow they are read in parallel and interleave as they come.
#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/cancel.h"
#include "common/error.h"
#include "orchestrator/inventory.h"
#include "orchestrator/orchestrator.h"

namespace dm::orchestrator {
namespace {

// Cuts a byte stream into lines for one service; calls are serialised by the
// caller's mutex.
class LineSplitter {
 public:
  LineSplitter(std::string service, const LogLineFn& fn) : service_(std::move(service)), fn_(fn) {}

  // Returns false when the callback asked to stop.
  bool feed(int stream, const std::string& data) {
    std::string& buffer = buffers_[stream];
    buffer += data;
    size_t start = 0, nl;
    while ((nl = buffer.find('\n', start)) != std::string::npos) {
      std::string line = buffer.substr(start, nl - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      start = nl + 1;
      if (!fn_(service_, stream, line)) return false;
    }
    buffer.erase(0, start);
    return true;
  }
  bool flush() {
    for (auto& [stream, buffer] : buffers_) {
      if (!buffer.empty() && !fn_(service_, stream, buffer)) return false;
      buffer.clear();
    }
    return true;
  }

 private:
  std::string service_;
  const LogLineFn& fn_;
  std::map<int, std::string> buffers_;
};

// The services asked for (all when none), each checked to be defined.
std::vector<std::string> services_to_read(const model::GroupDef& group, const LogsOptions& options) {
  std::vector<std::string> names = options.services;
  for (const auto& name : names) {
    bool defined = std::any_of(group.services.begin(), group.services.end(),
                               [&](const model::ServiceDef& s) { return s.name == name; });
    if (!defined) {
      std::string all;
      for (const auto& s : group.services) all += (all.empty() ? "" : ", ") + s.name;
      throw Error(DM_EINVALID, "no service '" + name + "' in group '" + group.name + "'; defined: " + all);
    }
  }
  if (names.empty())
    for (const auto& s : group.services) names.push_back(s.name);
  return names;
}

// Reads the logs of several containers, handing their lines to one callback
// one at a time. Every reader ends once the callback says "enough".
class LogReaders {
 public:
  LogReaders(engine::Client& engine, const LogsOptions& options, const LogLineFn& fn)
      : engine_(engine), fn_(fn) {
    options_.follow = options.follow;
    options_.tail = options.tail;
  }

  // Returns when the container's log ends (with follow: when it stops), the
  // callback says "enough", or stop() is called.
  void read(const std::string& service, const std::string& id) {
    LineSplitter lines(service, fn_);
    engine_.container_logs(
        id, options_,
        [&](engine::LogStream stream, const std::string& data) {
          std::lock_guard<std::mutex> lock(mutex_);
          if (enough_.cancelled()) return false;
          if (!lines.feed(static_cast<int>(stream), data)) enough_.cancel();
          return !enough_.cancelled();
        },
        &enough_);
    std::lock_guard<std::mutex> lock(mutex_);
    if (!enough_.cancelled() && !lines.flush()) enough_.cancel();
  }
  // Each container after the other, so each one's lines stay together.
  void read_in_turn(const std::vector<std::pair<std::string, std::string>>& targets,
                    const CancelToken& cancel) {
    for (const auto& [service, id] : targets) {
      if (enough_.cancelled() || cancel.cancelled()) break;
      read(service, id);
    }
  }
  // All at once until every one has ended; the first error, if any.
  std::optional<std::string> follow_all(const std::vector<std::pair<std::string, std::string>>& targets,
                                        const CancelToken& cancel);

 private:
  engine::Client& engine_;
  const LogLineFn& fn_;
  engine::LogOptions options_;
  std::mutex mutex_;   // serialises the callback, guards the fields below
  CancelToken enough_;  // ends every reader
  std::condition_variable finished_cv_;
  size_t running_ = 0;
  std::vector<std::string> errors_;
};

std::optional<std::string> LogReaders::follow_all(
    const std::vector<std::pair<std::string, std::string>>& targets, const CancelToken& cancel) {
  // The operation's cancel ends the readers too: the watcher passes it on.
  CancelWatcher watcher(cancel);
  CancelWatcher::Subscription pass_on = watcher.on_cancel([this] { enough_.cancel(); });
  running_ = targets.size();
  std::vector<std::thread> readers;
  for (const auto& [service, id] : targets) {
    readers.emplace_back([this, service = service, id = id] {
      try {
        read(service, id);
      } catch (const Error& e) {
        std::lock_guard<std::mutex> lock(mutex_);
        errors_.push_back(service + ": " + e.what());
      }
      std::lock_guard<std::mutex> lock(mutex_);
      running_--;
      finished_cv_.notify_all();
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex_);
    finished_cv_.wait(lock, [&] { return running_ == 0; });
  }
  for (auto& r : readers) r.join();
  if (errors_.empty()) return std::nullopt;
  return errors_.front();
}

}  // namespace

bool logs(engine::Client& engine, const model::GroupDef& group, const LogsOptions& options,
          const LogLineFn& fn, const CancelToken& cancel) {
  std::vector<std::string> names = services_to_read(group, options);
  Inventory inventory = take_inventory(engine, group);
  std::vector<std::pair<std::string, std::string>> targets;  // service, container id
  for (const auto& name : names) {
    const auto& containers = inventory.of(name);
    if (!containers.empty()) targets.emplace_back(name, containers.front().id);
  }
  LogReaders readers(engine, options, fn);
  if (!options.follow) {
    readers.read_in_turn(targets, cancel);
  } else if (std::optional<std::string> error = readers.follow_all(targets, cancel)) {
    if (!cancel.cancelled()) throw Error(DM_EENGINE, "reading logs failed: " + *error);
  }
  return !cancel.cancelled();
}

}  // namespace dm::orchestrator
