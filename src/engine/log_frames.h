// Demultiplexes the engine's attach/log stream.
//
// Without a TTY the engine prefixes every write of the container with an
// 8-byte header: [stream, 0, 0, 0, size as big-endian uint32]; stream 1 is
// stdout, 2 stderr (0, stdin, is reported as stdout). With a TTY there are no
// headers: the bytes are the terminal's, all on stdout. Chunks from the
// network may split a header or a payload anywhere, so the demuxer keeps what
// it has not delivered yet.
#ifndef DM_ENGINE_LOG_FRAMES_H
#define DM_ENGINE_LOG_FRAMES_H

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/client.h"

namespace dm::engine {

class LogDemuxer {
 public:
  explicit LogDemuxer(bool tty) : tty_(tty) {}

  // Feeds the next chunk; calls `fn` once per complete frame (or once per
  // chunk with a TTY). Returns false as soon as `fn` does.
  bool feed(const char* data, size_t size, const LogFn& fn);

  // Bytes held back waiting for the rest of a frame.
  size_t pending() const { return buffer_.size(); }

 private:
  bool tty_;
  std::string buffer_;
};

// Splits a byte stream into lines for NDJSON answers (build, pull). The
// line ending is dropped; empty lines are skipped.
class LineSplitter {
 public:
  template <typename Fn>
  void feed(const char* data, size_t size, Fn&& fn) {
    buffer_.append(data, size);
    size_t start = 0;
    for (size_t end; (end = buffer_.find('\n', start)) != std::string::npos; start = end + 1) {
      std::string line = buffer_.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) fn(line);
    }
    buffer_.erase(0, start);
  }

  // The last line when the stream did not end with a newline.
  template <typename Fn>
  void finish(Fn&& fn) {
    if (!buffer_.empty()) fn(buffer_);
    buffer_.clear();
  }

 private:
  std::string buffer_;
};

}  // namespace dm::engine

#endif
