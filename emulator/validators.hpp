// Pure request validation per resource kind (no store, no HTTP): names, PUT and PATCH bodies against the
// 2018-05-01 / 2024-04-01 specs, and the rules for a PUT over an existing resource.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "emulator/body_checker.hpp"
#include "emulator/resource_kind.hpp"

namespace bai2aml::emulator {

Validation validate_name(KindId kind, const std::string& name);
Validation validate_put(KindId kind, const nlohmann::json& body);
Validation validate_patch(KindId kind, const nlohmann::json& body);
// A PUT over `existing` (as stored, secrets included): immutable properties changed -> 409
// PropertyChangeNotAllowed; an AML job or environment version with a different definition -> 409.
Validation validate_replace(KindId kind, const nlohmann::json& existing, const nlohmann::json& body);

// AML compute names: 3-24 characters, letters, digits and '-', starting with a letter, each '-' followed
// later by a letter.
bool is_valid_aml_compute_name(const std::string& name);

namespace detail {
Validation validate_aml_compute(const nlohmann::json& body);
Validation validate_aml_compute_patch(const nlohmann::json& body);
Validation validate_aml_compute_replace(const nlohmann::json& existing, const nlohmann::json& body);
Validation validate_aml_workspace(const nlohmann::json& body);
Validation validate_aml_workspace_patch(const nlohmann::json& body);
Validation validate_aml_workspace_replace(const nlohmann::json& existing, const nlohmann::json& body);
Validation validate_aml_datastore(const nlohmann::json& body);
Validation validate_aml_environment_container(const nlohmann::json& body);
Validation validate_aml_environment_version(const nlohmann::json& body);
Validation validate_aml_environment_version_replace(const nlohmann::json& existing, const nlohmann::json& body);
Validation validate_aml_job(const nlohmann::json& body);
Validation validate_aml_job_replace(const nlohmann::json& existing, const nlohmann::json& body);
Validation validate_batchai_put(KindId kind, const nlohmann::json& body);
Validation validate_batchai_patch(KindId kind, const nlohmann::json& body);
}  // namespace detail

}  // namespace bai2aml::emulator
