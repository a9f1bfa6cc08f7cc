#include "reconcile/observed.hpp"

#include <algorithm>
#include <set>

#include "reconcile/arm_id.hpp"
#include "reconcile/text.hpp"

namespace bai2aml::reconcile {
namespace {

std::string string_at(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return "";
  const auto it = obj.find(key);
  return (it != obj.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

const nlohmann::json& properties_of(const nlohmann::json& body) {
  static const nlohmann::json empty = nlohmann::json::object();
  if (!body.is_object()) return empty;
  const auto it = body.find("properties");
  return (it != body.end() && it->is_object()) ? *it : empty;
}

}  // namespace

std::optional<ObservedResource> observed_from_arm(const nlohmann::json& item, std::string* error) {
  const std::string id = string_at(item, "id");
  if (id.empty()) {
    if (error) *error = "LIST item without a string \"id\"";
    return std::nullopt;
  }
  const auto kind = kind_from_id(id);
  if (!kind) {
    if (error) *error = "LIST item id names no AML resource kind bai2aml manages: " + id;
    return std::nullopt;
  }
  return ObservedResource{*kind, id, item};
}

bool has_top_level_tags(translate::Kind kind) {
  return kind == translate::Kind::Workspace || kind == translate::Kind::Compute;
}

nlohmann::json tags_of(translate::Kind kind, const nlohmann::json& body) {
  const nlohmann::json& holder = has_top_level_tags(kind) ? body : properties_of(body);
  if (holder.is_object()) {
    const auto it = holder.find("tags");
    if (it != holder.end() && it->is_object()) return *it;
  }
  return nlohmann::json::object();
}

std::string tag_value(const nlohmann::json& tags, const std::string& name) {
  if (!tags.is_object()) return "";
  const std::string want = ascii_lower(name);
  for (const auto& [k, v] : tags.items()) {
    if (ascii_lower(k) == want && v.is_string()) return v.get<std::string>();
  }
  return "";
}

bool is_owned(translate::Kind kind, const nlohmann::json& body) {
  return tag_value(tags_of(kind, body), kManagedByTag) == kManagedByValue;
}

std::string provisioning_state(const nlohmann::json& body) {
  return string_at(properties_of(body), "provisioningState");
}

bool provisioning_failed(const nlohmann::json& body) { return ascii_lower(provisioning_state(body)) == "failed"; }

std::string provisioning_error(const nlohmann::json& body) {
  std::string out;
  const nlohmann::json& props = properties_of(body);
  const auto errors = props.is_object() ? props.find("provisioningErrors") : props.end();
  if (props.is_object() && errors != props.end() && errors->is_array()) {
    for (const auto& item : *errors) {
      const nlohmann::json& e = item.is_object() && item.contains("error") ? item["error"] : item;
      const std::string code = string_at(e, "code"), message = string_at(e, "message");
      if (code.empty() && message.empty()) continue;
      out += (out.empty() ? "" : "; ") + code + (code.empty() || message.empty() ? "" : ": ") + message;
    }
  }
  return out.empty() ? "no error given" : out;
}

std::string job_status(const nlohmann::json& body) { return string_at(properties_of(body), "status"); }

bool is_terminal_job_status(const std::string& status) {
  const std::string s = ascii_lower(status);
  return s == "completed" || s == "failed" || s == "canceled";
}

bool is_ready(const ObservedResource& r) {
  switch (r.kind) {
    case translate::Kind::Workspace:
    case translate::Kind::Compute:
      return ascii_lower(provisioning_state(r.body)) == "succeeded";
    case translate::Kind::Datastore:
    case translate::Kind::EnvironmentContainer:
    case translate::Kind::EnvironmentVersion: {
      // These proxy resources are synchronous; some API versions report a provisioningState.
      const std::string state = provisioning_state(r.body);
      return state.empty() || ascii_lower(state) == "succeeded";
    }
    case translate::Kind::Job:
      return true;
  }
  return false;
}

std::string job_compute_id(const nlohmann::json& body) { return string_at(properties_of(body), "computeId"); }

std::vector<std::string> computes_with_active_jobs(const std::vector<ObservedResource>& observed) {
  std::set<std::string> out;
  for (const auto& r : observed) {
    if (r.kind != translate::Kind::Job) continue;
    const std::string compute = job_compute_id(r.body);
    if (compute.empty() || is_terminal_job_status(job_status(r.body))) continue;
    out.insert(id_key(compute));
  }
  return {out.begin(), out.end()};
}

}  // namespace bai2aml::reconcile
