#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "translate/findings.hpp"

using namespace bai2aml::translate;

TEST_CASE("the findings catalogue: unique kebab-case codes, each with a remedy", "[findings]") {
  std::set<std::string> seen;
  const std::regex kebab("^[a-z0-9]+(-[a-z0-9]+)*$");
  for (const auto& k : finding_catalogue()) {
    INFO(k.code);
    CHECK(std::regex_match(std::string(k.code), kebab));
    CHECK(seen.insert(k.code).second);
    CHECK(std::string(k.remedy).size() > 10);
  }
  for (const char* required : {"node-setup-unsupported", "os-image-unsupported", "nfs-file-server", "job-secrets-dropped",
                               "job-preparation-prepended", "name-changed", "storage-key-missing", "ssh-credentials-missing"}) {
    CHECK(seen.count(required));
  }
}

TEST_CASE("make_finding takes severity and remedy from the catalogue and rejects unknown codes", "[findings]") {
  const Finding f = make_finding("nfs-file-server", "/id", "msg");
  CHECK(f.severity == Severity::Error);
  CHECK(f.source_id == "/id");
  CHECK(f.message == "msg");
  CHECK_FALSE(f.remedy.empty());
  CHECK(make_finding("name-changed", "/id", "m").severity == Severity::Info);
  CHECK_THROWS_AS(make_finding("no-such-code", "/id", "m"), std::logic_error);
}

TEST_CASE("kinds and severities round-trip through their names", "[model]") {
  for (Kind k : {Kind::Workspace, Kind::Datastore, Kind::Compute, Kind::EnvironmentContainer, Kind::EnvironmentVersion, Kind::Job}) {
    Kind back{};
    REQUIRE(kind_from_string(to_string(k), back));
    CHECK(back == k);
  }
  Kind k{};
  CHECK_FALSE(kind_from_string("cluster", k));
  CHECK(std::string(to_string(Severity::Warning)) == "warning");
}
