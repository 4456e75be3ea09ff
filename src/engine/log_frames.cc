#include "engine/log_frames.h"

namespace dm::engine {

namespace {
constexpr size_t kHeaderSize = 8;
}

bool LogDemuxer::feed(const char* data, size_t size, const LogFn& fn) {
  if (size == 0) return true;
  if (tty_) return fn(LogStream::Stdout, std::string(data, size));

  buffer_.append(data, size);
  size_t offset = 0;
  bool go_on = true;
  while (go_on && buffer_.size() - offset >= kHeaderSize) {
    const auto* header = reinterpret_cast<const unsigned char*>(buffer_.data() + offset);
    uint32_t length = (uint32_t(header[4]) << 24) | (uint32_t(header[5]) << 16) |
                      (uint32_t(header[6]) << 8) | uint32_t(header[7]);
    if (buffer_.size() - offset - kHeaderSize < length) break;  // payload still coming
    LogStream stream = header[0] == 2 ? LogStream::Stderr : LogStream::Stdout;
    std::string payload = buffer_.substr(offset + kHeaderSize, length);
    offset += kHeaderSize + length;
    if (!payload.empty()) go_on = fn(stream, payload);
  }
  buffer_.erase(0, offset);
  return go_on;
}

}  // namespace dm::engine
