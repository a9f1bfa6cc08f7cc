// ArmError: every failure the azure/ layer reports, from ARM's {"error":{"code","message"}} body or
// from the client side (transport, credentials, malformed responses), with its classification.
#pragma once

#include <string>

namespace bai2aml::azure {

struct Response;

struct ArmError {
  int http_status = 0;      // 0: no HTTP response (transport, credential or client-side failure)
  std::string code;         // ARM error code ("Conflict", "InvalidParameter") or a client-side one below
  std::string message;      // human-readable; never contains a secret
  bool retryable = false;   // worth trying again later (the reconciler requeues with backoff)
  std::string request_id;   // Response::arm_request_id() of the failing call (x-ms-request-id, else the client id)

  std::string to_string() const;  // "409 Conflict: <message> (request <id>)"
};

// Client-side error codes (http_status 0 unless stated).
namespace errc {
inline constexpr const char* kConnectionError = "ConnectionError";        // refused, dropped, DNS; retryable
inline constexpr const char* kTimeout = "Timeout";                        // no answer in time; retryable
inline constexpr const char* kTlsError = "TlsError";                      // certificate/handshake; terminal
inline constexpr const char* kInsecureTransport = "InsecureTransport";    // plain http refused; terminal
inline constexpr const char* kAuthenticationFailed = "AuthenticationFailed";  // token could not be obtained
inline constexpr const char* kCredentialUnavailable = "CredentialUnavailable";  // config/env/file missing
inline constexpr const char* kInvalidResponse = "InvalidResponse";        // malformed body or header
inline constexpr const char* kInvalidUrl = "InvalidUrl";                  // bad URL, or one leaving ARM's origin
inline constexpr const char* kOperationFailed = "OperationFailed";        // LRO Failed without an error code
inline constexpr const char* kOperationCanceled = "OperationCanceled";    // LRO Canceled
inline constexpr const char* kCanceled = "Canceled";                      // the client is shutting down
}  // namespace errc

// Classifies an ARM error code (Azure Service Operator's lists): true = retryable, false = terminal.
// Unknown codes fall back on the HTTP status: 400 and most 4xx terminal; 401/403/404/408/409/429,
// 5xx and anything else (a failed LRO) retryable; no code at all is retryable unless 400.
bool is_retryable_arm_code(const std::string& code, int http_status);

// Builds the ArmError for a non-2xx response: parses {"error":{"code","message"}} (also the bare
// {"code","message"} and OAuth's {"error","error_description"} forms); a body that is not JSON
// still gives an error naming the status and the first bytes of the body. The message is passed
// through config::redact_secrets.
ArmError error_from_response(const Response& response);

}  // namespace bai2aml::azure
