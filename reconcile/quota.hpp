// Quota pre-flight for new computes (pure): given the location's vmSizes and usages, as the AML
// 2024-04-01 API returns them ({"value":[...]}), decide which desired computes fit. A compute needs
// maxNodeCount x vCPUs cores of its VM family's quota for its priority (Dedicated or LowPriority)
// and of the regional total for that priority; computes draw on the same quota cumulatively, in
// the order given. One that does not fit is held with a quota-insufficient finding (family,
// needed, available = limit - currentValue - reservations of existing computes (below) - what
// earlier computes in the list took). A negative
// limit means unlimited. A VM size the location does not offer is held (vm-size-unavailable); a
// family without a usage entry cannot be checked and is let through (ARM has the last word).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "translate/model.hpp"

namespace bai2aml::reconcile {

struct QuotaCheck {
  std::vector<std::string> fits;             // compute ids that may be created, in input order
  std::vector<std::string> held;             // compute ids to hold this cycle
  std::vector<translate::Finding> findings;  // quota-insufficient, vm-size-unavailable, quota-unknown
};

// `existing`: the AmlCompute bodies already in the target (as observed). Each reserves its own
// maxNodeCount x vCPUs, whatever it uses right now (currentValue counts allocated nodes only, and an
// idle elastic compute allocates none): without that, a compute held this pass would fit the next,
// once the compute that took its quota exists and sits idle. Their allocated nodes
// (currentNodeCount) are already in currentValue and are not counted twice.
QuotaCheck check_quota(const std::vector<translate::DesiredResource>& computes, const nlohmann::json& vm_sizes,
                       const nlohmann::json& usages, const std::vector<nlohmann::json>& existing = {});

}  // namespace bai2aml::reconcile
