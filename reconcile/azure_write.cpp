#include "reconcile/azure_write.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace bai2aml::reconcile {

namespace {
thread_local const nlohmann::json* t_fields = nullptr;
}  // namespace

const nlohmann::json* azure_write_fields() { return t_fields; }

void log_azure_write(const AzureWrite& w) {
  const nlohmann::json fields{{"action", w.action},
                              {"resource_id", w.resource_id},
                              {"outcome", w.outcome},
                              {"duration_ms", w.duration.count()},
                              {"request_id", w.request_id}};
  t_fields = &fields;
  try {
    spdlog::log(w.succeeded ? spdlog::level::info : spdlog::level::warn,
                "azure write: {} {} {} in {} ms (request id {})", w.action, w.resource_id, w.outcome,
                w.duration.count(), w.request_id.empty() ? "none" : w.request_id);
  } catch (...) {
    t_fields = nullptr;
    throw;
  }
  t_fields = nullptr;
}

}  // namespace bai2aml::reconcile
