// ARM resource ids of the AML resources bai2aml manages: kind from the id's path (never from
// "type", which the spec's own examples spell several ways), the parent workspace, and the
// case-insensitive comparison key (ARM ids are case-insensitive).
#pragma once

#include <optional>
#include <string>

#include "translate/model.hpp"

namespace bai2aml::reconcile {

// The comparison key of an ARM id: lower case, without a trailing '/'.
std::string id_key(const std::string& id);

// The AML kind named by the id's path after providers/Microsoft.MachineLearningServices:
//   workspaces/W -> Workspace, .../computes/C -> Compute, .../datastores/D -> Datastore,
//   .../environments/E -> EnvironmentContainer, .../environments/E/versions/V -> EnvironmentVersion,
//   .../jobs/J -> Job. Anything else (another provider, a malformed path) -> nullopt.
std::optional<translate::Kind> kind_from_id(const std::string& id);

// The workspace id prefix of an AML id ("" when the id is not under a workspace). For a
// workspace id, the id itself.
std::string workspace_of(const std::string& id);

// The id of the resource one level up (environment version -> environment, compute -> workspace);
// "" for a workspace or an unparsable id.
std::string parent_of(const std::string& id);

// The last path segment (the resource's own name).
std::string leaf_name(const std::string& id);

// A short lower-case label for logs and findings: "workspace", "compute", ...
const char* kind_label(translate::Kind kind);

}  // namespace bai2aml::reconcile
