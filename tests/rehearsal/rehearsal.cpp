#include "tests/rehearsal/rehearsal.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "tests/rehearsal/aml_side.hpp"
#include "tests/rehearsal/batchai_side.hpp"
#include "tests/rehearsal/compare.hpp"
#include "tests/rehearsal/json_fields.hpp"
#include "tests/rehearsal/sandbox.hpp"
#include "tests/support/support.hpp"
#include "translate/translate.hpp"

namespace bai2aml::rehearsal {
namespace {

using nlohmann::json;

struct Ran {
  const Process* process;
  Outcome outcome;
  std::vector<std::vector<std::string>> records;  // normalized, one entry per record
};

std::vector<std::vector<std::string>> normalized(const Outcome& o, const Viewpoint& v) {
  std::vector<std::vector<std::string>> out;
  for (const auto& r : o.records) out.push_back(normalize_record(r, v));
  return out;
}

// An AML record made by job preparation matches Batch AI's, apart from the toolkit variables the
// prologue had already defined (README: documented difference 2).
bool same_preparation_record(const std::vector<std::string>& batchai, const std::vector<std::string>& aml) {
  std::set<std::string> keys;
  for (const auto& l : batchai) {
    if (l.rfind("env ", 0) == 0) keys.insert(l.substr(4, l.find('=') - 4));
  }
  std::vector<std::string> kept;
  for (const auto& l : aml) {
    if (l.rfind("env ", 0) == 0) {
      const std::string k = l.substr(4, l.find('=') - 4);
      if (!keys.count(k) && toolkit_variable(k)) continue;
    }
    kept.push_back(l);
  }
  return kept == batchai;
}

// A process Batch AI never started because job preparation failed; on AML the same is a process that
// failed without a call of its own (it ran the preparation or waited for it, then stopped). Elsewhere a
// process that fails before its first call differs from Batch AI's, which ran.
constexpr int kNotStarted = -1000;

std::vector<std::string> lines_of(const Ran& r, std::size_t from) {
  if (r.outcome.exit_code == kNotStarted || (r.outcome.exit_code != 0 && r.records.size() == from)) {
    return {"node " + std::to_string(r.process->node), "the toolkit did not start (the job failed)"};
  }
  std::vector<std::string> out = {"node " + std::to_string(r.process->node),
                                  "exit code " + std::to_string(r.outcome.exit_code)};
  for (std::size_t i = from; i < r.records.size(); ++i) {
    for (const auto& l : r.records[i]) out.push_back("#" + std::to_string(i - from + 1) + " " + l);
  }
  return out;
}

std::string shared_temp_fact(const std::vector<Ran>& runs) {
  std::set<std::string> dirs;
  for (const auto& r : runs) {
    for (const auto& rec : r.outcome.records) {
      const auto it = rec.env.find("AZ_BATCHAI_SHARED_JOB_TEMP");
      if (it != rec.env.end()) dirs.insert(real_path(it->second).empty() ? "missing:" + it->second : real_path(it->second));
    }
  }
  if (dirs.empty()) return "no process saw AZ_BATCHAI_SHARED_JOB_TEMP";
  return dirs.size() == 1 && dirs.begin()->rfind("missing:", 0) != 0
             ? "AZ_BATCHAI_SHARED_JOB_TEMP is one directory for the whole job"
             : "AZ_BATCHAI_SHARED_JOB_TEMP is " + std::to_string(dirs.size()) + " different directories";
}

}  // namespace

Verdict rehearse(std::vector<json> resources, const config::Config& cfg, const std::string& job_id,
                 const std::function<void(translate::Translation&)>& edit) {
  Verdict v;
  json bai_job, bai_cluster;
  for (auto& r : resources) {
    if (lower(r.value("id", "")) == lower(job_id)) {
      r["properties"]["executionState"] = "queued";
      bai_job = r;
    }
  }
  if (bai_job.is_null()) {
    v.report = "no job " + job_id + " in the corpus";
    return v;
  }
  const std::string cluster_id = lower(bai_job["properties"]["cluster"].value("id", ""));
  for (const auto& r : resources) {
    if (lower(r.value("id", "")) == cluster_id) bai_cluster = r;
  }
  if (bai_cluster.is_null()) {
    v.report = "no cluster " + cluster_id + " for " + job_id;
    return v;
  }
  translate::Translation t = translate::translate(resources, cfg);
  if (edit) edit(t);
  std::string findings;
  for (const auto& f : t.findings) {
    if (lower(f.source_id) == lower(job_id)) findings += "  " + f.code + ": " + f.message + "\n";
  }
  const translate::DesiredResource* aml_job = nullptr;
  for (const auto& r : t.resources) {
    if (r.kind == translate::Kind::Job && lower(r.source_id) == lower(job_id)) aml_job = &r;
  }
  if (!aml_job) {
    v.report = "the translation has no AML job for " + job_id + "; its findings:\n" + findings;
    return v;
  }
  const std::string aml_name = aml_job->id.substr(aml_job->id.rfind('/') + 1);
  v.aml_command = aml_job->body["properties"].value("command", "");

  Sandbox sb;
  // Files the jobs' own scripts need, on the storage both sides mount.
  std::filesystem::copy(testing::source_dir() + "/tests/rehearsal/corpus/storage", sb.storage(),
                        std::filesystem::copy_options::recursive);
  const SidePlan bai = plan_batchai(bai_job, bai_cluster, cfg, aml_name, sb);
  std::vector<std::string> problems;
  const SidePlan aml = plan_aml(*aml_job, t, bai.gpus, bai.record_vars, sb, problems);
  v.nodes = bai.nodes;

  // Batch AI: job preparation once per node, then the toolkit's processes.
  std::map<int, std::vector<std::vector<std::string>>> prep;
  std::string report;
  bool prep_failed = false;
  const auto prep_outcomes = sb.run_all("batchai", bai.preparation, bai.record_vars, bai.gpus);
  for (std::size_t i = 0; i < bai.preparation.size(); ++i) {
    const Process& p = bai.preparation[i];
    const Outcome& o = prep_outcomes[i];
    // Batch AI failed the job when its preparation failed on a node: the toolkit never started.
    prep_failed = prep_failed || o.exit_code != 0;
    prep[p.node] = normalized(o, {&sb, "batchai", p.node, bai.output_segment});
  }
  std::map<std::string, Ran> bai_runs, aml_runs;
  std::vector<Ran> bai_all, aml_all;
  const auto bai_outcomes = prep_failed ? std::vector<Outcome>(bai.processes.size(), Outcome{kNotStarted, {}, ""})
                                        : sb.run_all("batchai", bai.processes, bai.record_vars, bai.gpus);
  for (std::size_t i = 0; i < bai.processes.size(); ++i) {
    const Process& p = bai.processes[i];
    Ran r{&p, bai_outcomes[i], {}};
    r.records = normalized(r.outcome, {&sb, "batchai", p.node, bai.output_segment});
    if (r.outcome.exit_code != 0 && !prep_failed) {
      report += "the corpus job fails under Batch AI's contract (process " + p.id + "): " + r.outcome.output + "\n";
    }
    bai_all.push_back(r);
    bai_runs[p.id] = r;
  }
  std::map<int, int> prepared;  // node -> times AML ran its job preparation
  std::map<std::string, std::size_t> skip;
  const auto aml_outcomes = sb.run_all("aml", aml.processes, aml.record_vars, aml.gpus);
  for (std::size_t i = 0; i < aml.processes.size(); ++i) {
    const Process& p = aml.processes[i];
    Ran r{&p, aml_outcomes[i], {}};
    r.records = normalized(r.outcome, {&sb, "aml", p.node, aml.output_segment});
    const auto& want = prep[p.node];
    if (!want.empty() && r.records.size() >= want.size()) {
      bool match = true;
      for (std::size_t k = 0; k < want.size() && match; ++k) match = same_preparation_record(want[k], r.records[k]);
      if (match) {
        ++prepared[p.node];
        skip[p.id] = want.size();
      }
    }
    aml_all.push_back(r);
    aml_runs[p.id] = r;
  }

  bool same = problems.empty() && report.empty();
  for (const auto& pr : problems) report += "AML would refuse the job: " + pr + "\n";
  for (const auto& [node, records] : prep) {
    if (records.empty()) continue;
    if (prepared[node] != 1) {
      same = false;
      report += "job preparation ran " + std::to_string(prepared[node]) + " times on AML node " +
                std::to_string(node) + " (Batch AI: once, before the toolkit)\n";
    }
  }
  std::set<std::string> ids;
  for (const auto& [id, r] : bai_runs) ids.insert(id);
  for (const auto& [id, r] : aml_runs) ids.insert(id);
  v.processes = static_cast<int>(ids.size());
  for (const auto& id : ids) {
    const auto b = bai_runs.find(id);
    const auto a = aml_runs.find(id);
    const std::vector<std::string> bl = b == bai_runs.end() ? std::vector<std::string>{"(no such process)"}
                                                           : lines_of(b->second, 0);
    std::vector<std::string> al = a == aml_runs.end() ? std::vector<std::string>{"(no such process)"}
                                                     : lines_of(a->second, skip.count(id) ? skip[id] : 0);
    // A process AML starts that Batch AI did not (custom toolkit on the other nodes) must do nothing.
    if (b == bai_runs.end() && a != aml_runs.end() && a->second.records.size() == (skip.count(id) ? skip[id] : 0) &&
        a->second.outcome.exit_code == 0) {
      continue;
    }
    if (bl != al) {
      same = false;
      ++v.processes_different;
      auto argv_lines = [](const std::vector<std::string>& ls) {
        std::vector<std::string> out;
        for (const auto& l : ls) {
          if (l.find(" argv: ") != std::string::npos) out.push_back(l);
        }
        return out;
      };
      if (argv_lines(bl) != argv_lines(al)) ++v.argv_different;
      report += "process " + id + " (- Batch AI, + AML):\n" + line_diff(bl, al);
      if (a != aml_runs.end() && !a->second.outcome.output.empty()) {
        const std::string& out = a->second.outcome.output;
        report += "  AML output: " + (out.size() > 600 ? out.substr(out.size() - 600) : out) + "\n";
      }
    }
  }
  // Job preparation sees the shared directory too (it is all that ran when it failed).
  std::vector<Ran> bai_seen = bai_all;
  for (std::size_t i = 0; i < bai.preparation.size(); ++i) bai_seen.push_back({&bai.preparation[i], prep_outcomes[i], {}});
  const std::string sb_fact = shared_temp_fact(bai_seen), sa_fact = shared_temp_fact(aml_all);
  if (sb_fact != sa_fact) {
    same = false;
    report += "- " + sb_fact + "\n+ " + sa_fact + "\n";
  }
  v.same = same;
  v.report = "job " + job_id + " -> AML job " + aml_name + " (" + std::to_string(bai.nodes) + " node(s), " +
             std::to_string(bai.processes.size()) + " Batch AI / " + std::to_string(aml.processes.size()) +
             " AML processes)\nAML command:\n" + v.aml_command + "\nfindings:\n" + findings + report;
  return v;
}

}  // namespace bai2aml::rehearsal
