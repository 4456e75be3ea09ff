// Outside text quoted in error messages (the engine's, mostly).
//
// An engine (or a proxy in front of it) may answer with anything: a 50 MB
// error body, an HTML page, binary bytes. Messages are for people, so they
// quote at most kQuoteLimit bytes of such text, on one line, with control
// characters and broken UTF-8 shown as \xNN, and say when the text was cut
// and how long it was.
#ifndef DM_COMMON_EXCERPT_H
#define DM_COMMON_EXCERPT_H

#include <cstddef>
#include <string>
#include <string_view>

namespace dm {

// The most bytes of engine text one message quotes.
constexpr size_t kQuoteLimit = 300;

// `text` made safe and short for a message. `total` is the size of the
// whole text when `text` is already only its beginning (the transport keeps
// only the start of a long error body); 0 means text.size().
// "abc…" becomes "abc… (cut: 52428800 bytes in all)".
std::string excerpt(std::string_view text, size_t total = 0);

}  // namespace dm

#endif
