#include "engine/log_frames.h"

#include <algorithm>
#include <string_view>

#include "common/error.h"
#include "common/excerpt.h"

namespace dm::engine {

namespace {
constexpr size_t kHeaderSize = 8;
constexpr unsigned char kSystemError = 3;
}  // namespace

bool LogDemuxer::feed(const char* data, size_t size, const LogFn& fn) {
  if (size == 0) return true;
  if (tty_) return fn(LogStream::Stdout, std::string(data, size));

  buffer_.append(data, size);
  size_t offset = 0;
  bool go_on = true;
  while (go_on) {
    size_t available = buffer_.size() - offset;
    if (piece_left_ > 0) {  // the rest of a large frame: pass on what is here
      if (available == 0) break;
      size_t n = static_cast<size_t>(std::min<uint64_t>(piece_left_, available));
      std::string payload = buffer_.substr(offset, n);
      offset += n;
      piece_left_ -= n;
      go_on = fn(piece_stream_, payload);
      continue;
    }
    if (available < kHeaderSize) break;
    const auto* header = reinterpret_cast<const unsigned char*>(buffer_.data() + offset);
    uint32_t length = (uint32_t(header[4]) << 24) | (uint32_t(header[5]) << 16) |
                      (uint32_t(header[6]) << 8) | uint32_t(header[7]);
    if (header[0] > kSystemError)
      throw Error(Error::Code::Engine,
                  "engine answered " + request_ +
                      " with bytes that are not a framed log (a header of stream " +
                      std::to_string(header[0]) + ")");
    bool whole = available - kHeaderSize >= length;
    if (header[0] == kSystemError) {
      if (!whole && length <= kMaxHeldFrame) break;  // the message is still coming
      std::string_view message = std::string_view(buffer_).substr(offset + kHeaderSize, length);
      throw Error(Error::Code::Engine, "engine reported an error while answering " + request_ +
                                           ": " + excerpt(message, length));
    }
    LogStream stream = header[0] == 2 ? LogStream::Stderr : LogStream::Stdout;
    if (!whole) {
      if (length <= kMaxHeldFrame) break;  // payload still coming: deliver it whole
      offset += kHeaderSize;               // too large to hold: deliver it as it comes
      piece_stream_ = stream;
      piece_left_ = length;
      continue;
    }
    std::string payload = buffer_.substr(offset + kHeaderSize, length);
    offset += kHeaderSize + length;
    if (!payload.empty()) go_on = fn(stream, payload);
  }
  buffer_.erase(0, offset);
  return go_on;
}

void LogDemuxer::finish() const {
  if (tty_) return;
  if (piece_left_ > 0 || !buffer_.empty())
    throw Error(Error::Code::Engine,
                "engine answered " + request_ + " with a log cut inside a frame (" +
                    std::to_string(piece_left_ > 0 ? piece_left_ : buffer_.size()) +
                    " bytes missing or left over)");
}

}  // namespace dm::engine
