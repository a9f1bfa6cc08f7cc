// Pure validators: names and bodies per spec, without HTTP.
#include <catch2/catch.hpp>

#include "emulator/body_checker.hpp"
#include "emulator/validators.hpp"

using namespace bai2aml::emulator;
using nlohmann::json;

TEST_CASE("AML compute names follow the 3-24 letters/digits/'-' rule") {
  CHECK(is_valid_aml_compute_name("gpu-cluster"));
  CHECK(is_valid_aml_compute_name("abc"));
  CHECK(is_valid_aml_compute_name("a23456789012345678901234"));
  CHECK_FALSE(is_valid_aml_compute_name("ab"));                          // too short
  CHECK_FALSE(is_valid_aml_compute_name("a234567890123456789012345"));  // 25
  CHECK_FALSE(is_valid_aml_compute_name("1gpu"));                        // starts with a digit
  CHECK_FALSE(is_valid_aml_compute_name("gpu_cluster"));                 // underscore
  CHECK_FALSE(is_valid_aml_compute_name("gpu-1"));                       // '-' not followed by a letter
  CHECK(is_valid_aml_compute_name("gpu-1a"));
  CHECK(validate_name(KindId::AmlCompute, "gpu-1")->code == kInvalidResourceName);
  CHECK_FALSE(validate_name(KindId::AmlWorkspace, "ws1"));
  CHECK(validate_name(KindId::AmlWorkspace, "w"));
  CHECK(validate_name(KindId::BatchAICluster, "bad name"));
}

TEST_CASE("AmlCompute body validation names the offending property") {
  json ok = {{"location", "eastus"},
             {"properties",
              {{"computeType", "AmlCompute"},
               {"properties", {{"vmSize", "Standard_NC6"}, {"scaleSettings", {{"maxNodeCount", 2}}}}}}}};
  CHECK_FALSE(validate_put(KindId::AmlCompute, ok));
  json bad = ok;
  bad["properties"]["properties"]["osType"] = "Solaris";
  auto e = validate_put(KindId::AmlCompute, bad);
  REQUIRE(e);
  CHECK(e->status == 400);
  CHECK(e->code == kInvalidParameter);
  CHECK(e->message.find("properties.properties.osType") != std::string::npos);
  bad = ok;
  bad["properties"]["properties"]["subnet"] = json::object();
  e = validate_put(KindId::AmlCompute, bad);
  REQUIRE(e);
  CHECK(e->code == kMissingRequiredProperty);
  CHECK(e->message.find("subnet.id") != std::string::npos);
  bad = ok;
  bad.erase("properties");
  CHECK(validate_put(KindId::AmlCompute, bad)->code == kMissingRequiredProperty);
}

TEST_CASE("immutable compute fields: defaults count, case of vmSize does not, secrets are never echoed") {
  json before = {{"properties",
                  {{"properties",
                    {{"vmSize", "Standard_NC6"},
                     {"userAccountCredentials", {{"adminUserName", "u"}, {"adminUserPassword", "old-pw"}}}}}}}};
  json after = before;
  after["properties"]["properties"]["vmSize"] = "STANDARD_NC6";
  after["properties"]["properties"]["vmPriority"] = "Dedicated";  // the default, spelled out
  CHECK_FALSE(validate_replace(KindId::AmlCompute, before, after));
  after["properties"]["properties"]["userAccountCredentials"]["adminUserPassword"] = "new-pw";
  auto e = validate_replace(KindId::AmlCompute, before, after);
  REQUIRE(e);
  CHECK(e->status == 409);
  CHECK(e->code == kPropertyChangeNotAllowed);
  CHECK(e->message.find("old-pw") == std::string::npos);
  CHECK(e->message.find("new-pw") == std::string::npos);
}

TEST_CASE("compute PATCH carries scaleSettings only") {
  CHECK_FALSE(validate_patch(KindId::AmlCompute, json::parse(R"({"properties":{"properties":{"scaleSettings":{"maxNodeCount":3}}}})")));
  CHECK(validate_patch(KindId::AmlCompute, json::parse(R"({"properties":{"properties":{"scaleSettings":{"maxNodeCount":3},"vmPriority":"Dedicated"}}})")));
  CHECK(validate_patch(KindId::AmlCompute, json::parse(R"({"properties":{"description":"x"}})")));
}

TEST_CASE("datastores: AzureFile needs account and share - AzureBlob allows no unknown keys") {
  json file = json::parse(R"({"properties":{"datastoreType":"AzureFile","accountName":"a","fileShareName":"s",
    "credentials":{"credentialsType":"AccountKey","secrets":{"secretsType":"AccountKey","key":"k"}}}})");
  CHECK_FALSE(validate_put(KindId::AmlDatastore, file));
  json blob = json::parse(R"({"properties":{"datastoreType":"AzureBlob","accountName":"a","containerName":"c",
    "credentials":{"credentialsType":"None"}}})");
  CHECK_FALSE(validate_put(KindId::AmlDatastore, blob));
  blob["properties"]["fileShareName"] = "s";
  CHECK(validate_put(KindId::AmlDatastore, blob)->message.find("fileShareName") != std::string::npos);
  file["properties"]["credentials"]["credentialsType"] = "Password";
  CHECK(validate_put(KindId::AmlDatastore, file)->message.find("credentialsType") != std::string::npos);
}

TEST_CASE("jobs: same definition is no change, another definition conflicts") {
  json job = json::parse(R"({"properties":{"jobType":"Command","command":"python a.py","environmentId":"e"}})");
  CHECK_FALSE(validate_put(KindId::AmlJob, job));
  json stored = job;
  stored["properties"]["status"] = "Running";
  stored["properties"]["experimentName"] = "Default";
  CHECK_FALSE(validate_replace(KindId::AmlJob, stored, job));
  json other = job;
  other["properties"]["command"] = "python b.py";
  auto e = validate_replace(KindId::AmlJob, stored, other);
  REQUIRE(e);
  CHECK(e->status == 409);
  CHECK(e->message.find("command") != std::string::npos);
}

TEST_CASE("ISO-8601 durations") {
  CHECK(is_iso8601_duration("PT5M"));
  CHECK(is_iso8601_duration("P1DT2H"));
  CHECK(is_iso8601_duration("PT0.5S"));
  CHECK_FALSE(is_iso8601_duration("PT"));
  CHECK_FALSE(is_iso8601_duration("5M"));
  CHECK_FALSE(is_iso8601_duration("P1DT"));
}

// Found by emulator_request_fuzzer (`{"properties": 23}` replacing an environment version ended in
// nlohmann::type_error and std::terminate): a stored resource may hold anything, and a PUT over it is
// judged before its body is, so every replace rule must take any JSON on either side.
TEST_CASE("PUT over a stored resource: properties of another type on either side never throw", "[bounds]") {
  const KindId kinds[] = {KindId::AmlCompute, KindId::AmlWorkspace, KindId::AmlEnvironmentVersion, KindId::AmlJob};
  const json shapes[] = {json::parse(R"({"properties":23})"), json::parse(R"({"properties":"x"})"),
                         json::parse(R"({"properties":[1,2]})"), json::parse(R"({"properties":null})"),
                         json::parse(R"({"properties":{"image":7,"command":[]}})"), json::parse("23"),
                         json::parse("[]"), json::object()};
  for (KindId kind : kinds)
    for (const json& existing : shapes)
      for (const json& body : shapes) {
        INFO(kind_info(kind).arm_type() << " existing " << existing.dump() << " body " << body.dump());
        CHECK_NOTHROW(validate_replace(kind, existing, body));
      }
}
