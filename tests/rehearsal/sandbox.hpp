// The rehearsal's sandbox: a temporary tree holding the simulated storage, one directory per node and
// side, the stub interpreters and the record log; runs one process of a job under bash with exactly
// the environment given (nothing inherited but PATH's system part).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace bai2aml::rehearsal {

// One process of a job as a side starts it.
struct Process {
  std::string id;        // "rank:3", "ps:0", "worker:1", "prep" (job preparation, Batch AI side only)
  int node = 0;          // index of the node it runs on
  std::string command;   // run with bash -c
  std::map<std::string, std::string> env;
};

// One invocation of a stub program.
struct Record {
  std::string proc;                          // the Process id that invoked it
  std::vector<std::string> argv;             // argv[0] is the program as named ("python", "/opt/conda/bin/python")
  std::map<std::string, std::string> env;    // AZ_BATCHAI_*, TF_CONFIG and the job's own variables
};

// What one process did.
struct Outcome {
  int exit_code = -1;
  std::vector<Record> records;
  std::string output;  // stdout+stderr, for the failure message
};

// Programs replaced by recording stubs. `python -c` runs a real python (helpers of the prologue are
// not the job's programs); nvidia-smi answers with the node's GPUs and `hostname -I` with the node's
// address, recording nothing.
const std::vector<std::string>& stub_programs();

class Sandbox {
 public:
  Sandbox();
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  const std::string& root() const { return root_; }       // realpath of the sandbox
  std::string storage() const { return root_ + "/storage"; }
  std::string side_root(const std::string& side) const { return root_ + "/" + side; }
  std::string node_root(const std::string& side, int node) const {
    return side_root(side) + "/node" + std::to_string(node);
  }
  // Absolute program paths the job names (e.g. /opt/conda/bin/python) are rewritten to a stub here.
  std::string rewrite_absolute_programs(const std::string& command) const;

  // Starts `p` (bash -c, cwd = the node's working directory); `record_vars` are extra variable names
  // the stubs record (the job's environmentVariables). All processes of a phase run at once, as on a
  // cluster; finish() waits for one and returns what its stubs recorded.
  struct Started {
    int pid = -1;
    std::string log, out;
  };
  Started start(const std::string& side, const Process& p, const std::vector<std::string>& record_vars,
                int gpus) const;
  static Outcome finish(const Started& s);
  // Runs every process of `ps` at once and returns their outcomes in the same order.
  std::vector<Outcome> run_all(const std::string& side, const std::vector<Process>& ps,
                               const std::vector<std::string>& record_vars, int gpus) const;

 private:
  std::string root_;
  std::string stubs_;
  std::string real_python_;
};

void make_dirs(const std::string& path);
void make_symlink(const std::string& target, const std::string& link);
std::string real_path(const std::string& path);  // "" when it does not exist

}  // namespace bai2aml::rehearsal
