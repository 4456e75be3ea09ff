#include "common/last_error.h"

#include "drillmaster/common.h"

namespace dm {
namespace {

struct LastError {
  int status = DM_OK;
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
  slot().status = DM_OK;
  slot().message.clear();
}

int last_error_status() { return slot().status; }

const std::string& last_error_message() { return slot().message; }

}  // namespace dm
