#include "orchestrator/reaper_protocol.h"

#include <cerrno>
#include <cstdlib>
#include <map>

#include "common/error.h"

namespace dm::orchestrator {
namespace {

// A positive decimal number that fits a long, or 0.
long positive_number(const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    return 0;
  return std::strtol(text.c_str(), nullptr, 10);
}

[[noreturn]] void refuse(const std::string& problem) {
  throw Error(Error::Code::Invalid, std::string(kReaperName) + ": " + problem);
}

// "--name value" pairs, each name once.
std::map<std::string, std::string> pairs(const std::vector<std::string>& arguments) {
  std::map<std::string, std::string> given;
  for (size_t i = 0; i < arguments.size(); i += 2) {
    const std::string& name = arguments[i];
    if (name.rfind("--", 0) != 0) refuse("unexpected argument '" + name + "'");
    if (i + 1 == arguments.size()) refuse(name + " needs a value");
    if (!given.emplace(name, arguments[i + 1]).second) refuse(name + " is given twice");
  }
  return given;
}

double seconds_option(const std::string& name, const std::string& value) {
  char* end = nullptr;
  errno = 0;
  double seconds = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || errno != 0 || !(seconds >= 0))
    refuse(name + " takes seconds, not '" + value + "'");
  return seconds;
}

// The options of a connection's exact TLS (engine::ClientOptions::tls): a
// docker context's files and whether the engine's certificate is checked.
void apply_tls_file(ReaperOrders& orders, const std::string& name, const std::string& value) {
  if (!orders.engine.tls) orders.engine.tls = engine::TlsFiles{true};
  engine::TlsFiles& tls = *orders.engine.tls;
  const std::map<std::string, std::string*> files = {
      {"--tls-ca", &tls.ca}, {"--tls-cert", &tls.cert}, {"--tls-key", &tls.key}};
  if (auto file = files.find(name); file != files.end()) {
    *file->second = value;
  } else if (name == "--tls-verify-peer") {
    if (value != "0" && value != "1") refuse(name + " takes 0 or 1, not '" + value + "'");
    tls.verify = value == "1";
  } else {
    refuse("unknown option " + name);
  }
}

// Sets the option `name` of `orders` from `value`.
void apply(ReaperOrders& orders, const std::string& name, const std::string& value) {
  const std::map<std::string, std::string*> text = {{"--host", &orders.engine.host},
                                                    {"--api-version", &orders.engine.api_version},
                                                    {"--cert-path", &orders.engine.cert_path},
                                                    {"--group", &orders.group},
                                                    {"--network", &orders.network}};
  if (auto field = text.find(name); field != text.end()) {
    *field->second = value;
  } else if (name == "--tls") {
    if (value != "0" && value != "1") refuse("--tls takes 0 or 1, not '" + value + "'");
    orders.engine.tls_verify = value == "1" ? 1 : 0;
  } else if (name.rfind("--tls-", 0) == 0) {
    apply_tls_file(orders, name, value);
  } else if (name == "--timeout") {
    orders.engine.timeout = seconds_option(name, value);
  } else if (name == "--watch-pid") {
    orders.watch_pid = positive_number(value);
    if (orders.watch_pid <= 0) refuse("--watch-pid takes a process id, not '" + value + "'");
  } else {
    refuse("unknown option " + name);
  }
}

}  // namespace

std::vector<std::string> reaper_arguments(const ReaperOrders& orders) {
  std::vector<std::string> out = {"--host",        orders.engine.host,
                                  "--api-version", orders.engine.api_version,
                                  "--tls",         orders.engine.tls_verify == 1 ? "1" : "0",
                                  "--cert-path",   orders.engine.cert_path,
                                  "--timeout",     std::to_string(orders.engine.timeout),
                                  "--group",       orders.group,
                                  "--network",     orders.network};
  if (const auto& tls = orders.engine.tls; tls && tls->enabled) {
    for (const std::string& word :
         {std::string("--tls-ca"), tls->ca, std::string("--tls-cert"), tls->cert,
          std::string("--tls-key"), tls->key, std::string("--tls-verify-peer"),
          std::string(tls->verify ? "1" : "0")})
      out.push_back(word);
  }
  if (orders.watch_pid > 0) {
    out.push_back("--watch-pid");
    out.push_back(std::to_string(orders.watch_pid));
  }
  return out;
}

ReaperOrders parse_reaper_arguments(const std::vector<std::string>& arguments) {
  std::map<std::string, std::string> given = pairs(arguments);
  ReaperOrders orders;
  for (const auto& [name, value] : given) apply(orders, name, value);
  for (const char* required : {"--host", "--tls", "--group", "--network"})
    if (!given.count(required)) refuse(std::string(required) + " is missing");
  if (orders.group.empty()) refuse("--group is empty");
  return orders;
}

std::string watch_line(long pid) { return "watch " + std::to_string(pid) + "\n"; }

ControlMessage parse_control_line(const std::string& line) {
  ControlMessage message;
  if (line == "keep") {
    message.kind = ControlMessage::Kind::Keep;
  } else if (line.rfind("watch ", 0) == 0) {
    message.pid = positive_number(line.substr(6));
    if (message.pid > 0) message.kind = ControlMessage::Kind::Watch;
  }
  return message;
}

}  // namespace dm::orchestrator
