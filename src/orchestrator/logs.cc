// Container output, line by line, for the services asked for. Without follow
// the services are read one after the other, so each one's lines stay
// together; with follow they are read in parallel and interleave as they come.
#include <algorithm>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "common/cancel.h"
#include "common/error.h"
#include "common/text.h"
#include "orchestrator/identity.h"
#include "orchestrator/inventory.h"
#include "orchestrator/orchestrator.h"
#include "orchestrator/swarm_target.h"

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

// The services asked for, each checked against the group; all of them
// when none is named.
std::vector<std::string> services_asked(const model::GroupDef& group,
                                        const std::vector<std::string>& asked) {
  std::vector<std::string> defined;
  for (const auto& s : group.services) defined.push_back(s.name);
  for (const auto& name : asked) {
    if (std::find(defined.begin(), defined.end(), name) != defined.end()) continue;
    throw Error(Error::Code::Invalid, "no service " + quoted(name) + " in group " +
                                          quoted(group.name) + "; defined: " + join(defined, ", "));
  }
  return asked.empty() ? defined : asked;
}

// (service, container id) of each service that has a container.
using Targets = std::vector<std::pair<std::string, std::string>>;

// On a swarm: (service, swarm service id).
Targets swarm_services_of(engine::Client& engine, const model::GroupDef& group,
                          const std::vector<std::string>& names) {
  std::map<std::string, std::string> ids;  // service -> swarm service id
  for (const engine::ServiceInfo& s : engine.service_list(group_filter(group))) {
    auto label = s.labels.find(kServiceLabel);
    if (label != s.labels.end()) ids[label->second] = s.id;
  }
  Targets targets;
  for (const auto& name : names)
    if (ids.count(name)) targets.emplace_back(name, ids[name]);
  return targets;
}

Targets containers_of(engine::Client& engine, const model::GroupDef& group,
                      const std::vector<std::string>& names) {
  Inventory inventory = take_inventory(engine, group);
  Targets targets;
  for (const auto& name : names) {
    const auto& containers = inventory.of(name);
    if (!containers.empty()) targets.emplace_back(name, containers.front().id);
  }
  return targets;
}

// Reads containers' output into lines for `fn`, one call at a time; once
// `fn` asks to stop (or stop() is called), every read ends at once: the
// reads wait on the reader's own token.
class LogReader {
 public:
  // `swarm`: the ids are swarm services' (their tasks' output, no TTY).
  LogReader(engine::Client& engine, engine::LogOptions options, const LogLineFn& fn, bool swarm)
      : engine_(engine), options_(std::move(options)), fn_(fn), swarm_(swarm) {}

  void read(const std::string& service, const std::string& id) {
    LineSplitter lines(service, fn_);
    auto feed = [&](engine::LogStream stream, const std::string& data) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stop_.cancelled()) return false;
      if (!lines.feed(static_cast<int>(stream), data)) stop_.cancel();
      return !stop_.cancelled();
    };
    if (swarm_)
      engine_.service_logs(id, options_, feed, &stop_);
    else
      engine_.container_logs(id, options_, feed, &stop_);
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stop_.cancelled() && !lines.flush()) stop_.cancel();
  }

  bool stopped() const { return stop_.cancelled(); }
  void stop() { stop_.cancel(); }

 private:
  engine::Client& engine_;
  engine::LogOptions options_;
  const LogLineFn& fn_;
  bool swarm_;
  std::mutex mutex_;  // serialises `fn_`
  CancelToken stop_;  // ends every read
};

// Without follow: one service after the other, so each one's lines stay
// together. Returns false when cancelled.
bool read_in_turn(LogReader& reader, const Targets& targets, const CancelToken& cancel) {
  for (const auto& [service, id] : targets) {
    if (reader.stopped() || cancel.cancelled()) break;
    reader.read(service, id);
  }
  return !cancel.cancelled();
}

// With follow: every service at once, until each container ends, `fn` asks
// to stop, or `cancel` is cancelled. Returns false when cancelled.
bool follow_all(LogReader& reader, const Targets& targets, const CancelToken& cancel) {
  // The operation's cancel stops the reader too: the watcher passes it on.
  CancelWatcher watcher(cancel);
  CancelWatcher::Subscription pass_on = watcher.on_cancel([&reader] { reader.stop(); });
  std::mutex mutex;
  std::vector<std::string> errors;
  std::vector<std::thread> readers;
  for (const auto& [service, id] : targets) {
    readers.emplace_back([&, service = service, id = id] {
      try {
        reader.read(service, id);
      } catch (const Error& e) {
        std::lock_guard<std::mutex> lock(mutex);
        errors.push_back(service + ": " + e.what());
      }
    });
  }
  for (auto& r : readers) r.join();
  pass_on.reset();
  if (!errors.empty() && !cancel.cancelled())
    throw Error(Error::Code::Engine, "reading logs failed: " + errors.front());
  return !cancel.cancelled();
}

}  // namespace

bool logs(engine::Client& engine, const model::GroupDef& group, const LogsOptions& options,
          const LogLineFn& fn, const CancelToken& cancel) {
  std::vector<std::string> names = services_asked(group, options.services);
  bool swarm = options.target == TargetKind::Swarm;
  if (swarm) require_swarm(engine);
  Targets targets =
      swarm ? swarm_services_of(engine, group, names) : containers_of(engine, group, names);
  engine::LogOptions log_options;
  log_options.follow = options.follow;
  log_options.tail = options.tail;
  if (swarm) log_options.tty = 0;
  LogReader reader(engine, log_options, fn, swarm);
  return options.follow ? follow_all(reader, targets, cancel)
                        : read_in_turn(reader, targets, cancel);
}

}  // namespace dm::orchestrator
