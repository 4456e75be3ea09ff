// Faults a real engine does not produce on demand, seen through the C API as a
// host program sees them: an engine that stops answering in the middle of a
// start, container lists with entries a real engine never sends, a 20 MB error
// body. Each must end in a status and a message, in bounded time: never a
// hang, never an abort of the host program (an exception escaping a worker
// thread or the C boundary would kill this test binary).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "drillmaster/drillmaster.h"
#include "support/fake_engine.h"

namespace {

using dm::testing::FakeAnswer;
using dm::testing::FakeEngine;
using dm::testing::FakeRequest;

// What the calls before the fault get: no containers, no network yet (created
// on request), the image present.
FakeAnswer empty_engine(const FakeRequest& r) {
  if (r.path == "/containers/json") return FakeAnswer::json(200, "[]");
  if (r.method == "GET" && r.path == "/networks") return FakeAnswer::json(200, "[]");
  if (r.method == "GET" && r.path.rfind("/networks/", 0) == 0)
    return FakeAnswer::json(404, R"({"message":"network not found"})");
  if (r.path == "/networks/create") return FakeAnswer::json(201, R"({"Id":"fake-network"})");
  if (r.path.rfind("/images/", 0) == 0)
    return FakeAnswer::json(200, R"({"Id":"sha256:fake","RepoTags":["fake:latest"]})");
  if (r.method == "DELETE") return FakeAnswer::json(204, "");
  return FakeAnswer::standard(r);
}

dm_client* open_client(const FakeEngine& fake) {
  dm_client_options options = DM_CLIENT_OPTIONS_INIT;
  std::string address = fake.address();
  options.host = address.c_str();
  options.timeout = 1;
  dm_client* client = nullptr;
  EXPECT_EQ(dm_client_open(&client, &options), DM_OK) << dm_error_last();
  return client;
}

double seconds_since(std::chrono::steady_clock::time_point began) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
}

TEST(EngineFaults, AnEngineThatGoesSilentMidStartFailsTheServiceInsteadOfHanging) {
  FakeEngine fake([](const FakeRequest& r) {
    if (r.path == "/containers/create") return FakeAnswer::silent();
    return empty_engine(r);
  });
  dm_client* client = open_client(fake);
  ASSERT_NE(client, nullptr);

  dm_group* group = nullptr;
  ASSERT_EQ(dm_group_new(&group, "fault"), DM_OK);
  dm_service *db = nullptr, *app = nullptr;
  dm_group_add_service(&db, group, "db", "fake:latest");
  dm_group_add_service(&app, group, "app", "fake:latest");
  dm_service_add_dependency(app, "db");

  dm_result* result = nullptr;
  auto began = std::chrono::steady_clock::now();
  EXPECT_EQ(dm_group_start(&result, group, client, nullptr), DM_EFAILED) << dm_error_last();
  EXPECT_LT(seconds_since(began), 30.0) << "the start waited far past the client's 1 s timeout";
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(dm_result_outcome(result, 0), DM_OUTCOME_FAILED);
  std::string reason = dm_result_reason(result, 0);
  EXPECT_NE(reason.find("did not answer"), std::string::npos) << reason;
  EXPECT_EQ(dm_result_outcome(result, 1), DM_OUTCOME_SKIPPED);
  EXPECT_GE(fake.count("POST", "/containers/create"), 1u) << "the fake never saw the create call";

  dm_result_free(result);
  dm_group_free(group);
  dm_client_free(client);
}

// `stop --remove` over a container list the engine should never send.
struct StopOutcome {
  int status;
  std::string message;
};

StopOutcome stop_remove_with_list(const std::string& group_name, const std::string& list) {
  FakeEngine fake([&](const FakeRequest& r) {
    if (r.path == "/containers/json") return FakeAnswer::json(200, list);
    return empty_engine(r);
  });
  dm_client* client = open_client(fake);
  dm_group* group = nullptr;
  EXPECT_EQ(dm_group_new(&group, group_name.c_str()), DM_OK);
  dm_service* db = nullptr;
  dm_group_add_service(&db, group, "db", "fake:latest");
  dm_stop_options options = DM_STOP_OPTIONS_INIT;
  options.remove = 1;
  options.timeout = 0;
  dm_result* result = nullptr;
  auto began = std::chrono::steady_clock::now();
  int status = dm_group_stop(&result, group, client, &options);
  EXPECT_LT(seconds_since(began), 30.0);
  StopOutcome out{status, dm_error_last()};
  // What the fake saw, checked here while it still exists.
  if (status == DM_OK) {
    bool removed = fake.count("DELETE", "/containers/0123456789ab") == 1;
    if (!removed) out.message = "the nameless container was not removed";
  }
  dm_result_free(result);
  dm_group_free(group);
  dm_client_free(client);
  return out;
}

TEST(EngineFaults, StopRemoveWithAListEntryWithoutNamesIsAnEngineErrorNotAnAbort) {
  // Seen in the field: `stop --remove` died with std::out_of_range, exit 134.
  StopOutcome out = stop_remove_with_list(
      "fault-nonames", R"([{"Id":"0123456789ab","State":"running","Labels":{}}])");
  EXPECT_EQ(out.status, DM_EENGINE) << out.message;
  EXPECT_NE(out.message.find("GET /containers/json"), std::string::npos) << out.message;
  EXPECT_NE(out.message.find("'Names'"), std::string::npos) << out.message;
}

TEST(EngineFaults, StopRemoveWithNamesAsAnObjectIsAnEngineErrorNotAnAbort) {
  StopOutcome out = stop_remove_with_list(
      "fault-namesobj",
      R"([{"Id":"0123456789ab","Names":{"0":"/x"},"State":"running","Labels":{}}])");
  EXPECT_EQ(out.status, DM_EENGINE) << out.message;
  EXPECT_NE(out.message.find("'Names' is an object, not a list"), std::string::npos) << out.message;
}

TEST(EngineFaults, StopRemoveOfAContainerWithNoNameAtAllRemovesItByItsId) {
  // Names is a list, but empty; no service label: an orphan known by id only.
  StopOutcome out = stop_remove_with_list("fault-orphan",
                                          R"([{"Id":"0123456789ab","Names":[],"State":"exited",
           "Labels":{"io.drillmaster.group":"fault-orphan"}}])");
  EXPECT_EQ(out.status, DM_OK) << out.message;
}

TEST(EngineFaults, AHugeErrorBodyGivesAShortMessage) {
  // A 500 whose body is 20 MB printed 20 MB to stderr.
  FakeEngine fake([](const FakeRequest& r) {
    if (r.path == "/containers/json") return FakeAnswer::text(500, std::string(20 << 20, 'z'));
    return empty_engine(r);
  });
  dm_client* client = open_client(fake);
  dm_group* group = nullptr;
  ASSERT_EQ(dm_group_new(&group, "fault-huge"), DM_OK);
  dm_service* db = nullptr;
  dm_group_add_service(&db, group, "db", "fake:latest");
  dm_result* result = nullptr;
  EXPECT_EQ(dm_group_start(&result, group, client, nullptr), DM_EENGINE);
  std::string message = dm_error_last();
  EXPECT_LT(message.size(), 1000u) << message.substr(0, 2000);
  EXPECT_NE(message.find("(cut: 20971520 bytes in all)"), std::string::npos) << message;
  dm_result_free(result);
  dm_group_free(group);
  dm_client_free(client);
}

}  // namespace
