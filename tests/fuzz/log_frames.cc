// The multiplexed log stream of GET /containers/{id}/logs, in chunks split
// anywhere: every byte delivered once, in order, and never more held back
// than one frame's worth.
#include "engine/log_frames.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  size_t delivered = 0;
  dm::engine::LogDemuxer demuxer(false);
  dm::fuzz::refuse_or_parse([&] {
    dm::fuzz::in_chunks(data, size, [&](const char* chunk, size_t n) {
      demuxer.feed(chunk, n, [&](dm::engine::LogStream, const std::string& payload) {
        delivered += payload.size();
        return true;
      });
      if (demuxer.pending() > dm::engine::kMaxHeldFrame + 8 + 256) std::abort();
    });
    demuxer.finish();
  });
  if (delivered > size) std::abort();  // payload bytes are a part of the input
  return 0;
}
