// Throttling (per-subscription token buckets), injected faults, latency and --batchai-retired.
#include <catch2/catch.hpp>

#include "tests/emulator/emulator_test_helpers.hpp"
#include "tests/support/emulator_process.hpp"

using namespace bai2aml::testing;
using namespace bai2aml::testing::emu;
using nlohmann::json;

TEST_CASE("reads beyond the read bucket get 429 with Retry-After, per subscription, and count as throttled") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--read-rate", "0.5", "--read-burst", "3"});
  std::vector<int> statuses;
  std::vector<std::string> remaining;
  for (int i = 0; i < 5; ++i) {
    HttpResult r = emu.arm("GET", q(aml_ws_path(), kAml));
    statuses.push_back(r.status);
    remaining.push_back(r.header("x-ms-ratelimit-remaining-subscription-reads"));
    if (r.status == 429) {
      CHECK(r.json()["error"]["code"] == "SubscriptionRequestsThrottled");
      CHECK(std::stoi(r.header("Retry-After")) >= 1);
    }
  }
  CHECK(statuses == std::vector<int>{200, 200, 200, 429, 429});
  CHECK(remaining[0] == "2");
  CHECK(remaining[2] == "0");
  // Another subscription has its own bucket.
  const std::string other = "/subscriptions/99999999-2222-3333-4444-555555555555/providers/"
                            "Microsoft.MachineLearningServices/workspaces?api-version=2024-04-01";
  CHECK(emu.arm("GET", other).status == 200);
  // Writes have their own (unlimited) bucket.
  HttpResult w = emu.arm("PUT", q(aml_ws_path() + "/datastores/d", kAml), azure_file_datastore_body().dump());
  CHECK(w.status == 201);
  CHECK(w.header("x-ms-ratelimit-remaining-subscription-writes") != "");
  json stats = emu.stats();
  CHECK(stats["throttled"] == 2);
  CHECK(stats["status"]["429"] == 2);
}

TEST_CASE("writes beyond the write bucket get 429 and change nothing") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--write-rate", "0.1", "--write-burst", "1"});
  CHECK(emu.arm("PUT", q(aml_ws_path() + "/datastores/a", kAml), azure_file_datastore_body().dump()).status == 201);
  HttpResult second = emu.arm("PUT", q(aml_ws_path() + "/datastores/b", kAml), azure_file_datastore_body().dump());
  CHECK(second.status == 429);
  CHECK(second.header("x-ms-ratelimit-remaining-subscription-writes") == "0");
  CHECK(emu.resources(aml_ws_path() + "/datastores/b").empty());
  CHECK(emu.arm("GET", q(aml_ws_path(), kAml)).status == 200);  // reads unaffected
}

TEST_CASE("fault rate 1 faults every ARM request with 500, 503, 429 or a dropped connection") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--fault-rate", "1", "--fault-seed", "7"});
  std::map<int, int> seen;
  for (int i = 0; i < 40; ++i) ++seen[emu.arm("GET", q(aml_ws_path(), kAml)).status];
  CHECK(seen.count(200) == 0);
  CHECK(seen[500] > 0);
  CHECK(seen[503] > 0);
  CHECK(seen[429] > 0);
  CHECK(seen[0] > 0);  // dropped: no HTTP answer
  json stats = emu.stats();
  CHECK(stats["faults"] == 40);
  CHECK(stats["requests"]["GET"] == 40);
  // Admin and token endpoints are never faulted.
  CHECK_NOTHROW(emu.token());
}

TEST_CASE("a faulted write sometimes took effect and sometimes did not") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--fault-rate", "1", "--fault-seed", "11"});
  int applied = 0, not_applied = 0;
  for (int i = 0; i < 30; ++i) {
    const std::string path = aml_ws_path() + "/datastores/d" + std::to_string(i);
    HttpResult r = emu.arm("PUT", q(path, kAml), azure_file_datastore_body().dump());
    CHECK((r.status == 0 || r.status == 429 || r.status == 500 || r.status == 503));
    (emu.resources(path).empty() ? not_applied : applied)++;
  }
  CHECK(applied > 0);
  CHECK(not_applied > 0);
}

TEST_CASE("with faults, some long-running operations end Failed") {
  // Fault rate 0.5: retry each request until it gets through, then look at the outcomes.
  EmulatorProcess emu(seed_with_aml_workspace(), {"--fault-rate", "0.5", "--fault-seed", "3", "--lro-ms", "0"});
  auto reliably = [&](const std::string& method, const std::string& path, const std::string& body) {
    for (int i = 0; i < 50; ++i) {
      HttpResult r = emu.arm(method, path, body);
      if (r.status != 0 && r.status != 429 && r.status != 500 && r.status != 503) return r;
    }
    FAIL("no answer got through");
    return HttpResult{};
  };
  int failed = 0, succeeded = 0;
  for (int i = 0; i < 16; ++i) {
    const std::string path = aml_ws_path() + "/computes/c" + std::string(1, static_cast<char>('a' + i)) + "x";
    HttpResult put = reliably("PUT", q(path, kAml), aml_compute_body().dump());
    REQUIRE((put.status == 200 || put.status == 201));
    const std::string state = reliably("GET", q(path, kAml), "").json()["properties"]["provisioningState"];
    (state == "Failed" ? failed : succeeded)++;
  }
  CHECK(failed > 0);
  CHECK(succeeded > 0);
}

TEST_CASE("the latency flag delays ARM calls") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--latency-ms", "300"});
  emu.token();
  const auto start = std::chrono::steady_clock::now();
  CHECK(emu.arm("GET", q(aml_ws_path(), kAml)).status == 200);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(300));
}

TEST_CASE("a retired Batch AI (--batchai-retired) fails every Batch AI call and leaves AML alone") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--batchai-retired"});
  HttpResult r = emu.arm("GET", q("/subscriptions/" + kSub + "/providers/Microsoft.BatchAI/workspaces", kBai));
  REQUIRE(r.status == 400);
  CHECK(r.json()["error"]["code"] == "NoRegisteredProviderFound");
  CHECK(emu.arm("PUT", q(bai_ws_path(), kBai), R"({"location":"eastus"})").status == 400);
  CHECK(emu.arm("GET", q(aml_ws_path(), kAml)).status == 200);
}

TEST_CASE("failure rules: requests under a path prefix get the rule's error - by method, N times - admin shows them") {
  EmulatorProcess emu(seed_with_aml_workspace());
  const std::string computes = aml_ws_path() + "/computes";
  emu.set_failures(json::array({{{"path_prefix", aml_ws_path() + "/"},
                                 {"method", "GET"},
                                 {"status", 403},
                                 {"code", "AuthorizationFailed"},
                                 {"message", "no access to this workspace"},
                                 {"retry_after", "31536000"},
                                 {"times", 2}}}));
  HttpResult first = emu.arm("GET", q(computes, kAml));
  CHECK(first.status == 403);
  CHECK(first.json()["error"]["code"] == "AuthorizationFailed");
  CHECK(first.header("Retry-After") == "31536000");
  CHECK(emu.arm("GET", q(aml_ws_path(), kAml)).status == 200);  // the prefix ends with '/': not the workspace
  CHECK(emu.arm("PUT", q(computes + "/gpu-cluster", kAml), aml_compute_body().dump()).status == 201);  // GET only
  CHECK(emu.arm("GET", q(computes, kAml)).status == 403);
  CHECK(emu.arm("GET", q(computes, kAml)).status == 200);  // two answers given: the rule is gone
  HttpResult bad = http_request("PUT", emu.base_url() + "/_emulator/failures", R"({"rules":[{"status":200}]})", {},
                                emu.http_options());
  CHECK(bad.status == 400);
  CHECK(bad.body.find("path_prefix") != std::string::npos);
}
