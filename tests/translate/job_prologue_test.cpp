// The migrated command run by bash as AML would start a process: ${{inputs.x}}/${{outputs.x}}
// replaced by mount directories, the distribution's variables in the environment, and a stub
// `python` on PATH that prints its argv and the Batch AI variables it sees. (The full per-process
// comparison with Batch AI is the rehearsal suite in tests/rehearsal.)
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <regex>

#include "tests/support/support.hpp"
#include "tests/translate/fixtures.hpp"
#include "translate/translate.hpp"

namespace config = bai2aml::config;
using namespace bai2aml::translate;
using namespace bai2aml::translate::test;
using bai2aml::testing::read_file;
using bai2aml::testing::TempDir;
using bai2aml::testing::write_file;

namespace {

const char* kStub =
    "#!/bin/sh\n"
    "echo \"argv: $*\"\n"
    "for v in AZ_BATCHAI_TASK_INDEX AZ_BATCHAI_PS_HOSTS AZ_BATCHAI_WORKER_HOSTS TF_CONFIG AZ_BATCHAI_INPUT_SCRIPT "
    "AZ_BATCHAI_OUTPUT_MODEL AZ_BATCHAI_PYTORCH_INIT_METHOD AZ_BATCHAI_NUM_GPUS DATA_DIR AZ_BATCHAI_SHARED_JOB_TEMP; do\n"
    "  printf '%s=%s\\n' \"$v\" \"$(printenv \"$v\")\"\n"
    "done\n"
    "cat \"$AZ_BATCHAI_MPI_HOST_FILE\" | sed 's/^/hostfile: /'\n"
    "[ -e \"$AZ_BATCHAI_MOUNT_ROOT/data/marker\" ] && echo 'mount root: data/marker'\n"
    "exit 0\n";

// One simulated AML node: its own TMPDIR; the storage behind every binding is shared by all nodes.
struct Simulation {
  TempDir dir;
  Simulation() {
    ::mkdir((dir.path() + "/bin").c_str(), 0700);
    ::mkdir((dir.path() + "/storage").c_str(), 0700);
    write_file(dir.file("bin/python"), kStub, 0700);
    write_file(dir.file("bin/hostname"), "#!/bin/sh\necho \"$TEST_ADDRESS 172.17.0.1\"\n", 0700);
    // The processes here run one after another: the other nodes' addresses are already in the rendezvous.
    for (const char* d : {"/storage/outputs_batchai_shared_job_temp", "/storage/outputs_batchai_shared_job_temp/hosts"})
      ::mkdir((dir.path() + d).c_str(), 0700);
    for (int n = 0; n < 4; ++n)
      write_file(dir.path() + "/storage/outputs_batchai_shared_job_temp/hosts/" + std::to_string(n), address(n) + "\n");
  }
  static std::string address(int node) { return "10.0.0." + std::to_string(4 + node); }
  // Runs `command` as one AML process on node `node`; returns its output, exit status in `status`.
  std::string run(std::string command, int node, const std::map<std::string, std::string>& env, int& status) {
    static const std::regex binding(R"(\$\{\{(inputs|outputs)\.([A-Za-z0-9_]+)\}\})");
    std::smatch m;
    while (std::regex_search(command, m, binding)) {
      const std::string path = dir.path() + "/storage/" + m[1].str() + "_" + m[2].str();
      ::mkdir(path.c_str(), 0700);
      command = m.prefix().str() + path + m.suffix().str();
    }
    const std::string tmp = dir.path() + "/node" + std::to_string(node);
    ::mkdir(tmp.c_str(), 0700);
    write_file(dir.file("cmd.sh"), command);
    std::vector<std::string> argv = {"/usr/bin/env", "-i", "PATH=" + dir.path() + "/bin:/usr/bin:/bin", "TMPDIR=" + tmp,
                                     "TEST_ADDRESS=" + address(node)};
    for (const auto& [k, v] : env) argv.push_back(k + "=" + v);
    argv.push_back("bash");
    argv.push_back(dir.file("cmd.sh"));
    ::unlink(dir.file("out.txt").c_str());  // run_command appends
    status = bai2aml::testing::run_command(argv, dir.file("out.txt"), dir.file("err.txt"));
    return read_file(dir.file("out.txt"));
  }
};

json job_props(const std::vector<json>& extra_jobs, const std::string& name) {
  std::vector<json> res = {workspace("ws1"), cluster("ws1", "cl1"), experiment("ws1", "e")};
  for (const auto& j : extra_jobs) res.push_back(j);
  const Translation t = translate(res, test_config());
  const DesiredResource* r = find_resource(t, Kind::Job, "/jobs/" + name);
  REQUIRE(r);
  return r->body.at("properties");
}

bool has(const std::string& out, const std::string& line) { return out.find(line + "\n") != std::string::npos; }

}  // namespace

TEST_CASE("TensorFlow: each AML task sees Batch AI's hosts, index and TF_CONFIG, the chief as master", "[prologue]") {
  const json p = job_props({job("ws1", "e", "tf", "cl1",
                                {{"nodeCount", 2},
                                 {"toolType", "tensorflow"},
                                 {"customToolkitSettings", nullptr},
                                 {"tensorFlowSettings",
                                  {{"pythonScriptFilePath", "train.py"},
                                   {"masterCommandLineArgs", "--job_name=worker --task_index=$AZ_BATCHAI_TASK_INDEX --master"},
                                   {"workerCommandLineArgs", "--job_name=worker --task_index=$AZ_BATCHAI_TASK_INDEX"},
                                   {"parameterServerCommandLineArgs", "--job_name=ps --ps_hosts=$AZ_BATCHAI_PS_HOSTS"},
                                   {"workerCount", 2},
                                   {"parameterServerCount", 1}}}})},
                           "tf");
  const std::string cluster = R"("cluster": {"worker": ["10.0.0.4:2222", "10.0.0.5:2222"], "ps": ["10.0.0.4:2223"]})";
  Simulation sim;
  int status = -1;
  const std::string chief =
      sim.run(p["command"], 0, {{"TF_CONFIG", "{" + cluster + R"(, "task": {"type": "worker", "index": 0}})"}}, status);
  CHECK(status == 0);
  CHECK(has(chief, "argv: train.py --job_name=worker --task_index=0 --master"));
  CHECK(has(chief, "AZ_BATCHAI_WORKER_HOSTS=10.0.0.4:2222,10.0.0.5:2222"));
  CHECK(has(chief, "AZ_BATCHAI_PS_HOSTS=10.0.0.4:2223"));
  CHECK(has(chief, R"(TF_CONFIG={"cluster":{"ps":["10.0.0.4:2223"],"worker":["10.0.0.4:2222","10.0.0.5:2222"]},)"
                   R"("task":{"type":"master","index":0},"environment":"cloud"})"));
  CHECK(has(chief, "hostfile: 10.0.0.4 slots=1"));
  CHECK(has(chief, "hostfile: 10.0.0.5 slots=1"));
  CHECK(has(chief, "AZ_BATCHAI_NUM_GPUS=1"));  // STANDARD_NC6
  const std::string worker =
      sim.run(p["command"], 1, {{"TF_CONFIG", "{" + cluster + R"(, "task": {"type": "worker", "index": 1}})"}}, status);
  CHECK(has(worker, "argv: train.py --job_name=worker --task_index=1"));
  CHECK(worker.find("\"type\":\"worker\",\"index\":1") != std::string::npos);
  const std::string ps = sim.run(p["command"], 0, {{"TF_CONFIG", "{" + cluster + R"(, "task": {"type": "ps", "index": 0}})"}}, status);
  CHECK(has(ps, "argv: train.py --job_name=ps --ps_hosts=10.0.0.4:2223"));
  CHECK(has(ps, "AZ_BATCHAI_TASK_INDEX=0"));
}

TEST_CASE("PyTorch over gloo: rank, init method, inputs, outputs, mount roots and expanded variables", "[prologue]") {
  const json p = job_props(
      {job("ws1", "e", "pt", "cl1",
           {{"nodeCount", 2},
            {"toolType", "pytorch"},
            {"customToolkitSettings", nullptr},
            {"pyTorchSettings",
             {{"pythonScriptFilePath", "$AZ_BATCHAI_INPUT_SCRIPT/mnist.py"},
              {"commandLineArgs", "--dist-url $AZ_BATCHAI_PYTORCH_INIT_METHOD --rank $AZ_BATCHAI_TASK_INDEX --out '$AZ_BATCHAI_OUTPUT_MODEL'"},
              {"communicationBackend", "gloo"}}},
            {"inputDirectories", json::array({{{"id", "SCRIPT"}, {"path", "$AZ_BATCHAI_MOUNT_ROOT/data/samples"}}})},
            {"outputDirectories", json::array({{{"id", "MODEL"}, {"pathPrefix", "$AZ_BATCHAI_MOUNT_ROOT/data"}}})},
            {"environmentVariables", json::array({{{"name", "DATA_DIR"}, {"value", "$AZ_BATCHAI_INPUT_SCRIPT/\"x\" $1"}},
                                                  {{"name", "PLAIN"}, {"value", "a b"}}})}})},
      "pt");
  CHECK(p["distribution"] == json{{"distributionType", "PyTorch"}, {"processCountPerInstance", 1}});
  CHECK(p["environmentVariables"] == json{{"PLAIN", "a b"}});
  Simulation sim;
  ::mkdir((sim.dir.path() + "/storage/inputs_mount_data").c_str(), 0700);
  write_file(sim.dir.path() + "/storage/inputs_mount_data/marker", "");
  int status = -1;
  const std::map<std::string, std::string> rank1 = {{"MASTER_ADDR", "10.0.0.4"}, {"MASTER_PORT", "29500"},
                                                     {"RANK", "1"},          {"WORLD_SIZE", "2"},
                                                     {"NODE_RANK", "1"},     {"LOCAL_RANK", "0"}};
  const std::string out = sim.run(p["command"], 1, rank1, status);
  CHECK(status == 0);
  const std::string storage = sim.dir.path() + "/storage";
  // Single quotes stay literal, as they were in Batch AI.
  CHECK(has(out, "argv: " + storage + "/inputs_SCRIPT/mnist.py --dist-url tcp://10.0.0.4:29500 --rank 1 --out $AZ_BATCHAI_OUTPUT_MODEL"));
  CHECK(has(out, "AZ_BATCHAI_INPUT_SCRIPT=" + storage + "/inputs_SCRIPT"));
  CHECK(has(out, "AZ_BATCHAI_OUTPUT_MODEL=" + storage + "/outputs_MODEL"));
  CHECK(has(out, "AZ_BATCHAI_SHARED_JOB_TEMP=" + storage + "/outputs_batchai_shared_job_temp/shared"));
  CHECK(has(out, "DATA_DIR=" + storage + "/inputs_SCRIPT/\"x\" $1"));
  CHECK(has(out, "mount root: data/marker"));
  CHECK(has(out, "hostfile: 10.0.0.4 slots=1"));
  CHECK(has(out, "hostfile: 10.0.0.5 slots=1"));
}

TEST_CASE("job preparation runs once per node, the node's other processes wait, a failure fails them", "[prologue]") {
  const auto props = [](const std::string& prep) {
    return job_props({job("ws1", "e", "hv", "cl1",
                          {{"nodeCount", 2},
                           {"toolType", "horovod"},
                           {"customToolkitSettings", nullptr},
                           {"horovodSettings", {{"pythonScriptFilePath", "h.py"}, {"processCount", 4}}},
                           {"jobPreparation", {{"commandLine", prep}}}})},
                     "hv");
  };
  const json ok = props("echo prep >> \"$AZ_BATCHAI_SHARED_JOB_TEMP/prep.log\" # a comment");
  Simulation sim;
  int status = -1;
  for (int node : {0, 1}) {
    for (int local : {0, 1}) {
      sim.run(ok["command"], node, {{"OMPI_COMM_WORLD_RANK", std::to_string(node * 2 + local)}}, status);
      CHECK(status == 0);
    }
  }
  CHECK(read_file(sim.dir.path() + "/storage/outputs_batchai_shared_job_temp/shared/prep.log") == "prep\nprep\n");

  const json failing = props("exit 7");
  Simulation sim2;
  for (int local : {0, 1}) {
    const std::string out = sim2.run(failing["command"], 0, {{"OMPI_COMM_WORLD_RANK", std::to_string(local)}}, status);
    CHECK(status == 7);
    CHECK(out.find("argv:") == std::string::npos);
  }
}

TEST_CASE("a custom toolkit on several nodes runs its command on the first node only", "[prologue]") {
  const json p = job_props({job("ws1", "e", "c", "cl1", {{"nodeCount", 2}, {"customToolkitSettings", {{"commandLine", "python run.py"}}}})}, "c");
  Simulation sim;
  int status = -1;
  CHECK(has(sim.run(p["command"], 0, {{"RANK", "0"}, {"NODE_RANK", "0"}}, status), "argv: run.py"));
  CHECK(status == 0);
  CHECK(sim.run(p["command"], 1, {{"RANK", "1"}, {"NODE_RANK", "1"}}, status).find("argv:") == std::string::npos);
  CHECK(status == 0);
}
