// Demultiplexes the engine's attach/log stream.
//
// Without a TTY the engine prefixes every write of the container with an
// 8-byte header: [stream, 0, 0, 0, size as big-endian uint32]; stream 1 is
// stdout, 2 stderr (0, stdin, is reported as stdout), and 3 carries an error
// of the engine itself. With a TTY there are no headers: the bytes are the
// terminal's, all on stdout. Chunks from the network may split a header or a
// payload anywhere, so the demuxer keeps what it has not delivered yet; a
// frame larger than kMaxHeldFrame is delivered in pieces as it arrives, so a
// header claiming 4 GiB cannot make it hold 4 GiB.
#ifndef DM_ENGINE_LOG_FRAMES_H
#define DM_ENGINE_LOG_FRAMES_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "engine/client.h"

namespace dm::engine {

constexpr size_t kMaxHeldFrame = 1 << 20;

class LogDemuxer {
 public:
  // `request` names the answer in errors: "GET /containers/abc/logs".
  explicit LogDemuxer(bool tty, std::string request = "GET /containers/{id}/logs")
      : tty_(tty), request_(std::move(request)) {}

  // Feeds the next chunk; calls `fn` once per complete frame (or once per
  // chunk with a TTY; a frame over kMaxHeldFrame in pieces). Returns false
  // as soon as `fn` does. Throws Error::Code::Engine for a header of an unknown stream
  // (the bytes are not a framed log) and for an error the engine reports in
  // the stream.
  bool feed(const char* data, size_t size, const LogFn& fn);

  // At the end of the answer: Error::Code::Engine when it stopped inside a frame.
  void finish() const;

  // Bytes held back waiting for the rest of a frame.
  size_t pending() const { return buffer_.size(); }

 private:
  bool tty_;
  std::string request_;
  std::string buffer_;
  // The frame being delivered in pieces: its stream and the bytes still to come.
  LogStream piece_stream_ = LogStream::Stdout;
  uint64_t piece_left_ = 0;
};

}  // namespace dm::engine

#endif
