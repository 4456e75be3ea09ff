// What drillmaster-reaper does once it runs on its own (main.cc has started
// it): wait for its owner's word, then for the watched processes, then remove
// the group in a few sweeps.
#ifndef DM_REAPER_REAPER_H
#define DM_REAPER_REAPER_H

#include <chrono>
#include <vector>

#include "orchestrator/reaper_protocol.h"
#include "reaper/process_watch.h"

namespace dm::reaper {

// When the sweeps run, counted from the moment the owner and every watched
// process are gone. A start killed mid-way may have create requests on their
// way to the engine, which can finish after the first sweep: the later ones
// remove those, so that ten seconds after a kill -9 nothing is left.
inline const std::vector<std::chrono::milliseconds> kSweepTimes = {
    std::chrono::milliseconds(0), std::chrono::milliseconds(2000), std::chrono::milliseconds(6000)};

// What the reaper is doing, as its process name shows it (/proc/<pid>/comm,
// `ps -o comm`; at most 15 characters): waiting for its owner's word, for
// the watched processes, or sweeping.
inline constexpr const char* kAwaitingOwner = "dm-reaper-owner";
inline constexpr const char* kAwaitingWatched = "dm-reaper-watch";
inline constexpr const char* kSweeping = "dm-reaper-sweep";

// Names the process after `phase` (one of the above).
void show_phase(const char* phase);

// Reads the control stream on `control` (the reaper's stdin); on "keep"
// returns at once; otherwise waits for the processes of `watch` (main.cc
// adds orders.watch_pid before the library goes on; the stream may add
// more), then sweeps the group at kSweepTimes. Returns the exit status: 0,
// or 1 when the last sweep could not remove everything.
int run_reaper(const orchestrator::ReaperOrders& orders, int control, ProcessWatch& watch);

}  // namespace dm::reaper

#endif
