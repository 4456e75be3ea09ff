// Every validation rule of the definitions, through dm_group_validate and
// through dm_group_start, which must refuse with DM_EINVALID before anything
// touches the engine: no network, no container, no result.
#include "support/lifecycle.h"

#include <functional>

namespace dm::testing {
namespace {

struct Case {
  const char* name;
  std::function<void(dm_group*)> define;
  std::vector<std::string> exclude;
  std::string expected;  // a line of the message (exact) or a part of one
  bool exact_line = false;
};

// gtest prints a parameter by its name, not its bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

dm_service* add(dm_group* g, const char* name, const char* image = kImage) {
  dm_service* s = nullptr;
  dm_group_add_service(&s, g, name, image);
  return s;
}

std::vector<Case> cases() {
  return {
      {"DuplicateNames",
       [](dm_group* g) {
         add(g, "db");
         add(g, "db");
       },
       {},
       "service 'db' is defined 2 times; service names must be unique",
       true},
      {"UnknownDependencyNamesTheDependantFirst",
       [](dm_group* g) {
         add(g, "appdb");
         add(g, "cache");
         dm_service_add_dependency(add(g, "app"), "dbb");
       },
       {},
       "service 'app' depends on 'dbb', which is not defined; defined: appdb, cache",
       true},
      {"CyclePrintedInOrder",
       [](dm_group* g) {
         dm_service_add_dependency(add(g, "a"), "b");
         dm_service_add_dependency(add(g, "b"), "c");
         dm_service_add_dependency(add(g, "c"), "a");
       },
       {},
       "dependency cycle: a -> b -> c -> a",
       true},
      {"SelfDependency",
       [](dm_group* g) { dm_service_add_dependency(add(g, "a"), "a"); },
       {},
       "service 'a' depends on itself",
       true},
      {"EmptyName", [](dm_group* g) { add(g, ""); }, {}, "service #1 has no name", true},
      {"InvalidName",
       [](dm_group* g) { add(g, "My_DB"); },
       {},
       "service 'My_DB': name must be a DNS label"},
      {"EmptyImage",
       [](dm_group* g) { add(g, "db", ""); },
       {},
       "service 'db': image is empty",
       true},
      {"InvalidImage",
       [](dm_group* g) { add(g, "db", "busy box"); },
       {},
       "service 'db': image 'busy box' contains white space",
       true},
      {"HostPortOutOfRange",
       [](dm_group* g) { dm_service_add_port(add(g, "web"), "80", 70000); },
       {},
       "service 'web': host port 70000 for '80/tcp' is out of range (1-65535)",
       true},
      {"ContainerPortOutOfRange",
       [](dm_group* g) { dm_service_add_port(add(g, "web"), "0", 8080); },
       {},
       "service 'web': port '0' must be a number 1-65535"},
      {"HostPortPublishedTwice",
       [](dm_group* g) {
         dm_service_add_port(add(g, "one"), "80", 18080);
         dm_service_add_port(add(g, "two"), "8080", 18080);
       },
       {},
       "host port 18080/tcp is published by both 'one' and 'two'",
       true},
      {"UnknownStopSignal",
       [](dm_group* g) { dm_service_set_stop_signal(add(g, "db"), "SIGWHATEVER"); },
       {},
       "service 'db': stop_signal 'SIGWHATEVER' is not supported; use one of"},
      {"MalformedVolume",
       [](dm_group* g) { dm_service_add_volume(add(g, "db"), "/data"); },
       {},
       "service 'db': volume '/data' must be host:container[:ro|rw]",
       true},
      {"VolumeWithRelativeContainerPath",
       [](dm_group* g) { dm_service_add_volume(add(g, "db"), "/data:relative/path:ro"); },
       {},
       "service 'db': volume '/data:relative/path:ro' has container path 'relative/path', which is "
       "not absolute; use a path starting with '/'",
       true},
      {"VolumeWithBadMode",
       [](dm_group* g) { dm_service_add_volume(add(g, "db"), "/data:/data:rx"); },
       {},
       "service 'db': volume '/data:/data:rx' has mode 'rx'; use 'ro' or 'rw'",
       true},
      {"ExclusionOfAnUnknownService",
       [](dm_group* g) {
         add(g, "db");
         add(g, "cache");
       },
       {"cahce"},
       "cannot exclude 'cahce': no such service; defined: cache, db (did you mean 'cache'?)",
       true},
      {"ExcludingAServiceAStartedOneNeeds",
       [](dm_group* g) {
         add(g, "db");
         dm_service_add_dependency(add(g, "app"), "db");
       },
       {"db"},
       "service 'app' needs 'db', which is excluded; exclude 'app' too or keep 'db'",
       true},
  };
}

bool has_line(const std::string& message, const std::string& line) {
  size_t from = 0;
  while (from <= message.size()) {
    size_t nl = message.find('\n', from);
    if (message.substr(from, nl == std::string::npos ? std::string::npos : nl - from) == line)
      return true;
    if (nl == std::string::npos) break;
    from = nl + 1;
  }
  return false;
}

class Validation : public LifecycleTest, public ::testing::WithParamInterface<Case> {};

TEST_P(Validation, IsReportedByValidateAndStartCreatesNothing) {
  const Case& c = GetParam();
  skip_product_teardown();  // the group is invalid: stop would refuse too
  dm_group* g = new_group("invalid");
  c.define(g);
  std::vector<const char*> exclude;
  for (const auto& e : c.exclude) exclude.push_back(e.c_str());

  ASSERT_EQ(dm_group_validate(g, exclude.data(), exclude.size()), DM_EINVALID);
  std::string message = dm_error_last();
  EXPECT_EQ(dm_error_last_status(), DM_EINVALID);
  if (c.exact_line)
    EXPECT_TRUE(has_line(message, c.expected)) << "expected the line\n  " << c.expected << "\nin\n"
                                               << message;
  else
    EXPECT_NE(message.find(c.expected), std::string::npos) << message;

  EventRecorder events;
  ResultPtr r;
  EXPECT_EQ(start(g, r.out(), &events, 30, c.exclude), DM_EINVALID);
  EXPECT_EQ(r.p, nullptr);
  EXPECT_EQ(std::string(dm_error_last()), message) << "start reports what validate reports";
  EXPECT_TRUE(events.events().empty()) << events.dump();
  EXPECT_TRUE(engine_->containers(group_name(g)).empty());
  EXPECT_TRUE(engine_->networks(group_name(g)).empty());
  EXPECT_FALSE(engine_->network_exists(dm_group_network_name(g)));
}

INSTANTIATE_TEST_SUITE_P(EveryRule, Validation, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.name;
                         });

using ValidationMessages = LifecycleTest;

TEST_F(ValidationMessages, EveryProblemIsReportedAtOnceOnePerLine) {
  skip_product_teardown();
  dm_group* g = new_group("many");
  add(g, "db", "");
  dm_service_set_stop_signal(add(g, "web"), "SIGNOPE");
  dm_service_add_dependency(add(g, "app"), "dbb");
  ASSERT_EQ(dm_group_validate(g, nullptr, 0), DM_EINVALID);
  std::string message = dm_error_last();
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 2) << message;
}

TEST_F(ValidationMessages, AValidGroupPasses) {
  skip_product_teardown();
  dm_group* g = new_group("valid");
  add_sleeper(g, "db");
  add_sleeper(g, "app", {"db"});
  const char* exclude[] = {"app"};
  EXPECT_EQ(dm_group_validate(g, nullptr, 0), DM_OK) << dm_error_last();
  EXPECT_EQ(dm_group_validate(g, exclude, 1), DM_OK) << dm_error_last();
  EXPECT_STREQ(dm_error_last(), "");
}

// A valid definition the local target cannot run: more than one replica is
// for a swarm. The local start refuses it, naming the service, the field and
// the value, before anything is made.
TEST_F(ValidationMessages, MoreThanOneReplicaIsRefusedByALocalStartBeforeAnythingIsMade) {
  skip_product_teardown();  // nothing is made
  dm_group* g = new_group("replicas");
  add_sleeper(g, "db");
  ASSERT_EQ(dm_service_set_replicas(add_sleeper(g, "web", {"db"}), 3), DM_OK);
  EXPECT_EQ(dm_group_validate(g, nullptr, 0), DM_OK) << dm_error_last();
  EventRecorder events;
  ResultPtr r;
  EXPECT_EQ(start(g, r.out(), &events), DM_EINVALID);
  EXPECT_EQ(r.p, nullptr);
  EXPECT_STREQ(dm_error_last(),
               "service 'web': replicas 3: replicas > 1 runs on a swarm target only (--target "
               "swarm); the local target runs one container per service; set replicas to 1 to run "
               "it here");
  EXPECT_TRUE(events.events().empty()) << events.dump();
  EXPECT_TRUE(engine_->containers(group_name(g)).empty());
  EXPECT_FALSE(engine_->network_exists(dm_group_network_name(g)));
}

TEST_F(ValidationMessages, AnInvalidGroupNameIsRefusedWhenTheGroupIsMade) {
  dm_group* g = nullptr;
  EXPECT_EQ(dm_group_new(&g, "-bad name"), DM_EINVALID);
  EXPECT_EQ(g, nullptr);
  EXPECT_NE(std::string(dm_error_last()).find("'-bad name'"), std::string::npos) << dm_error_last();
}

}  // namespace
}  // namespace dm::testing
