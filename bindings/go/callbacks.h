/* The C side of the callbacks: libdrillmaster calls these functions, which
 * call the Go functions exported in callbacks.go. A callback's user_data is
 * an id of the package's registry (registry.go), never a Go pointer, so the
 * C side never holds Go memory. */
#ifndef DRILLMASTER_GO_CALLBACKS_H
#define DRILLMASTER_GO_CALLBACKS_H

#include <drillmaster/drillmaster.h>
#include <stdint.h>

/* Which hook a call is for (hookKind in hooks.go). */
enum { DM_GO_PREPARE = 1, DM_GO_PRE_START, DM_GO_PING, DM_GO_POST_START_INIT, DM_GO_PRE_STOP };

/* Sets the hook `kind` of `service` to call the Go hook registered as `id`. */
int dm_go_set_hook(dm_service* service, int kind, uintptr_t id);

/* Points an options struct's on_event and event_user_data (C memory) at the
 * Go event receiver registered as `id`. */
void dm_go_set_events(dm_event_fn* fn, void** user_data, uintptr_t id);

/* dm_group_logs() with the Go line receiver registered as `id`. */
int dm_go_group_logs(dm_group* group, dm_client* client, const dm_logs_options* opts, uintptr_t id);

#endif
