// An engine that stops answering must not hold an operation for minutes: a
// start fails within about its timeout (each engine step gets at least 10 s),
// a stop within the grace period plus 10 s a container. A fake engine on a
// Unix socket accepts the requests and never answers them. The bounds are
// generous on purpose (the machine is shared); before the deadlines, each
// silent request took the client's whole 60 s, one after the other.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "drillmaster/drillmaster.h"
#include "orchestrator/scripted_engine.h"
#include "support/lifecycle.h"

namespace dm::testing {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A client on the fake engine, with the default 60 s per request.
struct FakeClient {
  dm_client* client = nullptr;
  explicit FakeClient(const ScriptedEngine& engine) {
    std::string address = engine.address();
    dm_client_options options = DM_CLIENT_OPTIONS_INIT;
    options.host = address.c_str();
    EXPECT_EQ(dm_client_open(&client, &options), DM_OK) << dm_error_last();
  }
  ~FakeClient() { dm_client_free(client); }
};

struct GroupPtr {
  dm_group* p = nullptr;
  ~GroupPtr() { dm_group_free(p); }
};

// Three independent services on a made-up image.
void three_services(dm_group* group) {
  for (const char* name : {"a", "b", "c"}) {
    dm_service* s = nullptr;
    ASSERT_EQ(dm_group_add_service(&s, group, name, "fake:latest"), DM_OK);
  }
}

int start(dm_group* group, dm_client* client, double timeout, dm_result** out) {
  dm_start_options options = DM_START_OPTIONS_INIT;
  options.timeout = timeout;
  return dm_group_start(out, group, client, &options);
}

TEST(FrozenEngine, AStartFailsWithinItsTimeoutWhenTheEngineNeverAnswers) {
  ScriptedEngine engine([](const std::string&) { return Reply{200, "", /*hang=*/true}; });
  FakeClient client(engine);
  ASSERT_NE(client.client, nullptr);
  GroupPtr group;
  ASSERT_EQ(dm_group_new(&group.p, unique_group("frozen").c_str()), DM_OK);
  three_services(group.p);

  dm_result* result = nullptr;
  auto began = std::chrono::steady_clock::now();
  int rc = start(group.p, client.client, /*timeout=*/3, &result);
  double took = seconds_since(began);
  std::string message = dm_error_last();
  dm_result_free(result);

  EXPECT_EQ(rc, DM_ETIMEOUT) << message;
  EXPECT_LT(took, 3 + 10 + 15.0) << "a frozen engine held the start far past its timeout";
  EXPECT_TRUE(has(message, "did not answer")) << message;
  EXPECT_TRUE(has(message, "list containers")) << message;
  EXPECT_TRUE(has(message, "limit")) << "the message says which timeout ran out: " << message;
}

TEST(FrozenEngine, EveryServiceFailsWithinItsTimeoutWhenTheEngineFreezesAtCreate) {
  ScriptedEngine engine([](const std::string& line) {
    if (has(line, "/containers/json")) return Reply{200, "[]"};
    if (has(line, "GET") && has(line, "/networks/"))
      return Reply{404, R"({"message":"no such network"})"};
    if (has(line, "/networks/create")) return Reply{201, R"({"Id":"net"})"};
    if (has(line, "/images/"))
      return Reply{200, R"({"Id":"sha256:fake","RepoTags":["fake:latest"]})"};
    return Reply{200, "", /*hang=*/true};  // create, and anything after
  });
  FakeClient client(engine);
  ASSERT_NE(client.client, nullptr);
  GroupPtr group;
  ASSERT_EQ(dm_group_new(&group.p, unique_group("frozen").c_str()), DM_OK);
  three_services(group.p);
  dm_service* after = nullptr;
  dm_group_add_service(&after, group.p, "after", "fake:latest");
  dm_service_add_dependency(after, "a");

  dm_result* result = nullptr;
  auto began = std::chrono::steady_clock::now();
  int rc = start(group.p, client.client, /*timeout=*/3, &result);
  double took = seconds_since(began);

  EXPECT_EQ(rc, DM_EFAILED) << dm_error_last();
  EXPECT_LT(took, 3 + 10 + 15.0) << "a frozen engine held the start far past its timeout";
  ASSERT_NE(result, nullptr);
  for (size_t i = 0; i < 3; i++) {
    EXPECT_EQ(dm_result_outcome(result, i), DM_OUTCOME_FAILED) << dm_result_service(result, i);
    std::string reason = dm_result_reason(result, i);
    EXPECT_TRUE(has(reason, "did not answer")) << reason;
    EXPECT_TRUE(has(reason, "create container")) << reason;
    EXPECT_TRUE(has(reason, "limit for each engine step of service '" +
                                std::string(dm_result_service(result, i)) + "'"))
        << reason;
  }
  EXPECT_EQ(dm_result_outcome(result, 3), DM_OUTCOME_SKIPPED);
  EXPECT_TRUE(engine.saw("/containers/create"));
  dm_result_free(result);
}

TEST(FrozenEngine, AStopThatTheEngineNeverAnswersFailsWithinTheGracePeriodPlusAFewSeconds) {
  std::string name = unique_group("frozen");
  auto summary = [&](const std::string& id, const std::string& service) {
    return R"({"Id":")" + id + R"(","Names":["/)" + name + "-" + service +
           R"(-1"],"State":"running","Status":"Up","Labels":{"io.drillmaster.group":")" + name +
           R"(","io.drillmaster.service":")" + service + R"("}})";
  };
  std::string list = "[" + summary("aaaa", "a") + "," + summary("bbbb", "b") + "]";
  ScriptedEngine engine([&](const std::string& line) {
    if (has(line, "/containers/json")) return Reply{200, list};
    return Reply{200, "", /*hang=*/true};  // the stops
  });
  FakeClient client(engine);
  ASSERT_NE(client.client, nullptr);
  GroupPtr group;
  ASSERT_EQ(dm_group_new(&group.p, name.c_str()), DM_OK);
  for (const char* name : {"a", "b"}) {
    dm_service* s = nullptr;
    dm_group_add_service(&s, group.p, name, "fake:latest");
  }

  dm_stop_options options = DM_STOP_OPTIONS_INIT;
  options.timeout = 1;
  dm_result* result = nullptr;
  auto began = std::chrono::steady_clock::now();
  int rc = dm_group_stop(&result, group.p, client.client, &options);
  double took = seconds_since(began);

  EXPECT_EQ(rc, DM_EFAILED) << dm_error_last();
  EXPECT_LT(took, 1 + 10 + 15.0) << "a stop the engine never answers held the operation";
  ASSERT_NE(result, nullptr);
  for (size_t i = 0; i < 2; i++) {
    EXPECT_EQ(dm_result_outcome(result, i), DM_OUTCOME_FAILED);
    std::string reason = dm_result_reason(result, i);
    EXPECT_TRUE(has(reason, "stop container")) << reason;
    EXPECT_TRUE(has(reason, "grace period of 1 s")) << reason;
  }
  EXPECT_TRUE(engine.saw("/containers/aaaa/stop?t=1"));
  EXPECT_TRUE(engine.saw("/containers/bbbb/stop?t=1"));
  dm_result_free(result);
}

}  // namespace
}  // namespace dm::testing
