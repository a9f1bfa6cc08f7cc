#include "translate/duration.hpp"

#include <cctype>
#include <cmath>

namespace bai2aml::translate {
namespace {

constexpr std::int64_t kMax = 100LL * 365 * 86400;  // a century: anything longer is a typo

bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

std::optional<std::int64_t> parse_iso(const std::string& t) {
  if (t.size() < 3 || (t[0] != 'P' && t[0] != 'p')) return std::nullopt;
  bool time_part = false, any = false, any_time = false;
  double total = 0;
  std::size_t i = 1;
  while (i < t.size()) {
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(t[i])));
    if (c == 'T') {
      if (time_part) return std::nullopt;
      time_part = true;
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < t.size() && (digit(t[j]) || t[j] == '.' || t[j] == ',')) ++j;
    if (j == i || j == t.size()) return std::nullopt;
    std::string num = t.substr(i, j - i);
    for (char& ch : num) ch = ch == ',' ? '.' : ch;
    if (num.find('.') != num.rfind('.') || num == "." || num.size() > 15) return std::nullopt;
    const double v = std::stod(num);
    const char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(t[j])));
    double mult = 0;
    if (!time_part && unit == 'W') mult = 7 * 86400.0;
    else if (!time_part && unit == 'D') mult = 86400.0;
    else if (time_part && unit == 'H') mult = 3600.0;
    else if (time_part && unit == 'M') mult = 60.0;
    else if (time_part && unit == 'S') mult = 1.0;
    else return std::nullopt;  // Y, M (months) or a misplaced unit
    total += v * mult;
    any = true;
    any_time = any_time || time_part;
    i = j + 1;
  }
  if (!any || (time_part && !any_time) || total > static_cast<double>(kMax)) return std::nullopt;
  return static_cast<std::int64_t>(std::ceil(total));
}

// [d.]hh:mm:ss[.fffffff]
std::optional<std::int64_t> parse_dotnet(const std::string& t) {
  std::int64_t days = 0;
  std::string rest = t;
  const auto colon = t.find(':');
  const auto dot = t.find('.');
  if (colon == std::string::npos) return std::nullopt;
  if (dot != std::string::npos && dot < colon) {
    const std::string d = t.substr(0, dot);
    if (d.empty() || d.size() > 5) return std::nullopt;
    for (char c : d) {
      if (!digit(c)) return std::nullopt;
    }
    days = std::stoll(d);
    rest = t.substr(dot + 1);
  }
  // hh:mm:ss with optional fraction
  if (rest.size() < 8 || rest[2] != ':' || rest[5] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u, 6u, 7u}) {
    if (!digit(rest[i])) return std::nullopt;
  }
  const int h = std::stoi(rest.substr(0, 2)), m = std::stoi(rest.substr(3, 2)), s = std::stoi(rest.substr(6, 2));
  if (h > 23 || m > 59 || s > 59) return std::nullopt;
  bool fraction = false;
  if (rest.size() > 8) {
    if (rest[8] != '.' || rest.size() == 9) return std::nullopt;
    for (std::size_t i = 9; i < rest.size(); ++i) {
      if (!digit(rest[i])) return std::nullopt;
      fraction = fraction || rest[i] != '0';
    }
  }
  const std::int64_t total = days * 86400 + h * 3600 + m * 60 + s + (fraction ? 1 : 0);
  if (total > kMax) return std::nullopt;
  return total;
}

}  // namespace

std::optional<std::int64_t> parse_duration_seconds(const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (text[0] == 'P' || text[0] == 'p') return parse_iso(text);
  return parse_dotnet(text);
}

std::string iso8601_duration(std::int64_t seconds) {
  if (seconds <= 0) return "PT0S";
  const std::int64_t d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60, s = seconds % 60;
  std::string out = "P";
  if (d) out += std::to_string(d) + "D";
  if (h || m || s) {
    out += "T";
    if (h) out += std::to_string(h) + "H";
    if (m) out += std::to_string(m) + "M";
    if (s) out += std::to_string(s) + "S";
  }
  return out;
}

}  // namespace bai2aml::translate
