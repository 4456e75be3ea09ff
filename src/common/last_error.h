// The calling thread's last error: what dm_error_last() returns. Lives below
// every layer because callbacks report through it too: a hook calls
// dm_error_set() on its own thread and the orchestrator reads the reason
// there.
#ifndef DM_COMMON_LAST_ERROR_H
#define DM_COMMON_LAST_ERROR_H

#include <string>

namespace dm {

void set_last_error(int status, const std::string& message);
void clear_last_error();
int last_error_status();
// Borrowed: valid until the next change on this thread.
const std::string& last_error_message();

}  // namespace dm

#endif
