// The engine's hijacked connections: POST /containers/{id}/attach and POST
// /exec/{id}/start answer "101 UPGRADED" and then carry the container's raw
// stdin one way and its output (framed as log_frames.h says, raw with a TTY)
// the other, on the same socket. libcurl opens the connection
// (CURLOPT_CONNECT_ONLY: the address, the Unix socket, TLS as every request
// has them) and hands the socket over; curl_easy_send and curl_easy_recv
// move the bytes.
//
// One thread drives a connection: pump() copies an input descriptor to it
// and its output to a callback until the engine closes it, a cancel, or the
// deadline.
#ifndef DM_ENGINE_HIJACK_H
#define DM_ENGINE_HIJACK_H

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/cancel.h"
#include "engine/client.h"

namespace dm::engine {

class HijackedConnection {
 public:
  // Takes over `easy` (a connected CURL handle, CONNECT_ONLY). `what` names
  // the request in errors.
  HijackedConnection(void* easy, std::string what);
  ~HijackedConnection();
  HijackedConnection(const HijackedConnection&) = delete;
  HijackedConnection& operator=(const HijackedConnection&) = delete;

  // The socket, for poll().
  int fd() const { return fd_; }
  // Sends all of `data`, waiting for the socket when it is full.
  // Error::Code::Engine when the connection broke.
  void write(const char* data, size_t size);
  // Ends the container's stdin: shuts the socket's sending side (not over
  // TLS, where the engine sees the end of the input only when the
  // connection closes).
  void close_write();
  // What is there to read, into `buffer`: the byte count; 0 once the engine
  // closed the connection; -1 when nothing is there yet.
  long read(char* buffer, size_t size);
  const std::string& what() const { return what_; }
  // Bytes read past the answer's head: read() gives them first.
  void unread(std::string bytes) { early_ = std::move(bytes) + early_; }

 private:
  void* easy_;
  int fd_ = -1;
  std::string early_;  // read before the caller asked
  std::string what_;
  bool tls_ = false;
};

// What pump() connects a hijacked connection to.
struct StreamIo {
  // Copied to the connection until it ends, then close_write(); -1: none.
  int in_fd = -1;
  // The demultiplexed output (with a TTY, all of it on Stdout); return
  // false to stop. Called on the pumping thread.
  LogFn on_output;
  // With a TTY: a terminal whose window size the container's TTY follows,
  // through `on_resize(rows, columns)` (once at the beginning, then on
  // every change, looked at whenever the wait wakes, at least every 0.25 s).
  int winsize_fd = -1;
  std::function<void(int rows, int columns)> on_resize;
  // Any of these cancelled ends the pump at once.
  std::vector<const CancelToken*> cancel;
  double timeout = 0;  // seconds; 0: none
};

enum class StreamEnd {
  Closed,     // the engine closed the connection: the output is complete
  Stopped,    // on_output returned false
  Cancelled,  // a token of StreamIo::cancel
  TimedOut,   // StreamIo::timeout passed
};

StreamEnd pump(HijackedConnection& connection, bool tty, const StreamIo& io);

}  // namespace dm::engine

#endif
