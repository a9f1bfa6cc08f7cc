// AML environment containers and versions (mfe.json 2024-04-01: EnvironmentContainerResource,
// EnvironmentVersionResource, BuildContext).
#include "emulator/validators.hpp"

namespace bai2aml::emulator::detail {

namespace {
void check_asset_base(BodyChecker& c, const nlohmann::json* p) {
  c.string(p, "properties", "description");
  c.string_map(p, "properties", "properties");
  c.string_map(p, "properties", "tags");
  c.boolean(p, "properties", "isArchived");
}
}  // namespace

Validation validate_aml_environment_container(const nlohmann::json& body) {
  BodyChecker c;
  c.only_keys(&body, "", {"id", "name", "type", "systemData", "properties"});
  const nlohmann::json* p = c.object(&body, "", "properties", true);
  c.only_keys(p, "properties", {"description", "properties", "tags", "isArchived", "latestVersion", "nextVersion",
                                "provisioningState"});
  check_asset_base(c, p);
  return c.result();
}

Validation validate_aml_environment_version(const nlohmann::json& body) {
  BodyChecker c;
  c.only_keys(&body, "", {"id", "name", "type", "systemData", "properties"});
  const nlohmann::json* p = c.object(&body, "", "properties", true);
  c.only_keys(p, "properties", {"description", "properties", "tags", "isArchived", "isAnonymous", "autoRebuild", "build",
                                "condaFile", "environmentType", "image", "inferenceConfig", "osType",
                                "provisioningState", "stage"});
  check_asset_base(c, p);
  c.boolean(p, "properties", "isAnonymous");
  c.enumeration(p, "properties", "autoRebuild", {"Disabled", "OnBaseImageUpdate"});
  c.enumeration(p, "properties", "osType", {"Linux", "Windows"});
  c.string(p, "properties", "condaFile");
  c.string(p, "properties", "stage");
  const nlohmann::json* image = c.string(p, "properties", "image", false, true);
  const nlohmann::json* build = c.object(p, "properties", "build");
  c.string(build, "properties.build", "contextUri", true, true);
  c.string(build, "properties.build", "dockerfilePath");
  c.object(p, "properties", "inferenceConfig");
  if (c.ok() && p && !image && !build)
    c.fail(kMissingRequiredProperty, "An environment version needs 'properties.image' or 'properties.build'.");
  return c.result();
}

Validation validate_aml_environment_version_replace(const nlohmann::json& existing, const nlohmann::json& body) {
  // Versions are immutable assets: only description, tags and isArchived may change.
  static const char* immutable[] = {"image", "build", "condaFile", "osType", "inferenceConfig", "autoRebuild"};
  // The service fills these defaults in; a repeated PUT that omits them means the same thing.
  // A stored version may hold anything (a seed, an admin PUT), and the fuzzer calls this on unvalidated
  // bodies: properties of another type count as none.
  auto with_defaults = [](const nlohmann::json& resource) {
    const auto it = resource.is_object() ? resource.find("properties") : resource.end();
    nlohmann::json p = it != resource.end() && it->is_object() ? *it : nlohmann::json::object();
    if (!p.contains("osType")) p["osType"] = "Linux";
    if (!p.contains("autoRebuild")) p["autoRebuild"] = "Disabled";
    return p;
  };
  const nlohmann::json before = with_defaults(existing);
  const nlohmann::json after = with_defaults(body);
  for (const char* key : immutable) {
    const nlohmann::json b = before.value(key, nlohmann::json());
    const nlohmann::json a = after.value(key, nlohmann::json());
    if (b != a)
      return ArmError{409, kPropertyChangeNotAllowed,
                      std::string("Environment versions are immutable: 'properties.") + key +
                          "' differs from the existing version; create a new version instead."};
  }
  return std::nullopt;
}

}  // namespace bai2aml::emulator::detail
