// Auth (token endpoint, IMDS, 401s, expiry) and LIST paging with nextLink.
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "tests/emulator/emulator_test_helpers.hpp"
#include "tests/support/emulator_process.hpp"

using namespace bai2aml::testing;
using namespace bai2aml::testing::emu;
using nlohmann::json;

namespace {
HttpResult post_form(const EmulatorProcess& emu, const std::string& form) {
  return http_request("POST", emu.base_url() + "/tenant-1/oauth2/v2.0/token", form,
                      {{"Content-Type", "application/x-www-form-urlencoded"}});
}
HttpResult get_with_token(const EmulatorProcess& emu, const std::string& path, const std::string& auth) {
  std::map<std::string, std::string> h;
  if (!auth.empty()) h["Authorization"] = auth;
  return http_request("GET", emu.base_url() + path, "", h);
}
}  // namespace

TEST_CASE("the token endpoint issues bearer tokens for client_secret and client_assertion, and refuses bad requests") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--token-ttl", "120"});
  const std::string scope = "&scope=https%3A%2F%2Fmanagement.azure.com%2F.default";
  HttpResult secret = post_form(emu, "grant_type=client_credentials&client_id=app&client_secret=s" + scope);
  REQUIRE(secret.status == 200);
  CHECK(secret.json()["token_type"] == "Bearer");
  CHECK(secret.json()["expires_in"] == 120);
  const std::string token = secret.json()["access_token"];
  CHECK(get_with_token(emu, q(aml_ws_path(), kAml), "Bearer " + token).status == 200);

  HttpResult assertion = post_form(emu, "grant_type=client_credentials&client_id=app&client_assertion=eyJ.x.y"
                                        "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer" + scope);
  REQUIRE(assertion.status == 200);
  CHECK(get_with_token(emu, q(aml_ws_path(), kAml), "Bearer " + assertion.json()["access_token"].get<std::string>()).status == 200);

  HttpResult no_secret = post_form(emu, "grant_type=client_credentials&client_id=app" + scope);
  CHECK(no_secret.status == 401);
  CHECK(no_secret.json()["error"] == "invalid_client");
  CHECK(post_form(emu, "grant_type=client_credentials&client_secret=s" + scope).status == 400);
  CHECK(post_form(emu, "grant_type=password&client_id=app&client_secret=s" + scope).json()["error"] ==
        "unsupported_grant_type");
  CHECK(post_form(emu, "grant_type=client_credentials&client_id=app&client_secret=s").status == 400);
  // Token requests are not ARM requests.
  CHECK(emu.stats()["requests"]["POST"] == 0);
}

TEST_CASE("IMDS issues tokens only with the Metadata header, numbers as strings") {
  EmulatorProcess emu(seed_with_aml_workspace());
  const std::string url = emu.base_url() + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" +
                          "https%3A%2F%2Fmanagement.azure.com%2F";
  HttpResult no_header = http_request("GET", url);
  CHECK(no_header.status == 400);
  HttpResult ok = http_request("GET", url, "", {{"Metadata", "true"}});
  REQUIRE(ok.status == 200);
  json t = ok.json();
  CHECK(t["expires_in"] == "3600");
  CHECK(t["expires_on"].is_string());
  CHECK(t["resource"] == "https://management.azure.com/");
  CHECK(t["token_type"] == "Bearer");
  CHECK(get_with_token(emu, q(aml_ws_path(), kAml), "Bearer " + t["access_token"].get<std::string>()).status == 200);
}

TEST_CASE("ARM calls without a valid, unexpired bearer token get 401") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--token-ttl", "1"});
  HttpResult none = get_with_token(emu, q(aml_ws_path(), kAml), "");
  REQUIRE(none.status == 401);
  CHECK(none.json()["error"]["code"] == "AuthenticationFailed");
  CHECK(none.header("WWW-Authenticate").find("Bearer") == 0);
  HttpResult bogus = get_with_token(emu, q(aml_ws_path(), kAml), "Bearer not-a-token");
  REQUIRE(bogus.status == 401);
  CHECK(bogus.json()["error"]["code"] == "InvalidAuthenticationToken");
  CHECK(get_with_token(emu, q(aml_ws_path(), kAml), "Basic abc").status == 401);
  const std::string token = emu.token();
  CHECK(get_with_token(emu, q(aml_ws_path(), kAml), "Bearer " + token).status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  HttpResult expired = get_with_token(emu, q(aml_ws_path(), kAml), "Bearer " + token);
  REQUIRE(expired.status == 401);
  CHECK(expired.json()["error"]["code"] == "ExpiredAuthenticationToken");
  CHECK(emu.stats()["status"]["401"] == 4);
}

TEST_CASE("LIST pages with nextLink at --page-size and every item comes back once") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--page-size", "3"});
  for (int i = 0; i < 8; ++i)
    REQUIRE(emu.arm("PUT", q(aml_ws_path() + "/datastores/ds" + std::to_string(i), kAml),
                    azure_file_datastore_body().dump()).status == 201);
  std::set<std::string> names;
  std::string next = q(aml_ws_path() + "/datastores", kAml);
  int pages = 0;
  while (!next.empty()) {
    HttpResult page = emu.arm("GET", next);
    REQUIRE(page.status == 200);
    ++pages;
    json body = page.json();
    CHECK(body["value"].size() <= 3);
    for (const auto& item : body["value"]) names.insert(item["name"].get<std::string>());
    if (body.contains("nextLink")) {
      const std::string link = body["nextLink"];
      REQUIRE(link.rfind(emu.base_url(), 0) == 0);
      CHECK(link.find("api-version=2024-04-01") != std::string::npos);
      next = link.substr(emu.base_url().size());
    } else {
      next.clear();
    }
  }
  CHECK(pages == 3);
  CHECK(names.size() == 8);
}

TEST_CASE("workspaces list at subscription and resource-group scope - Batch AI lists at every level") {
  EmulatorProcess emu("{\"resources\":[]}", {"--lro-ms", "0"});
  REQUIRE(emu.arm("PUT", q(aml_ws_path("wsa", "rg1"), kAml), R"({"location":"eastus"})").status == 202);
  REQUIRE(emu.arm("PUT", q(aml_ws_path("wsb", "rg2"), kAml), R"({"location":"eastus"})").status == 202);
  const std::string sub = "/subscriptions/" + kSub;
  CHECK(emu.arm("GET", q(sub + "/providers/Microsoft.MachineLearningServices/workspaces", kAml)).json()["value"].size() == 2);
  CHECK(emu.arm("GET", q(sub + "/resourceGroups/rg2/providers/Microsoft.MachineLearningServices/workspaces", kAml))
            .json()["value"].size() == 1);
  REQUIRE(emu.arm("PUT", q(bai_ws_path(), kBai), R"({"location":"eastus"})").status == 202);
  REQUIRE(emu.arm("PUT", q(bai_ws_path() + "/experiments/e1", kBai), "").status == 202);
  CHECK(emu.arm("GET", q(sub + "/providers/Microsoft.BatchAI/workspaces", kBai)).json()["value"].size() == 1);
  CHECK(emu.arm("GET", q(bai_ws_path() + "/experiments", kBai)).json()["value"].size() == 1);
  CHECK(emu.arm("GET", q(bai_ws_path() + "/experiments/e1/jobs", kBai)).json()["value"].empty());
  CHECK(emu.arm("GET", q(bai_ws_path() + "/clusters", kBai)).json()["value"].empty());
  CHECK(emu.arm("GET", q(bai_ws_path() + "/fileServers", kBai)).json()["value"].empty());
  HttpResult orphan = emu.arm("GET", q(bai_ws_path("ghost") + "/clusters", kBai));
  CHECK(orphan.status == 404);
  CHECK(orphan.json()["error"]["code"] == "ParentResourceNotFound");
}
