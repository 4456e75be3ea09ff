// Shared by the libFuzzer targets of tests/fuzz (see README.md, "Fuzzing").
//
// Each target feeds outside input (an engine answer, a stream, a
// .dockerignore, an address...) to one parser. A dm::Error is the expected
// way to refuse input; any other exception escapes and libFuzzer reports it
// as a crash, as it does ASan and UBSan findings. Messages must stay short
// whatever the input: only a few hundred bytes of it may be quoted.
#ifndef DM_TESTS_FUZZ_FUZZ_H
#define DM_TESTS_FUZZ_FUZZ_H

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "common/error.h"

namespace dm::fuzz {

// Our words around a quote of at most ~300 bytes of input, and a request or
// a field name: far below this.
constexpr size_t kMaxMessage = 1000;

inline std::string text(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// Fails the run (as a crash) when a refusal's message is too long.
inline void check_message(const Error& e) {
  size_t length = std::strlen(e.what());
  if (length > kMaxMessage) {
    std::fprintf(stderr, "message of %zu bytes: %.2000s\n", length, e.what());
    std::abort();
  }
}

// Runs `parse`, accepting a dm::Error with a short message.
template <typename F>
void refuse_or_parse(F&& parse) {
  try {
    parse();
  } catch (const Error& e) {
    check_message(e);
  }
}

// Splits the input into network-like chunks: the first byte sets the chunk
// size (1-256), so the fuzzer explores where chunks split lines and frames.
template <typename F>
void in_chunks(const uint8_t* data, size_t size, F&& feed) {
  if (size == 0) return;
  size_t chunk = static_cast<size_t>(data[0]) + 1;
  ++data, --size;
  for (size_t i = 0; i < size; i += chunk)
    feed(reinterpret_cast<const char*>(data + i), size - i < chunk ? size - i : chunk);
}

}  // namespace dm::fuzz

#endif
