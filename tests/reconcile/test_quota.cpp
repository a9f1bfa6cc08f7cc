#include <catch2/catch.hpp>

#include <algorithm>

#include "fixtures.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/diff.hpp"
#include "reconcile/quota.hpp"
#include "tests/support/support.hpp"

using namespace bai2aml;
using namespace bai2aml::reconcile;
using namespace bai2aml::reconcile::fixtures;

namespace {

// The spec's own usages example (Usage/list.json): e.g. Standard NC Family Cluster Dedicated vCPUs
// limit 24, in use 12; Standard DSv2 dedicated 24/2; regional dedicated total 24/14; low priority
// families unlimited (-1), regional low priority 50/18.
json spec_usages() {
  const std::string path = testing::specs_dir() +
                           "/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/"
                           "2024-04-01/examples/Usage/list.json";
  return json::parse(testing::read_file(path))["responses"]["200"]["body"];
}

// vmSizes as the VirtualMachineSizeListResult definition shapes them.
json vm_sizes() {
  return {{"value",
           {{{"name", "Standard_NC6"}, {"family", "standardNCFamily"}, {"vCPUs", 6}, {"gpus", 1}},
            {{"name", "Standard_DS2_v2"}, {"family", "standardDSv2Family"}, {"vCPUs", 2}, {"gpus", 0}},
            {{"name", "Standard_NV6"}, {"family", "standardNVFamily"}, {"vCPUs", 6}},
            {{"name", "Standard_E4_v3"}, {"family", "standardEv3Family"}, {"vCPUs", 4}}}}};
}

translate::DesiredResource compute(const std::string& name, const std::string& size, int max_nodes,
                                   const std::string& priority = "Dedicated", int min_nodes = 0) {
  json body = desired_compute_body();
  body["properties"]["properties"]["vmSize"] = size;
  body["properties"]["properties"]["vmPriority"] = priority;
  body["properties"]["properties"]["scaleSettings"]["minNodeCount"] = min_nodes;
  body["properties"]["properties"]["scaleSettings"]["maxNodeCount"] = max_nodes;
  return desired(translate::Kind::Compute, kWs + "/computes/" + name, body);
}

translate::DesiredResource job(const std::string& name, const std::string& compute_id, int instances) {
  json body = desired_job_body();
  body["properties"]["computeId"] = compute_id;
  body["properties"]["resources"]["instanceCount"] = instances;
  return desired(translate::Kind::Job, kWs + "/jobs/" + name, body);
}

const translate::Finding* finding(const QuotaCheck& q, const std::string& code) {
  const auto it = std::find_if(q.findings.begin(), q.findings.end(),
                               [&](const translate::Finding& f) { return f.code == code; });
  return it == q.findings.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("quota: a compute that fits its family and the regional total is let through") {
  // NC dedicated: 24 - 12 = 12 available; regional dedicated 24 - 14 = 10. 1 x 6 = 6 fits both.
  const auto q = check_quota({compute("nc", "standard_nc6", 1)}, vm_sizes(), spec_usages());
  CHECK(q.fits == std::vector<std::string>{kWs + "/computes/nc"});
  CHECK(q.held.empty());
  CHECK(q.findings.empty());
}

TEST_CASE("quota: maxNodeCount beyond the quota is created as AML does - with a warning giving the numbers") {
  // 3 x 6 = 18 > 12 available in the NC family; AML accepts it, the cluster scales to 2 nodes.
  const auto q = check_quota({compute("nc", "Standard_NC6", 3)}, vm_sizes(), spec_usages());
  CHECK(q.fits == std::vector<std::string>{kWs + "/computes/nc"});
  CHECK(q.held.empty());
  const auto* f = finding(q, "quota-max-exceeded");
  REQUIRE(f);
  CHECK(f->severity == translate::Severity::Warning);
  CHECK(f->source_id == kSource + "/clusters/c1");  // the tag of desired_compute_body()
  CHECK(f->message.find("can scale to 2 of its 3 nodes") != std::string::npos);
  CHECK(f->message.find("3 x 6 = 18 vCPUs") != std::string::npos);
  CHECK(f->message.find("limit 24, in use 12") != std::string::npos);
  CHECK_FALSE(finding(q, "quota-insufficient"));
  // Once it exists the warning stays (its own minimum, 0 here, is part of the usage).
  const auto later = check_quota({}, vm_sizes(), spec_usages(), {compute("nc", "Standard_NC6", 3)});
  CHECK(later.fits.empty());
  CHECK(later.held.empty());
  REQUIRE(finding(later, "quota-max-exceeded"));
  CHECK(finding(later, "quota-max-exceeded")->message.find("can scale to 2 of its 3 nodes") != std::string::npos);
}

TEST_CASE("quota: a minimum the quota cannot hold is held - as AML refuses it - at least one node") {
  // minNodeCount 3: 18 vCPUs > 12 free in the NC family.
  const auto q = check_quota({compute("nc", "Standard_NC6", 4, "Dedicated", 3)}, vm_sizes(), spec_usages());
  CHECK(q.fits.empty());
  CHECK(q.held == std::vector<std::string>{kWs + "/computes/nc"});
  const auto* f = finding(q, "quota-insufficient");
  REQUIRE(f);
  CHECK(f->severity == translate::Severity::Error);
  CHECK(f->source_id == kSource + "/clusters/c1");  // the tag of desired_compute_body()
  CHECK(f->message.find("Standard NC Family") != std::string::npos);
  CHECK(f->message.find("cannot accommodate for at least 3 nodes of Standard_NC6 which maps to 18 vCPUs") !=
        std::string::npos);
  CHECK(f->message.find("has 12 vCPUs free") != std::string::npos);
}

TEST_CASE("quota: computes draw on the quota cumulatively by their minimum - in order") {
  // DSv2 dedicated: 24 - 2 = 22 in the family, but the regional dedicated total has 10 left.
  // a: min 4 x 2 = 8 (fits, 2 left regionally), b: min 2 x 2 = 4 (held), c: min 0 -> 1 x 2 = 2 (fits).
  const auto q = check_quota({compute("a", "Standard_DS2_v2", 8, "Dedicated", 4),
                              compute("b", "Standard_DS2_v2", 8, "Dedicated", 2), compute("c", "Standard_DS2_v2", 1)},
                             vm_sizes(), spec_usages());
  CHECK(q.fits == std::vector<std::string>{kWs + "/computes/a", kWs + "/computes/c"});
  CHECK(q.held == std::vector<std::string>{kWs + "/computes/b"});
  const auto* f = finding(q, "quota-insufficient");
  REQUIRE(f);
  CHECK(f->message.find("Total Cluster Dedicated Regional vCPUs") != std::string::npos);
  CHECK(f->message.find("has 2 vCPUs free") != std::string::npos);
  CHECK(f->message.find("planned for other computes 8") != std::string::npos);
}

TEST_CASE("quota: low priority uses its own pools - -1 is unlimited") {
  // NC low priority family: limit -1; regional low priority 50 - 18 = 32. min 5 x 6 = 30 fits, then
  // 1 x 6 more does not.
  const auto q = check_quota({compute("lp1", "Standard_NC6", 5, "LowPriority", 5),
                              compute("lp2", "Standard_NC6", 1, "lowpriority")},
                             vm_sizes(), spec_usages());
  CHECK(q.fits == std::vector<std::string>{kWs + "/computes/lp1"});
  CHECK(q.held == std::vector<std::string>{kWs + "/computes/lp2"});
}

TEST_CASE("quota: a family with zero limit - an unknown size - an unknown family") {
  json sizes = vm_sizes();
  sizes["value"].push_back({{"name", "Standard_NC6s_v3"}, {"family", "standardNCSv3Family"}, {"vCPUs", 6}});
  json usages = spec_usages();
  const auto q = check_quota({compute("v3", "Standard_NC6s_v3", 1), compute("nope", "Standard_Z99", 1),
                              compute("ev3", "Standard_E4_v3", 1)},
                             sizes, usages);
  // NCSv3 has no usage entry in the example (NCv3 does: limit 0, but it is another family name).
  CHECK(q.held == std::vector<std::string>{kWs + "/computes/nope"});
  REQUIRE(finding(q, "vm-size-unavailable"));
  CHECK(finding(q, "vm-size-unavailable")->message.find("Standard_Z99") != std::string::npos);
  REQUIRE(finding(q, "quota-unknown"));

  json ncv3 = vm_sizes();
  ncv3["value"].push_back({{"name", "Standard_NC6s_v3"}, {"family", "Standard NCv3 Family"}, {"vCPUs", 6}});
  const auto zero = check_quota({compute("v3", "Standard_NC6s_v3", 1)}, ncv3, usages);
  CHECK(zero.held == std::vector<std::string>{kWs + "/computes/v3"});  // NCv3 dedicated limit 0
}

TEST_CASE("quota: odd API responses give a clear result - never a crash") {
  const std::vector<json> odd = {json(nullptr), json("x"), json::object(), json{{"value", "x"}},
                                 json{{"value", {1, "a", nullptr, json{{"name", 3}}}}}};
  for (const auto& sizes : odd) {
    for (const auto& usages : odd) {
      const auto q = check_quota({compute("nc", "Standard_NC6", 1)}, sizes, usages);
      CHECK(q.fits.size() + q.held.size() == 1);
    }
  }
  // Sizes known, usages unreadable: let through, with the quota-unknown finding.
  const auto q = check_quota({compute("nc", "Standard_NC6", 1)}, vm_sizes(), json("garbage"));
  CHECK(q.fits.size() == 1);
  CHECK(finding(q, "quota-unknown"));
  // A compute body without properties names no VM size: held as not offered.
  json body = json::object();
  const auto bare = check_quota({desired(translate::Kind::Compute, kCompute, body)}, vm_sizes(), spec_usages());
  CHECK(bare.held.size() == 1);
}

TEST_CASE("quota: a job whose instanceCount x vCPUs exceeds the quota is held - JobNodeCountExceedsCoreQuota") {
  const std::string nc = kWs + "/computes/nc";
  const std::map<std::string, json> computes = {{id_key(nc), compute("nc", "Standard_NC6", 2).body}};
  // NC family limit 24: 5 x 6 = 30 could never run; 4 x 6 = 24 can (whatever is in use now).
  const auto q = check_job_quota({job("big", nc, 5), job("fits", nc, 4), job("elsewhere", kWs + "/computes/x", 99)},
                                 computes, vm_sizes(), spec_usages());
  CHECK(q.held == std::vector<std::string>{kWs + "/jobs/big"});
  CHECK(q.fits == std::vector<std::string>{kWs + "/jobs/fits", kWs + "/jobs/elsewhere"});
  const auto* f = finding(q, "quota-job-exceeds");
  REQUIRE(f);
  CHECK(f->severity == translate::Severity::Error);
  CHECK(f->message.find("JobNodeCountExceedsCoreQuota") != std::string::npos);
  CHECK(f->message.find("quota of 24 is less than the requested job node count of 5 which maps to 30 vCPUs") !=
        std::string::npos);

  Plan plan = diff({job("big", nc, 5), job("fits", nc, 4)}, {}, DiffInputs{});
  hold_for_quota(plan, q);
  for (const auto& a : plan.actions) {
    INFO(a.id);
    CHECK(a.kind == (a.id == kWs + "/jobs/big" ? ActionKind::Blocked : ActionKind::Create));
  }
}

TEST_CASE("hold_for_quota blocks the held compute creations and adds the findings") {
  const auto big = compute("nc", "Standard_NC6", 3, "Dedicated", 3);
  const auto small = compute("ds", "Standard_DS2_v2", 1);
  Plan plan = diff({big, small}, {}, DiffInputs{});
  const auto q = check_quota({big, small}, vm_sizes(), spec_usages());
  hold_for_quota(plan, q);
  for (const auto& a : plan.actions) {
    INFO(a.id);
    if (a.id == big.id) {
      CHECK(a.kind == ActionKind::Blocked);
      CHECK_FALSE(a.writes());
    } else {
      CHECK(a.kind == ActionKind::Create);
    }
  }
  CHECK(finding(QuotaCheck{{}, {}, plan.findings}, "quota-insufficient"));
}

// issue 14: figures like 1e300 were converted from double to long long (undefined) and multiplied
// (maxNodeCount x vCPUs) without bounds; they are now clamped to -1..1e7 before any arithmetic.
TEST_CASE("quota: absurd figures are clamped - never overflow") {
  json sizes = vm_sizes();
  sizes["value"].push_back({{"name", "Standard_Huge"}, {"family", "standardNCFamily"}, {"vCPUs", 1e300}});
  sizes["value"].push_back({{"name", "Standard_Wrap"}, {"family", "standardNCFamily"}, {"vCPUs", 18446744073709551615ULL}});
  json usages = spec_usages();
  for (auto& u : usages["value"]) {
    if (u["name"]["value"].get<std::string>().find("NC Family Cluster Dedicated") != std::string::npos) {
      u["limit"] = 9.9e307;
      u["currentValue"] = -9223372036854775807LL;
    }
  }
  auto existing = compute("existing", "Standard_Huge", 1);
  existing.body["properties"]["properties"]["scaleSettings"]["maxNodeCount"] = 9223372036854775807LL;
  existing.body["properties"]["properties"]["currentNodeCount"] = 1e300;
  const auto q = check_quota({compute("huge", "Standard_Huge", 1000000), compute("wrap", "Standard_Wrap", 1000000)},
                             sizes, usages, {existing});
  // One node of 1e7 vCPUs (the clamp) is beyond the regional dedicated quota (24): both held, with the figures.
  CHECK(q.held.size() == 2);
  REQUIRE(finding(q, "quota-insufficient"));
  CHECK(finding(q, "quota-insufficient")->message.find("maps to 10000000 vCPUs") != std::string::npos);
  REQUIRE(finding(q, "quota-max-exceeded"));
  CHECK(finding(q, "quota-max-exceeded")->message.find("= 10000000 x 10000000 = 100000000000000 vCPUs") !=
        std::string::npos);
}
