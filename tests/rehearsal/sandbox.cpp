#include "tests/rehearsal/sandbox.hpp"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace bai2aml::rehearsal {
namespace {

namespace fs = std::filesystem;

// The stub: one record per call, fields separated by \x1f, records by \x1e. P<process> A<arg>... E<k=v>...
const char* kStub = R"STUB(#!/bin/bash
name="${0##*/}"
case "$0" in "$BAI2AML_REHEARSAL_STUBS"/abs/*) name="${0#"$BAI2AML_REHEARSAL_STUBS"/abs}" ;; esac
case "$name" in
  *nvidia-smi)
    i=0; while [ "$i" -lt "${BAI2AML_REHEARSAL_GPUS:-0}" ]; do echo "GPU $i: Tesla K80 (UUID: GPU-$i)"; i=$((i+1)); done
    exit 0 ;;
  hostname)
    case "$1" in -I|-i) echo "$BAI2AML_REHEARSAL_ADDRESS" ;; *) echo "node$BAI2AML_REHEARSAL_NODE" ;; esac
    exit 0 ;;
  *python*)
    if [ "$1" = "-c" ] && [ -n "$BAI2AML_REHEARSAL_PYTHON" ]; then exec "$BAI2AML_REHEARSAL_PYTHON" "$@"; fi ;;
esac
{
  printf 'P%s\037' "$BAI2AML_REHEARSAL_PROC"
  printf 'A%s\037' "$name" "$@"
  while IFS= read -r -d '' kv; do
    k="${kv%%=*}"
    case "$k" in
      AZ_BATCHAI_*|TF_CONFIG) printf 'E%s\037' "$kv" ;;
      *) for v in $BAI2AML_REHEARSAL_VARS; do if [ "$k" = "$v" ]; then printf 'E%s\037' "$kv"; fi; done ;;
    esac
  done < <(env -0)
  printf '\036'
} >> "$BAI2AML_REHEARSAL_LOG"
exit 0
)STUB";

std::string find_real_python() {
  for (const char* p : {"/usr/bin/python3", "/usr/local/bin/python3"}) {
    if (access(p, X_OK) == 0) return p;
  }
  return "";
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::vector<Record> parse_log(const std::string& text) {
  std::vector<Record> out;
  for (const std::string& rec : split(text, '\036')) {
    Record r;
    for (const std::string& f : split(rec, '\037')) {
      if (f.empty()) continue;
      const std::string v = f.substr(1);
      if (f[0] == 'P') r.proc = v;
      if (f[0] == 'A') r.argv.push_back(v);
      if (f[0] == 'E') {
        const auto eq = v.find('=');
        r.env[v.substr(0, eq)] = eq == std::string::npos ? "" : v.substr(eq + 1);
      }
    }
    if (!r.argv.empty()) out.push_back(std::move(r));
  }
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

const std::vector<std::string>& stub_programs() {
  static const std::vector<std::string> names = {"python", "python2", "python3", "mpirun", "mpiexec", "caffe",
                                                 "cntk", "pip", "pip3", "apt", "apt-get", "conda", "wget",
                                                 "nvidia-smi", "hostname"};
  return names;
}

void make_dirs(const std::string& path) { fs::create_directories(path); }

void make_symlink(const std::string& target, const std::string& link) {
  make_dirs(fs::path(link).parent_path().string());
  fs::create_directory_symlink(target, link);
}

std::string real_path(const std::string& path) {
  char buf[PATH_MAX];
  return ::realpath(path.c_str(), buf) ? std::string(buf) : std::string();
}

Sandbox::Sandbox() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/bai2aml-rehearsal-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp: " + std::string(std::strerror(errno)));
  root_ = real_path(tmpl);
  stubs_ = root_ + "/stubs";
  make_dirs(stubs_ + "/bin");
  make_dirs(storage());
  const std::string stub = stubs_ + "/stub";
  {
    std::ofstream out(stub);
    out << kStub;
  }
  fs::permissions(stub, fs::perms::owner_all);
  for (const auto& name : stub_programs()) fs::create_symlink(stub, stubs_ + "/bin/" + name);
  real_python_ = find_real_python();
}

Sandbox::~Sandbox() {
  std::error_code ec;
  fs::remove_all(root_, ec);
}

std::string Sandbox::rewrite_absolute_programs(const std::string& command) const {
  // Interpreter paths that exist only in the job's image: "/opt/conda/bin/python" and the like.
  std::string out;
  std::size_t i = 0;
  while (i < command.size()) {
    const bool starts = command[i] == '/' && (i == 0 || std::string(" \t\n;&|(").find(command[i - 1]) != std::string::npos);
    if (starts) {
      std::size_t end = command.find_first_of(" \t\n;&|)", i);
      if (end == std::string::npos) end = command.size();
      const std::string path = command.substr(i, end - i);
      const std::string base = fs::path(path).filename().string();
      bool stubbed = false;
      for (const auto& n : stub_programs()) stubbed = stubbed || n == base;
      if (stubbed && access(path.c_str(), X_OK) != 0) {
        const std::string alias = stubs_ + "/abs" + path;
        if (access(alias.c_str(), X_OK) != 0) {
          make_dirs(fs::path(alias).parent_path().string());
          fs::create_symlink(stubs_ + "/stub", alias);
        }
        out += alias;
        i = end;
        continue;
      }
    }
    out += command[i++];
  }
  return out;
}

Sandbox::Started Sandbox::start(const std::string& side, const Process& p,
                                const std::vector<std::string>& record_vars, int gpus) const {
  const std::string node = node_root(side, p.node);
  const std::string wd = node + "/wd";
  make_dirs(wd);
  const std::string tag = side + "-" + std::to_string(p.node) + "-" + p.id;
  std::string safe;
  for (char c : tag) safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '_';
  const std::string log = root_ + "/logs/" + safe + ".records";
  const std::string out_file = root_ + "/logs/" + safe + ".out";
  make_dirs(root_ + "/logs");

  std::map<std::string, std::string> env = p.env;
  env["PATH"] = stubs_ + "/bin:/usr/local/bin:/usr/bin:/bin";
  env["BAI2AML_REHEARSAL_LOG"] = log;
  env["BAI2AML_REHEARSAL_STUBS"] = stubs_;
  env["BAI2AML_REHEARSAL_PROC"] = p.id;
  env["BAI2AML_REHEARSAL_GPUS"] = std::to_string(gpus);
  env["BAI2AML_REHEARSAL_NODE"] = std::to_string(p.node);
  env["BAI2AML_REHEARSAL_ADDRESS"] = "10.0.0." + std::to_string(4 + p.node);
  env["BAI2AML_REHEARSAL_PYTHON"] = real_python_;
  std::string vars;
  for (const auto& v : record_vars) vars += (vars.empty() ? "" : " ") + v;
  env["BAI2AML_REHEARSAL_VARS"] = vars;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  const std::string command = rewrite_absolute_programs(p.command);
  std::vector<std::string> argv_s = {"/usr/bin/timeout", "15", "/bin/bash", "-c", command};
  std::vector<char*> argv;
  for (auto& s : argv_s) argv.push_back(s.data());
  argv.push_back(nullptr);

  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int fd = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    if (chdir(wd.c_str()) != 0) _exit(126);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  return {pid, log, out_file};
}

Outcome Sandbox::finish(const Started& s) {
  int status = 0;
  while (waitpid(s.pid, &status, 0) < 0 && errno == EINTR) {
  }
  Outcome o;
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  o.records = parse_log(slurp(s.log));
  o.output = slurp(s.out);
  return o;
}

std::vector<Outcome> Sandbox::run_all(const std::string& side, const std::vector<Process>& ps,
                                      const std::vector<std::string>& record_vars, int gpus) const {
  std::vector<Started> started;
  for (const auto& p : ps) started.push_back(start(side, p, record_vars, gpus));
  std::vector<Outcome> out;
  for (const auto& s : started) out.push_back(finish(s));
  return out;
}

}  // namespace bai2aml::rehearsal
