// UTF-8 as Go (and so Docker) reads it: a sequence is valid only when it is
// the shortest form of a code point up to U+10FFFF that is not a surrogate.
// Used to quote outside text safely (common/excerpt.h) and to match
// .dockerignore patterns character by character (common/glob.h).
#ifndef DM_COMMON_UTF8_H
#define DM_COMMON_UTF8_H

#include <cstddef>
#include <string>
#include <string_view>

namespace dm {

// Length of the valid UTF-8 sequence starting at text[i], or 0 when the
// bytes there are not one (stray continuation byte, overlong, surrogate,
// beyond U+10FFFF, or cut by the end of the text). `*code` receives its code
// point when the sequence is valid.
size_t utf8_sequence(std::string_view text, size_t i, char32_t* code = nullptr);

// The first value after Unicode: a byte that is not part of valid UTF-8
// decodes to kNotUtf8 + the byte, so it equals only the same byte.
constexpr char32_t kNotUtf8 = 0x110000;

// `text` as characters: ASCII and valid UTF-8 as their code points, any other
// byte as kNotUtf8 + its value.
std::u32string code_points(std::string_view text);

}  // namespace dm

#endif
