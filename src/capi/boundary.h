// The C boundary: every exported function runs its body through guard(), so
// no C++ exception crosses into C and every failure leaves its message in the
// calling thread's dm_error_last(). A mistake in the arguments (a NULL handle)
// is reported under the name of the public function that was called:
// "dm_group_start: group is NULL".
#ifndef DM_CAPI_BOUNDARY_H
#define DM_CAPI_BOUNDARY_H

#include <new>
#include <string>
#include <vector>

#include "capi/conversions.h"
#include "common/error.h"
#include "drillmaster/common.h"

namespace dm::capi {

// Records a failure for dm_error_last() and returns its status.
int fail(int status, const std::string& message);

// Clears the thread's error; called on entry of every guarded function.
void clear_error();

// The calling thread's last error message (dm_error_last()) and status
// (dm_error_last_status()). The message is borrowed: valid until the next
// change on this thread.
const std::string& last_error_message();
int last_error_status();

// A wrong argument of the public function being called (a NULL handle, a NULL
// entry in an array): guard() puts that function's name before the message.
class ArgumentError : public dm::Error {
 public:
  explicit ArgumentError(const std::string& message)
      : dm::Error(dm::Error::Code::Invalid, message) {}
};

// Runs `body` (which returns a dm_status), mapping exceptions to statuses.
// `function` names the public function in argument errors. It defaults to the
// name of the function that calls guard(), which is always the exported one
// (its body is a lambda, whose own __func__ would be "operator()"), so no
// call site has to spell its own name. GCC and Clang provide
// __builtin_FUNCTION(); it is std::source_location's C++17 forerunner.
template <typename Body>
int guard(Body&& body, const char* function = __builtin_FUNCTION()) noexcept {
  try {
    clear_error();
    return body();
  } catch (const ArgumentError& e) {
    return fail(to_status(e.code()), std::string(function) + ": " + e.what());
  } catch (const dm::Error& e) {
    return fail(to_status(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    return fail(DM_ENOMEM, "out of memory");
  } catch (const std::exception& e) {
    return fail(DM_EINTERNAL, std::string("internal error: ") + e.what() +
                                  " (please report this as a drillmaster bug)");
  } catch (...) {
    return fail(DM_EINTERNAL,
                "internal error: unknown exception (please report this as a drillmaster bug)");
  }
}

// Fails with DM_EINVALID, "<public function>: <what> is NULL", when `pointer`
// is NULL. Usable anywhere under guard(), in lambdas and helpers alike.
#define DM_REQUIRE(pointer, what)                                                            \
  do {                                                                                       \
    if ((pointer) == nullptr) throw dm::capi::ArgumentError(std::string(what) + " is NULL"); \
  } while (0)

// The C string array as strings; an ArgumentError naming `what` for NULL
// entries.
std::vector<std::string> strings(const char* const* items, size_t count, const char* what);

// A copy of `s` in memory the caller releases with dm_free().
char* copy_for_caller(const std::string& s);

}  // namespace dm::capi

#endif
