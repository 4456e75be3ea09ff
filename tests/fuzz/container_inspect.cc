// GET /containers/{id}/json answers, and where a published port of the
// container they describe is (engine/published.h), whatever ports they list.
#include "engine/answers.h"
#include "engine/published.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const dm::engine::Address local =
      dm::engine::parse_address("unix:///var/run/docker.sock", false);
  dm::fuzz::refuse_or_parse([&] {
    dm::engine::ContainerInfo info =
        dm::engine::parse_container_inspect(dm::fuzz::text(data, size));
    dm::engine::connect_address(info, "80/tcp", local, "fuzzed");
  });
  return 0;
}
