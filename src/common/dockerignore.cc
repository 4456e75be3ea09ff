#include "common/dockerignore.h"

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "common/excerpt.h"
#include "common/utf8.h"

namespace fs = std::filesystem;

namespace dm {

namespace {

// Go's unicode.IsSpace, which strings.TrimSpace uses.
bool is_space(char32_t c) {
  if (c <= 0xFF) return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
  return c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

// Where the character that ends at text[end] starts, if it is valid UTF-8
// (else where its last byte is, which then decodes as no character).
size_t last_character(const std::string& text, size_t begin, size_t end) {
  size_t start = end - 1;
  auto continuation = [&](size_t k) {
    return (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80;
  };
  while (start > begin && end - start < 4 && continuation(start)) --start;
  return utf8_sequence(text, start) == end - start ? start : end - 1;
}

// strings.TrimSpace: Unicode white space off both ends.
std::string trim(const std::string& text) {
  size_t begin = 0, end = text.size();
  char32_t c = 0;
  while (begin < end) {
    size_t n = utf8_sequence(text, begin, &c);
    if (n == 0 || !is_space(c)) break;
    begin += n;
  }
  while (end > begin) {
    size_t start = last_character(text, begin, end);
    if (utf8_sequence(text, start, &c) != end - start || !is_space(c)) break;
    end = start;
  }
  return text.substr(begin, end - begin);
}

// filepath.Clean: the shortest equivalent path, without a trailing '/'.
std::string clean(const std::string& path) {
  std::string out = fs::path(path).lexically_normal().generic_string();
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out.empty() ? "." : out;
}

// What Docker's ignorefile.ReadAll makes of one line: the pattern with its
// '!' kept, or "" for none.
std::string read_line(std::string line, bool first) {
  if (first && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a byte order mark
  if (!line.empty() && line[0] == '#') return "";                     // only in the first column
  line = trim(line);
  if (line.empty()) return "";
  bool negate = line[0] == '!';
  if (negate) line = trim(line.substr(1));
  if (!line.empty()) {
    line = clean(line);
    if (line.size() > 1 && line[0] == '/') line.erase(0, 1);  // relative to the context
  }
  return negate ? "!" + line : line;
}

}  // namespace

DockerIgnore::DockerIgnore(const std::vector<std::string>& lines, const std::string& source) {
  for (size_t i = 0; i < lines.size(); ++i) {
    // patternmatcher.New, on what ReadAll gave: trimmed and cleaned again.
    std::string text = trim(read_line(lines[i], i == 0));
    if (text.empty()) continue;
    text = clean(text);
    bool negate = text[0] == '!';
    try {
      if (negate && text.size() == 1)
        throw GlobSyntaxError("a '!' alone takes nothing back; write the pattern after it");
      patterns_.push_back({Glob(code_points(negate ? text.substr(1) : text)), negate});
    } catch (const GlobSyntaxError& e) {
      throw Error(Error::Code::Invalid, source + " line " + std::to_string(i + 1) + ": pattern '" +
                                            excerpt(trim(lines[i])) + "' is malformed: " +
                                            e.what() + "; fix or remove the line");
    }
  }
}

DockerIgnore DockerIgnore::load(const std::string& dir) {
  fs::path file = fs::path(dir) / ".dockerignore";
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return DockerIgnore(lines, file.string());
}

bool DockerIgnore::excluded(const std::string& path) const {
  std::string cleaned = clean(path);
  if (cleaned == ".") return false;  // the context itself
  std::u32string characters = code_points(cleaned);
  bool out = false;
  // The last matching pattern decides, so a pattern that could not change
  // the answer so far is not matched at all.
  for (const Pattern& pattern : patterns_)
    if (pattern.negate == out && pattern.glob.matches(characters)) out = !pattern.negate;
  return out;
}

bool DockerIgnore::has_negations() const {
  for (const Pattern& pattern : patterns_)
    if (pattern.negate) return true;
  return false;
}

}  // namespace dm
