// Thread-local error text, status names, dm_free and the version: the parts of
// drillmaster/common.h that every other function leans on.
#include <cstdlib>
#include <string>

#include "capi/boundary.h"
#include "drillmaster/common.h"

extern "C" {

const char* dm_error_last(void) { return dm::capi::last_error_message().c_str(); }

int dm_error_last_status(void) { return dm::capi::last_error_status(); }

void dm_error_clear(void) { dm::capi::clear_error(); }

void dm_error_set(const char* message) {
  try {
    if (message == nullptr) {
      dm::capi::clear_error();
    } else {
      dm::capi::fail(DM_EHOOK, message);
    }
  } catch (...) {
    // Out of memory while copying the message: keep whatever was there.
  }
}

const char* dm_status_name(int status) {
  switch (status) {
    case DM_OK:
      return "DM_OK";
    case DM_EINVALID:
      return "DM_EINVALID";
    case DM_ENOTFOUND:
      return "DM_ENOTFOUND";
    case DM_ECONFLICT:
      return "DM_ECONFLICT";
    case DM_EUNREACHABLE:
      return "DM_EUNREACHABLE";
    case DM_EENGINE:
      return "DM_EENGINE";
    case DM_ETIMEOUT:
      return "DM_ETIMEOUT";
    case DM_EHOOK:
      return "DM_EHOOK";
    case DM_ECANCELLED:
      return "DM_ECANCELLED";
    case DM_EFAILED:
      return "DM_EFAILED";
    case DM_ENOMEM:
      return "DM_ENOMEM";
    case DM_EINTERNAL:
      return "DM_EINTERNAL";
    default:
      return "DM_UNKNOWN";
  }
}

void dm_free(void* ptr) { std::free(ptr); }

const char* dm_version(void) { return DM_VERSION_STRING; }

void dm_version_numbers(int* major, int* minor, int* patch) {
  if (major) *major = DM_VERSION_MAJOR;
  if (minor) *minor = DM_VERSION_MINOR;
  if (patch) *patch = DM_VERSION_PATCH;
}

}  // extern "C"
