#include "engine/transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <system_error>
#include <utility>

#include "common/error.h"
#include "common/text.h"
#include "engine/deadline.h"

namespace dm::engine {

namespace {

// Connecting to a local socket or a LAN engine takes milliseconds; waiting
// longer than this only delays the "is dockerd running?" message.
constexpr long kConnectTimeoutMs = 3000;
// Handles kept for reuse; more parallel requests than this still work, their
// extra handles are just closed afterwards.
constexpr size_t kMaxIdleHandles = 32;
constexpr long kPollMs = 100;

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
  CURL* easy = handle->easy;
  CURLM* multi = handle->multi;
  Response response;
  Transfer transfer{&request, &response, easy, nullptr, false};
  char error_text[CURL_ERROR_SIZE] = "";

  // Reset keeps the connection cache, so keep-alive survives between requests.
  curl_easy_reset(easy);
  std::string url = base_url_ + request.path;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  if (address_.kind == Address::Kind::Unix)
    curl_easy_setopt(easy, CURLOPT_UNIX_SOCKET_PATH, address_.socket_path.c_str());
  if (tls_.enabled) {
    curl_easy_setopt(easy, CURLOPT_CAINFO, tls_.ca.c_str());
    curl_easy_setopt(easy, CURLOPT_SSLCERT, tls_.cert.c_str());
    curl_easy_setopt(easy, CURLOPT_SSLKEY, tls_.key.c_str());
  }
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // we run on many threads
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  if (timeout > 0)
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, std::max(1L, static_cast<long>(timeout * 1000)));
  if (request.stall_timeout > 0) {
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(request.stall_timeout));
  }
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);

  struct curl_slist* headers = nullptr;
  // No "Expect: 100-continue" round trip before large bodies (build contexts).
  headers = curl_slist_append(headers, "Expect:");
  if (!request.content_type.empty())
    headers = curl_slist_append(headers, ("Content-Type: " + request.content_type).c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);

  if (request.method == "POST" || request.method == "PUT" || !request.body.empty()) {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  if (request.method == "HEAD") curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  if (request.method != "GET" && request.method != "POST" && request.method != "HEAD")
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());

  // Drive the transfer ourselves so `cancel` is checked every kPollMs even
  // while the engine sends nothing (a wait, a quiet log follow).
  CURLcode result = CURLE_OK;
  curl_multi_add_handle(multi, easy);
  for (;;) {
    int running = 0;
    CURLMcode code = curl_multi_perform(multi, &running);
    if (code != CURLM_OK) {
      result = CURLE_FAILED_INIT;
      std::snprintf(error_text, sizeof error_text, "%s", curl_multi_strerror(code));
      break;
    }
    if (!running) {
      int left = 0;
      while (CURLMsg* message = curl_multi_info_read(multi, &left))
        if (message->msg == CURLMSG_DONE) result = message->data.result;
      break;
    }
    if (request.cancel && request.cancel->load()) {
      response.cancelled = true;
      break;
    }
    curl_multi_poll(multi, nullptr, 0, kPollMs, nullptr);
  }
  curl_multi_remove_handle(multi, easy);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
  long request_bytes = 0;  // 0: the request never went out
  curl_easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &request_bytes);
  long os_errno = 0;
  curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_errno);
  curl_slist_free_all(headers);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
  release(std::move(handle));

  if (transfer.error) std::rethrow_exception(transfer.error);
  if (transfer.too_large)
    throw Error(Error::Code::Engine,
                "the engine at " + address_.text + " sent an answer of more than " +
                    std::to_string(request.max_body) + " bytes while trying to " + request.what +
                    "; gave up reading it");
  if (response.cancelled || response.stopped || result == CURLE_OK) return response;

  std::string reason = error_text[0] ? error_text : curl_easy_strerror(result);
  // curl words a socket failure as "localhost port 80"; the OS's is clearer.
  if (address_.kind == Address::Kind::Unix && os_errno != 0)
    reason = std::string(curl_easy_strerror(result)) + " (" +
             std::error_code(static_cast<int>(os_errno), std::generic_category()).message() + ")";
  // No request went out: nothing answers at the address (or TLS failed).
  if (request_bytes == 0 && response.status == 0)
    throw Error(Error::Code::Unreachable,
                "cannot reach the Docker engine at " + address_.text + ": " + reason +
                    ". Is dockerd running? Start it (`sudo dockerd &`, or "
                    "scripts/engine in a drillmaster checkout), or set "
                    "DOCKER_HOST to a running engine's address.");
  if (result == CURLE_OPERATION_TIMEDOUT) {
    if (timeout > 0)
      throw Error(Error::Code::Timeout,
                  "the engine at " + address_.text + " did not answer within " +
                      seconds_text(std::round(timeout * 10) / 10) + " s while trying to " +
                      request.what + (limit ? " (" + limit->budget + " ran out)" : ""));
    throw Error(Error::Code::Timeout, "the engine at " + address_.text + " sent nothing for " +
                                          seconds_text(request.stall_timeout) +
                                          " s while trying to " + request.what);
  }
  throw Error(Error::Code::Engine, "lost the connection to the engine at " + address_.text +
                                       " while trying to " + request.what + ": " + reason);
}

}  // namespace dm::engine
