#include "common/excerpt.h"

#include <cstdint>

namespace dm {

namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 when the
// bytes there are not one (stray continuation byte, overlong, surrogate,
// beyond U+10FFFF, or cut by the end of the text).
size_t utf8_sequence(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t length;
  uint32_t code;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, code = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, code = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, code = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) || code > 0x10FFFF ||
      (code >= 0xD800 && code <= 0xDFFF))
    return 0;
  return length;
}

void append_escaped(std::string& out, unsigned char c) {
  static const char* hex = "0123456789abcdef";
  out += "\\x";
  out += hex[c >> 4];
  out += hex[c & 15];
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
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {  // one line: runs of space become one
      space_pending = !out.empty();
      ++i;
      continue;
    }
    if (space_pending) out += ' ';
    space_pending = false;
    if (c < 0x20 || c == 0x7F) {
      append_escaped(out, c);
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else if (size_t n = utf8_sequence(text, i); n > 0 && i + n <= kQuoteLimit) {
      out.append(text.substr(i, n));
      i += n;
    } else if (n > 0) {  // a whole character that would cross the limit: stop before it
      break;
    } else {
      append_escaped(out, c);
      ++i;
    }
  }
  // Whether anything but trailing white space was left out.
  bool cut = false;
  for (size_t k = i; k < text.size() && !cut; ++k)
    cut = !(text[k] == '\n' || text[k] == '\r' || text[k] == '\t' || text[k] == ' ');
  if (cut || total > text.size())
    out += "\xE2\x80\xA6 (cut: " + std::to_string(total) + " bytes in all)";
  return out;
}

}  // namespace dm
