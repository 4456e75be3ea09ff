// Compose's byte values (shm_size, mem_limit): one parser for every field
// that takes one.
#ifndef DM_MODEL_SIZES_H
#define DM_MODEL_SIZES_H

#include <cstdint>
#include <optional>
#include <string>

namespace dm::model {

// Bytes from a number of bytes ("1073741824") or a number and a unit, as
// Compose writes them: "512k", "64m", "1g", "1.5g", "2gb", "100mib" (units
// b, k, m, g, t, p in any case, powers of 1024, optionally followed by "b"
// or "ib"). nullopt for anything else: a negative number, no digits, an
// unknown unit, or more than an int64 holds.
std::optional<int64_t> parse_bytes(const std::string& text);

// What parse_bytes() takes, for messages.
extern const char* const kBytesForm;

}  // namespace dm::model

#endif
