// Compose's env-file format: one NAME=value a line; blank lines and lines
// starting with '#' skipped; an `export ` prefix allowed; a value unquoted
// (an inline comment after a space ends it, surrounding blanks trimmed),
// in single quotes (literal, \' for a quote) or in double quotes (\n, \r,
// \t, \\ and \" escapes; a comment may follow the closing quote). Values are
// taken as written: no ${VAR} interpolation.
#ifndef DM_MODEL_ENV_FILE_H
#define DM_MODEL_ENV_FILE_H

#include <string>
#include <utility>
#include <vector>

namespace dm::model {

struct EnvFileText {
  std::vector<std::pair<std::string, std::string>> values;  // in order; a later one wins
  // One sentence per line that does not parse: "line 3: ..."
  std::vector<std::string> problems;
};

EnvFileText parse_env_file(const std::string& text);

}  // namespace dm::model

#endif
