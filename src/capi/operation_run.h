// What every operation of the C API does around its body: the one home of
// the turn on the group (one operation at a time, the cancel token reset),
// the event callback's wrapper and the status of a result.
#ifndef DM_CAPI_OPERATION_RUN_H
#define DM_CAPI_OPERATION_RUN_H

#include <mutex>
#include <string>
#include <utility>

#include "capi/boundary.h"
#include "capi/conversions.h"
#include "capi/group_lifetime.h"
#include "capi/handles.h"
#include "drillmaster/group.h"

namespace dm::capi {

inline dm::orchestrator::EventSink event_sink(dm_event_fn fn, void* user_data) {
  if (fn == nullptr) return nullptr;
  return [fn, user_data](const dm::orchestrator::Event& e) {
    dm_event event;
    event.version = DM_EVENT_VERSION;
    event.service = e.service.empty() ? nullptr : e.service.c_str();
    event.phase = to_phase(e.phase);
    event.message = e.message.c_str();
    event.timestamp = e.timestamp;
    fn(&event, user_data);
  };
}

// Runs one operation on the group: one at a time, with the cancel token reset.
// The GroupUse keeps the group alive until the operation returns, even when
// dm_group_free() is called meanwhile; it is released after the lock.
template <typename Body>
int run_operation(dm_group* group, dm_client* client, Body&& body) {
  DM_REQUIRE(group, "group");
  DM_REQUIRE(client, "client");
  GroupUse use(group);
  std::lock_guard<std::mutex> lock(group->operation);
  if (use.freed())
    throw dm::Error(dm::Error::Code::Invalid,
                    "the group was freed (dm_group_free) before this operation began");
  group->cancel.reset();
  return body();
}

inline int finish(dm_result** out, dm::orchestrator::Result&& result) {
  int status = to_status(result);
  *out = new dm_result{std::move(result)};
  if (status == DM_EFAILED) {
    fail(status, std::to_string((*out)->result.failures()) + " service(s) failed");
  } else if (status == DM_ECANCELLED) {
    fail(status, "cancelled");
  }
  return status;
}

}  // namespace dm::capi

#endif
