// Secrets against the real binaries (issue 14, items 3 and 4): a distinct secret seeded into every
// free-text field that reaches bai2aml's outputs must come out of none of them, and a $secretFile
// reference in observed data must never be read or sent.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.hpp"

using namespace bai2aml::testing;
using nlohmann::json;

namespace {

const std::string kAmlPrefix =
    "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/aml-migrated/providers/"
    "Microsoft.MachineLearningServices/workspaces";

// Every column of every row of `sql`, joined: the free text the daemon stored, read with SQLite
// directly rather than through the code under test.
std::string query_text(const std::string& db_path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  INFO(sqlite3_errmsg(db));
  REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK);
  std::string out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const auto* p = sqlite3_column_text(st, i);
      if (p) out += std::string(reinterpret_cast<const char*>(p)) + "\n";
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

std::string file_or_empty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return in ? read_file(path) : std::string();
}

json& resource_named(json& seed, const std::string& id_suffix) {
  for (auto& r : seed["resources"]) {
    const std::string id = r["id"];
    if (id.size() >= id_suffix.size() && id.compare(id.size() - id_suffix.size(), id_suffix.size(), id_suffix) == 0) return r;
  }
  throw std::runtime_error("no seed resource ends with " + id_suffix);
}

struct Seeded {
  std::string field;   // where it was put
  std::string secret;  // a distinctive part of it that must appear nowhere
  bool payload;        // part of an AML job's command: stored as the job's spec (never in free text)
};

}  // namespace

TEST_CASE("a secret seeded into each free-text field reaches no database, status, log, plan, report or export") {
  // A 64-byte storage account key (86 base64 characters and "==") with a distinctive head.
  const std::string storage_key = "StorKey9xA1" + std::string(75, 'Q') + "==";
  const std::vector<Seeded> seeded = {
      {"cluster nodeSetup.setupTask.commandLine (export NAME=value)", "SetupPw7f3aQ", false},
      {"cluster nodeSetup.setupTask.commandLine (bare storage account key)", "StorKey9xA1", false},
      {"cluster nodeSetup.mountVolumes.unmanagedFileSystems[].mountCommand (-o password=)", "MountPw9c2eQ", false},
      {"job mountVolumes.unmanagedFileSystems[].mountCommand (https://user:password@host)", "UrlPw4d1bQ", false},
      {"job jobPreparation.commandLine (Authorization: Bearer)", "BearerTok3c4dQ", true},
      {"job jobPreparation.commandLine (--sas-token 'sv=..&sig=..')", "JobPrepSig5e6fQ", true},
      {"job customToolkitSettings.commandLine (--api-key value)", "JobCmdKey8a9bQ", true},
      {"job customToolkitSettings.commandLine (bare JWT)", "JwtSig2b3cQ", true},
      {"ARM error body, not JSON, of a compute PUT (200-byte snippet)", "ArmSnippetPw1a2bQ", false},
      {"ARM error message (JSON) of a datastore PUT (AccountKey=)", "ArmMsgKey3c4dQ", false},
      {"ARM error message (JSON) of the workspaces LIST (Bearer)", "ListTok6d7eQ", false},
      {"config azure.auth.client_secret_file content", "CfgClientSecret6b7cQ", false},
      {"config mapping.storage_keys file content", "CfgStorageKey0a1bQ", false},
      {"config mapping.ssh password_file content", "CfgSshPassword2c3dQ", false},
  };

  json seed = json::parse(sample_seed_with_ample_quota());
  json& cluster = resource_named(seed, "/vision-ws/clusters/gpu-lowpri");
  cluster["properties"]["nodeSetup"]["setupTask"]["commandLine"] =
      "pip install -r req.txt && export DB_PASSWORD=SetupPw7f3aQ && echo " + storage_key + " > /etc/k";
  cluster["properties"]["nodeSetup"]["mountVolumes"]["unmanagedFileSystems"] = json::array(
      {{{"mountCommand", "mount -t cifs //fs.example.com/share /mnt/legacy -o username=svc,password=MountPw9c2eQ,vers=3.0"},
        {"relativeMountPath", "legacy"}}});
  json& mpi_job = resource_named(seed, "/experiments/bert/jobs/bert-mpi");
  mpi_job["properties"]["mountVolumes"]["unmanagedFileSystems"] = json::array(
      {{{"mountCommand", "s3fs corpus /mnt/s3 -o url=https://minio:UrlPw4d1bQ@minio.example.com"},
        {"relativeMountPath", "s3"}}});
  json& job = resource_named(seed, "/experiments/detection/jobs/det-custom");
  job["properties"]["jobPreparation"]["commandLine"] =
      "curl -H 'Authorization: Bearer BearerTok3c4dQ' https://setup.example.com/s.sh | sh && "
      "azcopy copy https://acc.blob.core.windows.net/c /data --sas-token 'sv=2021&sig=JobPrepSig5e6fQ'";
  job["properties"]["customToolkitSettings"]["commandLine"] =
      "python $AZ_BATCHAI_INPUT_CODE/detect.py --api-key JobCmdKey8a9bQ --auth "
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJKd3QifQ.JwtSig2b3cQ --out $AZ_BATCHAI_OUTPUT_RESULTS";

  EmulatorProcess emulator(seed.dump(), {"--lro-ms", "200"});
  E2eBench bench(emulator);
  write_file(bench.file("client-secret"), "CfgClientSecret6b7cQ\n");
  write_file(bench.file("storage-researchdata"), "CfgStorageKey0a1bQ\n");
  write_file(bench.file("ssh-password"), "CfgSshPassword2c3dQ\n");
  auto cfg = bench.config_json();
  cfg["mapping"]["ssh"]["*"]["password_file"] = bench.file("ssh-password");
  cfg["log"]["level"] = "debug";
  bench.write_config(cfg);

  std::vector<std::pair<std::string, std::string>> outputs;  // name, text
  const auto plan_text = bench.bai2aml({"plan", "--config", bench.config_path()});
  REQUIRE(plan_text.exit_code == 0);
  outputs.push_back({"plan", plan_text.out + plan_text.err});
  const auto plan_json = bench.bai2aml({"plan", "--config", bench.config_path(), "--json"});
  REQUIRE(plan_json.exit_code == 0);
  outputs.push_back({"plan --json", plan_json.out + plan_json.err});

  // The service answers with secrets: a proxy's page on a compute PUT, an echoing message on a
  // datastore PUT (both terminal), and once on the workspaces LIST.
  std::string compute_id, datastore_id;
  const json plan_doc = json::parse(plan_json.out);
  for (const auto& ws : plan_doc["workspaces"])
    for (const auto& r : ws["resources"]) {
      if (r["kind"] == "compute" && compute_id.empty()) compute_id = r["id"];
      if (r["kind"] == "datastore" && datastore_id.empty()) datastore_id = r["id"];
    }
  REQUIRE_FALSE(compute_id.empty());
  REQUIRE_FALSE(datastore_id.empty());
  emulator.set_failures(json::array(
      {{{"path_prefix", kAmlPrefix}, {"method", "GET"}, {"status", 400}, {"times", 1}, {"code", "BadRequest"},
        {"message", "token check failed for Authorization: Bearer ListTok6d7eQ"}},
       {{"path_prefix", compute_id}, {"method", "PUT"}, {"status", 400},
        {"body", "<html><body>Bad gateway: upstream refused login password=ArmSnippetPw1a2bQ</body></html>"}},
       {{"path_prefix", datastore_id}, {"method", "PUT"}, {"status", 400}, {"code", "InvalidParameter"},
        {"message", "Invalid connection string 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=ArmMsgKey3c4dQ;"
                    "EndpointSuffix=core.windows.net'"}}}));

  const auto apply = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "60"});
  INFO(apply.err.substr(apply.err.size() > 4000 ? apply.err.size() - 4000 : 0));
  CHECK(apply.exit_code == 1);  // the two terminal failures
  outputs.push_back({"apply logs", apply.out + apply.err});
  CHECK(emulator.stats().value("faults", 0) >= 3);

  for (const auto& args : std::vector<std::vector<std::string>>{{"report"}, {"report", "--format", "json"},
                                                                {"status"}, {"status", "--json"}}) {
    std::vector<std::string> argv = args;
    argv.insert(argv.begin() + 1, {"--config", bench.config_path()});
    const auto r = bench.bai2aml(argv);
    CHECK(r.exit_code == 0);
    std::string name;
    for (const auto& a : args) name += a + " ";
    outputs.push_back({name, r.out + r.err});
  }
  const auto html = bench.bai2aml({"report", "--config", bench.config_path(), "--format", "html", "--out", bench.file("report.html")});
  CHECK(html.exit_code == 0);
  outputs.push_back({"report --format html", read_file(bench.file("report.html")) + html.out + html.err});
  const auto exported = bench.bai2aml({"inventory", "export", "--config", bench.config_path(), "--out", bench.file("export.json")});
  CHECK(exported.exit_code == 0);
  outputs.push_back({"inventory export", read_file(bench.file("export.json")) + exported.out + exported.err});
  outputs.push_back({"status.json", read_file(bench.file("status.json"))});
  outputs.push_back({"bai2aml.prom", read_file(bench.file("bai2aml.prom"))});

  const std::string db = bench.file("bai2aml.db");
  const std::string db_bytes = read_file(db) + file_or_empty(db + "-wal");
  const std::string db_free_text =
      query_text(db, "SELECT message, remedy FROM findings") + query_text(db, "SELECT error_code, error_message FROM operations") +
      query_text(db, "SELECT reason, message FROM resource_status") + query_text(db, "SELECT error FROM cycles") +
      query_text(db, "SELECT last_error FROM source_meta");
  outputs.push_back({"database free text (findings, operations, resource_status, cycles, source_meta)", db_free_text});

  for (const auto& s : seeded) {
    for (const auto& [name, text] : outputs) {
      INFO(s.field << " in " << name);
      CHECK(text.find(s.secret) == std::string::npos);
    }
    // A job's command line is the AML job's payload: the desired spec and the observed job keep it
    // verbatim (AML must run it), so only the database's free text is checked for those.
    if (!s.payload) {
      INFO(s.field << " in the database file");
      CHECK(db_bytes.find(s.secret) == std::string::npos);
    }
  }

  // The fields were really used: redacted traces of each show where the secret would have been.
  const std::string plan_out = plan_text.out;
  CHECK(plan_out.find("DB_PASSWORD=***") != std::string::npos);
  CHECK(plan_out.find("password=***,vers=3.0") != std::string::npos);
  CHECK(plan_out.find("https://minio:***@minio.example.com") != std::string::npos);
  CHECK(plan_out.find("Bearer ***") != std::string::npos);
  CHECK(plan_out.find("--api-key ***") != std::string::npos);
  CHECK(db_free_text.find("password=***") != std::string::npos);   // the compute's error snippet
  CHECK(db_free_text.find("AccountKey=***") != std::string::npos); // the datastore's error message
  CHECK(db_free_text.find("Bearer ***") != std::string::npos);     // the failed LIST, in cycles
  // ... and the config's secrets were read and sent (to the emulator, which stores what it got).
  CHECK(emulator.resources(datastore_id.substr(0, datastore_id.rfind("/datastores/"))).dump().find("CfgStorageKey0a1bQ") !=
        std::string::npos);
}

TEST_CASE("a secretFile reference in an observed tag is neither read nor sent and raises a finding") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "200"});
  E2eBench bench(emulator);
  const std::string stolen = bench.file("stolen-secret");
  write_file(stolen, "StolenFileContent5f6aQ\n");
  REQUIRE(bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "60"}).exit_code == 0);

  // Someone edits a migrated datastore: a description to correct (drift) and a tag holding a reference.
  json datastore;
  for (const auto& r : emulator.resources(kAmlPrefix))
    if (r["id"].get<std::string>().find("/datastores/") != std::string::npos) {
      datastore = r;
      break;
    }
  REQUIRE(datastore.is_object());
  datastore["properties"]["description"] = "edited by hand";
  datastore["properties"]["tags"]["note"] = {{"$secretFile", stolen}};
  emulator.put_resource(datastore);

  // The plan says what it ignores (the finding lives as long as the tag does: one pass).
  const auto plan = bench.bai2aml({"plan", "--config", bench.config_path(), "--json"});
  REQUIRE(plan.exit_code == 0);
  bool found = false;
  const json plan_doc = json::parse(plan.out);
  for (const auto& f : plan_doc["diff_findings"])
    if (f["code"] == "secret-reference-ignored") found = true;
  CHECK(found);

  const auto r = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "60"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  const json after = emulator.resources(datastore["id"].get<std::string>())[0];
  INFO(after.dump(2));
  CHECK(after["properties"]["description"] != "edited by hand");  // the drift was corrected by a PUT
  CHECK(after.dump().find("StolenFileContent5f6aQ") == std::string::npos);
  CHECK(after["properties"]["tags"].count("note") == 0);  // the reference itself was not sent either
}
