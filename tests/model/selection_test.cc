// Which services a start brings up: the services named with their
// dependencies, and profiles (model/selection.h).
#include "model/selection.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "model/groups.h"

namespace dm::model {
namespace {

using testing::group;
using testing::service;

ServiceDef profiled(const std::string& name, std::vector<std::string> profiles,
                    std::vector<std::string> dependencies = {}) {
  ServiceDef s = service(name, std::move(dependencies));
  s.profiles = std::move(profiles);
  return s;
}

// db <- app <- web; worker -> db; debugger (debug) -> app; admin (tools, debug)
GroupDef stack() {
  return group({service("db"), service("app", {"db"}), service("web", {"app"}),
                service("worker", {"db"}), profiled("debugger", {"debug"}, {"app"}),
                profiled("admin", {"tools", "debug"})});
}

std::set<size_t> picked(const GroupDef& g, std::vector<std::string> only,
                        std::vector<std::string> profiles = {}) {
  return select_services(g, only, profiles).services;
}

std::string problem(const GroupDef& g, std::vector<std::string> only,
                    std::vector<std::string> profiles = {}) {
  try {
    select_services(g, only, profiles);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    return e.what();
  }
  return "(no problem)";
}

TEST(Selection, WithoutNamesEveryServiceWithoutProfilesStarts) {
  Selection s = select_services(stack(), {}, {});
  EXPECT_EQ(s.services, (std::set<size_t>{0, 1, 2, 3}));
  EXPECT_EQ(s.left_out.at(4), "its profile 'debug' not enabled");
  EXPECT_EQ(s.left_out.at(5), "its profiles 'tools', 'debug' not enabled");
}

TEST(Selection, AnEnabledProfileAddsItsServices) {
  EXPECT_EQ(picked(stack(), {}, {"debug"}), (std::set<size_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(picked(stack(), {}, {"tools"}), (std::set<size_t>{0, 1, 2, 3, 5}));
  EXPECT_EQ(picked(stack(), {}, {"nothing-uses-it"}), (std::set<size_t>{0, 1, 2, 3}));
}

TEST(Selection, NamedServicesStartWithWhatTheyDependOnAndNothingElse) {
  Selection s = select_services(stack(), {"web"}, {});
  EXPECT_EQ(s.services, (std::set<size_t>{0, 1, 2}));
  EXPECT_EQ(s.left_out.at(3), "not named, nor needed by a service named");
  EXPECT_EQ(picked(stack(), {"worker", "db"}), (std::set<size_t>{0, 3}));
}

TEST(Selection, ANamedServiceStartsWhateverItsProfiles) {
  EXPECT_EQ(picked(stack(), {"debugger"}), (std::set<size_t>{0, 1, 4}));
  EXPECT_EQ(picked(stack(), {"admin"}), (std::set<size_t>{5}));
}

TEST(Selection, NamingAServiceEnablesItsProfilesForItsDependencies) {
  GroupDef g = group({profiled("dbg-db", {"debug"}), profiled("dbg", {"debug"}, {"dbg-db"})});
  EXPECT_EQ(picked(g, {"dbg"}), (std::set<size_t>{0, 1}));
}

TEST(Selection, AServiceDependingOnOneLeftOutByItsProfilesIsAnError) {
  GroupDef g = group({profiled("mock", {"test"}), service("app", {"mock"})});
  EXPECT_EQ(problem(g, {}),
            "service 'app' depends on 'mock', which starts only with its profile 'test', not "
            "enabled; enable one of them, or name 'mock' among the services to start");
  EXPECT_EQ(problem(g, {"app"}),
            "service 'app' depends on 'mock', which starts only with its profile 'test', not "
            "enabled; enable one of them, or name 'mock' among the services to start");
  EXPECT_EQ(picked(g, {}, {"test"}), (std::set<size_t>{0, 1}));
  EXPECT_EQ(picked(g, {"app", "mock"}), (std::set<size_t>{0, 1}));
}

TEST(Selection, AnUnknownNameIsAnErrorNamingTheDefinedOnes) {
  EXPECT_EQ(problem(stack(), {"webs", "app"}),
            "cannot start 'webs': no such service; defined: admin, app, db, debugger, web, worker "
            "(did you mean 'web'?)");
}

}  // namespace
}  // namespace dm::model
