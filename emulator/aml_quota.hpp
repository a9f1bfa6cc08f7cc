// AmlCompute core quotas as AML enforces them (README "Quotas"): the vCPUs the subscription's clusters
// hold in a location (minNodeCount x vCPUs each: what an idle cluster keeps), the refusal of a new
// compute whose minimum (at least one node) the quota cannot hold, and the refusal of a job whose
// instanceCount x vCPUs exceeds the quota's limit (JobNodeCountExceedsCoreQuota).
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "emulator/http_types.hpp"
#include "emulator/core_usage.hpp"
#include "emulator/resource_store.hpp"
#include "emulator/vm_catalog.hpp"

namespace bai2aml::emulator {

std::optional<Response> refuse_compute_for_quota(const QuotaTable& quotas, const ResourceStore::Tx& tx,
                                                 const std::string& subscription, const nlohmann::json& compute);

// 400 JobNodeCountExceedsCoreQuota when a job could never fit its compute's quota; nullopt otherwise
// (also when its compute is unknown: the job validator's business).
std::optional<Response> refuse_job_for_quota(const QuotaTable& quotas, const ResourceStore::Tx& tx,
                                             const nlohmann::json& job);

}  // namespace bai2aml::emulator
