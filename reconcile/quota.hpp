// Quota pre-flight (pure), by the rules AML enforces, from the location's vmSizes and usages as the
// AML 2024-04-01 API returns them ({"value":[...]}):
//   - AML refuses a new AmlCompute only when the quota cannot hold its minimum: max(1, minNodeCount)
//     nodes x vCPUs, against the VM family's quota for its priority (Dedicated or LowPriority) and the
//     regional total for that priority ("The specified subscription has a Standard NC family vCPU
//     quota of 0 and cannot accomodate for at least 1 requested managed compute nodes which maps to
//     12 vCPUs"). Such a compute is held (quota-insufficient, Error).
//   - A maxNodeCount beyond the quota is accepted; the cluster simply cannot scale past it: the
//     compute is created, with a quota-max-exceeded Warning giving the numbers.
//   - AML refuses a job whose instanceCount x vCPUs exceeds its VM family's quota limit (low priority:
//     the regional low-priority quota) (JobNodeCountExceedsCoreQuota:
//     "... vCPU quota of 2 and is less than the requested job node count of 2 which maps to 4
//     vCPUs"): it could never run. Such a job is held (quota-job-exceeds, Error).
// Available = limit - currentValue (the cores the subscription's clusters hold now) - what earlier
// computes in the list take (their minimum). A negative limit means unlimited. A VM size the location
// does not offer is held (vm-size-unavailable); a family without a usage entry cannot be checked and
// is let through (quota-unknown; ARM has the last word).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "translate/model.hpp"

namespace bai2aml::reconcile {

struct QuotaCheck {
  std::vector<std::string> fits;             // ids that may be created, in input order
  std::vector<std::string> held;             // ids to hold this cycle
  std::vector<translate::Finding> findings;  // quota-insufficient, quota-max-exceeded, quota-job-exceeds, ...
};

// New computes (desired bodies), in the order they would be created. `existing`: desired computes
// that exist already; they are only checked for quota-max-exceeded (their minimum is in use), so
// that the warning stays while the compute cannot reach its maximum.
QuotaCheck check_quota(const std::vector<translate::DesiredResource>& computes, const nlohmann::json& vm_sizes,
                       const nlohmann::json& usages, const std::vector<translate::DesiredResource>& existing = {});

// New jobs (desired bodies). compute_bodies: id_key -> body of each compute a job may name in
// properties.computeId (desired or observed). A job whose compute is unknown is let through.
QuotaCheck check_job_quota(const std::vector<translate::DesiredResource>& jobs,
                           const std::map<std::string, nlohmann::json>& compute_bodies, const nlohmann::json& vm_sizes,
                           const nlohmann::json& usages);

}  // namespace bai2aml::reconcile
