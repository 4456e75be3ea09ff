// Reload: rebuild one service's image, recreate the service, restart its
// dependants (or leave them running), and leave its dependencies running.
#include <fstream>
#include <sstream>

#include "model/build.h"
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

  int reload(const char* service, dm_result** out, bool remove, EventRecorder* events = nullptr,
             bool keep_dependants = false) {
    dm_reload_options opts = DM_RELOAD_OPTIONS_INIT;
    opts.timeout = 30;
    opts.remove = remove ? 1 : 0;
    opts.keep_dependants = keep_dependants ? 1 : 0;
    if (events) {
      opts.on_event = EventRecorder::callback;
      opts.event_user_data = events;
    }
    return dm_group_reload(out, g_, client_, service, &opts);
  }

  // Images tagged as the group's services (drillmaster labels no image).
  std::string group_images() {
    return shell("docker images -q --no-trunc --filter reference='" + group_name(g_) + "/*'");
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
  std::vector<std::string> built = {image_of(container_of(r, "web"))};
  for (int i = 2; i <= 4; i++) {
    context.write("version.txt", group_name(g_) + " v" + std::to_string(i) + "\n");
    ASSERT_EQ(reload("web", r.out(), i % 2 == 0), DM_OK) << dm_error_last() << describe(r);
    built.push_back(image_of(container_of(r, "web")));
  }
  // Each reload replaced the image: the old ones are gone, one is tagged.
  for (size_t i = 0; i + 1 < built.size(); i++) {
    EXPECT_NE(built[i], built.back());
    EXPECT_FALSE(engine_->client().image_inspect(built[i]).has_value()) << built[i] << " stays";
  }
  EXPECT_EQ(group_images(), built.back() + "\n");
  EXPECT_EQ(engine_->containers(group_name(g_)).size(), 3u);
  // And repeated starts of a running group make nothing new.
  ASSERT_EQ(start(g_, r.out()), DM_OK);
  ASSERT_EQ(start(g_, r.out()), DM_OK);
  EXPECT_EQ(engine_->containers(group_name(g_)).size(), 3u);
  EXPECT_EQ(group_images(), built.back() + "\n");
}

// The instructions of a Dockerfile after its FROM: the build steps it makes.
size_t build_steps(const std::string& dockerfile) {
  std::istringstream in(dockerfile);
  size_t steps = 0;
  for (std::string line; std::getline(in, line);) {
    size_t at = line.find_first_not_of(" \t");
    if (at == std::string::npos || line[at] == '#' || line.compare(at, 5, "FROM ") == 0) continue;
    steps++;
  }
  return steps;
}

// Entries of an image's history: one per build step, its base's included.
size_t history_length(const std::string& image) {
  std::string out = shell("docker history -q --no-trunc '" + image + "'");
  return std::count(out.begin(), out.end(), '\n');
}

// No step is spent on drillmaster's own labels: the image has the build steps
// of the Dockerfile on top of its base, and no label of drillmaster's.
TEST_F(Reload, TheImageBuiltHasTheDockerfilesStepsAndNoMore) {
  TempContext context("reload");
  define(context);
  ResultPtr r;
  ASSERT_EQ(start(g_, r.out()), DM_OK) << dm_error_last();
  context.write("version.txt", group_name(g_) + " v2\n");
  ASSERT_EQ(reload("web", r.out(), false), DM_OK) << dm_error_last() << describe(r);
  std::ifstream file(context.path() + "/Dockerfile");
  std::string dockerfile((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ASSERT_EQ(build_steps(dockerfile), 2u) << dockerfile;  // COPY, CMD
  std::string image = image_of(container_of(r, "web"));
  EXPECT_EQ(history_length(image), history_length(kImage) + build_steps(dockerfile))
      << shell("docker history --no-trunc '" + image + "'");
  auto info = engine_->client().image_inspect(image);
  ASSERT_TRUE(info.has_value());
  for (const char* name : {"io.drillmaster.group", "io.drillmaster.service", model::kBuildLabel})
    EXPECT_EQ(info->labels.count(name), 0u) << name;
}

// keep_dependants: the dependants keep their containers, running, never
// stopped; the result says they were left as they were.
TEST_F(Reload, KeepDependantsLeavesTheDependantsRunningUntouched) {
  TempContext context("reload");
  define(context);
  ResultPtr r;
  ASSERT_EQ(start(g_, r.out()), DM_OK) << dm_error_last();
  std::string web = container_of(r, "web"), client = container_of(r, "client");
  std::string started_at = engine_->inspect(client).started_at;
  context.write("version.txt", group_name(g_) + " v2\n");
  client_probe_.reset();
  EventRecorder events;
  ASSERT_EQ(reload("web", r.out(), false, &events, /*keep_dependants=*/true), DM_OK)
      << dm_error_last() << describe(r) << events.dump();
  EXPECT_EQ(outcome_of(r, "web"), DM_OUTCOME_RELOADED);
  EXPECT_NE(container_of(r, "web"), web);
  EXPECT_EQ(outcome_of(r, "client"), DM_OUTCOME_EXCLUDED);
  EXPECT_NE(reason_of(r, "client").find("keep_dependants"), std::string::npos)
      << reason_of(r, "client");
  EXPECT_EQ(events.first("client", DM_PHASE_STOPPING), -1) << events.dump();
  EXPECT_TRUE(client_probe_.calls().empty());
  EXPECT_TRUE(engine_->inspect(client).running);
  EXPECT_EQ(engine_->inspect(client).started_at, started_at) << "the dependant was restarted";
  EXPECT_EQ(outcome_of(r, "base"), DM_OUTCOME_ALREADY_RUNNING);
}

// A dependant that ignores SIGTERM and has a grace period of its own: the
// reload stops it with that one (1 s), which its container carries, and it
// is back once the reload is done.
TEST_F(Reload, HonoursADependantsStopGracePeriod) {
  TempContext context("reload");
  g_ = new_group("reload-grace");
  context.write("version.txt", group_name(g_) + " v1\n");
  image_ = group_name(g_) + "/web:latest";
  own_image(image_);
  dm_service* web = nullptr;
  ASSERT_EQ(dm_group_add_service(&web, g_, "web", image_.c_str()), DM_OK);
  ASSERT_EQ(dm_service_set_build(web, context.path().c_str(), nullptr), DM_OK);
  dm_service* stubborn = add_sleeper(g_, "stubborn", {"web"});
  set_script(stubborn, "trap '' TERM; while true; do sleep 1; done");
  ASSERT_EQ(dm_service_set_stop_grace_period(stubborn, 1), DM_OK);
  ResultPtr r;
  ASSERT_EQ(start(g_, r.out()), DM_OK) << dm_error_last();
  std::string before = container_of(r, "stubborn");
  context.write("version.txt", group_name(g_) + " v2\n");
  EventRecorder events;
  ASSERT_EQ(reload("web", r.out(), false, &events), DM_OK) << dm_error_last() << describe(r);
  EXPECT_GE(events.first("stubborn", DM_PHASE_STOPPED), 0) << events.dump();
  EXPECT_EQ(outcome_of(r, "stubborn"), DM_OUTCOME_RESTARTED);
  EXPECT_EQ(container_of(r, "stubborn"), before);
  EXPECT_EQ(engine_->inspect(before).stop_timeout, std::optional<int64_t>(1));
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
