#include "tests/rehearsal/compare.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace bai2aml::rehearsal {
namespace {

namespace fs = std::filesystem;

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  std::size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

// The path with its longest existing prefix resolved (symlinks followed), the rest kept.
std::string resolve(const std::string& path) {
  std::string head = path, tail;
  while (!head.empty()) {
    const std::string r = real_path(head);
    if (!r.empty()) return r + tail;
    const auto slash = head.rfind('/');
    if (slash == std::string::npos || slash == 0) break;
    tail = head.substr(slash) + tail;
    head = head.substr(0, slash);
  }
  return path;
}

// Every sandbox path inside `s` resolved.
std::string resolve_paths(const std::string& s, const std::string& root) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto at = s.find(root, i);
    if (at == std::string::npos) {
      out += s.substr(i);
      break;
    }
    out += s.substr(i, at - i);
    std::size_t end = s.find_first_of(" ,;:'\"=)\n", at);
    if (end == std::string::npos) end = s.size();
    out += resolve(s.substr(at, end - at));
    i = end;
  }
  return out;
}

bool is_dir(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

const std::vector<std::string> kTokenVars = {"AZ_BATCHAI_JOB_TEMP", "AZ_BATCHAI_JOB_TEMP_DIR", "AZ_BATCHAI_MPI_HOST_FILE",
                                             "AZ_BATCHAI_SHARED_JOB_TEMP", "AZ_BATCHAI_MOUNT_ROOT",
                                             "AZ_BATCHAI_JOB_MOUNT_ROOT"};

// Where a directory is, in terms that mean the same on both sides.
std::string place(const std::string& value, const Viewpoint& v) {
  const std::string r = real_path(value);
  if (r.empty()) return "missing";
  const std::string kind = is_dir(r) ? "directory" : "file";
  if (starts_with(r + "/", real_path(v.sandbox->storage()) + "/")) return kind + " on shared storage";
  if (starts_with(r + "/", real_path(v.sandbox->node_root(v.side, v.node)) + "/")) return kind + " local to its node";
  return kind + " elsewhere";
}

}  // namespace

bool toolkit_variable(const std::string& name) {
  static const std::set<std::string> names = {"AZ_BATCHAI_TASK_INDEX", "AZ_BATCHAI_PS_HOSTS", "AZ_BATCHAI_WORKER_HOSTS",
                                              "TF_CONFIG", "AZ_BATCHAI_PYTORCH_INIT_METHOD",
                                              "AZ_BATCHAI_PYTORCH_BACKEND"};
  return names.count(name) > 0;
}

std::string normalize_value(const std::string& s, const Record& r, const Viewpoint& v) {
  const std::string root = v.sandbox->root();
  std::string out = resolve_paths(s, root);
  // Node-local directories by the variable that names them (longest first, so JOB_TEMP_DIR/x wins).
  std::vector<std::pair<std::string, std::string>> tokens;
  for (const auto& name : kTokenVars) {
    const auto it = r.env.find(name);
    if (it == r.env.end() || it->second.empty()) continue;
    tokens.emplace_back(resolve(it->second), "{" + name + "}");
  }
  std::sort(tokens.begin(), tokens.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [path, token] : tokens) out = replace_all(out, path, token);
  out = replace_all(out, real_path(v.sandbox->storage()) + "/", "store://");
  for (int n = 0; n < 64; ++n) {
    const std::string node = v.sandbox->node_root(v.side, n);
    if (out.find(node) == std::string::npos) continue;
    out = replace_all(out, node + "/", "{node" + std::to_string(n) + "}/");
    out = replace_all(out, node, "{node" + std::to_string(n) + "}");
  }
  out = replace_all(out, v.sandbox->side_root(v.side), "{" + v.side + "}");
  // Batch AI's jobOutputDirectoryPathSegment vs the AML job name (README: documented difference 1).
  if (!v.output_segment.empty()) {
    if (v.side == "batchai") {
      out = replace_all(out, v.output_segment, "{output-segment}");
    } else {
      out = replace_all(out, "/" + v.output_segment + "/", "/{output-segment}/");
      if (out.size() > v.output_segment.size() &&
          out.compare(out.size() - v.output_segment.size() - 1, std::string::npos, "/" + v.output_segment) == 0) {
        out.replace(out.size() - v.output_segment.size(), std::string::npos, "{output-segment}");
      }
    }
  }
  static const std::regex host_port(R"(\b(\d+\.\d+\.\d+\.\d+):\d+\b)");
  return std::regex_replace(out, host_port, "$1");
}

std::vector<std::string> normalize_record(const Record& r, const Viewpoint& v) {
  std::vector<std::string> lines;
  nlohmann::json argv = nlohmann::json::array();
  for (const auto& a : r.argv) argv.push_back(normalize_value(a, r, v));
  lines.push_back("argv: " + argv.dump());
  for (const auto& [k, value] : r.env) {
    std::string n = normalize_value(value, r, v);
    if (k == "TF_CONFIG") {
      const auto parsed = nlohmann::json::parse(n, nullptr, false);
      if (!parsed.is_discarded()) n = parsed.dump();
    }
    lines.push_back("env " + k + "=" + n);
  }
  for (const auto& name : kTokenVars) {
    const auto it = r.env.find(name);
    if (it == r.env.end()) continue;
    std::string fact = "fact " + name + " is a " + place(it->second, v);
    if (name == "AZ_BATCHAI_MOUNT_ROOT" || name == "AZ_BATCHAI_JOB_MOUNT_ROOT") {
      std::vector<std::string> entries;
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(it->second, ec)) {
        entries.push_back(e.path().filename().string() + " -> " + normalize_value(e.path().string(), r, v));
      }
      std::sort(entries.begin(), entries.end());
      fact += " holding [";
      for (std::size_t i = 0; i < entries.size(); ++i) fact += (i ? ", " : "") + entries[i];
      fact += "]";
    }
    if (name == "AZ_BATCHAI_MPI_HOST_FILE") {
      std::ifstream in(it->second);
      std::string line, hosts;
      while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string host;
        if (words >> host && host[0] != '#') hosts += (hosts.empty() ? "" : ",") + host;
      }
      fact += " listing hosts " + hosts;
    }
    lines.push_back(fact);
  }
  const auto jt = r.env.find("AZ_BATCHAI_JOB_TEMP");
  const auto jd = r.env.find("AZ_BATCHAI_JOB_TEMP_DIR");
  if (jt != r.env.end() && jd != r.env.end()) {
    const bool inside = starts_with(resolve(jt->second) + "/", resolve(jd->second) + "/");
    lines.push_back(std::string("fact AZ_BATCHAI_JOB_TEMP is ") + (inside ? "" : "not ") + "inside AZ_BATCHAI_JOB_TEMP_DIR");
  }
  return lines;
}

std::string line_diff(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::multiset<std::string> in_a(a.begin(), a.end()), in_b(b.begin(), b.end());
  std::string out;
  for (const auto& l : a) out += (in_b.count(l) ? "    " : "  - ") + l + "\n";
  for (const auto& l : b) {
    if (!in_a.count(l)) out += "  + " + l + "\n";
  }
  return out;
}

}  // namespace bai2aml::rehearsal
