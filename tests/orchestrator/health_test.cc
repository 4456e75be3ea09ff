// Readiness from health checks: a container with one (its image's
// HEALTHCHECK or the service's healthcheck) is ready once the engine reports
// it healthy; unhealthy fails the service with the last check's output; a
// ping runs only after healthy, and dependants start only after that.
#include <chrono>
#include <mutex>
#include <thread>

#include "support/lifecycle.h"

namespace dm::testing {
namespace {

class Health : public LifecycleTest {
 protected:
  // A service of the "healthy" fixture's image (built once per test; the
  // layers are cached), healthy READY_AFTER seconds after it starts.
  dm_service* add_healthy(dm_group* g, const std::string& name, const std::string& ready_after) {
    std::string image = group_name(g) + "/healthy:latest";
    if (!built_) {
      own_image(image);
      built_ = true;
    }
    dm_service* s = nullptr;
    EXPECT_EQ(dm_group_add_service(&s, g, name.c_str(), image.c_str()), DM_OK) << dm_error_last();
    EXPECT_EQ(dm_service_set_build(s, context_.path().c_str(), nullptr), DM_OK);
    dm_service_set_env(s, "READY_AFTER", ready_after.c_str());
    return s;
  }

  // Checks every `interval` s; failures in the first `start_period` s do not count.
  static void set_healthcheck(dm_service* s, std::vector<const char*> test, double interval = 0.2,
                              int retries = 0, double start_period = 0) {
    ASSERT_EQ(
        dm_service_set_healthcheck(s, test.data(), test.size(), interval, 0, retries, start_period),
        DM_OK)
        << dm_error_last();
  }

  TempContext context_{"healthy"};
  bool built_ = false;
};

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// What the engine said of the container's health each time a ping ran.
struct HealthAtPing {
  Engine* engine;
  std::mutex mutex;
  std::vector<std::string> seen;
};

int record_health(const dm_hook_info* info, void* user_data) {
  auto* self = static_cast<HealthAtPing*>(user_data);
  std::string health = self->engine->inspect(info->container_id).health;
  std::lock_guard<std::mutex> lock(self->mutex);
  self->seen.push_back(health);
  return DM_PING_READY;
}

TEST_F(Health, AnImageHealthcheckIsWaitedForAndStatusShowsHealthy) {
  dm_group* g = new_group("image");
  add_healthy(g, "db", "1");
  add_sleeper(g, "app", {"db"});
  EventRecorder events;
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), &events), DM_OK) << dm_error_last() << describe(r);

  EXPECT_EQ(engine_->inspect(container_of(r, "db")).health, "healthy");
  // Waiting for healthy is said, and the dependant starts only once db is ready.
  bool said = false;
  for (const RecordedEvent& e : events.events())
    if (e.service == "db" && e.phase == DM_PHASE_PINGING && has(e.message, "healthy")) said = true;
  EXPECT_TRUE(said) << events.dump();
  EXPECT_LT(events.first("db", DM_PHASE_RUNNING), events.first("app", DM_PHASE_STARTING))
      << events.dump();

  ReportPtr report;
  ASSERT_EQ(dm_group_status(report.out(), g, client_), DM_OK) << dm_error_last();
  bool shown = false;
  for (size_t i = 0; i < dm_report_count(report); i++)
    if (std::string(dm_report_service(report, i)) == "db")
      shown = std::string(dm_report_health(report, i)) == "healthy";
  EXPECT_TRUE(shown) << "status does not show db healthy";
}

TEST_F(Health, APingRunsOnlyOnceTheContainerIsHealthy) {
  dm_group* g = new_group("ping");
  dm_service* db = add_sleeper(g, "db");
  set_script(db, "trap 'exit 0' TERM; sleep 1; touch /ready; sleep 1000 & wait");
  set_healthcheck(db, {"CMD", "test", "-f", "/ready"}, 0.2, 2, 10);
  HealthAtPing probe{engine_.get(), {}, {}};
  dm_service_set_ping(db, record_health, &probe);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  std::lock_guard<std::mutex> lock(probe.mutex);
  EXPECT_EQ(probe.seen, std::vector<std::string>{"healthy"});
}

TEST_F(Health, UnhealthyFailsTheServiceWithTheLastCheckAndSkipsItsDependant) {
  dm_group* g = new_group("sick");
  dm_service* db = add_sleeper(g, "db");
  set_healthcheck(db, {"CMD-SHELL", "echo db refuses connections; exit 3"}, 0.2, 2);
  add_sleeper(g, "app", {"db"});
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_EFAILED) << dm_error_last() << describe(r);

  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_FAILED);
  std::string reason = reason_of(r, "db");
  EXPECT_TRUE(has(reason, "unhealthy")) << reason;
  EXPECT_TRUE(has(reason, "exit code 3: db refuses connections")) << reason;
  EXPECT_EQ(outcome_of(r, "app"), DM_OUTCOME_SKIPPED);
  EXPECT_TRUE(engine_->containers(group_name(g), "db").empty())
      << "the failed new container was left behind";
}

TEST_F(Health, TheFieldOverridesTheImagesCheckAndNoneTurnsItOff) {
  dm_group* g = new_group("override");
  // The image's check would never pass: /ready is never made.
  set_healthcheck(add_healthy(g, "own", "never"), {"CMD", "true"});
  set_healthcheck(add_healthy(g, "off", "never"), {"NONE"}, 0);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), nullptr, 20), DM_OK) << dm_error_last() << describe(r);
  engine::ContainerInfo own = engine_->inspect(container_of(r, "own"));
  EXPECT_EQ(own.health, "healthy");
  ASSERT_TRUE(own.healthcheck.has_value());
  EXPECT_EQ(own.healthcheck->test, (std::vector<std::string>{"CMD", "true"}));
  engine::ContainerInfo off = engine_->inspect(container_of(r, "off"));
  EXPECT_TRUE(off.running);
  EXPECT_EQ(off.health, "");
}

TEST_F(Health, NotHealthyWithinTheTimeoutFailsSayingSo) {
  dm_group* g = new_group("slow");
  dm_service* db = add_sleeper(g, "db");
  set_healthcheck(db, {"CMD-SHELL", "echo still loading; exit 1"}, 0.2, 1000);
  dm_service_set_timeout(db, 1);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_EFAILED) << dm_error_last() << describe(r);
  std::string reason = reason_of(r, "db");
  EXPECT_TRUE(has(reason, "not healthy after 1 s")) << reason;
  EXPECT_TRUE(has(reason, "still loading")) << reason;
}

TEST_F(Health, AContainerThatExitsWhileStartingFailsWithItsExitCode) {
  dm_group* g = new_group("quits");
  dm_service* db = add_sleeper(g, "db");
  set_script(db, "sleep 0.5; echo giving up; exit 4");
  set_healthcheck(db, {"CMD", "false"}, 0.2, 1000);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_EFAILED) << dm_error_last() << describe(r);
  std::string reason = reason_of(r, "db");
  EXPECT_TRUE(has(reason, "exited with code 4 while waiting for it to be healthy")) << reason;
  EXPECT_TRUE(has(reason, "giving up")) << reason;
}

TEST_F(Health, ACancelEndsTheWaitForHealthy) {
  dm_group* g = new_group("cancel");
  dm_service* db = add_sleeper(g, "db");
  set_healthcheck(db, {"CMD", "false"}, 0.2, 1000);
  EventRecorder events;
  std::thread canceller([&] {
    while (events.first("db", DM_PHASE_PINGING) < 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    dm_group_cancel(g);
  });
  ResultPtr r;
  EXPECT_EQ(start(g, r.out(), &events, /*timeout=*/60), DM_ECANCELLED) << describe(r);
  canceller.join();
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_CANCELLED);
  EXPECT_EQ(reason_of(r, "db"), "cancelled while waiting for it to be healthy");
  EXPECT_TRUE(engine_->containers(group_name(g), "db").empty())
      << "the new container of the cancelled start was left behind";
}

// A start that ended while its container's check was still starting (a
// kill, say) left it running: the next start waits for it too.
TEST_F(Health, ARunningContainerWhoseCheckIsStillStartingIsWaitedFor) {
  dm_group* g = new_group("warm");
  dm_service* db = add_sleeper(g, "db");
  // Ready at once the first time, a second after each restart.
  set_script(db,
             "trap 'exit 0' TERM; rm -f /ready; if [ -e /seen ]; then sleep 1; fi; "
             "touch /seen /ready; sleep 1000 & wait");
  set_healthcheck(db, {"CMD", "test", "-f", "/ready"}, 0.2, 2, 10);
  ResultPtr first;
  ASSERT_EQ(start(g, first.out()), DM_OK) << dm_error_last() << describe(first);
  std::string id = container_of(first, "db");
  engine_->client().container_stop(id, 0);
  engine_->client().container_start(id);
  ASSERT_EQ(engine_->inspect(id).health, "starting");

  EventRecorder events;
  ResultPtr second;
  ASSERT_EQ(start(g, second.out(), &events), DM_OK) << dm_error_last() << describe(second);
  EXPECT_EQ(outcome_of(second, "db"), DM_OUTCOME_ALREADY_RUNNING);
  EXPECT_EQ(engine_->inspect(id).health, "healthy");
  EXPECT_GE(events.first("db", DM_PHASE_PINGING), 0) << events.dump();
}

TEST_F(Health, ChangingTheHealthcheckRecreatesTheContainer) {
  dm_group* g = new_group("change");
  dm_service* db = add_sleeper(g, "db");
  set_healthcheck(db, {"CMD", "true"}, 0.2);
  ResultPtr first;
  ASSERT_EQ(start(g, first.out()), DM_OK) << dm_error_last() << describe(first);
  std::string before = container_of(first, "db");

  set_healthcheck(db, {"CMD", "true"}, 0.3);
  ResultPtr second;
  ASSERT_EQ(start(g, second.out()), DM_OK) << dm_error_last() << describe(second);
  EXPECT_EQ(outcome_of(second, "db"), DM_OUTCOME_STARTED);
  EXPECT_NE(container_of(second, "db"), before);
  EXPECT_FALSE(engine_->container_exists(before));
  EXPECT_EQ(engine_->inspect(container_of(second, "db")).healthcheck->interval, 300000000);
}

}  // namespace
}  // namespace dm::testing
