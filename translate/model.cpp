#include "translate/model.hpp"

namespace bai2aml::translate {

const char* to_string(Kind k) {
  switch (k) {
    case Kind::Workspace: return "workspace";
    case Kind::Datastore: return "datastore";
    case Kind::Compute: return "compute";
    case Kind::EnvironmentContainer: return "environment";
    case Kind::EnvironmentVersion: return "environment_version";
    case Kind::Job: return "job";
  }
  return "?";
}

bool kind_from_string(const std::string& s, Kind& out) {
  static const Kind all[] = {Kind::Workspace, Kind::Datastore, Kind::Compute, Kind::EnvironmentContainer,
                             Kind::EnvironmentVersion, Kind::Job};
  for (Kind k : all) {
    if (s == to_string(k)) {
      out = k;
      return true;
    }
  }
  return false;
}

const char* to_string(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
  }
  return "?";
}

}  // namespace bai2aml::translate
