// The Batch AI inventory: the raw ARM JSON of every workspace, cluster, file server, experiment and
// job, as read from the live API (BatchAiReader) or from a seed-format file (load_inventory_file).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "azure/arm_error.hpp"
#include "azure/result.hpp"
#include "config/config.hpp"

namespace bai2aml::azure {

struct Inventory {
  std::vector<nlohmann::json> resources;  // workspaces, then clusters, fileServers, experiments, jobs
  std::chrono::system_clock::time_point fetched_at{};
};

// Why the source could not be read. The caller keeps reconciling from its last snapshot.
struct SourceUnavailable {
  enum class Reason {
    Network,          // connection refused/dropped, timeouts, TLS, 5xx after retries, throttled out
    Unauthorized,     // 401/403, or no token could be obtained
    Retired,          // the Batch AI service is gone (provider unregistered, 404/410 on its collections)
    InvalidResponse,  // ARM answered something malformed
    InvalidFile,      // source.inventory_file is missing or malformed
    Other,
  };
  Reason reason = Reason::Other;
  std::string message;  // names what failed and where
  ArmError cause;       // the underlying error (http_status 0 for files)
};
const char* to_string(SourceUnavailable::Reason reason);

// Reads a seed-format file ({"resources":[...]}), validates every entry (an object with a string
// "id" of an ARM resource and a "name" equal to the id's last segment) and keeps the Batch AI
// resources of source (subscription, optional resource_groups), ordered as the reader orders them.
// Errors name the file and the bad entry ("resources[3] (id ...): ..."). fetched_at: the file's mtime.
Result<Inventory, SourceUnavailable> load_inventory_file(const std::string& path, const config::Source& source);
// The same for a file's content (nullopt: it could not be read); `path` only names it in errors, and
// fetched_at is now. What the fuzz target drives.
Result<Inventory, SourceUnavailable> parse_inventory(const std::optional<std::string>& text, const std::string& path,
                                                     const config::Source& source);

}  // namespace bai2aml::azure
