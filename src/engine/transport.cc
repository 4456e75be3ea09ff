#include "engine/transport.h"

#include <curl/curl.h>
#include <poll.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <system_error>
#include <utility>

#include "common/error.h"
#include "common/text.h"
#include "engine/deadline.h"
#include "engine/hijack.h"

namespace dm::engine {

namespace {

// Connecting to a local socket or a LAN engine takes milliseconds; waiting
// longer than this only delays the "is dockerd running?" message.
constexpr long kConnectTimeoutMs = 3000;
// Handles kept for reuse; more parallel requests than this still work, their
// extra handles are just closed afterwards.
constexpr size_t kMaxIdleHandles = 32;
// The longest a transfer loop waits for its sockets or its cancellation token;
// libcurl wakes it sooner for its own timeouts.
constexpr int kLongestWaitMs = 60 * 60 * 1000;

std::once_flag g_curl_init;

// Per-request state shared with the curl callbacks.
struct Transfer {
  const Request* request;
  Response* response;
  CURL* easy;
  std::exception_ptr error;  // thrown by on_data; rethrown after the loop
  bool too_large = false;    // a 2xx body passed request->max_body
};

size_t on_write(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t length = size * count;
  long status = 0;
  curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
  if (t->request->on_data && status >= 200 && status < 300) {
    try {
      if (!t->request->on_data(data, length)) {
        t->response->stopped = true;
        return 0;  // makes curl stop with CURLE_WRITE_ERROR
      }
    } catch (...) {
      t->error = std::current_exception();
      return 0;
    }
    return length;
  }
  t->response->body_size += length;
  std::string& body = t->response->body;
  if (status >= 200 && status < 300) {
    if (body.size() + length > t->request->max_body) {
      t->too_large = true;
      return 0;
    }
    body.append(data, length);
  } else if (body.size() < kMaxErrorBody) {  // an error body: keep its start, count the rest
    body.append(data, std::min(length, kMaxErrorBody - body.size()));
  }
  return length;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t length = size * count;
  std::string line(data, length);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (line.rfind("HTTP/", 0) == 0) {
    t->response->headers.clear();  // a new answer (after "100 Continue")
    return length;
  }
  size_t colon = line.find(':');
  if (colon == std::string::npos) return length;
  std::string name = line.substr(0, colon);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t start = line.find_first_not_of(" \t", colon + 1);
  t->response->headers[name] = start == std::string::npos ? "" : line.substr(start);
  return length;
}

std::string encode(const std::string& text, const char* keep) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (c != 0 && std::strchr(keep, c))) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The seconds `request` may take: its own timeout, capped by the thread's
// deadline (engine/deadline.h). `*limit` is that deadline when it is what
// limits the request. A request whose deadline already passed fails here.
double time_allowed(const Request& request, const std::string& address, const Deadline** limit) {
  *limit = nullptr;
  const Deadline* deadline = request.timeout > 0 ? ScopedDeadline::current() : nullptr;
  if (deadline == nullptr) return request.timeout;
  double left =
      std::chrono::duration<double>(deadline->at - std::chrono::steady_clock::now()).count();
  if (left <= 0)
    throw Error(Error::Code::Timeout, "no time was left to " + request.what + " (the engine at " +
                                          address + "): " + deadline->budget + " had run out");
  if (left >= request.timeout) return request.timeout;
  *limit = deadline;
  return left;
}

// The engine's address and what kind of connection reaches it.
void set_connection(CURL* easy, const std::string& url, const Address& address,
                    const TlsFiles& tls) {
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  if (address.kind == Address::Kind::Unix)
    curl_easy_setopt(easy, CURLOPT_UNIX_SOCKET_PATH, address.socket_path.c_str());
  if (tls.enabled) {
    if (!tls.ca.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, tls.ca.c_str());
    if (!tls.cert.empty()) curl_easy_setopt(easy, CURLOPT_SSLCERT, tls.cert.c_str());
    if (!tls.key.empty()) curl_easy_setopt(easy, CURLOPT_SSLKEY, tls.key.c_str());
    if (!tls.verify) {
      curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
    }
  }
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // we run on many threads
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
}

// How long the request may take (`timeout` seconds, 0: no limit) and how
// long its answer may stall.
void set_limits(CURL* easy, const Request& request, double timeout) {
  if (timeout > 0)
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, std::max(1L, static_cast<long>(timeout * 1000)));
  if (request.stall_timeout > 0) {
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(request.stall_timeout));
  }
}

void set_callbacks(CURL* easy, Transfer* transfer, char* error_text) {
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer);
}

// The method, headers and body. Returns the header list, which the caller
// frees once the transfer is over.
struct curl_slist* set_method(CURL* easy, const Request& request) {
  struct curl_slist* headers = nullptr;
  // No "Expect: 100-continue" round trip before large bodies (build contexts).
  headers = curl_slist_append(headers, "Expect:");
  if (!request.content_type.empty())
    headers = curl_slist_append(headers, ("Content-Type: " + request.content_type).c_str());
  for (const std::string& header : request.headers)
    headers = curl_slist_append(headers, header.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);

  if (request.method == "POST" || request.method == "PUT" || !request.body.empty()) {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  if (request.method == "HEAD") curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  if (request.method != "GET" && request.method != "POST" && request.method != "HEAD")
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  return headers;
}

// How a transfer ended, read from the easy handle once it is over.
struct Outcome {
  CURLcode result = CURLE_OK;
  long request_bytes = 0;  // 0: the request never went out
  long os_errno = 0;
};

// Drives the transfer ourselves, waiting on the cancellation token's fd
// beside the transfer's sockets, so a cancel ends it at once even while the
// engine sends nothing (a wait, a quiet log follow).
CURLcode drive(CURLM* multi, const Request& request, Response& response, char* error_text) {
  curl_waitfd cancel_fd{request.cancel ? request.cancel->fd() : -1, CURL_WAIT_POLLIN, 0};
  unsigned int extra_fds = request.cancel ? 1 : 0;
  for (;;) {
    int running = 0;
    CURLMcode code = curl_multi_perform(multi, &running);
    if (code != CURLM_OK) {
      std::snprintf(error_text, CURL_ERROR_SIZE, "%s", curl_multi_strerror(code));
      return CURLE_FAILED_INIT;
    }
    if (!running) {
      CURLcode result = CURLE_OK;
      int left = 0;
      while (CURLMsg* message = curl_multi_info_read(multi, &left))
        if (message->msg == CURLMSG_DONE) result = message->data.result;
      return result;
    }
    if (request.cancel && request.cancel->cancelled()) {
      response.cancelled = true;
      return CURLE_OK;
    }
    cancel_fd.revents = 0;
    curl_multi_poll(multi, extra_fds ? &cancel_fd : nullptr, extra_fds, kLongestWaitMs, nullptr);
    // Readable but not cancelled: a cancel the token's reset() undid. Stop
    // watching it rather than spin on it.
    if (cancel_fd.revents != 0 && !request.cancel->cancelled()) extra_fds = 0;
  }
}

// Runs the configured transfer to its end and reads how it went.
Outcome run(CURLM* multi, CURL* easy, const Request& request, Response& response,
            char* error_text) {
  Outcome outcome;
  curl_multi_add_handle(multi, easy);
  outcome.result = drive(multi, request, response, error_text);
  curl_multi_remove_handle(multi, easy);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
  curl_easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &outcome.request_bytes);
  curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &outcome.os_errno);
  return outcome;
}

// Where the request went and the time it had, for failure messages.
struct Attempt {
  const Address& address;
  double timeout;         // seconds allowed; 0: none
  const Deadline* limit;  // the deadline that set `timeout`, if one did
};

// Whether a transfer failed in the TLS handshake: something answers at the
// address, but the certificates do not match (or it does not speak TLS).
bool tls_failed(CURLcode result) {
  switch (result) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return true;
    default:
      return false;
  }
}

// The error for a transfer that failed: the engine unreachable, too slow, or
// the connection lost.
Error failure(const Request& request, const Response& response, const Outcome& outcome,
              const char* error_text, const Attempt& attempt) {
  const std::string& address = attempt.address.text;
  std::string reason = error_text[0] ? error_text : curl_easy_strerror(outcome.result);
  // curl words a socket failure as "localhost port 80"; the OS's is clearer.
  if (attempt.address.kind == Address::Kind::Unix && outcome.os_errno != 0)
    reason =
        std::string(curl_easy_strerror(outcome.result)) + " (" +
        std::error_code(static_cast<int>(outcome.os_errno), std::generic_category()).message() +
        ")";
  if (outcome.request_bytes == 0 && response.status == 0 && tls_failed(outcome.result))
    return Error(Error::Code::Unreachable,
                 std::string(kTlsFailed) + address + ": " + reason +
                     ". Check the TLS files used (DOCKER_CERT_PATH, or the docker context's "
                     "own): ca.pem must be the CA that signed the engine's certificate, and "
                     "cert.pem and key.pem a client certificate the engine accepts.");
  // No request went out: nothing answers at the address.
  if (outcome.request_bytes == 0 && response.status == 0)
    return Error(Error::Code::Unreachable,
                 "cannot reach the Docker engine at " + address + ": " + reason +
                     ". Is dockerd running? Start it (`sudo dockerd &`, or "
                     "scripts/engine in a drillmaster checkout), or set "
                     "DOCKER_HOST to a running engine's address.");
  if (outcome.result != CURLE_OPERATION_TIMEDOUT)
    return Error(Error::Code::Engine, "lost the connection to the engine at " + address +
                                          " while trying to " + request.what + ": " + reason);
  if (attempt.timeout > 0)
    return Error(Error::Code::Timeout,
                 "the engine at " + address + " did not answer within " +
                     seconds_text(std::round(attempt.timeout * 10) / 10) + " s while trying to " +
                     request.what +
                     (attempt.limit ? " (" + attempt.limit->budget + " ran out)" : ""));
  return Error(Error::Code::Timeout, "the engine at " + address + " sent nothing for " +
                                         seconds_text(request.stall_timeout) +
                                         " s while trying to " + request.what);
}

}  // namespace

std::string url_encode(const std::string& text) { return encode(text, ""); }
std::string path_encode(const std::string& text) { return encode(text, "/:@"); }

// One pooled connection: an easy handle driven by its own multi handle. The
// connection cache lives in the multi handle, so both are kept together.
struct Transport::Handle {
  CURL* easy = curl_easy_init();
  CURLM* multi = curl_multi_init();
  ~Handle() {
    if (multi) curl_multi_cleanup(multi);
    if (easy) curl_easy_cleanup(easy);
  }
};

Transport::Transport(Address address, TlsFiles tls)
    : address_(std::move(address)), tls_(std::move(tls)) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (address_.kind == Address::Kind::Unix) {
    base_url_ = "http://localhost";
  } else {
    bool v6 = address_.host.find(':') != std::string::npos;
    base_url_ = std::string(tls_.enabled ? "https://" : "http://") +
                (v6 ? "[" + address_.host + "]" : address_.host) + ":" +
                std::to_string(address_.port);
  }
}

Transport::~Transport() = default;

std::unique_ptr<Transport::Handle> Transport::acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      auto handle = std::move(idle_.back());
      idle_.pop_back();
      return handle;
    }
  }
  auto handle = std::make_unique<Handle>();
  if (!handle->easy || !handle->multi)
    throw Error(Error::Code::NoMemory, "cannot create a libcurl handle");
  return handle;
}

void Transport::release(std::unique_ptr<Handle> handle) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(handle));
}

Response Transport::perform(const Request& request) {
  const Deadline* limit = nullptr;
  double timeout = time_allowed(request, address_.text, &limit);
  std::unique_ptr<Handle> handle = acquire();
  Response response;
  Transfer transfer{&request, &response, handle->easy, nullptr, false};
  char error_text[CURL_ERROR_SIZE] = "";

  // Reset keeps the connection cache, so keep-alive survives between requests.
  curl_easy_reset(handle->easy);
  std::string url = base_url_ + request.path;
  set_connection(handle->easy, url, address_, tls_);
  set_limits(handle->easy, request, timeout);
  set_callbacks(handle->easy, &transfer, error_text);
  struct curl_slist* headers = set_method(handle->easy, request);
  Outcome outcome = run(handle->multi, handle->easy, request, response, error_text);
  curl_slist_free_all(headers);
  curl_easy_setopt(handle->easy, CURLOPT_ERRORBUFFER, nullptr);
  release(std::move(handle));

  if (transfer.error) std::rethrow_exception(transfer.error);
  if (transfer.too_large)
    throw Error(Error::Code::Engine,
                "the engine at " + address_.text + " sent an answer of more than " +
                    std::to_string(request.max_body) + " bytes while trying to " + request.what +
                    "; gave up reading it");
  if (response.cancelled || response.stopped || outcome.result == CURLE_OK) return response;
  throw failure(request, response, outcome, error_text, {address_, timeout, limit});
}

}  // namespace dm::engine

namespace dm::engine {

namespace {

// Reads more of a hijacked answer's head into `into`: false once the engine
// closed the connection. Code::Timeout past `deadline`, Code::Cancelled on
// a cancel.
bool read_more(HijackedConnection& connection, std::string& into,
               std::chrono::steady_clock::time_point deadline, const Request& request,
               const std::string& address) {
  for (;;) {
    char buffer[16 << 10];
    long got = connection.read(buffer, sizeof buffer);
    if (got >= 0) {
      into.append(buffer, static_cast<size_t>(got));
      return got > 0;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      throw Error(
          Error::Code::Timeout,
          "the engine at " + address + " did not answer in time while trying to " + request.what);
    pollfd fds[2] = {{connection.fd(), POLLIN, 0},
                     {request.cancel ? request.cancel->fd() : -1, POLLIN, 0}};
    poll(fds, request.cancel ? 2 : 1, static_cast<int>(left.count()));
    if (request.cancel && request.cancel->cancelled())
      throw Error(Error::Code::Cancelled, "cancelled while trying to " + request.what);
  }
}

// The status and headers of an answer's head ("HTTP/1.1 101 UPGRADED\r\n...").
void parse_head(const std::string& head, Response& response) {
  size_t space = head.find(' ');
  response.status = space == std::string::npos ? 0 : std::atol(head.c_str() + space + 1);
  size_t line = head.find("\r\n");
  while (line != std::string::npos && line + 2 < head.size()) {
    size_t end = head.find("\r\n", line + 2);
    std::string text =
        head.substr(line + 2, end == std::string::npos ? std::string::npos : end - line - 2);
    size_t colon = text.find(':');
    if (colon != std::string::npos) {
      std::string name = text.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      size_t start = text.find_first_not_of(" \t", colon + 1);
      response.headers[name] = start == std::string::npos ? "" : text.substr(start);
    }
    line = end;
  }
}

}  // namespace

Transport::Hijack Transport::hijack(const Request& request) {
  const Deadline* limit = nullptr;
  double timeout = time_allowed(request, address_.text, &limit);
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(timeout > 0 ? timeout : 60));
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(), curl_easy_cleanup);
  if (!easy) throw Error(Error::Code::NoMemory, "cannot create a libcurl handle");
  char error_text[CURL_ERROR_SIZE] = "";
  set_connection(easy.get(), base_url_ + request.path, address_, tls_);
  curl_easy_setopt(easy.get(), CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(easy.get(), CURLOPT_ERRORBUFFER, error_text);
  Outcome outcome;
  outcome.result = curl_easy_perform(easy.get());
  curl_easy_setopt(easy.get(), CURLOPT_ERRORBUFFER, nullptr);
  if (outcome.result != CURLE_OK) {
    curl_easy_getinfo(easy.get(), CURLINFO_OS_ERRNO, &outcome.os_errno);
    throw failure(request, Response{}, outcome, error_text, {address_, timeout, limit});
  }
  std::string host = base_url_.substr(base_url_.find("://") + 3);
  std::string message = request.method + " " + request.path + " HTTP/1.1\r\nHost: " + host +
                        "\r\nContent-Type: application/json\r\nContent-Length: " +
                        std::to_string(request.body.size()) +
                        "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n" + request.body;
  Hijack out;
  out.connection = std::make_unique<HijackedConnection>(easy.release(), request.what);
  out.connection->write(message.data(), message.size());
  std::string received;
  size_t head_end;
  while ((head_end = received.find("\r\n\r\n")) == std::string::npos)
    if (!read_more(*out.connection, received, deadline, request, address_.text))
      throw Error(Error::Code::Engine, "the engine at " + address_.text +
                                           " closed the connection without an answer while "
                                           "trying to " +
                                           request.what);
  parse_head(received.substr(0, head_end), out.response);
  std::string rest = received.substr(head_end + 4);
  if (out.response.status == 101 || out.response.status == 200) {
    out.connection->unread(rest);
    return out;
  }
  auto length = out.response.headers.find("content-length");
  size_t want = length == out.response.headers.end() ? kMaxErrorBody : std::stoul(length->second);
  while (rest.size() < std::min(want, kMaxErrorBody) &&
         read_more(*out.connection, rest, deadline, request, address_.text)) {
  }
  out.connection.reset();
  out.response.body = rest;
  out.response.body_size = rest.size();
  return out;
}

}  // namespace dm::engine
