// dm_group_free() while an operation runs on the group in another thread: the
// group must stay alive until the operation returns (no use after free; the
// suite runs under AddressSanitizer in scripts/test), the operation must end
// as it would have, dm_group_cancel() must still work meanwhile, and the group
// must then be released (LeakSanitizer checks that at exit).
#include <condition_variable>
#include <mutex>
#include <thread>

#include "support/lifecycle.h"

namespace dm::testing {
namespace {

// A ping hook that says when it has begun, then holds the start in it until
// released. Static storage: an abandoned hook thread may still touch it after
// the test has returned.
struct GatedPing {
  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false;
  bool released = false;

  static int hook(const dm_hook_info*, void* user_data) {
    auto* self = static_cast<GatedPing*>(user_data);
    std::unique_lock<std::mutex> lock(self->mutex);
    self->entered = true;
    self->changed.notify_all();
    self->changed.wait_for(lock, std::chrono::seconds(60), [self] { return self->released; });
    return DM_PING_READY;
  }

  bool await_entered() {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(60), [this] { return entered; });
  }

  void release() {
    std::lock_guard<std::mutex> lock(mutex);
    released = true;
    changed.notify_all();
  }
};

GatedPing gate_for_free;
GatedPing gate_for_cancel;

class GroupFree : public LifecycleTest {
 protected:
  // A second handle on a group of the fixture's: the test frees it, the
  // fixture cleans the group up through the first one.
  dm_group* doomed_group(const std::string& name, GatedPing& gate) {
    dm_group* cleanup = new_group_named(name);
    add_sleeper(cleanup, "db");
    dm_group* doomed = nullptr;
    EXPECT_EQ(dm_group_new(&doomed, name.c_str()), DM_OK) << dm_error_last();
    dm_service_set_ping(add_sleeper(doomed, "db"), GatedPing::hook, &gate);
    return doomed;
  }
};

TEST_F(GroupFree, FreeingTheGroupDuringAStartWaitsForTheStartToReturn) {
  std::string name = unique_group("free");
  dm_group* doomed = doomed_group(name, gate_for_free);

  dm_result* result = nullptr;
  int rc = -1;
  std::string error;
  std::thread starter([&] {
    rc = start(doomed, &result);
    error = dm_error_last();
  });
  ASSERT_TRUE(gate_for_free.await_entered());
  dm_group_free(doomed);  // the start is inside its ping hook now
  gate_for_free.release();
  starter.join();

  EXPECT_EQ(rc, DM_OK) << error;
  EXPECT_EQ(outcome_of(result, "db"), DM_OUTCOME_STARTED) << describe(result);
  dm_result_free(result);
  auto containers = engine_->containers(name, "db");
  ASSERT_EQ(containers.size(), 1u);
  EXPECT_EQ(containers[0].state, "running");
}

TEST_F(GroupFree, AFreedGroupCanStillBeCancelledUntilItsOperationReturns) {
  std::string name = unique_group("freecancel");
  dm_group* doomed = doomed_group(name, gate_for_cancel);

  dm_result* result = nullptr;
  int rc = -1;
  std::thread starter([&] { rc = start(doomed, &result); });
  ASSERT_TRUE(gate_for_cancel.await_entered());
  dm_group_free(doomed);
  dm_group_cancel(doomed);  // still allowed: the start has not returned
  starter.join();
  gate_for_cancel.release();

  EXPECT_EQ(rc, DM_ECANCELLED);
  EXPECT_TRUE(dm_result_cancelled(result)) << describe(result);
  dm_result_free(result);
}

}  // namespace
}  // namespace dm::testing
