// Watch rules routed without an engine: which rule a changed path triggers,
// what it maps to in the container, what is ignored or refused.
#include "model/watch.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "model/groups.h"

namespace fs = std::filesystem;

namespace dm::model {
namespace {

using testing::group;
using testing::service;

constexpr int kSync = static_cast<int>(WatchAction::Sync);
constexpr int kRestart = static_cast<int>(WatchAction::SyncRestart);
constexpr int kRebuild = static_cast<int>(WatchAction::Rebuild);

class Watch : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "dm-watch-XXXXXX").string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    ASSERT_NE(::mkdtemp(buffer.data()), nullptr);
    dir_ = buffer.data();
    g_ = group({});
    g_.directory = dir_;
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }

  // Writes <dir>/<relative> with `text`, making its directories.
  std::string write(const std::string& relative, const std::string& text = "x") {
    fs::path path = fs::path(dir_) / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }
  std::string at(const std::string& relative) const { return dir_ + "/" + relative; }

  ServiceDef& add(const std::string& name, std::vector<WatchRule> rules) {
    ServiceDef s = service(name);
    s.watch = std::move(rules);
    g_.services.push_back(s);
    return g_.services.back();
  }

  WatchBatch route(const std::vector<std::string>& paths) const {
    return Watcher(g_, {}).route(paths);
  }

  std::string dir_;
  GroupDef g_;
};

TEST_F(Watch, ActionNames) {
  EXPECT_STREQ(watch_action_name(kSync), "sync");
  EXPECT_STREQ(watch_action_name(kRestart), "sync+restart");
  EXPECT_STREQ(watch_action_name(kRebuild), "rebuild");
  EXPECT_STREQ(watch_action_name(9), "unknown");
}

TEST_F(Watch, ASyncedFileMapsBelowTheTarget) {
  std::string file = write("site/css/a.css");
  add("web", {{"site", kSync, "/www", {}}});
  WatchBatch batch = route({file});
  ASSERT_EQ(batch.entries.size(), 1u);
  EXPECT_EQ(batch.entries[0].service, "web");
  EXPECT_EQ(batch.entries[0].action, kSync);
  ASSERT_EQ(batch.entries[0].files.size(), 1u);
  EXPECT_EQ(batch.entries[0].files[0].host, file);
  EXPECT_EQ(batch.entries[0].files[0].target, "/www/css/a.css");
  EXPECT_FALSE(batch.entries[0].files[0].removed);
  EXPECT_TRUE(batch.skipped.empty());
}

TEST_F(Watch, ARuleOnAFileMapsToItsTarget) {
  std::string file = write("conf/app.ini");
  add("web", {{"conf/app.ini", kRestart, "/etc/app.ini", {}}});
  WatchBatch batch = route({file});
  ASSERT_EQ(batch.entries.size(), 1u);
  EXPECT_EQ(batch.entries[0].action, kRestart);
  EXPECT_EQ(batch.entries[0].files[0].target, "/etc/app.ini");
}

TEST_F(Watch, TheLongestRulePathWins) {
  std::string code = write("app/src/main.py");
  std::string readme = write("app/README");
  add("api", {{"app", kRebuild, "", {}}, {"app/src", kSync, "/code", {}}});
  g_.services.back().build_context = "app";
  WatchBatch batch = route({code});
  ASSERT_EQ(batch.entries.size(), 1u);
  EXPECT_EQ(batch.entries[0].action, kSync);
  EXPECT_EQ(batch.entries[0].files[0].target, "/code/main.py");

  // Both: the heaviest rule decides the entry's action.
  batch = route({code, readme});
  ASSERT_EQ(batch.entries.size(), 1u);
  EXPECT_EQ(batch.entries[0].action, kRebuild);
  ASSERT_EQ(batch.entries[0].files.size(), 2u);
  EXPECT_EQ(batch.entries[0].files[0].target, "");  // README: the rebuild rule's
  EXPECT_EQ(batch.entries[0].files[1].target, "/code/main.py");
}

TEST_F(Watch, EachServiceHasItsOwnEntryInGroupOrder) {
  std::string file = write("shared/lib.js");
  add("b", {{"shared", kSync, "/b", {}}});
  add("a", {{"shared", kRestart, "/a", {}}});
  WatchBatch batch = route({file});
  ASSERT_EQ(batch.entries.size(), 2u);
  EXPECT_EQ(batch.entries[0].service, "b");
  EXPECT_EQ(batch.entries[0].files[0].target, "/b/lib.js");
  EXPECT_EQ(batch.entries[1].service, "a");
  EXPECT_EQ(batch.entries[1].action, kRestart);
}

TEST_F(Watch, IgnorePatternsAreRelativeToTheRulePath) {
  std::string log = write("site/logs/x.log");
  std::string page = write("site/index.html");
  std::string kept = write("site/keep.log");
  add("web", {{"site", kSync, "/www", {"*.log", "logs", "!keep.log"}}});
  WatchBatch batch = route({log, page, kept});
  ASSERT_EQ(batch.entries.size(), 1u);
  ASSERT_EQ(batch.entries[0].files.size(), 2u);
  EXPECT_EQ(batch.entries[0].files[0].host, page);
  EXPECT_EQ(batch.entries[0].files[1].host, kept);
  EXPECT_TRUE(route({log}).entries.empty());
}

TEST_F(Watch, ARebuildRuleHonoursTheContextsDockerignoreButNotForItselfOrTheDockerfile) {
  write("app/.dockerignore", "*.md\nDockerfile\n.dockerignore\n");
  std::string doc = write("app/notes.md");
  std::string dockerfile = write("app/Dockerfile", "FROM scratch\n");
  std::string ignore = at("app/.dockerignore");
  std::string code = write("app/main.c");
  ServiceDef& s = add("api", {});
  s.build_context = "app";  // the implicit rule
  EXPECT_TRUE(route({doc}).entries.empty());
  for (const std::string& path : {dockerfile, ignore, code}) {
    WatchBatch batch = route({path});
    ASSERT_EQ(batch.entries.size(), 1u) << path;
    EXPECT_EQ(batch.entries[0].action, kRebuild);
    EXPECT_EQ(batch.entries[0].files[0].target, "");
  }
}

TEST_F(Watch, TheImplicitRuleIsARebuildOfTheContextAndOnlyWithoutRules) {
  ServiceDef s = service("api");
  s.build_context = "app";
  ASSERT_EQ(watch_rules(s).size(), 1u);
  EXPECT_EQ(watch_rules(s)[0].path, "app");
  EXPECT_EQ(watch_rules(s)[0].action, kRebuild);
  EXPECT_TRUE(s.watch.empty());  // not stored in the definition
  s.watch = {{"src", kSync, "/src", {}}};
  ASSERT_EQ(watch_rules(s).size(), 1u);
  EXPECT_EQ(watch_rules(s)[0].action, kSync);
  EXPECT_TRUE(watch_rules(service("db")).empty());
}

TEST_F(Watch, ARemovedFileIsMarkedRemoved) {
  write("site/a.html");
  std::string gone = at("site/gone.html");
  add("web", {{"site", kSync, "/www", {}}});
  WatchBatch batch = route({gone});
  ASSERT_EQ(batch.entries.size(), 1u);
  ASSERT_EQ(batch.entries[0].files.size(), 1u);
  EXPECT_TRUE(batch.entries[0].files[0].removed);
  EXPECT_EQ(batch.entries[0].files[0].target, "/www/gone.html");
}

TEST_F(Watch, ARemovedDirectoryIsOneRemovedEntryForItsTarget) {
  write("site/a.html");
  add("web", {{"site", kSync, "/www", {}}});
  WatchBatch batch = route({at("site/old"), at("site/old/")});
  ASSERT_EQ(batch.entries.size(), 1u);
  ASSERT_EQ(batch.entries[0].files.size(), 1u);
  EXPECT_EQ(batch.entries[0].files[0].target, "/www/old");
  EXPECT_TRUE(batch.entries[0].files[0].removed);
}

TEST_F(Watch, ARemovedRulePathLeavesItsWholeTargetAlone) {
  write("site/a.html");
  add("web", {{"site", kSync, "/www", {}}});
  std::filesystem::remove_all(at("site"));
  WatchBatch batch = route({at("site")});
  EXPECT_TRUE(batch.entries.empty());
  ASSERT_EQ(batch.skipped.size(), 1u);
  EXPECT_NE(batch.skipped[0].reason.find("'/www' is left in the container"), std::string::npos)
      << batch.skipped[0].reason;
}

TEST_F(Watch, ADirectoryStandsForTheFilesBelowIt) {
  std::string a = write("site/img/a.png");
  std::string b = write("site/img/deep/b.png");
  add("web", {{"site", kSync, "/www", {}}});
  WatchBatch batch = route({at("site/img")});
  ASSERT_EQ(batch.entries.size(), 1u);
  ASSERT_EQ(batch.entries[0].files.size(), 2u);
  EXPECT_EQ(batch.entries[0].files[0].host, a);
  EXPECT_EQ(batch.entries[0].files[1].target, "/www/img/deep/b.png");
}

TEST_F(Watch, APathWithAParentComponentIsRefused) {
  write("site/a.html");
  add("web", {{"site", kSync, "/www", {}}});
  std::string sneaky = at("site/../secret");
  WatchBatch batch = route({sneaky});
  EXPECT_TRUE(batch.entries.empty());
  ASSERT_EQ(batch.skipped.size(), 1u);
  EXPECT_EQ(batch.skipped[0].path, sneaky);
  EXPECT_EQ(batch.skipped[0].reason, "a path with a '..' component");
}

TEST_F(Watch, ASymbolicLinkLeavingTheRulePathIsRefusedAndOneStayingInsideIsNot) {
  std::string secret = write("secret.txt");
  std::string page = write("site/page.html");
  fs::create_symlink(secret, at("site/out"));
  fs::create_symlink(page, at("site/in"));
  add("web", {{"site", kSync, "/www", {}}});
  WatchBatch batch = route({at("site/out"), at("site/in")});
  ASSERT_EQ(batch.entries.size(), 1u);
  ASSERT_EQ(batch.entries[0].files.size(), 1u);
  EXPECT_EQ(batch.entries[0].files[0].target, "/www/in");
  ASSERT_EQ(batch.skipped.size(), 1u);
  EXPECT_EQ(batch.skipped[0].path, at("site/out"));
  EXPECT_EQ(batch.skipped[0].reason, "a symbolic link that leads out of 'site'");
}

TEST_F(Watch, AFileThatCannotBeReadIsSkipped) {
  write("site/a.html");
  // A dangling link inside the rule: there, but nothing to read.
  fs::create_symlink(at("site/nothing"), at("site/dangling"));
  add("web", {{"site", kSync, "/www", {}}});
  WatchBatch batch = route({at("site/dangling")});
  EXPECT_TRUE(batch.entries.empty());
  ASSERT_EQ(batch.skipped.size(), 1u);
  EXPECT_EQ(batch.skipped[0].reason, "a file that cannot be read (No such file or directory)");
}

TEST_F(Watch, AFileWithoutReadPermissionIsSkipped) {
  if (::geteuid() == 0) GTEST_SKIP() << "permissions do not stop root";
  std::string locked = write("site/locked.html");
  fs::permissions(locked, fs::perms::none);
  add("web", {{"site", kSync, "/www", {}}});
  WatchBatch batch = route({locked});
  EXPECT_TRUE(batch.entries.empty());
  ASSERT_EQ(batch.skipped.size(), 1u);
  EXPECT_EQ(batch.skipped[0].reason, "a file that cannot be read (Permission denied)");
}

TEST_F(Watch, PathsOutsideEveryRuleAreDroppedSilently) {
  std::string other = write("other/x");
  write("site/a.html");
  add("web", {{"site", kSync, "/www", {}}});
  WatchBatch batch = route({other, "/etc/passwd"});
  EXPECT_TRUE(batch.entries.empty());
  EXPECT_TRUE(batch.skipped.empty());
}

TEST_F(Watch, AStormOfFiveHundredPathsIsOneEntryPerService) {
  std::vector<std::string> paths;
  for (int i = 0; i < 500; ++i) paths.push_back(write("site/f" + std::to_string(i % 250)));
  add("web", {{"site", kSync, "/www", {}}});
  add("worker", {{"site", kRestart, "/data", {}}});
  WatchBatch batch = route(paths);
  ASSERT_EQ(batch.entries.size(), 2u);
  EXPECT_EQ(batch.entries[0].files.size(), 250u);
  EXPECT_EQ(batch.entries[1].files.size(), 250u);
  EXPECT_EQ(batch.entries[1].action, kRestart);
}

TEST_F(Watch, TheInitialSyncListsEveryFileOfTheSyncRulesTheyDoNotIgnore) {
  std::string a = write("site/a.html");
  std::string b = write("site/sub/b.css");
  write("site/cache/c.tmp");
  write("app/main.c");
  ServiceDef& s = add("web", {{"site", kRestart, "/www", {"cache"}}, {"app", kRebuild, "", {}}});
  s.build_context = "app";
  add("db", {});
  WatchBatch batch = Watcher(g_, {}).initial();
  ASSERT_EQ(batch.entries.size(), 1u);
  EXPECT_EQ(batch.entries[0].service, "web");
  EXPECT_EQ(batch.entries[0].action, kSync);
  ASSERT_EQ(batch.entries[0].files.size(), 2u);
  EXPECT_EQ(batch.entries[0].files[0].host, a);
  EXPECT_EQ(batch.entries[0].files[1].target, "/www/sub/b.css");
}

TEST_F(Watch, RootsAreEachRulePathOnceAndNoneInsideAnother) {
  write("site/a");
  write("site/img/b");
  write("sitemap/c");
  add("web", {{"site", kSync, "/www", {}}, {"site/img", kSync, "/img", {}}});
  add("cdn", {{dir_ + "/site", kSync, "/cdn", {}}, {"sitemap", kSync, "/map", {}}});
  add("db", {});
  Watcher watcher(g_, {});
  EXPECT_EQ(watcher.roots(), (std::vector<std::string>{at("site"), at("sitemap")}));
}

TEST_F(Watch, OnlyTheNamedServicesAreWatched) {
  std::string file = write("site/a");
  add("web", {{"site", kSync, "/www", {}}});
  add("cdn", {{"site", kSync, "/cdn", {}}});
  WatchBatch batch = Watcher(g_, {"cdn"}).route({file});
  ASSERT_EQ(batch.entries.size(), 1u);
  EXPECT_EQ(batch.entries[0].service, "cdn");
  try {
    Watcher(g_, {"nope"});
    FAIL() << "an unknown service was taken";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::NotFound);
    EXPECT_STREQ(e.what(), "watch: service 'nope' is not defined in group 'demo'");
  }
}

}  // namespace
}  // namespace dm::model
