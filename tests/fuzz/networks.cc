// GET /networks, GET /networks/{id} and the Id of POST /networks/create and
// /containers/create.
#include "engine/answers.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body = dm::fuzz::text(data, size);
  dm::fuzz::refuse_or_parse([&] { dm::engine::parse_network_list(body); });
  dm::fuzz::refuse_or_parse([&] { dm::engine::parse_network_inspect(body); });
  dm::fuzz::refuse_or_parse([&] { dm::engine::parse_created_id(body, "POST /networks/create"); });
  return 0;
}
