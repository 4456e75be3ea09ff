// The C boundary: every exported function runs its body through guard(), so
// no C++ exception crosses into C and every failure leaves its message in the
// calling thread's dm_error_last().
#ifndef DM_CAPI_BOUNDARY_H
#define DM_CAPI_BOUNDARY_H

#include <new>
#include <string>
#include <vector>

#include "common/error.h"
#include "drillmaster/common.h"

namespace dm::capi {

// Records a failure for dm_error_last() and returns its status.
int fail(int status, const std::string& message);

// Clears the thread's error; called on entry of every guarded function.
void clear_error();

// Runs `body` (which returns a dm_status), mapping exceptions to statuses.
template <typename Body>
int guard(Body&& body) noexcept {
  try {
    clear_error();
    return body();
  } catch (const dm::Error& e) {
    return fail(e.status(), e.what());
  } catch (const std::bad_alloc&) {
    return fail(DM_ENOMEM, "out of memory");
  } catch (const std::exception& e) {
    return fail(DM_EINTERNAL, std::string("internal error: ") + e.what() +
                                  " (please report this as a drillmaster bug)");
  } catch (...) {
    return fail(DM_EINTERNAL, "internal error: unknown exception (please report this as a drillmaster bug)");
  }
}

// Fails with DM_EINVALID naming `what` when `pointer` is NULL.
#define DM_REQUIRE(pointer, what)                                                  \
  do {                                                                             \
    if ((pointer) == nullptr)                                                      \
      throw dm::Error(DM_EINVALID, std::string(__func__) + ": " what " is NULL");  \
  } while (0)

// The C string array as strings; DM_EINVALID naming `what` for NULL entries.
std::vector<std::string> strings(const char* const* items, size_t count, const char* what);

// A copy of `s` in memory the caller releases with dm_free().
char* copy_for_caller(const std::string& s);

}  // namespace dm::capi

#endif
