// The digest the definition hash is made with: FNV-1a, 64 bits. A change
// detector, not a security boundary. Its exact bytes are a promise kept since
// 0.1: a container whose hash label still matches is reused, so changing how
// anything is digested would recreate every container of every user.
#ifndef DM_MODEL_DIGEST_H
#define DM_MODEL_DIGEST_H

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace dm::model {

class Digest {
 public:
  void add(const std::string& s) {
    for (unsigned char c : s) mix(c);
    mix(0xff);  // field separator: ("ab","c") and ("a","bc") differ
  }
  void add_list(const std::vector<std::string>& items) {
    add(std::to_string(items.size()));
    for (const auto& item : items) add(item);
  }
  // Sixteen lower-case hex digits.
  std::string hex() const {
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h_));
    return out;
  }

 private:
  void mix(unsigned char c) {
    h_ ^= c;
    h_ *= 1099511628211ull;
  }
  uint64_t h_ = 14695981039346656037ull;
};

}  // namespace dm::model

#endif
