// Pure helpers: Retry-After, error bodies and their classification, tokens, inventory files.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>

#include "azure/api_versions.hpp"
#include "azure/arm_error.hpp"
#include "azure/http_types.hpp"
#include "config/untrusted_json.hpp"
#include "azure/inventory.hpp"
#include "azure/operation_token.hpp"
#include "config/batchai_id.hpp"
#include "tests/support/support.hpp"

using namespace bai2aml::azure;
using bai2aml::testing::TempDir;
using bai2aml::testing::write_file;

TEST_CASE("retry_after prefers retry-after-ms, then x-ms-retry-after-ms, then Retry-After seconds or date") {
  using std::chrono::milliseconds;
  CHECK(retry_after(Headers{{"Retry-After", "7"}}) == milliseconds(7000));
  CHECK(retry_after(Headers{{"retry-after", "2"}, {"x-ms-retry-after-ms", "150"}}) == milliseconds(150));
  CHECK(retry_after(Headers{{"Retry-After-Ms", "20"}, {"x-ms-retry-after-ms", "150"}}) == milliseconds(20));
  CHECK_FALSE(retry_after(Headers{}));
  CHECK_FALSE(retry_after(Headers{{"Retry-After", "soon"}}));
  // An HTTP-date in the past means "now"; one in the future gives the remaining time.
  CHECK(retry_after(Headers{{"Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"}}) == milliseconds(0));
  const auto later = std::chrono::system_clock::now() + std::chrono::seconds(30);
  const std::time_t t = std::chrono::system_clock::to_time_t(later);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&t));
  const auto d = retry_after(Headers{{"Retry-After", buf}});
  REQUIRE(d);
  CHECK(*d > milliseconds(27000));
  CHECK(*d <= milliseconds(30000));
}

TEST_CASE("subscription_of, is_write_method, percent_encode and api_version_for") {
  CHECK(subscription_of("https://h/subscriptions/ABC-1/resourceGroups/g?x=1") == "abc-1");
  CHECK(subscription_of("/subscriptions/abc") == "abc");
  CHECK(subscription_of("https://login/tenant/oauth2/v2.0/token").empty());
  CHECK(is_write_method("PUT"));
  CHECK(is_write_method("delete"));
  CHECK_FALSE(is_write_method("GET"));
  CHECK(percent_encode("a b/c=d&e~") == "a%20b%2Fc%3Dd%26e~");
  CHECK(api_version_for("/subscriptions/s/providers/Microsoft.BatchAI/workspaces") == std::string(kBatchAiApiVersion));
  CHECK(api_version_for("/subscriptions/s/resourceGroups/g/providers/microsoft.batchai/workspaces/w/clusters") ==
        std::string(kBatchAiApiVersion));
  CHECK(api_version_for("/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w") ==
        std::string(kAmlApiVersion));
  CHECK(api_version_for("/subscriptions/s/resourceGroups/g").empty());
}

TEST_CASE("error_from_response reads ARM, bare and OAuth error bodies, and survives garbage") {
  Response r;
  r.status = 409;
  r.request_id = "rid";
  r.body = R"({"error":{"code":"AnotherOperationInProgress","message":"busy"}})";
  auto e = error_from_response(r);
  CHECK(e.http_status == 409);
  CHECK(e.code == "AnotherOperationInProgress");
  CHECK(e.message == "busy");
  CHECK(e.retryable);
  CHECK(e.request_id == "rid");

  r.status = 400;
  r.body = R"({"code":"InvalidParameter","message":"bad vmSize"})";
  e = error_from_response(r);
  CHECK(e.code == "InvalidParameter");
  CHECK_FALSE(e.retryable);

  r.status = 401;
  r.body = R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret"})";
  e = error_from_response(r);
  CHECK(e.code == "invalid_client");
  CHECK(e.message.find("AADSTS7000215") != std::string::npos);

  r.status = 502;
  r.body = "<html>Bad Gateway</html>";
  e = error_from_response(r);
  CHECK(e.code.empty());
  CHECK(e.message.find("502") != std::string::npos);
  CHECK(e.message.find("Bad Gateway") != std::string::npos);
  CHECK(e.retryable);
}

TEST_CASE("error_from_response redacts credentials in messages and in the body snippet") {
  Response r;
  r.status = 400;
  r.body = R"({"error":{"code":"InvalidParameter","message":"bad 'AccountName=a;AccountKey=Leak1==;x'"}})";
  auto e = error_from_response(r);
  CHECK(e.message == "bad 'AccountName=a;AccountKey=***;x'");
  // Not JSON: the first 200 bytes are kept. The key straddles the cut, so it is redacted before.
  const std::string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  r.body = "<html>" + std::string(150, '.') + " key " + key + "</html>";
  e = error_from_response(r);
  CHECK(e.message.find("Eby8vdM02x") == std::string::npos);
  CHECK(e.message.find("key ***") != std::string::npos);
}

TEST_CASE("ARM error codes are classified as Azure Service Operator does") {
  CHECK(is_retryable_arm_code("Conflict", 409));
  CHECK(is_retryable_arm_code("AnotherOperationInProgress", 409));
  CHECK(is_retryable_arm_code("ResourceNotFound", 404));
  CHECK_FALSE(is_retryable_arm_code("InvalidParameter", 400));
  CHECK_FALSE(is_retryable_arm_code("BadRequest", 400));
  CHECK_FALSE(is_retryable_arm_code("PropertyChangeNotAllowed", 409));
  CHECK_FALSE(is_retryable_arm_code("SomethingNew", 400));
  CHECK(is_retryable_arm_code("SomethingNew", 503));
  CHECK_FALSE(is_retryable_arm_code("SomethingNew", 422));
  CHECK(is_retryable_arm_code("", 500));
  CHECK_FALSE(is_retryable_arm_code("", 400));
}

TEST_CASE("an operation token survives a JSON round trip - garbage is refused with a reason") {
  OperationToken t{OperationKind::Delete, "/subscriptions/s/x", "https://arm/op/1", "https://arm/loc/1", "arm-req-1"};
  auto back = OperationToken::from_json(t.to_json());
  REQUIRE(back);
  CHECK(back->kind == OperationKind::Delete);
  CHECK(back->resource_id == t.resource_id);
  CHECK(back->poll_url == t.poll_url);
  CHECK(back->location_url == t.location_url);
  CHECK(back->request_id == "arm-req-1");
  // Tokens journalled before they kept the write's request id still resume.
  auto older = OperationToken::from_json(R"({"kind":"PUT","resource_id":"/subscriptions/s/x","poll_url":"","location_url":""})");
  REQUIRE(older);
  CHECK(older->request_id.empty());
  std::string why;
  CHECK_FALSE(OperationToken::from_json("{\"kind\":\"GET\",\"resource_id\":\"x\",\"poll_url\":\"\",\"location_url\":\"\"}", &why));
  CHECK(why.find("GET") != std::string::npos);
  CHECK_FALSE(OperationToken::from_json("not json", &why));
}

TEST_CASE("load_inventory_file reads the sample inventory, ordered by kind and filtered by source") {
  bai2aml::config::Source source;
  source.subscription_id = "00000000-0000-0000-0000-000000000001";
  auto all = load_inventory_file(bai2aml::testing::source_dir() + "/config/sample-inventory.json", source);
  REQUIRE(all.ok());
  CHECK(all.value().resources.size() == 26);
  int last = -1;
  for (const auto& r : all.value().resources) {
    const int kind = static_cast<int>(bai2aml::config::parse_batchai_id(r["id"].get<std::string>()).kind);
    CHECK(kind >= last);
    last = kind;
  }
  source.resource_groups = {"NLP-RG"};  // matching is case-insensitive
  auto nlp = load_inventory_file(bai2aml::testing::source_dir() + "/config/sample-inventory.json", source);
  REQUIRE(nlp.ok());
  CHECK(!nlp.value().resources.empty());
  CHECK(nlp.value().resources.size() < 26);
  for (const auto& r : nlp.value().resources) CHECK(r["id"].get<std::string>().find("/nlp-rg/") != std::string::npos);
  source.resource_groups.clear();
  source.subscription_id = "99999999-0000-0000-0000-000000000000";
  auto other = load_inventory_file(bai2aml::testing::source_dir() + "/config/sample-inventory.json", source);
  REQUIRE(other.ok());
  CHECK(other.value().resources.empty());
}

TEST_CASE("load_inventory_file names the file and the bad entry") {
  TempDir dir;
  bai2aml::config::Source source;
  source.subscription_id = "s";
  const auto path = dir.file("inv.json");
  const std::string ws = "/subscriptions/s/resourceGroups/g/providers/Microsoft.BatchAI/workspaces/w";
  const auto message_for = [&](const std::string& content) {
    write_file(path, content);
    auto r = load_inventory_file(path, source);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().reason == SourceUnavailable::Reason::InvalidFile);
    CHECK(r.error().message.find(path) != std::string::npos);
    return r.error().message;
  };
  CHECK(message_for("{not json").find("not valid JSON") != std::string::npos);
  CHECK(message_for(R"({"items":[]})").find("\"resources\" array") != std::string::npos);
  CHECK(message_for(R"({"resources":[{"id":")" + ws + R"(","name":"w"}, 5]})").find("resources[1]") != std::string::npos);
  const auto noname = message_for(R"({"resources":[{"id":")" + ws + R"("}]})");
  CHECK(noname.find("resources[0] (id " + ws + ")") != std::string::npos);
  CHECK(noname.find("\"name\"") != std::string::npos);
  CHECK(message_for(R"({"resources":[{"id":")" + ws + R"(","name":"other"}]})").find("last segment") != std::string::npos);
  CHECK(message_for(R"({"resources":[{"id":"workspaces/w","name":"w"}]})").find("not an ARM resource id") != std::string::npos);
  CHECK(message_for(R"({"resources":[{"id":")" + ws + R"(/widgets/x","name":"x"}]})").find("not a Batch AI") != std::string::npos);
  CHECK(message_for(R"({"resources":[{"id":")" + ws + R"(/jobs/j","name":"j"}]})").find("not a Batch AI") != std::string::npos);
  // The translation tolerates a cluster without its workspace segment; a seed file may not hold one.
  const std::string orphan = "/subscriptions/s/resourceGroups/g/providers/Microsoft.BatchAI/clusters/c";
  CHECK(message_for(R"({"resources":[{"id":")" + orphan + R"(","name":"c"}]})").find("not a Batch AI") != std::string::npos);
  auto missing = load_inventory_file(dir.file("absent.json"), source);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("cannot be read") != std::string::npos);
}

TEST_CASE("load_inventory_file dates the snapshot by the file's modification time") {
  TempDir dir;
  const auto path = dir.file("inv.json");
  write_file(path, R"({"resources":[]})");
  const timespec times[2] = {{1546300800, 0}, {1546300800, 0}};  // 2019-01-01T00:00:00Z
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
  bai2aml::config::Source source;
  auto r = load_inventory_file(path, source);
  REQUIRE(r.ok());
  CHECK(std::chrono::system_clock::to_time_t(r.value().fetched_at) == 1546300800);
}

// issue 14: the 200-byte snippet of a body that is not JSON could cut a UTF-8 character in two (or
// carry Latin-1), and every strict JSON dump of the message downstream (status, plan --json, report
// --format json) then threw type_error.316.
TEST_CASE("error_from_response keeps a non-JSON body's snippet valid UTF-8", "[bounds]") {
  Response r;
  r.status = 502;
  r.body = std::string(199, 'x') + "\xE2\x82\xAC and more";  // the euro sign spans bytes 199..201
  auto e = error_from_response(r);
  CHECK_NOTHROW(nlohmann::json(e.message).dump());
  CHECK(e.message == "HTTP 502: " + std::string(199, 'x') + "?");
  r.body = "caf\xE9 \xFF\xC0\xAF \xED\xA0\x80 ok \xF0\x9F\x98\x80";  // Latin-1, junk, an overlong, a surrogate, an emoji
  e = error_from_response(r);
  CHECK_NOTHROW(nlohmann::json(e.message).dump());
  CHECK(e.message == "HTTP 502: caf? ??? ??? ok \xF0\x9F\x98\x80");
}

// issue 14: a deeply nested answer is refused by the depth limit rather than walked recursively.
TEST_CASE("error_from_response and the depth limit: a deeply nested body is not JSON to bai2aml", "[bounds]") {
  Response r;
  r.status = 500;
  r.body = std::string(100000, '[') + std::string(100000, ']');
  const auto e = error_from_response(r);
  CHECK(e.message.rfind("HTTP 500: [[[[", 0) == 0);
  CHECK(e.message.size() == std::string("HTTP 500: ").size() + 200);
  CHECK(bai2aml::config::parse_untrusted_json(std::string(64, '[') + std::string(64, ']')).ok());
  const auto deep = bai2aml::config::parse_untrusted_json("{\"a\":" + std::string(64, '[') + std::string(64, ']') + "}");
  CHECK(deep.error == "objects and arrays nested deeper than 64 levels");
  CHECK(deep.value.is_null());
}

// issue 14, found by emulator_request_fuzzer: nlohmann reports a number beyond double ("1e400") as
// out_of_range.406, not as a parse_error; the loaders caught only parse_error, so such a body,
// config or snapshot ended the process (std::terminate).
TEST_CASE("a number beyond double is a clear parse error, in every loader of untrusted JSON", "[bounds]") {
  const auto j = bai2aml::config::parse_untrusted_json("{\"nodeCount\": 922337201e3087}");
  REQUIRE_FALSE(j.ok());
  CHECK(j.error.find("number overflow") != std::string::npos);
  const auto inv = parse_inventory(std::string("{\"resources\": [1e400]}"), "snap.json", bai2aml::config::Source{});
  REQUIRE_FALSE(inv.ok());
  CHECK(inv.error().message.find("snap.json: not valid JSON") != std::string::npos);
}
