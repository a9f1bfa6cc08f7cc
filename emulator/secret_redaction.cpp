#include "emulator/secret_redaction.hpp"

namespace bai2aml::emulator {

namespace {
// Batch AI marks no property x-ms-secret, but the service never returned these (BatchAI.json descriptions:
// passwords and keys are write-only). Applied at any depth: mount volumes appear in clusters and jobs.
void strip_batchai(nlohmann::json& j) {
  if (j.is_object()) {
    j.erase("adminUserPassword");
    j.erase("adminUserSshPublicKey");
    j.erase("accountKey");
    j.erase("password");
    for (auto& [k, v] : j.items()) {
      if (k == "secrets" && v.is_array()) {
        for (auto& s : v)
          if (s.is_object()) s.erase("value");
      } else {
        strip_batchai(v);
      }
    }
  } else if (j.is_array()) {
    for (auto& v : j) strip_batchai(v);
  }
}
}  // namespace

nlohmann::json redact_secrets(KindId kind, nlohmann::json r) {
  using P = nlohmann::json::json_pointer;
  switch (kind) {
    case KindId::AmlDatastore:
      // AccountKeyDatastoreCredentials.secrets is x-ms-secret; listSecrets is the only way to read it.
      if (r.contains(P("/properties/credentials"))) r[P("/properties/credentials")].erase("secrets");
      break;
    case KindId::AmlCompute:
      if (r.contains(P("/properties/properties/userAccountCredentials"))) {
        auto& u = r[P("/properties/properties/userAccountCredentials")];
        if (u.is_object()) {
          u.erase("adminUserPassword");
          u.erase("adminUserSshPublicKey");
        }
      }
      break;
    case KindId::BatchAIWorkspace:
    case KindId::BatchAICluster:
    case KindId::BatchAIFileServer:
    case KindId::BatchAIExperiment:
    case KindId::BatchAIJob:
      strip_batchai(r);
      break;
    default:
      break;
  }
  return r;
}

}  // namespace bai2aml::emulator
