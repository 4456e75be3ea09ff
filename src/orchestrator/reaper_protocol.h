// What the library and drillmaster-reaper (src/reaper/) say to each other,
// written once for both sides.
//
// The library starts the reaper with its orders on the command line (the
// engine to reach, with nothing left to the reaper's environment, the group,
// its network, a process to wait for) and a control stream on its stdin,
// whose other end only the library's process holds. Over it the library
// sends lines:
//   "keep\n"       the group stays: the reaper exits without touching it;
//   "watch <pid>\n" wait for that process too before removing anything.
// The end of the stream without "keep" (the process exited, however it did)
// means: once every watched process has exited, remove the group. Unknown
// lines are ignored, so a newer library may say more to an older reaper.
#ifndef DM_ORCHESTRATOR_REAPER_PROTOCOL_H
#define DM_ORCHESTRATOR_REAPER_PROTOCOL_H

#include <string>
#include <vector>

#include "engine/client.h"

namespace dm::orchestrator {

// The executable's file name, wherever it is installed.
inline constexpr const char* kReaperName = "drillmaster-reaper";

struct ReaperOrders {
  engine::ClientOptions engine;  // as engine::Client::connection_options() gives them
  std::string group;
  std::string network;
  long watch_pid = 0;  // 0: none; the end of the control stream is enough
};

// The command line for `orders`, without the program name:
// --host unix:///var/run/docker.sock --api-version 1.41 --tls 0 ...
std::vector<std::string> reaper_arguments(const ReaperOrders& orders);

// The orders back from the command line (without the program name). Throws
// dm::Error(Code::Invalid) naming the argument that is unknown, missing or
// malformed.
ReaperOrders parse_reaper_arguments(const std::vector<std::string>& arguments);

// The control lines, newline included.
inline constexpr const char* kKeepLine = "keep\n";
std::string watch_line(long pid);

struct ControlMessage {
  enum class Kind { Keep, Watch, Unknown };
  Kind kind = Kind::Unknown;
  long pid = 0;  // Kind::Watch: a positive pid
};

// One line, without its newline. "watch" with anything but a positive
// decimal pid is Unknown.
ControlMessage parse_control_line(const std::string& line);

}  // namespace dm::orchestrator

#endif
