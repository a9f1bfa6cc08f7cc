#include "translate/naming_plan.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "translate/findings.hpp"

namespace bai2aml::translate {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string find_mapping_key(const std::map<std::string, std::string>& m, const std::string& id,
                             const std::string& name) {
  const std::string lid = id_key(id), lname = lower(name);
  std::string by_name;
  for (const auto& [k, v] : m) {
    (void)v;
    const std::string lk = lower(k);
    if (id_key(k) == lid) return k;
    if (lk == lname && by_name.empty()) by_name = k;
  }
  return by_name;
}

void assign_names(NameRule rule, const std::string& scope_words, std::vector<NameCandidate> cands,
                  std::map<std::string, AssignedName>& out, NamePlan& plan, const ScopeHints& hints) {
  std::sort(cands.begin(), cands.end(), [](const NameCandidate& a, const NameCandidate& b) { return a.key < b.key; });
  std::map<std::string, AssignedName> local;
  std::map<std::string, std::string> derived;  // key -> derived name, for candidates decided by hints
  for (const NameCandidate& c : cands) {
    if (!c.override_path.empty()) {
      const std::string why = name_rule_violation(rule, c.override_name);
      if (why.empty()) {
        local[c.key] = {c.override_name, "set in " + c.override_path.substr(0, c.override_path.find('[')), true};
        continue;
      }
      plan.problems.push_back({c.override_path, "\"" + c.override_name + "\" is not a valid AML " +
                                                    to_string(rule) + " name: it " + why});
      plan.findings.push_back(make_finding("name-override-invalid", c.source_id,
                                           c.override_path + " = \"" + c.override_name + "\" " + why +
                                               "; the derived name is used instead."));
    }
    const DerivedName d = derive_name(rule, c.source_name, c.hash_of.empty() ? c.source_id : c.hash_of);
    if (hints.kept || hints.taken) derived[c.key] = d.name;
    local[c.key] = {d.name, d.changed ? "\"" + c.source_name + "\" breaks the AML " + std::string(to_string(rule)) +
                                            " naming rule (sanitized, hash suffix added)"
                                      : "",
                    false};
    // It exists in AML already: it keeps that name (the derived one if it is among them).
    if (hints.kept) {
      const auto k = hints.kept->find(c.key);
      if (k != hints.kept->end() && !k->second.empty()) {
        std::string keep;
        for (const auto& n : k->second)
          if (lower(n) == lower(d.name)) keep = n;
        if (keep.empty()) keep = *k->second.begin();
        if (name_rule_violation(rule, keep).empty()) {
          const std::string why = keep == d.name ? local[c.key].reason : "the name it exists under in AML (bai2aml-source)";
          local[c.key] = {keep, why, false, true};
          continue;
        }
      }
    }
    // A name another source holds in AML is never given to this one.
    if (hints.taken && !d.changed) {
      const auto t = hints.taken->find(hints.prefix + lower(d.name));
      if (t != hints.taken->end() && (t->second.size() > 1 || !t->second.count(c.key))) {
        local[c.key].name = with_hash(rule, d.name, c.hash_of.empty() ? c.source_id : c.hash_of);
        local[c.key].reason = "\"" + d.name + "\" is held in AML by another Batch AI resource (hash suffix added)";
        local[c.key].kept = true;  // decided: collisions below do not suffix it again
      }
    }
  }
  // Collisions (case-insensitive): every derived member of a group gets the hash suffix.
  for (int round = 0; round < 2; ++round) {
    std::map<std::string, std::vector<const NameCandidate*>> groups;
    // Round 0 groups kept names by what they derive to, so that a newcomer's name is the same
    // whether or not its namesakes exist in AML yet.
    for (const NameCandidate& c : cands) {
      const auto k = derived.find(c.key);
      groups[lower(round == 0 && k != derived.end() ? k->second : local[c.key].name)].push_back(&c);
    }
    for (const auto& [lname, members] : groups) {
      if (members.size() < 2) continue;
      std::vector<const NameCandidate*> overridden;
      for (const NameCandidate* m : members) {
        AssignedName& a = local[m->key];
        if (a.overridden) {
          overridden.push_back(m);
        } else if (round == 0 && !a.kept) {
          a.name = with_hash(rule, a.name, m->hash_of.empty() ? m->source_id : m->hash_of);
          a.reason = "\"" + m->source_name + "\" collides with another " + scope_words + " (hash suffix added)";
        }
      }
      if (round == 1 || overridden.size() > 1) {
        // Either two overrides name the same thing or even hashed names collide: the user must choose.
        for (const NameCandidate* m : members) {
          std::string others;
          for (const NameCandidate* o : members) {
            if (o != m) others += (others.empty() ? "" : ", ") + o->source_id;
          }
          if (!m->override_path.empty() && local[m->key].overridden) {
            plan.problems.push_back({m->override_path, "\"" + local[m->key].name + "\" collides with the " +
                                                           to_string(rule) + " name of " + others + " (" +
                                                           scope_words + ", case-insensitive)"});
          }
          if (round == 1 || local[m->key].overridden) {
            plan.findings.push_back(make_finding("name-collision", m->source_id,
                                                 "AML " + std::string(to_string(rule)) + " name \"" +
                                                     local[m->key].name + "\" is also the name of " + others + "."));
          }
        }
      }
    }
  }
  for (auto& [k, v] : local) out[k] = v;
}

namespace {

NameCandidate candidate(const std::string& id, const std::string& name, const std::map<std::string, std::string>& names,
                    const char* map_path) {
  NameCandidate c{id_key(id), id, name, "", "", ""};
  const std::string key = find_mapping_key(names, id, name);
  if (!key.empty()) {
    c.override_path = std::string(map_path) + "[\"" + key + "\"]";
    c.override_name = names.at(key);
  }
  return c;
}

}  // namespace

NamePlan plan_names(const Inventory& inv, const config::Config& cfg, const std::vector<std::string>& job_ids,
                    const NameHints& hints) {
  NamePlan plan;
  const auto& m = cfg.mapping;

  std::vector<NameCandidate> ws;
  for (const auto& w : inv.workspaces) {
    NameCandidate c = candidate(w.id, w.ref.name, m.workspace_names, "mapping.workspace_names");
    if (c.override_path.empty()) c = candidate(w.id, w.ref.name, m.names, "mapping.names");
    ws.push_back(c);
  }
  assign_names(NameRule::Workspace, "workspace in the target resource group", ws, plan.workspaces, plan,
               {&hints.workspaces, &hints.taken_workspaces, ""});

  std::vector<NameCandidate> computes;
  for (const auto& c : inv.clusters) computes.push_back(candidate(c.id, c.ref.name, m.names, "mapping.names"));
  assign_names(NameRule::Compute, "compute in the target region", computes, plan.computes, plan,
               {&hints.computes, &hints.taken_computes, ""});

  // Jobs: one scope per AML workspace. Every job of the inventory competes, whatever its state, so
  // that a job's name does not change when another job is queued or starts running; only the
  // selected ones report what their naming says.
  const std::set<std::string> wanted(job_ids.begin(), job_ids.end());
  std::map<std::string, std::vector<NameCandidate>> jobs_by_ws;
  std::set<std::string> wanted_paths;  // the overrides of migrated jobs: only theirs are config problems
  for (const auto& j : inv.jobs) {
    const auto w = plan.workspaces.find(id_key(workspace_id_of(j.ref)));
    const std::string scope = w == plan.workspaces.end() ? "" : lower(w->second.name);
    NameCandidate c = candidate(j.id, j.ref.name, m.names, "mapping.names");
    if (wanted.count(c.key) && !c.override_path.empty()) wanted_paths.insert(c.override_path);
    jobs_by_ws[scope].push_back(c);
  }
  for (auto& [scope, cands] : jobs_by_ws) {
    NamePlan scoped;
    assign_names(NameRule::Job, "job in the AML workspace", cands, plan.jobs, scoped,
                 {&hints.jobs, &hints.taken_jobs, scope + "/"});
    for (auto& p : scoped.problems)
      if (wanted_paths.count(p.path)) plan.problems.push_back(std::move(p));
    for (auto& f : scoped.findings)
      if (wanted.count(id_key(f.source_id))) plan.findings.push_back(std::move(f));
  }

  for (const auto& f : inv.file_servers) {
    const std::string key = find_mapping_key(m.names, f.id, f.ref.name);
    if (key.empty()) continue;
    plan.datastore_overrides[id_key(f.id)] = {"mapping.names[\"" + key + "\"]", m.names.at(key)};
  }

  std::sort(plan.problems.begin(), plan.problems.end(), [](const ConfigProblem& a, const ConfigProblem& b) {
    return a.path != b.path ? a.path < b.path : a.message < b.message;
  });
  plan.problems.erase(std::unique(plan.problems.begin(), plan.problems.end(),
                                  [](const ConfigProblem& a, const ConfigProblem& b) {
                                    return a.path == b.path && a.message == b.message;
                                  }),
                      plan.problems.end());
  return plan;
}

}  // namespace bai2aml::translate
