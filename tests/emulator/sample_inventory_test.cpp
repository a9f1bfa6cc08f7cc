// config/sample-inventory.json, the realistic Batch AI estate, is served by the emulator: every resource
// by id exactly as seeded, every collection with all its members.
#include <catch2/catch.hpp>
#include <map>

#include "tests/emulator/emulator_test_helpers.hpp"
#include "tests/support/emulator_process.hpp"

using namespace bai2aml::testing;
using namespace bai2aml::testing::emu;
using nlohmann::json;

TEST_CASE("the sample inventory is served: each resource by id, each collection complete") {
  const std::string text = read_file(source_dir() + "/config/sample-inventory.json");
  const json seed = json::parse(text);
  EmulatorProcess emu(text, {"--page-size", "4"});
  std::map<std::string, int> children;  // collection path -> expected members
  for (const auto& r : seed["resources"]) {
    const std::string id = r["id"];
    INFO(id);
    HttpResult got = emu.arm("GET", q(id, kBai));
    REQUIRE(got.status == 200);
    CHECK(got.json() == r);
    ++children[id.substr(0, id.rfind('/'))];
  }
  for (const auto& [collection, expected] : children) {
    INFO(collection);
    int seen = 0;
    std::string next = q(collection, kBai);
    while (!next.empty()) {
      HttpResult page = emu.arm("GET", next);
      REQUIRE(page.status == 200);
      seen += static_cast<int>(page.json()["value"].size());
      next = page.json().contains("nextLink") ? page.json()["nextLink"].get<std::string>().substr(emu.base_url().size()) : "";
    }
    CHECK(seen == expected);
  }
  const std::string sub = seed["resources"][0]["id"].get<std::string>().substr(0, 51);
  HttpResult all_ws = emu.arm("GET", q(sub + "/providers/Microsoft.BatchAI/workspaces", kBai));
  REQUIRE(all_ws.status == 200);
  CHECK(all_ws.json()["value"].size() == 2);
}
