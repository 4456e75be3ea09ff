// HTTP to the engine with libcurl: Unix socket, TCP or TCP+TLS.
//
// A Transport keeps a pool of curl handles (each with its own connection
// cache) guarded by a mutex: a request borrows one, so connections stay open
// between requests and parallel requests never wait for each other. Requests
// run a curl multi loop that also waits on the request's cancellation token
// (common/cancel.h), so a cancel ends a request at once, even while the engine
// sends nothing.
//
// Transport failures come out as dm::Error naming `what` and the address:
// Error::Code::Unreachable when no connection could be made, Error::Code::Timeout when the
// deadline passed, Error::Code::Engine when an open connection broke. An HTTP status is
// not a failure here: the caller reads it from the Response.
#ifndef DM_ENGINE_TRANSPORT_H
#define DM_ENGINE_TRANSPORT_H

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/cancel.h"
#include "engine/client.h"

namespace dm::engine {

class HijackedConnection;

// How the error of a failed TLS handshake begins, the address after it.
inline constexpr const char* kTlsFailed = "TLS with the engine failed at ";

// The most of a non-2xx answer's body kept: enough for any message the
// engine writes, bounded whatever a broken engine or a proxy sends.
constexpr size_t kMaxErrorBody = 64 << 10;
// The most of a 2xx answer's body collected (not streamed): far more than
// any real answer; past it the request fails instead of filling memory.
constexpr size_t kMaxAnswerBody = 256 << 20;

struct Request {
  std::string method = "GET";
  std::string path;                  // with the query, e.g. "/v1.41/containers/json?all=1"
  std::string body;                  // sent when non-empty, or for POST/PUT
  std::string content_type;          // "" : none
  std::vector<std::string> headers;  // further "Name: value" lines
  double timeout = 0;                // seconds; 0: none
  // For streamed answers that may be long but must not hang on a dead
  // connection: fail when less than 1 byte arrives in this many seconds.
  double stall_timeout = 0;
  // Receives the body of a 2xx answer as it arrives, instead of
  // Response::body; returns false to stop reading. Error answers are always
  // collected in Response::body (their first kMaxErrorBody bytes).
  std::function<bool(const char* data, size_t size)> on_data;
  const CancelToken* cancel = nullptr;  // ends the request once cancelled
  // The most of a 2xx body collected in Response::body (not on_data's).
  size_t max_body = kMaxAnswerBody;
  std::string what;  // "create container 'x'": for error messages
};

struct Response {
  long status = 0;
  std::string body;                            // of an error answer: its first kMaxErrorBody bytes
  size_t body_size = 0;                        // the whole body's size, kept or not
  std::map<std::string, std::string> headers;  // names in lower case
  bool cancelled = false;                      // `cancel` became true
  bool stopped = false;                        // on_data returned false
};

class Transport {
 public:
  Transport(Address address, TlsFiles tls);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  Response perform(const Request& request);

  // A request whose connection the engine takes over (attach, exec start:
  // engine/hijack.h): sent with "Upgrade: tcp". The answer's head is read
  // within the request's timeout; `connection` is set when the engine
  // upgraded it (101, or 200 from an engine that does not say so), else
  // `response` holds the failure status and its body. A cancel of
  // request.cancel before the head arrived throws Error::Code::Cancelled.
  struct Hijack {
    Response response;
    std::unique_ptr<HijackedConnection> connection;
  };
  Hijack hijack(const Request& request);

  const Address& address() const { return address_; }

 private:
  struct Handle;
  std::unique_ptr<Handle> acquire();
  void release(std::unique_ptr<Handle> handle);

  Address address_;
  TlsFiles tls_;
  std::string base_url_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Handle>> idle_;
};

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string url_encode(const std::string& text);
// Same, but keeps '/' and ':' so image names stay readable in paths.
std::string path_encode(const std::string& text);

}  // namespace dm::engine

#endif
