// DOCKER_HOST addresses.
#include "engine/client.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text = dm::fuzz::text(data, size);
  for (bool tls : {false, true}) {
    dm::fuzz::refuse_or_parse([&] {
      dm::engine::Address address = dm::engine::parse_address(text, tls);
      if (address.kind == dm::engine::Address::Kind::Tcp &&
          (address.port < 1 || address.port > 65535 || address.host.empty()))
        std::abort();
      dm::engine::describe_transport(address, tls);
    });
  }
  return 0;
}
