// HTTPS with --tls-cert/--tls-key; the AML location APIs (vmSizes, usages with seeded quotas);
// many concurrent clients on one state.
#include <catch2/catch.hpp>
#include <atomic>
#include <map>
#include <thread>

#include "tests/emulator/emulator_test_helpers.hpp"
#include "tests/support/emulator_process.hpp"

using namespace bai2aml::testing;
using namespace bai2aml::testing::emu;
using nlohmann::json;

TEST_CASE("with --tls-cert/--tls-key the emulator serves HTTPS that verifies against its certificate only") {
  TempDir dir;
  const std::string cert = dir.file("cert.pem"), key = dir.file("key.pem");
  REQUIRE(run_command({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                       "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
                      dir.file("openssl.out"), dir.file("openssl.err")) == 0);
  EmulatorProcess emu(seed_with_aml_workspace(), {"--tls-cert", cert, "--tls-key", key});
  REQUIRE(emu.base_url().rfind("https://", 0) == 0);
  HttpResult ok = emu.arm("GET", q(aml_ws_path(), kAml));
  REQUIRE(ok.status == 200);
  CHECK(ok.json()["name"] == "ws1");
  // An untrusted certificate: the client refuses it (no HTTP status).
  HttpResult untrusted = http_request("GET", emu.base_url() + "/_emulator/stats");
  CHECK(untrusted.status == 0);
  CHECK_FALSE(untrusted.error.empty());
  // Plain HTTP to the TLS port gets no HTTP answer either.
  CHECK(http_request("GET", "http://127.0.0.1:" + std::to_string(emu.port()) + "/_emulator/stats").status != 200);
}

TEST_CASE("vmSizes lists realistic sizes with vCPUs and family") {
  EmulatorProcess emu;
  HttpResult r = emu.arm("GET", "/subscriptions/" + kSub +
                                    "/providers/Microsoft.MachineLearningServices/locations/eastus/vmSizes?api-version=" + kAml);
  REQUIRE(r.status == 200);
  bool found = false;
  const json sizes = r.json();
  for (const auto& s : sizes["value"]) {
    CHECK(s["vCPUs"].get<int>() > 0);
    CHECK_FALSE(s["family"].get<std::string>().empty());
    if (s["name"] == "Standard_NC6") {
      found = true;
      CHECK(s["vCPUs"] == 6);
      CHECK(s["gpus"] == 1);
      CHECK(s["family"] == "standardNCFamily");
    }
  }
  CHECK(found);
}

TEST_CASE("usages report per-family vCPUs in use against the seed's quotas") {
  json seed = json::parse(seed_with_aml_workspace());
  seed["quotas"] = {{"eastus", {{"standardNCFamily", 48}, {"totalDedicated", 200}}}};
  EmulatorProcess emu(seed.dump(), {"--lro-ms", "0"});
  json body = aml_compute_body("Standard_NC12", 4);
  body["properties"]["properties"]["scaleSettings"]["minNodeCount"] = 2;  // 2 nodes x 12 vCPUs stay allocated
  REQUIRE(emu.arm("PUT", q(aml_ws_path() + "/computes/gpu-cluster", kAml), body.dump()).status == 201);
  const std::string usages = "/subscriptions/" + kSub +
                             "/providers/Microsoft.MachineLearningServices/locations/eastus/usages?api-version=" + kAml;
  HttpResult r = emu.arm("GET", usages);
  REQUIRE(r.status == 200);
  std::map<std::string, json> by_name;
  const json list = r.json();
  for (const auto& u : list["value"]) by_name[u["name"]["value"].get<std::string>()] = u;
  REQUIRE(by_name.count("Standard NC Family Cluster Dedicated vCPUs"));
  CHECK(by_name["Standard NC Family Cluster Dedicated vCPUs"]["limit"] == 48);
  CHECK(by_name["Standard NC Family Cluster Dedicated vCPUs"]["currentValue"] == 24);
  CHECK(by_name["Standard NC Family Cluster Dedicated vCPUs"]["unit"] == "Count");
  CHECK(by_name["Total Cluster Dedicated Regional vCPUs"]["limit"] == 200);
  CHECK(by_name["Total Cluster Dedicated Regional vCPUs"]["currentValue"] == 24);
  CHECK(by_name["Standard Dv2 Family Cluster Dedicated vCPUs"]["limit"] == 100);  // default
  auto nc_in_use = [&] {
    const json page = emu.arm("GET", usages).json();
    for (const auto& u : page["value"])
      if (u["name"]["value"] == "Standard NC Family Cluster Dedicated vCPUs") return u["currentValue"].get<long long>();
    return -1LL;
  };
  // Counted as the compute changes (a PATCH of its scale settings) and goes (DELETE).
  json patch = {{"properties", {{"properties", {{"scaleSettings", {{"minNodeCount", 1}, {"maxNodeCount", 4}}}}}}}};
  REQUIRE(emu.arm("PATCH", q(aml_ws_path() + "/computes/gpu-cluster", kAml), patch.dump()).status == 200);
  CHECK(nc_in_use() == 12);
  const int deleted = emu.arm("DELETE", q(aml_ws_path() + "/computes/gpu-cluster", kAml)).status;
  REQUIRE((deleted == 200 || deleted == 202));
  REQUIRE(eventually([&] { return nc_in_use() == 0; }));
  // Another region: nothing in use, default limits.
  HttpResult west = emu.arm("GET", "/subscriptions/" + kSub +
                                       "/providers/Microsoft.MachineLearningServices/locations/westus/usages?api-version=" + kAml);
  const json west_list = west.json();
  REQUIRE(west_list["value"].size() > 3);
  for (const auto& u : west_list["value"]) CHECK(u["currentValue"] == 0);
}

TEST_CASE("many concurrent clients share one consistent state") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--lro-ms", "0"});
  emu.token();
  std::atomic<int> created{0}, repeated{0}, conflicts{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        // Every thread creates its own datastores and races the others for the same ten job names.
        HttpResult d = emu.arm("PUT", q(aml_ws_path() + "/datastores/t" + std::to_string(t) + "d" + std::to_string(i), kAml),
                               azure_file_datastore_body().dump());
        if (d.status != 201) ++other;
        HttpResult j = emu.arm("PUT", q(aml_ws_path() + "/jobs/job" + std::to_string(i % 10), kAml),
                               command_job_body("python train.py --seed " + std::to_string(t)).dump());
        if (j.status == 201) ++created;
        else if (j.status == 200) ++repeated;  // this thread's own job again: idempotent
        else if (j.status == 409) ++conflicts;
        else ++other;
      }
    });
  for (auto& th : threads) th.join();
  CHECK(other == 0);
  CHECK(created == 10);  // exactly one writer won each job name
  CHECK(repeated + conflicts + created == 160);
  // Each thread PUTs each job name twice with its own body: its second PUT is a repeat only if it won.
  CHECK(repeated == 10);
  CHECK(emu.resources(aml_ws_path() + "/datastores/").size() == 160);
  CHECK(emu.stats()["requests"]["PUT"] == 320);
}
