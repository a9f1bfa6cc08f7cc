#include "translate/render.hpp"

#include <map>
#include <sstream>

#include "config/redaction.hpp"
#include "translate/batchai_id.hpp"
#include "translate/translate.hpp"

namespace bai2aml::translate {
namespace {

using nlohmann::json;

// ".../workspaces/<name>" prefix of an AML id ("" when there is none).
std::string aml_workspace_prefix(const std::string& id) {
  const std::string marker = "/providers/Microsoft.MachineLearningServices/workspaces/";
  const auto p = id.find(marker);
  if (p == std::string::npos) return "";
  const auto end = id.find('/', p + marker.size());
  return end == std::string::npos ? id : id.substr(0, end);
}

std::string last_segment(const std::string& id) { return id.substr(id.rfind('/') + 1); }

const json& at_or_null(const json& j, const char* key) {
  static const json null;
  const auto it = j.find(key);
  return it == j.end() ? null : *it;
}

// The few settings a reviewer looks at, per kind (the full body is next to them).
json key_settings(const DesiredResource& r) {
  const json& b = r.body;
  const json& p = at_or_null(b, "properties");
  switch (r.kind) {
    case Kind::Workspace: return {{"location", at_or_null(b, "location")}, {"friendly_name", at_or_null(p, "friendlyName")}};
    case Kind::Compute: {
      const json& c = at_or_null(p, "properties");
      const json& s = at_or_null(c, "scaleSettings");
      return {{"vm_size", at_or_null(c, "vmSize")},
              {"vm_priority", at_or_null(c, "vmPriority")},
              {"min_nodes", at_or_null(s, "minNodeCount")},
              {"max_nodes", at_or_null(s, "maxNodeCount")},
              {"idle_before_scale_down", at_or_null(s, "nodeIdleTimeBeforeScaleDown")},
              {"subnet", at_or_null(at_or_null(c, "subnet"), "id")},
              {"ssh", at_or_null(c, "remoteLoginPortPublicAccess")}};
    }
    case Kind::Datastore: {
      const bool file = at_or_null(p, "datastoreType") == "AzureFile";
      return {{"type", at_or_null(p, "datastoreType")},
              {"account", at_or_null(p, "accountName")},
              {"container", at_or_null(p, file ? "fileShareName" : "containerName")},
              {"credentials", at_or_null(at_or_null(p, "credentials"), "credentialsType")}};
    }
    case Kind::EnvironmentContainer: return json::object();
    case Kind::EnvironmentVersion: return {{"image", at_or_null(p, "image")}};
    case Kind::Job:
      return {{"display_name", at_or_null(p, "displayName")},
              {"experiment", at_or_null(p, "experimentName")},
              {"compute", last_segment(at_or_null(p, "computeId").get<std::string>())},
              {"instance_count", at_or_null(at_or_null(p, "resources"), "instanceCount")},
              {"distribution", at_or_null(at_or_null(p, "distribution"), "distributionType")},
              {"timeout", at_or_null(at_or_null(p, "limits"), "timeout")},
              {"command", at_or_null(p, "command")}};
  }
  return json::object();
}

json finding_json(const Finding& f) {
  return {{"code", f.code}, {"severity", to_string(f.severity)}, {"source_id", f.source_id}, {"message", f.message},
          {"remedy", f.remedy}};
}

}  // namespace

namespace {

// `consumed`, when given, is `t` itself: the bodies are moved into the document instead of copied.
json translation_to_json(const Translation& t, Translation* consumed) {
  // Batch AI workspace (id key) -> AML workspace id, from the name map.
  std::map<std::string, std::string> ws_of_source;
  for (const auto& n : t.names) {
    const SourceId s = parse_batchai_id(n.source_id);
    if (s.kind == SourceKind::Workspace) ws_of_source[id_key(n.source_id)] = n.target_id;
  }
  std::map<std::string, json> groups;  // AML workspace id -> group
  auto group = [&](const std::string& ws) -> json& {
    json& g = groups[ws];
    if (g.is_null()) {
      g = {{"name", last_segment(ws)}, {"id", ws}, {"source_id", nullptr}, {"resources", json::array()},
           {"names", json::array()}, {"findings", json::array()}};
    }
    return g;
  };
  json summary_kinds = json::object();
  for (Kind k : {Kind::Workspace, Kind::Datastore, Kind::Compute, Kind::EnvironmentContainer, Kind::EnvironmentVersion, Kind::Job}) {
    summary_kinds[to_string(k)] = 0;
  }
  for (std::size_t i = 0; i < t.resources.size(); ++i) {
    const auto& r = t.resources[i];
    const std::string ws = aml_workspace_prefix(r.id);
    json& g = group(ws);
    if (r.kind == Kind::Workspace) g["source_id"] = r.source_id;
    json settings = key_settings(r);  // before the body is moved out
    json entry = {{"kind", to_string(r.kind)},
                  {"name", last_segment(r.kind == Kind::EnvironmentVersion ? r.id.substr(0, r.id.rfind("/versions/")) : r.id)},
                  {"id", r.id},
                  {"source_id", r.source_id},
                  {"depends_on", r.depends_on},
                  {"settings", std::move(settings)}};
    if (consumed) entry["body"] = std::move(consumed->resources[i].body);
    else entry["body"] = r.body;
    g["resources"].push_back(std::move(entry));
    summary_kinds[to_string(r.kind)] = summary_kinds[to_string(r.kind)].get<int>() + 1;
  }
  int renamed = 0;
  for (const auto& n : t.names) {
    group(aml_workspace_prefix(n.target_id))["names"].push_back(
        {{"source_id", n.source_id}, {"target_id", n.target_id}, {"target_name", last_segment(n.target_id)},
         {"reason", n.reason}});
    if (!n.reason.empty()) ++renamed;
  }
  json unassigned = json::array();
  json counts = {{"error", 0}, {"warning", 0}, {"info", 0}};
  for (const auto& f : t.findings) {
    counts[to_string(f.severity)] = counts[to_string(f.severity)].get<int>() + 1;
    const auto ws = ws_of_source.find(id_key(workspace_id_of(parse_batchai_id(f.source_id))));
    if (ws != ws_of_source.end()) {
      group(ws->second)["findings"].push_back(finding_json(f));
    } else {
      unassigned.push_back(finding_json(f));
    }
  }
  json workspaces = json::array();
  for (auto& [id, g] : groups) workspaces.push_back(std::move(g));
  // Job commands (and their job preparation) are sent to AML verbatim but shown redacted; the text
  // form is rendered from this document, so it is redacted too.
  return config::redact_secrets_in({{"version", kPlanDocumentVersion},
                                    {"api_versions", {{"batchai", kBatchAiApiVersion}, {"aml", kAmlApiVersion}}},
                                    {"summary", {{"resources", summary_kinds}, {"names_changed", renamed}, {"findings", counts}}},
                                    {"workspaces", workspaces},
                                    {"unassigned_findings", unassigned}});
}

}  // namespace

json translation_to_json(const Translation& t) { return translation_to_json(t, nullptr); }

json translation_to_json(Translation&& t) {
  json out = translation_to_json(t, &t);
  t = {};
  return out;
}

namespace {

std::string scalar(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "-";
  return v.dump();
}

std::string settings_line(const std::string& kind, const json& s) {
  if (kind == "workspace") return "location " + scalar(s["location"]);
  if (kind == "compute") {
    std::string l = scalar(s["vm_size"]) + " " + scalar(s["vm_priority"]) + ", nodes " + scalar(s["min_nodes"]) + "-" +
                    scalar(s["max_nodes"]) + ", idle " + scalar(s["idle_before_scale_down"]) + ", SSH " + scalar(s["ssh"]);
    if (!s["subnet"].is_null()) l += ", subnet " + last_segment(scalar(s["subnet"]));
    return l;
  }
  if (kind == "datastore") {
    return scalar(s["type"]) + " " + scalar(s["account"]) + "/" + scalar(s["container"]) + ", credentials " +
           scalar(s["credentials"]);
  }
  if (kind == "environment_version") return "image " + scalar(s["image"]);
  if (kind == "job") {
    std::string l = "experiment " + scalar(s["experiment"]) + ", on " + scalar(s["compute"]) + ", " +
                    scalar(s["instance_count"]) + " instance(s)";
    if (!s["distribution"].is_null()) l += ", " + scalar(s["distribution"]);
    l += ", timeout " + scalar(s["timeout"]);
    return l;
  }
  return "";
}

void findings_text(std::ostringstream& o, const json& findings, const std::string& indent) {
  for (const char* sev : {"error", "warning", "info"}) {
    int n = 0;
    for (const auto& f : findings) n += f["severity"] == sev;
    if (!n) continue;
    o << indent << sev << " (" << n << "):\n";
    for (const auto& f : findings) {
      if (f["severity"] != sev) continue;
      o << indent << "  [" << scalar(f["code"]) << "] " << scalar(f["source_id"]) << "\n"
        << indent << "      " << scalar(f["message"]) << "\n"
        << indent << "      remedy: " << scalar(f["remedy"]) << "\n";
    }
  }
}

}  // namespace

std::string render_translation_text(const Translation& t) {
  const json doc = translation_to_json(t);
  std::ostringstream o;
  for (const auto& g : doc["workspaces"]) {
    o << "AML workspace " << scalar(g["name"]);
    if (!g["source_id"].is_null()) o << "  (from " << scalar(g["source_id"]) << ")";
    o << "\n  Resources to create (" << g["resources"].size() << "):\n";
    for (const auto& r : g["resources"]) {
      const std::string kind = scalar(r["kind"]);
      std::string label = kind;
      label.resize(20, ' ');
      std::string name = scalar(r["name"]);
      if (name.size() < 34) name.resize(34, ' ');
      o << "    " << label << name << " " << settings_line(kind, r["settings"]) << "\n";
      if (kind == "job") {
        // The whole command AML runs (prologue included), one indented line per line.
        const std::string pad(24, ' ');
        o << "    " << std::string(20, ' ') << "command:\n";
        std::istringstream lines(scalar(r["settings"]["command"]));
        for (std::string line; std::getline(lines, line);) o << pad << line << "\n";
      }
    }
    if (!g["names"].empty()) {
      o << "  Names:\n";
      for (const auto& n : g["names"]) {
        o << "    " << scalar(n["source_id"]) << "\n      -> " << scalar(n["target_name"]);
        if (!scalar(n["reason"]).empty()) o << "  (" << scalar(n["reason"]) << ")";
        o << "\n";
      }
    }
    if (!g["findings"].empty()) {
      o << "  Findings:\n";
      findings_text(o, g["findings"], "    ");
    }
    o << "\n";
  }
  if (!doc["unassigned_findings"].empty()) {
    o << "Findings outside any migrated workspace:\n";
    findings_text(o, doc["unassigned_findings"], "  ");
    o << "\n";
  }
  const json& s = doc["summary"];
  o << "Summary: ";
  bool first = true;
  for (const auto& [kind, n] : s["resources"].items()) {
    o << (first ? "" : ", ") << n.get<int>() << " " << kind;
    first = false;
  }
  o << "; " << s["names_changed"].get<int>() << " name(s) changed; findings: " << s["findings"]["error"].get<int>()
    << " error, " << s["findings"]["warning"].get<int>() << " warning, " << s["findings"]["info"].get<int>()
    << " info\n";
  return o.str();
}

}  // namespace bai2aml::translate
