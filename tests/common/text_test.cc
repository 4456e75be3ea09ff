// The words of messages: quotes, lists and seconds look the same everywhere.
#include "common/text.h"

#include <gtest/gtest.h>

namespace dm {
namespace {

TEST(Text, QuotedPutsSingleQuotesAround) {
  EXPECT_EQ(quoted("db"), "'db'");
  EXPECT_EQ(quoted(""), "''");
}

TEST(Text, JoinPutsTheSeparatorBetweenItemsOnly) {
  EXPECT_EQ(join({}, ", "), "");
  EXPECT_EQ(join({"a"}, ", "), "a");
  EXPECT_EQ(join({"a", "b", "c"}, " -> "), "a -> b -> c");
  EXPECT_EQ(join({"", ""}, ","), ",");
}

TEST(Text, SecondsAreShownWithoutTrailingZeros) {
  EXPECT_EQ(seconds_text(3), "3");
  EXPECT_EQ(seconds_text(2.5), "2.5");
  EXPECT_EQ(seconds_text(300), "300");
  EXPECT_EQ(seconds_text(0.001), "0.001");
}

}  // namespace
}  // namespace dm
