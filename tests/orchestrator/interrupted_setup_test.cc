// A container is set up only once it was started, pinged and initialised:
// until then it carries its setup name (<group>-<service>-1.setup), and only
// then its final one. A start killed half-way leaves a container the next
// start recognises, removes and makes again, so post_start_init runs exactly
// once per container; containers made by drillmaster 0.1 (final name, no
// setup step) are trusted as before.
//
// The kill tests fork: the child runs dm_group_start and reaches the point
// where it blocks (in ping, or in post_start_init after its work), says so
// through a pipe, and the parent kills it with SIGKILL.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include "capi/handles.h"  // what a dm_service holds
#include "model/service.h"
#include "orchestrator/identity.h"
#include "support/lifecycle.h"

namespace dm::testing {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

enum class BlockAt { Nowhere, Ping, AfterInit };

// What the hooks of a run share: where the child says it got there, where
// each post_start_init writes the container it ran for, and what the hooks
// saw of the names.
struct SetupProbe {
  BlockAt block = BlockAt::Nowhere;
  int ready_fd = -1;
  std::string init_log;  // one line per post_start_init: the container id
  std::string final_name;
  Engine* engine = nullptr;  // for looking at the container from a hook
  std::mutex mutex;
  std::string ping_saw, init_saw;  // info->container_name
  std::string engine_name_during_init;

  void reached() {
    (void)!::write(ready_fd, "x", 1);
    for (;;) ::pause();  // until the parent kills the process
  }
};

int setup_ping(const dm_hook_info* info, void* user_data) {
  auto* p = static_cast<SetupProbe*>(user_data);
  {
    std::lock_guard<std::mutex> lock(p->mutex);
    p->ping_saw = info->container_name ? info->container_name : "";
  }
  if (p->block == BlockAt::Ping) p->reached();
  return DM_PING_READY;
}

int setup_init(const dm_hook_info* info, void* user_data) {
  auto* p = static_cast<SetupProbe*>(user_data);
  int fd = ::open(p->init_log.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0600);
  std::string line = std::string(info->container_id) + "\n";
  (void)!::write(fd, line.data(), line.size());
  ::close(fd);
  {
    std::lock_guard<std::mutex> lock(p->mutex);
    p->init_saw = info->container_name ? info->container_name : "";
    if (p->engine) p->engine_name_during_init = p->engine->inspect(info->container_id).name;
  }
  if (p->block == BlockAt::AfterInit) p->reached();
  return 0;
}

class InterruptedSetup : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    char path[] = "/tmp/dmtest-init-log-XXXXXX";
    int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ::close(fd);
    init_log_ = path;
  }
  void TearDown() override {
    ::unlink(init_log_.c_str());
    LifecycleTest::TearDown();
  }

  // db (ping, post_start_init) and app, which needs db.
  void define(dm_group* g, SetupProbe* probe) {
    dm_service* db = add_sleeper(g, "db");
    dm_service_set_ping(db, setup_ping, probe);
    dm_service_set_post_start_init(db, setup_init, probe);
    add_sleeper(g, "app", {"db"});
  }

  // Runs a start of the same group in a child process until it reaches
  // `block`, then kills it with SIGKILL.
  void start_and_kill_at(const std::string& group, BlockAt block) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      SetupProbe probe;
      probe.block = block;
      probe.ready_fd = fds[1];
      probe.init_log = init_log_;
      dm_client* client = nullptr;
      dm_group* g = nullptr;
      if (dm_client_open(&client, nullptr) != DM_OK || dm_group_new(&g, group.c_str()) != DM_OK)
        ::_exit(2);
      dm_service* db = nullptr;
      dm_group_add_service(&db, g, "db", kImage);
      const char* argv[] = {"sh", "-c", kSleeper};
      dm_service_set_cmd(db, argv, 3);
      dm_service_set_ping(db, setup_ping, &probe);
      dm_service_set_post_start_init(db, setup_init, &probe);
      dm_service* app = nullptr;
      dm_group_add_service(&app, g, "app", kImage);
      dm_service_set_cmd(app, argv, 3);
      dm_service_add_dependency(app, "db");
      dm_result* result = nullptr;
      dm_start_options options = DM_START_OPTIONS_INIT;
      options.timeout = 60;
      dm_group_start(&result, g, client, &options);
      ::_exit(3);  // the hook never returns: getting here is a failure
    }
    ::close(fds[1]);
    char byte;
    ssize_t n = ::read(fds[0], &byte, 1);
    ::close(fds[0]);
    // app's container is made while db is being set up, on another thread:
    // the kill comes once it exists, so what the kill leaves is always the same.
    if (n == 1) wait_for_container(group, "app");
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_EQ(n, 1) << "the child start never reached the kill point (exit status "
                    << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << ")";
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  }

  void wait_for_container(const std::string& group, const std::string& service) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (engine_->containers(group, service).empty() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }

  std::vector<std::string> init_log() const {
    std::vector<std::string> lines;
    std::ifstream in(init_log_);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) lines.push_back(line);
    return lines;
  }

  // The group ends as an uninterrupted start leaves it: one container per
  // service, final names, running; post_start_init ran once per container.
  void expect_set_up(const std::string& group, const dm_result* r) {
    EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_STARTED) << describe(r);
    EXPECT_EQ(outcome_of(r, "app"), DM_OUTCOME_STARTED) << describe(r);
    auto all = engine_->containers(group);
    EXPECT_EQ(all.size(), 2u) << "containers of the interrupted start were left";
    for (const auto& c : all) {
      std::string service = c.labels.at("io.drillmaster.service");
      ASSERT_FALSE(c.names.empty());
      EXPECT_EQ(c.names.front(), group + "-" + service + "-1");
      EXPECT_EQ(c.state, "running");
    }
    std::string db = container_of(r, "db");
    std::map<std::string, int> runs;
    for (const auto& id : init_log()) runs[id]++;
    for (const auto& [id, count] : runs)
      EXPECT_EQ(count, 1) << "post_start_init ran " << count << " times for " << id;
    EXPECT_EQ(runs[db], 1) << "post_start_init did not run for the new container";
  }

  std::string init_log_;
};

TEST_F(InterruptedSetup, AStartKilledDuringPingIsFinishedByTheNextStartWithOneInitPerContainer) {
  dm_group* g = new_group("killping");
  std::string group = group_name(g);
  start_and_kill_at(group, BlockAt::Ping);
  if (HasFatalFailure()) return;

  // What the kill left: db running under its setup name; app, which has no
  // hook after its start, under its final name but never started.
  auto db_left = engine_->containers(group, "db");
  ASSERT_EQ(db_left.size(), 1u);
  EXPECT_EQ(db_left.front().names.front(), group + "-db-1.setup");
  EXPECT_EQ(db_left.front().state, "running");
  auto app_left = engine_->containers(group, "app");
  ASSERT_EQ(app_left.size(), 1u);
  EXPECT_EQ(app_left.front().names.front(), group + "-app-1");
  EXPECT_EQ(app_left.front().state, "created");
  EXPECT_TRUE(init_log().empty());

  SetupProbe probe;
  probe.init_log = init_log_;
  define(g, &probe);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  expect_set_up(group, r);
  EXPECT_NE(container_of(r, "db"), db_left.front().id);
  EXPECT_FALSE(engine_->container_exists(db_left.front().id));
  EXPECT_EQ(init_log().size(), 1u);
}

TEST_F(InterruptedSetup, AStartKilledAfterInitBeforeTheRenameIsFinishedByTheNextStart) {
  dm_group* g = new_group("killinit");
  std::string group = group_name(g);
  start_and_kill_at(group, BlockAt::AfterInit);
  if (HasFatalFailure()) return;

  auto db_left = engine_->containers(group, "db");
  ASSERT_EQ(db_left.size(), 1u);
  EXPECT_EQ(db_left.front().names.front(), group + "-db-1.setup");
  ASSERT_EQ(init_log(), std::vector<std::string>{db_left.front().id});

  SetupProbe probe;
  probe.init_log = init_log_;
  define(g, &probe);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  expect_set_up(group, r);
  EXPECT_FALSE(engine_->container_exists(db_left.front().id));
  EXPECT_EQ(init_log().size(), 2u) << "one init for the killed container, one for the new one";

  // Set up now: the next start leaves it alone.
  std::string db = container_of(r, "db");
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_ALREADY_RUNNING);
  EXPECT_EQ(container_of(r, "db"), db);
  EXPECT_EQ(init_log().size(), 2u);
}

TEST_F(InterruptedSetup, HooksSeeTheFinalNameWhileTheEngineStillHasTheSetupName) {
  dm_group* g = new_group("names");
  std::string group = group_name(g);
  SetupProbe probe;
  probe.init_log = init_log_;
  probe.engine = engine_.get();
  define(g, &probe);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  std::lock_guard<std::mutex> lock(probe.mutex);
  EXPECT_EQ(probe.ping_saw, group + "-db-1");
  EXPECT_EQ(probe.init_saw, group + "-db-1");
  EXPECT_EQ(probe.engine_name_during_init, group + "-db-1.setup");
  EXPECT_EQ(engine_->inspect(container_of(r, "db")).name, group + "-db-1");
}

// ---- containers made before setup names existed ----

class LegacyContainers : public LifecycleTest {
 protected:
  // Creates what drillmaster 0.1 made for `service`: the final name, the
  // group's labels with version 0.1.0, the configuration hash; started unless
  // `start_it` is false. The group's network too, as 0.1 made it.
  std::string plant(dm_group* g, dm_service* service, bool start_it) {
    model::GroupDef def;
    def.name = group_name(g);
    def.network = dm_group_network_name(g);
    def.directory = dm_group_directory(g);
    def.services.push_back(service->def);
    engine::ContainerSpec spec = orchestrator::container_spec(def, def.services.front());
    spec.labels[orchestrator::kVersionLabel] = "0.1.0";
    if (!engine_->network_exists(def.network))
      engine_->client().network_create(def.network, orchestrator::network_labels(def));
    std::string id = engine_->client().container_create(spec);
    if (start_it) engine_->client().container_start(id);
    return id;
  }
};

TEST_F(LegacyContainers, ARunningContainerMadeBy01IsReusedNotRecreated) {
  dm_group* g = new_group("legacy");
  dm_service* db = add_sleeper(g, "db");
  HookProbe probe;
  probe.attach(db);
  std::string id = plant(g, db, /*start_it=*/true);
  ReportPtr report;
  ASSERT_EQ(dm_group_status(report.out(), g, client_), DM_OK) << dm_error_last();
  ASSERT_EQ(dm_report_outdated(report, 0), 0)
      << "the planted container does not match the definition";

  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_ALREADY_RUNNING);
  EXPECT_EQ(container_of(r, "db"), id);
  EXPECT_TRUE(probe.calls().empty());

  // Stopped, it is started again and pinged, like any set-up container.
  ASSERT_EQ(stop(g, r.out(), /*remove=*/false), DM_OK) << dm_error_last();
  probe.reset();
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_RESTARTED);
  EXPECT_EQ(container_of(r, "db"), id);
  EXPECT_EQ(probe.calls(), std::vector<std::string>{"ping"});
  EXPECT_EQ(engine_->containers(group_name(g)).size(), 1u);
}

TEST_F(LegacyContainers, AContainerThatWasNeverStartedIsReplacedEvenWithTheFinalName) {
  dm_group* g = new_group("created");
  dm_service* db = add_sleeper(g, "db");
  HookProbe probe;
  probe.attach(db);
  std::string id = plant(g, db, /*start_it=*/false);
  ASSERT_EQ(engine_->inspect(id).state, "created");

  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_STARTED);
  EXPECT_NE(container_of(r, "db"), id);
  EXPECT_FALSE(engine_->container_exists(id));
  EXPECT_EQ(probe.calls(), (std::vector<std::string>{"pre_start", "ping", "init"}));
  EXPECT_EQ(engine_->inspect(container_of(r, "db")).name, group_name(g) + "-db-1");
}

// ---- the final name taken at rename time ----

// A post_start_init that makes another container under the final name, as a
// second drillmaster (or a person) might meanwhile.
struct NameThief {
  Engine* engine;
  engine::Labels labels;  // of the container it makes
  std::string name;
  std::string made;
};

int take_the_final_name(const dm_hook_info*, void* user_data) {
  auto* t = static_cast<NameThief*>(user_data);
  engine::ContainerSpec spec;
  spec.name = t->name;
  spec.body.set("Image", kImage);
  spec.body.set("Cmd", std::vector<std::string>{"sh", "-c", kSleeper});
  spec.labels = t->labels;
  t->made = t->engine->client().container_create(spec);
  return 0;
}

using FinalNameTaken = LifecycleTest;

TEST_F(FinalNameTaken, AnOutdatedContainerOfTheServiceHoldingTheNameGivesWay) {
  dm_group* g = new_group("giveway");
  std::string group = group_name(g);
  dm_service* db = add_sleeper(g, "db");
  NameThief thief{
      engine_.get(), {{kGroupLabel, group}, {"io.drillmaster.service", "db"}}, group + "-db-1", ""};
  dm_service_set_post_start_init(db, take_the_final_name, &thief);
  EventRecorder events;
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), &events), DM_OK) << dm_error_last() << describe(r);
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_STARTED);
  ASSERT_FALSE(thief.made.empty());
  EXPECT_FALSE(engine_->container_exists(thief.made));
  EXPECT_EQ(engine_->inspect(container_of(r, "db")).name, group + "-db-1");
  EXPECT_EQ(engine_->containers(group).size(), 1u);
}

TEST_F(FinalNameTaken, AContainerThatIsNotTheServicesKeepsTheNameAndTheServiceFailsSayingSo) {
  dm_group* g = new_group("foreign");
  std::string group = group_name(g);
  dm_service* db = add_sleeper(g, "db");
  NameThief thief{engine_.get(), {}, group + "-db-1", ""};
  dm_service_set_post_start_init(db, take_the_final_name, &thief);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_EFAILED) << dm_error_last() << describe(r);
  ASSERT_FALSE(thief.made.empty());
  std::string reason = reason_of(r, "db");
  EXPECT_TRUE(has(reason, "container name '" + group + "-db-1' is taken")) << reason;
  EXPECT_TRUE(has(reason, "docker rm -f " + group + "-db-1")) << reason;
  EXPECT_TRUE(engine_->container_exists(thief.made)) << "someone else's container was removed";
  EXPECT_TRUE(engine_->containers(group).empty()) << "the failed new container was left";
  engine_->client().container_remove(thief.made, /*force=*/true, /*volumes=*/false);
}

// A killed start's create request can reach the engine after the next start
// took its inventory: the next start's create then finds the name taken by a
// container of the service, which is a leftover and gives way.
TEST_F(FinalNameTaken, AContainerOfTheServiceMadeAfterTheInventoryGivesWayToTheCreate) {
  dm_group* g = new_group("latecreate");
  std::string group = group_name(g);
  dm_service* db = add_sleeper(g, "db");
  NameThief thief{
      engine_.get(), {{kGroupLabel, group}, {"io.drillmaster.service", "db"}}, group + "-db-1", ""};
  dm_service_set_pre_start(db, take_the_final_name, &thief);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_STARTED);
  ASSERT_FALSE(thief.made.empty());
  EXPECT_FALSE(engine_->container_exists(thief.made)) << "the leftover was kept";
  EXPECT_EQ(engine_->inspect(container_of(r, "db")).name, group + "-db-1");
  EXPECT_EQ(engine_->containers(group).size(), 1u);
}

TEST_F(FinalNameTaken, AContainerThatIsNotTheServicesHoldingTheNameAtCreateFailsTheService) {
  dm_group* g = new_group("foreigncreate");
  std::string group = group_name(g);
  dm_service* db = add_sleeper(g, "db");
  NameThief thief{engine_.get(), {}, group + "-db-1", ""};
  dm_service_set_pre_start(db, take_the_final_name, &thief);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_EFAILED) << dm_error_last() << describe(r);
  ASSERT_FALSE(thief.made.empty());
  std::string reason = reason_of(r, "db");
  EXPECT_TRUE(has(reason, "container name '" + group + "-db-1' is taken")) << reason;
  EXPECT_TRUE(engine_->container_exists(thief.made)) << "someone else's container was removed";
  EXPECT_TRUE(engine_->containers(group).empty());
  engine_->client().container_remove(thief.made, /*force=*/true, /*volumes=*/false);
}

}  // namespace
}  // namespace dm::testing
