#include "translate/batchai_id.hpp"

#include <algorithm>
#include <cctype>

namespace bai2aml::translate {

std::string id_key(const std::string& id) {
  std::string k = id;
  for (char& c : k) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;  // ASCII, no locale lookup
  while (k.size() > 1 && k.back() == '/') k.pop_back();
  return k;
}

}  // namespace bai2aml::translate
