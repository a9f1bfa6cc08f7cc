#include "translate/batchai_id.hpp"

#include <algorithm>
#include <cctype>

namespace bai2aml::translate {

std::string id_key(const std::string& id) {
  std::string k = id;
  std::transform(k.begin(), k.end(), k.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (k.size() > 1 && k.back() == '/') k.pop_back();
  return k;
}

}  // namespace bai2aml::translate
