// The body of an error answer (any status the engine or a proxy sends), as
// quoted in messages: short, one line, no raw control bytes.
#include "common/excerpt.h"
#include "engine/answers.h"
#include "fuzz.h"

namespace {

void check_quote(const std::string& quote) {
  if (quote.size() > dm::kQuoteLimit + 64) {
    std::fprintf(stderr, "a quote of %zu bytes\n", quote.size());
    std::abort();
  }
  for (unsigned char c : quote)
    if (c < 0x20 || c == 0x7F) {
      std::fprintf(stderr, "a raw control byte 0x%02x in a quote\n", c);
      std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body = dm::fuzz::text(data, size);
  check_quote(dm::engine::error_message(body));
  check_quote(dm::engine::error_message(body, body.size() + 52428800));
  check_quote(dm::excerpt(body));
  return 0;
}
