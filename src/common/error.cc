#include "common/error.h"

#include <ostream>

namespace dm {

const char* code_name(Error::Code code) {
  switch (code) {
    case Error::Code::Invalid:
      return "Invalid";
    case Error::Code::NotFound:
      return "NotFound";
    case Error::Code::Conflict:
      return "Conflict";
    case Error::Code::Unreachable:
      return "Unreachable";
    case Error::Code::Engine:
      return "Engine";
    case Error::Code::Timeout:
      return "Timeout";
    case Error::Code::Hook:
      return "Hook";
    case Error::Code::Cancelled:
      return "Cancelled";
    case Error::Code::Failed:
      return "Failed";
    case Error::Code::NoMemory:
      return "NoMemory";
    case Error::Code::Internal:
      return "Internal";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, Error::Code code) { return out << code_name(code); }

}  // namespace dm
