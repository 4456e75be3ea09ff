// .dockerignore patterns (src/common/dockerignore.h): the input's lines are
// the file; the last line is also matched as a path, as are a few fixed ones.
#include <string>
#include <vector>

#include "common/dockerignore.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text = dm::fuzz::text(data, size);
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(text.substr(start, nl - start));
  lines.push_back(text.substr(start));
  dm::fuzz::refuse_or_parse([&] {
    dm::DockerIgnore ignore(lines);
    ignore.has_negations();
    for (const std::string& path :
         {lines.back(), std::string("Dockerfile"),
          std::string("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p.txt"), std::string("node_modules/x/y.js")})
      ignore.excluded(path);
  });
  return 0;
}
