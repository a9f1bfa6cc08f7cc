// The seed file (DESIGN.md §4.4): {"resources": [ARM objects as a GET returns them, each with its "id"]},
// plus this emulator's optional extension {"quotas": {"<location>": {"<family or total key>": vCPUs}}}.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "emulator/vm_catalog.hpp"

namespace bai2aml::emulator {

struct Seed {
  std::vector<nlohmann::json> resources;
  QuotaTable quotas;
};

struct SeedError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws SeedError naming the file and the JSON path of the problem.
Seed parse_seed(const nlohmann::json& doc, const std::string& source);
Seed load_seed_file(const std::string& path);

// Checks one resource object for the seed or the admin PUT: an object with a string "id" naming a
// Batch AI or AML resource. Returns "" or the problem. Ids of types the API does not serve (or malformed
// beyond repair, like a job id without its experiment segment, as in the spec's ListJobByExperiment
// example) are accepted and stored, visible through the admin endpoints only: real inventories contain them.
std::string check_seed_resource(const nlohmann::json& r);
// Whether the API serves the resource (its id maps to a kind in resource_kind.hpp).
bool is_servable(const nlohmann::json& r);

}  // namespace bai2aml::emulator
