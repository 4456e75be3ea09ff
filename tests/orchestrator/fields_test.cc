// Every field of a service reaches its container: set through the C API as a
// program sets it, started on the real engine, and read back from what the
// engine says it created. A new field adds its lines here
// (docs/adding-a-field.md).
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <thread>

#include "capi/handles.h"  // the group's definition, for its hash
#include "model/request.h"
#include "orchestrator/identity.h"
#include "support/lifecycle.h"

namespace dm::testing {
namespace {

namespace fs = std::filesystem;

using Fields = LifecycleTest;

bool has(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// A directory to mount, removed at the end of the test.
struct TempDir {
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "dmt-fields-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string path;
};

TEST_F(Fields, EveryFieldReachesTheContainer) {
  TempDir data;
  ASSERT_FALSE(data.path.empty());
  int host_port = free_port();
  dm_group* g = new_group("fields");
  dm_service* web = nullptr;
  ASSERT_EQ(dm_group_add_service(&web, g, "web", kImage), DM_OK) << dm_error_last();
  ASSERT_EQ(dm_service_set_env(web, "GREETING", "hello world"), DM_OK);
  ASSERT_EQ(dm_service_add_port(web, "80", host_port), DM_OK);
  ASSERT_EQ(dm_service_add_bind(web, data.path.c_str(), "/data", "ro"), DM_OK);
  const char* entrypoint[] = {"/bin/sh", "-c"};
  ASSERT_EQ(dm_service_set_entrypoint(web, entrypoint, 2), DM_OK);
  const char* cmd[] = {kSleeper};
  ASSERT_EQ(dm_service_set_cmd(web, cmd, 1), DM_OK);
  ASSERT_EQ(dm_service_set_user(web, "1234:1234"), DM_OK);
  ASSERT_EQ(dm_service_set_stop_signal(web, "kill"), DM_OK);
  const char* healthcheck[] = {"CMD-SHELL", "test -d /data"};
  ASSERT_EQ(dm_service_set_healthcheck(web, healthcheck, 2, 0.25, 5, 2, 0.5), DM_OK);
  ASSERT_EQ(dm_service_set_restart(web, "on-failure:2"), DM_OK);
  ASSERT_EQ(dm_service_add_tmpfs(web, "/run"), DM_OK);
  ASSERT_EQ(dm_service_add_tmpfs(web, "/tmp:size=64m"), DM_OK);
  ASSERT_EQ(dm_service_set_read_only(web, 1), DM_OK);
  ASSERT_EQ(dm_service_set_init(web, 1), DM_OK);
  ASSERT_EQ(dm_service_add_cap_add(web, "NET_ADMIN"), DM_OK);
  ASSERT_EQ(dm_service_add_cap_drop(web, "CAP_CHOWN"), DM_OK);
  ASSERT_EQ(dm_service_set_shm_size(web, "32m"), DM_OK);
  ASSERT_EQ(dm_service_set_mem_limit(web, "0.25g"), DM_OK);
  ASSERT_EQ(dm_service_set_cpus(web, 0.5), DM_OK);
  ASSERT_EQ(dm_service_set_ulimit(web, "nofile", 1024, 2048), DM_OK);
  ASSERT_EQ(dm_service_add_extra_host(web, "db.local", "10.0.0.5"), DM_OK);
  ASSERT_EQ(dm_service_add_extra_host(web, "host.local", "host-gateway"), DM_OK);
  ASSERT_EQ(dm_service_set_stop_grace_period(web, 2.5), DM_OK);

  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  engine::ContainerInfo info = engine_->inspect(container_of(r, "web"));
  EXPECT_TRUE(info.running);
  EXPECT_EQ(info.image, kImage);
  EXPECT_TRUE(has(info.env, "GREETING=hello world"));
  bool published = std::any_of(info.ports.begin(), info.ports.end(), [&](const auto& p) {
    return p.container_port == "80/tcp" && p.host_port == host_port;
  });
  EXPECT_TRUE(published) << "80/tcp is not on host port " << host_port;
  ASSERT_EQ(info.mounts.size(), 1u);
  EXPECT_EQ(info.mounts[0].source, data.path);
  EXPECT_EQ(info.mounts[0].target, "/data");
  EXPECT_TRUE(info.mounts[0].read_only);
  EXPECT_EQ(info.entrypoint, (std::vector<std::string>{"/bin/sh", "-c"}));
  EXPECT_EQ(info.cmd, std::vector<std::string>{kSleeper});
  EXPECT_EQ(info.user, "1234:1234");
  EXPECT_EQ(info.stop_signal, "SIGKILL");  // in its canonical form
  EXPECT_TRUE(has(info.network_aliases[dm_group_network_name(g)], "web"));
  EXPECT_FALSE(info.tty);  // no setter yet: the image's default
  ASSERT_TRUE(info.healthcheck.has_value());
  EXPECT_EQ(info.healthcheck->test, (std::vector<std::string>{"CMD-SHELL", "test -d /data"}));
  EXPECT_EQ(info.healthcheck->interval, 250000000);
  EXPECT_EQ(info.healthcheck->timeout, 5000000000);
  EXPECT_EQ(info.healthcheck->retries, 2);
  EXPECT_EQ(info.healthcheck->start_period, 500000000);
  EXPECT_EQ(info.health, "healthy");  // the start waited for it
  EXPECT_EQ(info.restart_policy, "on-failure:2");
  EXPECT_EQ(info.tmpfs, (std::map<std::string, std::string>{{"/run", ""}, {"/tmp", "size=64m"}}));
  EXPECT_TRUE(info.read_only);
  EXPECT_TRUE(info.init);
  EXPECT_FALSE(info.privileged);  // see PrivilegedReachesACreatedContainer
  EXPECT_EQ(info.cap_add, std::vector<std::string>{"NET_ADMIN"});
  EXPECT_EQ(info.cap_drop, std::vector<std::string>{"CAP_CHOWN"});
  EXPECT_EQ(info.shm_size, 32 << 20);
  EXPECT_EQ(info.memory, 256 << 20);
  EXPECT_EQ(info.nano_cpus, 500000000);
  EXPECT_EQ(info.ulimits, std::vector<std::string>{"nofile=1024:2048"});
  EXPECT_EQ(info.extra_hosts,
            (std::vector<std::string>{"db.local:10.0.0.5", "host.local:host-gateway"}));
  EXPECT_EQ(info.stop_timeout, 3);  // whole seconds, rounded up
  // And it carries the hash of the definition it was made from.
  model::GroupDef def = g->snapshot();
  EXPECT_EQ(info.labels["io.drillmaster.config-hash"],
            model::definition_hash(def, def.services.front()));
}

// Privileged containers cannot start on every machine (not on the one the
// tests run on): the request the library makes, created but not started.
TEST_F(Fields, PrivilegedReachesACreatedContainer) {
  dm_group* g = new_group("privileged");
  dm_service* root = add_sleeper(g, "root");
  ASSERT_EQ(dm_service_set_privileged(root, 1), DM_OK);
  model::GroupDef def = g->snapshot();
  def.network.clear();  // not created: the container stays on the default bridge
  engine::ContainerSpec spec;
  spec.body = model::create_request(def, def.services.front());
  spec.labels = {{orchestrator::kGroupLabel, group_name(g)}};  // for the teardown
  std::string id = engine_->client().container_create(spec);
  EXPECT_TRUE(engine_->inspect(id).privileged);
  engine_->client().container_remove(id, true, false);
}

// The engine restarts a container with a restart policy whenever it exits,
// except after a stop: a stopped group stays stopped.
TEST_F(Fields, AStopStopsAContainerThatAlwaysRestarts) {
  dm_group* g = new_group("restart");
  dm_service* app = add_sleeper(g, "app");
  ASSERT_EQ(dm_service_set_restart(app, "always"), DM_OK);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  std::string id = container_of(r, "app");
  EXPECT_EQ(engine_->inspect(id).restart_policy, "always");
  ResultPtr stopped;
  ASSERT_EQ(stop(g, stopped.out(), false), DM_OK) << describe(stopped);
  EXPECT_EQ(outcome_of(stopped, "app"), DM_OUTCOME_STOPPED);
  // Past the engine's first restart delay (0.1 s): still stopped.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  engine::ContainerInfo info = engine_->inspect(id);
  EXPECT_EQ(info.state, "exited");
  EXPECT_EQ(info.exit_code, 0);  // kSleeper ends on SIGTERM
}

// The engine's wait answers at the container's exit even when its policy
// restarts it: the start fails with the exit code at once, and removes the
// container, which would otherwise go on restarting.
TEST_F(Fields, AContainerThatExitsWhileBeingPingedFailsAlsoWithARestartPolicy) {
  dm_group* g = new_group("restart-exit");
  dm_service* app = add_sleeper(g, "app");
  set_script(app, "echo giving up; exit 3");
  ASSERT_EQ(dm_service_set_restart(app, "always"), DM_OK);
  HookProbe probe;
  probe.ready_after = 0;  // never ready: only the exit ends the wait
  probe.attach(app, false, true, false);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), nullptr, /*timeout=*/60), DM_EFAILED) << describe(r);
  std::string reason = reason_of(r, "app");
  EXPECT_NE(reason.find("exited with code 3 while waiting for it to be ready"), std::string::npos)
      << reason;
  EXPECT_TRUE(engine_->containers(group_name(g), "app").empty()) << "its container was removed";
}

// A container that ignores SIGTERM's first second: the service's own grace
// period lets it end cleanly where the stop's (0: kill at once) would not.
TEST_F(Fields, AStopGivesEachServiceItsOwnGracePeriod) {
  dm_group* g = new_group("grace");
  const std::string slow_to_stop = "trap 'sleep 1; exit 0' TERM; sleep 1000 & wait";
  dm_service* patient = add_sleeper(g, "patient");
  set_script(patient, slow_to_stop);
  ASSERT_EQ(dm_service_set_stop_grace_period(patient, 30), DM_OK);
  dm_service* hurried = add_sleeper(g, "hurried");
  set_script(hurried, slow_to_stop);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  std::string patient_id = container_of(r, "patient"), hurried_id = container_of(r, "hurried");
  ResultPtr stopped;
  ASSERT_EQ(stop(g, stopped.out(), false, nullptr, /*timeout=*/0), DM_OK) << describe(stopped);
  EXPECT_EQ(engine_->inspect(patient_id).exit_code, 0) << "ended by its TERM trap";
  EXPECT_EQ(engine_->inspect(hurried_id).exit_code, 137) << "killed at once";
}

}  // namespace
}  // namespace dm::testing
