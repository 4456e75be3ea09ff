// Container port strings ("80", "80/tcp", "53/udp").
#include "model/ports.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto port = dm::model::parse_container_port(dm::fuzz::text(data, size));
  if (port && (port->number < 1 || port->number > 65535 ||
               (port->protocol != "tcp" && port->protocol != "udp")))
    std::abort();
  if (size >= 4) {
    int host_port;
    std::memcpy(&host_port, data, sizeof host_port);
    dm::model::is_host_port(host_port);
  }
  return 0;
}
