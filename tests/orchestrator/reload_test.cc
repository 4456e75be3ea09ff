// Reload: rebuild one service's image, recreate the service, restart its
// dependants, and leave its dependencies running.
#include "support/lifecycle.h"

namespace dm::testing {
namespace {

class Reload : public LifecycleTest {
 protected:
  // base <- web (built from a copy of tests/data/reload) <- client
  void define(const TempContext& context) {
    g_ = new_group("reload");
    // Content of its own, so no other test's build shares its cached layers
    // (an image with children cannot be removed, and the tests count images).
    context.write("version.txt", group_name(g_) + " v1\n");
    image_ = group_name(g_) + "/web:latest";
    own_image(image_);
    add_sleeper(g_, "base");
    dm_service* web = nullptr;
    ASSERT_EQ(dm_group_add_service(&web, g_, "web", image_.c_str()), DM_OK);
    ASSERT_EQ(dm_service_set_build(web, context.path().c_str(), nullptr), DM_OK);
    dm_service_add_dependency(web, "base");
    web_probe_.attach(web);
    client_probe_.attach(add_sleeper(g_, "client", {"web"}));
  }

  int reload(const char* service, dm_result** out, bool remove, EventRecorder* events = nullptr) {
    dm_reload_options opts = DM_RELOAD_OPTIONS_INIT;
    opts.timeout = 30;
    opts.remove = remove ? 1 : 0;
    if (events) {
      opts.on_event = EventRecorder::callback;
      opts.event_user_data = events;
    }
    return dm_group_reload(out, g_, client_, service, &opts);
  }

  // Images built for the group (they carry its label), dangling ones included.
  size_t group_images() {
    std::string out =
        shell("docker images -aq --filter label=io.drillmaster.group=" + group_name(g_));
    return std::count(out.begin(), out.end(), '\n');
  }

  std::string image_of(const std::string& container) {
    return engine_->inspect(container).image_id;
  }

  void reloads_and_restarts_dependants(bool remove) {
    TempContext context("reload");
    define(context);
    ResultPtr r;
    ASSERT_EQ(start(g_, r.out()), DM_OK) << dm_error_last() << describe(r);
    std::string base = container_of(r, "base"), web = container_of(r, "web"),
                client = container_of(r, "client");
    std::string old_image = image_of(web);
    std::string network = dm_group_network_name(g_);

    context.write("version.txt", group_name(g_) + " v2\n");
    web_probe_.reset();
    client_probe_.reset();
    EventRecorder events;
    ASSERT_EQ(reload("web", r.out(), remove, &events), DM_OK)
        << dm_error_last() << describe(r) << events.dump();
    // The service: rebuilt, a new container from the new image, every hook.
    EXPECT_EQ(outcome_of(r, "web"), DM_OUTCOME_RELOADED);
    EXPECT_NE(container_of(r, "web"), web);
    EXPECT_NE(image_of(container_of(r, "web")), old_image);
    EXPECT_FALSE(engine_->container_exists(web))
        << "the old container of the reloaded service stays";
    EXPECT_EQ(web_probe_.calls(), (std::vector<std::string>{"pre_start", "ping", "init"}));
    EXPECT_GE(events.first("web", DM_PHASE_BUILDING), 0) << events.dump();
    // Its dependant: stopped first, then brought back by the reuse rules.
    if (remove) {
      EXPECT_EQ(outcome_of(r, "client"), DM_OUTCOME_STARTED);
      EXPECT_NE(container_of(r, "client"), client);
      EXPECT_FALSE(engine_->container_exists(client));
      EXPECT_EQ(client_probe_.calls(), (std::vector<std::string>{"pre_start", "ping", "init"}));
    } else {
      EXPECT_EQ(outcome_of(r, "client"), DM_OUTCOME_RESTARTED);
      EXPECT_EQ(container_of(r, "client"), client);
      EXPECT_EQ(client_probe_.calls(), (std::vector<std::string>{"ping"}));
    }
    EXPECT_LT(events.first("client", DM_PHASE_STOPPED), events.first("web", DM_PHASE_STOPPING))
        << events.dump();
    EXPECT_TRUE(engine_->inspect(container_of(r, "client")).running);
    // Its dependency: untouched, same container, never stopped.
    EXPECT_EQ(outcome_of(r, "base"), DM_OUTCOME_ALREADY_RUNNING);
    EXPECT_EQ(container_of(r, "base"), base);
    EXPECT_TRUE(engine_->inspect(base).running);
    EXPECT_EQ(events.first("base", DM_PHASE_STOPPING), -1) << events.dump();
    // The network is in use by base: still there, and everyone is on it.
    EXPECT_TRUE(engine_->network_exists(network));
    EXPECT_EQ(engine_->containers(group_name(g_)).size(), 3u);
  }

  dm_group* g_ = nullptr;
  std::string image_;
  HookProbe web_probe_, client_probe_;
};

TEST_F(Reload, RebuildsRecreatesTheServiceRestartsItsDependantsAndLeavesItsDependenciesRunning) {
  reloads_and_restarts_dependants(/*remove=*/false);
}

TEST_F(Reload, WithRemoveRecreatesTheDependantsWhileDependenciesKeepRunning) {
  reloads_and_restarts_dependants(/*remove=*/true);
}

TEST_F(Reload, StartsTheServicesDependenciesWhenTheyAreNotRunning) {
  TempContext context("reload");
  define(context);
  ResultPtr r;
  ASSERT_EQ(start(g_, r.out()), DM_OK) << dm_error_last();
  std::string base = container_of(r, "base");
  // Stop only the dependency (stop may leave out the services that need it).
  ASSERT_EQ(stop(g_, r.out(), false, nullptr, 10, {"web", "client"}), DM_OK) << dm_error_last();
  ASSERT_EQ(outcome_of(r, "base"), DM_OUTCOME_STOPPED);
  context.write("version.txt", group_name(g_) + " v2\n");
  ASSERT_EQ(reload("web", r.out(), false), DM_OK) << dm_error_last() << describe(r);
  EXPECT_EQ(outcome_of(r, "base"), DM_OUTCOME_RESTARTED);
  EXPECT_EQ(container_of(r, "base"), base);
  EXPECT_EQ(outcome_of(r, "web"), DM_OUTCOME_RELOADED);
  EXPECT_EQ(outcome_of(r, "client"), DM_OUTCOME_RESTARTED);
}

TEST_F(Reload, RepeatedReloadsDoNotPileUpContainersOrImages) {
  TempContext context("reload");
  define(context);
  ResultPtr r;
  ASSERT_EQ(start(g_, r.out()), DM_OK) << dm_error_last();
  size_t images = group_images();
  ASSERT_GE(images, 1u);
  for (int i = 2; i <= 4; i++) {
    context.write("version.txt", group_name(g_) + " v" + std::to_string(i) + "\n");
    ASSERT_EQ(reload("web", r.out(), i % 2 == 0), DM_OK) << dm_error_last() << describe(r);
  }
  EXPECT_EQ(group_images(), images)
      << shell("docker images -a --filter label=io.drillmaster.group=" + group_name(g_));
  EXPECT_EQ(engine_->containers(group_name(g_)).size(), 3u);
  // And repeated starts of a running group make nothing new.
  ASSERT_EQ(start(g_, r.out()), DM_OK);
  ASSERT_EQ(start(g_, r.out()), DM_OK);
  EXPECT_EQ(engine_->containers(group_name(g_)).size(), 3u);
  EXPECT_EQ(group_images(), images);
}

TEST_F(Reload, AServiceWithoutABuildContextCannotBeReloaded) {
  TempContext context("reload");
  define(context);
  ResultPtr r;
  EXPECT_EQ(reload("base", r.out(), false), DM_EINVALID);
  EXPECT_EQ(r.p, nullptr);
  std::string message = dm_error_last();
  EXPECT_NE(message.find("'base'"), std::string::npos) << message;
  EXPECT_NE(message.find("build"), std::string::npos) << message;
  EXPECT_TRUE(engine_->containers(group_name(g_)).empty());
}

TEST_F(Reload, AnUnknownServiceIsNotFound) {
  TempContext context("reload");
  define(context);
  ResultPtr r;
  EXPECT_EQ(reload("wbe", r.out(), false), DM_ENOTFOUND);
  EXPECT_EQ(r.p, nullptr);
  std::string message = dm_error_last();
  EXPECT_NE(message.find("'wbe'"), std::string::npos) << message;
  EXPECT_NE(message.find("base, client, web"), std::string::npos) << message;
}

TEST_F(Reload, AFailedRebuildLeavesTheRunningServicesAlone) {
  TempContext context("reload");
  define(context);
  ResultPtr r;
  ASSERT_EQ(start(g_, r.out()), DM_OK) << dm_error_last();
  std::string web = container_of(r, "web"), client = container_of(r, "client");
  context.write("Dockerfile", "FROM drillmaster-test/busybox:latest\nRUN exit 1\n");
  double began = monotonic_seconds();
  ASSERT_EQ(reload("web", r.out(), true), DM_EFAILED) << dm_error_last();
  EXPECT_LT(monotonic_seconds() - began, 60.0);
  EXPECT_EQ(outcome_of(r, "web"), DM_OUTCOME_FAILED);
  EXPECT_NE(reason_of(r, "web").find("building image"), std::string::npos) << reason_of(r, "web");
  EXPECT_TRUE(engine_->inspect(web).running);
  EXPECT_TRUE(engine_->inspect(client).running);
}

}  // namespace
}  // namespace dm::testing
