#include "emulator/validators.hpp"

#include <regex>

namespace bai2aml::emulator {

bool is_valid_aml_compute_name(const std::string& name) {
  static const std::regex re("^[A-Za-z][A-Za-z0-9-]{2,23}$");
  if (!std::regex_match(name, re)) return false;
  // Each '-' must be followed, somewhere after it, by a letter.
  size_t last_dash = name.rfind('-');
  if (last_dash == std::string::npos) return true;
  for (size_t i = last_dash + 1; i < name.size(); ++i)
    if (std::isalpha(static_cast<unsigned char>(name[i]))) return true;
  return false;
}

Validation validate_name(KindId kind, const std::string& name) {
  // Patterns from the path parameters of BatchAI.json and machineLearningServices.json / mfe.json.
  static const std::regex batchai("^[-\\w_]{1,64}$");
  static const std::regex aml_workspace("^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$");
  static const std::regex aml_asset("^[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254}$");
  auto bad = [&](const std::string& rule) {
    return ArmError{400, kInvalidResourceName, "The resource name '" + name + "' is invalid: " + rule + "."};
  };
  switch (kind) {
    case KindId::BatchAIWorkspace:
    case KindId::BatchAICluster:
    case KindId::BatchAIFileServer:
    case KindId::BatchAIExperiment:
    case KindId::BatchAIJob:
      if (!std::regex_match(name, batchai)) return bad("1-64 characters: letters, digits, '-' and '_'");
      return std::nullopt;
    case KindId::AmlWorkspace:
      if (!std::regex_match(name, aml_workspace))
        return bad("3-33 characters: letters, digits, '_' and '-', starting with a letter or digit");
      return std::nullopt;
    case KindId::AmlCompute:
      if (!is_valid_aml_compute_name(name))
        return bad("compute names have 3-24 characters: letters, digits and '-', start with a letter, and each '-' "
                   "is followed later by a letter");
      return std::nullopt;
    case KindId::AmlDatastore:
    case KindId::AmlEnvironmentContainer:
    case KindId::AmlJob:
      if (!std::regex_match(name, aml_asset))
        return bad("1-255 characters: letters, digits, '-' and '_', starting with a letter or digit");
      return std::nullopt;
    case KindId::AmlEnvironmentVersion:
      if (name.empty() || name.size() > 255) return bad("a version has 1-255 characters");
      return std::nullopt;
  }
  return std::nullopt;
}

Validation validate_put(KindId kind, const nlohmann::json& body) {
  switch (kind) {
    case KindId::AmlCompute: return detail::validate_aml_compute(body);
    case KindId::AmlWorkspace: return detail::validate_aml_workspace(body);
    case KindId::AmlDatastore: return detail::validate_aml_datastore(body);
    case KindId::AmlEnvironmentContainer: return detail::validate_aml_environment_container(body);
    case KindId::AmlEnvironmentVersion: return detail::validate_aml_environment_version(body);
    case KindId::AmlJob: return detail::validate_aml_job(body);
    default: return detail::validate_batchai_put(kind, body);
  }
}

Validation validate_patch(KindId kind, const nlohmann::json& body) {
  switch (kind) {
    case KindId::AmlCompute: return detail::validate_aml_compute_patch(body);
    case KindId::AmlWorkspace: return detail::validate_aml_workspace_patch(body);
    default: return detail::validate_batchai_patch(kind, body);
  }
}

Validation validate_replace(KindId kind, const nlohmann::json& existing, const nlohmann::json& body) {
  switch (kind) {
    case KindId::AmlCompute: return detail::validate_aml_compute_replace(existing, body);
    case KindId::AmlWorkspace: return detail::validate_aml_workspace_replace(existing, body);
    case KindId::AmlEnvironmentVersion: return detail::validate_aml_environment_version_replace(existing, body);
    case KindId::AmlJob: return detail::validate_aml_job_replace(existing, body);
    default: return std::nullopt;
  }
}

}  // namespace bai2aml::emulator
