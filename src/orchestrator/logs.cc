// Container output, line by line, for the services asked for. Without follow
// the services are read one after the other, so each one's lines stay
// together; with follow they are read in parallel and interleave as they come.
#include <algorithm>
#include <map>
#include <mutex>
#include <thread>

#include "common/error.h"
#include "common/text.h"
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

}  // namespace

bool logs(engine::Client& engine, const model::GroupDef& group, const LogsOptions& options,
          const LogLineFn& fn, const std::atomic<bool>& cancel) {
  std::vector<std::string> names = options.services;
  for (const auto& name : names) {
    bool defined = std::any_of(group.services.begin(), group.services.end(),
                               [&](const model::ServiceDef& s) { return s.name == name; });
    if (!defined) {
      std::vector<std::string> all;
      for (const auto& s : group.services) all.push_back(s.name);
      throw Error(Error::Code::Invalid, "no service '" + name + "' in group '" + group.name +
                                            "'; defined: " + join(all, ", "));
    }
  }
  if (names.empty())
    for (const auto& s : group.services) names.push_back(s.name);

  Inventory inventory = take_inventory(engine, group);
  engine::LogOptions log_options;
  log_options.follow = options.follow;
  log_options.tail = options.tail;

  std::mutex mutex;
  std::atomic<bool> stop{false};
  auto read = [&](const std::string& service, const std::string& id) {
    LineSplitter lines(service, fn);
    engine.container_logs(
        id, log_options,
        [&](engine::LogStream stream, const std::string& data) {
          std::lock_guard<std::mutex> lock(mutex);
          if (stop.load()) return false;
          if (!lines.feed(static_cast<int>(stream), data)) stop.store(true);
          return !stop.load();
        },
        &stop);
    std::lock_guard<std::mutex> lock(mutex);
    if (!stop.load() && !lines.flush()) stop.store(true);
  };

  std::vector<std::pair<std::string, std::string>> targets;
  for (const auto& name : names) {
    const auto& containers = inventory.of(name);
    if (!containers.empty()) targets.emplace_back(name, containers.front().id);
  }
  if (!options.follow) {
    for (const auto& [service, id] : targets) {
      if (stop.load() || cancel.load()) break;
      read(service, id);
    }
    return !cancel.load();
  }

  std::atomic<size_t> running{targets.size()};
  std::vector<std::thread> readers;
  std::vector<std::string> errors;
  for (const auto& [service, id] : targets) {
    readers.emplace_back([&, service = service, id = id] {
      try {
        read(service, id);
      } catch (const Error& e) {
        std::lock_guard<std::mutex> lock(mutex);
        errors.push_back(service + ": " + e.what());
      }
      running--;
    });
  }
  // dm_group_cancel() only sets a flag: pass it on to the readers.
  while (running.load() > 0) {
    if (cancel.load()) stop.store(true);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (auto& r : readers) r.join();
  if (!errors.empty() && !cancel.load())
    throw Error(Error::Code::Engine, "reading logs failed: " + errors.front());
  return !cancel.load();
}

}  // namespace dm::orchestrator
