// The stop signals a service may ask for.
#ifndef DM_MODEL_SIGNALS_H
#define DM_MODEL_SIGNALS_H

#include <string>
#include <vector>

namespace dm::model {

// "SIGTERM", "SIGINT", "SIGQUIT", "SIGKILL", "SIGHUP", "SIGUSR1", "SIGUSR2".
const std::vector<std::string>& supported_signals();

}  // namespace dm::model

#endif
