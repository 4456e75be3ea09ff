// The stop signals a service may ask for.
#ifndef DM_MODEL_SIGNALS_H
#define DM_MODEL_SIGNALS_H

#include <string>
#include <vector>

namespace dm::model {

// "SIGTERM", "SIGINT", "SIGQUIT", "SIGKILL", "SIGHUP", "SIGUSR1", "SIGUSR2".
const std::vector<std::string>& supported_signals();

// The stop signal in canonical form ("term", "SIGTERM", "sigterm" ->
// "SIGTERM"); "" when it is not one of supported_signals().
std::string canonical_signal(const std::string& signal);

}  // namespace dm::model

#endif
