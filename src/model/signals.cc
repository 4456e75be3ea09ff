#include "model/signals.h"

#include <cctype>

namespace dm::model {

const std::vector<std::string>& supported_signals() {
  static const std::vector<std::string> signals = {"SIGTERM", "SIGINT",  "SIGQUIT", "SIGKILL",
                                                   "SIGHUP",  "SIGUSR1", "SIGUSR2"};
  return signals;
}

std::string canonical_signal(const std::string& signal) {
  std::string upper;
  for (char c : signal) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.compare(0, 3, "SIG") != 0) upper = "SIG" + upper;
  for (const auto& known : supported_signals()) {
    if (upper == known) return known;
  }
  return "";
}

}  // namespace dm::model
