// Shared by the credentials: reading a secret file, and turning a token endpoint's answer into an
// AccessToken or an AuthenticationFailed error (never quoting the token).
#pragma once

#include <string>

#include "azure/credentials/token_credential.hpp"
#include "azure/http_types.hpp"

namespace bai2aml::azure::detail {

// The file's content without trailing whitespace; an error naming the file (not its content).
Result<std::string> read_secret_file(const std::string& path, const std::string& what, const std::string& credential);

// 2xx with access_token and expires_in (number or string) or expires_on (epoch seconds): a token.
Result<AccessToken> parse_token_response(const Result<Response>& result, const std::string& credential,
                                         const std::string& endpoint);

ArmError credential_error(const char* code, const std::string& message);

}  // namespace bai2aml::azure::detail
