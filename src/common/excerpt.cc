#include "common/excerpt.h"

#include "common/utf8.h"

namespace dm {

namespace {

bool is_space(char c) { return c == '\n' || c == '\r' || c == '\t' || c == ' '; }

void append_escaped(std::string& out, unsigned char c) {
  static const char* hex = "0123456789abcdef";
  out += "\\x";
  out += hex[c >> 4];
  out += hex[c & 15];
}

// Appends the character at text[i] (not white space): printable ASCII and
// valid UTF-8 as they are, anything else as \xNN. Returns the bytes taken,
// or 0 when a whole character would cross kQuoteLimit (then nothing is
// appended).
size_t append_character(std::string& out, std::string_view text, size_t i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  if (c < 0x20 || c == 0x7F) {
    append_escaped(out, c);
    return 1;
  }
  if (c < 0x80) {
    out += static_cast<char>(c);
    return 1;
  }
  size_t n = utf8_sequence(text, i);
  if (n == 0) {
    append_escaped(out, c);
    return 1;
  }
  if (i + n > kQuoteLimit) return 0;
  out.append(text.substr(i, n));
  return n;
}

// Whether nothing but white space follows text[i].
bool only_space_from(std::string_view text, size_t i) {
  for (size_t k = i; k < text.size(); ++k)
    if (!is_space(text[k])) return false;
  return true;
}

}  // namespace

std::string excerpt(std::string_view text, size_t total) {
  if (total < text.size()) total = text.size();
  std::string out;
  size_t i = 0;
  bool space_pending = false;
  // Both the bytes taken and the bytes written are bounded, so neither a long
  // text nor one that needs escaping everywhere makes a long quote.
  while (i < text.size() && i < kQuoteLimit && out.size() < kQuoteLimit) {
    if (is_space(text[i])) {  // one line: runs of space become one
      space_pending = !out.empty();
      ++i;
      continue;
    }
    if (space_pending) out += ' ';
    space_pending = false;
    size_t taken = append_character(out, text, i);
    if (taken == 0) break;
    i += taken;
  }
  if (!only_space_from(text, i) || total > text.size())
    out += "\xE2\x80\xA6 (cut: " + std::to_string(total) + " bytes in all)";
  return out;
}

}  // namespace dm
