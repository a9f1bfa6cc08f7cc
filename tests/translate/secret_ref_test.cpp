// $secretFile references are confined to the JSON pointers the translator places (issue 14, item 4).
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "fixtures.hpp"
#include "translate/secret_ref.hpp"
#include "translate/translate.hpp"

using namespace bai2aml::translate;
using namespace bai2aml::translate::test;
using nlohmann::json;

namespace {

// Every well-formed reference in a body, by JSON pointer.
void refs_in(const json& j, const std::string& pointer, std::vector<std::string>& out) {
  if (is_secret_ref(j)) {
    out.push_back(pointer);
  } else if (j.is_object()) {
    for (const auto& [k, v] : j.items()) refs_in(v, pointer + "/" + k, out);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) refs_in(j[i], pointer + "/" + std::to_string(i), out);
  }
}

}  // namespace

TEST_CASE("every reference the translator places is at a pointer secret_ref_pointers lists", "[secret_ref]") {
  auto cfg = sample_config();
  cfg.mapping.ssh["gpu-lowpri"].password_file = "/run/credentials/bai2aml/admin.password";
  cfg.mapping.storage_keys["nlpcorpora"] = "/run/credentials/bai2aml/nlpcorpora.key";
  const Translation t = bai2aml::translate::translate(sample_inventory(), cfg);
  std::set<std::string> placed;
  for (const auto& r : t.resources) {
    std::vector<std::string> refs;
    refs_in(r.body, "", refs);
    for (const auto& p : refs) {
      INFO(to_string(r.kind) << " " << r.id << " " << p);
      const auto& allowed = secret_ref_pointers(r.kind);
      CHECK(std::find(allowed.begin(), allowed.end(), p) != allowed.end());
      placed.insert(p);
    }
    CHECK(stray_secret_refs(r.kind, r.body).empty());
  }
  // The three places are all exercised by this config.
  CHECK(placed == std::set<std::string>{kComputeSshKeyPointer, kComputePasswordPointer, kDatastoreKeyPointer});
}

TEST_CASE("a secretFile member anywhere else is a stray, and is removed with its member or element", "[secret_ref]") {
  json body = {{"properties",
                {{"credentials", {{"secrets", {{"key", secret_file_ref("/k")}}}}},
                 {"tags", {{"note", secret_file_ref("/etc/shadow")}, {"team", "vision"}}},
                 {"list", json::array({"a", {{"$secretFile", "/x"}, {"extra", 1}}, "b", secret_file_ref("/y")})}}}};
  CHECK(stray_secret_refs(Kind::Datastore, body) ==
        std::vector<std::string>{"/properties/list/1", "/properties/list/3", "/properties/tags/note"});
  // The datastore's key is allowed for a datastore only.
  CHECK(stray_secret_refs(Kind::Compute, body).size() == 4);

  const json clean = without_stray_secret_refs(Kind::Datastore, body);
  CHECK(clean["properties"]["credentials"] == body["properties"]["credentials"]);
  CHECK(clean["properties"]["tags"] == json{{"team", "vision"}});
  CHECK(clean["properties"]["list"] == json::array({"a", "b"}));
  CHECK(stray_secret_refs(Kind::Datastore, clean).empty());

  // A malformed reference at an allowed pointer is a stray too (the resolver would not read it).
  json odd = {{"properties", {{"credentials", {{"secrets", {{"key", {{"$secretFile", 7}}}}}}}}}};
  CHECK(stray_secret_refs(Kind::Datastore, odd) == std::vector<std::string>{kDatastoreKeyPointer});
  CHECK(without_stray_secret_refs(Kind::Datastore, json{{"$secretFile", "/p"}}) == json::object());
}
