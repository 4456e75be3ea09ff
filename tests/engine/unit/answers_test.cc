// The engine's answers, parsed apart from the socket: real answers (captured
// from dockerd 20.10) give the structs; a required field missing or of the
// wrong type is Error::Code::Engine naming the request and the field; optional fields
// stay tolerant.
#include "engine/answers.h"

#include <gtest/gtest.h>

#include <string>

#include "common/error.h"

namespace dm::engine {
namespace {

// The message of the Error::Code::Engine `body` throws; fails the test otherwise.
template <typename F>
std::string engine_error(F&& parse) {
  try {
    parse();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "a malformed answer was taken for a good one";
  return "";
}

#define EXPECT_HAS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

const char* kList = R"([{"Id":"772ca6833abc","Names":["/dm-corpus-db"],
  "Image":"drillmaster-test/busybox:latest","ImageID":"sha256:f97b3ccff199",
  "Command":"/bin/sh -c 'sleep 1000'","Created":1764662668,
  "Ports":[{"IP":"127.0.0.1","PrivatePort":80,"PublicPort":49153,"Type":"tcp"},
           {"PrivatePort":81,"Type":"udp"}],
  "Labels":{"io.drillmaster.group":"corpus","io.drillmaster.service":"db"},
  "State":"running","Status":"Up 1 second","HostConfig":{"NetworkMode":"default"},
  "NetworkSettings":{"Networks":{}},"Mounts":[]}])";

TEST(ContainerListAnswer, ReadsARealAnswer) {
  auto list = parse_container_list(kList);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, "772ca6833abc");
  EXPECT_EQ(list[0].names, std::vector<std::string>{"dm-corpus-db"});
  EXPECT_EQ(list[0].state, "running");
  EXPECT_EQ(list[0].labels.at("io.drillmaster.service"), "db");
  ASSERT_EQ(list[0].ports.size(), 1u);  // 81/udp is exposed, not published
  EXPECT_EQ(list[0].ports[0].container_port, "80/tcp");
  EXPECT_EQ(list[0].ports[0].host_port, 49153);
  EXPECT_TRUE(parse_container_list("[]").empty());
}

TEST(ContainerListAnswer, AnEntryWithoutNamesOrWithNamesAsAnObjectIsAnEngineError) {
  std::string m = engine_error([] { parse_container_list(R"([{"Id":"a","State":"running"}])"); });
  EXPECT_HAS(m, "GET /containers/json");
  EXPECT_HAS(m, "'Names'");
  m = engine_error([] { parse_container_list("[{}]"); });
  EXPECT_HAS(m, "entry #1");
  m = engine_error([] {
    parse_container_list(R"([{"Id":"a","Names":["/a"],"State":"running"},
                             {"Id":"b","Names":{"0":"/b"},"State":"running"}])");
  });
  EXPECT_EQ(m,
            "engine answered GET /containers/json with entry #2 whose 'Names' is an object, "
            "not a list");
  m = engine_error([] { parse_container_list(R"([{"Id":"a","Names":[7],"State":"x"}])"); });
  EXPECT_HAS(m, "'Names[0]' is a number, not a string");
}

TEST(ContainerListAnswer, AnythingButAListIsAnEngineError) {
  EXPECT_HAS(engine_error([] { parse_container_list("{}"); }), "with an object, not a list");
  EXPECT_HAS(engine_error([] { parse_container_list("null"); }), "with null, not a list");
  EXPECT_HAS(engine_error([] { parse_container_list("[\"x\"]"); }),
             "entry #1 that is a string, not an object");
  EXPECT_HAS(engine_error([] { parse_container_list(""); }), "empty body");
  EXPECT_HAS(engine_error([] { parse_container_list("<html>"); }), "not JSON: '<html>'");
}

TEST(ContainerListAnswer, OptionalFieldsStayTolerant) {
  // No Labels, Ports of the wrong type, an empty Names list, an unknown field.
  auto list = parse_container_list(
      R"([{"Id":"a","Names":[],"State":"exited","Labels":null,"Ports":"none","New":1,
           "Image":7}])");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_TRUE(list[0].names.empty());
  EXPECT_TRUE(list[0].labels.empty());
  EXPECT_TRUE(list[0].ports.empty());
  EXPECT_EQ(list[0].image, "");
  // Port numbers out of range are not ports.
  list = parse_container_list(
      R"([{"Id":"a","Names":[],"State":"x","Ports":[{"PrivatePort":1e300,"PublicPort":8},
          {"PrivatePort":80,"PublicPort":-1},{"PrivatePort":80,"PublicPort":70000}]}])");
  EXPECT_TRUE(list[0].ports.empty());
}

const char* kInspect = R"({"Id":"772ca6833abc","Created":"2025-12-02T08:04:28Z",
  "Path":"/bin/sh","Args":["-c","sleep 1000"],
  "State":{"Status":"exited","Running":false,"Paused":false,"Restarting":false,
           "OOMKilled":false,"Dead":false,"Pid":0,"ExitCode":137,"Error":"",
           "StartedAt":"2025-12-02T08:04:28Z","FinishedAt":"2025-12-02T08:04:34Z"},
  "Image":"sha256:f97b3ccff199","Name":"/dm-corpus-db",
  "Mounts":[{"Type":"volume","Name":"data","Source":"/var/lib/docker/volumes/data/_data",
             "Destination":"/data","RW":true},
            {"Type":"bind","Source":"/etc/hosts","Destination":"/h","RW":false}],
  "Config":{"Hostname":"772ca6833abc","User":"","Tty":false,"Env":["PATH=/bin"],
            "Cmd":["sleep 1000"],"Image":"drillmaster-test/busybox:latest",
            "Entrypoint":["/bin/sh","-c"],"Labels":{"io.drillmaster.group":"corpus"}},
  "NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"49153"}],"81/tcp":null},
                     "Networks":{"dm-g":{"Aliases":["db","772ca6833abc"],"IPAddress":"172.18.0.2"}}}})";

TEST(ContainerInspectAnswer, ReadsARealAnswer) {
  ContainerInfo info = parse_container_inspect(kInspect);
  EXPECT_EQ(info.id, "772ca6833abc");
  EXPECT_EQ(info.name, "dm-corpus-db");
  EXPECT_EQ(info.state, "exited");
  EXPECT_FALSE(info.running);
  EXPECT_EQ(info.exit_code, 137);
  EXPECT_EQ(info.image, "drillmaster-test/busybox:latest");
  ASSERT_EQ(info.mounts.size(), 2u);
  EXPECT_EQ(info.mounts[0].source, "data");
  EXPECT_TRUE(info.mounts[1].read_only);
  ASSERT_EQ(info.ports.size(), 1u);
  EXPECT_EQ(info.ports[0].host_port, 49153);
  EXPECT_EQ(info.network_ips.at("dm-g"), "172.18.0.2");
  EXPECT_EQ(info.network_aliases.at("dm-g").front(), "db");
}

TEST(ContainerInspectAnswer, RequiredFieldsAreChecked) {
  std::string request = "GET /containers/abc/json";
  std::string m = engine_error([&] { parse_container_inspect("[]", request); });
  EXPECT_EQ(m, "engine answered GET /containers/abc/json with a list, not an object");
  m = engine_error([&] {
    parse_container_inspect(R"({"Id":"a","Name":"/a","State":{"Status":"running"},"Config":{}})",
                            request);
  });
  EXPECT_HAS(m, "without 'State.Running'");
  m = engine_error([&] {
    parse_container_inspect(
        R"({"Id":"a","Name":"/a","State":{"Status":"exited","Running":false,"ExitCode":"1"},
            "Config":{}})",
        request);
  });
  EXPECT_HAS(m, "'State.ExitCode' is a string, not an integer");
  m = engine_error([&] {
    parse_container_inspect(
        R"({"Id":"a","Name":"/a","State":{"Status":"exited","Running":false,"ExitCode":1e12},
            "Config":{}})",
        request);
  });
  EXPECT_HAS(m, "State.ExitCode");
  m = engine_error([&] {
    parse_container_inspect(R"({"Id":"a","Name":"/a","State":"running","Config":{}})", request);
  });
  EXPECT_HAS(m, "'State' is a string, not an object");
  m = engine_error([&] {
    parse_container_inspect(
        R"({"Id":"","Name":"/a","State":{"Status":"x","Running":true,"ExitCode":0},"Config":{}})",
        request);
  });
  EXPECT_HAS(m, "'Id' is an empty string");
}

TEST(ContainerInspectAnswer, ReadsTheHealthCheckAndItsLastRun) {
  ContainerInfo info = parse_container_inspect(R"({"Id":"a","Name":"/a",
    "State":{"Status":"running","Running":true,"ExitCode":0,
             "StartedAt":"2026-12-02T22:55:20.123456789Z",
             "Health":{"Status":"unhealthy","FailingStreak":3,"Log":[
               {"Start":"x","End":"y","ExitCode":1,"Output":"first\n"},
               {"Start":"x","End":"y","ExitCode":3,"Output":"refused\n"}]}},
    "Config":{"Healthcheck":{"Test":["CMD-SHELL","exit 3"],"Interval":200000000,
                             "Retries":2}}})");
  EXPECT_EQ(info.health, "unhealthy");
  EXPECT_EQ(info.started_at, "2026-12-02T22:55:20.123456789Z");
  ASSERT_TRUE(info.last_health_check.has_value());
  EXPECT_EQ(info.last_health_check->exit_code, 3);
  EXPECT_EQ(info.last_health_check->output, "refused\n");
  ASSERT_TRUE(info.healthcheck.has_value());
  EXPECT_EQ(info.healthcheck->test, (std::vector<std::string>{"CMD-SHELL", "exit 3"}));
  EXPECT_EQ(info.healthcheck->interval, 200000000);
  EXPECT_EQ(info.healthcheck->timeout, 0);  // the engine's default
  EXPECT_EQ(info.healthcheck->retries, 2);
  // Without a health check: none of it.
  ContainerInfo plain = parse_container_inspect(kInspect);
  EXPECT_EQ(plain.health, "");
  EXPECT_FALSE(plain.last_health_check.has_value());
  EXPECT_FALSE(plain.healthcheck.has_value());
}

TEST(UnixTimestamp, AnEngineTimeAsEventsTakeIt) {
  EXPECT_EQ(unix_timestamp("2026-12-02T22:55:20.123456789Z"), "1796252120.123456789");
  EXPECT_EQ(unix_timestamp("2026-12-02T22:55:20Z"), "1796252120.000000000");
  EXPECT_EQ(unix_timestamp("2026-12-02T22:55:20.5Z"), "1796252120.500000000");
  EXPECT_EQ(unix_timestamp("2026-12-02T23:55:20.1234567891+01:00"), "1796252120.123456789");
  EXPECT_EQ(unix_timestamp("2026-12-02T20:55:20-02:00"), "1796252120.000000000");
  EXPECT_EQ(unix_timestamp(""), "");
  EXPECT_EQ(unix_timestamp("0001-01-01T00:00:00"), "");  // no zone
  EXPECT_EQ(unix_timestamp("yesterday"), "");
}

TEST(HealthEvent, TheStatusOfAHealthStatusEventAndNothingForOthers) {
  EXPECT_EQ(parse_health_event(R"({"status":"health_status: healthy","id":"abc",
    "Type":"container","Action":"health_status: healthy","Actor":{"ID":"abc"},
    "time":1764000000,"timeNano":1764000000000000000})"),
            "healthy");
  EXPECT_EQ(parse_health_event(R"({"Type":"container","Action":"health_status: unhealthy"})"),
            "unhealthy");
  EXPECT_EQ(parse_health_event(R"({"Type":"container","Action":"health_status",
    "Actor":{"ID":"abc","Attributes":{"health_status":"healthy"}}})"),
            "healthy");
  EXPECT_EQ(parse_health_event(R"({"Type":"container","Action":"die"})"), "");
  std::string m = engine_error([&] { parse_health_event(R"({"Type":"container"})"); });
  EXPECT_HAS(m, "GET /events");
  EXPECT_HAS(m, "'Action'");
}

TEST(ContainerWaitAnswer, OnlyAStatusCodeTheEngineSaidIsAnExitCode) {
  EXPECT_EQ(parse_container_wait(R"({"Error":null,"StatusCode":137})"), 137);
  EXPECT_EQ(parse_container_wait(R"({"StatusCode":0})"), 0);
  std::string request = "POST /containers/abc/wait";
  for (const char* body :
       {R"({"Id":12345})", "[]", "{}", R"({"StatusCode":"0"})", R"({"StatusCode":null})",
        R"({"StatusCode":1.5})", R"({"StatusCode":1e300})", R"({"StatusCode":true})", "0"}) {
    std::string m = engine_error([&] { parse_container_wait(body, request); });
    EXPECT_HAS(m, request);
    if (std::string(body) != "[]" && std::string(body) != "0") {
      EXPECT_HAS(m, "'StatusCode'");
    }
  }
}

TEST(ContainerWaitAnswer, AnErrorTheEngineReportsIsQuotedShort) {
  std::string m = engine_error([] {
    parse_container_wait(R"({"Error":{"Message":")" + std::string(10000, 'e') +
                         R"("},"StatusCode":0})");
  });
  EXPECT_LT(m.size(), 500u);
  EXPECT_HAS(m, "cut: 10000 bytes in all");
}

TEST(ExecInspectAnswer, GivesTheExitCodeOnceTheCommandEnded) {
  ExecState running = parse_exec_inspect(R"({"Running":true,"ExitCode":null})");
  EXPECT_TRUE(running.running);
  ExecState ended = parse_exec_inspect(R"({"Running":false,"ExitCode":3,"Pid":0})");
  EXPECT_FALSE(ended.running);
  EXPECT_EQ(ended.exit_code, 3);
  std::string request = "GET /exec/abc/json";
  for (const char* body : {"{}", R"({"Running":false})", R"({"Running":false,"ExitCode":"3"})",
                           R"({"Running":"no","ExitCode":0})", "[]"}) {
    std::string m = engine_error([&] { parse_exec_inspect(body, request); });
    EXPECT_HAS(m, request);
  }
}

TEST(CreatedId, MustBeANonEmptyString) {
  EXPECT_EQ(parse_created_id(R"({"Id":"abc","Warnings":[]})", "POST /containers/create"), "abc");
  for (const char* body : {"{}", R"({"Id":""})", R"({"Id":5})", "[]", R"({"Id":["a"]})"})
    EXPECT_HAS(engine_error([&] { parse_created_id(body, "POST /networks/create"); }),
               "POST /networks/create");
}

TEST(NetworkAnswers, ReadRealAnswersAndCheckIdAndName) {
  const char* network = R"({"Name":"dm-g","Id":"72ed1b04996c","Driver":"bridge",
    "Containers":{"772ca6833abc":{"Name":"dm-corpus-db"}},"Labels":{"io.drillmaster.group":"g"}})";
  NetworkSummary n = parse_network_inspect(network);
  EXPECT_EQ(n.name, "dm-g");
  EXPECT_EQ(n.container_ids, std::vector<std::string>{"772ca6833abc"});
  EXPECT_EQ(parse_network_list(std::string("[") + network + "]").size(), 1u);
  EXPECT_HAS(engine_error([] { parse_network_list(R"([{"Id":"a"}])"); }), "without 'Name'");
  EXPECT_HAS(engine_error([] { parse_network_list("{}"); }), "GET /networks with an object");
  EXPECT_HAS(engine_error([] { parse_network_inspect(R"({"Id":"a","Name":{}})"); }),
             "'Name' is an object, not a string");
}

TEST(ImageAnswer, RequiresAnId) {
  ImageInfo image = parse_image_inspect(R"({"Id":"sha256:f97b","RepoTags":["a:1"],"Config":null})");
  EXPECT_EQ(image.id, "sha256:f97b");
  EXPECT_EQ(image.tags, std::vector<std::string>{"a:1"});
  EXPECT_HAS(engine_error([] { parse_image_inspect(R"({"RepoTags":[]})"); }), "'Id'");
}

TEST(VersionAnswer, RequiresTheVersions) {
  VersionInfo v = parse_version(
      R"({"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux"})");
  EXPECT_EQ(v.api_version, "1.41");
  EXPECT_EQ(v.os, "linux");
  EXPECT_HAS(engine_error([] { parse_version(R"({"Version":"20.10.24"})"); }),
             "GET /version with an answer without 'ApiVersion'");
}

TEST(ErrorMessage, TheEnginesWordsOrTheTextShortAndOnOneLine) {
  EXPECT_EQ(error_message(R"({"message":"No such container: x"})"), "No such container: x");
  EXPECT_EQ(error_message("<html>\r\n<body>Bad Gateway</body>\r\n</html>\r\n"),
            "<html> <body>Bad Gateway</body> </html>");
  EXPECT_EQ(error_message(""), "");
  std::string cut = error_message(std::string(65536, 'x'), 52428800);
  EXPECT_LT(cut.size(), 400u);
  EXPECT_HAS(cut, "(cut: 52428800 bytes in all)");
}

}  // namespace
}  // namespace dm::engine
