// The two token sources bai2aml uses: Entra ID's client-credentials endpoint
// POST /{tenant}/oauth2/v2.0/token (client_secret or client_assertion), and the managed-identity IMDS
// endpoint GET /metadata/identity/oauth2/token. Errors use the OAuth2 shape ({"error","error_description"}).
#include <chrono>

#include "emulator/context.hpp"

namespace bai2aml::emulator {

namespace {
Response oauth_error(int status, const std::string& error, const std::string& description) {
  return json_response(status, nlohmann::json{{"error", error}, {"error_description", description}}.dump());
}
}  // namespace

Response handle_token_request(Context& ctx, const Request& req) {
  if (req.method != "POST") return oauth_error(405, "invalid_request", "The token endpoint only accepts POST.");
  const auto form = parse_query(req.body);
  auto get = [&](const char* key) {
    auto it = form.find(key);
    return it == form.end() ? std::string() : it->second;
  };
  const std::string grant = get("grant_type");
  if (grant.empty())
    return oauth_error(400, "invalid_request", "AADSTS900144: The request body must contain the parameter 'grant_type'.");
  if (grant != "client_credentials")
    return oauth_error(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type '" + grant + "'.");
  if (get("client_id").empty())
    return oauth_error(400, "invalid_request", "AADSTS900144: The request body must contain the parameter 'client_id'.");
  if (get("scope").empty())
    return oauth_error(400, "invalid_request", "AADSTS90014: The required field 'scope' is missing from the request.");
  const std::string assertion = get("client_assertion");
  if (!assertion.empty()) {
    if (get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
      return oauth_error(400, "invalid_request",
                         "AADSTS700024: client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.");
  } else if (get("client_secret").empty()) {
    return oauth_error(401, "invalid_client",
                       "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the "
                       "'client_credentials' grant type.");
  }
  const long long ttl = ctx.tokens.ttl().count();
  return json_response(200, nlohmann::json{{"token_type", "Bearer"},
                                           {"expires_in", ttl},
                                           {"ext_expires_in", ttl},
                                           {"access_token", ctx.tokens.issue()}}
                                .dump());
}

Response handle_imds_request(Context& ctx, const Request& req) {
  if (req.method != "GET") return oauth_error(405, "invalid_request", "IMDS only accepts GET.");
  if (!iequals(req.header("Metadata"), "true"))
    return oauth_error(400, "invalid_request", "Required metadata header not specified");
  const std::string* version = req.query_param("api-version");
  if (!version || version->empty())
    return oauth_error(400, "invalid_request", "Required query variable 'api-version' is missing");
  const std::string* resource = req.query_param("resource");
  if (!resource || resource->empty())
    return oauth_error(400, "invalid_request", "Required query variable 'resource' is missing");
  const long long ttl = ctx.tokens.ttl().count();
  const long long now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  // IMDS sends its numbers as strings.
  return json_response(200, nlohmann::json{{"access_token", ctx.tokens.issue()},
                                           {"refresh_token", ""},
                                           {"expires_in", std::to_string(ttl)},
                                           {"expires_on", std::to_string(now + ttl)},
                                           {"not_before", std::to_string(now)},
                                           {"resource", *resource},
                                           {"token_type", "Bearer"}}
                                .dump());
}

}  // namespace bai2aml::emulator
