// What boundary.h declares: the thread's last error, and the helpers every
// exported function uses.
#include "capi/boundary.h"

#include <cstdlib>
#include <cstring>

namespace dm::capi {

namespace {

// What dm_error_last() and dm_error_last_status() return, per thread.
struct LastError {
  int status = DM_OK;
  std::string message;
};

LastError& last_error() {
  thread_local LastError error;
  return error;
}

}  // namespace

int fail(int status, const std::string& message) {
  last_error().status = status;
  last_error().message = message;
  return status;
}

void clear_error() {
  last_error().status = DM_OK;
  last_error().message.clear();
}

const std::string& last_error_message() { return last_error().message; }

int last_error_status() { return last_error().status; }

char* copy_for_caller(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out == nullptr) throw std::bad_alloc();
  std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

std::vector<std::string> strings(const char* const* items, size_t count, const char* what) {
  if (count > 0 && items == nullptr)
    throw ArgumentError(std::string(what) + " is NULL but its count is " + std::to_string(count));
  std::vector<std::string> out;
  for (size_t i = 0; i < count; i++) {
    if (items[i] == nullptr)
      throw ArgumentError(std::string(what) + "[" + std::to_string(i) + "] is NULL");
    out.emplace_back(items[i]);
  }
  return out;
}

}  // namespace dm::capi
