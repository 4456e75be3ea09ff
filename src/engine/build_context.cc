#include "engine/build_context.h"

#include <archive.h>
#include <archive_entry.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include "common/error.h"

namespace fs = std::filesystem;

namespace dm::engine {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string segment = path.substr(start, end - start);
    if (!segment.empty() && segment != ".") out.push_back(segment);
    start = end + 1;
  }
  return out;
}

// Whether the pattern segments `p` match a leading part of the path segments
// `s` ("**" matches any number of segments; matching a directory also
// matches everything below it, so the pattern may stop before the path
// does, once it has matched at least one segment).
//
// Dynamic programming over (pattern position, path position), one row at a
// time: each pair is decided once, so patterns full of "**" cost
// |p| x |s| segment matches. (A recursive matcher that retried every split
// for every "**" took exponential time: a hostile .dockerignore could hang a
// build.)
bool matches(const std::vector<std::string>& p, const std::vector<std::string>& s) {
  size_t n = s.size();
  // next[j]: do p[i+1..] match from s[j]? Starting past the pattern's end.
  std::vector<char> next(n + 1), row(n + 1);
  for (size_t j = 0; j <= n; ++j) next[j] = j > 0 || n == 0;
  for (size_t i = p.size(); i-- > 0;) {
    bool any = p[i] == "**";
    for (size_t j = n + 1; j-- > 0;) {
      if (any)
        row[j] = next[j] || (j < n && row[j + 1]);
      else
        row[j] = j < n && next[j + 1] && fnmatch(p[i].c_str(), s[j].c_str(), 0) == 0;
    }
    next.swap(row);
  }
  return next[0];
}

std::string trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

[[noreturn]] void unreadable(const fs::path& path, const std::string& reason) {
  throw Error(Error::Code::Invalid,
              "cannot read build context file '" + path.string() + "': " + reason);
}

// libarchive writes the tar through this into a string.
la_ssize_t append_to_string(struct archive*, void* user, const void* buffer, size_t length) {
  static_cast<std::string*>(user)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

struct ArchiveDeleter {
  void operator()(struct archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(struct archive_entry* e) const { archive_entry_free(e); }
};

void check(struct archive* a, int result, const fs::path& path) {
  if (result >= ARCHIVE_WARN) return;
  const char* reason = archive_error_string(a);
  unreadable(path, reason ? reason : "tar error");
}

void add_entry(struct archive* a, const fs::path& full, const std::string& relative) {
  struct stat st;
  if (lstat(full.c_str(), &st) != 0) unreadable(full, std::strerror(errno));
  std::unique_ptr<struct archive_entry, EntryDeleter> entry(archive_entry_new());
  archive_entry_copy_stat(entry.get(), &st);
  archive_entry_set_pathname(entry.get(), relative.c_str());
  // The daemon does not care who owns the files here; 0:0 keeps builds
  // reproducible across users (Docker's CLI does the same).
  archive_entry_set_uid(entry.get(), 0);
  archive_entry_set_gid(entry.get(), 0);
  archive_entry_set_uname(entry.get(), "");
  archive_entry_set_gname(entry.get(), "");
  if (S_ISLNK(st.st_mode)) {
    std::error_code ec;
    fs::path target = fs::read_symlink(full, ec);
    if (ec) unreadable(full, ec.message());
    archive_entry_set_symlink(entry.get(), target.c_str());
    archive_entry_set_size(entry.get(), 0);
  } else if (!S_ISREG(st.st_mode)) {
    archive_entry_set_size(entry.get(), 0);
  }
  if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) return;  // sockets...
  check(a, archive_write_header(a, entry.get()), full);
  if (!S_ISREG(st.st_mode)) return;
  std::ifstream in(full, std::ios::binary);
  if (!in) unreadable(full, std::strerror(errno));
  char buffer[65536];
  while (in) {
    in.read(buffer, sizeof buffer);
    std::streamsize n = in.gcount();
    if (n > 0 && archive_write_data(a, buffer, static_cast<size_t>(n)) < 0)
      check(a, ARCHIVE_FATAL, full);
  }
  if (in.bad()) unreadable(full, "read error");
}

}  // namespace

DockerIgnore::DockerIgnore(const std::vector<std::string>& lines) {
  for (const std::string& raw : lines) {
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    Pattern pattern;
    if (line[0] == '!') {
      pattern.negate = true;
      line = trim(line.substr(1));
    }
    pattern.segments = split_path(line);  // drops a leading "/" and "./"
    if (pattern.segments.empty()) continue;
    patterns_.push_back(pattern);
  }
}

DockerIgnore DockerIgnore::load(const std::string& dir) {
  std::ifstream in(fs::path(dir) / ".dockerignore");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return DockerIgnore(lines);
}

bool DockerIgnore::excluded(const std::string& path) const {
  std::vector<std::string> segments = split_path(path);
  bool out = false;
  for (const Pattern& pattern : patterns_)  // the last matching pattern decides
    if (matches(pattern.segments, segments)) out = !pattern.negate;
  return out;
}

bool DockerIgnore::has_negations() const {
  for (const Pattern& pattern : patterns_)
    if (pattern.negate) return true;
  return false;
}

std::string make_build_context(const std::string& context_dir, const std::string& dockerfile) {
  std::error_code ec;
  if (context_dir.empty() || !fs::is_directory(context_dir, ec))
    throw Error(Error::Code::Invalid, "build context '" + context_dir + "' is not a directory");
  fs::path root = fs::path(context_dir);
  fs::path dockerfile_path = root / dockerfile;
  if (dockerfile.empty() || !fs::is_regular_file(dockerfile_path, ec))
    throw Error(Error::Code::Invalid,
                "Dockerfile '" + dockerfile_path.string() + "' does not exist");
  std::string dockerfile_rel = fs::path(dockerfile).lexically_normal().generic_string();

  DockerIgnore ignore = DockerIgnore::load(context_dir);
  bool walk_excluded = ignore.has_negations();

  std::string tar;
  std::unique_ptr<struct archive, ArchiveDeleter> a(archive_write_new());
  archive_write_set_format_pax_restricted(a.get());  // long names, plain ustar otherwise
  archive_write_add_filter_none(a.get());
  archive_write_set_bytes_in_last_block(a.get(), 1);
  if (archive_write_open(a.get(), &tar, nullptr, append_to_string, nullptr) != ARCHIVE_OK)
    unreadable(root, archive_error_string(a.get()) ? archive_error_string(a.get()) : "tar error");

  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) unreadable(root, ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) unreadable(root, ec.message());
    std::string relative = it->path().lexically_relative(root).generic_string();
    bool always = relative == dockerfile_rel || relative == ".dockerignore";
    if (!always && ignore.excluded(relative)) {
      bool holds_dockerfile = dockerfile_rel.rfind(relative + "/", 0) == 0;
      if (it->is_directory(ec) && !it->is_symlink(ec) && !walk_excluded && !holds_dockerfile)
        it.disable_recursion_pending();
      continue;
    }
    add_entry(a.get(), it->path(), relative);
  }
  if (ec) unreadable(root, ec.message());
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    unreadable(root, archive_error_string(a.get()) ? archive_error_string(a.get()) : "tar error");
  return tar;
}

}  // namespace dm::engine
