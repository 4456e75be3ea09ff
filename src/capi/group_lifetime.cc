#include "capi/group_lifetime.h"

#include <mutex>

#include "capi/handles.h"

namespace dm::capi {

GroupUse::GroupUse(dm_group* group) : group_(group) {
  std::lock_guard<std::mutex> lock(group_->lifetime);
  ++group_->uses;
}

GroupUse::~GroupUse() {
  bool last = false;
  {
    std::lock_guard<std::mutex> lock(group_->lifetime);
    last = --group_->uses == 0 && group_->freed;
  }
  if (last) delete group_;
}

bool GroupUse::freed() const {
  std::lock_guard<std::mutex> lock(group_->lifetime);
  return group_->freed;
}

void free_group(dm_group* group) {
  if (group == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(group->lifetime);
    if (group->uses > 0) {
      group->freed = true;  // the last operation to return deletes it
      return;
    }
  }
  delete group;
}

}  // namespace dm::capi
