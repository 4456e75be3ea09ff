// The streamed NDJSON answers of POST /build, POST /images/create and POST
// /images/{name}/push.
//
// Both answer 200 at once and then send one JSON object a line; a failure
// arrives as an "error"/"errorDetail" line inside the stream, never as a
// status, so every line is checked. A line that is not a JSON object is
// Error::Code::Engine too (the docker CLI also stops there): a stream cut short or
// garbled must not pass for a finished build or pull.
//
// Memory stays bounded whatever the engine sends: a line longer than
// kMaxStreamLine is an error, and build output without line breaks is passed
// on in pieces.
#ifndef DM_ENGINE_STREAMS_H
#define DM_ENGINE_STREAMS_H

#include <cstddef>
#include <string>

#include "engine/client.h"

namespace dm::engine {

constexpr size_t kMaxStreamLine = 16 << 20;

// Splits a byte stream into lines. The line ending ("\n" or "\r\n") is
// dropped; empty lines are skipped.
class LineSplitter {
 public:
  template <typename Fn>
  void feed(const char* data, size_t size, Fn&& fn) {
    buffer_.append(data, size);
    size_t start = 0;
    // Only the new bytes can hold the next line break: a long line arriving
    // in many small chunks is scanned once, not once per chunk.
    for (size_t end; (end = buffer_.find('\n', scanned_)) != std::string::npos;
         start = scanned_ = end + 1) {
      std::string line = buffer_.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) fn(line);
    }
    buffer_.erase(0, start);
    scanned_ = buffer_.size();
  }

  // The last line when the stream did not end with a line break.
  template <typename Fn>
  void finish(Fn&& fn) {
    std::string rest;
    rest.swap(buffer_);
    scanned_ = 0;
    if (!rest.empty() && rest.back() == '\r') rest.pop_back();
    if (!rest.empty()) fn(rest);
  }

  // Bytes of a line not yet complete.
  size_t pending() const { return buffer_.size(); }

 private:
  std::string buffer_;
  size_t scanned_ = 0;
};

// POST /build (the classic builder): passes the console output on line by
// line and finds the built image's id ("aux" ID, or "Successfully built").
class BuildStream {
 public:
  BuildStream(std::string tag, LineFn on_output, std::string request = "POST /build");

  // Feeds the next chunk of the answer. Throws Error::Code::Engine for an error line
  // ("build of 'tag' failed: ...") or a malformed one.
  void feed(const char* data, size_t size);
  // At the end of the answer: the last line, and output still held back.
  void finish();

  // The image id, "" when the stream named none.
  const std::string& id() const { return id_; }

 private:
  void line(const std::string& text);
  void emit(const std::string& line);
  void flush();

  std::string tag_;
  LineFn out_;
  std::string request_;
  LineSplitter lines_;
  std::string pending_;  // console text after the last line break
  std::string id_;
};

// POST /images/create, and POST /images/{name}/push (whose stream has the
// same shape): passes progress on as "id: status progress" lines.
class PullStream {
 public:
  // `verb` names the transfer in errors: "pull", "push".
  PullStream(std::string reference, LineFn on_progress, std::string request = "POST /images/create",
             std::string verb = "pull");

  // As BuildStream: Error::Code::Engine "pull of 'ref' failed: ..." for an error line.
  void feed(const char* data, size_t size);
  void finish();

 private:
  void line(const std::string& text);

  std::string reference_;
  LineFn out_;
  std::string request_;
  std::string verb_;
  LineSplitter lines_;
};

}  // namespace dm::engine

#endif
