// No exception of any type leaves a worker thread (which would end the host
// program in std::terminate): each becomes the failure of its service, or an
// event of the group for a container no service owns.
#include <stdexcept>

#include "orchestrator/scripted_engine.h"
#include "support/lifecycle.h"

namespace dm::testing {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A container labelled for the group, of no service, without a name: the
// engine's answer allows it, and its removal must not read a name it lacks.
TEST(WorkerExceptions, AnUnnamedContainerOfNoServiceIsRemovedWithoutEndingTheProgram) {
  std::string name = unique_group("orphan");
  std::string list = R"json([{"Id":"0rphan","Names":[],"State":"exited","Status":"Exited (0)",
                              "Labels":{"io.drillmaster.group":")json" +
                     name + R"json("}}])json";
  ScriptedEngine engine([&](const std::string& line) {
    if (has(line, "/containers/json")) return Reply{200, list};
    if (has(line, "DELETE /v1.41/containers/0rphan")) return Reply{204, ""};
    if (has(line, "/networks/")) return Reply{404, R"({"message":"no such network"})"};
    if (has(line, "GET /v1.41/networks?")) return Reply{200, "[]"};  // none labelled either
    return Reply{500, R"({"message":"the scripted engine does not expect this call"})"};
  });
  std::string address = engine.address();
  dm_client_options options = DM_CLIENT_OPTIONS_INIT;
  options.host = address.c_str();
  dm_client* client = nullptr;
  ASSERT_EQ(dm_client_open(&client, &options), DM_OK) << dm_error_last();
  dm_group* group = nullptr;
  ASSERT_EQ(dm_group_new(&group, name.c_str()), DM_OK);
  dm_service* s = nullptr;
  dm_group_add_service(&s, group, "db", "fake:latest");

  dm_stop_options stop = DM_STOP_OPTIONS_INIT;
  stop.remove = 1;
  EventRecorder events;
  stop.on_event = EventRecorder::callback;
  stop.event_user_data = &events;
  dm_result* result = nullptr;
  EXPECT_EQ(dm_group_stop(&result, group, client, &stop), DM_OK) << dm_error_last();
  EXPECT_TRUE(engine.saw("DELETE /v1.41/containers/0rphan")) << "the orphan was not removed";
  EXPECT_EQ(events.count("", DM_PHASE_FAILED), 0u) << events.dump();
  EXPECT_GE(events.count("0rphan", DM_PHASE_REMOVED), 1u) << events.dump();

  dm_result_free(result);
  dm_group_free(group);
  dm_client_free(client);
}

int ping_throws_an_int(const dm_hook_info*, void*) { throw 42; }
int init_throws_a_runtime_error(const dm_hook_info*, void*) {
  throw std::runtime_error("fixture file is corrupt");
}

using HookExceptions = LifecycleTest;

TEST_F(HookExceptions, AHookThatThrowsAnythingFailsItsServiceAndTheOthersGoOn) {
  dm_group* g = new_group("throws");
  dm_service* pinged = add_sleeper(g, "pinged");
  dm_service_set_ping(pinged, ping_throws_an_int, nullptr);
  dm_service* inited = add_sleeper(g, "inited");
  dm_service_set_post_start_init(inited, init_throws_a_runtime_error, nullptr);
  add_sleeper(g, "after", {"pinged"});
  add_sleeper(g, "fine");
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_EFAILED) << dm_error_last();

  EXPECT_EQ(outcome_of(r, "pinged"), DM_OUTCOME_FAILED);
  EXPECT_TRUE(has(reason_of(r, "pinged"), "the hook threw an exception")) << reason_of(r, "pinged");
  EXPECT_EQ(outcome_of(r, "inited"), DM_OUTCOME_FAILED);
  EXPECT_TRUE(has(reason_of(r, "inited"), "the hook threw an exception: fixture file is corrupt"))
      << reason_of(r, "inited");
  EXPECT_EQ(outcome_of(r, "after"), DM_OUTCOME_SKIPPED);
  EXPECT_EQ(outcome_of(r, "fine"), DM_OUTCOME_STARTED);
  // The failed services' new containers are gone; the others' stay.
  EXPECT_TRUE(engine_->containers(group_name(g), "pinged").empty());
  EXPECT_TRUE(engine_->containers(group_name(g), "inited").empty());
  EXPECT_EQ(engine_->containers(group_name(g), "fine").size(), 1u);
}

}  // namespace
}  // namespace dm::testing
