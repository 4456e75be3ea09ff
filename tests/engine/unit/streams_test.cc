// The build and pull streams apart from the socket: real streams give their
// output and result; an error line, a line that is not a JSON object and an
// endless line are Error::Code::Engine; memory stays bounded.
#include "engine/streams.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"

namespace dm::engine {
namespace {

// From dockerd 20.10: `RUN echo building; echo to-stderr >&2`, then a LABEL.
const char* kBuildOk =
    "{\"stream\":\"Step 1/2 : FROM drillmaster-test/busybox:latest\"}\r\n"
    "{\"stream\":\"\\n\"}\r\n"
    "{\"stream\":\" ---\\u003e f97b3ccff199\\n\"}\r\n"
    "{\"stream\":\"Step 2/2 : RUN echo building\"}\r\n{\"stream\":\"\\n\"}\r\n"
    "{\"stream\":\" ---\\u003e Running in 2f54d610de4c\\n\"}\r\n"
    "{\"stream\":\"\\u001b[91mto-stderr\\n\\u001b[0m\"}\r\n"
    "{\"stream\":\"building\\n\"}\r\n"
    "{\"aux\":{\"ID\":\"sha256:522eba1dbd8a1f171c3e6035b1fde03dcdd77bc973df6b66ae3e223aaf71ab19\"}}"
    "\r\n"
    "{\"stream\":\"Successfully built 522eba1dbd8a\\n\"}\r\n"
    "{\"stream\":\"Successfully tagged dm-corpus-img:1\\n\"}\r\n";

const char* kBuildFails =
    "{\"stream\":\"Step 2/2 : RUN echo failing; exit 3\"}\n{\"stream\":\"\\n\"}\n"
    "{\"stream\":\"failing\\n\"}\n"
    "{\"errorDetail\":{\"code\":3,\"message\":\"The command '/bin/sh -c echo failing; exit 3' "
    "returned a non-zero code: 3\"},\"error\":\"The command '/bin/sh -c echo failing; exit 3' "
    "returned a non-zero code: 3\"}\n";

std::string engine_error_of(BuildStream& stream, const std::string& text) {
  try {
    stream.feed(text.data(), text.size());
    stream.finish();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine);
    return e.what();
  }
  ADD_FAILURE() << "a broken stream passed for a good one";
  return "";
}

TEST(BuildStream, PassesOutputLineByLineAndFindsTheImage) {
  std::vector<std::string> lines;
  BuildStream stream("dm-corpus-img:1", [&](const std::string& l) { lines.push_back(l); });
  std::string text = kBuildOk;
  for (size_t i = 0; i < text.size(); i += 7)  // chunks that split lines anywhere
    stream.feed(text.data() + i, std::min<size_t>(7, text.size() - i));
  stream.finish();
  EXPECT_EQ(stream.id(), "sha256:522eba1dbd8a1f171c3e6035b1fde03dcdd77bc973df6b66ae3e223aaf71ab19");
  ASSERT_GE(lines.size(), 6u);
  EXPECT_EQ(lines[0], "Step 1/2 : FROM drillmaster-test/busybox:latest");
  EXPECT_EQ(lines.back(), "Successfully tagged dm-corpus-img:1");
}

TEST(BuildStream, AnErrorLineFailsTheBuildWithTheBuildersWords) {
  std::vector<std::string> lines;
  BuildStream stream("app:1", [&](const std::string& l) { lines.push_back(l); });
  std::string m = engine_error_of(stream, kBuildFails);
  EXPECT_NE(m.find("build of 'app:1' failed: The command"), std::string::npos) << m;
  EXPECT_EQ(lines.back(), "failing");
}

TEST(BuildStream, ALineThatIsNotAJsonObjectIsAnEngineError) {
  BuildStream a("x", nullptr);
  EXPECT_NE(engine_error_of(a, "{\"stream\":\"ok\\n\"}\n<html>\n").find("POST /build"),
            std::string::npos);
  BuildStream b("x", nullptr);
  EXPECT_NE(engine_error_of(b, "[1,2]\n").find("a line that is a list, not an object"),
            std::string::npos);
  BuildStream c("x", nullptr);  // cut in the middle of the last line
  EXPECT_NE(engine_error_of(c, "{\"stream\":\"ok\\n\"}\n{\"stre").find("not JSON"),
            std::string::npos);
}

TEST(BuildStream, AHugeErrorIsQuotedShort) {
  BuildStream stream("x", nullptr);
  std::string m = engine_error_of(stream, "{\"error\":\"" + std::string(1 << 20, 'e') + "\"}\n");
  EXPECT_LT(m.size(), 500u);
  EXPECT_NE(m.find("(cut: 1048576 bytes in all)"), std::string::npos);
}

TEST(BuildStream, OutputWithoutLineBreaksIsPassedOnInPieces) {
  size_t longest = 0, total = 0;
  BuildStream stream("x", [&](const std::string& l) {
    longest = std::max(longest, l.size());
    total += l.size();
  });
  std::string line = "{\"stream\":\"" + std::string(10000, 'o') + "\"}\n";
  for (int i = 0; i < 100; ++i) stream.feed(line.data(), line.size());
  stream.finish();
  EXPECT_EQ(total, 1000000u);
  EXPECT_LT(longest, 200000u);
}

TEST(BuildStream, AnEndlessLineIsAnEngineErrorNotAnEndlessBuffer) {
  BuildStream stream("x", nullptr);
  std::string chunk(1 << 20, 'a');
  try {
    for (int i = 0; i < 64; ++i) stream.feed(chunk.data(), chunk.size());
    FAIL() << "held 64 MiB without a line break";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine);
    EXPECT_NE(std::string(e.what()).find("a line longer than 16 MiB"), std::string::npos);
  }
}

TEST(PullStream, PassesProgressAndFailsOnAnErrorLine) {
  std::vector<std::string> lines;
  PullStream stream("busybox:1", [&](const std::string& l) { lines.push_back(l); });
  std::string ok =
      "{\"status\":\"Pulling from library/busybox\",\"id\":\"1\"}\n"
      "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":10,\"total\":20},"
      "\"progress\":\"[=>  ] 10B/20B\",\"id\":\"a1b2\"}\n";
  stream.feed(ok.data(), ok.size());
  stream.finish();
  EXPECT_EQ(lines, (std::vector<std::string>{"1: Pulling from library/busybox",
                                             "a1b2: Downloading [=>  ] 10B/20B"}));
  std::string bad =
      "{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}\n";
  try {
    stream.feed(bad.data(), bad.size());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "pull of 'busybox:1' failed: manifest unknown");
  }
}

TEST(PullStream, ALineThatIsNotAJsonObjectIsAnEngineError) {
  PullStream stream("busybox:1", nullptr);
  std::string text = "\"just a string\"\n";
  try {
    stream.feed(text.data(), text.size());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine);
    EXPECT_NE(std::string(e.what()).find("POST /images/create"), std::string::npos);
  }
}

TEST(LineSplitter, JoinsLinesAcrossChunks) {
  std::vector<std::string> got;
  LineSplitter s;
  auto add = [&](const std::string& line) { got.push_back(line); };
  std::string text = "{\"a\":1}\r\n{\"b\":\n2}\n\n{\"c\":3}";
  s.feed(text.data(), 5, add);
  s.feed(text.data() + 5, text.size() - 5, add);
  s.finish(add);
  EXPECT_EQ(got, (std::vector<std::string>{"{\"a\":1}", "{\"b\":", "2}", "{\"c\":3}"}));
}

TEST(LineSplitter, ALongLineInSmallChunksIsScannedOnce) {
  // 8 MB in 100-byte chunks: a splitter that rescanned its buffer on every
  // chunk would read ~320 GB here.
  LineSplitter s;
  std::string chunk(100, 'x');
  size_t lines = 0;
  for (int i = 0; i < 80000; ++i)
    s.feed(chunk.data(), chunk.size(), [&](const std::string&) { ++lines; });
  s.feed("\n", 1, [&](const std::string& line) {
    ++lines;
    EXPECT_EQ(line.size(), 8000000u);
  });
  EXPECT_EQ(lines, 1u);
  EXPECT_EQ(s.pending(), 0u);
}

}  // namespace
}  // namespace dm::engine
