// What bai2aml prints on a terminal from free text in its database (names, ARM error messages,
// finding messages, request ids): `history`, `report --format markdown` go through
// config::terminal_text, so an escape sequence, a carriage return or a C1 control seeded into a
// Batch AI name or an ARM error message is shown, not obeyed.
#include <catch2/catch.hpp>

#include "config/utf8.hpp"
#include "daemon/history.hpp"
#include "daemon/report.hpp"

using namespace bai2aml;
using namespace bai2aml::daemon;

namespace {

// A window title set by OSC and ended by BEL, a screen clear, a carriage return that would overwrite
// the line, CSI as the one-byte C1 control (U+009B), a right-to-left override.
const std::string kHostile = "x\x1b]0;pwned\x07\x1b[2J\rfake\xc2\x9b" "31m\xe2\x80\xae" "gnp.exe";

// No byte a terminal would act on: C0 controls but newline and tab, DEL, C1 controls, bidi overrides.
bool obeyable(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F) return true;
    if (text.compare(i, 3, "\xe2\x80\xae") == 0) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("terminal text: controls are shown as escapes, UTF-8 and tabs kept") {
  CHECK(config::terminal_text(kHostile) == "x\\x1b]0;pwned\\x07\\x1b[2J\\x0dfake\\u009b31m\\u202egnp.exe");
  CHECK(config::terminal_text("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac\tok") == "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac\tok");
  CHECK(config::terminal_text("a\nb") == "a\\x0ab");
  CHECK(config::terminal_text("a\nb", true) == "a\nb");
  CHECK(config::terminal_text("del\x7f") == "del\\x7f");
  // Not UTF-8: a lone continuation byte, a cut sequence, an overlong NUL.
  CHECK(config::terminal_text("\x80\xe2\x80 \xc0\x80") == "\\x80\\xe2\\x80 \\xc0\\x80");
  CHECK(config::terminal_text("\xe2\x81\xa6" "isolate") == "\\u2066isolate");
  CHECK(config::terminal_text("\xc2\xa0nbsp") == "\xc2\xa0nbsp");  // U+00A0 is printable
}

TEST_CASE("history text: an escape sequence and a C1 control from the database are not printed raw") {
  ResourceHistory h;
  h.query = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/w/clusters/c" + kHostile;
  h.found = true;
  h.source_id = h.query;
  h.aml_ids = {"/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w/computes/c" + kHostile};
  h.events.push_back({"2027-01-10T10:00:00Z", "write", h.aml_ids[0],
                      "create PUT: failed (HTTP 400), BadRequest, request id rid" + kHostile, {}});
  h.events.push_back({"2027-01-10T10:00:01Z", "state", h.aml_ids[0], "failed (BadRequest): " + kHostile + "\nforged line", {}});
  h.events.push_back({"2027-01-10T10:00:02Z", "finding", h.source_id, "raised warning code: message" + kHostile, {}});
  const auto text = history_to_text(h);
  INFO(text);
  CHECK_FALSE(obeyable(text));
  CHECK(text.find("\\x1b]0;pwned\\x07\\x1b[2J\\x0dfake\\u009b31m\\u202egnp.exe") != std::string::npos);
  CHECK(text.find("request id rid x") == std::string::npos);
  CHECK(text.find("request id ridx\\x1b") != std::string::npos);
  // A newline inside a message does not start a line of its own; the format's own lines are kept.
  CHECK(text.find("\\x0aforged line") != std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') == 2 + 1 + 3);
  CHECK(text.rfind("Batch AI: /subscriptions/", 0) == 0);
}

TEST_CASE("history text: the story of an AML scope (scope-unobserved) is labelled AML, not Batch AI") {
  ResourceHistory h;
  h.found = true;
  h.source_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/foreign";
  h.events.push_back({"2027-01-10T10:00:00Z", "finding", h.source_id, "raised error scope-unobserved: LIST failed", {}});
  const auto text = history_to_text(h);
  INFO(text);
  CHECK(text.rfind("AML:      /subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/", 0) == 0);
  CHECK(text.find("Batch AI:") == std::string::npos);
}

TEST_CASE("report markdown: an escape sequence in a name or a message is not printed raw") {
  ReportData d;
  d.generated_at = "2027-01-10T12:00:00Z";
  d.cutoff = "2027-03-31T00:00:00Z";
  d.countdown = "79 days to cutoff";
  d.source_mode = "live";
  ReportEntry e;
  e.source_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/w/clusters/c" + kHostile;
  e.kind = "cluster";
  e.outcome = "not-migratable";
  e.detail = "detail" + kHostile;
  e.findings.push_back({"code", translate::Severity::Error, e.source_id, "message" + kHostile, "remedy" + kHostile});
  d.entries.push_back(e);
  const auto md = report_to_markdown(d);
  INFO(md);
  CHECK_FALSE(obeyable(md));
  CHECK(md.find("message" + config::terminal_text(kHostile)) != std::string::npos);
  CHECK(md.find("\n## Findings\n") != std::string::npos);  // the document's own lines are kept
}
