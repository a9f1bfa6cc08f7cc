// Batch AI ARM ids: which kind of resource an id names, taken from its path (DESIGN §3: the `type`
// field is spelled inconsistently in the spec's own examples, so it is never consulted). In the
// config layer, below every other, so that the seed-file check (azure/inventory) and the
// translation (translate/) agree on what a Batch AI id is.
#pragma once

#include <string>
#include <vector>

namespace bai2aml::config {

// In the order the Batch AI reader lists them (parents before children).
enum class SourceKind { Workspace, Cluster, FileServer, Experiment, Job, Unknown };
const char* to_string(SourceKind);  // "workspace", "cluster", "file server", "experiment", "job", "unknown"

struct SourceId {
  SourceKind kind = SourceKind::Unknown;
  std::string subscription;    // as written
  std::string resource_group;  // as written
  std::string workspace;       // empty when the id has no workspace segment (a tolerated malformation)
  std::string experiment;      // jobs only
  std::string name;            // the resource's own name (the workspace's, for a workspace)
};

// The non-empty segments of an ARM id or path ("/a//b/" -> {"a", "b"}).
std::vector<std::string> arm_id_segments(const std::string& id);

// Parses /subscriptions/S/resourceGroups/G/providers/Microsoft.BatchAI/workspaces/W[/clusters|fileServers|
// experiments/N[/jobs/J]]. Segment names match case-insensitively; `workspace` (singular) is accepted,
// as is a cluster or file server id without its workspace segment (both occur in the spec's examples).
// Anything else yields kind Unknown.
SourceId parse_batchai_id(const std::string& id);

// The id of the Batch AI workspace a parsed id belongs to (its canonical spelling), or "" without one.
std::string workspace_id_of(const SourceId& s);

}  // namespace bai2aml::config
