#include "model/sizes.h"

#include <cctype>
#include <cmath>
#include <string_view>

namespace dm::model {

const char* const kBytesForm =
    "a number of bytes, or a number with a unit k, m, g, t or p (powers of 1024) such as '64m', "
    "'1g' or '1.5g'";

namespace {

// 1024 to the power of the unit's place in "bkmgtp"; 0 for no unit.
double unit_factor(std::string unit) {
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (unit.empty() || unit == "b") return 1;
  const std::string_view units = "kmgtp";
  size_t place = units.find(unit[0]);
  std::string_view rest = std::string_view(unit).substr(1);
  if (place == std::string_view::npos || !(rest.empty() || rest == "b" || rest == "ib")) return 0;
  return std::pow(1024.0, static_cast<double>(place + 1));
}

}  // namespace

std::optional<int64_t> parse_bytes(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) i++;
  size_t whole = i;
  if (i < text.size() && text[i] == '.') {
    i++;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) i++;
    if (i == whole + 1) return std::nullopt;  // "1." or "."
  }
  if (whole == 0) return std::nullopt;  // no digits before the unit (or a sign)
  double factor = unit_factor(text.substr(i));
  if (factor == 0) return std::nullopt;
  // By hand, not strtod: the host program's locale may not use '.'.
  double number = 0;
  double scale = 1;
  for (size_t k = 0; k < i; k++) {
    if (text[k] == '.') {
      scale = 0.1;
    } else if (scale == 1) {
      number = number * 10 + (text[k] - '0');
    } else {
      number += (text[k] - '0') * scale;
      scale /= 10;
    }
  }
  double bytes = number * factor;
  if (!(bytes < 9.2e18)) return std::nullopt;  // past an int64, with room
  return static_cast<int64_t>(bytes);
}

}  // namespace dm::model
