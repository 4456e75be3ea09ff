/*
 * drillmaster/client.h: a connection to a Docker Engine.
 *
 * A dm_client talks to one engine over its HTTP API (a Unix socket, or TCP
 * with optional TLS) and keeps its connections open between calls. It is
 * thread-safe: one client may be used by many threads and many groups at once.
 */
#ifndef DRILLMASTER_CLIENT_H
#define DRILLMASTER_CLIENT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dm_client dm_client;

/* How to reach the engine. Initialise it with DM_CLIENT_OPTIONS_INIT or
 * dm_client_options_init() (not by zeroing it: tls_verify 0 turns TLS off).
 * Every field left at that default falls back to the environment, as the
 * docker command does:
 *   host         the engine's address; NULL: found as the docker command
 *                finds it (see "Finding the engine" below). Accepted:
 *                "unix:///path", "tcp://host:port".
 *   api_version  DOCKER_API_VERSION, else negotiated with the engine
 *                (the highest both speak, at least "1.40").
 *   tls_verify   -1: TLS when DOCKER_TLS_VERIFY is set, non-empty and not
 *                "0" or "false"; 0: no TLS; 1: TLS. With TLS the engine's
 *                certificate is always verified against ca.pem. Any other
 *                value is DM_EINVALID. TLS applies to tcp:// addresses only;
 *                a tcp:// address without TLS is plain text, as with the
 *                docker command (dm_client_transport() says which).
 *   cert_path    DOCKER_CERT_PATH, else "~/.docker" (ca.pem, cert.pem, key.pem).
 *   timeout      seconds allowed for an ordinary request (not for waits, log
 *                follows, builds or pulls); 0 means 60.
 *   context      (version 2, since 0.2) a docker context's name, as the
 *                docker command's --context: it beats DOCKER_HOST, and
 *                giving it with `host` is DM_EINVALID (docker refuses
 *                --host with --context). "default" means no context. NULL:
 *                none.
 *
 * Finding the engine, in the docker command's order (docker/cli,
 * cli/command/cli.go, resolveContextName): `context`; `host`; DOCKER_HOST;
 * DOCKER_CONTEXT; the currentContext of $DOCKER_CONFIG/config.json (default
 * ~/.docker/config.json). A context is read from
 * $DOCKER_CONFIG/contexts/meta/<sha256 of its name>/meta.json
 * (Endpoints.docker.Host and SkipTLSVerify), with its TLS files from
 * contexts/tls/<sha256>/docker/{ca,cert,key}.pem. Any of these settles the
 * engine: it is used whether it answers or not. Without any, the first of
 * these sockets that answers: the rootless $XDG_RUNTIME_DIR/docker.sock,
 * /var/run/docker.sock, then Podman's $XDG_RUNTIME_DIR/podman/podman.sock
 * and /run/podman/podman.sock. dm_client_found_by() tells which was used. */
typedef struct dm_client_options {
  unsigned int version;
  const char* host;
  const char* api_version;
  int tls_verify;
  const char* cert_path;
  double timeout;
  /* version 2 */
  const char* context;
} dm_client_options;

#define DM_CLIENT_OPTIONS_VERSION 2
#define DM_CLIENT_OPTIONS_INIT \
  { DM_CLIENT_OPTIONS_VERSION, NULL, NULL, -1, NULL, 0, NULL }

/* Fills *opts with the library's defaults for `version` of the struct (pass
 * DM_CLIENT_OPTIONS_VERSION): the values of DM_CLIENT_OPTIONS_INIT, and the
 * way to initialise the struct where the macro cannot be used (cgo, bindgen,
 * cffi). Writes only the fields that version has. Returns DM_OK; DM_EINVALID
 * when opts is NULL or the version is not one this library knows (the message
 * names the struct, the version and the ones it knows). Thread-safe.
 * Since 0.2. */
DM_EXTERN(int) dm_client_options_init(dm_client_options* opts, unsigned int version);

/* Opens a client and negotiates the API version with the engine, so an
 * unreachable engine is reported here. `opts` may be NULL (all from the
 * environment).
 * Returns DM_OK; DM_EINVALID for a malformed address (the message names it),
 * a tls_verify other than -1, 0 or 1, both `host` and `context`, or a
 * docker config.json or context file that cannot be read; DM_ENOTFOUND for a
 * named context that does not exist (the message names it and the file
 * looked for); DM_EUNREACHABLE when nothing answers (the message names
 * every place looked at, in order, with why each was passed over, and how
 * to start an engine); DM_EENGINE when the engine is older than API
 * 1.40. On failure *out is NULL. Since 0.1. */
DM_EXTERN(int) dm_client_open(dm_client** out, const dm_client_options* opts);

/* Closes the connections and frees the client. NULL is a no-op. No call on the
 * client may be in progress on another thread. Since 0.1. */
DM_EXTERN(void) dm_client_free(dm_client* client);

/* Asks the engine whether it is alive (GET /_ping). Since 0.1. */
DM_EXTERN(int) dm_client_ping(dm_client* client);

/* The address the client talks to, e.g. "unix:///var/run/docker.sock".
 * Borrowed: lives as long as the client. Since 0.1. */
DM_EXTERN(const char*) dm_client_host(const dm_client* client);

/* How the engine was found, in words a front end can show next to
 * dm_client_host(): "host option", "DOCKER_HOST", "context 'NAME' (context
 * option)", "context 'NAME' (DOCKER_CONTEXT)", "context 'NAME' (PATH of
 * config.json)", "rootless socket", "default socket" or "podman socket".
 * Later versions may add values. Borrowed: lives as long as the client; ""
 * for NULL. Thread-safe. Since 0.2. */
DM_EXTERN(const char*) dm_client_found_by(const dm_client* client);

/* The API version in use, e.g. "1.41". Borrowed: lives as long as the client.
 * Since 0.1. */
DM_EXTERN(const char*) dm_client_api_version(const dm_client* client);

/* Asks the engine for its version. Writes the engine's version (e.g.
 * "20.10.24") and the highest API version it speaks (e.g. "1.41") into
 * caller-owned strings, released with dm_free(). Either pointer may be NULL.
 * Since 0.1. */
DM_EXTERN(int) dm_client_engine_version(dm_client* client, char** engine_version,
                                        char** api_version);

/* How the client reaches the engine, in words a front end can show (say, in
 * verbose output), one of:
 *   "unix socket"                 a local socket: no network involved;
 *   "tcp, plain (no TLS)"         TCP without encryption or authentication;
 *   "tcp, TLS with verification"  TCP with TLS, the engine's certificate
 *                                 checked against ca.pem;
 *   "tcp, TLS without verification"  (since 0.2) a docker context with
 *                                 SkipTLSVerify: encrypted, the engine's
 *                                 certificate not checked.
 * Later versions may add values. Borrowed: lives as long as the client. ""
 * for NULL. Since 0.2. */
DM_EXTERN(const char*) dm_client_transport(const dm_client* client);

/* The address a program on this machine connects to for `container_port`
 * ("5432", "5432/tcp", "53/udp") of container `container` (an id or a name)
 * as the engine published it: *host (the caller frees it with dm_free()) and
 * *port. Asks the engine (one container inspect), so the answer is the port
 * the container has now, also one the engine picked (a host port of 0 in
 * dm_service_add_port()).
 *
 * The host, from the binding the engine reports (an IPv4 binding is preferred
 * when the port is bound on IPv4 and IPv6, which may have different ports):
 *   "0.0.0.0" or ""  "127.0.0.1" when the client talks to the engine over a
 *                    unix socket (a local engine);
 *   "::"             "::1" over a unix socket;
 *   either of these  the engine's host name, as in the client's tcp://
 *                    address, when the client talks to a tcp:// engine:
 *                    the port is published on that machine;
 *   any other        that address itself (the port is bound on it only).
 *
 * The engine picks a free host port again each time a container starts:
 * after a stop and a start (or a restart) ask again.
 *
 * Either out-parameter may be NULL; on failure *host is NULL and *port 0.
 * Returns DM_OK; DM_ENOTFOUND when the container does not exist, is not
 * running (a stopped container publishes no ports) or does not publish that
 * port: the message names the container and the port, says why, and lists
 * the ports it publishes; DM_EINVALID for a NULL client, container or
 * container_port, an empty container, or a bad port text (the message names
 * it); DM_EUNREACHABLE / DM_EENGINE / DM_ETIMEOUT when the engine failed.
 * Thread-safe; may be called from hooks while an operation runs.
 * Since 0.2. */
DM_EXTERN(int) dm_client_host_port(dm_client* client, const char* container,
                                   const char* container_port, char** host, int* port);

#ifdef __cplusplus
}
#endif

#endif
