// Small ASCII text helpers shared by the reconcile layer (ARM names, enums and ids are ASCII).
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

namespace bai2aml::reconcile {

// Without std::tolower (a locale lookup per character): ids are lower-cased for every map key of a
// pass, 30,000 resources several times over.
inline char ascii_lower_char(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string ascii_lower(std::string s) {
  for (char& c : s) c = ascii_lower_char(c);
  return s;
}

inline bool iequals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower_char(a[i]) != ascii_lower_char(b[i])) return false;
  return true;
}

}  // namespace bai2aml::reconcile
