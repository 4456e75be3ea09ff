// Image references split for POST /images/create: nothing lost, nothing added.
#include "engine/image_ref.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string reference = dm::fuzz::text(data, size);
  dm::engine::ImageRef ref = dm::engine::split_image_reference(reference);
  bool rejoined = ref.name + "@" + ref.tag == reference || ref.name + ":" + ref.tag == reference ||
                  (ref.tag == "latest" && ref.name == reference);
  if (!rejoined) std::abort();
  return 0;
}
