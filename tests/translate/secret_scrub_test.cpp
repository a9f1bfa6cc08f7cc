#include <catch2/catch.hpp>

#include "tests/support/support.hpp"
#include "translate/secret_ref.hpp"
#include "translate/secret_scrub.hpp"

using namespace bai2aml::translate;
using nlohmann::json;

TEST_CASE("scrub_secrets removes every Batch AI secret and keeps Key Vault references", "[scrub]") {
  const json kv = {{"sourceVault", {{"id", "/kv"}}}, {"secretUrl", "https://kv.vault.azure.net/secrets/s"}};
  const json cluster = {
      {"id", "/x/clusters/c"},
      {"properties",
       {{"userAccountSettings", {{"adminUserName", "admin"}, {"adminUserPassword", "SECRET-pw"}, {"adminUserSshPublicKey", "SECRET-ssh"}}},
        {"nodeSetup",
         {{"setupTask", {{"commandLine", "x"}, {"secrets", json::array({{{"name", "T"}, {"value", "SECRET-setup"}}})}}},
          {"mountVolumes",
           {{"azureFileShares", json::array({{{"accountName", "a"}, {"credentials", {{"accountKey", "SECRET-key"}}}}})},
            {"azureBlobFileSystems", json::array({{{"accountName", "b"}, {"credentials", {{"accountKeySecretReference", kv}}}}})}}},
          {"performanceCountersSettings", {{"appInsightsReference", {{"component", {{"id", "/ai"}}}, {"instrumentationKey", "SECRET-ikey"}}}}}}}}}};
  const json job = {{"id", "/x/jobs/j"},
                    {"properties",
                     {{"secrets", json::array({{{"name", "A"}, {"value", "SECRET-env"}}, {{"name", "B"}, {"valueSecretReference", kv}}})},
                      {"containerSettings", {{"imageSourceRegistry", {{"image", "i"}, {"credentials", {{"username", "u"}, {"password", "SECRET-reg"}}}}}}},
                      {"environmentVariables", json::array({{{"name", "PLAIN"}, {"value", "visible"}}})}}}};
  const json fs = {{"id", "/x/fileServers/f"},
                   {"properties", {{"sshConfiguration", {{"userAccountSettings", {{"adminUserName", "a"}, {"adminUserPassword", "SECRET-fs"}}}}}}}};
  for (const json& r : {cluster, job, fs}) {
    const json s = scrub_secrets(r);
    INFO(s.dump());
    CHECK(s.dump().find("SECRET-") == std::string::npos);
    CHECK(s["id"] == r["id"]);
  }
  const json sc = scrub_secrets(cluster);
  CHECK(sc["properties"]["userAccountSettings"]["adminUserName"] == "admin");
  CHECK(sc["properties"]["nodeSetup"]["mountVolumes"]["azureBlobFileSystems"][0]["credentials"]["accountKeySecretReference"] == kv);
  const json sj = scrub_secrets(job);
  CHECK(sj["properties"]["secrets"][0] == json{{"name", "A"}});
  CHECK(sj["properties"]["secrets"][1]["valueSecretReference"] == kv);
  CHECK(sj["properties"]["environmentVariables"][0]["value"] == "visible");
  CHECK(scrub_secrets(job)["properties"]["containerSettings"]["imageSourceRegistry"]["credentials"] == json{{"username", "u"}});
}

TEST_CASE("scrub_secrets removes AML x-ms-secret properties and keeps $secretFile references", "[scrub]") {
  const json datastore = {{"properties",
                           {{"datastoreType", "AzureFile"},
                            {"credentials", {{"credentialsType", "AccountKey"}, {"secrets", {{"secretsType", "AccountKey"}, {"key", "SECRET-k"}}}}}}}};
  const json sp = {{"properties",
                    {{"credentials",
                      {{"credentialsType", "ServicePrincipal"}, {"clientId", "c"}, {"tenantId", "t"},
                       {"secrets", {{"secretsType", "ServicePrincipal"}, {"clientSecret", "SECRET-cs"}}}}}}}};
  const json compute = {{"properties",
                         {{"properties",
                           {{"userAccountCredentials",
                             {{"adminUserName", "a"}, {"adminUserPassword", "SECRET-p"}, {"adminUserSshPublicKey", "SECRET-s"}}}}}}}};
  for (const json& r : {datastore, sp, compute}) CHECK(scrub_secrets(r).dump().find("SECRET-") == std::string::npos);
  CHECK(scrub_secrets(datastore)["properties"]["credentials"]["secrets"] == json{{"secretsType", "AccountKey"}});
  CHECK(scrub_secrets(sp)["properties"]["credentials"]["clientId"] == "c");
  const json desired = {{"properties",
                         {{"credentials", {{"credentialsType", "AccountKey"},
                                           {"secrets", {{"secretsType", "AccountKey"}, {"key", secret_file_ref("/creds/k")}}}}}}}};
  CHECK(scrub_secrets(desired) == desired);
  const json ref_compute = {{"properties", {{"properties", {{"userAccountCredentials", {{"adminUserName", "a"}, {"adminUserPassword", secret_file_ref("/p")}}}}}}}};
  CHECK(scrub_secrets(ref_compute) == ref_compute);
}

TEST_CASE("scrub_secrets on the spec's PutCluster example leaves no key, password or SSH key", "[scrub][spec]") {
  const std::string path = bai2aml::testing::specs_dir() +
                           "/batchai/resource-manager/Microsoft.BatchAI/stable/2018-05-01/examples/PutCluster.json";
  const json body = json::parse(bai2aml::testing::read_file(path))["parameters"]["parameters"];
  const std::string s = scrub_secrets(body).dump();
  CHECK(s.find("admin_user_password") == std::string::npos);
  CHECK(s.find("ssh-rsa") == std::string::npos);
  CHECK(s.find("accountKey") == std::string::npos);
  CHECK(s.find("admin_user_name") != std::string::npos);
}

TEST_CASE("scrub_secrets redacts the free text only findings quote and keeps job commands", "[scrub]") {
  const json cluster = {
      {"id", "/x/clusters/c"},
      {"properties",
       {{"nodeSetup",
         {{"setupTask", {{"commandLine", "export DB_PASSWORD=SECRET-setup && ./start.sh"}}},
          {"mountVolumes",
           {{"unmanagedFileSystems",
             json::array({{{"mountCommand", "mount -t cifs //h/s /m -o password=SECRET-mount"}, {"relativeMountPath", "m"}}})}}}}}}}};
  const json job = {{"id", "/x/jobs/j"},
                    {"properties",
                     {{"jobPreparation", {{"commandLine", "run --password kept-prep"}}},
                      {"customToolkitSettings", {{"commandLine", "run --password kept-cmd"}}}}}};
  const json sc = scrub_secrets(cluster);
  CHECK(sc.dump().find("SECRET-") == std::string::npos);
  CHECK(sc["properties"]["nodeSetup"]["setupTask"]["commandLine"] == "export DB_PASSWORD=*** && ./start.sh");
  CHECK(sc["properties"]["nodeSetup"]["mountVolumes"]["unmanagedFileSystems"][0]["mountCommand"] ==
        "mount -t cifs //h/s /m -o password=***");
  // A job's command line is the AML job's command: AML must run it as written.
  CHECK(scrub_secrets(job) == job);
}

TEST_CASE("holds_secret_members is false only where scrub_secrets changes nothing", "[scrub]") {
  // Each resource whose scrub changes it is flagged; and each one scrubbed is left alone by a second scrub.
  const json kv = {{"sourceVault", {{"id", "/kv"}}}, {"secretUrl", "https://kv.vault.azure.net/secrets/s"}};
  const std::vector<json> secretive = {
      {{"properties", {{"userAccountSettings", {{"adminUserPassword", "p"}}}}}},
      {{"properties", {{"ADMINUSERPASSWORD", "p"}}}},
      {{"properties", {{"secrets", json::array({{{"name", "A"}, {"value", "v"}}})}}}},
      {{"properties", {{"nodeSetup", {{"setupTask", {{"commandLine", "export PASSWORD=x"}}}}}}}},
      {{"properties", {{"m", json::array({{{"mountCommand", "mount -o password=x"}}})}}}},
      {{"properties", {{"keys", {{"primaryKey", "k"}}}}}},
      {{"properties", {{"credentials", {{"secrets", {{"secretsType", "AccountKey"}, {"key", "k"}}}}}}}},
      {{"properties", {{"sslConfiguration", {{"cert", "c"}}}}}},
  };
  for (const auto& r : secretive) {
    INFO(r.dump());
    CHECK(holds_secret_members(r));
  }
  const std::vector<json> plain = {
      {{"id", "/x/jobs/j"}, {"properties", {{"customToolkitSettings", {{"commandLine", "run --password kept"}}}}}},
      {{"id", "/x/clusters/c"}, {"properties", {{"vmSize", "STANDARD_NC6"}, {"scaleSettings", {{"manual", {{"targetNodeCount", 1}}}}}}}},
      {{"properties", {{"credentials", {{"accountKeySecretReference", kv}}}}}},
      json::array({1, "two", nullptr}),
  };
  for (const auto& r : plain) {
    INFO(r.dump());
    CHECK_FALSE(holds_secret_members(r));
    CHECK(scrub_secrets(r) == r);
  }
}
