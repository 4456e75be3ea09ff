// Published ports: independent services that publish ports start at once and
// each ends up on its own host port (the engine can hand one host port to two
// containers started at the same moment, so drillmaster serialises those
// starts).
#include "support/lifecycle.h"

namespace dm::testing {
namespace {

using Ports = LifecycleTest;

TEST_F(Ports, ParallelServicesEachGetTheirOwnPublishedPort) {
  dm_group* g = new_group("ports");
  const char* httpd[] = {"httpd", "-f", "-p", "80"};
  std::vector<int> ports;
  for (int i = 0; i < 5; i++) {
    dm_service* s = nullptr;
    std::string name = "web" + std::to_string(i);
    ASSERT_EQ(dm_group_add_service(&s, g, name.c_str(), kImage), DM_OK);
    dm_service_set_cmd(s, httpd, 4);
    dm_service_set_stop_signal(s, "SIGKILL");
    ports.push_back(free_port());
    dm_service_add_port(s, "80", ports.back());
  }
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  ReportPtr report;
  ASSERT_EQ(dm_group_status(report.out(), g, client_), DM_OK) << dm_error_last();
  for (size_t i = 0; i < ports.size(); i++) {
    EXPECT_EQ(outcome_of(r, "web" + std::to_string(i)), DM_OUTCOME_STARTED);
    EXPECT_EQ(dm_report_ports(report, i), "0.0.0.0:" + std::to_string(ports[i]) + "->80/tcp");
  }
}

}  // namespace
}  // namespace dm::testing
