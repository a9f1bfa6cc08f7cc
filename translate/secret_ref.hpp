// A secret never enters a desired spec, the database or a log: the spec carries a reference to
// the file that holds it, {"$secretFile": "/path"}, and the executor replaces the reference with
// the file's content only in the request body it sends.
//
// References are confined: the translator places them at a few JSON pointers per kind
// (secret_ref_pointers), and only there are they resolved. A "$secretFile" anywhere else (a tag
// merged from an observed resource, which an endpoint controls) is a stray: never read, never sent.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "translate/model.hpp"

namespace bai2aml::translate {

inline constexpr const char* kSecretFileKey = "$secretFile";

inline nlohmann::json secret_file_ref(const std::string& path) { return {{kSecretFileKey, path}}; }

inline bool is_secret_ref(const nlohmann::json& j) {
  return j.is_object() && j.size() == 1 && j.contains(kSecretFileKey) && j[kSecretFileKey].is_string();
}

// Where the translator puts references (translate.cpp): the compute's SSH key and password, the
// datastore's account key.
inline constexpr const char* kComputeSshKeyPointer = "/properties/properties/userAccountCredentials/adminUserSshPublicKey";
inline constexpr const char* kComputePasswordPointer = "/properties/properties/userAccountCredentials/adminUserPassword";
inline constexpr const char* kDatastoreKeyPointer = "/properties/credentials/secrets/key";
const std::vector<std::string>& secret_ref_pointers(Kind kind);

// JSON pointers of the strays in a body: every object with a "$secretFile" member, except a
// well-formed reference at one of secret_ref_pointers(kind). In document order.
std::vector<std::string> stray_secret_refs(Kind kind, const nlohmann::json& body);

// The body without its strays: the member or array element holding each one is removed.
nlohmann::json without_stray_secret_refs(Kind kind, nlohmann::json body);

}  // namespace bai2aml::translate
