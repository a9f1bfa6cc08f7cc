// AmlCompute (machineLearningServices.json 2024-04-01: ComputeResource, AmlCompute, AmlComputeProperties,
// ScaleSettings, UserAccountCredentials, ClusterUpdateParameters).
#include "emulator/http_types.hpp"
#include "emulator/validators.hpp"
#include "emulator/vm_catalog.hpp"

namespace bai2aml::emulator::detail {

namespace {
const char* kComputeTypes[] = {"AKS", "Kubernetes", "AmlCompute", "ComputeInstance", "DataFactory",
                               "VirtualMachine", "HDInsight", "Databricks", "DataLakeAnalytics", "SynapseSpark"};

void check_scale_settings(BodyChecker& c, const nlohmann::json* parent, const std::string& path, bool required) {
  const nlohmann::json* s = c.object(parent, path, "scaleSettings", required);
  if (!s) return;
  const std::string sp = BodyChecker::join(path, "scaleSettings");
  const nlohmann::json* max = c.integer(s, sp, "maxNodeCount", true, 0);
  const nlohmann::json* min = c.integer(s, sp, "minNodeCount", false, 0);
  c.duration(s, sp, "nodeIdleTimeBeforeScaleDown");
  if (c.ok() && max && min && min->get<long long>() > max->get<long long>())
    c.fail(kInvalidParameter, "Property '" + sp + ".minNodeCount' (" + min->dump() + ") exceeds maxNodeCount (" +
                                  max->dump() + ").");
}

std::string str_or(const nlohmann::json& j, const nlohmann::json::json_pointer& p, const std::string& fallback) {
  return j.contains(p) && j.at(p).is_string() ? j.at(p).get<std::string>() : fallback;
}
}  // namespace

Validation validate_aml_compute(const nlohmann::json& body) {
  BodyChecker c;
  c.string(&body, "", "location");
  c.string_map(&body, "", "tags");
  const nlohmann::json* props = c.object(&body, "", "properties", true);
  const nlohmann::json* type = c.string(props, "properties", "computeType", true);
  if (type && c.ok()) {
    const auto& t = type->get_ref<const std::string&>();
    bool known = false;
    for (const char* k : kComputeTypes) known = known || t == k;
    if (!known) c.fail(kInvalidParameter, "Property 'properties.computeType' has the unknown value '" + t + "'.");
    else if (t != "AmlCompute")
      c.fail(kInvalidParameter, "computeType '" + t + "' is not served by this emulator (AmlCompute only).");
  }
  c.string(props, "properties", "description");
  c.string(props, "properties", "computeLocation");
  c.boolean(props, "properties", "disableLocalAuth");
  const nlohmann::json* aml = c.object(props, "properties", "properties");
  const std::string ap = "properties.properties";
  if (const nlohmann::json* vm = c.string(aml, ap, "vmSize", false, true); vm && !find_vm_size(vm->get<std::string>()))
    c.fail(kInvalidParameter, "Property '" + ap + ".vmSize': the VM size '" + vm->get<std::string>() +
                                  "' is not available in this region (see the vmSizes API).");
  c.enumeration(aml, ap, "osType", {"Linux", "Windows"});
  c.enumeration(aml, ap, "vmPriority", {"Dedicated", "LowPriority"});
  c.boolean(aml, ap, "isolatedNetwork");
  c.boolean(aml, ap, "enableNodePublicIp");
  c.enumeration(aml, ap, "remoteLoginPortPublicAccess", {"Enabled", "Disabled", "NotSpecified"});
  check_scale_settings(c, aml, ap, false);
  if (const nlohmann::json* u = c.object(aml, ap, "userAccountCredentials")) {
    const std::string up = ap + ".userAccountCredentials";
    c.string(u, up, "adminUserName", true, true);
    c.string(u, up, "adminUserSshPublicKey");
    c.string(u, up, "adminUserPassword");
  }
  if (const nlohmann::json* s = c.object(aml, ap, "subnet")) c.string(s, ap + ".subnet", "id", true, true);
  return c.result();
}

Validation validate_aml_compute_patch(const nlohmann::json& body) {
  // ClusterUpdateParameters: {"properties": {"properties": {"scaleSettings": {...}}}} and nothing else.
  BodyChecker c;
  c.only_keys(&body, "", {"properties"});
  const nlohmann::json* props = c.object(&body, "", "properties", true);
  c.only_keys(props, "properties", {"properties"});
  const nlohmann::json* inner = c.object(props, "properties", "properties", true);
  c.only_keys(inner, "properties.properties", {"scaleSettings"});
  check_scale_settings(c, inner, "properties.properties", true);
  return c.result();
}

Validation validate_aml_compute_replace(const nlohmann::json& existing, const nlohmann::json& body) {
  using P = nlohmann::json::json_pointer;
  auto changed = [&](const std::string& what, const std::string& before, const std::string& after) {
    return ArmError{409, kPropertyChangeNotAllowed,
                    "The AmlCompute property '" + what + "' cannot be changed on an existing compute (from '" +
                        before + "' to '" + after + "'); delete and recreate the compute."};
  };
  struct Field {
    const char* name;
    const char* pointer;
    const char* fallback;  // the service default when the property is omitted
    bool case_insensitive;
  };
  static const Field fields[] = {
      {"vmSize", "/properties/properties/vmSize", "Standard_DS3_v2", true},
      {"vmPriority", "/properties/properties/vmPriority", "Dedicated", false},
      {"subnet.id", "/properties/properties/subnet/id", "", true},
      {"userAccountCredentials.adminUserName", "/properties/properties/userAccountCredentials/adminUserName", "", false},
      {"userAccountCredentials.adminUserSshPublicKey", "/properties/properties/userAccountCredentials/adminUserSshPublicKey",
       "", false},
      {"remoteLoginPortPublicAccess", "/properties/properties/remoteLoginPortPublicAccess", "NotSpecified", false},
  };
  for (const auto& f : fields) {
    const std::string before = str_or(existing, P(f.pointer), f.fallback);
    const std::string after = str_or(body, P(f.pointer), f.fallback);
    if (f.case_insensitive ? !iequals(before, after) : before != after) {
      // Never echo key material in an error message.
      bool secret = std::string(f.name).find("Ssh") != std::string::npos;
      return changed(f.name, secret ? "(hidden)" : before, secret ? "(hidden)" : after);
    }
  }
  const P pw("/properties/properties/userAccountCredentials/adminUserPassword");
  if (str_or(existing, pw, "") != str_or(body, pw, ""))
    return changed("userAccountCredentials.adminUserPassword", "(hidden)", "(hidden)");
  return std::nullopt;
}

}  // namespace bai2aml::emulator::detail
