// The one exception type of the library. Every failure inside drillmaster is a
// dm::Error carrying the dm_status the C boundary will return and a message for
// a person; src/capi turns it into the thread-local dm_error_last() text.
#ifndef DM_COMMON_ERROR_H
#define DM_COMMON_ERROR_H

#include <stdexcept>
#include <string>

#include "drillmaster/common.h"

namespace dm {

class Error : public std::runtime_error {
 public:
  Error(dm_status status, const std::string& message, long http_status = 0)
      : std::runtime_error(message), status_(status), http_status_(http_status) {}

  dm_status status() const { return status_; }
  // The HTTP status of the engine's answer, 0 when the error did not come from one.
  long http_status() const { return http_status_; }

 private:
  dm_status status_;
  long http_status_;
};

}  // namespace dm

#endif
