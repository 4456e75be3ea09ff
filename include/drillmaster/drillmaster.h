/*
 * drillmaster/drillmaster.h: the whole public C API of libdrillmaster.
 *
 *   common.h   status codes, errors, dm_free, version
 *   client.h   dm_client: a connection to a Docker Engine
 *   group.h    dm_group: services on a network; start, stop, reload, status, logs
 *   service.h  dm_service: one service's definition and host-side hooks
 *   exec.h     commands in running containers (exec) and one-off containers (run)
 *   watch.h    watch rules, their routing, file copies and restarts of one service
 *
 * Link with `pkg-config --cflags --libs drillmaster`.
 */
#ifndef DRILLMASTER_H
#define DRILLMASTER_H

#include "client.h"
#include "common.h"
#include "exec.h"
#include "group.h"
#include "service.h"
#include "watch.h"

#endif
