#include "azure/operation_token.hpp"

#include <nlohmann/json.hpp>

namespace bai2aml::azure {

const char* to_string(OperationKind kind) {
  switch (kind) {
    case OperationKind::Put: return "PUT";
    case OperationKind::Patch: return "PATCH";
    case OperationKind::Delete: return "DELETE";
    case OperationKind::Post: return "POST";
  }
  return "?";
}

std::string OperationToken::to_json() const {
  return nlohmann::json{{"kind", to_string(kind)},
                        {"resource_id", resource_id},
                        {"poll_url", poll_url},
                        {"location_url", location_url},
                        {"request_id", request_id}}
      .dump();
}

std::optional<OperationToken> OperationToken::from_json(const std::string& text, std::string* error) {
  const auto fail = [error](const std::string& why) -> std::optional<OperationToken> {
    if (error) *error = "operation token: " + why;
    return std::nullopt;
  };
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return fail("not a JSON object");
  for (const char* key : {"kind", "resource_id", "poll_url", "location_url"}) {
    if (!j.contains(key) || !j[key].is_string()) return fail(std::string("\"") + key + "\" missing or not a string");
  }
  OperationToken t;
  const auto kind = j["kind"].get<std::string>();
  if (kind == "PUT") t.kind = OperationKind::Put;
  else if (kind == "PATCH") t.kind = OperationKind::Patch;
  else if (kind == "DELETE") t.kind = OperationKind::Delete;
  else if (kind == "POST") t.kind = OperationKind::Post;
  else return fail("unknown kind \"" + kind + "\"");
  t.resource_id = j["resource_id"].get<std::string>();
  t.poll_url = j["poll_url"].get<std::string>();
  t.location_url = j["location_url"].get<std::string>();
  if (t.resource_id.empty()) return fail("empty resource_id");
  if (j.contains("request_id")) {
    if (!j["request_id"].is_string()) return fail("\"request_id\" is not a string");
    t.request_id = j["request_id"].get<std::string>();
  }
  return t;
}

}  // namespace bai2aml::azure
