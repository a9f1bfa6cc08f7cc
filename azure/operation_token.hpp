// The resume token of a long-running ARM operation: everything needed to poll it again, after a
// restart if need be. The reconciler journals it (state/) right after the 201/202.
#pragma once

#include <optional>
#include <string>

namespace bai2aml::azure {

enum class OperationKind { Put, Patch, Delete, Post };
const char* to_string(OperationKind kind);  // "PUT", "PATCH", "DELETE", "POST"

struct OperationToken {
  OperationKind kind = OperationKind::Put;
  std::string resource_id;   // ARM id (or, for POST, the action URL's path) the operation acts on
  std::string poll_url;      // Azure-AsyncOperation; empty if the service gave none
  std::string location_url;  // Location; empty if the service gave none
  // With neither URL (a 201 without headers) the resource itself is polled for provisioningState.
  // The write's Response::arm_request_id(): journalled with the token so that the operation's end,
  // even after a restart, is reported under the id ARM knows the write by. Empty in tokens
  // journalled before it was kept.
  std::string request_id;

  std::string to_json() const;  // {"kind":"PUT","resource_id":...,"poll_url":...,"location_url":...,"request_id":...}
  // nullopt (and the reason in *error) when the text is not a token to_json wrote.
  static std::optional<OperationToken> from_json(const std::string& text, std::string* error = nullptr);
};

}  // namespace bai2aml::azure
