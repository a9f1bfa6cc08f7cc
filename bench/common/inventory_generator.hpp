// Synthetic Batch AI inventories (ARM JSON as GET returns it, API 2018-05-01) for benchmarks and
// property tests: any size, deterministic for a seed, with the awkward cases real estates have
// (names AML rejects, cluster names repeated across workspaces, every toolkit, every job state,
// shared storage, NFS file servers) and, optionally, secret values that must never leak.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bai2aml::bench {

struct GeneratorOptions {
  std::size_t resources = 1000;  // approximate total (exact to within one workspace's worth)
  std::uint64_t seed = 1;
  std::string subscription = "00000000-0000-0000-0000-000000000001";
  std::string location = "eastus";
  // Put secret values (storage keys, passwords, secret env values) in the resources; each starts
  // with kSecretMarker so tests can check that none survives.
  bool include_secrets = true;
};

inline constexpr const char* kSecretMarker = "S3CRET-";

// Workspaces, clusters, file servers, experiments and jobs, in generation order.
std::vector<nlohmann::json> generate_inventory(const GeneratorOptions& options);

// The emulator's seed format: {"resources": [...]}.
nlohmann::json generate_seed(const GeneratorOptions& options);

}  // namespace bai2aml::bench
