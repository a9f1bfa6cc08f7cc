#include "config/config.hpp"

namespace bai2aml::config {

const char* to_string(AuthMethod m) {
  switch (m) {
    case AuthMethod::ClientSecret: return "client_secret";
    case AuthMethod::ManagedIdentity: return "managed_identity";
    case AuthMethod::WorkloadIdentity: return "workload_identity";
    case AuthMethod::Environment: return "environment";
  }
  return "?";
}
const char* to_string(ManualScale m) { return m == ManualScale::Elastic ? "elastic" : "fixed"; }
const char* to_string(JobsMode m) {
  switch (m) {
    case JobsMode::Queued: return "queued";
    case JobsMode::Active: return "active";
    case JobsMode::None: return "none";
  }
  return "?";
}
const char* to_string(DriftPolicy p) { return p == DriftPolicy::Correct ? "correct" : "report"; }
const char* to_string(RetireSource r) {
  switch (r) {
    case RetireSource::Never: return "never";
    case RetireSource::AfterMigration: return "after_migration";
    case RetireSource::AtCutoff: return "at_cutoff";
  }
  return "?";
}
const char* to_string(LogFormat f) { return f == LogFormat::Text ? "text" : "json"; }

}  // namespace bai2aml::config
