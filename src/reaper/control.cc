#include "reaper/control.h"

#include <errno.h>
#include <unistd.h>

#include <string>

#include "orchestrator/reaper_protocol.h"

namespace dm::reaper {
namespace {

// Longer than any line of the protocol: the rest of such a line is dropped.
constexpr size_t kMaxLine = 256;

}  // namespace

Verdict read_control(int fd, ProcessWatch& watch) {
  using orchestrator::ControlMessage;
  std::string line;
  bool overlong = false;
  char buffer[512];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Verdict::Remove;
    for (ssize_t i = 0; i < n; i++) {
      if (buffer[i] != '\n') {
        if (line.size() < kMaxLine)
          line += buffer[i];
        else
          overlong = true;
        continue;
      }
      ControlMessage message = orchestrator::parse_control_line(overlong ? "" : line);
      line.clear();
      overlong = false;
      if (message.kind == ControlMessage::Kind::Keep) return Verdict::Keep;
      if (message.kind == ControlMessage::Kind::Watch) watch.add(message.pid);
    }
  }
}

}  // namespace dm::reaper
