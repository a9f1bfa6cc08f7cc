#include <catch2/catch.hpp>

#include <algorithm>

#include "fixtures.hpp"
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
                                   const std::string& priority = "Dedicated") {
  json body = desired_compute_body();
  body["properties"]["properties"]["vmSize"] = size;
  body["properties"]["properties"]["vmPriority"] = priority;
  body["properties"]["properties"]["scaleSettings"]["maxNodeCount"] = max_nodes;
  return desired(translate::Kind::Compute, kWs + "/computes/" + name, body);
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

TEST_CASE("quota: maxNodeCount x vCPUs beyond the family's quota is held with the figures") {
  // 3 x 6 = 18 > 12 available in the NC family.
  const auto q = check_quota({compute("nc", "Standard_NC6", 3)}, vm_sizes(), spec_usages());
  CHECK(q.fits.empty());
  CHECK(q.held == std::vector<std::string>{kWs + "/computes/nc"});
  const auto* f = finding(q, "quota-insufficient");
  REQUIRE(f);
  CHECK(f->severity == translate::Severity::Error);
  CHECK(f->source_id == kSource);
  CHECK(f->message.find("standardNCFamily") != std::string::npos);
  CHECK(f->message.find("needs 18 cores") != std::string::npos);
  CHECK(f->message.find("available 12") != std::string::npos);
}

TEST_CASE("quota: computes of one family draw on it cumulatively - in order") {
  // DSv2 dedicated: 24 - 2 = 22 in the family, but the regional dedicated total has 10 left.
  // a: 4 x 2 = 8 (fits, 2 left regionally), b: 2 x 2 = 4 (held), c: 1 x 2 = 2 (fits, 0 left).
  const auto q = check_quota({compute("a", "Standard_DS2_v2", 4), compute("b", "Standard_DS2_v2", 2),
                              compute("c", "Standard_DS2_v2", 1)},
                             vm_sizes(), spec_usages());
  CHECK(q.fits == std::vector<std::string>{kWs + "/computes/a", kWs + "/computes/c"});
  CHECK(q.held == std::vector<std::string>{kWs + "/computes/b"});
  const auto* f = finding(q, "quota-insufficient");
  REQUIRE(f);
  CHECK(f->message.find("Total Cluster Dedicated Regional vCPUs") != std::string::npos);
  CHECK(f->message.find("available 2") != std::string::npos);
  CHECK(f->message.find("planned for other computes 8") != std::string::npos);
}

TEST_CASE("quota: existing computes reserve their maxNodeCount - a held compute stays held once the first exists") {
  // DSv2 dedicated, regional total 24 - 14 = 10 free. Pass 1: a (4 x 2 = 8) fits, b (2 x 2 = 4) is held.
  auto a = compute("a", "Standard_DS2_v2", 4);
  const auto b = compute("b", "Standard_DS2_v2", 2);
  const auto first = check_quota({a, b}, vm_sizes(), spec_usages());
  CHECK(first.held == std::vector<std::string>{b.id});
  // Pass 2: a exists and sits idle (the usage still says 14 in use); its 8 cores stay reserved.
  const auto second = check_quota({b}, vm_sizes(), spec_usages(), {a.body});
  CHECK(second.held == std::vector<std::string>{b.id});
  const auto* f = finding(second, "quota-insufficient");
  REQUIRE(f);
  CHECK(f->message.find("available 2") != std::string::npos);
  CHECK(f->message.find("reserved by existing computes 8") != std::string::npos);
  // Nodes a has allocated are part of the usage already: they are not counted twice.
  a.body["properties"]["properties"]["currentNodeCount"] = 2;  // 4 of the 14 cores in use are a's
  const auto third = check_quota({compute("c", "Standard_DS2_v2", 3)}, vm_sizes(), spec_usages(), {a.body});
  CHECK(third.held.empty());  // 24 - (14 - 4) - 8 = 6 free, c needs 6
}

TEST_CASE("quota: low priority uses its own pools - -1 is unlimited") {
  // NC low priority family: limit -1; regional low priority 50 - 18 = 32. 5 x 6 = 30 fits, then
  // 1 x 6 more does not.
  const auto q = check_quota({compute("lp1", "Standard_NC6", 5, "LowPriority"),
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

TEST_CASE("hold_for_quota blocks the held compute creations and adds the findings") {
  const auto big = compute("nc", "Standard_NC6", 3);
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
