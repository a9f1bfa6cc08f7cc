// The observer LISTs per collection against a scripted ARM (FakeArm behind the real ArmClient).
#include <catch2/catch.hpp>

#include <algorithm>

#include "azure/arm_client.hpp"
#include "fake_arm.hpp"
#include "fixtures.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/observer.hpp"

using namespace bai2aml;
using namespace bai2aml::reconcile;
using namespace bai2aml::reconcile::fixtures;
using bai2aml::reconcile::testing::FakeArm;
using std::chrono::milliseconds;

namespace {

struct ObserverRig {
  boost::asio::io_context io;
  FakeArm arm{io};
  std::unique_ptr<azure::ArmClient> client;

  ObserverRig() {
    client = std::make_unique<azure::ArmClient>(io, FakeArm::kEndpoint, azure::Pipeline({}, arm.transport()),
                                                azure::ArmClientOptions{});
  }
  void add(const std::string& id, json body = json::object()) {
    body["id"] = id;
    arm.resources[ascii_lower(id)] = body;
  }
  template <class T>
  T run(std::function<void(std::function<void(T)>)> start) {
    std::optional<T> out;
    start([&](T v) { out.emplace(std::move(v)); });
    io.restart();
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!out && std::chrono::steady_clock::now() < give_up) io.run_one_for(milliseconds(50));
    REQUIRE(out);
    return std::move(*out);
  }
};

const std::string kWs2 = kRg + "/providers/Microsoft.MachineLearningServices/workspaces/ws2";

}  // namespace

TEST_CASE("observer: one LIST per collection per workspace - whatever the number of resources") {
  ObserverRig rig;
  rig.add(kWs);
  rig.add(kWs2);
  for (int i = 0; i < 7; ++i) rig.add(kWs + "/computes/c" + std::to_string(i));
  rig.add(kDatastore);
  rig.add(kEnv);
  rig.add(kEnvVersion);
  rig.add(kWs + "/environments/other");
  rig.add(kWs + "/environments/other/versions/3");
  rig.add(kJob, {{"properties", {{"status", "Completed"}}}});
  rig.add(kWs2 + "/jobs/j2");

  const auto obs = rig.run<Observation>([&](auto done) { Observer(*rig.client).observe(kRg, {kEnv}, done); });
  CHECK(obs.complete());
  CHECK(obs.errors.empty());
  // 1 workspaces LIST + 4 per workspace + the versions of the one environment asked for.
  CHECK(obs.lists == 1 + 4 * 2 + 1);
  CHECK(rig.arm.count("GET") == obs.lists);
  CHECK(obs.resources.size() == 2 + 7 + 1 + 2 + 1 + 1 + 1);  // "other"'s version not listed
  const auto has = [&](const std::string& id) {
    return std::any_of(obs.resources.begin(), obs.resources.end(),
                       [&](const ObservedResource& r) { return id_key(r.id) == id_key(id); });
  };
  CHECK(has(kEnvVersion));
  CHECK_FALSE(has(kWs + "/environments/other/versions/3"));
  CHECK(has(kWs2 + "/jobs/j2"));
}

TEST_CASE("observer: a failed LIST makes the observation incomplete - naming the scope") {
  ObserverRig rig;
  rig.add(kWs);
  rig.add(kWs2);
  rig.add(kCompute);
  rig.arm.faults["GET " + kWs2 + "/computes"] = {{500, R"({"error":{"code":"InternalServerError","message":"boom"}})"}};
  const auto obs = rig.run<Observation>([&](auto done) { Observer(*rig.client).observe(kRg, {}, done); });
  CHECK_FALSE(obs.complete());
  CHECK(obs.workspaces_listed);
  REQUIRE(obs.errors.size() == 1);
  CHECK(obs.errors[0].find("InternalServerError") != std::string::npos);
  CHECK(obs.incomplete == std::set<std::string>{id_key(kWs2)});
  CHECK(obs.usable());  // the other workspace's resources are planned on
  REQUIRE(obs.scope_errors.size() == 1);
  const auto findings = unobserved_scope_findings(obs);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].code == "scope-unobserved");
  CHECK(findings[0].source_id == kWs2);
  CHECK(findings[0].message.find(kWs2) != std::string::npos);
  CHECK(findings[0].message.find("InternalServerError") != std::string::npos);

  ObserverRig down;
  down.arm.faults["GET " + kRg + "/providers/Microsoft.MachineLearningServices/workspaces"] = {
      {503, R"({"error":{"code":"ServiceUnavailable","message":"later"}})"}};
  const auto none = down.run<Observation>([&](auto done) { Observer(*down.client).observe(kRg, {}, done); });
  CHECK_FALSE(none.workspaces_listed);
  CHECK_FALSE(none.complete());
  CHECK_FALSE(none.usable());
  CHECK(none.resources.empty());
}

TEST_CASE("observer: LIST items it cannot place are skipped and reported - not fatal") {
  ObserverRig rig;
  rig.add(kWs);
  rig.arm.canned[ascii_lower(kWs + "/computes")] = {
      {"value", {{{"id", kCompute}}, {{"name", "no-id"}}, {{"id", kWs + "/connections/x"}}, 42}}};
  const auto obs = rig.run<Observation>([&](auto done) { Observer(*rig.client).observe(kRg, {}, done); });
  CHECK(obs.complete());
  CHECK(obs.skipped.size() == 3);
  CHECK(obs.resources.size() == 2);
}

TEST_CASE("observer: quota inputs come from the location's vmSizes and usages") {
  ObserverRig rig;
  const std::string base = "/subscriptions/sub1/providers/Microsoft.MachineLearningServices/locations/eastus";
  rig.arm.canned[ascii_lower(base + "/vmSizes")] = {{"value", {{{"name", "Standard_NC6"}, {"vCPUs", 6}}}}};
  rig.arm.faults["GET " + base + "/usages"] = {{403, R"({"error":{"code":"AuthorizationFailed","message":"no"}})"}};
  const auto q = rig.run<QuotaInputs>([&](auto done) { fetch_quota_inputs(*rig.client, "sub1", "eastus", done); });
  CHECK(q.vm_sizes["value"][0]["name"] == "Standard_NC6");
  CHECK(q.usages.is_null());
  REQUIRE(q.errors.size() == 1);
  CHECK(q.errors[0].find("AuthorizationFailed") != std::string::npos);
}
