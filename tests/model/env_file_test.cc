// Compose's env-file format, as env_file reads it.
#include "model/env_file.h"

#include <gtest/gtest.h>

namespace dm::model {
namespace {

using Values = std::vector<std::pair<std::string, std::string>>;

TEST(EnvFile, ReadsComposesForms) {
  EnvFileText parsed = parse_env_file(
      "# a comment\n"
      "\n"
      "PLAIN=value\n"
      "  SPACED = padded value  \n"
      "INLINE=value # a comment\n"
      "HASH=value#not a comment\n"
      "EMPTY=\n"
      "export EXPORTED=yes\n"
      "SINGLE='$OTHER \\'quoted\\' # kept'\n"
      "DOUBLE=\"a\\tb\\nc \\\"q\\\" # kept\" # a comment\n"
      "WINDOWS=crlf\r\n");
  EXPECT_EQ(parsed.problems, std::vector<std::string>{});
  EXPECT_EQ(parsed.values, (Values{{"PLAIN", "value"},
                                   {"SPACED", "padded value"},
                                   {"INLINE", "value"},
                                   {"HASH", "value#not a comment"},
                                   {"EMPTY", ""},
                                   {"EXPORTED", "yes"},
                                   {"SINGLE", "$OTHER 'quoted' # kept"},
                                   {"DOUBLE", "a\tb\nc \"q\" # kept"},
                                   {"WINDOWS", "crlf"}}));
}

TEST(EnvFile, NamesTheLinesThatDoNotParse) {
  EnvFileText parsed = parse_env_file("A=1\nNOVALUE\n=x\nB=\"open\nC='x' y\n");
  EXPECT_EQ(parsed.values, (Values{{"A", "1"}}));
  EXPECT_EQ(parsed.problems, (std::vector<std::string>{
                                 "line 2: 'NOVALUE' is not NAME=value",
                                 "line 3: '=x' is not NAME=value",
                                 "line 4: the value's \" is not closed on its line",
                                 "line 5: text after the closing quote: y",
                             }));
}

TEST(EnvFile, RefusesBytesTheEngineWouldChange) {
  std::string text = "GOOD=1\nBAD=\xff\xfe\nNUL=a";
  text += std::string(1, '\0') + "b\nLAST=\xc3\xa9\n";
  EnvFileText parsed = parse_env_file(text);
  EXPECT_EQ(parsed.values, (Values{{"GOOD", "1"}, {"LAST", "\xc3\xa9"}}));
  EXPECT_EQ(parsed.problems, (std::vector<std::string>{
                                 "line 2: it is not UTF-8 text (save the file as UTF-8)",
                                 "line 3: it holds a NUL byte (is this a binary file?)",
                             }));
}

}  // namespace
}  // namespace dm::model
