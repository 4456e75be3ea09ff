#include "engine/build_context.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>
#include <vector>

#include "common/error.h"

namespace fs = std::filesystem;

namespace dm::engine {

namespace {

[[noreturn]] void unreadable(const fs::path& path, const std::string& reason) {
  throw Error(Error::Code::Invalid,
              "cannot read build context file '" + path.string() + "': " + reason);
}

// A host file of a copy that cannot be read: skipped, not fatal.
struct Unreadable {
  std::string reason;
};

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

std::string tar_error(struct archive* a) {
  const char* text = archive_error_string(a);
  return text ? text : "tar error";
}

void check(struct archive* a, int result, const fs::path& path) {
  if (result < ARCHIVE_WARN) unreadable(path, tar_error(a));
}

using Entry = std::unique_ptr<struct archive_entry, EntryDeleter>;

// The tar header of `full` (lstat'ed as `st`), named `relative`. A build
// context's files belong to 0:0, which keeps builds reproducible across
// users (Docker's CLI does the same); copied files to their `owner`.
Entry header_of(const fs::path& full, const struct stat& st, const std::string& relative,
                const FileOwner& owner) {
  Entry entry(archive_entry_new());
  archive_entry_copy_stat(entry.get(), &st);
  archive_entry_set_pathname(entry.get(), relative.c_str());
  archive_entry_set_uid(entry.get(), owner.uid);
  archive_entry_set_gid(entry.get(), owner.gid);
  archive_entry_set_uname(entry.get(), "");
  archive_entry_set_gname(entry.get(), "");
  if (S_ISLNK(st.st_mode)) {
    std::error_code ec;
    fs::path target = fs::read_symlink(full, ec);
    if (ec) unreadable(full, ec.message());
    archive_entry_set_symlink(entry.get(), target.c_str());
  }
  if (!S_ISREG(st.st_mode)) archive_entry_set_size(entry.get(), 0);
  return entry;
}

void copy_data(struct archive* a, std::ifstream& in, const fs::path& full) {
  char buffer[65536];
  while (in) {
    in.read(buffer, sizeof buffer);
    std::streamsize n = in.gcount();
    if (n > 0 && archive_write_data(a, buffer, static_cast<size_t>(n)) < 0)
      check(a, ARCHIVE_FATAL, full);
  }
  if (in.bad()) unreadable(full, "read error");
}

// Adds `full` as `relative`. With `skip_unreadable`, a file that cannot be
// opened throws Unreadable before anything of it is written.
void add_entry(struct archive* a, const fs::path& full, const std::string& relative,
               bool skip_unreadable = false, const FileOwner& owner = {}) {
  auto cannot = [&](const std::string& reason) {
    if (skip_unreadable) throw Unreadable{reason};
    unreadable(full, reason);
  };
  struct stat st;
  if (lstat(full.c_str(), &st) != 0) cannot(std::strerror(errno));
  if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) return;  // sockets...
  Entry entry = header_of(full, st, relative, owner);
  std::ifstream in;
  if (S_ISREG(st.st_mode)) {
    in.open(full, std::ios::binary);
    if (!in) cannot(std::strerror(errno));
  }
  check(a, archive_write_header(a, entry.get()), full);
  if (S_ISREG(st.st_mode)) copy_data(a, in, full);
}

// The Dockerfile's path relative to the context, once both are checked.
std::string checked_dockerfile(const std::string& context_dir, const std::string& dockerfile) {
  std::error_code ec;
  if (context_dir.empty() || !fs::is_directory(context_dir, ec))
    throw Error(Error::Code::Invalid, "build context '" + context_dir + "' is not a directory");
  fs::path dockerfile_path = fs::path(context_dir) / dockerfile;
  if (dockerfile.empty() || !fs::is_regular_file(dockerfile_path, ec))
    throw Error(Error::Code::Invalid,
                "Dockerfile '" + dockerfile_path.string() + "' does not exist");
  return fs::path(dockerfile).lexically_normal().generic_string();
}

using Archive = std::unique_ptr<struct archive, ArchiveDeleter>;

// A tar writer appending to *tar.
Archive open_tar(std::string* tar, const fs::path& root) {
  Archive a(archive_write_new());
  archive_write_set_format_pax_restricted(a.get());  // long names, plain ustar otherwise
  archive_write_add_filter_none(a.get());
  archive_write_set_bytes_in_last_block(a.get(), 1);
  if (archive_write_open(a.get(), tar, nullptr, append_to_string, nullptr) != ARCHIVE_OK)
    unreadable(root, tar_error(a.get()));
  return a;
}

// Whether the walk goes on below an excluded path: only for a directory that
// holds the Dockerfile or when some "!pattern" may take back something
// below. (Docker's classic builder also skips an excluded directory unless a
// negation starts with its path, which loses what "!**/keep" names below
// it; BuildKit and drillmaster walk on and give every path the rules'
// answer.)
bool walk_below_excluded(const fs::directory_entry& entry, const std::string& relative,
                         const std::string& dockerfile_relative, const DockerIgnore& ignore) {
  std::error_code ec;
  if (!entry.is_directory(ec) || entry.is_symlink(ec)) return true;  // nothing below to skip
  return ignore.has_negations() || dockerfile_relative.rfind(relative + "/", 0) == 0;
}

// Adds every path under `root` that is sent: not excluded, or the
// Dockerfile or .dockerignore.
void add_context(struct archive* a, const fs::path& root, const std::string& dockerfile_relative,
                 const DockerIgnore& ignore) {
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) unreadable(root, ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) unreadable(root, ec.message());
    std::string relative = it->path().lexically_relative(root).generic_string();
    bool always = relative == dockerfile_relative || relative == ".dockerignore";
    if (always || !ignore.excluded(relative))
      add_entry(a, it->path(), relative);
    else if (!walk_below_excluded(*it, relative, dockerfile_relative, ignore))
      it.disable_recursion_pending();
  }
  if (ec) unreadable(root, ec.message());
}

// Adds host path `host` at `relative` (a directory with what is below
// it), noting in *skipped what cannot be read.
void add_copied(struct archive* a, const fs::path& host, const std::string& relative,
                const FileOwner& owner, std::vector<std::string>* skipped) {
  try {
    add_entry(a, host, relative, /*skip_unreadable=*/true, owner);
  } catch (const Unreadable& e) {
    skipped->push_back("'" + host.string() + "': cannot be read (" + e.reason + "); skipped");
    return;
  }
  std::error_code ec;
  if (fs::is_symlink(host, ec) || !fs::is_directory(host, ec)) return;
  for (fs::directory_iterator it(host, ec), end; !ec && it != end; it.increment(ec))
    add_copied(a, it->path(), relative + "/" + it->path().filename().string(), owner, skipped);
  if (ec) skipped->push_back("'" + host.string() + "': cannot be listed (" + ec.message() + ")");
}

}  // namespace

std::string make_copy_archive(const std::vector<CopiedFile>& files, const FileOwner& owner,
                              std::vector<std::string>* skipped) {
  std::string tar;
  Archive a = open_tar(&tar, "/");
  for (const CopiedFile& f : files) {
    std::string relative = fs::path(f.target).lexically_normal().relative_path().generic_string();
    while (!relative.empty() && relative.back() == '/') relative.pop_back();
    if (!fs::path(f.target).is_absolute() || relative.empty() || relative.rfind("..", 0) == 0)
      throw Error(Error::Code::Invalid, "copy target '" + f.target + "' of '" + f.host +
                                            "' is not an absolute path below /: give one");
    add_copied(a.get(), f.host, relative, owner, skipped);
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) unreadable("/", tar_error(a.get()));
  return tar;
}

std::string make_build_context(const std::string& context_dir, const std::string& dockerfile) {
  fs::path root = fs::path(context_dir);
  std::string dockerfile_relative = checked_dockerfile(context_dir, dockerfile);
  DockerIgnore ignore = DockerIgnore::load(context_dir);
  std::string tar;
  Archive a = open_tar(&tar, root);
  add_context(a.get(), root, dockerfile_relative, ignore);
  if (archive_write_close(a.get()) != ARCHIVE_OK) unreadable(root, tar_error(a.get()));
  return tar;
}

}  // namespace dm::engine
