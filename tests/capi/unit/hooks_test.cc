// C hooks as the orchestrator calls them (capi/hooks.h over
// orchestrator/hooks.h): what they are told, what they answer, and a prepare
// hook's environment, without an engine.
#include "capi/hooks.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include "capi/handles.h"
#include "common/error.h"
#include "orchestrator/hooks.h"

namespace dm::capi {
namespace {

using orchestrator::Clock;

Clock::time_point soon() { return Clock::now() + std::chrono::seconds(30); }

const model::GroupDef& group() {
  static const model::GroupDef g = [] {
    model::GroupDef out;
    out.name = "demo";
    out.network = "drillmaster-demo";
    return out;
  }();
  return g;
}

// The orchestrator's way to run a prepare hook: on a pool, by a runner.
model::ServiceDef prepare(const model::ServiceDef& service, Clock::time_point deadline) {
  orchestrator::HookPool pool(1, nullptr);
  orchestrator::HookRunner runner(pool, group());
  return runner.prepare(service, deadline);
}

struct Seen {
  std::string group, service, network;
  bool container_id_null = false, container_name_null = false, definition_null = false;
};

int record(const dm_hook_info* info, void* user_data) {
  auto* seen = static_cast<Seen*>(user_data);
  seen->group = info->group;
  seen->service = info->service;
  seen->network = info->network;
  seen->container_id_null = info->container_id == nullptr;
  seen->container_name_null = info->container_name == nullptr;
  seen->definition_null = info->definition == nullptr;
  dm_error_set("not yet: still loading");
  return DM_PING_NOT_READY;
}

TEST(CHooks, AHookIsToldItsServiceAndItsReasonComesBack) {
  Seen seen;
  std::string reason;
  model::ServiceDef service;
  service.name = "db";
  service.hooks.ping = wrap_hook(record, &seen);
  orchestrator::HookPool pool(1, nullptr);
  orchestrator::HookRunner runner(pool, group());
  EXPECT_FALSE(runner.ping(service, "", "", soon(), &reason));  // DM_PING_NOT_READY
  EXPECT_EQ(reason, "not yet: still loading");
  EXPECT_EQ(seen.group, "demo");
  EXPECT_EQ(seen.service, "db");
  EXPECT_EQ(seen.network, "drillmaster-demo");
  EXPECT_TRUE(seen.container_id_null);  // no container yet: NULL, not ""
  EXPECT_TRUE(seen.container_name_null);
  EXPECT_TRUE(seen.definition_null);  // only prepare gets one
}

TEST(CHooks, NoFunctionIsNoHook) {
  EXPECT_FALSE(wrap_hook(nullptr, nullptr));
  EXPECT_FALSE(wrap_prepare(nullptr, nullptr));
}

int set_password(const dm_hook_info* info, void*) {
  return dm_service_set_env(info->definition, "PASSWORD", "from-prepare");
}

TEST(CHooks, PrepareSetsTheEnvironmentOfTheOperationsCopyOnly) {
  model::ServiceDef service;
  service.name = "db";
  service.env = {{"USER", "app"}};
  service.hooks.prepare = wrap_prepare(set_password, nullptr);
  model::ServiceDef prepared = prepare(service, soon());
  EXPECT_EQ(prepared.env, (std::vector<std::pair<std::string, std::string>>{
                              {"USER", "app"}, {"PASSWORD", "from-prepare"}}));
  EXPECT_EQ(service.env.size(), 1u);
}

int refuse(const dm_hook_info*, void*) {
  dm_error_set("the vault is sealed");
  return 3;
}

TEST(CHooks, AFailingPrepareSaysWhy) {
  model::ServiceDef service;
  service.name = "db";
  service.hooks.prepare = wrap_prepare(refuse, nullptr);
  try {
    prepare(service, soon());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Hook);
    EXPECT_STREQ(e.what(), "prepare failed: the vault is sealed");
  }
}

// A prepare hook that goes on after its deadline: it waits to be released,
// then writes to the handle it was given.
struct Late {
  std::mutex mutex;
  std::condition_variable cv;
  bool released = false;
  bool done = false;
  int status = -100;
};

int late_prepare(const dm_hook_info* info, void* user_data) {
  auto* late = static_cast<Late*>(user_data);
  std::unique_lock<std::mutex> lock(late->mutex);
  late->cv.wait(lock, [&] { return late->released; });
  late->status = dm_service_set_env(info->definition, "LATE", "1");
  late->done = true;
  late->cv.notify_all();
  return 0;
}

// Run under AddressSanitizer, this proves that the handle an abandoned call
// writes to outlives the operation that gave up on it.
TEST(CHooks, APrepareAbandonedAtItsDeadlineWritesOnlyMemoryItOwns) {
  Late late;
  {
    model::ServiceDef service;
    service.name = "db";
    service.hooks.prepare = wrap_prepare(late_prepare, &late);
    try {
      prepare(service, Clock::now() + std::chrono::milliseconds(50));
      FAIL() << "prepare returned before its hook did";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Error::Code::Timeout) << e.what();
    }
    EXPECT_TRUE(service.env.empty());
  }  // the definition is gone; the hook still runs
  std::unique_lock<std::mutex> lock(late.mutex);
  late.released = true;
  late.cv.notify_all();
  late.cv.wait(lock, [&] { return late.done; });
  EXPECT_EQ(late.status, DM_OK);
}

}  // namespace
}  // namespace dm::capi
