#include "common/utf8.h"

namespace dm {

namespace {

// The lead bytes of multi-byte sequences: their range, the sequence's
// length, the bits of the code point they carry and the smallest code point
// of that length (anything smaller is an overlong form).
struct Lead {
  unsigned char first, last;
  size_t length;
  unsigned char bits;
  char32_t smallest;
};
constexpr Lead kLeads[] = {
    {0xC2, 0xDF, 2, 0x1F, 0x80},
    {0xE0, 0xEF, 3, 0x0F, 0x800},
    {0xF0, 0xF4, 4, 0x07, 0x10000},
};

const Lead* lead_of(unsigned char byte) {
  for (const Lead& lead : kLeads)
    if (byte >= lead.first && byte <= lead.last) return &lead;
  return nullptr;
}

}  // namespace

size_t utf8_sequence(std::string_view text, size_t i, char32_t* code) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  if (i >= text.size()) return 0;
  if (byte(i) < 0x80) {
    if (code) *code = byte(i);
    return 1;
  }
  const Lead* lead = lead_of(byte(i));
  if (lead == nullptr || i + lead->length > text.size()) return 0;
  char32_t value = byte(i) & lead->bits;
  for (size_t k = 1; k < lead->length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  if (value < lead->smallest || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  if (code) *code = value;
  return lead->length;
}

std::u32string code_points(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    char32_t code = 0;
    size_t length = utf8_sequence(text, i, &code);
    if (length == 0) {
      out += kNotUtf8 + static_cast<unsigned char>(text[i]);
      ++i;
    } else {
      out += code;
      i += length;
    }
  }
  return out;
}

}  // namespace dm
