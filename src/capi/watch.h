// What the opaque handles of include/drillmaster/watch.h hold. Only src/capi
// sees these.
#ifndef DM_CAPI_WATCH_H
#define DM_CAPI_WATCH_H

#include "model/watch.h"

struct dm_watcher {
  dm::model::Watcher watcher;
};

struct dm_watch_batch {
  dm::model::WatchBatch batch;
};

#endif
