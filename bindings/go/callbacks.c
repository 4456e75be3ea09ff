#include "callbacks.h"

#include "_cgo_export.h"

static int prepare(const dm_hook_info* info, void* user_data) {
  return dmGoHook(DM_GO_PREPARE, (dm_hook_info*)info, (uintptr_t)user_data);
}
static int pre_start(const dm_hook_info* info, void* user_data) {
  return dmGoHook(DM_GO_PRE_START, (dm_hook_info*)info, (uintptr_t)user_data);
}
static int ping(const dm_hook_info* info, void* user_data) {
  return dmGoHook(DM_GO_PING, (dm_hook_info*)info, (uintptr_t)user_data);
}
static int post_start_init(const dm_hook_info* info, void* user_data) {
  return dmGoHook(DM_GO_POST_START_INIT, (dm_hook_info*)info, (uintptr_t)user_data);
}
static int pre_stop(const dm_hook_info* info, void* user_data) {
  return dmGoHook(DM_GO_PRE_STOP, (dm_hook_info*)info, (uintptr_t)user_data);
}

int dm_go_set_hook(dm_service* service, int kind, uintptr_t id) {
  void* data = (void*)id;
  switch (kind) {
    case DM_GO_PREPARE:
      return dm_service_set_prepare(service, prepare, data);
    case DM_GO_PRE_START:
      return dm_service_set_pre_start(service, pre_start, data);
    case DM_GO_PING:
      return dm_service_set_ping(service, ping, data);
    case DM_GO_POST_START_INIT:
      return dm_service_set_post_start_init(service, post_start_init, data);
    case DM_GO_PRE_STOP:
      return dm_service_set_pre_stop(service, pre_stop, data);
  }
  return DM_EINVALID;
}

static void on_event(const dm_event* event, void* user_data) {
  dmGoEvent((dm_event*)event, (uintptr_t)user_data);
}
void dm_go_set_events(dm_event_fn* fn, void** user_data, uintptr_t id) {
  *fn = on_event;
  *user_data = (void*)id;
}

static int on_log(const char* service, int stream, const char* line, size_t length,
                  void* user_data) {
  return dmGoLog((char*)service, stream, (char*)line, length, (uintptr_t)user_data);
}
int dm_go_group_logs(dm_group* group, dm_client* client, const dm_logs_options* opts,
                     uintptr_t id) {
  return dm_group_logs(group, client, opts, on_log, (void*)id);
}
