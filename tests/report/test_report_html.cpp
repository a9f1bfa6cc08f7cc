// The HTML report writer on report data built here: what untrusted input cannot do (run a script,
// break out of an attribute), the empty estate, and the size of a large estate.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
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

// The page without its data blocks (<script type="application/json">): what the browser parses as markup.
std::string markup_of(const std::string& html) {
  return std::regex_replace(html, std::regex("<script type=\"application/json\"[^>]*>[^<]*</script>"), "<script data>");
}

// The data blocks' raw text, and parsed.
std::vector<std::string> data_blocks(const std::string& html) {
  std::vector<std::string> out;
  const std::string open = "<script type=\"application/json\"";
  for (auto p = html.find(open); p != std::string::npos; p = html.find(open, p + 1)) {
    const auto start = html.find('>', p) + 1;
    out.push_back(html.substr(start, html.find("</script>", start) - start));
  }
  return out;
}

// The shared values of #report-data.
nlohmann::json shared_values(const std::string& html) {
  const auto at = html.find("id=\"report-data\">");
  REQUIRE(at != std::string::npos);
  const auto start = at + std::string("id=\"report-data\">").size();
  return nlohmann::json::parse(html.substr(start, html.find("</script>", start) - start)).at("t");
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
  // U+2028 and U+2029 end a line in JavaScript, "<!--" changes how a script element is parsed.
  d.entries.push_back(cluster("ws", "line\xE2\x80\xA8sep\xE2\x80\xA9<!--<script>", "pending"));

  const auto html = report_to_html(d);
  const auto markup = markup_of(html);
  // The page's only script is its own, at the end; nothing seeded opens a tag. The rest are data
  // blocks, where no '<' is written as itself, so none ends early: each parses whole as JSON, and
  // gives back the seeded text exactly (the script puts it in as text).
  CHECK(count(markup, "<script") == count(markup, "<script data>") + 1);
  CHECK(count(markup, "<script>") == 1);
  const auto blocks = data_blocks(html);
  REQUIRE(blocks.size() == 3);  // the page of ws, the page of the other workspace, the shared values
  std::string data;
  for (const auto& b : blocks) {
    CHECK(b.find('<') == std::string::npos);
    CHECK(b.find("\xE2\x80\xA8") == std::string::npos);
    CHECK(b.find("\xE2\x80\xA9") == std::string::npos);
    data += nlohmann::json::parse(b).dump() + "\n";
  }
  CHECK(data.find("\"Bad<script>alert(1)</script>\"") != std::string::npos);
  CHECK(data.find("\"line\xE2\x80\xA8sep\xE2\x80\xA9<!--<script>\"") != std::string::npos);
  CHECK(data.find("echo \\\"</pre><script>x()</script>\\\"") != std::string::npos);
  CHECK(html.find("\\u2028") != std::string::npos);
  CHECK(markup.find("<img") == std::string::npos);
  CHECK(markup.find("onerror=alert(2)>") == std::string::npos);
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
  CHECK(count(html, "<p class=on data-r=\"0 0 0 0 0\"></p>") == 1);  // rows 0 to 4, linked by the script
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
  // Full ids are rebuilt from the section prefix on hover: the page keeps only the relative part,
  // and the folder the workspaces share once.
  const auto shared = shared_values(html);
  const auto bai = std::find(shared.begin(), shared.end(), nlohmann::json(kBai)) - shared.begin();
  const auto aml = std::find(shared.begin(), shared.end(), nlohmann::json(kAml)) - shared.begin();
  REQUIRE(bai < static_cast<std::ptrdiff_t>(shared.size()));
  REQUIRE(aml < static_cast<std::ptrdiff_t>(shared.size()));
  CHECK(html.find("data-bp=\"" + std::to_string(bai) + "|alpha/\" data-ap=\"" + std::to_string(aml) + "|alpha/\"") !=
        std::string::npos);
  CHECK(html.find("data-bp=\"" + std::to_string(bai) + "|beta/\"") != std::string::npos);
  // Rows: [index after the previous, name, kind, findings, AML rows]; an AML row: [name, shape,
  // write time, request id]. Ids the script derives from the name and kind are not written.
  const auto blocks = data_blocks(html);
  REQUIRE(blocks.size() == 3);
  const auto alpha = nlohmann::json::parse(blocks[0]);
  REQUIRE(alpha.size() == 2);
  CHECK(alpha[0][1] == "c1");
  CHECK(shared.at(alpha[0][2].get<std::size_t>()) == "cluster");
  CHECK(alpha[1][0] == 0);  // row 1 follows row 0
  const auto& compute = alpha[0][4];
  CHECK(compute[0] == "c1");
  CHECK(shared.at(compute[1].get<std::size_t>()) == nlohmann::json({"compute", "in_sync", "in sync", "", "create", "", 0}));
  CHECK(compute[2] == 1799578800);  // 2027-01-10T11:00:00Z, the first write of the page
  CHECK(alpha[1][4][2] == 0);       // the next write, 0 s later
  CHECK(compute[3] == "bxweCj0rTF6fAAEjRWeJqw");  // 6f1c1e0a-3d2b-4c5e-9f00-0123456789ab in base64url
}

TEST_CASE("report html: 30000 resources stay under 3 MB - paged and collapsed - findings bounded per group") {
  auto d = base();
  const std::string prologue = "set -e\nexport AZ_BATCHAI_JOB_NAME=\"$AZUREML_RUN_ID\"\nexport AZ_BATCHAI_NUM_GPUS=1\n"
                               "export AZ_BATCHAI_TASK_INDEX=\"${AZUREML_NODE_RANK:-0}\"\n";
  char request_id[40];
  const auto unique_request_id = [&](ReportEntry& e) {  // ARM's are random GUIDs
    std::snprintf(request_id, sizeof request_id, "%08x-3d2b-4c5e-9f00-%012zx", static_cast<unsigned>(d.entries.size() * 2654435761u),
                  d.entries.size() * 0x9E3779B97Fu % 0xFFFFFFFFFFFFu);
    e.counterparts[0].write_request_id = request_id;
  };
  for (int w = 0; w < 30; ++w) {
    const std::string ws = "workspace-" + std::to_string(w);
    for (int c = 0; c < 100; ++c) {
      auto e = cluster(ws, "cluster-" + std::to_string(c), c % 7 ? "in_sync" : "pending");
      unique_request_id(e);
      d.entries.push_back(std::move(e));
    }
    for (int j = 0; j < 900; ++j) {
      auto e = job(ws, "experiment-" + std::to_string(j / 100), "job-" + std::to_string(j),
                   prologue + "python $AZUREML_CR_DATA/train.py --epochs " + std::to_string(j) + " --lr 0.01");
      unique_request_id(e);
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
  REQUIRE(d.entries.size() == 30000);
  for (auto& e : d.entries) {  // policy.retire_source at the end: the whole estate is listed once more
    e.retired_action = "deleted with " + e.source_id.substr(0, e.source_id.find("/", kBai.size()));
    e.retired_state = "succeeded";
    e.retired_at = "2027-03-30T00:00:00Z";
  }
  const auto html = report_to_html(d);
  INFO("size " << html.size());
  // The tables are data for the page's script (a JSON block per page of 200 rows, closed), the
  // 27,000 unique finding messages are bounded per group (20 shown, 1,000 resources linked, the
  // rest counted).
  CHECK(html.size() < 3000000u);
  CHECK(count(html, "has secret environment variables") == kReportHtmlGroupMessages);
  CHECK(html.find("26980 other messages of this code, on these 26980 resources:") != std::string::npos);
  CHECK(html.find("and 26000 more (each resource") != std::string::npos);
  CHECK(count(html, "<details class=pg><summary>Resources ") == 30 * 5);  // 1000 per workspace, pages of 200, closed
  CHECK(count(html, "<details class=pg open>") == 0);
  CHECK(count(html, "<script type=\"application/json\">[[") == 30 * 5);
  CHECK(count(html, "id=\"prologue\"") == 1);
  CHECK(count(html, "AZ_BATCHAI_TASK_INDEX") == 1);  // the shared prologue is shown once
  CHECK(count(html, "train.py --epochs 899 --lr 0.01") == 1);  // a command 30 jobs share: once
  CHECK(count(html, "<a href=") < 100);  // finding links are written by the script when a group opens
  CHECK(count(html, "<details class=rt><summary>deleted with ") == 30);  // one group per workspace
}

TEST_CASE("report html: what was retired from Batch AI - by what was done and its state - as links to the rows") {
  auto d = base();
  for (int i = 0; i < 4; ++i) {
    auto e = cluster("ws", "c" + std::to_string(i), "in_sync");
    e.retired_action = i < 3 ? "deleted" : "terminated";
    e.retired_state = i == 2 ? "failed" : "succeeded";
    e.retired_at = "2027-03-30T00:0" + std::to_string(i) + ":00Z";
    d.entries.push_back(e);
  }
  const auto html = report_to_html(d);
  CHECK(html.find("4 Batch AI resources deleted or terminated by bai2aml") != std::string::npos);
  // Rows 0 and 1, then row 2, then row 3: each group opens on its list of rows the script links.
  CHECK(html.find("<details class=rt open><summary>deleted (succeeded): <b>2</b>, 2027-03-30T00:00:00Z &#8211; "
                  "2027-03-30T00:01:00Z</summary><p class=on data-r=\"0 0\"></p></details>") != std::string::npos);
  CHECK(html.find("<summary>deleted (failed): <b>1</b>, 2027-03-30T00:02:00Z</summary><p class=on data-r=\"2\">") !=
        std::string::npos);
  CHECK(html.find("<summary>terminated (succeeded): <b>1</b>, 2027-03-30T00:03:00Z</summary><p class=on data-r=\"3\">") !=
        std::string::npos);
}
