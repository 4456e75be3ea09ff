// Where a program on this machine connects to a published port
// (dm_client_host_port) and which ports a status report lists
// (dm_report_published), against the real engine: a port the engine picked
// is a real listening port, also for a ping hook while the start runs; a fixed
// port is the one asked for; a port not published, a stopped container and a
// missing one are DM_ENOTFOUND with a message naming them.
#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>
#include <set>

#include "support/lifecycle.h"

namespace dm::testing {
namespace {

using HostPort = LifecycleTest;

#define EXPECT_HAS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

// One HTTP request to host:port; the answer's first bytes, "" when nothing
// answered (not listening yet, or the connection was closed at once: a
// published port accepts before the server inside the container listens).
std::string http_get(const std::string& host, int port) {
  addrinfo hints{}, *found = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return "";
  int fd = socket(found->ai_family, SOCK_STREAM, 0);
  timeval limit{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  std::string answer;
  if (connect(fd, found->ai_addr, found->ai_addrlen) == 0) {
    const char request[] = "GET / HTTP/1.0\r\n\r\n";
    if (send(fd, request, sizeof request - 1, MSG_NOSIGNAL) > 0) {
      char buffer[64];
      ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n > 0) answer.assign(buffer, static_cast<size_t>(n));
    }
  }
  close(fd);
  freeaddrinfo(found);
  return answer;
}

// http_get() until something answers or `seconds` pass (a generous bound).
std::string http_answer(const std::string& host, int port, double seconds = 30) {
  double until = monotonic_seconds() + seconds;
  std::string answer;
  while ((answer = http_get(host, port)).empty() && monotonic_seconds() < until) usleep(100000);
  return answer;
}

// A service serving HTTP on container port 80, published on `host_port` (0:
// the engine picks).
dm_service* add_web(dm_group* group, const std::string& name, int host_port) {
  dm_service* s = nullptr;
  EXPECT_EQ(dm_group_add_service(&s, group, name.c_str(), kImage), DM_OK) << dm_error_last();
  const char* httpd[] = {"httpd", "-f", "-p", "80"};
  dm_service_set_cmd(s, httpd, 4);
  dm_service_set_stop_signal(s, "SIGKILL");
  dm_service_add_port(s, "80", host_port);
  return s;
}

struct Address {
  int status = DM_OK;
  std::string host;
  int port = 0;
  std::string error;
};

Address host_port(dm_client* client, const std::string& container, const char* port) {
  char* host = nullptr;
  Address a;
  a.status = dm_client_host_port(client, container.c_str(), port, &host, &a.port);
  if (host) a.host = host;
  if (a.status != DM_OK) {
    a.error = dm_error_last();
    EXPECT_EQ(host, nullptr);
    EXPECT_EQ(a.port, 0);
  }
  dm_free(host);
  return a;
}

// (container port, host ip, host port) of each binding the report lists for `index`.
std::vector<std::tuple<std::string, std::string, int>> bindings(const dm_report* report,
                                                                size_t index) {
  std::vector<std::tuple<std::string, std::string, int>> out;
  for (size_t i = 0; i < dm_report_published_count(report, index); i++) {
    const char *port = nullptr, *ip = nullptr;
    int host_port = -1;
    EXPECT_EQ(dm_report_published(report, index, i, &port, &ip, &host_port), DM_OK);
    out.emplace_back(port, ip, host_port);
  }
  return out;
}

TEST_F(HostPort, AFreePortIsARealListeningPortAndAFixedOneIsTheOneAsked) {
  dm_group* g = new_group("hostport");
  add_web(g, "free", 0);
  int fixed_port = free_port();
  add_web(g, "fixed", fixed_port);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << describe(r);
  std::string free_id = container_of(r, "free");

  Address a = host_port(client_, free_id, "80");
  ASSERT_EQ(a.status, DM_OK) << a.error;
  EXPECT_EQ(a.host, "127.0.0.1");  // the engine is local: a unix socket
  EXPECT_GT(a.port, 0);
  EXPECT_EQ(http_answer(a.host, a.port).rfind("HTTP/1.", 0), 0u);
  // The same by name and with the protocol written out.
  Address by_name = host_port(client_, group_name(g) + "-free-1", "80/tcp");
  EXPECT_EQ(by_name.host, a.host);
  EXPECT_EQ(by_name.port, a.port);

  Address fixed = host_port(client_, container_of(r, "fixed"), "80");
  ASSERT_EQ(fixed.status, DM_OK) << fixed.error;
  EXPECT_EQ(fixed.host, "127.0.0.1");
  EXPECT_EQ(fixed.port, fixed_port);
  EXPECT_EQ(http_answer(fixed.host, fixed.port).rfind("HTTP/1.", 0), 0u);

  // The report lists each binding; IPv4's first, with the port host_port gave.
  ReportPtr report;
  ASSERT_EQ(dm_group_status(report.out(), g, client_), DM_OK) << dm_error_last();
  auto listed = bindings(report, 0);
  ASSERT_FALSE(listed.empty());
  EXPECT_EQ(listed[0], std::make_tuple(std::string("80/tcp"), std::string("0.0.0.0"), a.port));
  for (const auto& [port, ip, host_port] : listed) EXPECT_EQ(port, "80/tcp") << ip << host_port;
  EXPECT_EQ(std::get<2>(bindings(report, 1).at(0)), fixed_port);
}

TEST_F(HostPort, WhatIsNotPublishedIsNotFoundWithTheReason) {
  dm_group* g = new_group("hostport-nf");
  add_web(g, "web", 0);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << describe(r);
  std::string id = container_of(r, "web");
  std::string name = group_name(g) + "-web-1";
  Address a = host_port(client_, id, "80");
  ASSERT_EQ(a.status, DM_OK) << a.error;

  Address unpublished = host_port(client_, id, "6000");
  EXPECT_EQ(unpublished.status, DM_ENOTFOUND);
  EXPECT_EQ(unpublished.error, "container '" + name + "' does not publish 6000/tcp (published: " +
                                   "80/tcp on host port " + std::to_string(a.port) +
                                   "); add it to the service's ports");
  Address udp = host_port(client_, id, "80/udp");
  EXPECT_EQ(udp.status, DM_ENOTFOUND);
  EXPECT_HAS(udp.error, "does not publish 80/udp");

  Address bad = host_port(client_, id, "http");
  EXPECT_EQ(bad.status, DM_EINVALID);
  EXPECT_HAS(bad.error, "container port 'http' is not a port");
  EXPECT_EQ(host_port(client_, id, "0").status, DM_EINVALID);
  EXPECT_EQ(host_port(client_, id, "80/sctp").status, DM_EINVALID);

  Address missing = host_port(client_, name + "-nothing", "80");
  EXPECT_EQ(missing.status, DM_ENOTFOUND);
  EXPECT_HAS(missing.error, "container '" + name + "-nothing' does not exist");
  EXPECT_HAS(missing.error, "80/tcp");

  ASSERT_EQ(stop(g, r.out(), false), DM_OK) << describe(r);
  Address stopped = host_port(client_, id, "80");
  EXPECT_EQ(stopped.status, DM_ENOTFOUND);
  EXPECT_EQ(stopped.error, "container '" + name +
                               "' is not running (exited), so it publishes no ports and 80/tcp "
                               "has no host port; start it first");
  ReportPtr report;
  ASSERT_EQ(dm_group_status(report.out(), g, client_), DM_OK) << dm_error_last();
  EXPECT_EQ(dm_report_published_count(report, 0), 0u);
}

TEST_F(HostPort, AfterARestartTheAnswerIsThePortTheContainerHasNow) {
  // The engine picks a free port again at each start (dockerd 20.10 picks
  // the next one); whatever it picked, host_port and the report say it.
  dm_group* g = new_group("hostport-re");
  add_web(g, "web", 0);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << describe(r);
  std::string id = container_of(r, "web");
  ASSERT_EQ(stop(g, r.out(), false), DM_OK) << describe(r);
  ASSERT_EQ(start(g, r.out()), DM_OK) << describe(r);
  EXPECT_EQ(outcome_of(r, "web"), DM_OUTCOME_RESTARTED);  // the same container, not recreated
  EXPECT_EQ(container_of(r, "web"), id);
  Address a = host_port(client_, id, "80");
  ASSERT_EQ(a.status, DM_OK) << a.error;
  EXPECT_EQ(http_answer(a.host, a.port).rfind("HTTP/1.", 0), 0u);
  ReportPtr report;
  ASSERT_EQ(dm_group_status(report.out(), g, client_), DM_OK) << dm_error_last();
  EXPECT_EQ(std::get<2>(bindings(report, 0).at(0)), a.port);
}

// A ping that asks where its own container's port is and is ready once an
// HTTP server answers there: the question works from a hook, mid-start.
struct PingProbe {
  dm_client* client = nullptr;
  std::atomic<int> answered{0};
  std::string last_error;
};

int ping_over_published_port(const dm_hook_info* info, void* user_data) {
  auto* probe = static_cast<PingProbe*>(user_data);
  char* host = nullptr;
  int port = 0;
  if (dm_client_host_port(probe->client, info->container_id, "80", &host, &port) != DM_OK) {
    probe->last_error = dm_error_last();
    dm_error_set(probe->last_error.c_str());
    return -1;
  }
  std::string answer = http_get(host, port);
  dm_free(host);
  if (answer.rfind("HTTP/1.", 0) != 0) return DM_PING_NOT_READY;
  probe->answered++;
  return DM_PING_READY;
}

TEST_F(HostPort, AHookAsksWhileTheStartRuns) {
  dm_group* g = new_group("hostport-hook");
  PingProbe probe;
  probe.client = client_;
  for (const char* name : {"a", "b", "c"})
    dm_service_set_ping(add_web(g, name, 0), ping_over_published_port, &probe);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << describe(r) << probe.last_error;
  EXPECT_EQ(probe.answered.load(), 3);
  std::set<int> ports;
  for (const char* name : {"a", "b", "c"})
    ports.insert(host_port(client_, container_of(r, name), "80").port);
  EXPECT_EQ(ports.size(), 3u);  // each its own
}

TEST_F(HostPort, ArgumentsAreChecked) {
  char* host = reinterpret_cast<char*>(1);
  int port = -1;
  EXPECT_EQ(dm_client_host_port(nullptr, "x", "80", &host, &port), DM_EINVALID);
  EXPECT_STREQ(dm_error_last(), "dm_client_host_port: client is NULL");
  EXPECT_EQ(host, nullptr);
  EXPECT_EQ(port, 0);
  EXPECT_EQ(dm_client_host_port(client_, nullptr, "80", &host, &port), DM_EINVALID);
  EXPECT_STREQ(dm_error_last(), "dm_client_host_port: container is NULL");
  EXPECT_EQ(dm_client_host_port(client_, "x", nullptr, &host, &port), DM_EINVALID);
  EXPECT_STREQ(dm_error_last(), "dm_client_host_port: container_port is NULL");
  EXPECT_EQ(dm_client_host_port(client_, "", "80", &host, &port), DM_EINVALID);
  EXPECT_STREQ(dm_error_last(),
               "dm_client_host_port: container is empty; give a container's id or name");
  // Out-parameters may be NULL: the question is still asked.
  EXPECT_EQ(dm_client_host_port(client_, "dmt-no-such-container-x", "80", nullptr, nullptr),
            DM_ENOTFOUND);

  const char* text = "unset";
  EXPECT_EQ(dm_report_published(nullptr, 0, 0, &text, nullptr, &port), DM_EINVALID);
  EXPECT_STREQ(dm_error_last(), "dm_report_published: report is NULL");
  EXPECT_STREQ(text, "");
  EXPECT_EQ(dm_report_published_count(nullptr, 0), 0u);
}

}  // namespace
}  // namespace dm::testing
