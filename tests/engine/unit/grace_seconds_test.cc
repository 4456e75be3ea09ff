// The engine takes a stop's grace period in whole seconds: a fraction is
// rounded up (a container never gets less time than it was given), and what
// an int cannot carry is clamped instead of overflowing.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "engine/client.h"

namespace dm::engine {
namespace {

TEST(WholeGraceSeconds, AFractionIsRoundedUp) {
  EXPECT_EQ(whole_grace_seconds(0.2), 1);
  EXPECT_EQ(whole_grace_seconds(2.5), 3);
  EXPECT_EQ(whole_grace_seconds(9.000001), 10);
}

TEST(WholeGraceSeconds, WholeSecondsStayAsTheyAre) {
  EXPECT_EQ(whole_grace_seconds(0), 0);
  EXPECT_EQ(whole_grace_seconds(1), 1);
  EXPECT_EQ(whole_grace_seconds(10), 10);
}

TEST(WholeGraceSeconds, NothingBelowZeroOrUnreadableKillsAtOnce) {
  EXPECT_EQ(whole_grace_seconds(-1), 0);
  EXPECT_EQ(whole_grace_seconds(-0.5), 0);
  EXPECT_EQ(whole_grace_seconds(std::nan("")), 0);
  EXPECT_EQ(whole_grace_seconds(-std::numeric_limits<double>::infinity()), 0);
}

TEST(WholeGraceSeconds, MoreThanAnIntHoldsIsClamped) {
  constexpr int most = std::numeric_limits<int>::max();
  EXPECT_EQ(whole_grace_seconds(1e300), most);
  EXPECT_EQ(whole_grace_seconds(std::numeric_limits<double>::infinity()), most);
}

}  // namespace
}  // namespace dm::engine
