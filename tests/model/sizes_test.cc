// Compose's byte values, the one parser of shm_size and mem_limit.
#include "model/sizes.h"

#include <gtest/gtest.h>

namespace dm::model {
namespace {

TEST(ParseBytes, PlainBytes) {
  EXPECT_EQ(parse_bytes("0"), 0);
  EXPECT_EQ(parse_bytes("1073741824"), 1073741824);
}

TEST(ParseBytes, UnitsArePowersOf1024InAnyCase) {
  EXPECT_EQ(parse_bytes("512k"), 512 * 1024);
  EXPECT_EQ(parse_bytes("64m"), 64 * 1024 * 1024);
  EXPECT_EQ(parse_bytes("64M"), 64 * 1024 * 1024);
  EXPECT_EQ(parse_bytes("1g"), int64_t{1} << 30);
  EXPECT_EQ(parse_bytes("2gb"), int64_t{2} << 30);
  EXPECT_EQ(parse_bytes("100MiB"), int64_t{100} << 20);
  EXPECT_EQ(parse_bytes("1t"), int64_t{1} << 40);
  EXPECT_EQ(parse_bytes("1p"), int64_t{1} << 50);
  EXPECT_EQ(parse_bytes("10b"), 10);
}

TEST(ParseBytes, Fractions) {
  EXPECT_EQ(parse_bytes("1.5g"), (int64_t{3} << 30) / 2);
  EXPECT_EQ(parse_bytes("0.5k"), 512);
}

TEST(ParseBytes, RejectsGarbageNegativesAndOverflow) {
  for (const char* text : {"", "-1", "-1g", "g", "1x", "1 g", "1.", ".5g", "1gg", "1ib", "64 m",
                           "+5", "99999999999p", "1e3"})
    EXPECT_EQ(parse_bytes(text), std::nullopt) << text;
}

}  // namespace
}  // namespace dm::model
