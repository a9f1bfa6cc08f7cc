// The HTML report writer on report data built here: what untrusted input cannot do (run a script,
// break out of an attribute), the empty estate, and the size of a large estate.
#include <catch2/catch.hpp>

#include <regex>

#include "daemon/report_html.hpp"

using namespace bai2aml::daemon;
using bai2aml::translate::Finding;
using bai2aml::translate::Severity;

namespace {

const std::string kBai = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/research/providers/Microsoft.BatchAI/workspaces/";
const std::string kAml = "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/aml-migrated/providers/Microsoft.MachineLearningServices/workspaces/";

ReportData base() {
  ReportData d;
  d.generated_at = "2027-01-10T12:00:00Z";
  d.cutoff = "2027-03-31T00:00:00Z";
  d.seconds_to_cutoff = 6868800;
  d.countdown = "79 days to cutoff";
  d.source_mode = "live";
  d.source_fetched_at = "2027-01-10T11:59:00Z";
  return d;
}

ReportEntry cluster(const std::string& ws, const std::string& name, const std::string& state) {
  ReportEntry e;
  e.source_id = kBai + ws + "/clusters/" + name;
  e.kind = "cluster";
  e.outcome = state == "in_sync" ? "migrated" : "pending";
  ReportCounterpart c;
  c.id = kAml + ws + "/computes/" + name;
  c.kind = "compute";
  c.state = state;
  c.write_action = "create";
  c.write_state = "succeeded";
  c.write_at = "2027-01-10T11:00:00Z";
  c.write_request_id = "6f1c1e0a-3d2b-4c5e-9f00-0123456789ab";
  e.counterparts.push_back(c);
  return e;
}

ReportEntry job(const std::string& ws, const std::string& exp, const std::string& name, const std::string& command) {
  ReportEntry e;
  e.source_id = kBai + ws + "/experiments/" + exp + "/jobs/" + name;
  e.kind = "job";
  e.outcome = "migrated";
  ReportCounterpart c;
  c.id = kAml + ws + "/jobs/" + exp + "-" + name;
  c.kind = "job";
  c.state = "in_sync";
  c.command = command;
  c.write_action = "create";
  c.write_state = "succeeded";
  c.write_at = "2027-01-10T11:00:00Z";
  c.write_request_id = "6f1c1e0a-3d2b-4c5e-9f00-0123456789ab";
  e.counterparts.push_back(c);
  return e;
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("report html: a <script> seeded into names, messages and commands stays text") {
  auto d = base();
  const std::string evil = "<script>alert(1)</script>";
  auto e = cluster("ws\"><img src=x onerror=alert(2)>", "c" + evil, "failed");
  e.counterparts[0].reason = "Bad" + evil;
  e.counterparts[0].write_request_id = "rid" + evil;
  e.findings.push_back({"code" + evil, Severity::Error, e.source_id, "message " + evil, "remedy " + evil});
  d.entries.push_back(e);
  auto j = job("ws", "exp", "j1", "python train.py '" + evil + "' && echo \"</pre><script>x()</script>\"");
  j.findings.push_back({"toolkit-mapped", Severity::Info, j.source_id, "info " + evil, "none"});
  d.entries.push_back(j);
  ReportEntry gone;
  gone.source_id = kBai + "ws/fileServers/fs" + evil;
  gone.kind = "file server";
  gone.outcome = "not-migratable";
  gone.detail = "detail " + evil;
  gone.retired_action = "deleted" + evil;
  d.entries.push_back(gone);
  d.progress.push_back({"2027-01-10T10:00:00Z" + evil, 1, 2, 0, 1, 0});
  d.projected_completion = evil;
  d.source_mode = evil;

  const auto html = report_to_html(d);
  // The page's only script is its own, at the end; nothing seeded opens a tag.
  CHECK(count(html, "<script") == 1);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("onerror=alert(2)>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("</pre><script>") == std::string::npos);
  // Every attribute value is quoted and free of raw quotes from the input: no seeded attribute.
  CHECK(html.find("\"><img") == std::string::npos);
  // A Content-Security-Policy allows no fetch and no script but the page's own (by hash).
  CHECK(html.find("default-src 'none'") != std::string::npos);
  CHECK(std::regex_search(html, std::regex("script-src 'sha256-[A-Za-z0-9+/]{43}='")));
}

TEST_CASE("report html: secrets in free text are masked") {
  auto d = base();
  auto e = cluster("ws", "c1", "failed");
  e.counterparts[0].reason = "password=hunter2";
  e.findings.push_back({"storage-key", Severity::Warning, e.source_id, "mount uses AccountKey=c2VjcmV0a2V5;", "none"});
  d.entries.push_back(e);
  const auto html = report_to_html(d);
  CHECK(html.find("hunter2") == std::string::npos);
  CHECK(html.find("c2VjcmV0a2V5") == std::string::npos);
}

TEST_CASE("report html: the empty estate is a complete page") {
  const auto html = report_to_html(base());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("</html>") != std::string::npos);
  CHECK(html.find("No pass recorded yet") != std::string::npos);
  CHECK(html.find("No Batch AI workspace in the inventory.") != std::string::npos);
  CHECK(html.find("id=\"findings\"") != std::string::npos);
  CHECK(html.find("<p>None.</p>") != std::string::npos);
  CHECK(html.find("id=\"retired\"") == std::string::npos);  // only when something was retired
  CHECK(html.find("79 days to cutoff") != std::string::npos);
  CHECK(html.find("not yet known") != std::string::npos);
  CHECK(html.find("http://") == std::string::npos);  // nothing to fetch (the SVG namespace is implied in HTML)
  CHECK(html.find("https://") == std::string::npos);
}

TEST_CASE("report html: findings are grouped by code with the remedy once") {
  auto d = base();
  for (int i = 0; i < 5; ++i) {
    auto e = cluster("ws", "gpu" + std::to_string(i), "blocked");
    e.findings.push_back({"quota-exceeded", Severity::Error, e.source_id, "needs 8 cores of NC family",
                          "ask for a quota increase for the NC family"});
    d.entries.push_back(e);
  }
  const auto html = report_to_html(d);
  CHECK(count(html, "ask for a quota increase for the NC family") == 1);
  CHECK(count(html, "<code>quota-exceeded</code> &#215; <b>5</b>") == 1);
  CHECK(count(html, "needs 8 cores of NC family") == 1);  // the same message: once, with its resources
  CHECK(count(html, "<a href=#r") == 5);
  CHECK(html.find("5 blocked") != std::string::npos);  // the workspace bar and the header
}

TEST_CASE("report html: progress chart, workspace bars and cutoff") {
  auto d = base();
  d.entries.push_back(cluster("alpha", "c1", "in_sync"));
  d.entries.push_back(cluster("alpha", "c2", "pending"));
  d.entries.push_back(cluster("beta", "c3", "failed"));
  d.progress = {{"2027-03-30T00:00:00Z", 0, 3, 0, 0, 0}, {"2027-03-31T12:00:00Z", 2, 0, 0, 1, 0}};
  const auto html = report_to_html(d);
  CHECK(html.find("id=\"progress-chart\"") != std::string::npos);
  CHECK(count(html, "<polygon") == 3);  // in sync, pending, failed; empty layers are not drawn
  CHECK(html.find("id=\"cutoff-marker\" class=\"cutoff\"><line") != std::string::npos);  // within the span
  CHECK(count(html, "<svg class=\"bar\"") == 2);
  CHECK(html.find("href=\"#ws-1\"") != std::string::npos);
  CHECK(html.find("id=\"ws-2\"") != std::string::npos);
  // Full ids are rebuilt from the section prefix on hover: the page keeps only the relative part.
  CHECK(html.find("data-bp=\"" + kBai + "alpha/\"") != std::string::npos);
  CHECK(html.find("data-ap=\"" + kAml + "alpha/\"") != std::string::npos);
  // Ids the page's script derives from the name and kind carry no data-id; others keep theirs.
  CHECK(html.find("<b>c1</b> <i>cluster</i>") != std::string::npos);
  CHECK(html.find("<u>c1</u> <i>compute</i>") != std::string::npos);
}

TEST_CASE("report html: a large estate stays under 330 bytes a resource, paged, findings bounded per group") {
  auto d = base();
  const std::string prologue = "set -e\nexport AZ_BATCHAI_JOB_NAME=\"$AZUREML_RUN_ID\"\nexport AZ_BATCHAI_NUM_GPUS=1\n"
                               "export AZ_BATCHAI_TASK_INDEX=\"${AZUREML_NODE_RANK:-0}\"\n";
  for (int w = 0; w < 10; ++w) {
    const std::string ws = "workspace-" + std::to_string(w);
    for (int c = 0; c < 100; ++c) d.entries.push_back(cluster(ws, "cluster-" + std::to_string(c), c % 7 ? "in_sync" : "pending"));
    for (int j = 0; j < 900; ++j) {
      auto e = job(ws, "experiment-" + std::to_string(j / 100), "job-" + std::to_string(j),
                   prologue + "python $AZUREML_CR_DATA/train.py --epochs " + std::to_string(j) + " --lr 0.01");
      if (j % 3 == 0)
        e.findings.push_back({"job-environment-default", Severity::Info, e.source_id,
                              "No container image: the job runs in the default curated environment", "set an image"});
      // As in a real estate: one message per resource, naming it by its full id.
      e.findings.push_back({"job-secrets-dropped", Severity::Warning, e.source_id,
                            "Job " + e.source_id + " has secret environment variables that were not carried over",
                            "put them in a key vault"});
      d.entries.push_back(std::move(e));
    }
  }
  for (int i = 0; i < 400; ++i) d.progress.push_back({"2027-01-10T10:00:00Z", i * 70, 30000 - i * 70, 0, 0, 0});
  REQUIRE(d.entries.size() == 10000);
  const auto html = report_to_html(d);
  INFO("size " << html.size());
  // Most of it is each job's command and ARM request id; the 9,000 unique finding messages are
  // bounded per group (20 shown, 1,000 resources linked, the rest counted).
  CHECK(html.size() < 10000u * 330);
  CHECK(count(html, "has secret environment variables") == kReportHtmlGroupMessages);
  CHECK(html.find("8980 other messages of this code, on these 8980 resources:") != std::string::npos);
  CHECK(html.find("and 8000 more (each resource") != std::string::npos);
  CHECK(count(html, "<tr id=r") == 10000);
  CHECK(count(html, "<details><summary>Resources ") == 10 * 5);  // 1000 per workspace, pages of 200, closed
  CHECK(count(html, "id=\"prologue\"") == 1);
  CHECK(count(html, "AZ_BATCHAI_TASK_INDEX") == 1);  // the shared prologue is shown once
}
