#include <jsorm/redaction.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

JSORM_NAMESPACE_BEGIN

namespace {
bool isSecretKey(std::string_view key) { return key == "password" || key == "sslpassword"; }

bool isSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void addSecret(std::vector<std::string>* secrets, std::string_view raw, std::string decoded) {
  if (!secrets) return;
  if (!raw.empty()) secrets->emplace_back(raw);
  if (!decoded.empty() && decoded != raw) secrets->push_back(std::move(decoded));
}

// The scheme's end ("postgres://" -> 11), or npos when `text` is not a URL with an authority.
std::size_t authorityStart(std::string_view text) {
  const auto marker = text.find("://");
  if (marker == std::string_view::npos || marker == 0) return std::string_view::npos;
  for (std::size_t i = 0; i < marker; ++i) {
    const char c = text[i];
    const bool schemeChar = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    if (!schemeChar || (i == 0 && !std::isalpha(static_cast<unsigned char>(c)))) return std::string_view::npos;
  }
  return marker + 3;
}

void addPassword(std::vector<std::string>* secrets, std::string_view userInfo) {
  const auto colon = userInfo.find(':');
  if (colon == std::string_view::npos) return;
  const auto password = userInfo.substr(colon + 1);
  addSecret(secrets, password, percentDecoded(password));
}

// User info ends at the first '@' before any '/' for libpq, but a person who wrote an
// unencoded '@' or '/' into a password meant the last '@'. Both readings' passwords are
// secrets, and the printed form hides everything up to the last '@'.
std::string redactUrl(std::string_view url, std::vector<std::string>* secrets) {
  const auto start = authorityStart(url);
  std::string out(url.substr(0, start));
  std::string_view rest = url.substr(start);

  const auto strictAt = rest.substr(0, rest.find('/')).find('@');
  if (strictAt != std::string_view::npos) addPassword(secrets, rest.substr(0, strictAt));
  const auto lastAt = rest.rfind('@');
  if (lastAt != std::string_view::npos) {
    const std::string_view userInfo = rest.substr(0, lastAt);
    addPassword(secrets, userInfo);
    const auto colon = userInfo.find(':');
    // The user name is printed only when the reading is unambiguous.
    out += lastAt == strictAt ? userInfo.substr(0, colon) : std::string_view("***");
    out += '@';
    rest.remove_prefix(lastAt + 1);
  }

  const auto question = rest.find('?');
  out += rest.substr(0, question);
  if (question == std::string_view::npos) return out;

  std::string kept;
  std::string_view query = rest.substr(question + 1);
  while (true) {
    const auto amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    const auto equals = param.find('=');
    if (isSecretKey(percentDecoded(param.substr(0, equals)))) {
      if (equals != std::string_view::npos) {
        const auto value = param.substr(equals + 1);
        addSecret(secrets, value, percentDecoded(value));
      }
    } else if (!param.empty()) {
      kept += kept.empty() ? "" : "&";
      kept += param;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  if (!kept.empty()) out += "?" + kept;
  return out;
}

// Mirrors libpq's conninfo parser (keyword = value, values optionally single-quoted,
// backslash escapes). On text libpq would reject, the rest is hidden rather than guessed
// at: a misplaced password would otherwise be printed as if it were a keyword.
std::string redactConninfo(std::string_view text, std::vector<std::string>* secrets) {
  std::string out;
  std::size_t i = 0;
  auto skipSpace = [&] {
    while (i < text.size() && isSpace(text[i])) ++i;
  };
  while (true) {
    skipSpace();
    if (i >= text.size()) break;
    const std::size_t begin = i;
    while (i < text.size() && text[i] != '=' && !isSpace(text[i])) ++i;
    const std::string_view key = text.substr(begin, i - begin);
    skipSpace();
    if (i >= text.size() || text[i] != '=') {
      out += out.empty() ? "..." : " ...";
      break;
    }
    ++i;
    skipSpace();

    std::string value;
    std::size_t valueBegin = i;
    if (i < text.size() && text[i] == '\'') {
      valueBegin = ++i;
      while (i < text.size() && text[i] != '\'') {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value += text[i++];
      }
    } else {
      while (i < text.size() && !isSpace(text[i])) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value += text[i++];
      }
    }
    const std::string_view rawValue = text.substr(valueBegin, i - valueBegin);
    if (i < text.size() && text[i] == '\'') ++i;

    // "port= password=x" (an empty setting from a template) makes the password the port's
    // value, which libpq then quotes in its error message.
    const auto embedded = value.find("password=");
    if (isSecretKey(key) || embedded != std::string::npos) {
      addSecret(secrets, rawValue, value);
      if (embedded != std::string::npos) addSecret(secrets, value.substr(embedded + 9), {});
      continue;
    }
    out += out.empty() ? "" : " ";
    out += text.substr(begin, i - begin);
  }
  return out;
}

bool isUrl(std::string_view text) { return authorityStart(text) != std::string_view::npos; }

// Like libpq, text that is neither a URL nor holds an '=' is a bare name (a database, a path).
std::string redactAny(std::string_view text, std::vector<std::string>* secrets) {
  if (isUrl(text)) return redactUrl(text, secrets);
  if (text.find('=') == std::string_view::npos) return std::string(text);
  return redactConninfo(text, secrets);
}
}  // namespace

std::string percentDecoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string redactConnection(std::string_view text) { return redactAny(text, nullptr); }

std::vector<std::string> secretsIn(std::string_view text) {
  std::vector<std::string> secrets;
  redactAny(text, &secrets);
  return secrets;
}

std::string ambiguousUserInfo(std::string_view text) {
  const auto start = authorityStart(text);
  if (start == std::string_view::npos) return {};
  const std::string_view rest = text.substr(start);
  const auto lastAt = rest.rfind('@');
  if (lastAt == std::string_view::npos) return {};
  const std::string_view userInfo = rest.substr(0, lastAt);
  for (const char c : {'@', '/', '?', '#'}) {
    if (userInfo.find(c) != std::string_view::npos) {
      return fmt::format("its user name or password holds an unencoded '{}' (or the URL has more than one '@'); "
                         "percent-encode it ('@' as %40, '/' as %2F, '?' as %3F, '#' as %23)",
                         c);
    }
  }
  return {};
}

std::string conninfoProblem(std::string_view text) {
  std::size_t i = 0;
  int setting = 0;
  auto skipSpace = [&] {
    while (i < text.size() && isSpace(text[i])) ++i;
  };
  while (true) {
    skipSpace();
    if (i >= text.size()) return {};
    ++setting;
    const std::size_t begin = i;
    while (i < text.size() && text[i] != '=' && !isSpace(text[i])) ++i;
    if (i == begin) return fmt::format("setting {} has no name before its '='", setting);
    skipSpace();
    if (i >= text.size() || text[i] != '=') {
      return fmt::format("setting {} is not of the form name=value", setting);
    }
    ++i;
    skipSpace();
    if (i < text.size() && text[i] == '\'') {
      ++i;
      while (i < text.size() && text[i] != '\'') i += (text[i] == '\\' && i + 1 < text.size()) ? 2 : 1;
      if (i >= text.size()) return fmt::format("the value of setting {} has no closing quote", setting);
      ++i;
    } else {
      while (i < text.size() && !isSpace(text[i])) i += (text[i] == '\\' && i + 1 < text.size()) ? 2 : 1;
    }
  }
}

std::string scrubSecrets(std::string message, std::vector<std::string> secrets) {
  // Longest first, so a secret that contains another is replaced whole.
  std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (auto at = message.find(secret); at != std::string::npos; at = message.find(secret, at + 3)) {
      message.replace(at, secret.size(), "***");
    }
  }
  return message;
}

JSORM_NAMESPACE_END
