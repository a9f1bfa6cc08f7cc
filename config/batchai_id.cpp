#include "config/batchai_id.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace bai2aml::config {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

const char* to_string(SourceKind k) {
  switch (k) {
    case SourceKind::Workspace: return "workspace";
    case SourceKind::Cluster: return "cluster";
    case SourceKind::FileServer: return "file server";
    case SourceKind::Experiment: return "experiment";
    case SourceKind::Job: return "job";
    case SourceKind::Unknown: return "unknown";
  }
  return "unknown";
}

std::vector<std::string> arm_id_segments(const std::string& id) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : id) {
    if (c == '/') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

SourceId parse_batchai_id(const std::string& id) {
  SourceId out;
  const auto seg = arm_id_segments(id);
  // subscriptions S resourceGroups G providers Microsoft.BatchAI ...
  if (seg.size() < 8 || lower(seg[0]) != "subscriptions" || lower(seg[2]) != "resourcegroups" ||
      lower(seg[4]) != "providers" || lower(seg[5]) != "microsoft.batchai") {
    return out;
  }
  out.subscription = seg[1];
  out.resource_group = seg[3];
  std::size_t i = 6;
  const std::string first = lower(seg[i]);
  if (first == "workspaces" || first == "workspace") {
    out.workspace = seg[i + 1];
    i += 2;
    if (i == seg.size()) {
      out.kind = SourceKind::Workspace;
      out.name = out.workspace;
      return out;
    }
  }
  if (i + 2 > seg.size()) return out;
  const std::string coll = lower(seg[i]);
  const std::string name = seg[i + 1];
  const bool last = i + 2 == seg.size();
  if (coll == "clusters" && last) {
    out.kind = SourceKind::Cluster;
  } else if (coll == "fileservers" && last) {
    out.kind = SourceKind::FileServer;
  } else if (coll == "experiments" && !out.workspace.empty()) {
    if (last) {
      out.kind = SourceKind::Experiment;
    } else if (i + 4 == seg.size() && lower(seg[i + 2]) == "jobs") {
      out.kind = SourceKind::Job;
      out.experiment = name;
      out.name = seg[i + 3];
      return out;
    } else {
      return out;
    }
  } else {
    return out;
  }
  out.name = name;
  return out;
}

std::string workspace_id_of(const SourceId& s) {
  if (s.workspace.empty() || s.kind == SourceKind::Unknown) return "";
  return "/subscriptions/" + s.subscription + "/resourceGroups/" + s.resource_group +
         "/providers/Microsoft.BatchAI/workspaces/" + s.workspace;
}

}  // namespace bai2aml::config
