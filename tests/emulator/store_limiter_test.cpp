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
