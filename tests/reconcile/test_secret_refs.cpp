// $secretFile in observed data is inert (issue 14, item 4): the diff leaves it out of what it plans,
// with a finding, and the resolver reads files only at the pointers the translator places.
#include <catch2/catch.hpp>

#include <algorithm>

#include "fixtures.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/body_hash.hpp"
#include "reconcile/diff.hpp"
#include "reconcile/secret_resolver.hpp"
#include "tests/support/support.hpp"

using namespace bai2aml;
using namespace bai2aml::reconcile;
using namespace bai2aml::reconcile::fixtures;
using translate::Kind;

TEST_CASE("an observed tag holding a secretFile reference is left out of the update, with a finding") {
  const auto d = desired(Kind::Datastore, kDatastore, desired_datastore_body());
  json live = d.body;
  live["properties"]["fileShareName"] = "edited-by-hand";  // drift, so a PUT with the merged tags follows
  live["properties"]["tags"]["note"] = translate::secret_file_ref("/run/credentials/bai2aml/client-secret");
  live["properties"]["tags"]["team"] = "vision";
  DiffInputs in;
  in.last_applied_hash[d.id] = body_hash(d.body);
  const Plan plan = diff({d}, {observed(Kind::Datastore, kDatastore, live)}, in);
  REQUIRE(plan.actions.size() == 1);
  const Action& a = plan.actions[0];
  CHECK(a.kind == ActionKind::Update);
  CHECK(a.method == "PUT");
  CHECK(a.body["properties"]["tags"].count("note") == 0);
  CHECK(a.body["properties"]["tags"]["team"] == "vision");  // other tags are still kept
  CHECK(a.body["properties"]["credentials"] == d.body["properties"]["credentials"]);  // the translator's own ref stays
  const auto f = std::find_if(plan.findings.begin(), plan.findings.end(),
                              [](const translate::Finding& x) { return x.code == "secret-reference-ignored"; });
  REQUIRE(f != plan.findings.end());
  CHECK(f->severity == translate::Severity::Warning);
  CHECK(f->message.find("/properties/tags/note") != std::string::npos);
}

TEST_CASE("the resolver reads files only at the translator's pointers and refuses a body with a stray") {
  testing::TempDir dir;
  testing::write_file(dir.file("key"), "account-key\n");
  testing::write_file(dir.file("other"), "not-to-be-read\n");
  json body = desired_datastore_body();
  body["properties"]["credentials"]["secrets"]["key"] = translate::secret_file_ref(dir.file("key"));

  std::string error;
  const auto resolved = resolve_secret_refs(Kind::Datastore, body, &error);
  REQUIRE(resolved);
  CHECK((*resolved)["properties"]["credentials"]["secrets"]["key"] == "account-key");

  body["properties"]["tags"]["note"] = translate::secret_file_ref(dir.file("other"));
  CHECK_FALSE(resolve_secret_refs(Kind::Datastore, body, &error));
  CHECK(error.find("/properties/tags/note") != std::string::npos);
  CHECK(error.find("not-to-be-read") == std::string::npos);

  // The datastore's pointer means nothing for another kind.
  json job = desired_job_body();
  job["properties"]["credentials"] = {{"secrets", {{"key", translate::secret_file_ref(dir.file("key"))}}}};
  CHECK_FALSE(resolve_secret_refs(Kind::Job, job, &error));
}
