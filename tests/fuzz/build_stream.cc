// The NDJSON stream of POST /build, in chunks split anywhere.
#include "engine/streams.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  size_t lines = 0;
  dm::engine::BuildStream stream("fuzz:1", [&](const std::string&) { ++lines; });
  dm::fuzz::refuse_or_parse([&] {
    dm::fuzz::in_chunks(data, size, [&](const char* chunk, size_t n) { stream.feed(chunk, n); });
    stream.finish();
  });
  return 0;
}
