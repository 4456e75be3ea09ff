// The reaper's side of the control stream (orchestrator/reaper_protocol.h):
// read until the library says "keep" or its process is gone.
#ifndef DM_REAPER_CONTROL_H
#define DM_REAPER_CONTROL_H

#include "reaper/process_watch.h"

namespace dm::reaper {

enum class Verdict {
  Keep,    // "keep": leave the group alone
  Remove,  // the stream ended without "keep": the owner is gone
};

// Reads control lines from `fd` until "keep" or the end of the stream (a
// read error counts as the end: the owner can no longer say "keep"). Each
// "watch <pid>" is added to `watch` at once, so the process is watched from
// then on. A line longer than any the protocol has is dropped.
Verdict read_control(int fd, ProcessWatch& watch);

}  // namespace dm::reaper

#endif
