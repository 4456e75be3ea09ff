// The watch rules' routing in Python: Watcher (dm_watcher) and WatchBatch
// (dm_watch_batch). Other files of the module reach the C batch through
// WatchBatch::batch(), to hand it to the actions (dm_group_watch_apply).

#pragma once

#include "core.h"

namespace dm_python {

// What a set of changed paths asks of the watched services; owns its
// dm_watch_batch.
class WatchBatch {
 public:
  explicit WatchBatch(dm_watch_batch* batch) : batch_(batch, dm_watch_batch_free) {}
  // Borrowed: lives as long as this WatchBatch.
  const dm_watch_batch* batch() const { return batch_.get(); }

 private:
  std::shared_ptr<dm_watch_batch> batch_;
};

// The dm_group of a _core.Group (group.cpp); raises TypeError for another object.
dm_group* group_handle(py::handle group);

void bind_watch(py::module_& m);

}  // namespace dm_python
