#include "config/value_rules.hpp"

#include <algorithm>
#include <cctype>
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
