// GET /containers/json answers.
#include "engine/answers.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dm::fuzz::refuse_or_parse([&] { dm::engine::parse_container_list(dm::fuzz::text(data, size)); });
  return 0;
}
