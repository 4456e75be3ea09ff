// The definitions of support/lifecycle.h (inline: see there why).
#ifndef DM_TESTS_SUPPORT_LIFECYCLE_IMPL_H
#define DM_TESTS_SUPPORT_LIFECYCLE_IMPL_H

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/error.h"
#include "orchestrator/lock.h"

namespace dm::testing {

inline std::string unique_group(const std::string& what) {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%06x%u", rd() & 0xffffff, counter++);
  return "dmt-" + what + "-" + buffer;
}

inline int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

inline double monotonic_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

inline std::string shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

// ---- TempContext ----

inline TempContext::TempContext(const std::string& fixture) {
  namespace fs = std::filesystem;
  std::string pattern = (fs::temp_directory_path() / "dmtest-ctx-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = buffer.data();
  fs::copy(fs::path(DM_TEST_DATA) / fixture, path_, fs::copy_options::recursive);
}

inline TempContext::~TempContext() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

inline void TempContext::write(const std::string& file, const std::string& content) const {
  std::ofstream out(path_ + "/" + file, std::ios::trunc);
  out << content;
}

// ---- EventRecorder ----

inline void EventRecorder::callback(const dm_event* event, void* user_data) {
  auto* self = static_cast<EventRecorder*>(user_data);
  std::lock_guard<std::mutex> lock(self->mutex_);
  self->events_.push_back({self->events_.size(), event->service ? event->service : "", event->phase,
                           event->message ? event->message : "(null)", event->timestamp});
}

inline std::vector<RecordedEvent> EventRecorder::events() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return events_;
}

inline long EventRecorder::first(const std::string& service, int phase) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& e : events_)
    if (e.service == service && e.phase == phase) return static_cast<long>(e.seq);
  return -1;
}

inline long EventRecorder::last(const std::string& service, int phase) const {
  std::lock_guard<std::mutex> lock(mutex_);
  long found = -1;
  for (const auto& e : events_)
    if (e.service == service && e.phase == phase) found = static_cast<long>(e.seq);
  return found;
}

inline size_t EventRecorder::count(const std::string& service, int phase) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::count_if(events_.begin(), events_.end(), [&](const RecordedEvent& e) {
    return e.service == service && e.phase == phase;
  });
}

inline double EventRecorder::time_of(const std::string& service, int phase) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& e : events_)
    if (e.service == service && e.phase == phase) return e.timestamp;
  return -1;
}

inline std::string EventRecorder::dump() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::ostringstream out;
  double t0 = events_.empty() ? 0 : events_.front().timestamp;
  for (const auto& e : events_) {
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%7.3f", e.timestamp - t0);
    out << "  #" << e.seq << " " << stamp << " " << (e.service.empty() ? "(group)" : e.service)
        << " " << dm_phase_name(e.phase) << " " << e.message.substr(0, 200) << "\n";
  }
  return out.str();
}

inline void EventRecorder::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  events_.clear();
}

// ---- HookProbe ----

inline void HookProbe::reset() {
  pre_start = 0;
  ping = 0;
  init = 0;
  std::lock_guard<std::mutex> lock(mutex);
  ping_times.clear();
  ping_end_times.clear();
  order.clear();
}

inline std::vector<std::string> HookProbe::calls() const {
  std::lock_guard<std::mutex> lock(mutex);
  return order;
}

inline void HookProbe::attach(dm_service* service, bool pre, bool pg, bool in) {
  if (pre) dm_service_set_pre_start(service, pre_start_hook, this);
  if (pg) dm_service_set_ping(service, ping_hook, this);
  if (in) dm_service_set_post_start_init(service, init_hook, this);
}

inline int HookProbe::pre_start_hook(const dm_hook_info* info, void* user_data) {
  auto* self = static_cast<HookProbe*>(user_data);
  self->pre_start++;
  {
    std::lock_guard<std::mutex> lock(self->mutex);
    self->order.push_back("pre_start");
    self->pre_start_saw_container = info->container_id != nullptr;
    self->last_group = info->group ? info->group : "";
    self->last_network = info->network ? info->network : "";
  }
  if (self->fail_pre_start) {
    dm_error_set(self->failure_message.c_str());
    return 1;
  }
  return 0;
}

inline int HookProbe::ping_hook(const dm_hook_info* info, void* user_data) {
  auto* self = static_cast<HookProbe*>(user_data);
  int n = ++self->ping;
  {
    std::lock_guard<std::mutex> lock(self->mutex);
    self->order.push_back("ping");
    self->ping_times.push_back(monotonic_seconds());
    self->last_container_id = info->container_id ? info->container_id : "";
    self->last_container_name = info->container_name ? info->container_name : "";
  }
  if (self->ping_delay > 0)
    std::this_thread::sleep_for(std::chrono::duration<double>(self->ping_delay));
  {
    std::lock_guard<std::mutex> lock(self->mutex);
    self->ping_end_times.push_back(monotonic_seconds());
  }
  if (self->fail_ping) {
    dm_error_set(self->failure_message.c_str());
    return -1;
  }
  return self->ready_after > 0 && n >= self->ready_after ? DM_PING_READY : DM_PING_NOT_READY;
}

inline int HookProbe::init_hook(const dm_hook_info* info, void* user_data) {
  auto* self = static_cast<HookProbe*>(user_data);
  self->init++;
  {
    std::lock_guard<std::mutex> lock(self->mutex);
    self->order.push_back("init");
    self->last_container_id = info->container_id ? info->container_id : "";
  }
  if (self->fail_init) {
    dm_error_set(self->failure_message.c_str());
    return 1;
  }
  return 0;
}

// ---- Engine ----

inline Engine::Engine() { client_ = engine::Client::open(engine::ClientOptions{}); }

inline std::vector<engine::ContainerSummary> Engine::containers(const std::string& group) {
  return client_->container_list({{kGroupLabel, group}}, /*all=*/true);
}

inline std::vector<engine::ContainerSummary> Engine::containers(const std::string& group,
                                                                const std::string& service) {
  return client_->container_list({{kGroupLabel, group}, {"io.drillmaster.service", service}},
                                 /*all=*/true);
}

inline std::vector<engine::NetworkSummary> Engine::networks(const std::string& group) {
  return client_->network_list({{kGroupLabel, group}});
}

inline bool Engine::network_exists(const std::string& name) {
  try {
    client_->network_inspect(name);
    return true;
  } catch (const Error& e) {
    if (e.code() == Error::Code::NotFound) return false;
    throw;
  }
}

inline bool Engine::container_exists(const std::string& id) {
  try {
    client_->container_inspect(id);
    return true;
  } catch (const Error& e) {
    if (e.code() == Error::Code::NotFound) return false;
    throw;
  }
}

inline engine::ContainerInfo Engine::inspect(const std::string& id) {
  return client_->container_inspect(id);
}

inline size_t Engine::purge(const std::string& group) {
  size_t found = 0;
  for (const auto& c : containers(group)) {
    found++;
    try {
      client_->container_remove(c.id, true, true);
    } catch (const Error&) {
    }
  }
  for (const auto& n : networks(group)) {
    found++;
    try {
      client_->network_remove(n.id);
    } catch (const Error&) {
    }
  }
  return found;
}

// ---- LifecycleTest ----

inline void LifecycleTest::SetUp() {
  int rc = dm_client_open(&client_, nullptr);
  ASSERT_EQ(rc, DM_OK) << dm_error_last();
  engine_ = std::make_unique<Engine>();
}

inline void LifecycleTest::TearDown() {
  for (Group& g : groups_) {
    if (product_teardown_) {
      dm_result* result = nullptr;
      dm_stop_options opts = DM_STOP_OPTIONS_INIT;
      opts.remove = 1;
      opts.timeout = 5;
      int rc = dm_group_stop(&result, g.handle, client_, &opts);
      EXPECT_EQ(rc, DM_OK) << "stop --remove of " << g.name << ": " << dm_error_last() << "\n"
                           << describe(result);
      dm_result_free(result);
      auto left = engine_->containers(g.name);
      EXPECT_TRUE(left.empty()) << "stop --remove left " << left.size() << " container(s) of "
                                << g.name
                                << " (first: " << (left.empty() ? "" : left.front().names.at(0))
                                << ")";
      EXPECT_TRUE(engine_->networks(g.name).empty())
          << "stop --remove left the network of " << g.name;
      EXPECT_FALSE(engine_->network_exists(dm_group_network_name(g.handle)))
          << "stop --remove left network " << dm_group_network_name(g.handle);
    }
    engine_->purge(g.name);
    for (const auto& image : g.images) {
      try {
        engine_->client().image_remove(image, /*force=*/true);
      } catch (const Error&) {
      }
    }
    try {  // a crashed operation's lock file; a finished one removes its own
      ::unlink(orchestrator::GroupLock::path_for(g.name).c_str());
    } catch (const Error&) {
    }
    dm_group_free(g.handle);
  }
  groups_.clear();
  dm_client_free(client_);
  client_ = nullptr;
}

inline dm_group* LifecycleTest::new_group(const std::string& what) {
  return new_group_named(unique_group(what));
}

inline dm_group* LifecycleTest::new_group_named(const std::string& name) {
  Group g;
  g.name = name;
  int rc = dm_group_new(&g.handle, g.name.c_str());
  EXPECT_EQ(rc, DM_OK) << dm_error_last();
  groups_.push_back(g);
  return g.handle;
}

inline const std::string& LifecycleTest::group_name(const dm_group* group) const {
  for (const auto& g : groups_)
    if (g.handle == group) return g.name;
  static const std::string none;
  return none;
}

inline void LifecycleTest::own_image(const std::string& image) {
  if (!groups_.empty()) groups_.back().images.push_back(image);
}

inline void LifecycleTest::set_script(dm_service* service, const std::string& script) {
  const char* argv[] = {"sh", "-c", script.c_str()};
  dm_service_set_cmd(service, argv, 3);
}

inline dm_service* LifecycleTest::add_sleeper(dm_group* group, const std::string& name,
                                              const std::vector<std::string>& deps) {
  dm_service* s = nullptr;
  EXPECT_EQ(dm_group_add_service(&s, group, name.c_str(), kImage), DM_OK) << dm_error_last();
  set_script(s, kSleeper);
  for (const auto& d : deps) dm_service_add_dependency(s, d.c_str());
  return s;
}

inline int LifecycleTest::start(dm_group* group, dm_result** out, EventRecorder* events,
                                double timeout, const std::vector<std::string>& exclude) {
  std::vector<const char*> ex;
  for (const auto& e : exclude) ex.push_back(e.c_str());
  dm_start_options opts = DM_START_OPTIONS_INIT;
  opts.timeout = timeout;
  opts.exclude = ex.empty() ? nullptr : ex.data();
  opts.exclude_count = ex.size();
  if (events) {
    opts.on_event = EventRecorder::callback;
    opts.event_user_data = events;
  }
  return dm_group_start(out, group, client_, &opts);
}

inline int LifecycleTest::stop(dm_group* group, dm_result** out, bool remove, EventRecorder* events,
                               double timeout, const std::vector<std::string>& exclude) {
  std::vector<const char*> ex;
  for (const auto& e : exclude) ex.push_back(e.c_str());
  dm_stop_options opts = DM_STOP_OPTIONS_INIT;
  opts.timeout = timeout;
  opts.remove = remove ? 1 : 0;
  opts.exclude = ex.empty() ? nullptr : ex.data();
  opts.exclude_count = ex.size();
  if (events) {
    opts.on_event = EventRecorder::callback;
    opts.event_user_data = events;
  }
  return dm_group_stop(out, group, client_, &opts);
}

inline int LifecycleTest::outcome_of(const dm_result* result, const std::string& service) {
  for (size_t i = 0; i < dm_result_count(result); i++)
    if (service == dm_result_service(result, i)) return dm_result_outcome(result, i);
  return -1;
}

inline std::string LifecycleTest::reason_of(const dm_result* result, const std::string& service) {
  for (size_t i = 0; i < dm_result_count(result); i++)
    if (service == dm_result_service(result, i)) return dm_result_reason(result, i);
  return "(no such service in the result)";
}

inline std::string LifecycleTest::container_of(const dm_result* result,
                                               const std::string& service) {
  for (size_t i = 0; i < dm_result_count(result); i++)
    if (service == dm_result_service(result, i)) return dm_result_container_id(result, i);
  return "";
}

inline std::string LifecycleTest::describe(const dm_result* result) {
  if (result == nullptr) return "(no result)";
  std::ostringstream out;
  for (size_t i = 0; i < dm_result_count(result); i++) {
    out << "  " << dm_result_service(result, i) << ": "
        << dm_outcome_name(dm_result_outcome(result, i));
    if (*dm_result_reason(result, i)) out << " (" << dm_result_reason(result, i) << ")";
    out << "\n";
  }
  return out.str();
}

}  // namespace dm::testing

#endif
