// The judge judged: the rehearsal must pass a translation that keeps Batch AI's contract and fail
// one that does not, with a diff that names what differs.
#include <catch2/catch.hpp>

#include "tests/rehearsal/compare.hpp"
#include "tests/rehearsal/corpus.hpp"
#include "tests/rehearsal/rehearsal.hpp"
#include "tests/rehearsal/sandbox.hpp"

namespace {

using namespace bai2aml::rehearsal;
using nlohmann::json;

CorpusJob corpus_job(const std::string& label) {
  for (auto& j : corpus_jobs()) {
    if (j.label == label) return j;
  }
  FAIL("no corpus job " << label);
  return {};
}

std::string datastore(const bai2aml::translate::Translation& t, const std::string& container) {
  for (const auto& r : t.resources) {
    if (r.kind != bai2aml::translate::Kind::Datastore) continue;
    const json& p = r.body["properties"];
    if (p.value("fileShareName", "") == container || p.value("containerName", "") == container) {
      return r.id.substr(r.id.rfind('/') + 1);
    }
  }
  return "";
}

// A hand-written prologue for the PyTorch gloo recipe that recreates Batch AI's contract from what
// AML's PyTorch distribution provides: the reference the translator's prologue is held to.
std::string reference_prologue(const std::string& job_name, bool with_task_index) {
  std::string p = R"SH(set -e
B="${TMPDIR:-/tmp}/batchai"; mkdir -p "$B/mounts" "$B/jobmounts" "$B/jobs/J"
ln -sfn "${{inputs.mount_external}}" "$B/mounts/external"; ln -sfn "${{inputs.mount_models}}" "$B/mounts/models"
export AZ_BATCHAI_MOUNT_ROOT="$B/mounts" AZ_BATCHAI_JOB_MOUNT_ROOT="$B/jobmounts" AZ_BATCHAI_JOB_TEMP_DIR="$B/jobs" AZ_BATCHAI_JOB_TEMP="$B/jobs/J"
export AZ_BATCHAI_SHARED_JOB_TEMP="${{outputs.shared_job_temp}}" AZ_BATCHAI_STDOUTERR_DIR="${{outputs.stdouterr}}"
mkdir -p "$AZ_BATCHAI_SHARED_JOB_TEMP/.hosts"; hostname -I > "$AZ_BATCHAI_SHARED_JOB_TEMP/.hosts/$NODE_RANK"
n=$((WORLD_SIZE)); while [ "$(ls "$AZ_BATCHAI_SHARED_JOB_TEMP/.hosts" | wc -l)" -lt "$n" ]; do sleep 0.05; done
for i in $(seq 0 $((n-1))); do echo "$(cat "$AZ_BATCHAI_SHARED_JOB_TEMP/.hosts/$i") slots=1"; done > "$B/jobs/J/hostfile"
export AZ_BATCHAI_MPI_HOST_FILE="$B/jobs/J/hostfile" AZ_BATCHAI_NUM_GPUS="$(nvidia-smi -L | wc -l)"
export AZ_BATCHAI_INPUT_SCRIPT="${{inputs.SCRIPT}}"
export AZ_BATCHAI_PYTORCH_INIT_METHOD="tcp://$MASTER_ADDR:$MASTER_PORT" AZ_BATCHAI_PYTORCH_BACKEND=gloo
)SH";
  if (with_task_index) p += "export AZ_BATCHAI_TASK_INDEX=\"$RANK\"\n";
  p += "python $AZ_BATCHAI_INPUT_SCRIPT/mnist_trainer.py --epochs 10 --world-size 2 --dist-backend "
       "$AZ_BATCHAI_PYTORCH_BACKEND --dist-url $AZ_BATCHAI_PYTORCH_INIT_METHOD --rank $AZ_BATCHAI_TASK_INDEX\n";
  (void)job_name;
  return p;
}

Verdict rehearse_with_reference(bool with_task_index) {
  const CorpusJob j = corpus_job("corpus/pytorch-gloo-recipe");
  return rehearse(j.resources, j.cfg, j.job_id, [&](bai2aml::translate::Translation& t) {
    for (auto& r : t.resources) {
      if (r.kind != bai2aml::translate::Kind::Job) continue;
      const std::string name = r.id.substr(r.id.rfind('/') + 1);
      const std::string ext = "azureml://datastores/" + datastore(t, "external") + "/paths/";
      const std::string models = "azureml://datastores/" + datastore(t, "models") + "/paths/";
      json& p = r.body["properties"];
      p["command"] = reference_prologue(name, with_task_index);
      p["distribution"] = {{"distributionType", "PyTorch"}, {"processCountPerInstance", 1}};
      p["inputs"] = {{"SCRIPT", {{"jobInputType", "uri_folder"}, {"uri", ext + "scripts"}}},
                     {"mount_external", {{"jobInputType", "uri_folder"}, {"uri", ext}}},
                     {"mount_models", {{"jobInputType", "uri_folder"}, {"uri", models}}}};
      p["outputs"] = {{"stdouterr", {{"jobOutputType", "uri_folder"}, {"uri", ext + "logs/" + name + "/stdouterr"}}},
                      {"shared_job_temp", {{"jobOutputType", "uri_folder"}, {"uri", ext + "shared/" + name}}}};
    }
  });
}

}  // namespace

TEST_CASE("a translation that keeps Batch AI's contract rehearses equal", "[rehearsal][harness]") {
  const Verdict v = rehearse_with_reference(true);
  INFO(v.report);
  CHECK(v.processes == 2);
  CHECK(v.same);
}

TEST_CASE("a translation that loses one variable rehearses different, naming it", "[rehearsal][harness]") {
  const Verdict v = rehearse_with_reference(false);
  INFO(v.report);
  CHECK_FALSE(v.same);
  CHECK(v.report.find("process rank:1") != std::string::npos);
  CHECK(v.report.find("- #1 env AZ_BATCHAI_TASK_INDEX=1") != std::string::npos);
  CHECK(v.report.find("--rank") != std::string::npos);
}

TEST_CASE("paths compare by storage location and hosts without ports", "[rehearsal][harness]") {
  Sandbox sb;
  make_dirs(sb.storage() + "/acct/share/data");
  make_symlink(sb.storage() + "/acct/share", sb.node_root("batchai", 0) + "/mounts/ext");
  make_symlink(sb.storage() + "/acct/share/data", sb.node_root("aml", 1) + "/mnt/inputs/DATA");
  Record r;
  const Viewpoint bai{&sb, "batchai", 0, "seg/1"}, aml{&sb, "aml", 1, "job-a"};
  CHECK(normalize_value(sb.node_root("batchai", 0) + "/mounts/ext/data/x.csv", r, bai) ==
        normalize_value(sb.node_root("aml", 1) + "/mnt/inputs/DATA/x.csv", r, aml));
  CHECK(normalize_value("--data=" + sb.node_root("aml", 1) + "/mnt/inputs/DATA/x", r, aml) ==
        "--data=store://acct/share/data/x");
  CHECK(normalize_value("10.0.0.4:2222,10.0.0.5:2223", r, bai) == "10.0.0.4,10.0.0.5");
  CHECK(normalize_value(sb.storage() + "/acct/out/seg/1/model", r, bai) ==
        normalize_value(sb.storage() + "/acct/out/job-a/model", r, aml));
  // Different storage stays different.
  CHECK(normalize_value(sb.storage() + "/acct/share/data", r, bai) != normalize_value(sb.storage() + "/acct/share/other", r, aml));
}
