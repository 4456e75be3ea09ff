// Shared helpers of the lifecycle suites (tests/orchestrator): they drive the
// library through its public C API, as a user's program does, and look at the
// engine directly (through the engine layer, or the docker command) to check
// what the product left behind.
//
//   unique_group()       a group name no other test uses
//   EventRecorder        collects dm_events; answers "which came first"
//   HookProbe            counts hook calls and stamps them; hooks as C functions
//   Engine               what the engine holds for a group (by label)
//   LifecycleTest        fixture: a client, groups that are cleaned up and
//                        checked for leaks in TearDown
//
// Header-only on purpose: tests/CMakeLists.txt links tests/support/*.cc into
// every GoogleTest suite, and the model and engine suites do not link the C
// API these helpers stand on.
#ifndef DM_TESTS_SUPPORT_LIFECYCLE_H
#define DM_TESTS_SUPPORT_LIFECYCLE_H

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "drillmaster/drillmaster.h"
#include "engine/client.h"

namespace dm::testing {

inline constexpr const char* kImage = DM_TEST_IMAGE;
inline constexpr const char* kGroupLabel = "io.drillmaster.group";

// A sh script that runs until it gets SIGTERM, and then exits at once.
inline constexpr const char* kSleeper = "trap 'exit 0' TERM; sleep 1000 & wait";

// "dmt-<what>-<random>": lower case, a valid group name and image name part.
std::string unique_group(const std::string& what);

// A TCP port nothing listens on right now (the kernel's pick, released).
int free_port();

// Seconds on a monotonic clock.
double monotonic_seconds();

// Runs a shell command and returns its standard output.
std::string shell(const std::string& command);

// A temporary copy of a fixture build context from tests/data, removed at the
// end of the scope; files in it can be rewritten between builds.
class TempContext {
 public:
  explicit TempContext(const std::string& fixture);
  ~TempContext();
  TempContext(const TempContext&) = delete;
  TempContext& operator=(const TempContext&) = delete;
  const std::string& path() const { return path_; }
  void write(const std::string& file, const std::string& content) const;

 private:
  std::string path_;
};

// ---- events ----

struct RecordedEvent {
  size_t seq;           // order of arrival
  std::string service;  // "" for the group
  int phase;
  std::string message;
  double timestamp;
};

class EventRecorder {
 public:
  // The dm_event_fn to pass with `this` as user_data.
  static void callback(const dm_event* event, void* user_data);

  std::vector<RecordedEvent> events() const;
  // Index (seq) of the first / last event of `service` in `phase`; -1 when none.
  long first(const std::string& service, int phase) const;
  long last(const std::string& service, int phase) const;
  size_t count(const std::string& service, int phase) const;
  // Timestamp of the first event of `service` in `phase`; -1 when none.
  double time_of(const std::string& service, int phase) const;
  // The events as text, for failure messages.
  std::string dump() const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::vector<RecordedEvent> events_;
};

// ---- hooks ----

// What a service's hooks saw. Set `ready_after` (the ping call that answers
// ready; 0: never), `ping_delay` (seconds each ping takes), `fail_*` to make a
// hook fail with `failure_message`.
struct HookProbe {
  std::atomic<int> pre_start{0};
  std::atomic<int> ping{0};
  std::atomic<int> init{0};
  int ready_after = 1;
  double ping_delay = 0;
  bool fail_pre_start = false;
  bool fail_ping = false;  // the ping returns a negative value
  bool fail_init = false;
  std::string failure_message = "hook failed on purpose";

  mutable std::mutex mutex;
  std::vector<double> ping_times;      // monotonic seconds at each ping's entry
  std::vector<double> ping_end_times;  // ...and at its return
  std::vector<std::string> order;      // "pre_start", "ping", "init" as called
  std::string last_container_id;       // as a hook saw it
  std::string last_group, last_network, last_container_name;
  bool pre_start_saw_container = false;  // pre_start must see no container

  void reset();
  std::vector<std::string> calls() const;

  // Installs this probe's hooks on `service` (each may be left out).
  void attach(dm_service* service, bool pre_start = true, bool ping = true, bool init = true);

  static int pre_start_hook(const dm_hook_info* info, void* user_data);
  static int ping_hook(const dm_hook_info* info, void* user_data);
  static int init_hook(const dm_hook_info* info, void* user_data);
};

// ---- the engine, looked at directly ----

class Engine {
 public:
  Engine();
  engine::Client& client() { return *client_; }

  // Every container of the group (any state), found by label.
  std::vector<engine::ContainerSummary> containers(const std::string& group);
  std::vector<engine::ContainerSummary> containers(const std::string& group,
                                                   const std::string& service);
  std::vector<engine::NetworkSummary> networks(const std::string& group);
  bool network_exists(const std::string& name);
  bool container_exists(const std::string& id);
  engine::ContainerInfo inspect(const std::string& id);
  // Removes everything labelled for the group; returns what it found.
  size_t purge(const std::string& group);

 private:
  std::unique_ptr<engine::Client> client_;
};

// ---- the fixture ----

// One dm_group as a test uses it.
struct Group {
  dm_group* handle = nullptr;
  std::string name;
  std::vector<std::string> images;  // built by the test: removed at the end
};

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override;
  // Stops every group with remove through the product, asserts that nothing
  // labelled for it is left on the engine (the product did not leak), then
  // force-removes whatever is left anyway, and the images the test built.
  void TearDown() override;

  // A new group named unique_group(what); freed and cleaned up in TearDown.
  dm_group* new_group(const std::string& what = "g");
  // The same with an exact name (still cleaned up in TearDown).
  dm_group* new_group_named(const std::string& name);
  // The first group's name.
  const std::string& group_name(const dm_group* group) const;
  // Registers an image to remove at the end (built by a test).
  void own_image(const std::string& image);
  // Skip the teardown's "stop --remove" (a test that checks it itself, or
  // that left the group in a state the teardown must not touch).
  void skip_product_teardown() { product_teardown_ = false; }

  // A service running kSleeper.
  dm_service* add_sleeper(dm_group* group, const std::string& name,
                          const std::vector<std::string>& deps = {});
  static void set_script(dm_service* service, const std::string& script);

  // dm_group_start with a timeout, the recorder and optional extras.
  int start(dm_group* group, dm_result** out, EventRecorder* events = nullptr, double timeout = 30,
            const std::vector<std::string>& exclude = {});
  int stop(dm_group* group, dm_result** out, bool remove, EventRecorder* events = nullptr,
           double timeout = 10, const std::vector<std::string>& exclude = {});

  static int outcome_of(const dm_result* result, const std::string& service);
  static std::string reason_of(const dm_result* result, const std::string& service);
  static std::string container_of(const dm_result* result, const std::string& service);
  static std::string describe(const dm_result* result);

  dm_client* client_ = nullptr;
  std::unique_ptr<Engine> engine_;
  std::vector<Group> groups_;
  bool product_teardown_ = true;
};

// Frees a result at the end of a scope.
struct ResultPtr {
  dm_result* p = nullptr;
  ~ResultPtr() { dm_result_free(p); }
  dm_result** out() {
    dm_result_free(p);
    p = nullptr;
    return &p;
  }
  operator const dm_result*() const { return p; }
};

struct ReportPtr {
  dm_report* p = nullptr;
  ~ReportPtr() { dm_report_free(p); }
  dm_report** out() {
    dm_report_free(p);
    p = nullptr;
    return &p;
  }
  operator const dm_report*() const { return p; }
};

}  // namespace dm::testing

#include "support/lifecycle_impl.h"

#endif
