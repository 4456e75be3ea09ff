// Names, ports and signals in their canonical forms.
#include "model/names.h"

#include <gtest/gtest.h>

#include "model/ports.h"
#include "model/signals.h"

namespace dm::model {
namespace {

TEST(DockerName, AcceptsLettersDigitsUnderscoreDotAndDash) {
  EXPECT_TRUE(is_docker_name("demo"));
  EXPECT_TRUE(is_docker_name("My_Group.v2-test"));
  EXPECT_TRUE(is_docker_name("0day"));
}

TEST(DockerName, RejectsEmptyBadFirstCharacterAndOtherCharacters) {
  EXPECT_FALSE(is_docker_name(""));
  EXPECT_FALSE(is_docker_name("-demo"));
  EXPECT_FALSE(is_docker_name("_demo"));
  EXPECT_FALSE(is_docker_name(".demo"));
  EXPECT_FALSE(is_docker_name("a b"));
  EXPECT_FALSE(is_docker_name("a/b"));
  EXPECT_FALSE(is_docker_name("a:b"));
}

TEST(DnsLabel, AcceptsLowerCaseLettersDigitsAndInnerDashes) {
  EXPECT_TRUE(is_dns_label("db"));
  EXPECT_TRUE(is_dns_label("app-db-2"));
  EXPECT_TRUE(is_dns_label("9"));
  EXPECT_TRUE(is_dns_label(std::string(63, 'a')));
}

TEST(DnsLabel, RejectsUpperCaseUnderscoreEdgeDashesAndLongNames) {
  EXPECT_FALSE(is_dns_label(""));
  EXPECT_FALSE(is_dns_label("Db"));
  EXPECT_FALSE(is_dns_label("app_db"));
  EXPECT_FALSE(is_dns_label("-db"));
  EXPECT_FALSE(is_dns_label("db-"));
  EXPECT_FALSE(is_dns_label("app.db"));
  EXPECT_FALSE(is_dns_label(std::string(64, 'a')));
}

TEST(DnsLabel, SuggestsTheNearestLabel) {
  EXPECT_EQ(suggest_dns_label("My_DB"), "my-db");
  EXPECT_EQ(suggest_dns_label("-web server-"), "web-server");
  EXPECT_EQ(suggest_dns_label("a__b"), "a-b");
  EXPECT_EQ(suggest_dns_label(std::string(70, 'A')), std::string(63, 'a'));
  EXPECT_EQ(suggest_dns_label("___"), "");
}

TEST(Suggestion, EditDistance) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("db", "dbb"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("dbb", "appdb"), 4u);
}

TEST(Suggestion, ClosestNameWithinTwoEdits) {
  EXPECT_EQ(closest_name("appbd", {"appdb", "cache"}), "appdb");
  EXPECT_EQ(closest_name("cach", {"appdb", "cache"}), "cache");
  EXPECT_EQ(closest_name("dbb", {"appdb", "cache"}), "");
  // Two edits rewrite a two-letter name completely: not a typo.
  EXPECT_EQ(closest_name("x", {"db"}), "");
}

TEST(Suggestion, SortedList) {
  EXPECT_EQ(sorted_list({"cache", "appdb", "cache", ""}), "appdb, cache");
  EXPECT_EQ(sorted_list({}), "");
}

TEST(CanonicalPort, AddsTcpWhenNoProtocolIsGiven) {
  EXPECT_EQ(canonical_port("80"), "80/tcp");
  EXPECT_EQ(canonical_port("80/tcp"), "80/tcp");
  EXPECT_EQ(canonical_port("53/udp"), "53/udp");
  EXPECT_EQ(canonical_port("0080"), "80/tcp");
}

TEST(CanonicalSignal, AcceptsTheSupportedSignalsInAnyCaseWithOrWithoutSIG) {
  EXPECT_EQ(canonical_signal("SIGTERM"), "SIGTERM");
  EXPECT_EQ(canonical_signal("TERM"), "SIGTERM");
  EXPECT_EQ(canonical_signal("sigint"), "SIGINT");
  EXPECT_EQ(canonical_signal("kill"), "SIGKILL");
  EXPECT_EQ(canonical_signal("SIGQUIT"), "SIGQUIT");
  EXPECT_EQ(canonical_signal("hup"), "SIGHUP");
  EXPECT_EQ(canonical_signal("SIGUSR1"), "SIGUSR1");
  EXPECT_EQ(canonical_signal("usr2"), "SIGUSR2");
}

TEST(CanonicalSignal, IsEmptyForOtherSignals) {
  EXPECT_EQ(canonical_signal("SIGFOO"), "");
  EXPECT_EQ(canonical_signal("SIGSTOP"), "");
  EXPECT_EQ(canonical_signal("15"), "");
  EXPECT_EQ(canonical_signal(""), "");
}

}  // namespace
}  // namespace dm::model
