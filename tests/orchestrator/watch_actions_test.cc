// The watch actions of drillmaster/watch.h against the real engine: files
// copied into a running container and deleted there (a file and a
// directory), an image without rm, a stopped service, the restart of one
// service (its ping waited for, no post_start_init, its dependant left
// alone; a failed ping; a cancel) and dm_group_watch_apply() of a batch.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "capi/handles.h"
#include "capi/watch.h"
#include "support/fake_engine.h"
#include "support/lifecycle.h"

namespace fs = std::filesystem;

namespace dm::testing {
namespace {

class WatchActions : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    dir_ = fs::temp_directory_path() / unique_group("watch-files");
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    LifecycleTest::TearDown();
  }

  std::string write(const std::string& name, const std::string& text) {
    fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }

  // web (a sleeper as user 1000:1000, with ping and init) <- client.
  void define() {
    g_ = new_group("watch");
    dm_service* web = add_sleeper(g_, "web");
    ASSERT_EQ(dm_service_set_user(web, "1000:1000"), DM_OK);
    probe_.attach(web, /*pre_start=*/true, /*ping=*/true, /*init=*/true);
    add_sleeper(g_, "client", {"web"});
  }

  int copy(const std::vector<std::pair<std::string, std::string>>& files,
           const std::vector<std::string>& removed, std::string* skipped = nullptr) {
    std::vector<const char*> hosts, targets, gone;
    for (const auto& [h, t] : files) {
      hosts.push_back(h.c_str());
      targets.push_back(t.c_str());
    }
    for (const auto& r : removed) gone.push_back(r.c_str());
    char* lines = nullptr;
    int status = dm_group_copy_files(g_, client_, "web", hosts.data(), targets.data(), hosts.size(),
                                     gone.data(), gone.size(), &lines);
    if (skipped != nullptr) *skipped = lines ? lines : "";
    dm_free(lines);
    return status;
  }

  // The output of `script` in web's container.
  std::string in_web(const std::string& script) {
    const char* argv[] = {"sh", "-c", script.c_str()};
    dm_exec_result* result = nullptr;
    EXPECT_EQ(dm_group_exec(g_, client_, "web", argv, 3, nullptr, &result), DM_OK)
        << dm_error_last();
    std::string out = dm_exec_result_stdout(result, nullptr);
    dm_exec_result_free(result);
    return out;
  }

  int restart(dm_result** out, EventRecorder* events = nullptr, double timeout = 30) {
    dm_watch_options opts = DM_WATCH_OPTIONS_INIT;
    opts.timeout = timeout;
    opts.stop_timeout = 1;
    if (events) {
      opts.on_event = EventRecorder::callback;
      opts.event_user_data = events;
    }
    return dm_group_restart_service(out, g_, client_, "web", &opts);
  }

  dm_group* g_ = nullptr;
  HookProbe probe_;
  fs::path dir_;
};

TEST_F(WatchActions, CopiesIntoTheRunningContainerAndDeletesAFileAndADirectory) {
  define();
  ResultPtr r;
  ASSERT_EQ(start(g_, r.out()), DM_OK) << dm_error_last() << describe(r);
  std::string page = write("site/index.html", "v1");
  std::string deep = write("site/docs/deep/a.txt", "deep");
  ASSERT_EQ(copy({{page, "/tmp/site/index.html"}, {deep, "/tmp/site/docs/deep/a.txt"}}, {}), DM_OK)
      << dm_error_last();
  EXPECT_EQ(in_web("cat /tmp/site/index.html /tmp/site/docs/deep/a.txt"), "v1deep");
  EXPECT_EQ(in_web("stat -c %u /tmp/site/index.html"), "1000\n");

  write("site/index.html", "v2");
  std::string skipped;
  ASSERT_EQ(copy({{page, "/tmp/site/index.html"}, {(dir_ / "gone").string(), "/tmp/site/gone"}},
                 {"/tmp/site/docs", "/tmp/site/never-there"}, &skipped),
            DM_OK)
      << dm_error_last();
  EXPECT_NE(skipped.find((dir_ / "gone").string()), std::string::npos) << skipped;
  EXPECT_EQ(in_web("cat /tmp/site/index.html; test -e /tmp/site/docs || echo ' gone'"),
            "v2 gone\n");
}

TEST_F(WatchActions, AnImageWithoutRmSaysDeletionsCannotBeSynced) {
  g_ = new_group("watch-norm");
  TempContext context("no-rm");
  std::string image = group_name(g_) + "/norm:latest";
  own_image(image);
  dm_service* web = nullptr;
  ASSERT_EQ(dm_group_add_service(&web, g_, "web", image.c_str()), DM_OK);
  ASSERT_EQ(dm_service_set_build(web, context.path().c_str(), nullptr), DM_OK);
  set_script(web, kSleeper);
  ResultPtr r;
  ASSERT_EQ(start(g_, r.out(), nullptr, 120), DM_OK) << dm_error_last() << describe(r);
  std::string file = write("a.txt", "copied");
  EXPECT_EQ(copy({{file, "/tmp/a.txt"}}, {"/tmp/old.txt"}), DM_EENGINE);
  std::string message = dm_error_last();
  EXPECT_NE(message.find("'web'"), std::string::npos) << message;
  EXPECT_NE(message.find("no 'rm'"), std::string::npos) << message;
  EXPECT_EQ(in_web("cat /tmp/a.txt"), "copied") << "the copies are done before the deletions";
}

TEST_F(WatchActions, ACopyIntoAStoppedServiceIsAConflictSayingToStartIt) {
  define();
  ResultPtr r;
  ASSERT_EQ(start(g_, r.out()), DM_OK) << dm_error_last() << describe(r);
  ASSERT_EQ(stop(g_, r.out(), /*remove=*/false), DM_OK) << dm_error_last();
  EXPECT_EQ(copy({{write("a", "a"), "/tmp/a"}}, {}), DM_ECONFLICT);
  std::string message = dm_error_last();
  EXPECT_NE(message.find("'web'"), std::string::npos) << message;
  EXPECT_NE(message.find("exited"), std::string::npos) << message;
  EXPECT_NE(message.find("start it"), std::string::npos) << message;
}

TEST_F(WatchActions, ARestartWaitsForThePingWithoutInitAndLeavesTheDependant) {
  define();
  ResultPtr r;
  ASSERT_EQ(start(g_, r.out()), DM_OK) << dm_error_last() << describe(r);
  std::string web = container_of(r, "web"), client = container_of(r, "client");
  probe_.reset();
  probe_.ready_after = 3;  // ready at the third ping: the restart must wait for it
  EventRecorder events;
  ASSERT_EQ(restart(r.out(), &events), DM_OK) << dm_error_last() << describe(r);
  ASSERT_EQ(dm_result_count(r), 1u) << describe(r);
  EXPECT_EQ(outcome_of(r, "web"), DM_OUTCOME_RESTARTED);
  EXPECT_EQ(container_of(r, "web"), web) << "restarted in place";
  EXPECT_EQ(probe_.ping.load(), 3);
  EXPECT_EQ(probe_.init.load(), 0) << "post_start_init ran on a restart";
  EXPECT_EQ(probe_.pre_start.load(), 0) << "pre_start ran on a restart";
  long stopping = events.first("web", DM_PHASE_STOPPING);
  long starting = events.first("web", DM_PHASE_STARTING);
  long pinging = events.first("web", DM_PHASE_PINGING);
  long running = events.last("web", DM_PHASE_RUNNING);
  EXPECT_TRUE(stopping >= 0 && stopping < starting && starting < pinging && pinging < running)
      << events.dump();
  EXPECT_EQ(events.count("client", DM_PHASE_STOPPING), 0u) << events.dump();
  EXPECT_EQ(engine_->inspect(client).state, "running");
  EXPECT_EQ(engine_->inspect(web).state, "running");
}

TEST_F(WatchActions, ARestartWhosePingFailsIsFailedAndKeepsTheContainer) {
  define();
  ResultPtr r;
  ASSERT_EQ(start(g_, r.out()), DM_OK) << dm_error_last() << describe(r);
  std::string web = container_of(r, "web");
  probe_.reset();
  probe_.fail_ping = true;
  EXPECT_EQ(restart(r.out()), DM_EFAILED) << describe(r);
  EXPECT_EQ(outcome_of(r, "web"), DM_OUTCOME_FAILED);
  EXPECT_NE(reason_of(r, "web").find(probe_.failure_message), std::string::npos) << describe(r);
  EXPECT_TRUE(engine_->container_exists(web));
}

TEST_F(WatchActions, ACancelEndsARestartWaitingForItsPing) {
  define();
  ResultPtr r;
  ASSERT_EQ(start(g_, r.out()), DM_OK) << dm_error_last() << describe(r);
  std::string web = container_of(r, "web");
  probe_.reset();
  probe_.ready_after = 0;  // never ready
  std::thread canceller([&] {
    while (probe_.ping.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    dm_group_cancel(g_);
  });
  int status = restart(r.out(), nullptr, 120);
  canceller.join();
  EXPECT_EQ(status, DM_ECANCELLED) << dm_error_last() << describe(r);
  EXPECT_TRUE(engine_->container_exists(web));
}

TEST_F(WatchActions, ApplySyncsAndSyncRestartsABatchEntry) {
  define();
  ResultPtr r;
  ASSERT_EQ(start(g_, r.out()), DM_OK) << dm_error_last() << describe(r);
  in_web("echo old > /tmp/old.txt");
  dm_watch_batch batch;
  model::WatchEntry sync{"web", DM_WATCH_SYNC, {}};
  sync.files.push_back({write("new.txt", "new"), "/tmp/new.txt", false});
  sync.files.push_back({(dir_ / "old.txt").string(), "/tmp/old.txt", true});
  sync.files.push_back({(dir_ / "vanished.txt").string(), "/tmp/vanished.txt", false});
  batch.batch.entries.push_back(sync);
  model::WatchEntry restart_entry{"web", DM_WATCH_SYNC_RESTART, {}};
  restart_entry.files.push_back({(dir_ / "new.txt").string(), "/tmp/new.txt", false});
  batch.batch.entries.push_back(restart_entry);

  dm_watch_options opts = DM_WATCH_OPTIONS_INIT;
  opts.timeout = 30;
  opts.stop_timeout = 1;
  ASSERT_EQ(dm_group_watch_apply(r.out(), g_, client_, &batch, 0, &opts), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "web"), DM_OUTCOME_SYNCED) << describe(r);
  EXPECT_NE(reason_of(r, "web").find("vanished.txt"), std::string::npos) << describe(r);
  EXPECT_EQ(in_web("cat /tmp/new.txt; test -e /tmp/old.txt || echo ' deleted'"), "new deleted\n");

  write("new.txt", "newer");
  probe_.reset();
  ASSERT_EQ(dm_group_watch_apply(r.out(), g_, client_, &batch, 1, &opts), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "web"), DM_OUTCOME_RESTARTED) << describe(r);
  EXPECT_EQ(probe_.ping.load(), 1);
  EXPECT_EQ(probe_.init.load(), 0);
  EXPECT_EQ(in_web("cat /tmp/new.txt"), "newer");

  EXPECT_EQ(dm_group_watch_apply(r.out(), g_, client_, &batch, 2, &opts), DM_EINVALID);
}

// An engine that lists a running container of web and answers the archive
// upload with 500: the copy fails with the engine's message, and nothing
// else happens.
TEST(WatchActionsFault, AnUploadTheEngineRefusesIsAnEngineErrorWithItsMessage) {
  std::string group_name = unique_group("watch-fault");
  FakeEngine fake([&](const FakeRequest& r) {
    if (r.path == "/containers/json")
      return FakeAnswer::json(
          200, R"([{"Id":"0123456789abcdef","Names":["/)" + group_name +
                   R"(-web-1"],"Image":"fake:latest","ImageID":"sha256:f","State":"running",)"
                   R"("Status":"Up","Labels":{"io.drillmaster.group":")" +
                   group_name + R"(","io.drillmaster.service":"web"}}])");
    if (r.path == "/containers/0123456789abcdef/json")
      return FakeAnswer::json(200, R"({"Id":"0123456789abcdef","Name":"/web",)"
                                   R"("Config":{"User":"1000:1000"},"State":{"Status":)"
                                   R"("running","Running":true,"ExitCode":0}})");
    if (r.method == "PUT" && r.path == "/containers/0123456789abcdef/archive")
      return FakeAnswer::json(500, R"({"message":"disk full on purpose"})");
    return FakeAnswer::standard(r);
  });
  dm_client_options options = DM_CLIENT_OPTIONS_INIT;
  std::string address = fake.address();
  options.host = address.c_str();
  dm_client* client = nullptr;
  ASSERT_EQ(dm_client_open(&client, &options), DM_OK) << dm_error_last();
  dm_group* group = nullptr;
  ASSERT_EQ(dm_group_new(&group, group_name.c_str()), DM_OK);
  dm_service* web = nullptr;
  ASSERT_EQ(dm_group_add_service(&web, group, "web", "fake:latest"), DM_OK);
  char file[] = "/tmp/dm-watch-fault-XXXXXX";
  int fd = mkstemp(file);
  ASSERT_GE(fd, 0);
  close(fd);
  const char* hosts[] = {file};
  const char* targets[] = {"/tmp/a.txt"};
  EXPECT_EQ(dm_group_copy_files(group, client, "web", hosts, targets, 1, nullptr, 0, nullptr),
            DM_EENGINE);
  std::string message = dm_error_last();
  EXPECT_NE(message.find("disk full on purpose"), std::string::npos) << message;
  bool uploaded = false;
  for (const auto& r : fake.requests()) uploaded |= r.method == "PUT";
  EXPECT_TRUE(uploaded);
  unlink(file);
  dm_group_free(group);
  dm_client_free(client);
}

}  // namespace
}  // namespace dm::testing
