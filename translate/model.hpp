// What translation produces and the rest of bai2aml consumes: the desired AML resources, the
// findings, and the Batch AI -> AML name map. Plain data; the state store persists it as is.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bai2aml::translate {

// AML resource kinds, in the order a migration must create them.
enum class Kind { Workspace, Datastore, Compute, EnvironmentContainer, EnvironmentVersion, Job };
const char* to_string(Kind);  // "workspace", "datastore", "compute", "environment", "environment_version", "job"
bool kind_from_string(const std::string& s, Kind& out);

// One AML resource as bai2aml wants it to exist.
struct DesiredResource {
  Kind kind{};
  std::string id;         // full AML ARM id, e.g. /subscriptions/../workspaces/ws/computes/c1
  std::string source_id;  // the Batch AI resource it comes from (ARM id)
  // The PUT body (api-version 2024-04-01), with ownership tags. Secrets appear only as
  // secret_file_ref() placeholders (secret_ref.hpp).
  nlohmann::json body;
  std::vector<std::string> depends_on;  // AML ids that must exist (Succeeded) first
};

enum class Severity { Error, Warning, Info };
const char* to_string(Severity);  // "error", "warning", "info"

struct Finding {
  std::string code;       // stable, kebab-case: node-setup-unsupported, nfs-file-server, ...
  Severity severity{};
  std::string source_id;  // the Batch AI resource concerned (ARM id)
  std::string message;    // what was lost or changed, precisely
  std::string remedy;     // what the operator does about it
};

struct NameMapping {
  std::string source_id;  // Batch AI resource
  std::string target_id;  // AML resource
  std::string reason;     // "" when the name carried over unchanged; else why it changed
};

struct Translation {
  std::vector<DesiredResource> resources;  // sorted by (kind, id)
  std::vector<Finding> findings;           // sorted by (source_id, code)
  std::vector<NameMapping> names;          // sorted by source_id
};

}  // namespace bai2aml::translate
