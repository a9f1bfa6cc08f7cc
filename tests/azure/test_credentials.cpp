// The four credentials against a scripted token endpoint: request shape, caching, refresh,
// re-reading of files, and errors that name what is missing without quoting any secret.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "azure/api_versions.hpp"
#include "azure/arm_pipeline.hpp"
#include "azure/credentials/credentials.hpp"
#include "azure/credentials/token_request.hpp"
#include "tests/azure/fakes.hpp"
#include "tests/support/support.hpp"

using namespace bai2aml::azure;
using namespace bai2aml::azure::test;
using bai2aml::testing::TempDir;
using bai2aml::testing::write_file;

namespace {

Result<AccessToken> token_of(boost::asio::io_context& io, TokenCredential& c, bool force = false) {
  std::optional<Result<AccessToken>> out;
  c.get_token(kArmScope, force, [&](Result<AccessToken> t) { out.emplace(std::move(t)); });
  run_until(io, [&] { return out.has_value(); });
  REQUIRE(out);
  return *out;
}

std::map<std::string, std::string> form(const std::string& body) {
  std::map<std::string, std::string> out;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    auto amp = body.find('&', pos);
    if (amp == std::string::npos) amp = body.size();
    const auto pair = body.substr(pos, amp - pos);
    const auto eq = pair.find('=');
    out[pair.substr(0, eq)] = eq == std::string::npos ? "" : pair.substr(eq + 1);
    pos = amp + 1;
  }
  return out;
}

Pipeline token_pipeline(boost::asio::io_context& io, FakeServer& server) {
  RetryOptions retry;
  retry.base_delay = std::chrono::milliseconds(5);
  return make_token_pipeline(io, TransportOptions{}, retry, nullptr, server.transport());
}

Response token_reply(const std::string& token, int expires_in = 3600) {
  return reply(200, nlohmann::json{{"token_type", "Bearer"}, {"expires_in", expires_in}, {"access_token", token}}.dump());
}

}  // namespace

TEST_CASE("client_secret: v2.0 client_credentials form, secret read from its file, token cached") {
  boost::asio::io_context io;
  TempDir dir;
  write_file(dir.file("secret"), "s3cr3t/+value\n");
  int fetches = 0;
  FakeServer server(io, [&](const Request&) -> Result<Response> { return token_reply("tok-" + std::to_string(++fetches)); });
  ClientCredentialOptions o;
  o.authority = "https://login.example";
  o.tenant_id = "tenant-1";
  o.client_id = "client-1";
  o.secret_file = dir.file("secret");
  auto c = make_client_credential(token_pipeline(io, server), o);
  auto t = token_of(io, *c);
  REQUIRE(t.ok());
  CHECK(t.value().token == "tok-1");
  const auto& req = server.requests.at(0);
  CHECK(req.method == "POST");
  CHECK(req.url == "https://login.example/tenant-1/oauth2/v2.0/token");
  CHECK(req.headers.at("Content-Type") == "application/x-www-form-urlencoded");
  auto f = form(req.body);
  CHECK(f["grant_type"] == "client_credentials");
  CHECK(f["client_id"] == "client-1");
  CHECK(f["scope"] == percent_encode(kArmScope));
  CHECK(f["client_secret"] == percent_encode("s3cr3t/+value"));  // trailing newline dropped
  // Cached: no second fetch; a forced refresh fetches again.
  CHECK(token_of(io, *c).value().token == "tok-1");
  CHECK(fetches == 1);
  CHECK(token_of(io, *c, true).value().token == "tok-2");
  CHECK(fetches == 2);
}

TEST_CASE("token cache: a token close to expiry is refreshed - concurrent callers share one fetch") {
  boost::asio::io_context io;
  TempDir dir;
  write_file(dir.file("secret"), "x");
  int fetches = 0;
  FakeServer server(io, [&](const Request&) -> Result<Response> {
    ++fetches;
    return token_reply("tok-" + std::to_string(fetches), 1);  // 1 s lifetime: refreshed after ~0.67 s
  });
  ClientCredentialOptions o{"https://login.example", "t", "c", "", dir.file("secret"), "", "client_secret"};
  auto c = make_client_credential(token_pipeline(io, server), o);
  int done = 0;
  for (int i = 0; i < 5; ++i) {
    c->get_token(kArmScope, false, [&](Result<AccessToken> t) {
      CHECK(t.value().token == "tok-1");
      ++done;
    });
  }
  run_until(io, [&] { return done == 5; });
  CHECK(fetches == 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  CHECK(token_of(io, *c).value().token == "tok-2");
}

TEST_CASE("client_secret: failures name the cause, never the secret") {
  boost::asio::io_context io;
  TempDir dir;
  write_file(dir.file("secret"), "hunter2-secret");
  FakeServer server(io, [&](const Request&) -> Result<Response> {
    return reply(401, R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."})");
  });
  ClientCredentialOptions o{"https://login.example", "t", "c", "", dir.file("secret"), "", "client_secret"};
  auto c = make_client_credential(token_pipeline(io, server), o);
  auto t = token_of(io, *c);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().code == errc::kAuthenticationFailed);
  CHECK(t.error().http_status == 401);
  CHECK(t.error().message.find("invalid_client") != std::string::npos);
  CHECK(t.error().message.find("hunter2") == std::string::npos);
  CHECK_FALSE(t.error().retryable);

  o.secret_file = dir.file("missing");
  auto c2 = make_client_credential(token_pipeline(io, server), o);
  auto t2 = token_of(io, *c2);
  REQUIRE_FALSE(t2.ok());
  CHECK(t2.error().code == errc::kCredentialUnavailable);
  CHECK(t2.error().message.find(dir.file("missing")) != std::string::npos);
  CHECK(server.requests.size() == 1);  // nothing sent without a secret

  FakeServer garbage(io, [&](const Request&) -> Result<Response> { return reply(200, R"({"access_token":42})"); });
  o.secret_file = dir.file("secret");
  auto c3 = make_client_credential(token_pipeline(io, garbage), o);
  auto t3 = token_of(io, *c3);
  REQUIRE_FALSE(t3.ok());
  CHECK(t3.error().message.find("malformed token response") != std::string::npos);
}

TEST_CASE("workload_identity: the federated token is sent as client_assertion and re-read when it changes") {
  boost::asio::io_context io;
  TempDir dir;
  write_file(dir.file("federated"), "assertion-one");
  FakeServer server(io, [&](const Request&) -> Result<Response> { return token_reply("tok"); });
  auto cfg = bai2aml::config::Azure{};
  cfg.authority = "https://login.example";
  cfg.auth.method = bai2aml::config::AuthMethod::WorkloadIdentity;
  cfg.auth.tenant_id = "t";
  cfg.auth.client_id = "c";
  cfg.auth.federated_token_file = dir.file("federated");
  auto c = make_credential(cfg, token_pipeline(io, server));
  CHECK(c->name() == "workload_identity");
  REQUIRE(token_of(io, *c).ok());
  auto f = form(server.requests.at(0).body);
  CHECK(f["client_assertion"] == "assertion-one");
  CHECK(f["client_assertion_type"] == percent_encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
  CHECK(f.count("client_secret") == 0);
  write_file(dir.file("federated"), "assertion-two");
  REQUIRE(token_of(io, *c, true).ok());
  CHECK(form(server.requests.at(1).body)["client_assertion"] == "assertion-two");
}

TEST_CASE("managed_identity: IMDS GET with Metadata: true, resource and optional client_id - string numbers") {
  boost::asio::io_context io;
  FakeServer server(io, [&](const Request&) -> Result<Response> {
    return reply(200, R"({"access_token":"mi-token","expires_in":"3599","expires_on":"1999999999","resource":"https://management.azure.com/","token_type":"Bearer"})");
  });
  auto cfg = bai2aml::config::Azure{};
  cfg.auth.method = bai2aml::config::AuthMethod::ManagedIdentity;
  cfg.auth.imds_endpoint = "http://169.254.169.254";
  cfg.auth.client_id = "user-assigned-id";
  auto c = make_credential(cfg, token_pipeline(io, server));
  auto t = token_of(io, *c);
  REQUIRE(t.ok());
  CHECK(t.value().token == "mi-token");
  const auto& req = server.requests.at(0);
  CHECK(req.method == "GET");
  CHECK(req.url == "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" +
                       percent_encode("https://management.azure.com/") + "&client_id=user-assigned-id");
  CHECK(req.headers.at("Metadata") == "true");
  // IMDS is allowed over plain http; nothing else is.
  const auto options = transport_options_for(cfg, std::chrono::seconds(5));
  CHECK(insecure_url_allowed(*parse_url("http://169.254.169.254/metadata"), options));
  CHECK_FALSE(insecure_url_allowed(*parse_url("http://10.1.1.1/"), options));
}

TEST_CASE("environment: picks secret or federated token from azure-identity's variables") {
  boost::asio::io_context io;
  TempDir dir;
  FakeServer server(io, [&](const Request&) -> Result<Response> { return token_reply("env-token"); });
  {
    EnvironmentOverride env({{"AZURE_TENANT_ID", "env-tenant"},
                             {"AZURE_CLIENT_ID", "env-client"},
                             {"AZURE_CLIENT_SECRET", "env-secret"},
                             {"AZURE_FEDERATED_TOKEN_FILE", std::nullopt},
                             {"AZURE_AUTHORITY_HOST", "https://authority.example/"}});
    auto c = make_environment_credential(token_pipeline(io, server), "https://login.example");
    REQUIRE(token_of(io, *c).ok());
    CHECK(server.requests.back().url == "https://authority.example/env-tenant/oauth2/v2.0/token");
    CHECK(form(server.requests.back().body)["client_secret"] == "env-secret");
  }
  {
    write_file(dir.file("fed"), "fed-assertion");
    EnvironmentOverride env({{"AZURE_TENANT_ID", "env-tenant"},
                             {"AZURE_CLIENT_ID", "env-client"},
                             {"AZURE_CLIENT_SECRET", std::nullopt},
                             {"AZURE_FEDERATED_TOKEN_FILE", dir.file("fed")},
                             {"AZURE_AUTHORITY_HOST", std::nullopt}});
    auto c = make_environment_credential(token_pipeline(io, server), "https://login.example");
    REQUIRE(token_of(io, *c).ok());
    CHECK(server.requests.back().url == "https://login.example/env-tenant/oauth2/v2.0/token");
    CHECK(form(server.requests.back().body)["client_assertion"] == "fed-assertion");
  }
  {
    EnvironmentOverride env({{"AZURE_TENANT_ID", std::nullopt},
                             {"AZURE_CLIENT_ID", "c"},
                             {"AZURE_CLIENT_SECRET", std::nullopt},
                             {"AZURE_FEDERATED_TOKEN_FILE", std::nullopt}});
    const auto before = server.requests.size();
    auto c = make_environment_credential(token_pipeline(io, server), "https://login.example");
    auto t = token_of(io, *c);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().code == errc::kCredentialUnavailable);
    CHECK(t.error().message.find("AZURE_TENANT_ID") != std::string::npos);
    CHECK(t.error().message.find("AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE") != std::string::npos);
    CHECK(server.requests.size() == before);
  }
}

// issue 14: a huge expires_in (or expires_on) overflowed the clock arithmetic (a double cast to long
// long, then seconds to nanoseconds); lifetimes are now taken as at most a day.
TEST_CASE("token lifetimes beyond a day count as a day, whatever number the endpoint sends", "[credentials][bounds]") {
  for (const std::string& lifetime :
       {std::string("\"expires_in\": 1e300"), std::string("\"expires_in\": 9223372036854775807"),
        std::string("\"expires_in\": 18446744073709551615"), std::string("\"expires_in\": \"999999999999999999\""),
        std::string("\"expires_on\": 9223372036854775807"), std::string("\"expires_on\": 1e300")}) {
    INFO(lifetime);
    const auto before = std::chrono::steady_clock::now();
    const auto t = bai2aml::azure::detail::parse_token_response(
        reply(200, "{\"access_token\": \"t\", " + lifetime + "}"), "test credential", "https://login.example");
    REQUIRE(t.ok());
    CHECK(t.value().expires_at > before + std::chrono::hours(23));
    CHECK(t.value().expires_at <= std::chrono::steady_clock::now() + std::chrono::hours(24));
  }
  for (const char* bad : {"\"expires_in\": -1e300", "\"expires_in\": -9223372036854775807", "\"expires_on\": -1e300"}) {
    INFO(bad);
    const auto t = bai2aml::azure::detail::parse_token_response(
        reply(200, std::string("{\"access_token\": \"t\", ") + bad + "}"), "test credential", "https://login.example");
    CHECK_FALSE(t.ok());
  }
}
