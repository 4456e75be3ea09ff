#include "engine/log_frames.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "common/error.h"

namespace dm::engine {
namespace {

std::string frame(int stream, const std::string& payload) {
  std::string out(8, '\0');
  out[0] = static_cast<char>(stream);
  uint32_t n = static_cast<uint32_t>(payload.size());
  out[4] = static_cast<char>(n >> 24);
  out[5] = static_cast<char>(n >> 16);
  out[6] = static_cast<char>(n >> 8);
  out[7] = static_cast<char>(n);
  return out + payload;
}

using Pieces = std::vector<std::pair<LogStream, std::string>>;

LogFn collect(Pieces* pieces) {
  return [pieces](LogStream s, const std::string& data) {
    if (pieces) pieces->emplace_back(s, data);
    return true;
  };
}

TEST(LogDemuxer, SeveralFramesInOneChunk) {
  Pieces got;
  LogDemuxer d(false);
  std::string chunk = frame(1, "out\n") + frame(2, "err\n") + frame(1, "more\n");
  EXPECT_TRUE(d.feed(chunk.data(), chunk.size(), collect(&got)));
  Pieces want = {
      {LogStream::Stdout, "out\n"}, {LogStream::Stderr, "err\n"}, {LogStream::Stdout, "more\n"}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(d.pending(), 0u);
}

TEST(LogDemuxer, FramesSplitAnywhere) {
  std::string stream =
      frame(1, "hello world\n") + frame(2, "oops\n") + frame(1, std::string(300, 'x'));
  // Every split point, and byte-by-byte, gives the same frames.
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    Pieces got;
    LogDemuxer d(false);
    d.feed(stream.data(), cut, collect(&got));
    d.feed(stream.data() + cut, stream.size() - cut, collect(&got));
    ASSERT_EQ(got.size(), 3u) << "cut at " << cut;
    EXPECT_EQ(got[0].second, "hello world\n");
    EXPECT_EQ(got[1].first, LogStream::Stderr);
    EXPECT_EQ(got[2].second, std::string(300, 'x'));
  }
  Pieces got;
  LogDemuxer d(false);
  for (char c : stream) d.feed(&c, 1, collect(&got));
  EXPECT_EQ(got.size(), 3u);
}

TEST(LogDemuxer, HeaderSizeIsBigEndian) {
  std::string big(70000, 'y');  // needs the third size byte
  std::string chunk = frame(2, big);
  Pieces got;
  LogDemuxer d(false);
  d.feed(chunk.data(), chunk.size(), collect(&got));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].second.size(), 70000u);
}

TEST(LogDemuxer, TtyIsRawStdout) {
  Pieces got;
  LogDemuxer d(true);
  std::string raw = "\x01\x00 not a header";
  d.feed(raw.data(), raw.size(), collect(&got));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].first, LogStream::Stdout);
  EXPECT_EQ(got[0].second, raw);
}

TEST(LogDemuxer, StopsWhenTheCallbackSaysSo) {
  std::string chunk = frame(1, "a") + frame(1, "b");
  int calls = 0;
  LogDemuxer d(false);
  EXPECT_FALSE(d.feed(chunk.data(), chunk.size(), [&](LogStream, const std::string&) {
    ++calls;
    return false;
  }));
  EXPECT_EQ(calls, 1);
}

TEST(LogDemuxer, AHeaderOfAnUnknownStreamMeansTheBytesAreNotFramed) {
  std::string text = "{\"Id\": \"not a log\"}";  // '{' is no stream
  LogDemuxer d(false, "GET /containers/abc/logs");
  try {
    d.feed(text.data(), text.size(), collect(nullptr));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine);
    EXPECT_NE(std::string(e.what()).find("GET /containers/abc/logs"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("not a framed log"), std::string::npos);
  }
}

TEST(LogDemuxer, AnErrorTheEngineSendsInTheStreamIsAnEngineError) {
  Pieces got;
  std::string chunk = frame(1, "before\n") + frame(3, "error from daemon in stream: oops");
  LogDemuxer d(false);
  try {
    d.feed(chunk.data(), chunk.size(), collect(&got));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine);
    EXPECT_NE(std::string(e.what()).find("error from daemon in stream: oops"), std::string::npos);
  }
  EXPECT_EQ(got.size(), 1u);
}

TEST(LogDemuxer, AFrameOfAHugeDeclaredSizeIsPassedOnAsItComesNotHeld) {
  // A header claiming 4 GiB, then 3 MiB of payload: never 4 GiB in memory.
  std::string header = frame(2, "");
  header[4] = header[5] = header[6] = header[7] = '\xFF';
  Pieces got;
  LogDemuxer d(false);
  d.feed(header.data(), header.size(), collect(&got));
  std::string chunk(65536, 'p');
  size_t delivered = 0;
  for (int i = 0; i < 48; ++i) {
    d.feed(chunk.data(), chunk.size(), collect(&got));
    EXPECT_LE(d.pending(), kMaxHeldFrame + chunk.size());
  }
  for (const auto& piece : got) {
    EXPECT_EQ(piece.first, LogStream::Stderr);
    delivered += piece.second.size();
  }
  EXPECT_GT(delivered, 0u);
  EXPECT_THROW(d.finish(), Error);  // the stream ended inside that frame
}

TEST(LogDemuxer, AStreamCutInsideAFrameIsAnEngineErrorAtTheEnd) {
  std::string text = frame(1, "whole\n") + frame(1, "cut short").substr(0, 11);
  Pieces got;
  LogDemuxer d(false);
  d.feed(text.data(), text.size(), collect(&got));
  EXPECT_EQ(got.size(), 1u);
  EXPECT_THROW(d.finish(), Error);
  LogDemuxer whole(false);
  std::string fine = frame(1, "a");
  whole.feed(fine.data(), fine.size(), collect(&got));
  EXPECT_NO_THROW(whole.finish());
}

}  // namespace
}  // namespace dm::engine
