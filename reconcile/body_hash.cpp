#include "reconcile/body_hash.hpp"

#include <cstdint>
#include <cstdio>

namespace bai2aml::reconcile {

std::string body_hash(const nlohmann::json& body) {
  // nlohmann::json objects are std::map-backed, so dump() is canonical (sorted keys, no spaces).
  // Invalid UTF-8 is replaced rather than thrown on: a hash must never fail.
  const std::string text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace bai2aml::reconcile
