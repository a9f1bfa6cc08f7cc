#include "daemon/status_snapshot.hpp"

namespace bai2aml::daemon {

const char* to_string(Phase p) {
  switch (p) {
    case Phase::Discovering: return "discovering";
    case Phase::Converging: return "converging";
    case Phase::Converged: return "converged";
    case Phase::Degraded: return "degraded";
  }
  return "unknown";
}

const char* to_string(SourceMode m) {
  switch (m) {
    case SourceMode::Live: return "live";
    case SourceMode::Snapshot: return "snapshot";
  }
  return "unknown";
}

}  // namespace bai2aml::daemon
