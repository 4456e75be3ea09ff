// How messages put words together: quoting a value, joining a list, showing
// seconds. Every message of the library uses these, so they read alike.
#ifndef DM_COMMON_TEXT_H
#define DM_COMMON_TEXT_H

#include <string>
#include <vector>

namespace dm {

// A name or value as messages quote it: 'db'.
std::string quoted(const std::string& text);

// The items with `separator` between them: join({"a", "b"}, ", ") is "a, b";
// "" for no items.
std::string join(const std::vector<std::string>& items, const std::string& separator);

// Seconds as messages show them: "3", "2.5", "0.001" (printf's %g).
std::string seconds_text(double seconds);

}  // namespace dm

#endif
