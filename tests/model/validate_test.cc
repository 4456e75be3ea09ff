// validate(): every problem of a group definition, one sentence each, naming
// the service, the field and the value, and what would be accepted.
#include "model/validate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/error.h"
#include "model/groups.h"
#include "model/ports.h"
#include "model/request.h"

namespace dm::model {
namespace {

using testing::group;
using testing::service;
using Problems = std::vector<std::string>;

Problems problems(const GroupDef& g, const std::vector<std::string>& exclude = {}) {
  return validate(g, exclude);
}

// The problems of a group whose only service is `s`.
Problems problems(const ServiceDef& s) { return validate(group({s}), {}); }

ServiceDef with_image(const std::string& image) {
  ServiceDef s = service("app");
  s.image = image;
  return s;
}

ServiceDef with_port(const std::string& container_port, int host_port,
                     const std::string& name = "web") {
  ServiceDef s = service(name);
  s.ports.push_back({container_port, host_port});
  return s;
}

ServiceDef with_volume(const std::string& spec) {
  ServiceDef s = service("app");
  s.volumes.push_back({spec, "", "", ""});
  return s;
}

// ---- valid definitions ----

TEST(Validate, ValidGroupHasNoProblems) {
  ServiceDef db = service("db");
  db.image = "postgres:16";
  db.ports.push_back({"5432", 5432});
  db.env = {{"POSTGRES_PASSWORD", "secret"}, {"PGDATA", "/var/lib/postgresql/data/pg"}};
  db.volumes.push_back({"pgdata:/var/lib/postgresql/data", "", "", ""});
  db.stop_signal = "SIGINT";
  ServiceDef app = service("app", {"db"});
  app.image = "Registry.example.com:5000/team/app:Latest";
  app.build_context = "./app";
  app.dockerfile = "Dockerfile.dev";
  app.ports.push_back({"8080/tcp", 8080});
  app.ports.push_back({"8080/udp", 8080});
  app.ports.push_back({"9090", 0});
  app.ports.push_back({"9091", 0});
  app.volumes.push_back({"./src:/src:ro", "", "", ""});
  app.volumes.push_back({"", "~/.cache", "/root/.cache", "rw"});
  app.timeout = 30;
  GroupDef g = group({db, app, service("web", {"app", "db"})});
  g.network = "demo_net.1";
  EXPECT_EQ(problems(g), Problems{});
  EXPECT_NO_THROW(check(g, {}));
}

TEST(Validate, EmptyGroupIsValid) { EXPECT_EQ(problems(group({})), Problems{}); }

// ---- group ----

TEST(ValidateGroup, NameMustBeADockerName) {
  GroupDef g = group({service("a")});
  g.name = "a b";
  EXPECT_EQ(problems(g), (Problems{"group name 'a b' is not a valid Docker name: use letters, "
                                   "digits, '_', '.' and '-', starting with a letter or digit"}));
  g.name = "";
  EXPECT_EQ(problems(g).size(), 1u);
}

TEST(ValidateGroup, NameIsAtMostSixtyThreeCharactersAndSaysWhy) {
  GroupDef g = group({service("a")});
  g.name = std::string(63, 'g');
  EXPECT_EQ(problems(g), Problems{});
  g.name = std::string(300, 'g');
  EXPECT_EQ(problems(g),
            (Problems{"group name 'gggggggggggggggggggg...' is 300 characters long; at most 63 are "
                      "allowed, because it becomes part of the container names, the network "
                      "name and the lock file's name"}));
  g.name = std::string(64, 'g');
  EXPECT_EQ(problems(g).size(), 1u);
}

TEST(ValidateGroup, NetworkNameMustBeADockerNameWhenSet) {
  GroupDef g = group({service("a")});
  g.network = "-net";
  EXPECT_EQ(problems(g), (Problems{"network name '-net' is not a valid Docker name: use letters, "
                                   "digits, '_', '.' and '-', starting with a letter or digit"}));
}

TEST(ValidateGroup, DirectoryMustBeAbsoluteWhenSet) {
  GroupDef g = group({service("a")});
  g.directory = "srv/demo";
  EXPECT_EQ(problems(g), (Problems{"group directory 'srv/demo' must be an absolute path (relative "
                                   "paths resolve against it)"}));
}

// ---- names ----

TEST(ValidateName, EmptyNameIsNamedByPosition) {
  ServiceDef unnamed = service("");
  EXPECT_EQ(problems(group({service("a"), service("b"), unnamed})),
            (Problems{"service #3 has no name"}));
}

TEST(ValidateName, MustBeADnsLabelAndSuggestsOne) {
  EXPECT_EQ(problems(service("My_DB")),
            (Problems{"service 'My_DB': name must be a DNS label (lower-case letters, digits and "
                      "'-', at most 63 characters, not starting or ending with '-'); "
                      "try 'my-db'"}));
}

TEST(ValidateName, RejectsEdgeDashesAndLongNames) {
  EXPECT_EQ(problems(service("-db")).size(), 1u);
  EXPECT_EQ(problems(service("db-")).size(), 1u);
  EXPECT_EQ(problems(service(std::string(64, 'a'))).size(), 1u);
  EXPECT_EQ(problems(service(std::string(63, 'a'))), Problems{});
}

TEST(ValidateName, NoSuggestionWhenNothingIsLeft) {
  EXPECT_EQ(problems(service("__")),
            (Problems{"service '__': name must be a DNS label (lower-case letters, digits and "
                      "'-', at most 63 characters, not starting or ending with '-')"}));
}

TEST(ValidateName, DuplicateIsReportedOnceWithTheCount) {
  EXPECT_EQ(problems(group({service("db"), service("app"), service("db"), service("db")})),
            (Problems{"service 'db' is defined 3 times; service names must be unique"}));
  EXPECT_EQ(problems(group({service("db"), service("db")})),
            (Problems{"service 'db' is defined 2 times; service names must be unique"}));
}

// ---- image ----

TEST(ValidateImage, MustNotBeEmpty) {
  EXPECT_EQ(problems(with_image("")), (Problems{"service 'app': image is empty"}));
}

TEST(ValidateImage, MustNotContainWhiteSpace) {
  EXPECT_EQ(problems(with_image("foo bar")),
            (Problems{"service 'app': image 'foo bar' contains white space"}));
  EXPECT_EQ(problems(with_image("foo\t")).size(), 1u);
}

TEST(ValidateImage, RepositoryMustBeLowerCase) {
  EXPECT_EQ(problems(with_image("MyImage")),
            (Problems{"service 'app': image 'MyImage' must be lower-case "
                      "(Docker image names are)"}));
  EXPECT_EQ(problems(with_image("team/MyImage:1")).size(), 1u);
}

TEST(ValidateImage, TagAndRegistryMayHaveUpperCase) {
  EXPECT_EQ(problems(with_image("app:Latest")), Problems{});
  EXPECT_EQ(problems(with_image("Registry.Example.com/team/app:V1")), Problems{});
  EXPECT_EQ(problems(with_image("localhost:5000/app")), Problems{});
  EXPECT_EQ(problems(with_image("busybox@sha256:ABCDEF")), Problems{});
}

// ---- dependencies ----

TEST(ValidateDependencies, AloneItSaysNoOtherServiceIsDefined) {
  EXPECT_EQ(
      problems(group({service("app", {"db"})})),
      (Problems{
          "service 'app' depends on 'db', which is not defined; no other service is defined"}));
}

TEST(ValidateDependencies, UnknownNameListsTheDefinedOnesSorted) {
  GroupDef g = group({service("cache"), service("appdb"), service("app", {"dbb"})});
  EXPECT_EQ(problems(g), (Problems{"service 'app' depends on 'dbb', which is not defined; "
                                   "defined: appdb, cache"}));
}

TEST(ValidateDependencies, UnknownNameSuggestsACloseOne) {
  GroupDef g = group({service("appdb"), service("cache"), service("app", {"apdb"})});
  EXPECT_EQ(problems(g), (Problems{"service 'app' depends on 'apdb', which is not defined; "
                                   "defined: appdb, cache (did you mean 'appdb'?)"}));
}

TEST(ValidateDependencies, NeverSuggestsTheServiceItself) {
  GroupDef g = group({service("app", {"ap"}), service("zzz")});
  EXPECT_EQ(problems(g), (Problems{"service 'app' depends on 'ap', which is not defined; "
                                   "defined: zzz"}));
}

TEST(ValidateDependencies, UnknownNameIsReportedOncePerService) {
  GroupDef g = group({service("a", {"x", "x"}), service("b", {"x"})});
  EXPECT_EQ(problems(g).size(), 2u);
}

TEST(ValidateDependencies, Self) {
  EXPECT_EQ(problems(service("a", {"a"})), (Problems{"service 'a' depends on itself"}));
}

TEST(ValidateDependencies, CycleOfTwo) {
  EXPECT_EQ(problems(group({service("a", {"b"}), service("b", {"a"})})),
            (Problems{"dependency cycle: a -> b -> a"}));
}

TEST(ValidateDependencies, CycleOfThreeStartsAtTheServiceDefinedFirst) {
  GroupDef g = group({service("c", {"a"}), service("a", {"b"}), service("b", {"c"})});
  EXPECT_EQ(problems(g), (Problems{"dependency cycle: c -> a -> b -> c"}));
}

TEST(ValidateDependencies, EachDistinctCycleOnce) {
  GroupDef g = group({service("a", {"b"}), service("b", {"a"}), service("x", {"y"}),
                      service("y", {"z"}), service("z", {"x"})});
  EXPECT_EQ(problems(g),
            (Problems{"dependency cycle: a -> b -> a", "dependency cycle: x -> y -> z -> x"}));
}

TEST(ValidateDependencies, CycleAmongDefinedServicesBesideAnUnknownName) {
  GroupDef g = group({service("a", {"b", "ghost"}), service("b", {"a"})});
  EXPECT_EQ(problems(g), (Problems{"service 'a' depends on 'ghost', which is not defined; "
                                   "defined: b",
                                   "dependency cycle: a -> b -> a"}));
}

TEST(ValidateDependencies, UnknownNamesAloneMakeNoCycle) {
  GroupDef g = group({service("a", {"ghost"}), service("b", {"ghost", "a"})});
  EXPECT_EQ(problems(g).size(), 2u);
  for (const auto& p : problems(g)) EXPECT_EQ(p.find("cycle"), std::string::npos) << p;
}

// ---- ports ----

TEST(ValidatePorts, ContainerPortMustBeANumberWithTcpOrUdp) {
  const std::string rule = " must be a number 1-65535 optionally followed by /tcp or /udp";
  EXPECT_EQ(problems(with_port("80/sctp", 80)), (Problems{"service 'web': port '80/sctp'" + rule}));
  EXPECT_EQ(problems(with_port("0", 80)), (Problems{"service 'web': port '0'" + rule}));
  EXPECT_EQ(problems(with_port("65536", 80)), (Problems{"service 'web': port '65536'" + rule}));
  EXPECT_EQ(problems(with_port("", 80)), (Problems{"service 'web': port ''" + rule}));
  EXPECT_EQ(problems(with_port("http", 80)), (Problems{"service 'web': port 'http'" + rule}));
  EXPECT_EQ(problems(with_port("80/TCP", 80)), (Problems{"service 'web': port '80/TCP'" + rule}));
  EXPECT_EQ(problems(with_port("65535/udp", 53)), Problems{});
}

TEST(ValidatePorts, HostPortMustBeInRange) {
  EXPECT_EQ(problems(with_port("80/tcp", 70000)),
            (Problems{"service 'web': host port 70000 for '80/tcp' is out of range (1-65535)"}));
  EXPECT_EQ(problems(with_port("80", -1)),
            (Problems{"service 'web': host port -1 for '80/tcp' is out of range (1-65535)"}));
}

TEST(ValidatePorts, HostPortZeroLetsTheEnginePick) {
  ServiceDef web = with_port("80", 0);
  web.ports.push_back({"81", 0});
  EXPECT_EQ(problems(group({web, with_port("80", 0, "api")})), Problems{});
}

TEST(ValidatePorts, HostPortPublishedByTwoServices) {
  EXPECT_EQ(problems(group({with_port("80", 8080, "a"), with_port("8080/tcp", 8080, "b")})),
            (Problems{"host port 8080/tcp is published by both 'a' and 'b'"}));
}

TEST(ValidatePorts, HostPortPublishedTwiceByOneService) {
  ServiceDef a = with_port("80", 8080, "a");
  a.ports.push_back({"81", 8080});
  EXPECT_EQ(problems(a), (Problems{"host port 8080/tcp is published twice by 'a'"}));
}

TEST(ValidatePorts, SameHostPortWithEachProtocolIsFine) {
  EXPECT_EQ(problems(group({with_port("53/udp", 53, "a"), with_port("53", 53, "b")})), Problems{});
}

// ---- env ----

TEST(ValidateEnv, NameMustNotBeEmpty) {
  ServiceDef s = service("app");
  s.env = {{"", "x"}};
  EXPECT_EQ(problems(s), (Problems{"service 'app': env name '' is empty"}));
}

TEST(ValidateEnv, NameMustNotContainEquals) {
  ServiceDef s = service("app");
  s.env = {{"A=B", "x"}};
  EXPECT_EQ(problems(s), (Problems{"service 'app': env name 'A=B' contains '='"}));
}

TEST(ValidateEnv, NameMustBeUnique) {
  ServiceDef s = service("app");
  s.env = {{"A", "1"}, {"B", "2"}, {"A", "3"}};
  EXPECT_EQ(problems(s), (Problems{"service 'app': env name 'A' is set 2 times"}));
}

TEST(ValidateEnv, EmptyValueIsFine) {
  ServiceDef s = service("app");
  s.env = {{"A", ""}};
  EXPECT_EQ(problems(s), Problems{});
}

// ---- volumes ----

TEST(ValidateVolumes, MustHaveTwoOrThreeParts) {
  const std::string rule = " must be host:container[:ro|rw]";
  EXPECT_EQ(problems(with_volume("foo")), (Problems{"service 'app': volume 'foo'" + rule}));
  EXPECT_EQ(problems(with_volume("/a:/b:ro:x")),
            (Problems{"service 'app': volume '/a:/b:ro:x'" + rule}));
  EXPECT_EQ(problems(with_volume(":/data")), (Problems{"service 'app': volume ':/data'" + rule}));
  EXPECT_EQ(problems(with_volume("/data:")), (Problems{"service 'app': volume '/data:'" + rule}));
}

TEST(ValidateVolumes, ContainerPathMustBeAbsolute) {
  EXPECT_EQ(problems(with_volume("./data:data")),
            (Problems{"service 'app': volume './data:data' has container path 'data', which is not "
                      "absolute; use a path starting with '/'"}));
}

TEST(ValidateVolumes, ModeMustBeRoOrRw) {
  EXPECT_EQ(problems(with_volume("./data:/data:rx")),
            (Problems{"service 'app': volume './data:/data:rx' has mode 'rx'; use 'ro' or 'rw'"}));
}

TEST(ValidateVolumes, HostPartIsAPathOrAVolumeName) {
  EXPECT_EQ(problems(with_volume("/abs:/a")), Problems{});
  EXPECT_EQ(problems(with_volume("./rel:/a")), Problems{});
  EXPECT_EQ(problems(with_volume("../up:/a")), Problems{});
  EXPECT_EQ(problems(with_volume("sub/dir:/a")), Problems{});
  EXPECT_EQ(problems(with_volume("~/home:/a")), Problems{});
  EXPECT_EQ(problems(with_volume("named_vol-1.x:/a")), Problems{});
  EXPECT_EQ(problems(with_volume("bad name:/a")),
            (Problems{"service 'app': volume 'bad name:/a' has host part 'bad name', which is "
                      "neither a path (starting with '/', '.' or '~') nor a volume name (letters, "
                      "digits, '_', '.' and '-', starting with a letter or digit)"}));
}

TEST(ValidateVolumes, OnlyTheCurrentUsersHomeIsExpanded) {
  EXPECT_EQ(problems(with_volume("~bob/data:/a")),
            (Problems{"service 'app': volume '~bob/data:/a' has host path '~bob/data'; only '~' "
                      "and '~/...' are expanded"}));
}

TEST(ValidateVolumes, PartsFormIsCheckedAlike) {
  ServiceDef s = service("app");
  s.volumes.push_back({"", "./data", "/data", "rx"});
  s.volumes.push_back({"", "./data", "", ""});
  EXPECT_EQ(problems(s),
            (Problems{"service 'app': volume './data:/data:rx' has mode 'rx'; use 'ro' or 'rw'",
                      "service 'app': volume './data:' must be host:container[:ro|rw]"}));
}

TEST(ValidateVolumes, TwoVolumesMayNotMountOnOnePath) {
  ServiceDef s = service("app");
  s.volumes.push_back({"./a:/data", "", "", ""});
  s.volumes.push_back({"./b:/data/", "", "", ""});
  EXPECT_EQ(problems(s), (Problems{"service 'app': volumes './a:/data' and './b:/data/' both "
                                   "mount on '/data'"}));
}

// ---- stop signal, build, timeout ----

TEST(ValidateStopSignal, AcceptsTheSupportedSignalsInAnyForm) {
  for (const char* signal : {"SIGTERM", "SIGINT", "SIGQUIT", "SIGKILL", "SIGHUP", "SIGUSR1",
                             "SIGUSR2", "TERM", "kill", "sigint"}) {
    ServiceDef s = service("app");
    s.stop_signal = signal;
    EXPECT_EQ(problems(s), Problems{}) << signal;
  }
}

TEST(ValidateStopSignal, RejectsOthers) {
  ServiceDef s = service("app");
  s.stop_signal = "SIGFOO";
  EXPECT_EQ(problems(s),
            (Problems{"service 'app': stop_signal 'SIGFOO' is not supported; use one of "
                      "SIGTERM, SIGINT, SIGQUIT, SIGKILL, SIGHUP, SIGUSR1, SIGUSR2"}));
}

TEST(ValidateBuild, DockerfileNeedsABuildContext) {
  ServiceDef s = service("app");
  s.dockerfile = "x";
  EXPECT_EQ(problems(s), (Problems{"service 'app': dockerfile 'x' is set but build_from is not"}));
  s.build_context = ".";
  EXPECT_EQ(problems(s), Problems{});
}

TEST(ValidateTimeout, MustBeFinite) {
  ServiceDef s = service("app");
  s.timeout = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(problems(s),
            (Problems{"service 'app': timeout must be a finite number of seconds, not nan"}));
  s.timeout = std::numeric_limits<double>::infinity();
  EXPECT_EQ(problems(s),
            (Problems{"service 'app': timeout must be a finite number of seconds, not inf"}));
  s.timeout = -1;  // the operation's timeout
  EXPECT_EQ(problems(s), Problems{});
}

// ---- healthcheck ----

ServiceDef with_healthcheck(Healthcheck check) {
  ServiceDef s = service("app");
  s.healthcheck = std::move(check);
  return s;
}

ServiceDef with_test(std::vector<std::string> test) {
  Healthcheck check;
  check.test = std::move(test);
  return with_healthcheck(check);
}

TEST(ValidateHealthcheck, AcceptsEachFormOfTestAndUnsetSettings) {
  for (const auto& test :
       std::vector<std::vector<std::string>>{{},
                                             {"CMD", "pg_isready"},
                                             {"CMD", "curl", "-f", "http://localhost/"},
                                             {"CMD-SHELL", "test -f /ready"},
                                             {"NONE"}})
    EXPECT_EQ(problems(with_test(test)), Problems{}) << test.size();
  EXPECT_EQ(problems(with_healthcheck({{"CMD", "true"}, 0.2, 0.001, 1, 1e9})), Problems{});
  EXPECT_EQ(problems(with_healthcheck({{}, 0, 0, 0, 0})), Problems{});
}

TEST(ValidateHealthcheck, TestMustStartWithItsKind) {
  EXPECT_EQ(problems(with_test({"curl", "-f", "http://localhost/"})),
            (Problems{"service 'app': healthcheck test [\"curl\", \"-f\", \"http://localhost/\"] "
                      "must start with \"CMD\" (a program and its arguments), \"CMD-SHELL\" (a "
                      "shell command) or \"NONE\" (no check); write [\"CMD\", \"curl\", ...] to "
                      "run it as a program"}));
  EXPECT_EQ(problems(with_test({""})),
            (Problems{"service 'app': healthcheck test [\"\"] must start with \"CMD\" (a program "
                      "and its arguments), \"CMD-SHELL\" (a shell command) or \"NONE\" (no "
                      "check); write [\"CMD\", \"program\", ...] to run it as a program"}));
}

TEST(ValidateHealthcheck, CmdNeedsAProgram) {
  const std::string said =
      " names no program after \"CMD\"; write [\"CMD\", \"program\", "
      "\"argument\", ...]";
  EXPECT_EQ(problems(with_test({"CMD"})),
            (Problems{"service 'app': healthcheck test [\"CMD\"]" + said}));
  EXPECT_EQ(problems(with_test({"CMD", ""})),
            (Problems{"service 'app': healthcheck test [\"CMD\", \"\"]" + said}));
}

TEST(ValidateHealthcheck, CmdShellTakesOneCommand) {
  const std::string said =
      " must be \"CMD-SHELL\" and one shell command; write [\"CMD-SHELL\", "
      "\"command && other\"] (or the command as a plain string)";
  EXPECT_EQ(problems(with_test({"CMD-SHELL"})),
            (Problems{"service 'app': healthcheck test [\"CMD-SHELL\"]" + said}));
  EXPECT_EQ(problems(with_test({"CMD-SHELL", "test", "-f"})),
            (Problems{"service 'app': healthcheck test [\"CMD-SHELL\", \"test\", \"-f\"]" + said}));
}

TEST(ValidateHealthcheck, NoneStandsAlone) {
  EXPECT_EQ(problems(with_test({"NONE", "x"})),
            (Problems{"service 'app': healthcheck test [\"NONE\", \"x\"] turns the check off with "
                      "\"NONE\", which takes nothing after it; write [\"NONE\"] alone"}));
  EXPECT_EQ(problems(with_healthcheck({{"NONE"}, 1, 0, 0, 0})),
            (Problems{"service 'app': healthcheck test [\"NONE\"] turns the health check off, so "
                      "its interval, timeout, retries and start_period have nothing to time; "
                      "drop them, or give a test"}));
}

TEST(ValidateHealthcheck, DurationsArePositiveAndTheEngineTakesThem) {
  const std::string range =
      " s is not a duration the engine takes; use a number of seconds "
      "from 0.001 to 1e+09 (or leave it unset for the image's or the "
      "engine's default)";
  EXPECT_EQ(problems(with_healthcheck({{}, -1, 0, 0, 0})),
            (Problems{"service 'app': healthcheck interval -1" + range}));
  EXPECT_EQ(problems(with_healthcheck({{}, 0, 0.0001, 0, 0})),
            (Problems{"service 'app': healthcheck timeout 0.0001" + range}));
  EXPECT_EQ(problems(with_healthcheck({{}, 0, 0, 0, std::numeric_limits<double>::quiet_NaN()})),
            (Problems{"service 'app': healthcheck start_period nan" + range}));
  EXPECT_EQ(problems(with_healthcheck({{}, 2e9, 0, 0, 0})),
            (Problems{"service 'app': healthcheck interval 2e+09" + range}));
}

TEST(ValidateHealthcheck, RetriesAreAtLeastOne) {
  EXPECT_EQ(problems(with_healthcheck({{"CMD", "true"}, 0, 0, -2, 0})),
            (Problems{"service 'app': healthcheck retries -2 must be at least 1 (or leave it "
                      "unset for the image's or the engine's default, 3)"}));
}

// ---- everything at once ----

TEST(Validate, ReportsEveryProblemGroupFirstThenServicesThenGraphThenExclusions) {
  ServiceDef a = service("a", {"b"});
  a.image = "";
  ServiceDef b = service("b", {"a"});
  b.stop_signal = "SIGFOO";
  b.env = {{"", "1"}};
  GroupDef g = group({a, b, service("Bad")});
  g.name = "a b";
  Problems found = problems(g, {"nope"});
  ASSERT_EQ(found.size(), 7u);
  EXPECT_EQ(found[0].rfind("group name 'a b'", 0), 0u) << found[0];
  EXPECT_EQ(found[1], "service 'a': image is empty");
  EXPECT_EQ(found[2], "service 'b': env name '' is empty");
  EXPECT_EQ(found[3].rfind("service 'b': stop_signal 'SIGFOO'", 0), 0u) << found[3];
  EXPECT_EQ(found[4].rfind("service 'Bad': name must be a DNS label", 0), 0u) << found[4];
  EXPECT_EQ(found[5], "dependency cycle: a -> b -> a");
  EXPECT_EQ(found[6], "cannot exclude 'nope': no such service; defined: Bad, a, b");
}

TEST(Check, ThrowsInvalidWithOneProblemPerLine) {
  GroupDef g = group({with_image(""), service("b", {"c"})});
  try {
    check(g, {});
    FAIL() << "check() accepted an invalid group";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_STREQ(e.what(),
                 "service 'app': image is empty\n"
                 "service 'b' depends on 'c', which is not defined; defined: app");
  }
}

// ---- the fields of 0.2 ----

TEST(ValidateWorkingDir, MustBeAbsolute) {
  ServiceDef s = service("app");
  s.working_dir = "srv";
  EXPECT_EQ(problems(s), (Problems{"service 'app': working_dir 'srv' must be an absolute path in "
                                   "the container, e.g. \"/app\""}));
  s.working_dir = "/srv";
  EXPECT_EQ(problems(s), Problems{});
}

TEST(ValidateAliases, MustBeDnsNamesGivenOnceAndNotAnotherService) {
  ServiceDef s = service("app");
  s.aliases = {"db.local", "Bad_Name", "app", "db.local", "web"};
  EXPECT_EQ(problems(group({s, service("web")})),
            (Problems{"service 'app': alias 'Bad_Name' is not a DNS name; use lower-case "
                      "letters, digits and '-', in labels joined by '.', e.g. \"db.local\"",
                      "service 'app': alias 'app' is given twice (it is the service's name)",
                      "service 'app': alias 'db.local' is given twice",
                      "service 'app': alias 'web' is the name of another service of the group; "
                      "choose another"}));
}

TEST(ValidateLabels, DrillmastersOwnAreReserved) {
  ServiceDef s = service("app");
  s.labels = {{"com.example.team", "data"}, {"io.drillmaster.group", "x"}, {"", "y"}};
  EXPECT_EQ(problems(s),
            (Problems{"service 'app': labels name '' is empty",
                      "service 'app': label 'io.drillmaster.group' is reserved: labels starting "
                      "'io.drillmaster.' are drillmaster's own (how it finds its containers); "
                      "choose another name"}));
}

TEST(ValidateBuildArgs, NeedABuildContext) {
  ServiceDef s = service("app");
  s.build_args = {{"VERSION", "1"}};
  EXPECT_EQ(problems(s), (Problems{"service 'app': build_args is set but build_from is not; give "
                                   "the directory to build from"}));
  s.build_args.clear();
  s.build_target = "dev";
  EXPECT_EQ(problems(s), (Problems{"service 'app': build_target is set but build_from is not; "
                                   "give the directory to build from"}));
  s.build_context = ".";
  EXPECT_EQ(problems(s), Problems{});
}

TEST(ValidateSecrets, NamesAreFileNamesGivenOnceWithAFile) {
  ServiceDef s = service("app");
  s.secrets = {{"pw", "pw.txt"}, {"a/b", "x"}, {"pw", "other.txt"}, {"key", ""}};
  EXPECT_EQ(problems(s),
            (Problems{"service 'app': secret name 'a/b' must be a file name (not empty, no '/')",
                      "service 'app': secret 'pw' is given twice",
                      "service 'app': secret 'key' names no file ('')"}));
}

TEST(ValidateEnvFile, MustNameAFile) {
  ServiceDef s = service("app");
  s.env_files = {"app.env", ""};
  EXPECT_EQ(problems(s), (Problems{"service 'app': env_file '' is empty; name a file"}));
}

TEST(ValidatePorts, ComposeStringsParse) {
  ServiceDef s = service("app");
  for (const char* text : {"127.0.0.1:5433:5432", "53:53/udp", "8000-8002:8000-8002", "5432",
                           "127.0.0.1::5432", "[::1]:6000:5432", "9000-9010:80"})
    s.ports.push_back(PortSpec::compose(text));
  EXPECT_EQ(problems(s), Problems{});
}

TEST(ValidatePorts, AComposeStringThatDoesNotParseIsNamed) {
  for (const char* text : {"abc", "1:2:3:4", "70000:80", "8000-8001:9000-9002", "80/sctp",
                           "localhost:80:80", "8002-8000:80"}) {
    ServiceDef s = service("app");
    s.ports.push_back(PortSpec::compose(text));
    EXPECT_EQ(problems(s),
              (Problems{"service 'app': ports '" + std::string(text) +
                        "' does not parse; write [[ip:]host:]container[/tcp|/udp], a port or a "
                        "range like 8000-8002 each (e.g. \"127.0.0.1:5433:5432\", \"53:53/udp\", "
                        "\"8000-8002:8000-8002\", or \"5432\" for a free host port), or the "
                        "long form published=HOST,target=CONTAINER[,protocol=udp][,mode=host|"
                        "ingress]"}));
  }
}

// The engine CLI's long form (docker service create --publish) carries the
// publish mode a swarm uses; its other keys read as the short form's.
TEST(ValidatePorts, TheLongFormParsesWithItsMode) {
  auto parts = port_parts(PortSpec::compose("published=8080,target=80,mode=host"));
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->host_first, 8080);
  EXPECT_EQ(parts->container_first, 80);
  EXPECT_EQ(parts->protocol, "tcp");
  EXPECT_EQ(parts->mode, "host");
  parts = port_parts(PortSpec::compose("target=53,protocol=udp,host_ip=127.0.0.1"));
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->host_first, 0);  // a free port on that address
  EXPECT_EQ(parts->host_ip, "127.0.0.1");
  EXPECT_EQ(parts->protocol, "udp");
  EXPECT_EQ(parts->mode, "");
  EXPECT_EQ(port_parts(PortSpec::compose("8080:80"))->mode, "");
  for (const char* text : {"published=8080", "target=80,mode=bridge", "target=80,target=81",
                           "target=80,color=red", "target=80,", "published=x,target=80"}) {
    ServiceDef s = service("app");
    s.ports.push_back(PortSpec::compose(text));
    EXPECT_EQ(problems(s).size(), 1u) << text;
  }
}

// A mode changes the definition (a swarm publishes otherwise); a port that
// says none keeps the hash it had before modes existed.
TEST(ValidatePorts, AModeIsPartOfTheDefinitionOnlyWhenSaid) {
  GroupDef g = group({service("app")});
  g.services[0].ports.push_back(PortSpec::compose("8080:80"));
  std::string plain = definition_hash(g, g.services[0]);
  g.services[0].ports[0] = PortSpec::compose("published=8080,target=80");
  EXPECT_EQ(definition_hash(g, g.services[0]), plain);
  g.services[0].ports[0] = PortSpec::compose("published=8080,target=80,mode=host");
  EXPECT_NE(definition_hash(g, g.services[0]), plain);
}

TEST(ValidatePorts, AHostPortOfARangeOrAnAddressIsPublishedOnce) {
  ServiceDef a = service("a");
  a.ports.push_back(PortSpec::compose("8000-8002:8000-8002"));
  ServiceDef b = service("b");
  b.ports.push_back({"8001", 8001});
  ServiceDef c = service("c");
  c.ports.push_back(PortSpec::compose("127.0.0.1:9000:80"));
  c.ports.push_back(PortSpec::compose("127.0.0.2:9000:81"));  // another address: fine
  c.ports.push_back(PortSpec::compose("9000:82"));            // every address: not
  EXPECT_EQ(problems(group({a, b, c})),
            (Problems{"host port 8001/tcp is published by both 'a' and 'b'",
                      "host port 9000/tcp is published twice by 'c'"}));
}

TEST(ValidateCreateOptions, MustBeAJsonObject) {
  ServiceDef s = service("app");
  s.create_options = "[1, 2]";
  EXPECT_EQ(problems(s), (Problems{"service 'app': create_options '[1, 2]' is not a JSON object; "
                                   "give the members of the engine's create request, e.g. "
                                   "{\"HostConfig\": {\"OomScoreAdj\": 100}}"}));
  s.create_options = R"({"HostConfig": [1]})";
  EXPECT_EQ(problems(s), (Problems{"service 'app': create_options key 'HostConfig' must be a JSON "
                                   "object of its members, as the engine takes it"}));
  s.create_options = R"({"HostConfig": {"OomScoreAdj": 100}, "Domainname": "example.org"})";
  EXPECT_EQ(problems(s), Problems{});
}

TEST(ValidateCreateOptions, AKeyATypedFieldSetsIsAnError) {
  ServiceDef s = service("app");
  s.create_options =
      R"({"Env": ["A=1"], "HostConfig": {"Binds": [], "Mounts": []}, "Hostname": "x"})";
  EXPECT_EQ(problems(s),
            (Problems{"service 'app': create_options key 'Env' is set by the field env; use env "
                      "instead",
                      "service 'app': create_options key 'HostConfig.Binds' is set by the field "
                      "volumes; use volumes instead",
                      "service 'app': create_options key 'HostConfig.Mounts' is set by the field "
                      "secrets; use secrets instead",
                      "service 'app': create_options key 'Hostname' is set by the field "
                      "hostname; use hostname instead"}));
}

TEST(ValidateCreateOptions, WhatDrillmasterManagesIsAnError) {
  ServiceDef s = service("app");
  s.create_options = R"({"NetworkingConfig": {"EndpointsConfig": {}}, "name": "x"})";
  EXPECT_EQ(problems(s),
            (Problems{"service 'app': create_options key 'NetworkingConfig.EndpointsConfig' is "
                      "managed by drillmaster: the group's network is drillmaster's; use aliases "
                      "for more names",
                      "service 'app': create_options key 'name' is managed by drillmaster: the "
                      "container's name is drillmaster's (<group>-<service>-1)"}));
}

// ---- the fields of real stacks ----

ServiceDef app_with(void (*set)(ServiceDef&)) {
  ServiceDef s = service("app");
  set(s);
  return s;
}

TEST(ValidateRestart, AcceptsComposesPolicies) {
  for (const char* policy : {"", "no", "always", "unless-stopped", "on-failure", "on-failure:5"}) {
    ServiceDef s = service("app");
    s.restart = policy;
    EXPECT_EQ(problems(s), Problems{}) << policy;
  }
}

TEST(ValidateRestart, NamesTheValueAndThePolicies) {
  for (const char* policy : {"sometimes", "on-failure:", "on-failure:x", "Always"}) {
    ServiceDef s = service("app");
    s.restart = policy;
    EXPECT_EQ(problems(s), Problems{"service 'app': restart '" + std::string(policy) +
                                    "' is not a restart policy; use one of 'no', 'always', "
                                    "'unless-stopped', 'on-failure' or 'on-failure:N' (at most "
                                    "N restarts)"});
  }
}

TEST(ValidateTmpfs, PathMustBeAbsolute) {
  EXPECT_EQ(problems(app_with([](ServiceDef& s) {
              s.tmpfs = {"/run", "/tmp:size=64m"};
            })),
            Problems{});
  EXPECT_EQ(problems(app_with([](ServiceDef& s) { s.tmpfs = {"tmp:size=64m"}; })),
            Problems{"service 'app': tmpfs 'tmp:size=64m' must start with an absolute path in the "
                     "container, such as '/tmp' (optionally followed by ':' and mount options: "
                     "'/tmp:size=64m')"});
}

TEST(ValidateTmpfs, APathIsMountedOnce) {
  EXPECT_EQ(problems(app_with([](ServiceDef& s) {
              s.tmpfs = {"/tmp", "/tmp:size=1m"};
            })),
            Problems{"service 'app': tmpfs '/tmp' is mounted twice"});
}

TEST(ValidateCapabilities, UpperCaseNamesWithOrWithoutCapOrAll) {
  EXPECT_EQ(problems(app_with([](ServiceDef& s) {
              s.cap_add = {"NET_ADMIN", "CAP_SYS_TIME", "ALL"};
              s.cap_drop = {"ALL"};
            })),
            Problems{});
  EXPECT_EQ(problems(app_with([](ServiceDef& s) {
              s.cap_add = {"net_admin"};
              s.cap_drop = {"CAP_"};
            })),
            (Problems{"service 'app': cap_add 'net_admin' is not a capability name; write it in "
                      "upper case, such as 'NET_ADMIN' or 'CAP_NET_ADMIN' (or 'ALL' for every "
                      "one)",
                      "service 'app': cap_drop 'CAP_' is not a capability name; write it in upper "
                      "case, such as 'NET_ADMIN' or 'CAP_NET_ADMIN' (or 'ALL' for every one)"}));
}

TEST(ValidateSizes, ShmSizeAndMemLimitTakeComposesByteValues) {
  EXPECT_EQ(problems(app_with([](ServiceDef& s) {
              s.shm_size = "64m";
              s.mem_limit = "1073741824";
            })),
            Problems{});
  const std::string form =
      "use a number of bytes, or a number with a unit k, m, g, t or p (powers of 1024) such as "
      "'64m', '1g' or '1.5g'";
  EXPECT_EQ(problems(app_with([](ServiceDef& s) {
              s.shm_size = "-1";
              s.mem_limit = "lots";
            })),
            (Problems{"service 'app': shm_size '-1' is not a size; " + form,
                      "service 'app': mem_limit 'lots' is not a size; " + form}));
}

TEST(ValidateCpus, MustBeAboveZero) {
  EXPECT_EQ(problems(app_with([](ServiceDef& s) { s.cpus = 0.5; })), Problems{});
  for (double cpus : {-1.0, 0.0, std::nan("")}) {
    ServiceDef s = service("app");
    s.cpus = cpus;
    std::string shown = std::isnan(cpus) ? "nan" : cpus < 0 ? "-1" : "0";
    EXPECT_EQ(problems(s), Problems{"service 'app': cpus " + shown +
                                    " is not a number of CPUs; use a number above 0, such as 0.5 "
                                    "or 2 (or leave it unset for no limit)"});
  }
}

TEST(ValidateUlimits, KnownNamesSoftAtMostHard) {
  EXPECT_EQ(problems(app_with([](ServiceDef& s) {
              s.ulimits = {{"nofile", 1024, 2048}, {"core", -1, -1}, {"nproc", 10, -1}};
            })),
            Problems{});
  EXPECT_EQ(
      problems(app_with([](ServiceDef& s) {
        s.ulimits = {{"files", 1, 1}, {"nofile", 4096, 1024}, {"nproc", -5, 1}};
      })),
      (Problems{"service 'app': ulimit 'files' is not a ulimit; use one of core, cpu, data, fsize, "
                "locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, "
                "stack",
                "service 'app': ulimit 'nofile' has a soft limit 4096 above its hard limit 1024; "
                "the soft limit must be at most the hard one",
                "service 'app': ulimit 'nproc' must be 0 or more (or -1 for unlimited), not soft "
                "-5, hard 1"}));
}

TEST(ValidateExtraHosts, AnIpAddressOrTheHostGateway) {
  EXPECT_EQ(problems(app_with([](ServiceDef& s) {
              s.extra_hosts = {{"db.local", "10.0.0.5"}, {"v6", "::1"}, {"host", "host-gateway"}};
            })),
            Problems{});
  EXPECT_EQ(problems(app_with([](ServiceDef& s) {
              s.extra_hosts = {{"db.local", "10.0.0"}, {"", "10.0.0.5"}};
            })),
            (Problems{"service 'app': extra_hosts address '10.0.0' for 'db.local' is not an IP "
                      "address; use one such as '10.0.0.5' or '::1', or 'host-gateway' for the "
                      "host",
                      "service 'app': extra_hosts name '' is not a host name; use one such as "
                      "'db.local'"}));
}

TEST(ValidateStopGracePeriod, ZeroToADay) {
  EXPECT_EQ(problems(app_with([](ServiceDef& s) { s.stop_grace_period = 0; })), Problems{});
  EXPECT_EQ(problems(app_with([](ServiceDef& s) { s.stop_grace_period = -1; })),
            Problems{"service 'app': stop_grace_period -1 s is not a grace period; use a number "
                     "of seconds from 0 to 86400 (or leave it unset for the operation's)"});
}

// ---- replicas ----

TEST(ValidateReplicas, OneToAThousand) {
  ServiceDef s = service("app");
  for (int ok : {1, 3, 1000}) {
    s.replicas = ok;
    EXPECT_EQ(problems(s), Problems{}) << ok;
  }
  for (int bad : {0, -2, 1001}) {
    s.replicas = bad;
    EXPECT_EQ(problems(s),
              Problems{"service 'app': replicas " + std::to_string(bad) +
                       " is not a number of copies to run; use a whole number from 1 to 1000 (1, "
                       "the default, runs one; stop the group to run none)"})
        << bad;
  }
}

// At its default it is not in the request, the deploy part or the hash; set,
// only in the deploy part (a container has no replicas) and the hash.
TEST(Replicas, OnlyTheDeployPartAndTheHashCarryACountOtherThanOne) {
  ServiceDef one = service("app");
  ServiceDef three = one;
  three.replicas = 3;
  GroupDef g = group({one});
  EXPECT_EQ(deploy_request(g, one).dump(), "{}");
  EXPECT_EQ(deploy_request(g, three).view()["Replicas"].integer(), 3);
  EXPECT_EQ(create_request(g, three).dump(), create_request(g, one).dump());
  EXPECT_NE(definition_hash(g, three), definition_hash(g, one));
  EXPECT_EQ(fields_written(g, three).back(), "replicas");
}

// ---- oneshot ----

TEST(Validate, AOneshotServiceTakesNoPing) {
  ServiceDef s = service("migrate");
  s.oneshot = true;
  EXPECT_EQ(problems(s), Problems{});
  s.hooks.ping = [](const HookContext&) { return HookAnswer{kPingReady, ""}; };
  EXPECT_EQ(problems(s), Problems{"service 'migrate': a oneshot service takes no ping: it is "
                                  "ready when its container exits with 0; remove the ping, or "
                                  "check the job's work in post_start_init"});
}

TEST(Validate, AOneshotServiceTakesNoRestartPolicy) {
  ServiceDef s = service("migrate");
  s.oneshot = true;
  s.restart = "no";
  EXPECT_EQ(problems(s), Problems{});
  s.restart = "always";
  EXPECT_EQ(problems(s),
            Problems{"service 'migrate': restart 'always' cannot be used with "
                     "oneshot; a job runs once (use restart 'no', or leave it unset)"});
}

// ---- a service on its own, as a binding checks it when it is defined ----

TEST(ValidateAlone, ReportsTheValuesAndLeavesOutWhatNeedsTheGroup) {
  ServiceDef s = service("app");
  s.image = "";             // a build may make it at start
  s.dependencies = {"db"};  // the other services are not known yet
  EXPECT_EQ(validate_alone(s), Problems{});
  s.restart = "sometimes";
  s.cpus = -1;
  Problems found = validate_alone(s);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].rfind("service 'app': restart 'sometimes' is not a restart policy", 0), 0u);
  EXPECT_EQ(found[1].rfind("service 'app': cpus -1 is not a number of CPUs", 0), 0u);
}

// ---- profiles ----

TEST(Validate, AProfileNameIsComposesWord) {
  ServiceDef s = service("debugger");
  s.profiles = {"debug", "x.y_z-1", "9lives"};
  EXPECT_EQ(problems(s), Problems{});
  s.profiles = {"", "-debug", "de bug"};
  const std::string rest =
      " is not a valid profile name; use letters, digits, '_', '.' and '-', starting with a "
      "letter or a digit";
  EXPECT_EQ(problems(s), (Problems{"service 'debugger': profile ''" + rest,
                                   "service 'debugger': profile '-debug'" + rest,
                                   "service 'debugger': profile 'de bug'" + rest}));
}

// ---- watch ----

ServiceDef with_watch(WatchRule rule) {
  ServiceDef s = service("web");
  s.watch = {std::move(rule)};
  return s;
}

constexpr int kSync = static_cast<int>(WatchAction::Sync);
constexpr int kRebuild = static_cast<int>(WatchAction::Rebuild);

TEST(Validate, AWatchPathMustExistInTheGroupsDirectory) {
  EXPECT_EQ(problems(with_watch({"site", kSync, "/www", {}})),
            Problems{"service 'web': watch 'site' path '/srv/demo/site' does not exist; create "
                     "it, or give a path relative to the group's directory '/srv/demo'"});
  EXPECT_EQ(problems(with_watch({"/", kSync, "/www", {}})), Problems{});
  // Alone, the directory is not known yet.
  EXPECT_EQ(validate_alone(with_watch({"site", kSync, "/www", {}})), Problems{});
}

TEST(Validate, AWatchTargetMustBeAbsoluteAndGivenForSync) {
  EXPECT_EQ(validate_alone(with_watch({"site", kSync, "www", {}})),
            Problems{"service 'web': watch 'site' target 'www' is not absolute; give the absolute "
                     "path in the container (e.g. '/www')"});
  EXPECT_EQ(validate_alone(with_watch({"site", kSync, "", {}})),
            Problems{"service 'web': watch 'site' (sync) has no target; give the absolute path "
                     "in the container to copy it to (e.g. '/app')"});
}

TEST(Validate, AWatchActionMustBeKnown) {
  EXPECT_EQ(validate_alone(with_watch({"site", 7, "/www", {}})),
            Problems{"service 'web': watch 'site' action 7 is unknown; use sync (1), "
                     "sync+restart (2) or rebuild (3)"});
}

TEST(Validate, SyncIsRefusedOnAReadOnlyService) {
  ServiceDef s = with_watch({"site", kSync, "/www", {}});
  s.read_only = true;
  EXPECT_EQ(validate_alone(s),
            Problems{"service 'web': watch 'site' (sync) cannot copy into a read_only service: "
                     "the engine refuses to copy into a read-only container; use action "
                     "rebuild, or drop read_only"});
}

TEST(Validate, RebuildNeedsABuildContextAndNoTarget) {
  EXPECT_EQ(validate_alone(with_watch({"src", kRebuild, "/src", {}})),
            (Problems{"service 'web': watch 'src' (rebuild) takes no target, got '/src'; remove "
                      "it, or use action sync to copy the files there",
                      "service 'web': watch 'src' (rebuild) needs a build context, and the "
                      "service has none; set build_from, or use action sync"}));
  ServiceDef built = with_watch({"src", kRebuild, "", {}});
  built.build_context = "src";
  EXPECT_EQ(validate_alone(built), Problems{});
}

TEST(Validate, AWatchIgnorePatternMayNotBeEmptyOrMalformed) {
  Problems found = validate_alone(with_watch({"site", kSync, "/www", {"*.log", "", "[a"}}));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0],
            "service 'web': watch 'site' ignore pattern '' is empty; remove it, or write a "
            ".dockerignore pattern like '*.log'");
  EXPECT_EQ(found[1].rfind("service 'web': watch 'site' ignore", 0), 0u) << found[1];
}

TEST(Validate, AWatchRuleIsNoPartOfTheContainersDefinition) {
  ServiceDef s = service("web");
  GroupDef g = group({s});
  std::string before = definition_hash(g, s);
  s.watch = {{"/", kSync, "/www", {}}};
  EXPECT_EQ(definition_hash(g, s), before);
}

}  // namespace
}  // namespace dm::model
