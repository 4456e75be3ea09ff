// The transport holds a bounded amount of any answer: the start of an error
// body (counting the rest), and a 2xx body only up to the request's limit.
#include "engine/transport.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "support/fake_engine.h"

namespace dm::engine {
namespace {

using dm::testing::FakeAnswer;
using dm::testing::FakeEngine;
using dm::testing::FakeRequest;

FakeAnswer big_answers(const FakeRequest& r) {
  if (r.path == "/error") return FakeAnswer::text(500, std::string(5 << 20, 'e'));
  if (r.path == "/big") return FakeAnswer::json(200, std::string(100000, 'b'));
  return FakeAnswer::standard(r);
}

Request get(const std::string& path) {
  Request r;
  r.path = path;
  r.timeout = 10;
  r.what = "read " + path;
  return r;
}

TEST(Transport, KeepsOnlyTheStartOfAnErrorBodyAndCountsTheRest) {
  FakeEngine fake(big_answers);
  Transport transport(parse_address(fake.address(), false), TlsFiles{});
  Response response = transport.perform(get("/error"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.size(), kMaxErrorBody);
  EXPECT_EQ(response.body_size, size_t{5} << 20);
}

TEST(Transport, GivesUpOnAnAnswerLargerThanTheRequestsLimit) {
  FakeEngine fake(big_answers);
  Transport transport(parse_address(fake.address(), false), TlsFiles{});
  Request request = get("/big");
  EXPECT_EQ(transport.perform(request).body.size(), 100000u);  // the default limit is far above
  request.max_body = 50000;
  try {
    transport.perform(request);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine);
    EXPECT_NE(std::string(e.what()).find("more than 50000 bytes while trying to read /big"),
              std::string::npos)
        << e.what();
  }
  // The connection is usable afterwards.
  EXPECT_EQ(transport.perform(get("/_ping")).body, "OK");
}

}  // namespace
}  // namespace dm::engine
