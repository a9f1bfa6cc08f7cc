// The resource store (case-insensitive ids, children, scopes), ids, token buckets and secret redaction.
#include <catch2/catch.hpp>
#include <thread>

#include "emulator/arm_path.hpp"
#include "emulator/rate_limiter.hpp"
#include "emulator/resource_store.hpp"
#include "emulator/secret_redaction.hpp"

using namespace bai2aml::emulator;
using nlohmann::json;

namespace {
const std::string kWs = "/subscriptions/S/resourceGroups/RG/providers/Microsoft.MachineLearningServices/workspaces/ws";
json res(const std::string& id) { return {{"id", id}}; }
}  // namespace

TEST_CASE("the store finds ids case-insensitively and lists direct children and scopes") {
  ResourceStore store;
  store.write([](ResourceStore::Tx& tx) {
    tx.put(res(kWs));
    tx.put(res(kWs + "/computes/c1"));
    tx.put(res(kWs + "/computes/c2"));
    tx.put(res(kWs + "/environments/e/versions/1"));
    tx.put(res("/subscriptions/S/resourceGroups/other/providers/Microsoft.MachineLearningServices/workspaces/w2"));
    return 0;
  });
  CHECK(store.get("/SUBSCRIPTIONS/s/resourcegroups/rg/providers/microsoft.machinelearningservices/WORKSPACES/WS"));
  store.read([](const ResourceStore::Tx& tx) {
    CHECK(tx.children(kWs, "computes").size() == 2);
    CHECK(tx.children(kWs, "environments").empty());  // the version is not a direct child
    CHECK(tx.top_level("/subscriptions/s", "Microsoft.MachineLearningServices", "workspaces").size() == 2);
    CHECK(tx.top_level("/subscriptions/s/resourceGroups/rg", "Microsoft.MachineLearningServices", "workspaces").size() == 1);
    return 0;
  });
  CHECK(store.write([](ResourceStore::Tx& tx) { return tx.erase_tree(kWs); }) == 4);
  CHECK(store.size() == 1);
}

TEST_CASE("ids with a singular type segment key like the plural, as the Batch AI examples write them") {
  CHECK(id_key("/subscriptions/s/resourceGroups/r/providers/Microsoft.BatchAI/workspace/w/experiments/e") ==
        id_key("/subscriptions/s/resourceGroups/r/providers/Microsoft.BatchAI/workspaces/w/experiments/e"));
  CHECK(kind_of_id("/subscriptions/s/resourceGroups/r/providers/Microsoft.BatchAI/workspace/w")->id ==
        KindId::BatchAIWorkspace);
  CHECK(kind_of_id("/subscriptions/s/resourceGroups/r/providers/Microsoft.BatchAI/workspaces/w/jobs/j") == nullptr);
}

TEST_CASE("token buckets refuse beyond the burst, refill at the rate, and are per subscription") {
  RateLimiter limiter({10, 2}, {0, 0});
  CHECK(limiter.take("a", false).allowed);
  CHECK(limiter.take("a", false).allowed);
  auto denied = limiter.take("a", false);
  CHECK_FALSE(denied.allowed);
  CHECK(denied.retry_after_seconds >= 1);
  CHECK(limiter.take("B", false).allowed);
  CHECK(limiter.take("a", true).allowed);  // writes unlimited
  CHECK(limiter.take("a", true).remaining == 1199);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  CHECK(limiter.take("A", false).allowed);  // refilled; subscription ids are case-insensitive
}

TEST_CASE("redaction removes exactly the secrets") {
  json ds = {{"properties", {{"credentials", {{"credentialsType", "AccountKey"}, {"secrets", {{"key", "k"}}}}}}}};
  json out = redact_secrets(KindId::AmlDatastore, ds);
  CHECK_FALSE(out["properties"]["credentials"].contains("secrets"));
  CHECK(out["properties"]["credentials"]["credentialsType"] == "AccountKey");
  json job = {{"properties",
               {{"secrets", {{{"name", "TOKEN"}, {"value", "v"}}}},
                {"mountVolumes", {{"azureFileShares", {{{"accountName", "a"}, {"credentials", {{"accountKey", "k"}}}}}}}}}}};
  json j = redact_secrets(KindId::BatchAIJob, job);
  CHECK(j["properties"]["secrets"][0]["name"] == "TOKEN");
  CHECK_FALSE(j["properties"]["secrets"][0].contains("value"));
  CHECK_FALSE(j["properties"]["mountVolumes"]["azureFileShares"][0]["credentials"].contains("accountKey"));
  CHECK(j["properties"]["mountVolumes"]["azureFileShares"][0]["accountName"] == "a");
}

TEST_CASE("store pages follow a key cursor that stays right while members come and go") {
  ResourceStore store;
  store.write([](ResourceStore::Tx& tx) {
    tx.put(res(kWs));
    for (int i = 0; i < 5; ++i) tx.put(res(kWs + "/computes/c" + std::to_string(i)));
    return 0;
  });
  const std::string computes = ResourceStore::children_key(kWs, "computes");
  auto first = store.read([&](const ResourceStore::Tx& tx) { return tx.page(computes, "", 0, 2); });
  REQUIRE(first.items.size() == 2);
  CHECK(first.more);
  // c0 (already served) goes and c00 (sorting before the cursor) comes: the next page is still c2, c3.
  store.write([](ResourceStore::Tx& tx) {
    tx.erase_tree(kWs + "/computes/c0");
    tx.put(res(kWs + "/computes/c00"));
    return 0;
  });
  auto second = store.read([&](const ResourceStore::Tx& tx) { return tx.page(computes, first.last_key, 2, 2); });
  REQUIRE(second.items.size() == 2);
  CHECK((*second.items[0])["id"] == kWs + "/computes/c2");
  CHECK((*second.items[1])["id"] == kWs + "/computes/c3");
  auto by_offset = store.read([&](const ResourceStore::Tx& tx) { return tx.page(computes, "", 4, 2); });
  REQUIRE(by_offset.items.size() == 1);  // c00 c1 c2 c3 | c4
  CHECK_FALSE(by_offset.more);
  const auto workspaces = ResourceStore::top_level_key("/subscriptions/s", "Microsoft.MachineLearningServices", "workspaces");
  CHECK(store.read([&](const ResourceStore::Tx& tx) { return tx.page(workspaces, "", 0, 10); }).items.size() == 1);
  store.write([](ResourceStore::Tx& tx) { return tx.erase_tree(kWs); });
  CHECK(store.read([&](const ResourceStore::Tx& tx) { return tx.page(computes, "", 0, 10); }).items.empty());
  CHECK(store.read([&](const ResourceStore::Tx& tx) { return tx.page(workspaces, "", 0, 10); }).items.empty());
}

namespace {
nlohmann::json compute(const std::string& id, const std::string& location, const std::string& size, long long min_nodes,
                       const std::string& priority = "Dedicated") {
  return {{"id", id},
          {"location", location},
          {"properties",
           {{"properties", {{"vmSize", size}, {"vmPriority", priority}, {"scaleSettings", {{"minNodeCount", min_nodes}}}}}}}};
}
}  // namespace

TEST_CASE("the store indexes AmlComputes by name in their region and keeps each subscription's core usage per region as they come, change and go") {
  ResourceStore store;
  const std::string other_ws =
      "/subscriptions/T/resourceGroups/RG2/providers/Microsoft.MachineLearningServices/workspaces/w2";
  store.write([&](ResourceStore::Tx& tx) {
    tx.put(res(kWs));
    tx.put(compute(kWs + "/computes/GPU", "East US", "Standard_NC6", 2));
    tx.put(compute(kWs + "/computes/cpu", "westeurope", "STANDARD_DS3_V2", 1, "LowPriority"));
    tx.put(compute(other_ws + "/computes/gpu", "eastus", "Standard_NC12", 1));
    tx.put({{"id", kWs + "/datastores/gpu"}, {"location", "eastus"}});  // not a compute
    return 0;
  });
  store.read([&](const ResourceStore::Tx& tx) {
    CHECK(tx.computes_named("eastus", "Gpu").size() == 2);
    CHECK(tx.computes_named("westeurope", "gpu").empty());
    const auto s_east = tx.core_usage("s", "eastus");
    CHECK(s_east.clusters == 1);
    CHECK(s_east.dedicated == 12);  // 2 nodes x 6 vCPUs
    CHECK(s_east.family_dedicated.at("standardNCFamily") == 12);
    const auto s_west = tx.core_usage("S", "westeurope");
    CHECK(s_west.clusters == 1);
    CHECK(s_west.dedicated == 0);
    CHECK(s_west.low_priority == 4);
    CHECK(tx.core_usage("t", "eastus").dedicated == 12);  // 1 node x 12 vCPUs
    CHECK(tx.core_usage("u", "eastus").clusters == 0);
    return 0;
  });
  store.write([&](ResourceStore::Tx& tx) {
    // Replaced in another region with a new minimum: re-counted where it is now.
    tx.put(compute(kWs + "/computes/gpu", "westeurope", "Standard_NC6", 3));
    return tx.erase_tree(other_ws);
  });
  store.read([&](const ResourceStore::Tx& tx) {
    CHECK(tx.computes_named("eastus", "gpu").empty());
    CHECK(tx.computes_named("westeurope", "gpu").size() == 1);
    CHECK(tx.core_usage("s", "eastus").clusters == 0);
    CHECK(tx.core_usage("s", "eastus").dedicated == 0);
    const auto s_west = tx.core_usage("s", "westeurope");
    CHECK(s_west.clusters == 2);
    CHECK(s_west.dedicated == 18);
    CHECK(s_west.low_priority == 4);
    CHECK(tx.core_usage("t", "eastus").clusters == 0);
    return 0;
  });
}
