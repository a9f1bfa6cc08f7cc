#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "reconcile/body_hash.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/normalize.hpp"

using namespace bai2aml::reconcile;
using namespace bai2aml::reconcile::fixtures;
using bai2aml::translate::Kind;

TEST_CASE("durations compare by length - ISO-8601 or TimeSpan") {
  struct Row {
    std::string text;
    std::optional<double> seconds;
  };
  const std::vector<Row> rows = {
      {"PT120S", 120}, {"PT2M", 120}, {"pt2m", 120}, {"PT1H30M", 5400}, {"P1DT1S", 86401}, {"P2D", 172800},
      {"PT0.5S", 0.5}, {"00:02:00", 120}, {"1.00:00:01", 86401}, {"00:00:01.5", 1.5},
      {"P1M", std::nullopt},   // months have no fixed length
      {"P1Y", std::nullopt},   {"PT", std::nullopt}, {"P", std::nullopt}, {"PTXS", std::nullopt},
      {"PT5", std::nullopt},   {"2 minutes", std::nullopt}, {"", std::nullopt}, {"00:61:00", std::nullopt},
      {"P1DT", std::nullopt},
  };
  for (const auto& row : rows) {
    INFO(row.text);
    CHECK(duration_seconds(row.text) == row.seconds);
  }
}

TEST_CASE("normalize drops server-populated fields - nulls and secrets - and canonicalizes values") {
  const json served = as_served(Kind::Compute, kCompute, desired_compute_body());
  const json n = normalize(Kind::Compute, served);
  CHECK_FALSE(n.contains("id"));
  CHECK_FALSE(n.contains("name"));
  CHECK_FALSE(n.contains("type"));
  CHECK_FALSE(n.contains("systemData"));
  CHECK_FALSE(n["properties"].contains("provisioningState"));
  CHECK_FALSE(n["properties"].contains("createdOn"));
  const json& pp = n["properties"]["properties"];
  CHECK_FALSE(pp.contains("nodeStateCounts"));
  CHECK_FALSE(pp.contains("allocationState"));
  CHECK_FALSE(pp.contains("currentNodeCount"));
  CHECK_FALSE(pp.contains("errors"));  // null and server-populated
  CHECK(pp["vmSize"] == "standard_nc6");
  CHECK(pp["vmPriority"] == "dedicated");
  CHECK(pp["scaleSettings"]["nodeIdleTimeBeforeScaleDown"] == "PT120S");
  CHECK(pp["subnet"]["id"] == bai2aml::reconcile::id_key(kRg + "/providers/Microsoft.Network/virtualNetworks/vn/subnets/default"));

  const json d = normalize(Kind::Compute, desired_compute_body());
  // The secret reference is gone; the user name stays.
  CHECK(d["properties"]["properties"]["userAccountCredentials"] == json{{"adminUserName", "azureuser"}});
  CHECK(d["location"] == "eastus");
  CHECK(normalize(Kind::Workspace, json{{"location", "East US 2"}})["location"] == "eastus2");

  // A job's status and services are the server's; free text keeps its case.
  const json job = normalize(Kind::Job, as_served(Kind::Job, kJob, desired_job_body()));
  CHECK_FALSE(job["properties"].contains("status"));
  CHECK_FALSE(job["properties"].contains("services"));
  CHECK(job["properties"]["command"] == "python train.py");
  CHECK(job["properties"]["experimentName"] == "exp1");

  // Datastore secrets: the key reference and a literal key both disappear; the type stays.
  json ds = desired_datastore_body();
  CHECK(normalize(Kind::Datastore, ds)["properties"]["credentials"]["secrets"] == json{{"secretsType", "accountkey"}});
  ds["properties"]["credentials"]["secrets"]["key"] = "literal";
  CHECK(normalize(Kind::Datastore, ds)["properties"]["credentials"]["secrets"] == json{{"secretsType", "accountkey"}});

  // A "status" deeper than properties (workspace encryption) is user data, compared case-insensitively.
  const json enc = normalize(Kind::Workspace, json{{"properties", {{"encryption", {{"status", "Enabled"}}}}}});
  CHECK(enc["properties"]["encryption"]["status"] == "enabled");

  // Odd input never throws.
  CHECK(normalize(Kind::Compute, json(nullptr)) == json::object());
  CHECK(normalize(Kind::Compute, json::array({1, 2})) == json::object());
}

TEST_CASE("a converged resource has no differences - for every kind - despite server noise") {
  struct Row {
    Kind kind;
    std::string id;
    json body;
  };
  const std::vector<Row> rows = {
      {Kind::Workspace, kWs, desired_workspace_body()},
      {Kind::Compute, kCompute, desired_compute_body()},
      {Kind::Datastore, kDatastore, desired_datastore_body()},
      {Kind::EnvironmentContainer, kEnv, desired_environment_body()},
      {Kind::EnvironmentVersion, kEnvVersion, desired_environment_version_body()},
      {Kind::Job, kJob, desired_job_body()},
  };
  for (const auto& row : rows) {
    INFO(kind_label(row.kind));
    const json served = as_served(row.kind, row.id, row.body);
    CHECK(served != row.body);  // the noise is really there
    CHECK(differences(normalize(row.kind, row.body), normalize(row.kind, served)).empty());
  }
}

TEST_CASE("differences name the paths that differ") {
  const json want = normalize(Kind::Compute, desired_compute_body());
  json got_body = as_served(Kind::Compute, kCompute, desired_compute_body());

  SECTION("a scalar") {
    got_body["properties"]["properties"]["scaleSettings"]["maxNodeCount"] = 8;
    CHECK(differences(want, normalize(Kind::Compute, got_body)) ==
          std::vector<std::string>{"/properties/properties/scaleSettings/maxNodeCount"});
  }
  SECTION("a field the server dropped") {
    got_body["properties"]["properties"].erase("subnet");
    CHECK(differences(want, normalize(Kind::Compute, got_body)) ==
          std::vector<std::string>{"/properties/properties/subnet"});
  }
  SECTION("a changed tag, while an extra tag is not a difference") {
    got_body["tags"]["bai2aml-source"] = "elsewhere";
    got_body["tags"]["cost-center"] = "42";
    CHECK(differences(want, normalize(Kind::Compute, got_body)) == std::vector<std::string>{"/tags/bai2aml-source"});
  }
  SECTION("write-only credentials omitted entirely are not a difference; a different user name is") {
    got_body["properties"]["properties"].erase("userAccountCredentials");
    CHECK(differences(want, normalize(Kind::Compute, got_body)).empty());
    got_body["properties"]["properties"]["userAccountCredentials"] = {{"adminUserName", "root"}};
    CHECK(differences(want, normalize(Kind::Compute, got_body)) ==
          std::vector<std::string>{"/properties/properties/userAccountCredentials/adminUserName"});
  }
  SECTION("arrays compare element by element; a different length is one difference") {
    const json a = {{"xs", {1, 2}}};
    CHECK(differences(a, json{{"xs", {1, 2}}}).empty());
    CHECK(differences(a, json{{"xs", {1, 3}}}) == std::vector<std::string>{"/xs/1"});
    CHECK(differences(a, json{{"xs", {1}}}) == std::vector<std::string>{"/xs"});
    CHECK(differences(a, json{{"xs", "1,2"}}) == std::vector<std::string>{"/xs"});
  }
  SECTION("numbers compare by value; keys with '/' are escaped") {
    CHECK(differences(json{{"n", 1}}, json{{"n", 1.0}}).empty());
    CHECK(differences(json{{"a/b", 1}}, json{{"a/b", 2}}) == std::vector<std::string>{"/a~1b"});
  }
}

TEST_CASE("body_hash is deterministic and sensitive to content - not to key order") {
  const json a = json::parse(R"({"a":1,"b":{"c":"x"}})");
  const json b = json::parse(R"({"b":{"c":"x"},"a":1})");
  CHECK(body_hash(a) == body_hash(b));
  CHECK(body_hash(a).size() == 16);
  CHECK(body_hash(a) != body_hash(json::parse(R"({"a":2,"b":{"c":"x"}})")));
  CHECK(body_hash(json("\xff\xfe")).size() == 16);  // invalid UTF-8 does not throw
}
