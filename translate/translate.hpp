// The heart of bai2aml: a pure function from (Batch AI inventory, config) to (desired AML
// resources, findings, name map). No I/O, no clock; the same input in any order gives the same
// output, byte for byte. Rules: DESIGN.md §3; details in translate/README.md.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "config/config.hpp"
#include "translate/model.hpp"
#include "translate/naming_plan.hpp"

namespace bai2aml::translate {

inline constexpr const char* kAmlApiVersion = "2024-04-01";
inline constexpr const char* kBatchAiApiVersion = "2018-05-01";
// The image of the environment for jobs that ran without a container in Batch AI.
inline constexpr const char* kDefaultJobImage = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest";

// `batchai_resources`: ARM objects exactly as GET/LIST return them (each with its full id).
Translation translate(const std::vector<nlohmann::json>& batchai_resources, const config::Config& cfg);

// The same, keeping the names AML already holds (NameHints, from the observed bai2aml-source tags):
// what the reconcile pass and `plan` use once they have observed AML.
Translation translate(const std::vector<nlohmann::json>& batchai_resources, const config::Config& cfg,
                      const NameHints& hints);

// Both at once, in one pass: what the daemon needs every cycle (validate_mapping alone translates too).
Translation translate(const std::vector<nlohmann::json>& batchai_resources, const config::Config& cfg,
                      std::vector<ConfigProblem>& problems);

// translate(resources, cfg, hints) and validate_mapping(resources, cfg) at once, parsing the
// inventory once: what the reconcile pass needs every cycle.
Translation translate(const std::vector<nlohmann::json>& batchai_resources, const config::Config& cfg,
                      const NameHints& hints, std::vector<ConfigProblem>& problems);

// Overrides in mapping.names / mapping.workspace_names that break an AML naming rule or collide
// with another name in their scope. Empty = the mapping is usable. Sorted by path.
std::vector<ConfigProblem> validate_mapping(const std::vector<nlohmann::json>& batchai_resources,
                                            const config::Config& cfg);

}  // namespace bai2aml::translate
