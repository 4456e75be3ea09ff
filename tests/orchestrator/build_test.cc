// Images built from a context: a failed build fails its service at once (no
// hang), names the build in the reason, skips the dependants, and leaves no
// intermediate container behind.
#include "support/lifecycle.h"

namespace dm::testing {
namespace {

class Build : public LifecycleTest {
 protected:
  // A service "built" with its image built from `context`. The context gets
  // content of its own, so no other test's build shares its cached layers
  // (an image with children cannot be removed, and the tests check removal).
  void add_built(dm_group* g, const TempContext& context, std::string* image, dm_service** s) {
    context.write("version.txt", group_name(g) + "\n");
    *image = group_name(g) + "/built:latest";
    own_image(*image);
    ASSERT_EQ(dm_group_add_service(s, g, "built", image->c_str()), DM_OK);
    dm_service_set_build(*s, context.path().c_str(), nullptr);
  }
};

// Containers anywhere on the engine that ran the broken fixture's RUN step.
std::string broken_step_containers() {
  return shell(
      "docker ps -a --no-trunc --filter status=exited --filter status=created "
      "--format '{{.ID}} {{.Command}}' | grep dm-broken-fixture | cut -d' ' -f1 | sort");
}

TEST_F(Build, AFailedBuildFailsTheServiceWithoutHangingAndSkipsItsDependants) {
  TempContext context("broken");
  dm_group* g = new_group("broken");
  std::string image = group_name(g) + "/broken:latest";
  own_image(image);
  dm_service* broken = nullptr;
  ASSERT_EQ(dm_group_add_service(&broken, g, "broken", image.c_str()), DM_OK);
  dm_service_set_build(broken, context.path().c_str(), nullptr);
  add_sleeper(g, "needs-broken", {"broken"});
  add_sleeper(g, "fine");
  std::string before = broken_step_containers();

  EventRecorder events;
  ResultPtr r;
  double began = monotonic_seconds();
  ASSERT_EQ(start(g, r.out(), &events, /*timeout=*/60), DM_EFAILED) << dm_error_last();
  EXPECT_LT(monotonic_seconds() - began, 60.0);

  EXPECT_EQ(outcome_of(r, "broken"), DM_OUTCOME_FAILED);
  std::string reason = reason_of(r, "broken");
  EXPECT_NE(reason.find("building image '" + image + "' failed"), std::string::npos) << reason;
  EXPECT_EQ(outcome_of(r, "needs-broken"), DM_OUTCOME_SKIPPED);
  EXPECT_EQ(outcome_of(r, "fine"), DM_OUTCOME_STARTED);
  EXPECT_GE(events.first("broken", DM_PHASE_BUILDING), 0) << events.dump();
  EXPECT_EQ(broken_step_containers(), before) << "the failed step's container was left behind";
  EXPECT_FALSE(engine_->client().image_inspect(image).has_value());
}

TEST_F(Build, AMissingImageWithAContextIsBuiltAndForcedRebuildsReplaceTheOldImage) {
  TempContext context("reload");
  dm_group* g = new_group("build");
  std::string image;
  dm_service* s = nullptr;
  ASSERT_NO_FATAL_FAILURE(add_built(g, context, &image, &s));
  EventRecorder events;
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), &events), DM_OK) << dm_error_last() << events.dump();
  ASSERT_GE(events.first("built", DM_PHASE_BUILDING), 0) << events.dump();
  auto first = engine_->client().image_inspect(image);
  ASSERT_TRUE(first.has_value());
  // No label of drillmaster's: each would have cost the build a step.
  EXPECT_EQ(first->labels.count("io.drillmaster.group"), 0u);
  EXPECT_EQ(first->labels.count("io.drillmaster.build-hash"), 0u);

  // Present: not built again.
  events.clear();
  ASSERT_EQ(stop(g, r.out(), true), DM_OK);
  ASSERT_EQ(start(g, r.out(), &events), DM_OK) << dm_error_last();
  EXPECT_EQ(events.first("built", DM_PHASE_BUILDING), -1) << events.dump();

  // Forced: built again; the container is recreated from the new image and
  // the old image does not stay behind.
  context.write("version.txt", group_name(g) + " v2\n");
  ASSERT_EQ(stop(g, r.out(), true), DM_OK);
  dm_start_options opts = DM_START_OPTIONS_INIT;
  opts.timeout = 30;
  opts.build = 1;
  ASSERT_EQ(dm_group_start(r.out(), g, client_, &opts), DM_OK) << dm_error_last();
  auto second = engine_->client().image_inspect(image);
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(second->id, first->id);
  EXPECT_FALSE(engine_->client().image_inspect(first->id).has_value());
}

TEST_F(Build, ARebuildWhileRunningRecreatesOnlyWhenTheImageChanged) {
  TempContext context("reload");
  dm_group* g = new_group("rebuild");
  std::string image;
  dm_service* s = nullptr;
  ASSERT_NO_FATAL_FAILURE(add_built(g, context, &image, &s));
  HookProbe probe;
  probe.attach(s);
  add_sleeper(g, "other");
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  std::string first = container_of(r, "built");

  dm_start_options opts = DM_START_OPTIONS_INIT;
  opts.timeout = 30;
  opts.build = 1;
  // Nothing changed: the build hits the cache, the running container stays.
  probe.reset();
  ASSERT_EQ(dm_group_start(r.out(), g, client_, &opts), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "built"), DM_OUTCOME_ALREADY_RUNNING);
  EXPECT_EQ(container_of(r, "built"), first);
  EXPECT_TRUE(probe.calls().empty());
  EXPECT_EQ(outcome_of(r, "other"), DM_OUTCOME_ALREADY_RUNNING);

  // The context changed: the running container is replaced by one from the
  // new image, with every hook.
  context.write("version.txt", group_name(g) + " v2\n");
  ASSERT_EQ(dm_group_start(r.out(), g, client_, &opts), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "built"), DM_OUTCOME_STARTED);
  EXPECT_NE(container_of(r, "built"), first);
  EXPECT_EQ(probe.calls(), (std::vector<std::string>{"pre_start", "ping", "init"}));
  EXPECT_FALSE(engine_->container_exists(first));
  EXPECT_EQ(outcome_of(r, "other"), DM_OUTCOME_ALREADY_RUNNING);
}

// Two stages from the local image; the first labels the image with an ARG.
constexpr const char* kStagesDockerfile =
    "FROM drillmaster-test/busybox:latest AS base\n"
    "ARG GREETING=none\n"
    "LABEL test.greeting=$GREETING\n"
    "COPY version.txt /version.txt\n"
    "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM; sleep 1000 & wait\"]\n"
    "FROM base AS dev\n"
    "LABEL test.stage=dev\n"
    "FROM base AS prod\n"
    "LABEL test.stage=prod\n";

TEST_F(Build, BuildArgsAndTargetReachTheBuildAndAChangeBuildsAgain) {
  TempContext context("reload");
  context.write("Dockerfile", kStagesDockerfile);
  dm_group* g = new_group("build-args");
  std::string image;
  dm_service* s = nullptr;
  ASSERT_NO_FATAL_FAILURE(add_built(g, context, &image, &s));
  ASSERT_EQ(dm_service_set_build_arg(s, "GREETING", "hello"), DM_OK);
  ASSERT_EQ(dm_service_set_build_target(s, "dev"), DM_OK);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  auto built = engine_->client().image_inspect(image);
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(built->labels["test.greeting"], "hello");
  EXPECT_EQ(built->labels["test.stage"], "dev");
  std::string first = container_of(r, "built");

  // Unchanged: neither built nor made again.
  EventRecorder events;
  ASSERT_EQ(start(g, r.out(), &events), DM_OK) << dm_error_last();
  EXPECT_EQ(events.first("built", DM_PHASE_BUILDING), -1) << events.dump();
  EXPECT_EQ(container_of(r, "built"), first);

  // Another argument, then another target: built again, and a new container.
  ASSERT_EQ(dm_service_set_build_arg(s, "GREETING", "bye"), DM_OK);
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  EXPECT_EQ(engine_->client().image_inspect(image)->labels["test.greeting"], "bye");
  EXPECT_EQ(outcome_of(r, "built"), DM_OUTCOME_STARTED);
  EXPECT_NE(container_of(r, "built"), first);
  ASSERT_EQ(dm_service_set_build_target(s, "prod"), DM_OK);
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  auto prod = engine_->client().image_inspect(image);
  EXPECT_EQ(prod->labels["test.stage"], "prod");

  // No container records the build any more: built again, identically (the
  // builder's cache), so the image is the same and nothing is replaced.
  ASSERT_EQ(stop(g, r.out(), true), DM_OK);
  events.clear();
  ASSERT_EQ(start(g, r.out(), &events), DM_OK) << dm_error_last() << describe(r);
  EXPECT_GE(events.first("built", DM_PHASE_BUILDING), 0) << events.dump();
  EXPECT_EQ(engine_->client().image_inspect(image)->id, prod->id);
  EXPECT_EQ(engine_->inspect(container_of(r, "built")).image_id, prod->id);
  // With a container recording it: taken as it is.
  events.clear();
  ASSERT_EQ(start(g, r.out(), &events), DM_OK) << dm_error_last();
  EXPECT_EQ(events.first("built", DM_PHASE_BUILDING), -1) << events.dump();
}

}  // namespace
}  // namespace dm::testing
