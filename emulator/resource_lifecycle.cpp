#include "emulator/json_util.hpp"
#include "emulator/resource_lifecycle.hpp"

#include <random>

#include "emulator/http_types.hpp"
#include "emulator/vm_catalog.hpp"

namespace bai2aml::emulator {

namespace {
std::string new_guid() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[40];
  const unsigned long long a = rng(), b = rng();
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-4%03llx-8%03llx-%012llx", a >> 32, (a >> 16) & 0xffff, a & 0xfff,
                b >> 52, b & 0xffffffffffffULL);
  return buf;
}

nlohmann::json& props(nlohmann::json& r) {
  if (!r.contains("properties") || !r["properties"].is_object()) r["properties"] = nlohmann::json::object();
  return r["properties"];
}
}  // namespace

std::string provisioning_state_of(const nlohmann::json& r) {
  if (!r.is_object() || !r.contains("properties")) return "";
  return string_or(r.at("properties"), "provisioningState", "");
}

void set_provisioning_state(KindId kind, nlohmann::json& r, const std::string& pascal) {
  const ResourceKind& k = kind_info(kind);
  std::string state = provisioning_state(k.provider, pascal);
  // Batch AI has no "updating" for most types; an update shows as "creating" until done.
  if (k.provider == Provider::BatchAI && state == "updating" && kind != KindId::BatchAIFileServer) state = "creating";
  props(r)["provisioningState"] = state;
  if (k.provider == Provider::BatchAI) props(r)["provisioningStateTransitionTime"] = rfc3339_now();
}

nlohmann::json build_stored_resource(const ResourceKind& kind, const nlohmann::json& body, const nlohmann::json* existing,
                                     const std::string& id, const std::string& name,
                                     const std::string& parent_location) {
  nlohmann::json r = nlohmann::json::object();
  r["id"] = existing ? (*existing)["id"] : nlohmann::json(id);
  r["name"] = existing ? (*existing)["name"] : nlohmann::json(name);
  r["type"] = kind.arm_type();
  for (const auto& [k, v] : body.items())
    if (k != "id" && k != "name" && k != "type" && k != "systemData") r[k] = v;
  const std::string now = rfc3339_now();
  const bool lro = kind.long_running;
  if (lro) set_provisioning_state(kind.id, r, existing ? "Updating" : "Creating");
  auto keep = [&](const char* key, const nlohmann::json& fresh) {
    const nlohmann::json::json_pointer p(std::string("/properties/") + key);
    props(r)[key] = existing && existing->contains(p) ? existing->at(p) : fresh;
  };
  switch (kind.id) {
    case KindId::AmlWorkspace:
      keep("workspaceId", new_guid());
      keep("discoveryUrl", "https://" + to_lower(string_or(r, "location", "")) + ".api.azureml.ms/discovery");
      break;
    case KindId::AmlCompute: {
      if (!r.contains("location") && !parent_location.empty()) r["location"] = parent_location;
      keep("createdOn", now);
      props(r)["modifiedOn"] = now;
      props(r)["isAttachedCompute"] = false;
      auto& aml = props(r)["properties"];
      if (!aml.is_object()) aml = nlohmann::json::object();
      if (!aml.contains("vmSize")) aml["vmSize"] = "STANDARD_DS3_V2";
      if (!aml.contains("vmPriority")) aml["vmPriority"] = "Dedicated";
      if (!aml.contains("osType")) aml["osType"] = "Linux";
      if (!aml.contains("remoteLoginPortPublicAccess")) aml["remoteLoginPortPublicAccess"] = "NotSpecified";
      const long long min = aml.contains("scaleSettings") ? int_or(aml["scaleSettings"], "minNodeCount", 0) : 0;
      aml["allocationState"] = "Resizing";
      aml["allocationStateTransitionTime"] = now;
      aml["currentNodeCount"] = 0;
      aml["targetNodeCount"] = min;
      break;
    }
    case KindId::AmlDatastore:
      props(r)["isDefault"] = false;
      break;
    case KindId::AmlEnvironmentContainer:
      props(r)["provisioningState"] = "Succeeded";
      keep("latestVersion", nullptr);
      break;
    case KindId::AmlEnvironmentVersion:
      props(r)["provisioningState"] = "Succeeded";
      props(r)["environmentType"] = "UserCreated";
      if (!props(r).contains("osType")) props(r)["osType"] = "Linux";
      if (!props(r).contains("autoRebuild")) props(r)["autoRebuild"] = "Disabled";
      break;
    case KindId::AmlJob:
      if (!props(r).contains("experimentName")) props(r)["experimentName"] = "Default";
      keep("status", "NotStarted");
      break;
    case KindId::BatchAICluster: {
      keep("creationTime", now);
      auto& p = props(r);
      if (!p.contains("vmPriority")) p["vmPriority"] = "dedicated";
      p["allocationState"] = "resizing";
      p["allocationStateTransitionTime"] = now;
      p["currentNodeCount"] = 0;
      break;
    }
    case KindId::BatchAIJob:
      keep("creationTime", now);
      keep("executionState", "queued");
      keep("executionStateTransitionTime", now);
      break;
    case KindId::BatchAIWorkspace:
    case KindId::BatchAIExperiment:
    case KindId::BatchAIFileServer:
      keep("creationTime", now);
      break;
  }
  return r;
}

void complete_operation(const Operation& op, bool failed, nlohmann::json& r) {
  const std::string now = rfc3339_now();
  switch (op.action) {
    case Operation::Action::Create:
    case Operation::Action::Update: {
      set_provisioning_state(op.kind, r, failed ? "Failed" : "Succeeded");
      if (failed && kind_info(op.kind).provider == Provider::MachineLearning)
        props(r)["provisioningErrors"] = nlohmann::json::array(
            {{{"error", {{"code", "InternalServerError"}, {"message", "Provisioning failed. (injected fault)"}}}}});
      if (op.kind == KindId::AmlCompute && !failed) {
        auto& aml = props(r)["properties"];
        aml["allocationState"] = "Steady";
        aml["allocationStateTransitionTime"] = now;
        aml["currentNodeCount"] = int_or(aml, "targetNodeCount", 0);
      }
      if (op.kind == KindId::BatchAICluster && !failed) {
        props(r)["allocationState"] = "steady";
        props(r)["allocationStateTransitionTime"] = now;
      }
      break;
    }
    case Operation::Action::Cancel:
      props(r)["status"] = "Canceled";
      break;
    case Operation::Action::Terminate:
      // A terminated Batch AI job ends as failed (JobProperties.executionState has no "terminated").
      props(r)["executionState"] = "failed";
      props(r)["executionStateTransitionTime"] = now;
      break;
    case Operation::Action::Delete:
      set_provisioning_state(op.kind, r, "Failed");  // only reached when the delete failed
      break;
  }
}

}  // namespace bai2aml::emulator
