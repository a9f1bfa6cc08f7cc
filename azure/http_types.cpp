#include "azure/http_types.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace bai2aml::azure {

namespace {
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
std::string to_lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), lower);
  return s;
}
bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}
std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}
}  // namespace

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return lower(x) < lower(y); });
}

std::optional<std::string> Response::header(const std::string& name) const {
  const auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::string Response::arm_request_id() const {
  const auto arm = header("x-ms-request-id");
  return arm && !arm->empty() ? *arm : request_id;
}

std::optional<std::chrono::milliseconds> retry_after(const Headers& headers) {
  for (const char* name : {"retry-after-ms", "x-ms-retry-after-ms"}) {
    const auto it = headers.find(name);
    if (it != headers.end()) {
      const auto v = trim(it->second);
      if (all_digits(v) && v.size() < 10) return std::chrono::milliseconds(std::stoll(v));
    }
  }
  const auto it = headers.find("Retry-After");
  if (it == headers.end()) return std::nullopt;
  const auto v = trim(it->second);
  if (all_digits(v)) {
    if (v.size() >= 9) return std::chrono::milliseconds(std::chrono::hours(24 * 365));
    return std::chrono::seconds(std::stoll(v));
  }
  // HTTP-date (IMF-fixdate): "Sun, 06 Nov 1994 08:49:37 GMT".
  std::tm tm{};
  char month[4] = {};
  char weekday[4] = {};
  int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
  if (std::sscanf(v.c_str(), "%3s, %d %3s %d %d:%d:%d GMT", weekday, &day, month, &year, &hh, &mm, &ss) != 7) {
    return std::nullopt;
  }
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int mon = -1;
  for (int i = 0; i < 12; ++i) {
    if (std::string(kMonths[i]) == month) mon = i;
  }
  if (mon < 0) return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_mon = mon;
  tm.tm_mday = day;
  tm.tm_hour = hh;
  tm.tm_min = mm;
  tm.tm_sec = ss;
  const auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
  const auto delta = std::chrono::duration_cast<std::chrono::milliseconds>(when - std::chrono::system_clock::now());
  return std::max(delta, std::chrono::milliseconds(0));
}

std::string subscription_of(const std::string& url_or_path) {
  const std::string lowered = to_lower(url_or_path);
  const std::string marker = "/subscriptions/";
  const auto pos = lowered.find(marker);
  if (pos == std::string::npos) return "";
  const auto start = pos + marker.size();
  const auto end = lowered.find_first_of("/?#", start);
  return lowered.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool is_write_method(const std::string& method) {
  const auto m = to_lower(method);
  return m == "put" || m == "patch" || m == "delete" || m == "post";
}

std::string percent_encode(const std::string& s) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace bai2aml::azure
