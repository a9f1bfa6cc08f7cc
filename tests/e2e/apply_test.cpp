// bai2aml apply against the emulator: a full migration, steady state, faults, crashes, retirement.
#include <signal.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <fstream>
#include <set>
#include <thread>

#include "tests/e2e/e2e_fixture.hpp"

using namespace bai2aml::testing;

TEST_CASE("apply migrates the sample estate - a second apply sends no writes") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "300"});
  E2eBench bench(emulator);
  auto first = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "120"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  auto st = bench.status();
  CHECK(st["phase"] == "converged");
  CHECK(st["resources"]["pending"] == 0);
  CHECK(st["resources"]["failed"] == 0);
  CHECK(st["resources"]["total"].get<int>() >= 30);
  CHECK(st["resources"]["in_sync"].get<int>() + st["resources"]["blocked"].get<int>() == st["resources"]["total"].get<int>());
  CHECK(st["findings"]["error"].get<int>() >= 2);  // the NFS file server and the unmanaged file system

  // Every desired resource exists in AML, and nothing else was created.
  const auto desired = desired_ids(bench);
  const auto live = aml_resource_ids(emulator);
  CHECK_SAME_IDS(live, desired);
  // Owned: every resource carries the ownership tags.
  for (const auto& r : emulator.resources("/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/aml-migrated/")) {
    const auto tags = r.contains("tags") ? r["tags"] : r["properties"].value("tags", nlohmann::json::object());
    INFO(r["id"]);
    CHECK(tags.value("managed-by", "") == "bai2aml");
  }

  emulator.reset_stats();
  auto second = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "60"});
  REQUIRE(second.exit_code == 0);
  CHECK(write_requests(emulator) == 0);
  CHECK(emulator.stats()["requests"].value("GET", 0) > 0);  // it did look
}

TEST_CASE("faults at --fault-rate 0.2 converge to the same end state") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "200", "--fault-rate", "0.2", "--fault-seed", "7"});
  E2eBench bench(emulator);
  auto r = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "240"}, 300);
  INFO(r.err.substr(r.err.size() > 3000 ? r.err.size() - 3000 : 0));
  REQUIRE(r.exit_code == 0);
  CHECK(emulator.stats().value("faults", 0) > 0);
  CHECK_SAME_IDS(aml_resource_ids(emulator), desired_ids(bench));
}

TEST_CASE("a process killed with SIGKILL mid-migration resumes without duplicates or losses") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "1500", "--latency-ms", "20"});
  E2eBench bench(emulator);
  {
    ChildProcess run({BAI2AML_BIN, "run", "--config", bench.config_path()}, {}, bench.file("run1.out"), bench.file("run1.err"));
    // Kill it once some, not all, writes are out.
    REQUIRE(eventually([&] { return write_requests(emulator) >= 4; }, std::chrono::seconds(30)));
    run.signal(SIGKILL);
    CHECK(run.wait() == 128 + SIGKILL);
  }
  const auto before = aml_resource_ids(emulator).size();
  auto r = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "120"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto live = aml_resource_ids(emulator);
  CHECK(live.size() >= before);
  CHECK_SAME_IDS(live, desired_ids(bench));
  // Each job was submitted once: the emulator refuses a second, different PUT of a job name, and
  // identical re-sends leave one job; so the set equality above plus no failure means no duplicate.
  CHECK(bench.status()["resources"]["failed"] == 0);
}

TEST_CASE("with Batch AI retired mid-migration, bai2aml continues from the snapshot") {
  std::string aml_state;
  std::set<std::string> desired;
  TempDir keep;
  std::string db_copy;
  {
    EmulatorProcess before(sample_seed_with_ample_quota(), {"--lro-ms", "200"});
    E2eBench bench(before);
    // A short apply reads the inventory and starts migrating, then gives up (exit 3) or finishes.
    auto r = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "2"});
    CHECK((r.exit_code == 0 || r.exit_code == 3));
    desired = desired_ids(bench);
    nlohmann::json seed = nlohmann::json::parse(sample_seed_with_ample_quota());
    for (const auto& res : before.resources("/subscriptions/00000000-0000-0000-0000-000000000002/")) seed["resources"].push_back(res);
    aml_state = seed.dump();
    db_copy = keep.file("bai2aml.db");
    write_file(db_copy, read_file(bench.file("bai2aml.db")));
    if (std::ifstream(bench.file("bai2aml.db-wal"))) write_file(db_copy + "-wal", read_file(bench.file("bai2aml.db-wal")));
  }
  // The same AML state, but Batch AI is gone.
  EmulatorProcess after(aml_state, {"--lro-ms", "200", "--batchai-retired"});
  E2eBench bench(after);
  auto cfg = bench.config_json();
  cfg["state"]["database"] = db_copy;
  bench.write_config(cfg);
  auto r = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "120"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("continuing from the snapshot") != std::string::npos);
  auto st = bench.status();
  CHECK(st["source"]["mode"] == "snapshot");
  CHECK(st["phase"] == "converged");
  CHECK_SAME_IDS(aml_resource_ids(after), desired);
}
