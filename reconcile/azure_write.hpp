// The one log line per Azure write (issue 7): the executor, which alone knows when a write has
// ended (after its long-running operation, perhaps after a restart), logs it here. The daemon's
// sink adds the JSON members of azure_write_fields() to that line in the JSON log format.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace bai2aml::reconcile {

// One Azure write (PUT/PATCH/DELETE/POST) and how it ended.
struct AzureWrite {
  std::string action;       // "create", "update", "delete", "adopt", "cancel", ...
  std::string resource_id;  // the full ARM id
  bool succeeded = false;
  std::string outcome;      // "succeeded", "failed: Conflict (409)", ...
  std::chrono::milliseconds duration{0};
  std::string request_id;   // x-ms-request-id (or the client request id); empty if none came back
};

// Logs `w` at info (succeeded) or warn (failed) on spdlog's default logger as
//   "azure write: create /subscriptions/... succeeded in 1234 ms (request id abc)"
// with the members action, resource_id, outcome, duration_ms and request_id available to the sink
// through azure_write_fields() while the line is written.
void log_azure_write(const AzureWrite& w);

// The structured members of the azure-write line being logged on this thread; null for any other
// line. Valid only inside the sink call (spdlog's default logger is synchronous).
const nlohmann::json* azure_write_fields();

}  // namespace bai2aml::reconcile
