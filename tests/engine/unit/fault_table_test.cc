// The fault table: every engine call the client makes, against a fake engine
// that answers it badly in every way we know: malformed JSON, the wrong
// shape, a truncated body, a huge body, HTTP 500 with an odd body (a 20 MB
// message, HTML, binary, nothing), a connection closed in the middle of the
// answer, and no answer at all.
//
// Each row asserts what a user can rely on: the call ends within a bounded
// time (the client's timeout is 1 s here; the bound is far above it, never
// tight), with a dm::Error of a clear status (or the documented success when
// the call does not read the body), a message that names the request and
// quotes at most a few hundred bytes of engine text, and no crash: no other
// exception type, no abort, nothing for the sanitizers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "common/error.h"
#include "engine/client.h"
#include "support/fake_engine.h"

namespace dm::engine {
namespace {

using dm::testing::FakeAnswer;
using dm::testing::FakeEngine;
using dm::testing::FakeRequest;

constexpr double kClientTimeout = 1.0;
// Far above the 1 s timeout: a row that takes this long has a real bug
// (the ones this table was made for took minutes or forever).
constexpr double kBound = 30.0;
// A message: our words plus at most a few hundred bytes of the engine's.
constexpr size_t kMaxMessage = 1000;
constexpr size_t kHuge = 20 << 20;

// ---- the endpoints ----

// How a call treats the body of a successful answer.
enum class Reads {
  Json,     // parses it
  Nothing,  // ignores it (start, stop, remove, ping)
  Ndjson,   // streams it line by line (build, pull)
  Frames,   // streams it as log frames (logs)
};

// What a call did: nullopt when it returned normally, else how it failed.
struct Outcome {
  bool returned = false;
  bool cancelled = false;           // wait: returned nullopt
  std::optional<Error::Code> code;  // when it threw
  std::string message;
};

using Call = std::function<Outcome(Client&, const CancelToken* cancel)>;

struct Endpoint {
  const char* name;    // for the row name
  const char* method;  // as the fake sees it
  const char* path;    // unversioned, no query
  Reads reads;
  int status;               // of a good answer
  std::string good;         // a good answer's body (a real engine's)
  std::string wrong_shape;  // JSON (or frames) of the wrong shape
  // Any of these in the message names the request.
  std::vector<std::string> names;
  Call call;
  bool waits = false;  // no deadline of its own: ends with the container or `cancel`
};

// A build context for the build rows, made on first use and removed when
// the test program ends.
std::string build_context_dir() {
  struct Dir {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("dm-fault-ctx-" + std::to_string(::getpid()));
    Dir() {
      std::filesystem::create_directories(path);
      std::ofstream(path / "Dockerfile") << "FROM scratch\n";
    }
    ~Dir() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Dir dir;
  return dir.path.string();
}

std::string frame(int stream, const std::string& payload) {
  std::string out(8, '\0');
  out[0] = static_cast<char>(stream);
  uint32_t n = static_cast<uint32_t>(payload.size());
  out[4] = static_cast<char>(n >> 24);
  out[5] = static_cast<char>(n >> 16);
  out[6] = static_cast<char>(n >> 8);
  out[7] = static_cast<char>(n);
  return out + payload;
}

template <typename F>
Outcome run(F&& body) {
  Outcome out;
  try {
    body();
    out.returned = true;
  } catch (const Error& e) {
    out.code = e.code();
    out.message = e.what();
  }
  // Any other exception type escapes to the test, which fails on it.
  return out;
}

const char* kContainerList =
    R"([{"Id":"8dfafdbc3a40","Names":["/dm-db-1"],"Image":"busybox","ImageID":"sha256:f97b",)"
    R"("Command":"sh","Created":1700000000,"Ports":[{"IP":"127.0.0.1","PrivatePort":80,)"
    R"("PublicPort":49153,"Type":"tcp"}],"Labels":{"io.drillmaster.group":"g"},)"
    R"("State":"running","Status":"Up 2 seconds"}])";
const char* kInspect =
    R"({"Id":"8dfafdbc3a40","Name":"/dm-db-1","Image":"sha256:f97b","State":{"Status":"exited",)"
    R"("Running":false,"ExitCode":3,"Error":""},"Config":{"Image":"busybox","Tty":false,)"
    R"("Labels":{"io.drillmaster.group":"g"}},"NetworkSettings":{"Ports":{},"Networks":{}}})";
const char* kNetwork =
    R"({"Name":"dm-g","Id":"72ed1b04996c","Driver":"bridge","Containers":{},"Labels":{}})";
const char* kVersion =
    R"({"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux"})";
const char* kImage = R"({"Id":"sha256:f97b3ccff199","RepoTags":["busybox:latest"],"Config":{}})";
const char* kBuild =
    "{\"stream\":\"Step 1/1 : FROM scratch\"}\n{\"stream\":\"\\n\"}\n"
    "{\"aux\":{\"ID\":\"sha256:522eba1dbd8a\"}}\n{\"stream\":\"Successfully built "
    "522eba1dbd8a\\n\"}\n";
const char* kPull =
    "{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}\n"
    "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":10,\"total\":20},"
    "\"progress\":\"[=>  ] 10B/20B\",\"id\":\"a1b2c3\"}\n"
    "{\"status\":\"Status: Downloaded newer image for busybox:latest\"}\n";

const char* kPush =
    "{\"status\":\"The push refers to repository [127.0.0.1:5000/team/g_web]\"}\n"
    "{\"status\":\"Pushed\",\"progressDetail\":{},\"id\":\"a1b2c3\"}\n"
    "{\"status\":\"522eba1dbd8a: digest: sha256:d1e2 size: 527\"}\n"
    "{\"progressDetail\":{},\"aux\":{\"Tag\":\"522eba1dbd8a\",\"Digest\":\"sha256:d1e2\","
    "\"Size\":527}}\n";

const char* kInfo =
    R"({"ID":"x","Swarm":{"NodeID":"n1","NodeAddr":"172.31.250.1","LocalNodeState":"active",)"
    R"("ControlAvailable":true}})";
const char* kService =
    R"({"ID":"s1","Version":{"Index":12},"Spec":{"Name":"g_db","Labels":{"io.drillmaster.group":)"
    R"("g"},"Mode":{"Replicated":{"Replicas":1}},"TaskTemplate":{"ContainerSpec":{"Image":"b"}}}})";
const char* kTasks =
    R"([{"ID":"t1","ServiceID":"s1","NodeID":"n1","Slot":1,"DesiredState":"shutdown",)"
    R"("Status":{"State":"failed","Err":"task: non-zero exit, 3","ContainerStatus":)"
    R"({"ContainerID":"c1","ExitCode":3},"PortStatus":{"Ports":[{"Protocol":"tcp",)"
    R"("TargetPort":8080,"PublishedPort":18099,"PublishMode":"host"}]}}}])";

std::vector<Endpoint> endpoints() {
  const std::string id = "8dfafdbc3a40";
  std::vector<Endpoint> e;
  e.push_back({"ping",
               "GET",
               "/_ping",
               Reads::Nothing,
               200,
               "OK",
               "[]",
               {"ping the engine"},
               [](Client& c, auto) { return run([&] { c.ping(); }); }});
  e.push_back({"version",
               "GET",
               "/version",
               Reads::Json,
               200,
               kVersion,
               "[]",
               {"GET /version", "read the engine's version"},
               [](Client& c, auto) { return run([&] { c.version(); }); }});
  e.push_back({"containers_list",
               "GET",
               "/containers/json",
               Reads::Json,
               200,
               kContainerList,
               R"([{"Id":"8dfafdbc3a40","Names":{"a":"/x"},"State":"running"}])",
               {"GET /containers/json", "list containers"},
               [](Client& c, auto) { return run([&] {
                                       c.container_list({{"k", "v"}}, true);
                                     }); }});
  e.push_back({"containers_inspect",
               "GET",
               "/containers/8dfafdbc3a40/json",
               Reads::Json,
               200,
               kInspect,
               R"({"Id":"8dfafdbc3a40","Name":"/x","State":"running","Config":{}})",
               {"GET /containers/8dfafdbc3a40/json", "inspect container"},
               [id](Client& c, auto) { return run([&] { c.container_inspect(id); }); }});
  e.push_back({"containers_create",
               "POST",
               "/containers/create",
               Reads::Json,
               201,
               R"({"Id":"8dfafdbc3a40","Warnings":[]})",
               R"({"Id":12345})",
               {"POST /containers/create", "create container"},
               [](Client& c, auto) {
                 ContainerSpec spec;
                 spec.name = "dm-db-1";
                 spec.body.set("Image", "busybox");
                 return run([&] { c.container_create(spec); });
               }});
  e.push_back({"containers_start",
               "POST",
               "/containers/8dfafdbc3a40/start",
               Reads::Nothing,
               204,
               "",
               "[]",
               {"start container"},
               [id](Client& c, auto) { return run([&] { c.container_start(id); }); }});
  e.push_back({"containers_stop",
               "POST",
               "/containers/8dfafdbc3a40/stop",
               Reads::Nothing,
               204,
               "",
               "[]",
               {"stop container"},
               [id](Client& c, auto) { return run([&] { c.container_stop(id, 0); }); }});
  Endpoint wait{"containers_wait",
                "POST",
                "/containers/8dfafdbc3a40/wait",
                Reads::Json,
                200,
                R"({"Error":null,"StatusCode":137})",
                R"({"Id":12345})",
                {"POST /containers/8dfafdbc3a40/wait", "wait for container"},
                [id](Client& c, const CancelToken* cancel) {
                  Outcome out = run([&] {
                    if (!c.container_wait(id, cancel))
                      throw Error(Error::Code::Cancelled, "cancelled");
                  });
                  out.cancelled = out.code == Error::Code::Cancelled;
                  return out;
                }};
  wait.waits = true;
  e.push_back(wait);
  e.push_back(
      {"containers_remove",
       "DELETE",
       "/containers/8dfafdbc3a40",
       Reads::Nothing,
       204,
       "",
       "[]",
       {"remove container"},
       [id](Client& c, auto) { return run([&] { c.container_remove(id, true, false); }); }});
  e.push_back({"containers_logs",
               "GET",
               "/containers/8dfafdbc3a40/logs",
               Reads::Frames,
               200,
               frame(1, "hello\n") + frame(2, "oops\n"),
               frame(9, "what stream is this?"),
               {"GET /containers/8dfafdbc3a40/logs", "logs of container"},
               [id](Client& c, auto) {
                 LogOptions options;
                 options.tty = 0;
                 return run([&] {
                   c.container_logs(id, options,
                                    [](LogStream, const std::string&) { return true; });
                 });
               }});
  e.push_back({"networks_list",
               "GET",
               "/networks",
               Reads::Json,
               200,
               std::string("[") + kNetwork + "]",
               R"([{"Id":7,"Name":"x"}])",
               {"GET /networks", "list networks"},
               [](Client& c, auto) { return run([&] {
                                       c.network_list({{"k", "v"}});
                                     }); }});
  e.push_back({"networks_inspect",
               "GET",
               "/networks/dm-g",
               Reads::Json,
               200,
               kNetwork,
               std::string("[") + kNetwork + "]",
               {"GET /networks/dm-g", "inspect network"},
               [](Client& c, auto) { return run([&] { c.network_inspect("dm-g"); }); }});
  e.push_back({"networks_create",
               "POST",
               "/networks/create",
               Reads::Json,
               201,
               R"({"Id":"72ed1b04996c","Warning":""})",
               R"({"Id":null})",
               {"POST /networks/create", "create network"},
               [](Client& c, auto) { return run([&] { c.network_create("dm-g", {}); }); }});
  e.push_back({"images_inspect",
               "GET",
               "/images/busybox:latest/json",
               Reads::Json,
               200,
               kImage,
               R"(["sha256:f97b3ccff199"])",
               {"GET /images/busybox:latest/json", "inspect image"},
               [](Client& c, auto) { return run([&] { c.image_inspect("busybox:latest"); }); }});
  Endpoint build{"build_stream",
                 "POST",
                 "/build",
                 Reads::Ndjson,
                 200,
                 kBuild,
                 "[1,2]\n",
                 {"POST /build", "image 'dm-fault:1'"},
                 [](Client& c, const CancelToken* cancel) {
                   BuildOptions options;
                   options.context_dir = build_context_dir();
                   options.tag = "dm-fault:1";
                   options.cancel = cancel;
                   return run([&] { c.image_build(options, nullptr); });
                 }};
  build.waits = true;
  e.push_back(build);
  Endpoint pull{"pull_stream",
                "POST",
                "/images/create",
                Reads::Ndjson,
                200,
                kPull,
                "\"just a string\"\n",
                {"POST /images/create", "'busybox:1'"},
                [](Client& c, const CancelToken* cancel) {
                  return run([&] { c.image_pull("busybox:1", nullptr, cancel); });
                }};
  pull.waits = true;
  e.push_back(pull);
  e.push_back({"images_tag",
               "POST",
               "/images/busybox:latest/tag",
               Reads::Nothing,
               201,
               "",
               "[]",
               {"tag image 'busybox:latest'"},
               [](Client& c, auto) {
                 return run([&] { c.image_tag("busybox:latest", "127.0.0.1:5000/g_web", "1"); });
               }});
  Endpoint push{"push_stream",
                "POST",
                "/images/127.0.0.1:5000/team/g_web/push",
                Reads::Ndjson,
                200,
                kPush,
                "[\"not an object\"]\n",
                {"/push", "'127.0.0.1:5000/team/g_web:522eba1dbd8a'"},
                [](Client& c, const CancelToken* cancel) {
                  return run([&] {
                    c.image_push("127.0.0.1:5000/team/g_web", "522eba1dbd8a", nullptr, cancel);
                  });
                }};
  push.waits = true;
  e.push_back(push);
  // The swarm calls (engine/services.cc).
  e.push_back({"swarm_info",
               "GET",
               "/info",
               Reads::Json,
               200,
               kInfo,
               R"({"Swarm":[]})",
               {"GET /info", "swarm state"},
               [](Client& c, auto) { return run([&] { c.swarm_info(); }); }});
  e.push_back({"services_list",
               "GET",
               "/services",
               Reads::Json,
               200,
               std::string("[") + kService + "]",
               R"([{"ID":"s1","Spec":[],"Version":{"Index":3}}])",
               {"GET /services", "list swarm services"},
               [](Client& c, auto) { return run([&] {
                                       c.service_list({{"k", "v"}});
                                     }); }});
  e.push_back({"services_inspect",
               "GET",
               "/services/s1",
               Reads::Json,
               200,
               kService,
               R"({"ID":"s1","Spec":{},"Version":{"Index":"3"}})",
               {"GET /services/s1", "inspect swarm service"},
               [](Client& c, auto) { return run([&] { c.service_inspect("s1"); }); }});
  e.push_back({"services_create",
               "POST",
               "/services/create",
               Reads::Json,
               201,
               R"({"ID":"s1"})",
               R"({"ID":12345})",
               {"POST /services/create", "create swarm service"},
               [](Client& c, auto) { return run([&] { c.service_create(Json::object()); }); }});
  e.push_back({"tasks_list",
               "GET",
               "/tasks",
               Reads::Json,
               200,
               kTasks,
               R"([{"ID":"t1","Status":"running"}])",
               {"GET /tasks", "list swarm tasks"},
               [](Client& c, auto) { return run([&] { c.task_list({"s1"}); }); }});
  e.push_back({"nodes_inspect",
               "GET",
               "/nodes/n1",
               Reads::Json,
               200,
               R"({"ID":"n1","Status":{"State":"ready","Addr":"172.31.250.1"}})",
               R"({"ID":"n1","Status":{"State":"ready","Addr":5}})",
               {"GET /nodes/n1", "inspect swarm node"},
               [](Client& c, auto) { return run([&] { c.node_inspect("n1"); }); }});
  return e;
}

// ---- the faults ----

enum class Fault {
  MalformedJson,
  WrongShape,
  TruncatedBody,
  HugeBody,
  HugeErrorBody,
  Error500Html,
  Error500Binary,
  Error500Empty,
  ClosedMidAnswer,
  NeverAnswers,
};

const char* fault_name(Fault f) {
  switch (f) {
    case Fault::MalformedJson:
      return "malformed_json";
    case Fault::WrongShape:
      return "wrong_shape";
    case Fault::TruncatedBody:
      return "truncated_body";
    case Fault::HugeBody:
      return "huge_body";
    case Fault::HugeErrorBody:
      return "http500_huge_body";
    case Fault::Error500Html:
      return "http500_html";
    case Fault::Error500Binary:
      return "http500_binary";
    case Fault::Error500Empty:
      return "http500_empty";
    case Fault::ClosedMidAnswer:
      return "closed_mid_answer";
    case Fault::NeverAnswers:
      return "never_answers";
  }
  return "?";
}

// 20 MB of a good answer's kind, for streams (which must take any length).
std::string huge_stream(const Endpoint& e) {
  std::string out;
  out.reserve(kHuge + 4096);
  if (e.reads == Reads::Frames) {
    std::string one = frame(1, std::string(4000, 'l') + "\n");
    while (out.size() < kHuge) out += one;
    return out;
  }
  std::string one = e.path == std::string("/build")
                        ? "{\"stream\":\"" + std::string(200, 'b') + "\\n\"}\n"
                        : "{\"status\":\"Downloading\",\"id\":\"" + std::string(200, 'p') + "\"}\n";
  while (out.size() < kHuge) out += one;
  return out + e.good;
}

std::string binary_noise() {
  std::string out;
  uint32_t x = 2463534242u;
  for (int i = 0; i < 4096; ++i) {  // xorshift: every byte value, NULs included
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    out += static_cast<char>(x & 0xFF);
  }
  return out;
}

FakeAnswer faulty(const Endpoint& e, Fault f) {
  switch (f) {
    case Fault::MalformedJson:
      return FakeAnswer::json(200, "{\"Id\": \"8dfafdbc3a40\", \"Names\": [\"/x\"\n");
    case Fault::WrongShape:
      return FakeAnswer::json(200, e.wrong_shape);
    case Fault::TruncatedBody: {  // a well-formed HTTP answer whose content stops halfway
      std::string good = e.good.empty() ? "{\"message\":\"fine\"}" : e.good;
      return FakeAnswer::json(200, good.substr(0, good.size() * 2 / 3));
    }
    case Fault::HugeBody: {
      if (e.reads == Reads::Ndjson || e.reads == Reads::Frames)
        return FakeAnswer::json(200, huge_stream(e));
      return FakeAnswer::json(200, "<html>" + std::string(kHuge, 'x'));
    }
    case Fault::HugeErrorBody:
      return FakeAnswer::json(500, "{\"message\":\"" + std::string(kHuge, 'm') + "\"}");
    case Fault::Error500Html:
      return FakeAnswer::text(500,
                              "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n"
                              "<body><center><h1>500 Internal Server Error</h1></center>\r\n"
                              "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
                              "text/html");
    case Fault::Error500Binary:
      return FakeAnswer::text(500, binary_noise(), "application/octet-stream");
    case Fault::Error500Empty:
      return FakeAnswer::text(500, "");
    case Fault::ClosedMidAnswer: {
      FakeAnswer a = FakeAnswer::json(200, e.good.empty() ? std::string(100, ' ') : e.good);
      a.ending = FakeAnswer::Ending::CloseMidway;
      return a;
    }
    case Fault::NeverAnswers:
      return FakeAnswer::silent();
  }
  return FakeAnswer::silent();
}

// ---- what each row expects ----

struct Expected {
  bool ok = false;                  // the call returns normally
  bool cancelled = false;           // ended by the test's cancel flag (calls without a deadline)
  std::optional<Error::Code> code;  // how it fails, unless ok
};

Expected expected(const Endpoint& e, Fault f) {
  switch (f) {
    case Fault::MalformedJson:
    case Fault::WrongShape:
    case Fault::TruncatedBody:
      // A call that does not read the body does not notice.
      if (e.reads == Reads::Nothing) return {true, false, std::nullopt};
      return {false, false, Error::Code::Engine};
    case Fault::HugeBody:
      // Streams take any length; a parsed answer is not JSON.
      if (e.reads != Reads::Json) return {true, false, std::nullopt};
      return {false, false, Error::Code::Engine};
    case Fault::HugeErrorBody:
    case Fault::Error500Html:
    case Fault::Error500Binary:
    case Fault::Error500Empty:
    case Fault::ClosedMidAnswer:
      return {false, false, Error::Code::Engine};
    case Fault::NeverAnswers:
      if (e.waits) return {false, true, Error::Code::Cancelled};
      return {false, false, Error::Code::Timeout};
  }
  return {};
}

// Sets a flag after `seconds`, for the calls that have no deadline of their
// own; stops early when the row ends first.
class Canceller {
 public:
  explicit Canceller(double seconds) {
    thread_ = std::thread([this, seconds] {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!cv_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return done_; }))
        token_.cancel();
    });
  }
  ~Canceller() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  const CancelToken* token() const { return &token_; }

 private:
  CancelToken token_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

struct Row {
  Endpoint endpoint;
  Fault fault;
};

std::vector<Row> rows() {
  std::vector<Row> out;
  for (const Endpoint& e : endpoints())
    for (Fault f : {Fault::MalformedJson, Fault::WrongShape, Fault::TruncatedBody, Fault::HugeBody,
                    Fault::HugeErrorBody, Fault::Error500Html, Fault::Error500Binary,
                    Fault::Error500Empty, Fault::ClosedMidAnswer, Fault::NeverAnswers})
      out.push_back({e, f});
  return out;
}

std::string row_name(const Row& row) {
  return std::string(row.endpoint.name) + "__" + fault_name(row.fault);
}

// What GoogleTest prints for a row.
void PrintTo(const Row& row, std::ostream* out) { *out << row_name(row); }

class FaultTable : public ::testing::TestWithParam<Row> {};

TEST_P(FaultTable, EndsInTimeWithAClearErrorAndAShortMessage) {
  const Endpoint& e = GetParam().endpoint;
  Fault fault = GetParam().fault;
  FakeEngine fake([&](const FakeRequest& r) {
    if (r.method == e.method && r.path == e.path && r.target.rfind("/v", 0) == 0)
      return faulty(e, fault);
    return FakeAnswer::standard(r);  // the unversioned /_ping of Client::open
  });
  ClientOptions options;
  options.host = fake.address();
  options.api_version = "1.41";
  options.timeout = kClientTimeout;
  std::unique_ptr<Client> client = Client::open(options);

  Expected want = expected(e, fault);
  std::optional<Canceller> canceller;
  if (want.cancelled) canceller.emplace(kClientTimeout);
  auto began = std::chrono::steady_clock::now();
  Outcome got = e.call(*client, canceller ? canceller->token() : nullptr);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();

  EXPECT_LT(took, kBound) << "the call took far longer than the client's " << kClientTimeout
                          << " s timeout";
  size_t asked = 0;
  for (const FakeRequest& r : fake.requests())
    asked += r.method == e.method && r.path == e.path && r.target.rfind("/v", 0) == 0;
  EXPECT_EQ(asked, 1u) << "the call never reached the fake's " << e.path;
  if (want.ok) {
    EXPECT_TRUE(got.returned) << "error " << got.code.value_or(Error::Code::Internal) << ": "
                              << got.message;
    return;
  }
  ASSERT_FALSE(got.returned) << "the call took a broken answer for a good one";
  EXPECT_EQ(got.code, want.code) << got.message;
  if (want.cancelled) return;
  EXPECT_LE(got.message.size(), kMaxMessage) << got.message.substr(0, 2000);
  bool named = false;
  for (const std::string& n : e.names) named = named || got.message.find(n) != std::string::npos;
  EXPECT_TRUE(named) << "the message does not say which request failed: " << got.message;
  for (unsigned char c : got.message)
    EXPECT_TRUE(c >= 0x20 && c != 0x7F) << "raw control byte in the message: " << got.message;
}

INSTANTIATE_TEST_SUITE_P(EveryEndpointEveryFault, FaultTable, ::testing::ValuesIn(rows()),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return row_name(info.param);
                         });

}  // namespace
}  // namespace dm::engine
