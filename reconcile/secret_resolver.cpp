#include "reconcile/secret_resolver.hpp"

#include <fstream>
#include <sstream>

#include "translate/secret_ref.hpp"

namespace bai2aml::reconcile {
namespace {

bool read_secret(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return false;
  out = buf.str();
  if (!out.empty() && out.back() == '\n') out.pop_back();
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return true;
}

}  // namespace

std::optional<nlohmann::json> resolve_secret_refs(translate::Kind kind, const nlohmann::json& body, std::string* error) {
  // The diff strips strays from what it plans; one reaching this point is refused, not sent.
  if (const auto strays = translate::stray_secret_refs(kind, body); !strays.empty()) {
    if (error) *error = "the body holds a $secretFile reference bai2aml did not place, at " + strays.front();
    return std::nullopt;
  }
  nlohmann::json out = body;
  for (const auto& pointer : translate::secret_ref_pointers(kind)) {
    const nlohmann::json::json_pointer p(pointer);
    if (!out.contains(p) || !translate::is_secret_ref(out.at(p))) continue;
    const std::string path = out.at(p)[translate::kSecretFileKey].get<std::string>();
    std::string value;
    if (!read_secret(path, value)) {
      if (error) *error = "cannot read secret file " + path;
      return std::nullopt;
    }
    out.at(p) = value;
  }
  return out;
}

}  // namespace bai2aml::reconcile
