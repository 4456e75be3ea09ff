// POST /images/{name}/push and POST /images/{name}/tag as the engine gets
// them: the repository and tag in the path and the query, the
// X-Registry-Auth header the engine requires even without credentials, and
// the stream's error lines (a registry that is down) as Error::Code::Engine
// with the engine's words.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/client.h"
#include "engine/streams.h"
#include "support/fake_engine.h"

namespace dm::engine {
namespace {

using dm::testing::FakeAnswer;
using dm::testing::FakeEngine;
using dm::testing::FakeRequest;

// What a real engine streams when the registry's port has nothing behind it.
const char* kRefused =
    "{\"status\":\"The push refers to repository [127.0.0.1:1/g_web]\"}\n"
    "{\"errorDetail\":{\"message\":\"Get \\\"http://127.0.0.1:1/v2/\\\": dial tcp "
    "127.0.0.1:1: connect: connection refused\"},\"error\":\"Get \\\"http://127.0.0.1:1/v2/\\\": "
    "dial tcp 127.0.0.1:1: connect: connection refused\"}\n";

std::unique_ptr<Client> open(const FakeEngine& fake) {
  ClientOptions options;
  options.host = fake.address();
  options.api_version = "1.41";
  options.timeout = 5;
  return Client::open(options);
}

std::vector<FakeRequest> versioned(const FakeEngine& fake) {
  std::vector<FakeRequest> out;
  for (const FakeRequest& r : fake.requests())
    if (r.target.rfind("/v1.41/images/", 0) == 0) out.push_back(r);
  return out;
}

TEST(ImagePush, SendsTheRepositoryTheTagAndAnEmptyRegistryAuth) {
  FakeEngine fake([](const FakeRequest& r) {
    if (r.path.find("/push") != std::string::npos)
      return FakeAnswer::text(200, "{\"status\":\"Pushed\",\"id\":\"a1b2\"}\n", "application/json");
    return FakeAnswer::standard(r);
  });
  std::unique_ptr<Client> client = open(fake);
  std::vector<std::string> lines;
  client->image_push("127.0.0.1:5000/team/g_web", "3f4e5a6b7c8d",
                     [&](const std::string& l) { lines.push_back(l); });
  std::vector<FakeRequest> sent = versioned(fake);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].target, "/v1.41/images/127.0.0.1:5000/team/g_web/push?tag=3f4e5a6b7c8d");
  // base64url of "{}": no credentials, but the header the engine insists on.
  EXPECT_NE(sent[0].head.find("\r\nX-Registry-Auth: e30=\r\n"), std::string::npos) << sent[0].head;
  EXPECT_EQ(lines, std::vector<std::string>{"a1b2: Pushed"});
}

TEST(ImagePush, AnErrorLineInTheStreamIsAnEngineErrorWithTheEnginesWords) {
  FakeEngine fake([](const FakeRequest& r) {
    if (r.path.find("/push") != std::string::npos)
      return FakeAnswer::text(200, kRefused, "application/json");
    return FakeAnswer::standard(r);
  });
  std::unique_ptr<Client> client = open(fake);
  try {
    client->image_push("127.0.0.1:1/g_web", "3f4e5a6b7c8d", nullptr);
    FAIL() << "a refused push passed";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine);
    std::string message = e.what();
    EXPECT_NE(message.find("push of '127.0.0.1:1/g_web:3f4e5a6b7c8d' failed"), std::string::npos)
        << message;
    EXPECT_NE(message.find("connect: connection refused"), std::string::npos) << message;
  }
}

TEST(ImageTag, NamesTheSourceTheRepositoryAndTheTag) {
  FakeEngine fake([](const FakeRequest& r) {
    if (r.path.find("/tag") != std::string::npos) return FakeAnswer::text(201, "");
    return FakeAnswer::standard(r);
  });
  std::unique_ptr<Client> client = open(fake);
  client->image_tag("sha256:3f4e5a6b7c8d9e", "127.0.0.1:5000/g_web", "3f4e5a6b7c8d");
  std::vector<FakeRequest> sent = versioned(fake);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(
      sent[0].target,
      "/v1.41/images/sha256:3f4e5a6b7c8d9e/tag?repo=127.0.0.1%3A5000%2Fg_web&tag=3f4e5a6b7c8d");
}

TEST(ImageTag, AMissingImageIsNotFound) {
  FakeEngine fake(FakeAnswer::standard);  // 404 "no such object" for the tag
  std::unique_ptr<Client> client = open(fake);
  try {
    client->image_tag("nothing:here", "127.0.0.1:5000/g_web", "1");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::NotFound);
    EXPECT_NE(std::string(e.what()).find("tag image 'nothing:here'"), std::string::npos)
        << e.what();
  }
}

TEST(PushStream, NamesThePushInItsError) {
  PullStream stream("127.0.0.1:1/g_web:1", nullptr, "POST /images/127.0.0.1:1/g_web/push", "push");
  std::string text = kRefused;
  try {
    stream.feed(text.data(), text.size());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine);
    EXPECT_EQ(std::string(e.what()).rfind("push of '127.0.0.1:1/g_web:1' failed: Get ", 0), 0u)
        << e.what();
  }
}

}  // namespace
}  // namespace dm::engine
