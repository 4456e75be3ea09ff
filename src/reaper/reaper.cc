#include "reaper/reaper.h"

#include <sys/prctl.h>

#include <memory>
#include <thread>

#include "common/cancel.h"
#include "engine/client.h"
#include "orchestrator/sweep.h"
#include "reaper/control.h"

namespace dm::reaper {
namespace {

// One sweep; whether it left the group empty. Any failure (the engine does
// not answer, the lock is held too long) leaves it to the next sweep.
bool sweep_once(const orchestrator::ReaperOrders& orders, std::unique_ptr<engine::Client>& engine,
                const CancelToken& never) {
  try {
    if (!engine) engine = engine::Client::open(orders.engine);
    return orchestrator::sweep_group(*engine, orders.group, orders.network, never) == 0;
  } catch (...) {  // dm::Error mostly; nothing may end the reaper before its last sweep
    return false;
  }
}

}  // namespace

void show_phase(const char* phase) { ::prctl(PR_SET_NAME, phase, 0, 0, 0); }

int run_reaper(const orchestrator::ReaperOrders& orders, int control, ProcessWatch& watch) {
  show_phase(kAwaitingOwner);
  if (read_control(control, watch) == Verdict::Keep) return 0;
  show_phase(kAwaitingWatched);
  watch.wait_all();
  show_phase(kSweeping);
  const auto began = std::chrono::steady_clock::now();
  CancelToken never;
  std::unique_ptr<engine::Client> engine;
  bool clean = false;
  for (std::chrono::milliseconds at : kSweepTimes) {
    std::this_thread::sleep_until(began + at);
    clean = sweep_once(orders, engine, never);
  }
  return clean ? 0 : 1;
}

}  // namespace dm::reaper
