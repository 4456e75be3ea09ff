#include "model/env_file.h"

#include "common/utf8.h"

namespace dm::model {
namespace {

const char* const kBlanks = " \t\r";

std::string trimmed(const std::string& text) {
  size_t first = text.find_first_not_of(kBlanks);
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(kBlanks) - first + 1);
}

char escaped(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      return c;  // \\ and \" (and anything else) stand for the character
  }
}

// The quoted value at the start of `rest` (which starts with the quote);
// `problem` says what is wrong when it does not parse.
std::string quoted_value(const std::string& rest, std::string* problem) {
  char quote = rest.front();
  std::string value;
  size_t i = 1;
  for (; i < rest.size() && rest[i] != quote; i++) {
    bool escape = rest[i] == '\\' && i + 1 < rest.size();
    if (escape && (quote == '"' || rest[i + 1] == '\''))
      value += quote == '"' ? escaped(rest[++i]) : rest[++i];
    else
      value += rest[i];
  }
  if (i >= rest.size()) {
    *problem = std::string("the value's ") + quote + " is not closed on its line";
    return "";
  }
  std::string after = trimmed(rest.substr(i + 1));
  if (!after.empty() && after.front() != '#') *problem = "text after the closing quote: " + after;
  return value;
}

std::string plain_value(const std::string& rest) {
  std::string value = rest;
  for (size_t i = 1; i < value.size(); i++) {
    if (value[i] == '#' && (value[i - 1] == ' ' || value[i - 1] == '\t')) {
      value = value.substr(0, i);
      break;
    }
  }
  if (!value.empty() && value.front() == '#') return "";
  return trimmed(value);
}

// Why a line cannot be an environment variable as bytes, "" when it can:
// the engine takes only UTF-8 (other bytes would arrive replaced), and a
// NUL would cut the value short without a word.
std::string unusable_bytes(const std::string& line) {
  if (line.find('\0') != std::string::npos) return "it holds a NUL byte (is this a binary file?)";
  for (size_t i = 0; i < line.size();) {
    size_t n = utf8_sequence(line, i);
    if (n == 0) return "it is not UTF-8 text (save the file as UTF-8)";
    i += n;
  }
  return "";
}

}  // namespace

EnvFileText parse_env_file(const std::string& text) {
  EnvFileText out;
  size_t start = 0;
  for (int number = 1; start <= text.size(); number++) {
    size_t end = text.find('\n', start);
    std::string line = trimmed(text.substr(start, end == std::string::npos ? end : end - start));
    start = end == std::string::npos ? text.size() + 1 : end + 1;
    if (line.empty() || line.front() == '#') continue;
    std::string where = "line " + std::to_string(number) + ": ";
    if (std::string bytes = unusable_bytes(line); !bytes.empty()) {
      out.problems.push_back(where + bytes);
      continue;
    }
    if (line.compare(0, 7, "export ") == 0) line = trimmed(line.substr(7));
    size_t equals = line.find('=');
    std::string name = trimmed(line.substr(0, equals));
    if (equals == std::string::npos || name.empty()) {
      out.problems.push_back(where + "'" + line + "' is not NAME=value");
      continue;
    }
    std::string rest = trimmed(line.substr(equals + 1));
    std::string problem;
    std::string value = !rest.empty() && (rest.front() == '"' || rest.front() == '\'')
                            ? quoted_value(rest, &problem)
                            : plain_value(rest);
    if (!problem.empty())
      out.problems.push_back(where + problem);
    else
      out.values.emplace_back(name, value);
  }
  return out;
}

}  // namespace dm::model
