/*
 * drillmaster/common.h: status codes, errors, memory and version.
 *
 * Conventions that hold for every header of the library:
 *
 * - Functions return a dm_status (DM_OK is 0, failures are negative). When a
 *   function fails, dm_error_last() on the same thread holds a message meant
 *   for a person: it names the service, the field and the value involved.
 * - Constructors write the new handle through an out-parameter placed first
 *   and set it to NULL on failure. Every handle has a dm_*_free function;
 *   freeing NULL is a no-op.
 * - Strings passed in are copied; the caller keeps ownership of its memory.
 *   Strings returned as `const char *` are borrowed: the header says how long
 *   they live. Strings returned through `char **` belong to the caller, who
 *   releases them with dm_free().
 * - Options structs start with `unsigned int version`. Initialise one with
 *   its DM_*_OPTIONS_INIT macro, or with its dm_*_options_init(opts,
 *   DM_*_OPTIONS_VERSION) function, which fills the library's defaults for
 *   that version. Bindings that cannot use a macro (cgo, bindgen, cffi...)
 *   must call the function: a struct zeroed apart from `version` does not
 *   hold the defaults, and several zeros mean something else (a start
 *   timeout of 0 gives a ping no time at all, a stop timeout of 0 kills
 *   without a grace period, a logs tail of 0 prints no lines, a client
 *   tls_verify of 0 turns TLS off). Fields are only ever appended, each with
 *   a new version number; the library reads only the fields of the version a
 *   struct says it is, so a program built against an older header keeps
 *   working. A version the library does not know is DM_EINVALID.
 * - Each function says since which version it exists ("Since 0.1."), and
 *   its symbol carries that version (DRILLMASTER_0.1, DRILLMASTER_0.2...): a
 *   program that uses a newer function than the library it meets fails to
 *   load with a message that names the version, not a bare "undefined
 *   symbol". Functions are never removed nor changed.
 * - Callbacks take `void *user_data` as their last parameter. A callback that
 *   returns non-zero fails the step it belongs to; it may call dm_error_set()
 *   first to give the reason.
 * - No function lets a C++ exception escape.
 */
#ifndef DRILLMASTER_COMMON_H
#define DRILLMASTER_COMMON_H

#include <stddef.h>

#if defined(_WIN32)
#  define DM_EXTERN(type) __declspec(dllexport) type
#elif defined(__GNUC__)
#  define DM_EXTERN(type) __attribute__((visibility("default"))) type
#else
#  define DM_EXTERN(type) type
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version, also available at run time through dm_version(). */
#define DM_VERSION_MAJOR 0
#define DM_VERSION_MINOR 2
#define DM_VERSION_PATCH 0
#define DM_VERSION_STRING "0.2.0"

/* Outcome of a call. Negative values are failures, grouped by what the caller
 * can do about them. New codes are only ever added. */
typedef enum dm_status {
  DM_OK = 0,
  DM_EINVALID = -1,     /* bad argument or definition: fix the input */
  DM_ENOTFOUND = -2,    /* the thing named does not exist */
  DM_ECONFLICT = -3,    /* the engine refused: name in use, still running... */
  DM_EUNREACHABLE = -4, /* no engine answers at the configured address */
  DM_EENGINE = -5,      /* the engine answered with an error */
  DM_ETIMEOUT = -6,     /* a deadline passed */
  DM_EHOOK = -7,        /* a user callback failed */
  DM_ECANCELLED = -8,   /* dm_group_cancel() was called */
  DM_EFAILED = -9,      /* the operation ran but some services failed: see the result */
  DM_ENOMEM = -10,      /* out of memory */
  DM_EINTERNAL = -11    /* a bug in drillmaster: please report it */
} dm_status;

/* The message of the last failure on the calling thread, or "" when there is
 * none. Borrowed: valid until the next drillmaster call on this thread.
 * Thread-safe (each thread has its own). Since 0.1. */
DM_EXTERN(const char*) dm_error_last(void);

/* The dm_status of the last failure on the calling thread (DM_OK if none).
 * Since 0.1. */
DM_EXTERN(int) dm_error_last_status(void);

/* Clears the calling thread's last error. Since 0.1. */
DM_EXTERN(void) dm_error_clear(void);

/* Sets the calling thread's last error. Meant for callbacks: call it before
 * returning non-zero and the message becomes the failure reason of the step.
 * `message` is copied; NULL clears. Since 0.1. */
DM_EXTERN(void) dm_error_set(const char* message);

/* A short constant name for a status ("DM_EINVALID"); never NULL. Since 0.1. */
DM_EXTERN(const char*) dm_status_name(int status);

/* Releases memory the library handed over through a `char **` out-parameter.
 * NULL is a no-op. Since 0.1. */
DM_EXTERN(void) dm_free(void* ptr);

/* The version of the library actually loaded, e.g. "0.2.0". Static storage.
 * Since 0.1. */
DM_EXTERN(const char*) dm_version(void);

/* The same as numbers; any pointer may be NULL. Since 0.1. */
DM_EXTERN(void) dm_version_numbers(int* major, int* minor, int* patch);

#ifdef __cplusplus
}
#endif

#endif
