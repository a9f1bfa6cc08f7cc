// Never run a job twice, never delete the migrated estate (issue 12), end to end: the real bai2aml
// against the real emulator. One test per scenario: same-named jobs whose selection changes, Batch AI
// emptying under a healthy API (before and after the cutoff), a mass disappearance held then
// confirmed, retire_source with counterparts that prove no migration, a job's datastore kept while
// its AML job is queued, and two instances sharing a target resource group.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "tests/e2e/e2e_fixture.hpp"

using namespace bai2aml::testing;
using nlohmann::json;

namespace {

const std::string kSourceSub = "/subscriptions/00000000-0000-0000-0000-000000000001/";
const std::string kVisionWs =
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/research-rg/providers/Microsoft.BatchAI/workspaces/vision-ws";
const std::string kNlpWs =
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/nlp-rg/providers/Microsoft.BatchAI/workspaces/NLP_Workspace";
const std::string kAmlRg = "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/aml-migrated/";

json resource(const EmulatorProcess& emulator, const std::string& id) {
  for (const auto& r : emulator.resources(id))
    if (lower(r["id"].get<std::string>()) == lower(id)) return r;
  return nullptr;
}

CommandResult apply(const E2eBench& bench, int timeout = 60) {
  auto r = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", std::to_string(timeout)});
  INFO(r.err.substr(r.err.size() > 3000 ? r.err.size() - 3000 : 0));
  CHECK(r.exit_code == 0);
  return r;
}

// The AML counterpart of kind `kind` of the Batch AI resource whose id ends with `suffix`.
std::string counterpart(const json& rep, const std::string& suffix, const std::string& kind) {
  for (const auto& e : rep["resources"]) {
    const std::string id = e["source_id"];
    if (lower(id).size() < lower(suffix).size() || lower(id).substr(id.size() - suffix.size()) != lower(suffix)) continue;
    for (const auto& a : e["aml"])
      if (a["kind"] == kind) return a["id"];
  }
  return "";
}

// Every finding of the report with this code, as "source_id: message" lines.
std::vector<std::string> findings_with(const json& rep, const std::string& code) {
  std::vector<std::string> out;
  for (const auto& e : rep["resources"])
    for (const auto& f : e["findings"])
      if (f["code"] == code) out.push_back(e["source_id"].get<std::string>() + ": " + f["message"].get<std::string>());
  return out;
}

std::string tag(const json& r, const std::string& name) {
  const json& tags = r.contains("tags") ? r["tags"] : r["properties"]["tags"];
  return tags.is_object() ? tags.value(name, "") : "";
}

// The Batch AI resources under a prefix are deleted, children first (as a cleanup by hand would).
void delete_source_under(const EmulatorProcess& emulator, const std::string& prefix) {
  auto all = emulator.resources(prefix);
  std::vector<std::string> ids;
  for (const auto& r : all) ids.push_back(r["id"]);
  std::sort(ids.begin(), ids.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& id : ids) emulator.delete_resource(id);
}

long requests(const EmulatorProcess& emulator, const char* method) { return emulator.stats()["requests"].value(method, 0L); }

void set_execution_state(const EmulatorProcess& emulator, const std::string& id, const std::string& state) {
  auto job = resource(emulator, id);
  REQUIRE(job.is_object());
  job["properties"]["executionState"] = state;
  emulator.put_resource(job);
}

// A queued job `name` in a new experiment `experiment` of vision-ws, a copy of resnet-pytorch.
void add_job(json& seed, const std::string& experiment, const std::string& name) {
  json exp, job;
  for (const auto& r : seed["resources"]) {
    const std::string id = r["id"];
    if (id == kVisionWs + "/experiments/resnet") exp = r;
    if (id == kVisionWs + "/experiments/resnet/jobs/resnet-pytorch") job = r;
  }
  REQUIRE(job.is_object());
  exp["id"] = kVisionWs + "/experiments/" + experiment;
  exp["name"] = experiment;
  job["id"] = kVisionWs + "/experiments/" + experiment + "/jobs/" + name;
  job["name"] = name;
  job["properties"]["executionState"] = "queued";
  bool have_exp = false;
  for (const auto& r : seed["resources"]) have_exp = have_exp || r["id"] == exp["id"];
  if (!have_exp) seed["resources"].push_back(exp);
  seed["resources"].push_back(job);
}

// AML jobs whose name starts with `prefix`, by their bai2aml-source tag.
std::map<std::string, std::string> aml_jobs_named(const EmulatorProcess& emulator, const std::string& prefix) {
  std::map<std::string, std::string> out;
  for (const auto& r : emulator.resources(kAmlRg))
    if (contains_ci(r["id"], "/jobs/") && lower(r["name"].get<std::string>()).rfind(prefix, 0) == 0)
      out[r["name"]] = tag(r, "bai2aml-source");
  return out;
}

}  // namespace

TEST_CASE("identity: same-named jobs keep their names and run once while the selection changes") {
  json seed = json::parse(sample_seed_with_ample_quota());
  add_job(seed, "e1", "train");
  add_job(seed, "e2", "train");
  EmulatorProcess emulator(seed.dump(), {"--lro-ms", "50"});
  E2eBench bench(emulator);
  apply(bench);
  const auto first = aml_jobs_named(emulator, "train");
  INFO("after the first apply: " << json(first).dump());
  REQUIRE(first.size() == 2);

  // e2/train starts running in Batch AI: it leaves the selection (mapping.jobs: queued).
  set_execution_state(emulator, kVisionWs + "/experiments/e2/jobs/train", "running");
  emulator.reset_stats();
  apply(bench);
  const auto second = aml_jobs_named(emulator, "train");
  INFO("after e2/train started: " << json(second).dump());
  CHECK(requests(emulator, "PUT") == 0);
  CHECK(second == first);

  // e1/train runs too, and e3/train is queued: it is a new job, submitted under a name of its own.
  set_execution_state(emulator, kVisionWs + "/experiments/e1/jobs/train", "running");
  add_job(seed, "e3", "train");
  for (const auto& r : seed["resources"])
    if (contains_ci(r["id"], "/experiments/e3")) emulator.put_resource(r);
  emulator.reset_stats();
  apply(bench);
  const auto third = aml_jobs_named(emulator, "train");
  INFO("after e3/train was queued: " << json(third).dump());
  CHECK(third.size() == 3);  // one new job (shared datastores/environments may be retagged: no job)
  for (const auto& [name, source] : first) CHECK(third.count(name) == 1);
  std::set<std::string> sources;
  for (const auto& [name, source] : third) sources.insert(lower(source));
  CHECK(sources.size() == 3);
  CHECK(sources.count(lower(kVisionWs + "/experiments/e3/jobs/train")) == 1);
}

TEST_CASE("guarded deletion: Batch AI emptying under a healthy API prunes nothing - before or after the cutoff") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "50"});
  E2eBench bench(emulator);
  apply(bench);
  const auto aml_before = aml_resource_ids(emulator);
  delete_source_under(emulator, kSourceSub);  // the API still answers 200, and lists no workspace
  REQUIRE(emulator.resources(kSourceSub).empty());

  SECTION("before the cutoff: every prune is held, with an error finding naming the count") {
    emulator.reset_stats();
    apply(bench);
    CHECK(requests(emulator, "DELETE") == 0);
    CHECK(aml_resource_ids(emulator) == aml_before);
    const auto held = findings_with(report(bench), "prune-held");
    INFO(json(held).dump());
    REQUIRE(held.size() == 1);
    CHECK(contains_ci(held.front(), "26 Batch AI resources"));
    CHECK(bench.status()["findings"]["error"].get<int>() >= 1);
  }
  SECTION("after the cutoff: the stored snapshot is the truth, nothing is pruned") {
    auto cfg = bench.config_json();
    cfg["cutoff"] = "2026-01-01T00:00:00Z";
    bench.write_config(cfg);
    emulator.reset_stats();
    apply(bench);
    apply(bench);
    CHECK(requests(emulator, "DELETE") == 0);
    CHECK(aml_resource_ids(emulator) == aml_before);
  }
}

TEST_CASE("guarded deletion: a mass disappearance is held until bai2aml prune --confirm and never takes the workspace") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "50"});
  E2eBench bench(emulator);
  apply(bench);
  const auto rep = report(bench);
  const auto nlp_ws = counterpart(rep, "/workspaces/NLP_Workspace", "workspace");
  const auto nlp_compute = counterpart(rep, "/clusters/Transformer_Training_Cluster_2018", "compute");
  REQUIRE_FALSE(nlp_ws.empty());
  delete_source_under(emulator, kNlpWs);  // 11 Batch AI resources: the workspace and all in it

  emulator.reset_stats();
  apply(bench);
  CHECK(requests(emulator, "DELETE") == 0);
  const auto held = findings_with(report(bench), "prune-held");
  INFO(json(held).dump());
  REQUIRE(held.size() == 1);
  CHECK(contains_ci(held.front(), "11 Batch AI resources"));

  // The AML jobs there have ended: nothing but the confirmation holds the prunes now.
  for (auto job : emulator.resources(nlp_ws + "/jobs/")) {
    job["properties"]["status"] = "Completed";
    emulator.put_resource(job);
  }
  emulator.reset_stats();
  apply(bench);
  CHECK(requests(emulator, "DELETE") == 0);

  const auto confirm = bench.bai2aml({"prune", "--config", bench.config_path(), "--confirm"});
  INFO(confirm.out << confirm.err);
  CHECK(confirm.exit_code == 0);
  CHECK(contains_ci(confirm.out, "11"));
  emulator.reset_stats();
  apply(bench);
  CHECK(requests(emulator, "DELETE") >= 2);
  CHECK(resource(emulator, nlp_compute).is_null());
  CHECK(resource(emulator, nlp_ws).is_object());  // a workspace is never deleted because its source vanished
  CHECK(findings_with(report(bench), "prune-held").empty());
}

TEST_CASE("retire_source: an unowned - a failed - a canceled AML counterpart prove no migration") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "50"});
  E2eBench bench(emulator);
  apply(bench);
  const auto rep = report(bench);
  const std::string unowned_src = kNlpWs + "/experiments/bert/jobs/bert-mpi";
  const std::string failed_src = kVisionWs + "/experiments/resnet/jobs/resnet-pytorch";
  const std::string canceled_src = kVisionWs + "/experiments/detection/jobs/det-custom";
  const std::string migrated_src = kVisionWs + "/experiments/resnet/jobs/resnet-tf-ps";
  auto unowned = resource(emulator, counterpart(rep, "/jobs/bert-mpi", "job"));
  auto failed = resource(emulator, counterpart(rep, "/jobs/resnet-pytorch", "job"));
  auto canceled = resource(emulator, counterpart(rep, "/jobs/det-custom", "job"));
  REQUIRE((unowned.is_object() && failed.is_object() && canceled.is_object()));
  unowned["properties"]["tags"] = json::object();
  failed["properties"]["status"] = "Failed";
  canceled["properties"]["status"] = "Canceled";
  for (const auto* r : {&unowned, &failed, &canceled}) emulator.put_resource(*r);

  auto cfg = bench.config_json();
  cfg["policy"]["retire_source"] = "after_migration";
  bench.write_config(cfg);
  apply(bench);
  for (const auto& id : {unowned_src, failed_src, canceled_src}) {
    INFO(id);
    CHECK(resource(emulator, id)["properties"]["executionState"] == "queued");
  }
  CHECK(resource(emulator, migrated_src)["properties"]["executionState"] != "queued");  // proven: terminated
}

TEST_CASE("guarded deletion: a job's datastore and environment stay while its AML job is queued") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "50"});
  E2eBench bench(emulator);
  apply(bench);
  const auto rep = report(bench);
  const auto job = resource(emulator, counterpart(rep, "/jobs/bert-mpi", "job"));
  REQUIRE(job.is_object());
  const auto nlp_ws = counterpart(rep, "/workspaces/NLP_Workspace", "workspace");
  const std::string datastore = nlp_ws + "/datastores/nlpcorpora_vocab";
  REQUIRE(resource(emulator, datastore).is_object());
  const std::string environment = job["properties"]["environmentId"];

  // bert-mpi starts running on Batch AI: it leaves the selection, and nothing else uses its
  // datastore or image, but its AML job is still queued.
  set_execution_state(emulator, kNlpWs + "/experiments/bert/jobs/bert-mpi", "running");
  emulator.reset_stats();
  apply(bench);
  CHECK(requests(emulator, "DELETE") == 0);
  CHECK(resource(emulator, datastore).is_object());
  CHECK(resource(emulator, environment).is_object());
}

TEST_CASE("ownership scope: two instances sharing a target resource group converge side by side") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "50"});
  E2eBench research(emulator), nlp(emulator);
  for (const auto& [bench, rg] : {std::pair<const E2eBench*, const char*>{&research, "research-rg"}, {&nlp, "nlp-rg"}}) {
    auto cfg = bench->config_json();
    cfg["source"]["resource_groups"] = json::array({rg});
    bench->write_config(cfg);
  }
  apply(research);
  apply(nlp);
  const auto research_ids = desired_ids(research), nlp_ids = desired_ids(nlp);
  const auto live = lower_set(aml_resource_ids(emulator));
  for (const auto& id : lower_set(research_ids)) CHECK(live.count(id) == 1);
  for (const auto& id : lower_set(nlp_ids)) CHECK(live.count(id) == 1);

  emulator.reset_stats();
  apply(research);
  CHECK(write_requests(emulator) == 0);
  apply(nlp);
  CHECK(write_requests(emulator) == 0);
  CHECK(lower_set(aml_resource_ids(emulator)) == live);
}
