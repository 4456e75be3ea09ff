// Volume strings ("host:container[:ro|rw]" or parts), as a service's
// definition gives them, and host paths resolved against a directory.
#include "model/volumes.h"
#include "fuzz.h"
#include "model/service.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text = dm::fuzz::text(data, size);
  dm::model::VolumeSpec spec;
  spec.spec = text;
  dm::model::VolumeSpec parts;
  dm::model::split_volume(spec, &parts);
  dm::model::volume_problem(spec);
  dm::model::volume_text(spec);
  // The parts form: the input split at its first two NULs.
  dm::model::VolumeSpec by_parts;
  size_t a = text.find('\0'), b = a == std::string::npos ? a : text.find('\0', a + 1);
  by_parts.host = text.substr(0, a);
  if (a != std::string::npos) by_parts.container = text.substr(a + 1, b - a - 1);
  if (b != std::string::npos) by_parts.mode = text.substr(b + 1);
  dm::model::volume_problem(by_parts);
  dm::model::volume_text(by_parts);
  if (dm::model::is_host_path(parts.host)) dm::model::resolve_path(parts.host, "/srv/app");
  dm::model::resolve_path(text, "/srv/app");
  return 0;
}
