// validate() with exclusions: every excluded name must be defined, and no
// service that stays in may depend on one that is left out. validate_stop():
// an excluded service keeps running, so only unknown names are wrong.
#include <gtest/gtest.h>

#include "common/error.h"
#include "model/groups.h"
#include "model/validate.h"

namespace dm::model {
namespace {

using testing::group;
using testing::service;
using Problems = std::vector<std::string>;

GroupDef app_stack() {
  return group(
      {service("db"), service("cache"), service("app", {"db", "cache"}), service("web", {"app"})});
}

TEST(Exclude, LeafServiceMayBeExcluded) { EXPECT_EQ(validate(app_stack(), {"web"}), Problems{}); }

TEST(Exclude, ServiceWithAllItsDependantsMayBeExcluded) {
  EXPECT_EQ(validate(app_stack(), {"db", "app", "web"}), Problems{});
}

TEST(Exclude, UnknownNameListsTheDefinedOnes) {
  EXPECT_EQ(validate(group({service("a"), service("b")}), {"foo"}),
            (Problems{"cannot exclude 'foo': no such service; defined: a, b"}));
}

TEST(Exclude, UnknownNameSuggestsACloseOne) {
  EXPECT_EQ(validate(app_stack(), {"cahce"}),
            (Problems{"cannot exclude 'cahce': no such service; defined: app, cache, db, web "
                      "(did you mean 'cache'?)"}));
}

TEST(Exclude, UnknownNameIsReportedOnce) {
  EXPECT_EQ(validate(app_stack(), {"foo", "foo"}).size(), 1u);
}

TEST(Exclude, KeptServiceMayNotNeedAnExcludedOne) {
  EXPECT_EQ(validate(app_stack(), {"db"}), (Problems{"service 'app' needs 'db', which is excluded; "
                                                     "exclude 'app' too or keep 'db'"}));
}

TEST(Exclude, EachBrokenEdgeIsReportedInDefinitionOrder) {
  EXPECT_EQ(validate(app_stack(), {"db", "cache"}),
            (Problems{"service 'app' needs 'db', which is excluded; exclude 'app' too or keep 'db'",
                      "service 'app' needs 'cache', which is excluded; exclude 'app' too or keep "
                      "'cache'"}));
}

TEST(Exclude, TransitiveDependantIsCaughtThroughItsDirectEdge) {
  // web -> app -> db: excluding db and app leaves web needing app.
  EXPECT_EQ(validate(app_stack(), {"db", "app"}),
            (Problems{"service 'web' needs 'app', which is excluded; "
                      "exclude 'web' too or keep 'app'"}));
}

TEST(Exclude, ComesAfterTheOtherProblems) {
  GroupDef g = app_stack();
  g.services[0].image = "";
  Problems found = validate(g, {"nope"});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0], "service 'db': image is empty");
  EXPECT_EQ(found[1].rfind("cannot exclude 'nope'", 0), 0u);
}

TEST(ExcludeForStop, ADependencyMayKeepRunningWhileItsDependantsStop) {
  EXPECT_EQ(validate_stop(app_stack(), {"db"}), Problems{});
  EXPECT_EQ(validate_stop(app_stack(), {"db", "cache"}), Problems{});
  EXPECT_NO_THROW(check_stop(app_stack(), {"db", "app"}));
}

TEST(ExcludeForStop, UnknownNamesAreTheOnlyWrongExclusions) {
  EXPECT_EQ(validate_stop(app_stack(), {"db", "cahce", "cahce"}),
            (Problems{"cannot exclude 'cahce': no such service; defined: app, cache, db, web "
                      "(did you mean 'cache'?)"}));
}

TEST(ExcludeForStop, TheDefinitionsAreCheckedAsForStart) {
  GroupDef g = app_stack();
  g.services[0].image = "";
  EXPECT_EQ(validate_stop(g, {"db"}), (Problems{"service 'db': image is empty"}));
  try {
    check_stop(g, {"nope"});
    FAIL() << "check_stop accepted an unknown exclusion";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("service 'db': image is empty\ncannot exclude 'nope'", 0),
              0u);
  }
}

}  // namespace
}  // namespace dm::model
