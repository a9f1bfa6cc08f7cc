// Properties over generated inventories (bench/common/inventory_generator): order independence,
// naming rules, region-wide compute uniqueness, no secret in any output, ownership and edges.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "bench/common/inventory_generator.hpp"
#include "tests/translate/fixtures.hpp"
#include "translate/batchai_id.hpp"
#include "translate/names.hpp"
#include "translate/ownership.hpp"
#include "translate/render.hpp"
#include "translate/translate.hpp"

namespace config = bai2aml::config;
using namespace bai2aml::translate;
using namespace bai2aml::translate::test;

namespace {

std::vector<json> generated(std::uint64_t seed, std::size_t n = 400) {
  bai2aml::bench::GeneratorOptions o;
  o.seed = seed;
  o.resources = n;
  return bai2aml::bench::generate_inventory(o);
}

config::Config property_config() {
  config::Config c = test_config();
  c.mapping.jobs = config::JobsMode::Active;
  c.mapping.storage_keys["acct0"] = "/creds/acct0.key";
  config::SshCredentials ssh{"amladmin", "/creds/id.pub", "/creds/pw"};
  c.mapping.ssh["*"] = ssh;
  return c;
}

std::string name_of(const DesiredResource& r) {
  const std::string id = r.kind == Kind::EnvironmentVersion ? r.id.substr(0, r.id.rfind("/versions/")) : r.id;
  return id.substr(id.rfind('/') + 1);
}

NameRule rule_of(Kind k) {
  switch (k) {
    case Kind::Workspace: return NameRule::Workspace;
    case Kind::Compute: return NameRule::Compute;
    case Kind::Datastore: return NameRule::Datastore;
    case Kind::EnvironmentContainer:
    case Kind::EnvironmentVersion: return NameRule::Environment;
    case Kind::Job: return NameRule::Job;
  }
  return NameRule::Job;
}

}  // namespace

TEST_CASE("shuffled input gives byte-identical output", "[property]") {
  for (std::uint64_t seed : {1, 2, 3}) {
    auto res = generated(seed);
    const std::string expected = translation_to_json(translate(res, property_config())).dump();
    const std::string expected_text = render_translation_text(translate(res, property_config()));
    std::mt19937_64 rng(seed * 7919);
    for (int round = 0; round < 3; ++round) {
      std::shuffle(res.begin(), res.end(), rng);
      INFO("seed " << seed << " round " << round);
      const Translation t = translate(res, property_config());
      CHECK(translation_to_json(t).dump() == expected);
      CHECK(render_translation_text(t) == expected_text);
    }
  }
}

TEST_CASE("every generated name satisfies its AML rule - computes are unique per region", "[property]") {
  for (std::uint64_t seed : {4, 5, 6}) {
    const Translation t = translate(generated(seed, 900), property_config());
    REQUIRE_FALSE(t.resources.empty());
    std::set<std::string> computes, per_workspace;
    for (const auto& r : t.resources) {
      const std::string name = name_of(r);
      INFO(to_string(r.kind) << " " << r.id);
      CHECK(name_rule_violation(rule_of(r.kind), name).empty());
      if (r.kind == Kind::Compute) CHECK(computes.insert(lower(name)).second);
      if (r.kind != Kind::EnvironmentVersion) CHECK(per_workspace.insert(lower(r.id)).second);
    }
    CHECK(computes.size() == of_kind(t, Kind::Compute).size());
    CHECK(findings(t, "name-collision").empty());
  }
}

TEST_CASE("no secret value from the inventory appears in any output", "[property]") {
  for (std::uint64_t seed : {7, 8}) {
    const auto res = generated(seed, 600);
    REQUIRE(json(res).dump().find(bai2aml::bench::kSecretMarker) != std::string::npos);  // the input has them
    const Translation t = translate(res, property_config());
    CHECK(translation_dump(t).find(bai2aml::bench::kSecretMarker) == std::string::npos);
    CHECK(translation_to_json(t).dump().find(bai2aml::bench::kSecretMarker) == std::string::npos);
    CHECK(render_translation_text(t).find(bai2aml::bench::kSecretMarker) == std::string::npos);
  }
}

TEST_CASE("every resource is owned, and every dependency is a resource of an earlier kind", "[property]") {
  const Translation t = translate(generated(9, 900), property_config());
  std::map<std::string, Kind> kinds;
  for (const auto& r : t.resources) kinds[r.id] = r.kind;
  for (const auto& r : t.resources) {
    INFO(r.id);
    CHECK(is_owned(r.kind, r.body));
    CHECK((*tags_of(r.kind, r.body))[kSourceTag] == r.source_id);
    for (const auto& d : r.depends_on) {
      const auto it = kinds.find(d);
      REQUIRE(it != kinds.end());
      CHECK(static_cast<int>(it->second) < static_cast<int>(r.kind));
    }
  }
  CHECK(std::is_sorted(t.resources.begin(), t.resources.end(), [](const DesiredResource& a, const DesiredResource& b) {
    return std::tie(a.kind, a.id) < std::tie(b.kind, b.id);
  }));
}

TEST_CASE("every Batch AI resource is migrated, or named in a finding", "[property]") {
  const auto res = generated(10, 600);
  const Translation t = translate(res, property_config());
  std::set<std::string> covered;
  for (const auto& r : t.resources) covered.insert(r.source_id);
  for (const auto& n : t.names) covered.insert(n.source_id);
  for (const auto& f : t.findings) covered.insert(f.source_id);
  for (const auto& r : res) {
    INFO(r["id"].get<std::string>());
    CHECK(covered.count(r["id"].get<std::string>()));
  }
}
