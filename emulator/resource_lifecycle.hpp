// How a stored resource looks after a write, and after its long-running operation ends: the read-only
// properties the services add (provisioningState, creation times, job status, ...).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "emulator/operation_tracker.hpp"
#include "emulator/resource_kind.hpp"

namespace bai2aml::emulator {

// Builds the stored resource for a PUT: the body's envelope and properties, the canonical id, name and type,
// and the service-set properties. `existing` is the resource being replaced, or nullptr.
nlohmann::json build_stored_resource(const ResourceKind& kind, const nlohmann::json& body, const nlohmann::json* existing,
                                     const std::string& id, const std::string& name,
                                     const std::string& parent_location);

// provisioningState of a stored resource ("" when it has none).
std::string provisioning_state_of(const nlohmann::json& resource);
void set_provisioning_state(KindId kind, nlohmann::json& resource, const std::string& pascal_state);

// The effect of a finished operation on the resource (not called for Delete, which removes it).
void complete_operation(const Operation& op, bool failed, nlohmann::json& resource);

}  // namespace bai2aml::emulator
