// Every field of a service reaches its container: set through the C API as a
// program sets it, started on the real engine, and read back from what the
// engine says it created. A new field adds its lines here
// (docs/adding-a-field.md).
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "capi/handles.h"  // the group's definition, for its hash
#include "model/request.h"
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
  // And it carries the hash of the definition it was made from.
  model::GroupDef def = g->snapshot();
  EXPECT_EQ(info.labels["io.drillmaster.config-hash"],
            model::definition_hash(def, def.services.front()));
}

}  // namespace
}  // namespace dm::testing
