// Volumes parsed and resolved against the group directory; build contexts.
#include "model/volumes.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace dm::model {

// For the expectations below (found by argument-dependent lookup).
bool operator==(const Volume& a, const Volume& b) {
  return a.source == b.source && a.target == b.target && a.read_only == b.read_only;
}

std::ostream& operator<<(std::ostream& out, const Volume& v) {
  return out << v.source << " -> " << v.target << (v.read_only ? " (ro)" : "");
}

namespace {

// `spec` resolved as the only volume of a service in /srv/demo.
Volume resolve(const std::string& spec) {
  ServiceDef service;
  service.volumes.push_back({spec, "", "", ""});
  auto volumes = resolve_volumes(service, "/srv/demo");
  EXPECT_EQ(volumes.size(), 1u);
  return volumes.empty() ? Volume{} : volumes.front();
}

// Sets $HOME for the life of the object.
class Home {
 public:
  explicit Home(const char* value) {
    if (const char* old = getenv("HOME")) old_ = old;
    setenv("HOME", value, 1);
  }
  ~Home() { setenv("HOME", old_.c_str(), 1); }

 private:
  std::string old_;
};

TEST(ResolveVolumes, AbsoluteHostPathStays) {
  EXPECT_EQ(resolve("/var/data:/data"), (Volume{"/var/data", "/data", false}));
}

TEST(ResolveVolumes, RelativeHostPathsResolveAgainstTheGroupDirectory) {
  EXPECT_EQ(resolve("./data:/data"), (Volume{"/srv/demo/data", "/data", false}));
  EXPECT_EQ(resolve("conf/app.ini:/etc/app.ini"),
            (Volume{"/srv/demo/conf/app.ini", "/etc/app.ini", false}));
  EXPECT_EQ(resolve(".:/src"), (Volume{"/srv/demo", "/src", false}));
}

TEST(ResolveVolumes, DotDotIsHandledLexically) {
  EXPECT_EQ(resolve("../shared:/shared"), (Volume{"/srv/shared", "/shared", false}));
  EXPECT_EQ(resolve("./a/../b/./c//:/c"), (Volume{"/srv/demo/b/c", "/c", false}));
  EXPECT_EQ(resolve("/../../etc:/etc"), (Volume{"/etc", "/etc", false}));
}

TEST(ResolveVolumes, TildeIsTheHomeDirectory) {
  Home home("/home/tester");
  EXPECT_EQ(resolve("~/.cache:/cache"), (Volume{"/home/tester/.cache", "/cache", false}));
  EXPECT_EQ(resolve("~:/home"), (Volume{"/home/tester", "/home", false}));
}

TEST(ResolveVolumes, NameWithoutSlashIsADockerVolume) {
  EXPECT_EQ(resolve("pgdata:/var/lib/postgresql/data"),
            (Volume{"pgdata", "/var/lib/postgresql/data", false}));
  EXPECT_EQ(resolve("my_vol.1:/v"), (Volume{"my_vol.1", "/v", false}));
}

TEST(ResolveVolumes, Modes) {
  EXPECT_EQ(resolve("/a:/a:ro"), (Volume{"/a", "/a", true}));
  EXPECT_EQ(resolve("/a:/a:rw"), (Volume{"/a", "/a", false}));
  EXPECT_EQ(resolve("/a:/a"), (Volume{"/a", "/a", false}));
}

TEST(ResolveVolumes, PartsForm) {
  ServiceDef service;
  service.volumes.push_back({"", "./logs", "/var/log", "ro"});
  service.volumes.push_back({"", "cache", "/cache", ""});
  auto volumes = resolve_volumes(service, "/srv/demo");
  ASSERT_EQ(volumes.size(), 2u);
  EXPECT_EQ(volumes[0], (Volume{"/srv/demo/logs", "/var/log", true}));
  EXPECT_EQ(volumes[1], (Volume{"cache", "/cache", false}));
}

TEST(ResolveVolumes, KeepsTheOrderGiven) {
  ServiceDef service;
  service.volumes.push_back({"b:/b", "", "", ""});
  service.volumes.push_back({"a:/a", "", "", ""});
  auto volumes = resolve_volumes(service, "/srv/demo");
  ASSERT_EQ(volumes.size(), 2u);
  EXPECT_EQ(volumes[0].source, "b");
  EXPECT_EQ(volumes[1].source, "a");
}

TEST(ResolveBuildContext, RelativeAbsoluteAndNone) {
  ServiceDef service;
  EXPECT_EQ(resolve_build_context(service, "/srv/demo"), "");
  service.build_context = "./images/app";
  EXPECT_EQ(resolve_build_context(service, "/srv/demo"), "/srv/demo/images/app");
  service.build_context = "..";
  EXPECT_EQ(resolve_build_context(service, "/srv/demo"), "/srv");
  service.build_context = "/opt/app/";
  EXPECT_EQ(resolve_build_context(service, "/srv/demo"), "/opt/app");
}

// resolve_path(): lexical normalisation, one rule per test.

TEST(ResolvePath, DotAndRepeatedSlashesGo) {
  EXPECT_EQ(resolve_path("/srv/./demo//data", "/"), "/srv/demo/data");
  EXPECT_EQ(resolve_path("//x//y", "/"), "/x/y");
}

TEST(ResolvePath, DotDotTakesAwayThePartBeforeIt) {
  EXPECT_EQ(resolve_path("/srv/demo/../x", "/"), "/srv/x");
  EXPECT_EQ(resolve_path("a/b/..", ""), "a");
}

TEST(ResolvePath, DotDotAboveTheRootStaysAtTheRoot) {
  EXPECT_EQ(resolve_path("/..", "/"), "/");
  EXPECT_EQ(resolve_path("/../../etc", "/"), "/etc");
  EXPECT_EQ(resolve_path("/a/b/../../../c", "/"), "/c");
  EXPECT_EQ(resolve_path("../../../../x", "/srv/demo"), "/x");
}

TEST(ResolvePath, DotDotAboveTheStartOfARelativePathIsKept) {
  // Only without a directory to resolve against: the fuzzers' case.
  EXPECT_EQ(resolve_path("../x", ""), "../x");
  EXPECT_EQ(resolve_path("x/../../y", ""), "../y");
}

TEST(ResolvePath, NoTrailingSlashButTheRoot) {
  EXPECT_EQ(resolve_path("/data/", "/"), "/data");
  EXPECT_EQ(resolve_path("/a/..", "/"), "/");
  EXPECT_EQ(resolve_path("/", "/"), "/");
}

TEST(ResolvePath, NothingLeftIsTheCurrentDirectory) {
  EXPECT_EQ(resolve_path("a/..", ""), ".");
  EXPECT_EQ(resolve_path("", ""), ".");
}

TEST(ResolvePath, NamesMadeOfDotsAreNames) {
  EXPECT_EQ(resolve_path("/srv/.../x", "/"), "/srv/.../x");
  EXPECT_EQ(resolve_path("./.hidden", "/srv"), "/srv/.hidden");
}

TEST(ResolvePath, RelativePathsResolveAgainstTheDirectory) {
  EXPECT_EQ(resolve_path("data", "/srv/demo"), "/srv/demo/data");
  EXPECT_EQ(resolve_path(".", "/srv/demo/"), "/srv/demo");
}

TEST(ResolvePath, TildeIsTheHomeDirectory) {
  Home home("/home/tester/");
  EXPECT_EQ(resolve_path("~", "/srv"), "/home/tester");
  EXPECT_EQ(resolve_path("~/../other", "/srv"), "/home/other");
}

TEST(VolumeText, ShowsThePartsFormAsASpec) {
  EXPECT_EQ(volume_text({"./a:/a", "", "", ""}), "./a:/a");
  EXPECT_EQ(volume_text({"", "./a", "/a", "ro"}), "./a:/a:ro");
  EXPECT_EQ(volume_text({"", "./a", "/a", ""}), "./a:/a");
}

}  // namespace
}  // namespace dm::model
