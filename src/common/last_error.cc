#include "common/last_error.h"

namespace dm {
namespace {

struct LastError {
  int status = 0;  // no failure (DM_OK)
  std::string message;
};

LastError& slot() {
  thread_local LastError error;
  return error;
}

}  // namespace

void set_last_error(int status, const std::string& message) {
  slot().status = status;
  slot().message = message;
}

void clear_last_error() {
  slot().status = 0;
  slot().message.clear();
}

int last_error_status() { return slot().status; }

const std::string& last_error_message() { return slot().message; }

}  // namespace dm
