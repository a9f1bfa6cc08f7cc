// AML jobs (mfe.json 2024-04-01: JobBaseResource, JobBase, CommandJob, JobResourceConfiguration,
// DistributionConfiguration, CommandJobLimits, JobInput/JobOutput, IdentityConfiguration).
#include "emulator/json_util.hpp"
#include "emulator/validators.hpp"

namespace bai2aml::emulator::detail {

namespace {
// Properties the service adds to a stored job; a repeated PUT does not send them.
const char* kServiceSetJobProperties[] = {"status", "parameters"};

void check_io(BodyChecker& c, const nlohmann::json* p, const char* key, const char* type_key,
              std::initializer_list<const char*> types) {
  const nlohmann::json* m = c.object(p, "properties", key);
  if (!m || !c.ok()) return;
  const std::string mp = BodyChecker::join("properties", key);
  for (const auto& [name, v] : m->items()) {
    if (v.is_null()) continue;
    if (!v.is_object()) {
      c.fail(kInvalidParameter, "Property '" + mp + "." + name + "' must be an object.");
      return;
    }
    c.enumeration(&v, mp + "." + name, type_key, types, true);
    c.string(&v, mp + "." + name, "uri");
    c.enumeration(&v, mp + "." + name, "mode",
                  {"ReadOnlyMount", "ReadWriteMount", "Download", "Direct", "EvalMount", "EvalDownload", "Upload"});
  }
}
}  // namespace

Validation validate_aml_job(const nlohmann::json& body) {
  BodyChecker c;
  c.only_keys(&body, "", {"id", "name", "type", "systemData", "properties"});
  const nlohmann::json* p = c.object(&body, "", "properties", true);
  const nlohmann::json* type = c.enumeration(p, "properties", "jobType", {"AutoML", "Command", "Sweep", "Pipeline"}, true);
  if (type && c.ok() && type->get<std::string>() != "Command")
    c.fail(kInvalidParameter, "jobType '" + type->get<std::string>() + "' is not served by this emulator (Command only).");
  c.only_keys(p, "properties",
              {"description", "properties", "tags", "componentId", "computeId", "displayName", "experimentName",
               "identity", "isArchived", "jobType", "notificationSetting", "services", "status", "codeId", "command",
               "distribution", "environmentId", "environmentVariables", "inputs", "limits", "outputs", "parameters",
               "queueSettings", "resources"});
  c.string(p, "properties", "description");
  c.string_map(p, "properties", "properties");
  c.string_map(p, "properties", "tags");
  c.string(p, "properties", "computeId");
  c.string(p, "properties", "displayName");
  c.string(p, "properties", "experimentName", false, true);
  c.string(p, "properties", "codeId");
  c.boolean(p, "properties", "isArchived");
  c.string(p, "properties", "command", true, true);
  c.string(p, "properties", "environmentId", true, true);
  c.string_map(p, "properties", "environmentVariables");
  if (const nlohmann::json* r = c.object(p, "properties", "resources")) {
    c.only_keys(r, "properties.resources", {"instanceCount", "instanceType", "properties", "dockerArgs", "shmSize"});
    c.integer(r, "properties.resources", "instanceCount", false, 1);
    c.string(r, "properties.resources", "instanceType");
    c.string(r, "properties.resources", "dockerArgs");
    c.string(r, "properties.resources", "shmSize");
  }
  if (const nlohmann::json* d = c.object(p, "properties", "distribution")) {
    const std::string dp = "properties.distribution";
    const nlohmann::json* dt = c.enumeration(d, dp, "distributionType", {"PyTorch", "TensorFlow", "Mpi"}, true);
    if (dt && c.ok()) {
      const std::string t = dt->get<std::string>();
      if (t == "TensorFlow") {
        c.integer(d, dp, "workerCount", false, 0);
        c.integer(d, dp, "parameterServerCount", false, 0);
      } else {
        c.integer(d, dp, "processCountPerInstance", false, 1);
      }
    }
  }
  if (const nlohmann::json* l = c.object(p, "properties", "limits")) {
    c.enumeration(l, "properties.limits", "jobLimitsType", {"Command"}, true);
    c.duration(l, "properties.limits", "timeout");
  }
  if (const nlohmann::json* id = c.object(p, "properties", "identity"))
    c.enumeration(id, "properties.identity", "identityType", {"AMLToken", "Managed", "UserIdentity"}, true);
  check_io(c, p, "inputs", "jobInputType",
           {"literal", "uri_file", "uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model"});
  check_io(c, p, "outputs", "jobOutputType",
           {"uri_file", "uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model"});
  return c.result();
}

Validation validate_aml_job_replace(const nlohmann::json& existing, const nlohmann::json& body) {
  // A job is immutable once submitted: the same definition again is idempotent, any difference conflicts.
  // Properties of another type (a stored job may hold anything) count as none.
  auto properties_of = [](const nlohmann::json& job) {
    const auto it = job.is_object() ? job.find("properties") : job.end();
    return it != job.end() && it->is_object() ? *it : nlohmann::json::object();
  };
  nlohmann::json before = properties_of(existing);
  nlohmann::json after = properties_of(body);
  for (const char* key : kServiceSetJobProperties) {
    before.erase(key);
    after.erase(key);
  }
  if (string_or(before, "experimentName", "Default") == string_or(after, "experimentName", "Default")) {
    before.erase("experimentName");
    after.erase("experimentName");
  }
  if (before != after) {
    std::string which;
    for (const auto& [k, v] : after.items())
      if (!before.contains(k) || before[k] != v) which += (which.empty() ? "" : ", ") + k;
    for (const auto& [k, v] : before.items())
      if (!after.contains(k)) which += (which.empty() ? "" : ", ") + k;
    return ArmError{409, "Conflict",
                    "A job with this name already exists with a different definition (properties differing: " + which +
                        "); job names cannot be reused."};
  }
  return std::nullopt;
}

}  // namespace bai2aml::emulator::detail
