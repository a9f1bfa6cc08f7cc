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

bool resolve(nlohmann::json& node, std::string* error) {
  if (translate::is_secret_ref(node)) {
    const std::string path = node[translate::kSecretFileKey].get<std::string>();
    std::string value;
    if (!read_secret(path, value)) {
      if (error) *error = "cannot read secret file " + path;
      return false;
    }
    node = value;
    return true;
  }
  if (node.is_object() || node.is_array()) {
    for (auto& child : node) {
      if (!resolve(child, error)) return false;
    }
  }
  return true;
}

}  // namespace

std::optional<nlohmann::json> resolve_secret_refs(const nlohmann::json& body, std::string* error) {
  nlohmann::json out = body;
  if (!resolve(out, error)) return std::nullopt;
  return out;
}

}  // namespace bai2aml::reconcile
