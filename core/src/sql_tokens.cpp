#include "sql_tokens.hpp"

#include <cctype>

JSORM_NAMESPACE_BEGIN
namespace detail {

namespace {
bool isWordStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }
bool isWordChar(char c) { return isWordStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; }
bool isDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

std::string upperCase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string trimmed(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n\f\v");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\r\n\f\v");
  return std::string(text.substr(begin, end - begin + 1));
}

class Lexer {
 public:
  Lexer(std::string_view sql, BackslashInStrings backslash) : sql_(sql), backslash_(backslash) {}

  std::vector<SqlStatement> run() {
    std::size_t statementStart = 0;
    while (pos_ < sql_.size()) {
      const char c = sql_[pos_];
      if (c == ';') {
        finish(statementStart, pos_);
        statementStart = ++pos_;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        ++pos_;
      } else if (c == '-' && peek(1) == '-') {
        skipLineComment();
      } else if (c == '#' && backslash_ == BackslashInStrings::Escape) {
        skipLineComment();  // MySQL's other line comment
      } else if (c == '/' && peek(1) == '*') {
        skipBlockComment();
      } else if (c == '\'') {
        quoted('\'', SqlTokenKind::String, backslash_ == BackslashInStrings::Escape);
      } else if ((c == 'E' || c == 'e') && peek(1) == '\'') {
        ++pos_;  // PostgreSQL's escape string: backslashes escape
        quoted('\'', SqlTokenKind::String, true);
      } else if (c == '"') {
        quoted('"', SqlTokenKind::Identifier, false);
      } else if (c == '`') {
        quoted('`', SqlTokenKind::Identifier, false);
      } else if (c == '$' && dollarQuote()) {
      } else if (isWordStart(c)) {
        const std::size_t start = pos_;
        while (pos_ < sql_.size() && isWordChar(sql_[pos_])) ++pos_;
        const std::string_view word = sql_.substr(start, pos_ - start);
        current_.tokens.push_back({SqlTokenKind::Word, std::string(word), upperCase(word)});
      } else if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
        const std::size_t start = pos_;
        while (pos_ < sql_.size() && (std::isalnum(static_cast<unsigned char>(sql_[pos_])) || sql_[pos_] == '.')) ++pos_;
        current_.tokens.push_back({SqlTokenKind::Number, std::string(sql_.substr(start, pos_ - start)), {}});
      } else {
        current_.tokens.push_back({SqlTokenKind::Symbol, std::string(1, c), {}});
        ++pos_;
      }
    }
    finish(statementStart, sql_.size());
    return std::move(statements_);
  }

 private:
  char peek(std::size_t ahead) const { return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0'; }

  void finish(std::size_t start, std::size_t end) {
    if (!current_.tokens.empty()) {
      current_.text = trimmed(sql_.substr(start, end - start));
      statements_.push_back(std::move(current_));
    }
    current_ = {};
  }

  void skipLineComment() {
    while (pos_ < sql_.size() && sql_[pos_] != '\n') ++pos_;
  }

  // PostgreSQL nests block comments; MySQL and SQLite do not, but a nested `/*` inside one
  // of theirs is rare enough that reading it PostgreSQL's way costs nothing in practice.
  void skipBlockComment() {
    int depth = 0;
    while (pos_ < sql_.size()) {
      if (sql_[pos_] == '/' && peek(1) == '*') {
        ++depth;
        pos_ += 2;
      } else if (sql_[pos_] == '*' && peek(1) == '/') {
        pos_ += 2;
        if (--depth == 0) return;
      } else {
        ++pos_;
      }
    }
    current_.unterminated = true;
  }

  // A doubled quote character stands for itself in every dialect.
  void quoted(char quote, SqlTokenKind kind, bool backslashEscapes) {
    ++pos_;
    std::string text;
    while (pos_ < sql_.size()) {
      const char c = sql_[pos_];
      if (backslashEscapes && c == '\\' && pos_ + 1 < sql_.size()) {
        text += sql_[pos_ + 1];
        pos_ += 2;
      } else if (c == quote && peek(1) == quote) {
        text += quote;
        pos_ += 2;
      } else if (c == quote) {
        ++pos_;
        current_.tokens.push_back({kind, std::move(text), {}});
        return;
      } else {
        text += c;
        ++pos_;
      }
    }
    current_.unterminated = true;
    current_.tokens.push_back({kind, std::move(text), {}});
  }

  // $$…$$ or $tag$…$tag$; `$1` (a parameter) is not a quote.
  bool dollarQuote() {
    std::size_t end = pos_ + 1;
    if (end < sql_.size() && isDigit(sql_[end])) return false;
    while (end < sql_.size() && sql_[end] != '$' && isWordChar(sql_[end])) ++end;
    if (end >= sql_.size() || sql_[end] != '$') return false;
    const std::string_view tag = sql_.substr(pos_, end - pos_ + 1);
    const std::size_t bodyStart = end + 1;
    const std::size_t close = sql_.find(tag, bodyStart);
    if (close == std::string_view::npos) {
      current_.unterminated = true;
      current_.tokens.push_back({SqlTokenKind::String, std::string(sql_.substr(bodyStart)), {}});
      pos_ = sql_.size();
      return true;
    }
    current_.tokens.push_back({SqlTokenKind::String, std::string(sql_.substr(bodyStart, close - bodyStart)), {}});
    pos_ = close + tag.size();
    return true;
  }

  std::string_view sql_;
  BackslashInStrings backslash_;
  std::size_t pos_ = 0;
  SqlStatement current_;
  std::vector<SqlStatement> statements_;
};
}  // namespace

std::vector<SqlStatement> splitSqlStatements(std::string_view sql, BackslashInStrings backslash) {
  return Lexer(sql, backslash).run();
}

}  // namespace detail
JSORM_NAMESPACE_END
