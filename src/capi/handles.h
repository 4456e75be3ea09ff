// What the opaque handles of the C API hold. Only src/capi sees these.
#ifndef DM_CAPI_HANDLES_H
#define DM_CAPI_HANDLES_H

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/cancel.h"
#include "engine/client.h"
#include "model/service.h"
#include "model/watch_batch.h"
#include "orchestrator/operation.h"

struct dm_client {
  std::unique_ptr<dm::engine::Client> engine;
};

// A service's definition, as its setters record it (hooks wrapped by
// capi/hooks.h). Also the temporary handle a prepare hook gets over the
// operation's working copy.
struct dm_service {
  dm::model::ServiceDef def;
};

struct dm_group {
  std::string name;
  std::string network;
  std::string directory;
  // unique_ptr: handles given out stay valid as services are added.
  std::vector<std::unique_ptr<dm_service>> services;
  // One operation at a time on a group.
  std::mutex operation;
  // Cancelled by dm_group_cancel(), possibly from a signal handler (the
  // token's cancel() is async-signal-safe); reset when an operation begins.
  dm::CancelToken cancel;
  // Operations running or waiting for their turn, and whether dm_group_free()
  // was called meanwhile (see group_lifetime.h). The mutex guards these two
  // fields only and is never held while anything else runs.
  std::mutex lifetime;
  size_t uses = 0;
  bool freed = false;

  // A snapshot of the definition for one operation: the operation works on its
  // own copy, so the caller's handles are never touched from worker threads.
  dm::model::GroupDef snapshot() const;
};

struct dm_result {
  dm::orchestrator::Result result;
};

struct dm_exec_result {
  int exit_code = -1;
  std::string out, err;
};

struct dm_report {
  std::vector<dm::orchestrator::ServiceState> services;
};

// What a set of changed paths asks of the watched services
// (drillmaster/watch.h): routing fills it, dm_group_watch_apply() carries
// out its entries.
struct dm_watch_batch {
  dm::model::WatchBatch batch;
};

#endif
