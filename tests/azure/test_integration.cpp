// azure/ against the real bai2aml-emulator over real HTTP(S): identities, 401 refresh, retries,
// throttling, long-running operations, paging, the Batch AI reader, TLS, and log hygiene.
#include <catch2/catch.hpp>

#include <set>

#include <boost/asio/io_context.hpp>

#include "azure/api_versions.hpp"
#include "azure/arm_pipeline.hpp"
#include "azure/batchai_reader.hpp"
#include "azure/credentials/credentials.hpp"
#include "azure/policies/bearer_token_policy.hpp"
#include "azure/policies/simple_policies.hpp"
#include "azure/sync_arm_client.hpp"
#include "tests/azure/emulator_fixture.hpp"
#include "tests/azure/fakes.hpp"

using namespace bai2aml::azure;
using namespace bai2aml::azure::test;
using bai2aml::config::AuthMethod;
using bai2aml::testing::TempDir;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kSub = "/subscriptions/" + kSampleSubscription;
const std::string kWorkspaces = kSub + "/providers/Microsoft.BatchAI/workspaces";
const std::string kVision = kSub + "/resourceGroups/research-rg/providers/Microsoft.BatchAI/workspaces/vision-ws";
const std::string kTargetRg = "/subscriptions/" + kSampleSubscription + "/resourceGroups/target-rg";
std::string aml_workspace(const std::string& name) {
  return kTargetRg + "/providers/Microsoft.MachineLearningServices/workspaces/" + name;
}

std::set<std::string> sample_ids() {
  const auto doc = json::parse(bai2aml::testing::read_file(sample_inventory()));
  std::set<std::string> ids;
  for (const auto& r : doc["resources"]) ids.insert(r["id"].get<std::string>());
  REQUIRE(ids.size() == 26);
  return ids;
}

long long stat(const json& stats, const std::string& group, const std::string& key) {
  if (!stats.contains(group) || !stats[group].contains(key)) return 0;
  return stats[group][key].get<long long>();
}

}  // namespace

TEST_CASE("identity: each auth method obtains a token from the emulator and lists Batch AI workspaces") {
  EmulatorProcess emulator;
  TempDir dir;
  for (auto method : {AuthMethod::ClientSecret, AuthMethod::ManagedIdentity, AuthMethod::WorkloadIdentity}) {
    SyncArmClient client(azure_config(emulator, method, dir), quick_options());
    auto list = client.list(kWorkspaces);
    INFO(bai2aml::config::to_string(method));
    REQUIRE(list.ok());
    CHECK(list.value().size() == 2);
  }
  {
    EnvironmentOverride env({{"AZURE_TENANT_ID", "env-tenant"},
                             {"AZURE_CLIENT_ID", "env-client"},
                             {"AZURE_CLIENT_SECRET", "env-secret-value"},
                             {"AZURE_FEDERATED_TOKEN_FILE", std::nullopt},
                             {"AZURE_AUTHORITY_HOST", emulator.base_url()}});
    auto cfg = azure_config(emulator, AuthMethod::Environment, dir);
    cfg.authority = "https://login.invalid";  // AZURE_AUTHORITY_HOST wins
    SyncArmClient client(cfg, quick_options());
    auto list = client.list(kWorkspaces);
    REQUIRE(list.ok());
    CHECK(list.value().size() == 2);
  }
  // Without credentials ARM answers 401, and the error says so.
  auto cfg = azure_config(emulator, AuthMethod::ClientSecret, dir);
  cfg.auth.client_secret_file = dir.file("no-such-secret");
  SyncArmClient client(cfg, quick_options());
  auto list = client.list(kWorkspaces);
  REQUIRE_FALSE(list.ok());
  CHECK(list.error().code == errc::kCredentialUnavailable);
  CHECK(list.error().message.find("no-such-secret") != std::string::npos);
}

TEST_CASE("identity: a 401 (tokens forgotten by a restarted ARM) refreshes the token once and succeeds") {
  EmulatorProcess emulator;
  TempDir dir;
  auto counters = std::make_shared<RequestCounters>();
  SyncArmClient client(azure_config(emulator, AuthMethod::ClientSecret, dir), quick_options(), counters);
  REQUIRE(client.get(kVision).ok());
  emulator.restart();  // same port; its token issuer no longer knows our cached token
  auto again = client.get(kVision);
  REQUIRE(again.ok());
  CHECK(again.value()["name"] == "vision-ws");
  const auto stats = emulator.stats();
  CHECK(stat(stats, "status", "401") == 1);
  CHECK(stat(stats, "status", "200") >= 1);
  CHECK(counters->count("GET", "401") == 1);
  CHECK(counters->count("POST", "200") == 0);  // the counters are ARM's: token requests are not counted
}

TEST_CASE("retries: injected 500/503/429 and dropped connections are retried to success") {
  EmulatorProcess emulator({"--fault-rate", "0.3", "--fault-seed", "7"});
  TempDir dir;
  auto options = quick_options();
  options.retry.max_retries = 8;
  options.retry.max_server_delay = std::chrono::milliseconds(1000);
  SyncArmClient client(azure_config(emulator, AuthMethod::ClientSecret, dir), options);
  for (int i = 0; i < 15; ++i) {
    auto r = client.get(kVision);
    REQUIRE(r.ok());
  }
  const auto stats = emulator.stats();
  CHECK(stats["faults"].get<long long>() >= 2);
  CHECK(stat(stats, "requests", "GET") > 15);  // the faults were retried
}

TEST_CASE("retries: 429 from the subscription's read bucket is waited out per Retry-After") {
  EmulatorProcess emulator({"--read-rate", "1", "--read-burst", "1"});
  TempDir dir;
  auto options = quick_options();
  options.throttle.read_rate = 50;  // far above the server's 1/s: the server must push back
  SyncArmClient client(azure_config(emulator, AuthMethod::ClientSecret, dir), options);
  const auto t0 = Clock::now();
  for (int i = 0; i < 3; ++i) REQUIRE(client.get(kVision).ok());
  const auto elapsed = Clock::now() - t0;
  const auto stats = emulator.stats();
  CHECK(stats["throttled"].get<long long>() >= 1);
  CHECK(elapsed >= std::chrono::milliseconds(1500));  // 3 reads at 1/s after a burst of 1
}

TEST_CASE("retries: a Retry-After of a year (emulator rule) is cut to the cap, in the retry policy and the throttle") {
  EmulatorProcess emulator;
  emulator.set_failures(json::array({{{"path_prefix", kVision},
                                      {"method", "GET"},
                                      {"status", 429},
                                      {"code", "TooManyRequests"},
                                      {"retry_after", "31536000"},
                                      {"times", 2}}}));
  TempDir dir;
  auto options = quick_options();
  // The caps, shortened so the test is quick (their defaults, kMaxServerDelay, are checked in the
  // policy tests): without them this GET would wait a year.
  options.retry.max_server_delay = std::chrono::milliseconds(300);
  options.throttle.max_server_delay = std::chrono::milliseconds(300);
  SyncArmClient client(azure_config(emulator, AuthMethod::ClientSecret, dir), options);
  const auto t0 = Clock::now();
  REQUIRE(client.get(kVision).ok());
  CHECK(Clock::now() - t0 < std::chrono::seconds(10));
  CHECK(stat(emulator.stats(), "requests", "GET") == 3);  // two 429s, then the answer
}

TEST_CASE("terminal errors: a 400 for an invalid body is returned at once, not retried") {
  EmulatorProcess emulator;
  TempDir dir;
  SyncArmClient client(azure_config(emulator, AuthMethod::ClientSecret, dir), quick_options());
  auto r = client.put(aml_workspace("nolocation"), json{{"properties", json::object()}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().http_status == 400);
  CHECK_FALSE(r.error().retryable);
  CHECK_FALSE(r.error().code.empty());
  CHECK(r.error().message.find("location") != std::string::npos);
  CHECK(stat(emulator.stats(), "requests", "PUT") == 1);
}

TEST_CASE("LRO: a PUT is followed to Succeeded - a DELETE to the resource's disappearance") {
  EmulatorProcess emulator({"--lro-ms", "300"});
  TempDir dir;
  SyncArmClient client(azure_config(emulator, AuthMethod::ClientSecret, dir), quick_options());
  const auto id = aml_workspace("lro-ws");
  auto begun = client.begin_put(id, json{{"location", "eastus"}, {"properties", {{"friendlyName", "LRO"}}}});
  REQUIRE(begun.ok());
  REQUIRE_FALSE(begun.value().done);
  const auto& token = *begun.value().operation;
  CHECK_FALSE(token.poll_url.empty());
  CHECK(token.poll_url.rfind(emulator.base_url(), 0) == 0);
  auto done = client.wait(token);
  REQUIRE(done.ok());
  CHECK(done.value().done);
  CHECK(done.value().resource["properties"]["provisioningState"] == "Succeeded");
  CHECK(done.value().resource["properties"]["friendlyName"] == "LRO");
  auto removed = client.remove(id);
  REQUIRE(removed.ok());
  CHECK(removed.value().done);
  auto gone = client.get(id);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().http_status == 404);
}

TEST_CASE("LRO: resumed by its journalled token from a new client after a restart") {
  EmulatorProcess emulator({"--lro-ms", "800"});
  TempDir dir;
  const auto id = aml_workspace("resumed-ws");
  std::string journal;
  {
    SyncArmClient first(azure_config(emulator, AuthMethod::ClientSecret, dir), quick_options());
    auto begun = first.begin_put(id, json{{"location", "eastus"}, {"properties", json::object()}});
    REQUIRE(begun.ok());
    REQUIRE(begun.value().operation);
    journal = begun.value().operation->to_json();
  }
  SyncArmClient second(azure_config(emulator, AuthMethod::ClientSecret, dir), quick_options());
  auto token = OperationToken::from_json(journal);
  REQUIRE(token);
  auto step = second.poll(*token);
  REQUIRE(step.ok());
  CHECK_FALSE(step.value().done);  // 800 ms have not passed yet
  auto finished = second.wait(*token);
  REQUIRE(finished.ok());
  CHECK(finished.value().done);
  CHECK(finished.value().resource["id"].get<std::string>().find("resumed-ws") != std::string::npos);
}

TEST_CASE("LRO: operations that end Failed give a typed error") {
  // The emulator fails about half the operations (and faults requests) with this fault rate.
  EmulatorProcess emulator({"--lro-ms", "100", "--fault-rate", "0.5", "--fault-seed", "11"});
  TempDir dir;
  auto options = quick_options();
  options.retry.max_retries = 12;
  options.retry.max_server_delay = std::chrono::milliseconds(200);
  SyncArmClient client(azure_config(emulator, AuthMethod::ClientSecret, dir), options);
  int failed = 0;
  int succeeded = 0;
  for (int i = 0; i < 8; ++i) {
    auto r = client.put(aml_workspace("maybe-" + std::to_string(i)), json{{"location", "eastus"}, {"properties", json::object()}});
    if (r.ok()) {
      CHECK(r.value().done);
      ++succeeded;
    } else {
      INFO(r.error().to_string());
      CHECK(r.error().message.find("Failed") != std::string::npos);
      CHECK_FALSE(r.error().code.empty());
      ++failed;
    }
  }
  CHECK(failed >= 1);
  CHECK(failed + succeeded == 8);
}

TEST_CASE("paging: LIST follows nextLink across many pages") {
  EmulatorProcess emulator({"--page-size", "4"});
  for (int i = 0; i < 50; ++i) {
    const auto name = "bulk-" + std::to_string(i);
    emulator.put_resource({{"id", kVision + "/experiments/" + name},
                           {"name", name},
                           {"type", "Microsoft.BatchAI/workspaces/experiments"},
                           {"properties", {{"provisioningState", "succeeded"}}}});
  }
  TempDir dir;
  SyncArmClient client(azure_config(emulator, AuthMethod::ClientSecret, dir), quick_options());
  emulator.reset_stats();
  auto all = client.list(kVision + "/experiments");
  REQUIRE(all.ok());
  CHECK(all.value().size() == 52);  // 2 from the sample + 50
  std::set<std::string> ids;
  for (const auto& e : all.value()) ids.insert(e["id"].get<std::string>());
  CHECK(ids.size() == 52);
  CHECK(stat(emulator.stats(), "requests", "GET") == 13);  // ceil(52 / 4) pages
}

TEST_CASE("pacing: concurrent writes under the emulator's write bucket, without a 429 storm") {
  EmulatorProcess emulator({"--write-rate", "5", "--write-burst", "5"});
  TempDir dir;
  const int n = 20;
  const auto run_deletes = [&](bool throttled_pipeline) {
    boost::asio::io_context io;
    const auto cfg = azure_config(emulator, AuthMethod::ClientSecret, dir);
    auto options = quick_options();
    options.retry.max_retries = 10;
    const auto transport = transport_options_for(cfg, options.timeout);
    auto credential = make_credential(cfg, make_token_pipeline(io, transport, options.retry, nullptr));
    std::unique_ptr<ArmClient> client;
    if (throttled_pipeline) {
      client = std::make_unique<ArmClient>(
          io, cfg.arm_endpoint,
          make_arm_pipeline(io, transport, options.retry, options.throttle, credential, nullptr), options);
    } else {  // the same chain without the ThrottlePolicy: what a naive client would do
      std::vector<std::unique_ptr<Policy>> v;
      v.push_back(std::make_unique<RequestIdPolicy>());
      v.push_back(std::make_unique<RetryPolicy>(io, options.retry));
      v.push_back(std::make_unique<BearerTokenPolicy>(credential, kArmScope, transport));
      Pipeline naive(std::move(v), make_cpprest_transport(io, transport));
      client = std::make_unique<ArmClient>(io, cfg.arm_endpoint, naive, options);
    }
    emulator.reset_stats();
    int ok = 0;
    int completed = 0;
    for (int i = 0; i < n; ++i) {
      client->begin_delete(aml_workspace("absent-" + std::to_string(i)), [&](Result<WriteOutcome> r) {
        ++completed;
        if (r.ok() && r.value().done) ++ok;
      });
    }
    run_until(io, [&] { return completed == n; });
    CHECK(ok == n);
    return emulator.stats()["throttled"].get<long long>();
  };
  const auto paced = run_deletes(true);
  const auto naive = run_deletes(false);
  INFO("429s paced: " << paced << ", naive: " << naive);
  // A storm is ~46 of them; a few are the bucket's refill seen late on a loaded machine (4 once, with
  // the e2e suite running beside it on 2 cores).
  CHECK(paced <= 6);
  CHECK(naive >= 10);
  CHECK(naive >= 4 * paced);
}

TEST_CASE("reader: the sample inventory, whole subscription and one resource group, over many pages") {
  EmulatorProcess emulator({"--page-size", "2"});
  TempDir dir;
  SyncArmClient client(azure_config(emulator, AuthMethod::ClientSecret, dir), quick_options());
  bai2aml::config::Source source;
  source.subscription_id = kSampleSubscription;
  const auto before = std::chrono::system_clock::now();
  auto inv = read_inventory(client, source);
  REQUIRE(inv.ok());
  std::set<std::string> ids;
  for (const auto& r : inv.value().resources) ids.insert(r["id"].get<std::string>());
  CHECK(ids == sample_ids());
  CHECK(inv.value().fetched_at >= before - std::chrono::seconds(1));
  CHECK(stat(emulator.stats(), "requests", "PUT") == 0);
  CHECK(stat(emulator.stats(), "requests", "POST") == 0);

  source.resource_groups = {"nlp-rg"};
  auto nlp = read_inventory(client, source);
  REQUIRE(nlp.ok());
  CHECK_FALSE(nlp.value().resources.empty());
  for (const auto& r : nlp.value().resources) CHECK(r["id"].get<std::string>().find("/resourceGroups/nlp-rg/") != std::string::npos);
  // The same answer as the file loader gives for the seed.
  auto file = load_inventory_file(sample_inventory(), source);
  REQUIRE(file.ok());
  CHECK(file.value().resources.size() == nlp.value().resources.size());
}

TEST_CASE("reader: a retired Batch AI, a refused identity and a dead endpoint are typed SourceUnavailable") {
  TempDir dir;
  bai2aml::config::Source source;
  source.subscription_id = kSampleSubscription;
  {
    EmulatorProcess retired({"--batchai-retired"});
    SyncArmClient client(azure_config(retired, AuthMethod::ClientSecret, dir), quick_options());
    auto inv = read_inventory(client, source);
    REQUIRE_FALSE(inv.ok());
    CHECK(inv.error().reason == SourceUnavailable::Reason::Retired);
    CHECK(inv.error().message.find("NoRegisteredProviderFound") != std::string::npos);
  }
  {
    EmulatorProcess emulator;
    auto cfg = azure_config(emulator, AuthMethod::ManagedIdentity, dir);
    cfg.auth.imds_endpoint = "http://127.0.0.1:" + std::to_string(bai2aml::testing::free_port());
    auto options = quick_options();
    options.retry.max_retries = 1;
    SyncArmClient client(cfg, options);
    auto inv = read_inventory(client, source);
    REQUIRE_FALSE(inv.ok());
    // No token could be had: the connection to IMDS was refused.
    CHECK((inv.error().reason == SourceUnavailable::Reason::Network ||
           inv.error().reason == SourceUnavailable::Reason::Unauthorized));
  }
  {
    EmulatorProcess emulator;
    auto cfg = azure_config(emulator, AuthMethod::ClientSecret, dir);
    auto options = quick_options();
    options.retry.max_retries = 1;
    SyncArmClient client(cfg, options);
    emulator.stop();
    auto inv = read_inventory(client, source);
    REQUIRE_FALSE(inv.ok());
    CHECK(inv.error().reason == SourceUnavailable::Reason::Network);
  }
  source.inventory_file = sample_inventory();  // the snapshot needs no network at all
  SyncArmClient offline(bai2aml::config::Azure{}, quick_options());
  auto inv = read_inventory(offline, source);
  REQUIRE(inv.ok());
  CHECK(inv.value().resources.size() == sample_ids().size());
}

TEST_CASE("TLS: a self-signed emulator is refused without ca_file and accepted with it") {
  TempDir dir;
  const auto [cert, key] = make_self_signed_cert(dir);
  EmulatorProcess emulator({"--tls-cert", cert, "--tls-key", key});
  auto cfg = azure_config(emulator, AuthMethod::ClientSecret, dir);
  cfg.allow_insecure_loopback = false;
  CHECK(cfg.arm_endpoint.rfind("https://", 0) == 0);
  {
    SyncArmClient client(cfg, quick_options());
    auto r = client.get(kVision);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == errc::kTlsError);
    CHECK_FALSE(r.error().retryable);
  }
  cfg.ca_file = cert;
  SyncArmClient client(cfg, quick_options());
  auto r = client.get(kVision);
  REQUIRE(r.ok());
  CHECK(r.value()["name"] == "vision-ws");
  // Plain http to a non-loopback host is refused outright, token or not.
  auto plain = cfg;
  plain.arm_endpoint = "http://192.0.2.1";
  SyncArmClient insecure(plain, quick_options());
  auto refused = insecure.get(kVision);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == errc::kInsecureTransport);
}

TEST_CASE("logs: every request at debug level, and no secret, assertion or token in any line") {
  EmulatorProcess emulator;
  TempDir dir;
  LogCapture capture;
  std::string token;
  std::string env_token;
  {
    boost::asio::io_context io;
    auto cfg = azure_config(emulator, AuthMethod::ClientSecret, dir);
    auto options = quick_options();
    const auto transport = transport_options_for(cfg, options.timeout);
    auto credential = make_credential(cfg, make_token_pipeline(io, transport, options.retry, nullptr));
    ArmClient client(io, cfg.arm_endpoint,
                     make_arm_pipeline(io, transport, options.retry, options.throttle, credential, nullptr), options);
    bool listed = false;
    client.list(kWorkspaces, [&](Result<std::vector<json>> r) {
      CHECK(r.ok());
      listed = true;
    });
    run_until(io, [&] { return listed; });
    bool got = false;
    credential->get_token(kArmScope, false, [&](Result<AccessToken> t) {  // the cached token the pipeline used
      REQUIRE(t.ok());
      token = t.value().token;
      got = true;
    });
    run_until(io, [&] { return got; });
  }
  for (auto method : {AuthMethod::WorkloadIdentity, AuthMethod::ManagedIdentity}) {
    SyncArmClient client(azure_config(emulator, method, dir), quick_options());
    REQUIRE(client.get(kVision).ok());
  }
  {
    EnvironmentOverride env({{"AZURE_TENANT_ID", "t"}, {"AZURE_CLIENT_ID", "c"},
                             {"AZURE_CLIENT_SECRET", "env-secret-do-not-log"},
                             {"AZURE_FEDERATED_TOKEN_FILE", std::nullopt},
                             {"AZURE_AUTHORITY_HOST", emulator.base_url()}});
    SyncArmClient client(azure_config(emulator, AuthMethod::Environment, dir), quick_options());
    REQUIRE(client.get(kVision).ok());
  }
  const auto text = capture.text();
  REQUIRE(token.size() > 8);
  CHECK(text.find("GET " + emulator.base_url() + kWorkspaces) != std::string::npos);
  CHECK(text.find("POST " + emulator.base_url() + "/") != std::string::npos);  // token requests are logged too
  CHECK(text.find(token) == std::string::npos);
  CHECK(text.find("sup3r-s3cret") == std::string::npos);
  CHECK(text.find("federated-assertion") == std::string::npos);
  CHECK(text.find("env-secret-do-not-log") == std::string::npos);
  CHECK(text.find("Bearer") == std::string::npos);
  CHECK(text.find("access_token") == std::string::npos);
  CHECK(text.find("client_secret=") == std::string::npos);
}
