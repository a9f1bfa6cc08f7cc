// Observe: the live AML state by LIST per collection, never a GET per resource. One LIST of the
// resource group's workspaces, then per workspace one LIST each of computes, datastores,
// environments and jobs (nextLink pages followed by the client). Environment versions are listed
// only for the environments named in `version_containers` (those holding a desired version) and
// those tagged managed-by bai2aml (prune candidates: issue 12), so a no-op cycle costs
// 1 + 4 x workspaces + those containers requests, plus paging.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "reconcile/observed.hpp"
#include "translate/model.hpp"

namespace bai2aml::azure {
class ArmClient;
}

namespace bai2aml::reconcile {

struct Observation {
  std::vector<ObservedResource> resources;
  std::vector<std::string> errors;    // one line per LIST that failed (ARM code and message)
  std::vector<std::string> skipped;   // LIST items that name no managed AML kind (odd responses)
  bool workspaces_listed = false;     // false: nothing is known this cycle
  std::set<std::string> incomplete;   // id_keys of the workspaces with a failed LIST under them
  std::map<std::string, std::string> scope_errors;  // workspace id (as listed) -> its first failed LIST
  int lists = 0;                      // LIST calls made (paging not counted)

  // A diff may only act on an observation that saw everything: otherwise a resource missing from a
  // failed LIST would look absent (and be created again, or its parent retired).
  bool complete() const { return workspaces_listed && errors.empty(); }
  // Enough to plan on: the workspaces were listed. A workspace whose own LISTs failed is then an
  // unobserved scope (DiffInputs::unobserved_scopes): nothing in it is written this pass, and
  // everything else proceeds, so one foreign workspace (no RBAC, private link, being deleted)
  // cannot hold the whole migration.
  bool usable() const { return workspaces_listed; }
};

// One scope-unobserved finding per workspace of obs.scope_errors, naming it and the error.
std::vector<translate::Finding> unobserved_scope_findings(const Observation& obs);

class Observer {
 public:
  explicit Observer(azure::ArmClient& client) : client_(client) {}

  // resource_group_id: /subscriptions/S/resourceGroups/G (the target resource group).
  // version_containers: environment ids whose versions to list (case-insensitive).
  // `done` is called once, on the io_context thread.
  void observe(const std::string& resource_group_id, const std::set<std::string>& version_containers,
               std::function<void(Observation)> done);

 private:
  azure::ArmClient& client_;
};

// The location's AmlCompute VM sizes and usages, as {"value":[...]} each, for check_quota().
struct QuotaInputs {
  nlohmann::json vm_sizes;
  nlohmann::json usages;
  std::vector<std::string> errors;  // a failed LIST leaves its member null
};
void fetch_quota_inputs(azure::ArmClient& client, const std::string& subscription_id, const std::string& location,
                        std::function<void(QuotaInputs)> done);

}  // namespace bai2aml::reconcile
