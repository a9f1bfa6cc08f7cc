// One AML resource as a GET or LIST returns it, plus the questions the diff asks of it: is it
// ours (ownership tag), is it ready (provisioningState), and for jobs, is it still running.
// Every accessor tolerates odd bodies (missing or mistyped fields) and never throws.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "translate/model.hpp"

namespace bai2aml::reconcile {

inline constexpr const char* kManagedByTag = "managed-by";
inline constexpr const char* kManagedByValue = "bai2aml";
inline constexpr const char* kSourceTag = "bai2aml-source";

struct ObservedResource {
  translate::Kind kind{};
  std::string id;       // as ARM returned it (case preserved)
  nlohmann::json body;  // as GET/LIST returns it
};

// Builds an ObservedResource from one LIST item: the kind comes from the item's "id" path.
// Returns nullopt and sets *error (when given) for an item without a string id or whose id names
// no AML kind bai2aml manages.
std::optional<ObservedResource> observed_from_arm(const nlohmann::json& item, std::string* error = nullptr);

// Workspaces and computes are tracked resources (tags at the top level); datastores, environments
// and jobs are proxy resources (tags under properties).
bool has_top_level_tags(translate::Kind kind);

// The resource's tags (an empty object when absent or not an object).
nlohmann::json tags_of(translate::Kind kind, const nlohmann::json& body);

// Tag lookup with ARM semantics: tag names are case-insensitive. "" when absent or not a string.
std::string tag_value(const nlohmann::json& tags, const std::string& name);

// Owned = tagged managed-by: bai2aml.
bool is_owned(translate::Kind kind, const nlohmann::json& body);
inline bool is_owned(const ObservedResource& r) { return is_owned(r.kind, r.body); }

// properties.provisioningState, "" when absent.
std::string provisioning_state(const nlohmann::json& body);

// A resource whose provisioning ended Failed (provisioningState, case-insensitive): it stays so
// until it is deleted (AML keeps failed computes; a PUT over one does not provision it again).
bool provisioning_failed(const nlohmann::json& body);

// What ARM says went wrong with a Failed provisioning: "code: message" of each
// properties.provisioningErrors[].error, "; "-joined; "no error given" when there is none.
std::string provisioning_error(const nlohmann::json& body);

// properties.status of a job, "" when absent.
std::string job_status(const nlohmann::json& body);

// Completed, Failed, Canceled (case-insensitive): the job will never run again.
bool is_terminal_job_status(const std::string& status);

// Ready to be a dependency: provisioningState Succeeded (case-insensitive). Kinds that carry no
// provisioningState (datastores, environments) are ready as soon as they exist; a job is ready
// once it exists in any state.
bool is_ready(const ObservedResource& r);

// properties.computeId of a job, "" when absent.
std::string job_compute_id(const nlohmann::json& body);

// Compute id keys (id_key) that have at least one non-terminal job among the observed jobs.
std::vector<std::string> computes_with_active_jobs(const std::vector<ObservedResource>& observed);

}  // namespace bai2aml::reconcile
