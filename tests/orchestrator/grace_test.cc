// One grace period: wherever drillmaster stops a container (stop, the
// containers a reload stops, an outdated container a start replaces) the
// engine is asked for the options' grace period, 10 s by default, in whole
// seconds with a fraction rounded up. A fake engine on a Unix socket records
// the stop requests, so the `t=` the engine gets is checked exactly, without
// waiting out any grace period. A program built against 0.1 passes version-1
// start and reload structs, which have no stop_timeout: it gets the default.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "drillmaster/drillmaster.h"
#include "support/fake_engine.h"
#include "support/lifecycle.h"

namespace dm::testing {
namespace {

// A running container of service `service` in `group`, made from another
// definition than the current one (its config hash is stale).
std::string running_container(const std::string& group, const std::string& service) {
  std::string id = "0123456789abcdef" + std::string(service == "web" ? "" : "-" + service);
  return R"({"Id":")" + id + R"(","Names":["/)" + group + "-" + service +
         R"(-1"],"Image":"fake:latest","ImageID":"sha256:old","State":"running","Status":"Up",)"
         R"("Labels":{"io.drillmaster.group":")" +
         group + R"(","io.drillmaster.service":")" + service +
         R"(","io.drillmaster.config-hash":"stale"}})";
}

// An engine where each of `services` of `group` has a running, outdated
// container; the image is there; a build succeeds; creating a container
// fails (each test is about what comes before).
FakeAnswer engine_with_a_running_container(const FakeRequest& r, const std::string& group,
                                           const std::vector<std::string>& services) {
  if (r.path == "/containers/json") {
    std::string list;
    for (const auto& s : services) list += (list.empty() ? "" : ",") + running_container(group, s);
    return FakeAnswer::json(200, "[" + list + "]");
  }
  if (r.method == "GET" && r.path.rfind("/networks/", 0) == 0)
    return FakeAnswer::json(200, R"({"Id":"fake-network","Name":"drillmaster-)" + group + R"("})");
  if (r.path.rfind("/images/", 0) == 0)
    return FakeAnswer::json(200, R"({"Id":"sha256:fake","RepoTags":["fake:latest"]})");
  if (r.path == "/build")
    return FakeAnswer::json(200, R"({"aux":{"ID":"sha256:new"}})"
                                 "\n");
  if (r.path.size() > 5 && r.path.compare(r.path.size() - 5, 5, "/stop") == 0)
    return FakeAnswer::json(204, "");
  if (r.method == "DELETE") return FakeAnswer::json(204, "");
  if (r.path == "/containers/create")
    return FakeAnswer::json(500, R"({"message":"the fake makes no containers"})");
  return FakeAnswer::standard(r);
}

// The grace periods the engine was asked for, one per stop request: the
// value of `t` in ".../containers/<id>/stop?t=<n>".
std::vector<std::string> grace_periods(const FakeEngine& fake) {
  std::vector<std::string> out;
  for (const auto& r : fake.requests()) {
    size_t at = r.target.find("/stop?t=");
    if (r.method == "POST" && at != std::string::npos) out.push_back(r.target.substr(at + 8));
  }
  return out;
}

struct Fixture {
  std::string group_name = unique_group("grace");
  std::vector<std::string> running = {"web"};  // services with a running container
  FakeEngine fake{[this](const FakeRequest& r) {
    return engine_with_a_running_container(r, group_name, running);
  }};
  dm_client* client = nullptr;
  dm_group* group = nullptr;
  dm_result* result = nullptr;
  std::string context;

  Fixture() {
    dm_client_options options = DM_CLIENT_OPTIONS_INIT;
    std::string address = fake.address();
    options.host = address.c_str();
    EXPECT_EQ(dm_client_open(&client, &options), DM_OK) << dm_error_last();
    EXPECT_EQ(dm_group_new(&group, group_name.c_str()), DM_OK);
    dm_service* web = nullptr;
    EXPECT_EQ(dm_group_add_service(&web, group, "web", "fake:latest"), DM_OK);
    // A build context, for reload.
    char dir[] = "/tmp/dm-grace-XXXXXX";
    if (mkdtemp(dir) != nullptr) {
      context = dir;
      std::ofstream(context + "/Dockerfile") << "FROM scratch\n";
      EXPECT_EQ(dm_service_set_build(web, context.c_str(), nullptr), DM_OK);
    }
  }
  ~Fixture() {
    dm_result_free(result);
    dm_group_free(group);
    dm_client_free(client);
    if (!context.empty()) std::system(("rm -rf '" + context + "'").c_str());
  }

  std::vector<std::string> stop(const dm_stop_options* options) {
    EXPECT_EQ(dm_group_stop(&result, group, client, options), DM_OK) << dm_error_last();
    return grace_periods(fake);
  }
  std::vector<std::string> start(const dm_start_options* options) {
    dm_group_start(&result, group, client, options);  // fails at create, after the stop
    return grace_periods(fake);
  }
  std::vector<std::string> reload(const dm_reload_options* options) {
    dm_group_reload(&result, group, client, "web", options);
    return grace_periods(fake);
  }
};

using Periods = std::vector<std::string>;

// At least one stop, each asking for `seconds`. (A reload's start finds the
// fake's container still running, so it is asked to stop again, alike.)
::testing::AssertionResult each_asked_for(const Periods& periods, const std::string& seconds) {
  if (periods.empty()) return ::testing::AssertionFailure() << "no stop request";
  for (const auto& p : periods)
    if (p != seconds) return ::testing::AssertionFailure() << "a stop asked for t=" << p;
  return ::testing::AssertionSuccess();
}

TEST(Grace, StopAsksForTenSecondsByDefault) {
  Fixture f;
  EXPECT_EQ(f.stop(nullptr), Periods{"10"});
}

TEST(Grace, StopRoundsAFractionUp) {
  for (auto [seconds, sent] : {std::pair<double, const char*>{0.2, "1"}, {2.5, "3"}, {7, "7"}}) {
    Fixture f;
    dm_stop_options options = DM_STOP_OPTIONS_INIT;
    options.timeout = seconds;
    EXPECT_EQ(f.stop(&options), Periods{sent}) << seconds;
  }
}

TEST(Grace, AStopStructZeroedApartFromItsVersionKillsAtOnce) {
  Fixture f;
  dm_stop_options zeroed{};
  zeroed.version = DM_STOP_OPTIONS_VERSION;
  EXPECT_EQ(f.stop(&zeroed), Periods{"0"});
}

TEST(Grace, StartReplacesAnOutdatedContainerWithTenSecondsByDefault) {
  Fixture f;
  EXPECT_EQ(f.start(nullptr), Periods{"10"});
  EXPECT_EQ(f.fake.count("DELETE", "/containers/0123456789abcdef"), 1u);
}

TEST(Grace, StartReplacesAnOutdatedContainerWithItsStopTimeout) {
  Fixture f;
  dm_start_options options = DM_START_OPTIONS_INIT;
  options.stop_timeout = 3.5;
  EXPECT_EQ(f.start(&options), Periods{"4"});
}

TEST(Grace, AVersionOneStartStructGetsTheDefaultGrace) {
  Fixture f;
  // Exactly as long as 0.1's struct: reading stop_timeout would overrun it.
  size_t v1_size = offsetof(dm_start_options, stop_timeout);
  auto* options = static_cast<dm_start_options*>(std::malloc(v1_size));
  ASSERT_EQ(dm_start_options_init(options, 1), DM_OK);
  EXPECT_EQ(f.start(options), Periods{"10"});
  std::free(options);
}

TEST(Grace, ReloadStopsWithTenSecondsByDefault) {
  Fixture f;
  EXPECT_TRUE(each_asked_for(f.reload(nullptr), "10"));
}

TEST(Grace, ReloadStopsWithItsStopTimeout) {
  Fixture f;
  dm_reload_options options = DM_RELOAD_OPTIONS_INIT;
  options.stop_timeout = 0.5;
  EXPECT_TRUE(each_asked_for(f.reload(&options), "1"));
}

// A dependant's own stop_grace_period wins over the reload's stop_timeout.
TEST(Grace, ReloadStopsADependantWithItsOwnGracePeriod) {
  Fixture f;
  dm_service* client = nullptr;
  ASSERT_EQ(dm_group_add_service(&client, f.group, "client", "fake:latest"), DM_OK);
  ASSERT_EQ(dm_service_add_dependency(client, "web"), DM_OK);
  ASSERT_EQ(dm_service_set_stop_grace_period(client, 1), DM_OK);
  f.running.push_back("client");
  Periods periods = f.reload(nullptr);
  // The dependant stops first (with its 1 s), then the service (the default).
  ASSERT_GE(periods.size(), 2u);
  EXPECT_EQ(periods[0], "1");
  EXPECT_EQ(periods[1], "10");
}

TEST(Grace, AVersionOneReloadStructGetsTheDefaultGrace) {
  Fixture f;
  size_t v1_size = offsetof(dm_reload_options, stop_timeout);
  auto* options = static_cast<dm_reload_options*>(std::malloc(v1_size));
  ASSERT_EQ(dm_reload_options_init(options, 1), DM_OK);
  EXPECT_TRUE(each_asked_for(f.reload(options), "10"));
  std::free(options);
}

}  // namespace
}  // namespace dm::testing
