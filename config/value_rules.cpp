#include "config/value_rules.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <regex>
#include <vector>

namespace bai2aml::config {
namespace {

bool all_of(const std::string& s, bool (*pred)(char)) { return std::all_of(s.begin(), s.end(), pred); }
bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm): timegm without the TZ
// environment.
long long days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

}  // namespace

bool is_guid(const std::string& s) {
  static const std::regex re("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  return std::regex_match(s, re);
}

bool is_resource_group_name(const std::string& s) {
  static const std::regex re(R"(^[-\w\._\(\)]{1,90}$)");
  return std::regex_match(s, re) && s.back() != '.';
}

bool is_location_name(const std::string& s) { return !s.empty() && s.size() <= 64 && all_of(s, lower_alnum); }

bool is_storage_account_name(const std::string& s) {
  return s.size() >= 3 && s.size() <= 24 && all_of(s, lower_alnum);
}

bool is_aml_workspace_name(const std::string& s) {
  static const std::regex re("^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$");
  return std::regex_match(s, re);
}

bool is_arm_resource_id(const std::string& s, const std::string& provider_type) {
  // /subscriptions/{guid}/resourceGroups/{rg}/providers/{Namespace}/{type}/{name}
  static const std::regex re(R"(^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/([^/]+/[^/]+)/([^/]+)$)",
                             std::regex::icase);
  std::smatch m;
  if (!std::regex_match(s, m, re)) return false;
  return is_guid(m[1]) && is_resource_group_name(m[2]) && lower(m[3]) == lower(provider_type) && !m[4].str().empty();
}

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(const std::string& s) {
  static const std::regex re(
      R"(^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$)");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return std::nullopt;
  const int year = std::stoi(m[1]);
  const unsigned month = static_cast<unsigned>(std::stoi(m[2]));
  const unsigned day = static_cast<unsigned>(std::stoi(m[3]));
  const int hour = std::stoi(m[4]), minute = std::stoi(m[5]), second = std::stoi(m[6]);
  static const unsigned month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1]) return std::nullopt;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  long long secs = days_from_civil(year, month, day) * 86400LL + hour * 3600 + minute * 60 + second;
  if (m[9].matched) {
    const int oh = std::stoi(m[10]), om = std::stoi(m[11]);
    if (oh > 23 || om > 59) return std::nullopt;
    const long long offset = oh * 3600 + om * 60;
    secs += m[9] == "+" ? -offset : offset;
  }
  auto tp = std::chrono::system_clock::time_point(std::chrono::seconds(secs));
  if (m[7].matched) {
    const double frac = std::stod("0" + m[7].str());
    tp += std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>(frac));
  }
  return tp;
}

std::string format_rfc3339(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<ParsedUrl> parse_url(const std::string& s) {
  static const std::regex re(R"(^([A-Za-z][A-Za-z0-9+.-]*)://(\[[0-9A-Fa-f:.]+\]|[^/:?#\[\]@]+)(:(\d{1,5}))?([/?#].*)?$)");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return std::nullopt;
  ParsedUrl u;
  u.scheme = lower(m[1]);
  u.host = m[2];
  if (u.host.front() == '[') u.host = u.host.substr(1, u.host.size() - 2);
  if (m[4].matched) {
    u.port = std::stoi(m[4]);
    if (u.port < 1 || u.port > 65535) return std::nullopt;
  }
  u.path = m[5];
  return u;
}

bool is_loopback_host(const std::string& host) {
  const std::string h = lower(host);
  if (h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1") return true;
  static const std::regex v4(R"(^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$)");
  std::smatch m;
  if (!std::regex_match(h, m, v4)) return false;
  for (int i = 1; i <= 3; ++i)
    if (std::stoi(m[static_cast<std::size_t>(i)]) > 255) return false;
  return true;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace bai2aml::config
