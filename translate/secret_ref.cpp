#include "translate/secret_ref.hpp"

#include <algorithm>
#include <utility>

namespace bai2aml::translate {
namespace {

using nlohmann::json;

// "~" and "/" escaped as RFC 6901 wants.
std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

bool allowed_at(Kind kind, const std::string& pointer) {
  const auto& allowed = secret_ref_pointers(kind);
  return std::find(allowed.begin(), allowed.end(), pointer) != allowed.end();
}

// Depth first in document order, without recursion (an observed body can be deep). Strays are not
// descended into.
std::vector<std::string> find_strays(Kind kind, const json& body) {
  std::vector<std::string> out;
  std::vector<std::pair<const json*, std::string>> stack{{&body, ""}};
  while (!stack.empty()) {
    auto [node, pointer] = stack.back();
    stack.pop_back();
    if (node->is_object() && node->contains(kSecretFileKey)) {
      if (!(is_secret_ref(*node) && allowed_at(kind, pointer))) out.push_back(pointer);
      continue;
    }
    std::vector<std::pair<const json*, std::string>> children;
    if (node->is_object()) {
      for (const auto& [k, v] : node->items()) children.emplace_back(&v, pointer + "/" + pointer_token(k));
    } else if (node->is_array()) {
      for (std::size_t i = 0; i < node->size(); ++i) children.emplace_back(&(*node)[i], pointer + "/" + std::to_string(i));
    }
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(std::move(*it));
  }
  return out;
}

}  // namespace

const std::vector<std::string>& secret_ref_pointers(Kind kind) {
  static const std::vector<std::string> none;
  static const std::vector<std::string> compute{kComputeSshKeyPointer, kComputePasswordPointer};
  static const std::vector<std::string> datastore{kDatastoreKeyPointer};
  switch (kind) {
    case Kind::Compute: return compute;
    case Kind::Datastore: return datastore;
    default: return none;
  }
}

std::vector<std::string> stray_secret_refs(Kind kind, const json& body) { return find_strays(kind, body); }

json without_stray_secret_refs(Kind kind, json body) {
  auto strays = find_strays(kind, body);
  // Last first: removing an array element then leaves the pointers found before it valid.
  for (auto it = strays.rbegin(); it != strays.rend(); ++it) {
    if (it->empty()) return json::object();  // the whole body was one
    const json::json_pointer p(*it);
    json& parent = body.at(p.parent_pointer());
    if (parent.is_object()) parent.erase(p.back());
    else if (parent.is_array()) parent.erase(static_cast<std::size_t>(std::stoul(p.back())));
  }
  return body;
}

}  // namespace bai2aml::translate
