// The one exception type of the library. Every failure inside drillmaster is a
// dm::Error carrying what kind of failure it is and a message for a person;
// src/capi turns the kind into a dm_status and the message into the
// thread-local dm_error_last() text. Nothing here knows about C.
#ifndef DM_COMMON_ERROR_H
#define DM_COMMON_ERROR_H

#include <iosfwd>
#include <stdexcept>
#include <string>

namespace dm {

class Error : public std::runtime_error {
 public:
  // What the caller can do about a failure. The C boundary maps each to the
  // dm_status of the same name (capi/conversions.h).
  enum class Code {
    Invalid,      // bad argument or definition: fix the input
    NotFound,     // the thing named does not exist
    Conflict,     // the engine refused: name in use, still running...
    Unreachable,  // no engine answers at the address
    Engine,       // the engine answered with an error
    Timeout,      // a deadline passed
    Hook,         // a user callback failed
    Cancelled,    // the operation was cancelled
    Failed,       // the operation ran but some services failed
    NoMemory,     // out of memory
    Internal,     // a bug in drillmaster
  };

  Error(Code code, const std::string& message, long http_status = 0)
      : std::runtime_error(message), code_(code), http_status_(http_status) {}

  Code code() const { return code_; }
  // The HTTP status of the engine's answer, 0 when the error did not come from one.
  long http_status() const { return http_status_; }

 private:
  Code code_;
  long http_status_;
};

// The code's name as written above ("Invalid"), for test output and logs.
const char* code_name(Error::Code code);
std::ostream& operator<<(std::ostream& out, Error::Code code);

}  // namespace dm

#endif
