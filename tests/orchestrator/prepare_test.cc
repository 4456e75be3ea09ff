// The prepare hook: a service's definition completed at start time, once its
// dependencies are ready, with values their hooks produced.
#include <atomic>
#include <string>

#include "support/lifecycle.h"

namespace dm::testing {
namespace {

using Prepare = LifecycleTest;

// Shared between the hooks of one test, as a spec's context would be.
struct Token {
  std::string value;
  std::atomic<int> prepared{0};
};

int store_token(const dm_hook_info* info, void* data) {
  static_cast<Token*>(data)->value = std::string("token-of-") + info->service;
  return 0;
}

int fill_env(const dm_hook_info* info, void* data) {
  auto* token = static_cast<Token*>(data);
  token->prepared++;
  if (info->definition == nullptr || info->container_id != nullptr) {
    dm_error_set("prepare got no definition to fill");
    return 1;
  }
  if (token->value.empty()) {
    dm_error_set("the token is not there yet");
    return 1;
  }
  return dm_service_set_env(info->definition, "TOKEN", token->value.c_str());
}

int refuse(const dm_hook_info*, void*) {
  dm_error_set("no value for {token}");
  return 1;
}

TEST_F(Prepare, RunsAfterTheDependenciesAndItsEnvReachesTheContainer) {
  dm_group* g = new_group("prepare");
  Token token;
  dm_service* store = add_sleeper(g, "store");
  dm_service_set_post_start_init(store, store_token, &token);
  dm_service* app = add_sleeper(g, "app");
  dm_service_add_dependency(app, "store");
  dm_service_set_env(app, "TOKEN", "{token}");
  dm_service_set_prepare(app, fill_env, &token);

  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "app"), DM_OUTCOME_STARTED);
  EXPECT_EQ(token.prepared.load(), 1);
  auto info = engine_->inspect(container_of(r, "app"));
  bool found = false;
  for (const auto& e : info.env) found = found || e == "TOKEN=token-of-store";
  EXPECT_TRUE(found) << "the container did not get the prepared env";

  // Same value again: the running container matches its definition.
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "app"), DM_OUTCOME_ALREADY_RUNNING);

  // Status runs prepare too, so the container is not reported outdated.
  ReportPtr report;
  ASSERT_EQ(dm_group_status(report.out(), g, client_), DM_OK) << dm_error_last();
  for (size_t i = 0; i < dm_report_count(report.p); i++)
    EXPECT_EQ(dm_report_outdated(report.p, i), 0) << dm_report_service(report.p, i);
}

TEST_F(Prepare, AFailingPrepareFailsTheServiceWithItsMessageAndCreatesNothing) {
  dm_group* g = new_group("prepare-fails");
  dm_service* app = add_sleeper(g, "app");
  dm_service_set_prepare(app, refuse, nullptr);
  dm_service* web = add_sleeper(g, "web");
  dm_service_add_dependency(web, "app");

  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_EFAILED);
  EXPECT_EQ(outcome_of(r, "app"), DM_OUTCOME_FAILED);
  EXPECT_NE(reason_of(r, "app").find("no value for {token}"), std::string::npos)
      << reason_of(r, "app");
  EXPECT_EQ(outcome_of(r, "web"), DM_OUTCOME_SKIPPED);
  EXPECT_TRUE(engine_->containers(group_name(g), "app").empty());
}

}  // namespace
}  // namespace dm::testing
