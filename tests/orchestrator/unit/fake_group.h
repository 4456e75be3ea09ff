// A group driven through the orchestrator's public operations (start, stop,
// reload) over the in-process fake engine: the executor's unit tests set up
// services, hooks and the engine's answers, run an operation, and look at
// the outcomes, the events and the calls the engine saw.
//
//   FakeGroup g;                    // a fake engine holding kImage
//   g.add("db");  g.add("app", {"db"});
//   Probe probe; probe.attach(g.service("db"));   // hooks that count
//
// add() returns a reference that the next add() may invalidate: add every
// service first, then reach them through service().
//   Result r = g.start();
//   EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Started);
#ifndef DM_TESTS_ORCHESTRATOR_UNIT_FAKE_GROUP_H
#define DM_TESTS_ORCHESTRATOR_UNIT_FAKE_GROUP_H

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "common/cancel.h"
#include "model/hooks.h"
#include "model/service.h"
#include "orchestrator/identity.h"
#include "orchestrator/orchestrator.h"
#include "support/fake_client.h"

namespace dm::testing {

using orchestrator::Outcome;
using orchestrator::Phase;
using orchestrator::Result;

inline constexpr const char* kImage = "busybox:latest";
// Far more than any step of these tests takes: a wait this long is a bug.
inline constexpr double kBoundSeconds = 30;

// Counts a service's hook calls; what each answers and does is set by the test.
struct Probe {
  std::atomic<int> pre_start{0}, ping{0}, init{0};
  int ready_after = 1;  // the ping call that answers ready (0: never)
  int init_result = 0;
  std::function<void()> on_pre_start, on_ping, on_init;  // run inside the hook
  std::mutex mutex;
  std::vector<std::string> container_ids;  // seen by init

  model::HookAnswer pre_start_hook() {
    pre_start++;
    if (on_pre_start) on_pre_start();
    return {0, ""};
  }
  model::HookAnswer ping_hook() {
    int n = ++ping;
    if (on_ping) on_ping();
    return {ready_after > 0 && n >= ready_after ? model::kPingReady : model::kPingNotReady, ""};
  }
  model::HookAnswer init_hook(const model::HookContext& context) {
    init++;
    {
      std::lock_guard<std::mutex> lock(mutex);
      container_ids.push_back(context.container_id);
    }
    if (on_init) on_init();
    return {init_result, ""};
  }
  // Attaches the hooks asked for to `service`.
  void attach(model::ServiceDef& service, bool with_pre_start = true, bool with_ping = true,
              bool with_init = true) {
    if (with_pre_start)
      service.hooks.pre_start = [this](const model::HookContext&) { return pre_start_hook(); };
    if (with_ping) service.hooks.ping = [this](const model::HookContext&) { return ping_hook(); };
    if (with_init)
      service.hooks.post_start_init = [this](const model::HookContext& context) {
        return init_hook(context);
      };
  }
};

struct RecordedEvent {
  std::string service;
  Phase phase;
  std::string message;
};

class FakeGroup {
 public:
  FakeGroup() {
    static std::atomic<unsigned> counter{0};
    std::random_device random;
    def_.name = "ut" + std::to_string(random() % 100000) + "-" + std::to_string(counter++);
    def_.network = "drillmaster-" + def_.name;
    def_.directory = "/nonexistent/drillmaster-unit";
    image_id_ = fake.add_image(kImage);
  }

  FakeClient fake;
  CancelToken token;

  model::ServiceDef& add(const std::string& name, std::vector<std::string> dependencies = {}) {
    model::ServiceDef s;
    s.name = name;
    s.image = kImage;
    s.dependencies = std::move(dependencies);
    def_.services.push_back(s);
    return def_.services.back();
  }
  model::ServiceDef& service(const std::string& name) {
    for (auto& s : def_.services)
      if (s.name == name) return s;
    throw std::runtime_error("no service " + name);
  }
  const model::GroupDef& def() const { return def_; }
  const std::string& image_id() const { return image_id_; }

  // The container `name`'s definition would get, under its final name.
  engine::ContainerSpec spec_of(const std::string& name) {
    return orchestrator::container_spec(def_, service(name));
  }
  // A container as an earlier start left it: `state`, under `container_name`
  // ("" : its final name), made from the current definition unless `hash`,
  // exited with `exit_code`.
  std::string leave(const std::string& name, const std::string& state,
                    const std::string& container_name = "", const std::string& hash = "",
                    int exit_code = 0) {
    engine::ContainerSpec spec = spec_of(name);
    if (!container_name.empty()) spec.name = container_name;
    if (!hash.empty()) spec.labels[orchestrator::kConfigHashLabel] = hash;
    if (!fake.has_network(def_.network)) fake.network_create(def_.network, {});
    return fake.add_container(spec, state, exit_code);
  }

  Result start(orchestrator::StartOptions options = {}) {
    options.on_event = recorder();
    return orchestrator::start(fake, def_, options, token);
  }
  Result stop(orchestrator::StopOptions options = {}) {
    options.on_event = recorder();
    return orchestrator::stop(fake, def_, options, token);
  }
  Result reload(const std::string& service, orchestrator::ReloadOptions options = {}) {
    options.service = service;
    options.timeout = 30;
    options.on_event = recorder();
    return orchestrator::reload(fake, def_, options, token);
  }

  // ---- looking at what happened ----
  static const orchestrator::Outcome& outcome_of(const Result& r, const std::string& service) {
    for (const auto& o : r.services)
      if (o.service == service) return o;
    throw std::runtime_error("no outcome for " + service);
  }
  static Outcome::Kind outcome(const Result& r, const std::string& service) {
    return outcome_of(r, service).outcome;
  }
  static std::string reason(const Result& r, const std::string& service) {
    return outcome_of(r, service).reason;
  }
  std::vector<RecordedEvent> events() {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }
  // Where the first event of `service` in `phase` is; -1 when none.
  long first(const std::string& service, Phase phase) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 0; i < events_.size(); i++)
      if (events_[i].service == service && events_[i].phase == phase) return static_cast<long>(i);
    return -1;
  }
  size_t count(const std::string& service, Phase phase) {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t n = 0;
    for (const auto& e : events_) n += e.service == service && e.phase == phase;
    return n;
  }
  std::string dump() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string out;
    for (const auto& e : events_)
      out += (e.service.empty() ? "(group)" : e.service) + " " +
             std::to_string(static_cast<int>(e.phase)) + " " + e.message + "\n";
    return out;
  }
  // The containers of `service` left on the fake engine.
  std::vector<FakeContainer> containers_of(const std::string& service) {
    std::vector<FakeContainer> out;
    for (auto& c : fake.containers())
      if (c.service == service) out.push_back(c);
    return out;
  }
  std::string final_name(const std::string& service) const {
    return def_.name + "-" + service + "-1";
  }

 private:
  orchestrator::EventSink recorder() {
    return [this](const orchestrator::Event& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      events_.push_back({e.service, e.phase, e.message});
    };
  }

  model::GroupDef def_;
  std::string image_id_;
  std::mutex mutex_;
  std::vector<RecordedEvent> events_;
};

inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace dm::testing

#endif
