#include <catch2/catch.hpp>

#include "translate/toolkit_command.hpp"

using namespace bai2aml::translate;
using nlohmann::json;

namespace {

BaiJob make(const std::string& tool, const json& settings, int nodes = 1) {
  BaiJob j;
  j.tool_type = tool;
  j.tool_settings = settings;
  j.node_count = nodes;
  return j;
}

}  // namespace

TEST_CASE("every toolkit's settings synthesize a command and a distribution", "[toolkit]") {
  struct Row {
    std::string tool;
    json settings;
    int nodes;
    std::string command;
    json distribution;
  };
  const Row rows[] = {
      {"custom", {{"commandLine", "echo hi"}}, 1, "echo hi", nullptr},
      {"pytorch", {{"pythonScriptFilePath", "t.py"}, {"commandLineArgs", "--lr 1"}}, 1, "python t.py --lr 1", nullptr},
      {"pytorch", {{"pythonScriptFilePath", "t.py"}, {"pythonInterpreterPath", "/opt/py"}, {"processCount", 8}}, 2,
       "/opt/py t.py", {{"distributionType", "PyTorch"}, {"processCountPerInstance", 4}}},
      {"horovod", {{"pythonScriptFilePath", "h.py"}}, 3, "python h.py",
       {{"distributionType", "Mpi"}, {"processCountPerInstance", 1}}},
      {"mpi", {{"commandLine", "./a.out"}, {"processCount", 4}}, 2, "./a.out",
       {{"distributionType", "Mpi"}, {"processCountPerInstance", 2}}},
      {"cntk", {{"languageType", "BrainScript"}, {"configFilePath", "c.cntk"}, {"commandLineArgs", "x=1"}}, 1,
       "cntk configFile=c.cntk x=1", nullptr},
      {"cntk", {{"languageType", "Python"}, {"pythonScriptFilePath", "c.py"}, {"processCount", 2}}, 1, "python c.py",
       {{"distributionType", "Mpi"}, {"processCountPerInstance", 2}}},
      {"caffe", {{"configFilePath", "solver.prototxt"}}, 1, "caffe train --solver=solver.prototxt", nullptr},
      {"caffe", {{"pythonScriptFilePath", "c.py"}, {"commandLineArgs", "-g"}}, 1, "python c.py -g", nullptr},
      {"caffe2", {{"pythonScriptFilePath", "c2.py"}}, 1, "python c2.py", nullptr},
      // Batch AI started Caffe2 once per node, telling each its index.
      {"caffe2", {{"pythonScriptFilePath", "c2.py"}}, 2, "python c2.py",
       {{"distributionType", "PyTorch"}, {"processCountPerInstance", 1}}},
      // The custom toolkit ran on the master node only: one process per node, the command guarded by RANK.
      {"custom", {{"commandLine", "./run.sh"}}, 3, "./run.sh", {{"distributionType", "PyTorch"}, {"processCountPerInstance", 1}}},
      {"pytorch", {{"pythonScriptFilePath", "t.py"}, {"communicationBackend", "MPI"}}, 2, "python t.py",
       {{"distributionType", "Mpi"}, {"processCountPerInstance", 1}}},
      {"pytorch", {{"pythonScriptFilePath", "t.py"}, {"communicationBackend", "gloo"}}, 2, "python t.py",
       {{"distributionType", "PyTorch"}, {"processCountPerInstance", 1}}},
      {"chainer", {{"pythonScriptFilePath", "ch.py"}, {"processCount", 4}}, 4, "python ch.py",
       {{"distributionType", "Mpi"}, {"processCountPerInstance", 1}}},
      {"tensorflow", {{"pythonScriptFilePath", "tf.py"}, {"masterCommandLineArgs", "--m"}}, 1, "python tf.py --m", nullptr},
  };
  for (const auto& r : rows) {
    INFO(r.tool << " " << r.settings.dump());
    const ToolkitCommand c = synthesize_command(make(r.tool, r.settings, r.nodes));
    CHECK(c.command == r.command);
    CHECK(c.distribution == r.distribution);
  }
}

TEST_CASE("what each toolkit tells the prologue: launcher, task index, PyTorch variables, first node only", "[toolkit]") {
  const ToolkitCommand caffe2 = synthesize_command(make("caffe2", {{"pythonScriptFilePath", "c2.py"}}, 2));
  CHECK(caffe2.launcher == Launcher::PyTorch);
  CHECK(caffe2.task_index);
  CHECK_FALSE(caffe2.first_node_only);
  const ToolkitCommand custom = synthesize_command(make("custom", {{"commandLine", "./run.sh"}}, 2));
  CHECK(custom.first_node_only);
  CHECK_FALSE(custom.task_index);
  CHECK_FALSE(synthesize_command(make("custom", {{"commandLine", "./run.sh"}}, 1)).first_node_only);
  const ToolkitCommand torch = synthesize_command(make("pytorch", {{"pythonScriptFilePath", "t.py"}, {"communicationBackend", "MPI"}}, 2));
  CHECK(torch.launcher == Launcher::Mpi);
  CHECK(torch.pytorch);
  CHECK(torch.pytorch_backend == "MPI");
  const ToolkitCommand horovod = synthesize_command(make("horovod", {{"pythonScriptFilePath", "h.py"}, {"processCount", 4}}, 2));
  CHECK(horovod.launcher == Launcher::Mpi);
  CHECK(horovod.processes_per_node == 2);
  CHECK_FALSE(horovod.task_index);
  const ToolkitCommand tf = synthesize_command(make("tensorflow", {{"pythonScriptFilePath", "tf.py"}}, 1));
  CHECK(tf.launcher == Launcher::Single);
  CHECK_FALSE(tf.task_index);  // a single TensorFlow process had no cluster variables
}

TEST_CASE("TensorFlow ps/worker jobs dispatch per-role arguments, the master getting masterCommandLineArgs", "[toolkit]") {
  const ToolkitCommand c = synthesize_command(make("tensorflow",
                                                   {{"pythonScriptFilePath", "tf.py"},
                                                    {"masterCommandLineArgs", "--role=master"},
                                                    {"workerCommandLineArgs", "--role=worker"},
                                                    {"parameterServerCommandLineArgs", "--role=ps"},
                                                    {"workerCount", 4},
                                                    {"parameterServerCount", 2}},
                                                   2));
  CHECK(c.distribution == json{{"distributionType", "TensorFlow"}, {"workerCount", 4}, {"parameterServerCount", 2}});
  CHECK(c.launcher == Launcher::TensorFlow);
  CHECK(c.command ==
        "case \"$bai2aml_role\" in\n  ps) python tf.py --role=ps ;;\n  master) python tf.py --role=master ;;\n"
        "  *) python tf.py --role=worker ;;\nesac");
  REQUIRE(c.findings.size() == 1);
  CHECK(c.findings[0].first == "tensorflow-roles-dispatched");
}

TEST_CASE("uneven process counts are rounded up with a finding", "[toolkit]") {
  const ToolkitCommand c = synthesize_command(make("horovod", {{"pythonScriptFilePath", "h.py"}, {"processCount", 5}}, 2));
  CHECK(c.distribution["processCountPerInstance"] == 3);
  REQUIRE(c.findings.size() == 1);
  CHECK(c.findings[0].first == "distribution-approximated");
}

TEST_CASE("toolkit settings that name nothing to run give job-toolkit-missing", "[toolkit]") {
  for (const auto& [tool, settings] : std::vector<std::pair<std::string, json>>{
           {"", json::object()},
           {"custom", json::object()},
           {"pytorch", {{"commandLineArgs", "x"}}},
           {"cntk", {{"languageType", "BrainScript"}}},
           {"mpi", {{"processCount", 2}}}}) {
    INFO(tool << " " << settings.dump());
    const ToolkitCommand c = synthesize_command(make(tool, settings, 2));
    CHECK(c.command.empty());
    CHECK(c.distribution.is_null());
    REQUIRE(c.findings.size() == 1);
    CHECK(c.findings[0].first == "job-toolkit-missing");
  }
}

// issue 14: processCount near INT_MAX overflowed (total + nodes - 1) into a negative per-node count.
TEST_CASE("process counts outside 0..1000000 are ignored with a finding, never overflow", "[toolkit][bounds]") {
  for (const json& bad : {json(2147483647), json(-5), json(9223372036854775807LL), json(18446744073709551615ULL),
                          json(1000001), json("8"), json(2.5)}) {
    INFO(bad.dump());
    const ToolkitCommand c = synthesize_command(make("mpi", {{"commandLine", "./a.out"}, {"processCount", bad}}, 2));
    CHECK(c.distribution == json{{"distributionType", "Mpi"}, {"processCountPerInstance", 1}});
    REQUIRE(c.findings.size() == 1);
    CHECK(c.findings[0].first == "distribution-approximated");
    CHECK(c.findings[0].second.find("processCount") != std::string::npos);
  }
  const ToolkitCommand tf = synthesize_command(
      make("tensorflow", {{"pythonScriptFilePath", "tf.py"}, {"workerCount", 4294967296LL}, {"parameterServerCount", -1}}, 3));
  CHECK(tf.distribution["workerCount"] == 3);
  CHECK(tf.distribution["parameterServerCount"] == 0);
  CHECK(tf.findings.size() == 3);  // two ignored counts, then the roles finding
}
