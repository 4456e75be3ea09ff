// What the library and drillmaster-reaper say to each other
// (reaper_protocol.h): the orders survive the command line exactly, a
// command line the reaper does not understand is refused naming the
// argument, and control lines mean what they say and nothing else.
#include "orchestrator/reaper_protocol.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "common/error.h"

namespace dm::orchestrator {
namespace {

ReaperOrders sample() {
  ReaperOrders orders;
  orders.engine.host = "tcp://10.0.0.5:2376";
  orders.engine.api_version = "1.41";
  orders.engine.tls_verify = 1;
  orders.engine.cert_path = "/home/me/.docker certs";
  orders.engine.timeout = 12.5;
  orders.group = "itest";
  orders.network = "drillmaster-itest";
  orders.watch_pid = 4242;
  return orders;
}

std::string refusal(const std::vector<std::string>& arguments) {
  try {
    parse_reaper_arguments(arguments);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    return e.what();
  }
  ADD_FAILURE() << "accepted";
  return "";
}

TEST(ReaperProtocol, OrdersSurviveTheCommandLine) {
  ReaperOrders back = parse_reaper_arguments(reaper_arguments(sample()));
  EXPECT_EQ(back.engine.host, "tcp://10.0.0.5:2376");
  EXPECT_EQ(back.engine.api_version, "1.41");
  EXPECT_EQ(back.engine.tls_verify, 1);
  EXPECT_EQ(back.engine.cert_path, "/home/me/.docker certs");
  EXPECT_DOUBLE_EQ(back.engine.timeout, 12.5);
  EXPECT_EQ(back.group, "itest");
  EXPECT_EQ(back.network, "drillmaster-itest");
  EXPECT_EQ(back.watch_pid, 4242);
}

TEST(ReaperProtocol, ADockerContextsTlsFilesAndSkipVerifyReachTheReaper) {
  // A context may hold only some files, and may skip verification: the
  // reaper must connect exactly as the library did, not by cert_path.
  ReaperOrders orders = sample();
  orders.engine.tls = engine::TlsFiles{true, "/ctx/tls/docker/ca.pem", "", "", false};
  ReaperOrders back = parse_reaper_arguments(reaper_arguments(orders));
  ASSERT_TRUE(back.engine.tls.has_value());
  EXPECT_TRUE(back.engine.tls->enabled);
  EXPECT_EQ(back.engine.tls->ca, "/ctx/tls/docker/ca.pem");
  EXPECT_EQ(back.engine.tls->cert, "");
  EXPECT_EQ(back.engine.tls->key, "");
  EXPECT_FALSE(back.engine.tls->verify);
  EXPECT_FALSE(parse_reaper_arguments(reaper_arguments(sample())).engine.tls.has_value());
  std::vector<std::string> bad = reaper_arguments(orders);
  *std::find(bad.begin(), bad.end(), "--tls-verify-peer") = "--tls-colour";
  EXPECT_NE(refusal(bad).find("unknown option --tls-colour"), std::string::npos);
}

TEST(ReaperProtocol, NothingIsLeftToTheReapersEnvironment) {
  // TLS off is said, not left to DOCKER_TLS_VERIFY where the reaper runs.
  ReaperOrders orders = sample();
  orders.engine.tls_verify = 0;
  orders.engine.cert_path = "";
  orders.watch_pid = 0;
  ReaperOrders back = parse_reaper_arguments(reaper_arguments(orders));
  EXPECT_EQ(back.engine.tls_verify, 0);
  EXPECT_EQ(back.watch_pid, 0);
  std::vector<std::string> arguments = reaper_arguments(orders);
  EXPECT_EQ(std::count(arguments.begin(), arguments.end(), "--watch-pid"), 0);
}

TEST(ReaperProtocol, ACommandLineItDoesNotUnderstandIsRefusedNamingTheArgument) {
  std::vector<std::string> good = reaper_arguments(sample());
  std::vector<std::string> unknown = good;
  unknown.insert(unknown.end(), {"--colour", "blue"});
  EXPECT_NE(refusal(unknown).find("unknown option --colour"), std::string::npos);
  EXPECT_NE(
      refusal({"--host", "unix:///x", "--tls", "0", "--group", "g"}).find("--network is missing"),
      std::string::npos);
  EXPECT_NE(refusal({"--host"}).find("--host needs a value"), std::string::npos);
  EXPECT_NE(refusal({"stray"}).find("unexpected argument 'stray'"), std::string::npos);
  std::vector<std::string> twice = good;
  twice.insert(twice.end(), {"--group", "other"});
  EXPECT_NE(refusal(twice).find("--group is given twice"), std::string::npos);
  std::vector<std::string> bad_tls = {"--host",  "h", "--tls",     "yes",
                                      "--group", "g", "--network", "n"};
  EXPECT_NE(refusal(bad_tls).find("--tls takes 0 or 1, not 'yes'"), std::string::npos);
  for (const char* pid : {"0", "-4", "12x", ""}) {
    std::vector<std::string> bad_pid = good;
    bad_pid.insert(bad_pid.end(), {"--watch-pid", pid});
    bad_pid.erase(bad_pid.end() - 4, bad_pid.end() - 2);  // the sample's own --watch-pid
    EXPECT_NE(refusal(bad_pid).find("--watch-pid takes a process id"), std::string::npos) << pid;
  }
}

TEST(ReaperProtocol, ControlLinesMeanWhatTheySayAndNothingElse) {
  EXPECT_EQ(std::string(kKeepLine), "keep\n");
  EXPECT_EQ(watch_line(77), "watch 77\n");
  EXPECT_EQ(parse_control_line("keep").kind, ControlMessage::Kind::Keep);
  ControlMessage watch = parse_control_line("watch 77");
  EXPECT_EQ(watch.kind, ControlMessage::Kind::Watch);
  EXPECT_EQ(watch.pid, 77);
  for (const char* line : {"", "keep ", "KEEP", "kee", "watch", "watch ", "watch 0", "watch -1",
                           "watch 1 2", "watch 99999999999999999999", "remove"})
    EXPECT_EQ(parse_control_line(line).kind, ControlMessage::Kind::Unknown) << line;
}

}  // namespace
}  // namespace dm::orchestrator
