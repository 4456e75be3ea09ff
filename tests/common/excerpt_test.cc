// Engine text quoted in messages: short, on one line, printable, and marked
// when cut.
#include "common/excerpt.h"

#include <gtest/gtest.h>

namespace dm {
namespace {

TEST(Excerpt, ShortTextIsQuotedAsItIs) {
  EXPECT_EQ(excerpt("No such image: x"), "No such image: x");
  EXPECT_EQ(excerpt("caf\xC3\xA9 \xE2\x9C\x93"), "caf\xC3\xA9 \xE2\x9C\x93");  // UTF-8 stays
  EXPECT_EQ(excerpt(""), "");
}

TEST(Excerpt, LongTextIsCutAndSaysHowLongItWas) {
  std::string quoted = excerpt(std::string(52428800, 'm'));
  EXPECT_EQ(quoted, std::string(kQuoteLimit, 'm') + "\xE2\x80\xA6 (cut: 52428800 bytes in all)");
  // Already only the beginning of a longer text (the transport keeps 64 KiB).
  EXPECT_EQ(excerpt("abc", 52428800), "abc\xE2\x80\xA6 (cut: 52428800 bytes in all)");
}

TEST(Excerpt, OneLineAndNoRawControlBytes) {
  EXPECT_EQ(excerpt("line one\r\n\r\n  line two\n"), "line one line two");
  EXPECT_EQ(excerpt(std::string("a\0b\x1b[31m", 8)), "a\\x00b\\x1b[31m");
  EXPECT_EQ(excerpt("\xFF\xC3"), "\\xff\\xc3");           // not UTF-8
  EXPECT_EQ(excerpt("\xED\xA0\x80"), "\\xed\\xa0\\x80");  // a surrogate
  EXPECT_EQ(excerpt("\xC0\xAF"), "\\xc0\\xaf");           // overlong
}

TEST(Excerpt, EscapingCannotMakeTheQuoteLong) {
  std::string binary(100000, '\x01');
  std::string quoted = excerpt(binary);
  EXPECT_LT(quoted.size(), kQuoteLimit + 50);
  EXPECT_NE(quoted.find("(cut: 100000 bytes in all)"), std::string::npos);
}

TEST(Excerpt, ACharacterIsNeverSplit) {
  std::string text = std::string(kQuoteLimit - 1, 'a') + "\xE2\x9C\x93" + "tail";
  std::string quoted = excerpt(text);
  EXPECT_EQ(quoted.substr(0, kQuoteLimit - 1), std::string(kQuoteLimit - 1, 'a'));
  EXPECT_EQ(quoted.substr(kQuoteLimit - 1, 3), "\xE2\x80\xA6");  // the cut mark, not half a ✓
}

}  // namespace
}  // namespace dm
