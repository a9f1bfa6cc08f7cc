#include "daemon/report_html.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "config/rfc3339.hpp"
#include "daemon/cutoff.hpp"
#include "daemon/html_text.hpp"
#include "daemon/logging.hpp"
#include "daemon/report_svg.hpp"
#include "state/content_hash.hpp"
#include "translate/batchai_id.hpp"

namespace bai2aml::daemon {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The script. The resource tables are data (a JSON block per page of rows, and the values rows
// share in #report-data) that it renders when a page is opened: a table of 30,000 resources as
// markup is megabytes. It also shows full ids on hover (the section's prefix and the id relative to
// it, derived from the name and kind when not given), copies one on click, and opens what a link
// points at (a row inside a collapsed page included). Allowed by its hash in the
// Content-Security-Policy, so no other script (an escaping mistake included) could run. Untrusted
// text only ever goes in as textContent.
constexpr const char* kScript = R"JS((function () {
  var data = document.getElementById('report-data'), T = data ? JSON.parse(data.textContent).t : [];
  var BAI = {'cluster': 'clusters/', 'file server': 'fileServers/', 'fileserver': 'fileServers/', 'experiment': 'experiments/'};
  var AML = {'compute': 'computes/', 'datastore': 'datastores/', 'job': 'jobs/', 'environment': 'environments/'};
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  function baiRel(kind, name) {
    if (kind === 'workspace') return '';
    if (kind === 'job') { var i = name.indexOf('/'); return 'experiments/' + name.slice(0, i) + '/jobs/' + name.slice(i + 1); }
    return (BAI[kind] || '') + name;
  }
  function val(x) { return typeof x === 'number' ? T[x] : x; }
  function requestId(s) {  // a GUID travels as 22 characters of base64url; anything else as is, behind '!' if ambiguous
    if (s.charAt(0) === '!') return s.slice(1);
    if (!/^[A-Za-z0-9_-]{22}$/.test(s)) return s;
    var acc = 0, n = 0, hex = '';
    for (var k = 0; k < s.length; k++) {
      acc = (acc << 6) | B64.indexOf(s.charAt(k)); n += 6;
      while (n >= 4 && hex.length < 32) { n -= 4; hex += ((acc >> n) & 15).toString(16); }
    }
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function joinId(section, aml, id) {  // a name's full id: its section's prefix and its own part
    if (!section || id.charAt(0) === '/') return id;
    var p = section.getAttribute(aml ? 'data-ap' : 'data-bp');
    return id ? p + id : p.replace(/\/$/, '');  // "": the section's workspace itself
  }
  function full(e) { return joinId(e.closest('[data-bp]'), e.tagName === 'U', e.getAttribute('data-id') || ''); }
  function name(tag, field, derive, section) {  // field: the name, or [name, id] when the id is not derived
    var own = Array.isArray(field), e = el(tag, own ? field[0] : field), id = own ? field[1] : derive(field);
    e.setAttribute('data-id', id);
    e.title = joinId(section, tag === 'u', id) + '\n(click to copy)';
    return e;
  }
  function rows(page) {
    if (!page.rowData) { var s = page.querySelector('script'); page.rowData = s ? JSON.parse(s.textContent) : []; }
    return page.rowData;
  }
  function indexes(page) {  // each row's index in the report: rows keep their distance from the previous one
    if (!page.rowIndexes) { var index = -1; page.rowIndexes = rows(page).map(function (r) { return index += 1 + r[0]; }); }
    return page.rowIndexes;
  }
  // Row: [index - previous index - 1, name, kind, findings, then the AML rows or the outcome].
  // AML row: [name, shape [kind, state class, state, reason, action, journal state, prologue cut],
  // write time (seconds after the previous row's), request id, command].
  function render(page) {
    if (page.rendered) return;
    page.rendered = true;
    var t = el('table', undefined, 'res'), head = t.createTHead().insertRow(), body = t.createTBody(), at = 0, rowIndex = indexes(page);
    var section = page.closest('[data-bp]');
    ['Batch AI', 'AML', 'state', 'last write (ARM request id)'].forEach(function (h) { head.appendChild(el('th', h)); });
    rows(page).forEach(function (r, k) {
      var tr = body.insertRow(), kind = val(r[2]), td = tr.insertCell();
      tr.id = 'r' + rowIndex[k];
      td.append(name('b', r[1], function (n) { return baiRel(kind, n); }, section), ' ', el('i', kind));
      if (r[3]) td.append(' ', el('i', r[3] + (r[3] === 1 ? ' finding' : ' findings')));
      if (r.length < 5 || !Array.isArray(r[4])) {
        var what = tr.insertCell();
        what.colSpan = 3; what.className = 'k'; what.textContent = r.length > 4 ? val(r[4]) : '';
        return;
      }
      if (r.length > 5) td.rowSpan = r.length - 4;
      var environment = '';
      r.slice(4).forEach(function (a, n) {
        var row = n ? body.insertRow() : tr, s = val(a[1]), c = row.insertCell(), u = name('u', a[0], function (x) {
          if (s[0] === 'workspace') return '';
          return s[0] === 'environment_version' ? 'environments/' + environment + '/versions/' + x : (AML[s[0]] || '') + x;
        }, section);
        if (s[0] === 'environment') environment = u.textContent;
        c.append(u, ' ', el('i', s[0]));
        if (a.length > 4) c.appendChild(el('pre', val(a[4]), s[6] ? 'cmd p' : 'cmd'));
        c = row.insertCell();
        c.appendChild(el('i', s[2], 's st-' + s[1]));
        if (s[3]) c.append(' ', el('i', s[3]));
        c = row.insertCell();
        c.className = 'w';
        if (!s[4]) { c.textContent = '\u2014'; return; }
        var when = a[2];
        if (typeof when === 'number') { at += when; when = new Date(at * 1000).toISOString().replace('.000Z', 'Z'); }
        c.textContent = s[4] + (s[5] ? ' ' + s[5] : '') + ' ' + when;
        if (a[3]) c.append(' ', el('code', requestId(a[3])));
      });
    });
    page.appendChild(t);
  }
  function nameAt(e) { return e.target.closest ? e.target.closest('td > b, td > u') : null; }
  document.addEventListener('mouseover', function (e) {
    var n = nameAt(e);
    if (n && !n.title) n.title = full(n) + '\n(click to copy)';
  });
  document.addEventListener('click', function (e) {
    var n = nameAt(e);
    if (!n) return;
    var text = full(n);
    var done = function () { n.classList.add('copied'); setTimeout(function () { n.classList.remove('copied'); }, 900); };
    if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done, function () {}); return; }
    var t = document.createElement('textarea');
    t.value = text; document.body.appendChild(t); t.select();
    try { document.execCommand('copy'); done(); } catch (x) {}
    document.body.removeChild(t);
  });
  var pages = Array.prototype.slice.call(document.querySelectorAll('details.pg')), names = null;
  function nameOf(i) {
    if (!names) {
      names = {};
      pages.forEach(function (p) {
        var r = rows(p);
        indexes(p).forEach(function (index, k) { names[index] = Array.isArray(r[k][1]) ? r[k][1][0] : r[k][1]; });
      });
    }
    return names[i];
  }
  function links(group) {  // data-r="5 0 3": rows 5, 6 and 10 (each index after the previous one)
    Array.prototype.forEach.call(group.querySelectorAll('p[data-r]'), function (p) {
      var index = -1;
      p.getAttribute('data-r').split(' ').forEach(function (d) {
        index += 1 + Number(d);
        var a = el('a', nameOf(index));
        a.href = '#r' + index;
        if (p.firstChild) p.append(', ');
        p.appendChild(a);
      });
      p.removeAttribute('data-r');
    });
  }
  function opened(d) {  // a page of a table, a finding group, a list of rows was opened: draw what it shows
    if (!d.open) return;
    if (d.classList.contains('pg')) render(d);
    links(d);
  }
  document.addEventListener('toggle', function (e) { opened(e.target); }, true);
  Array.prototype.forEach.call(document.querySelectorAll('section[data-bp]'), function (s) {
    ['data-bp', 'data-ap'].forEach(function (a) {  // "N|rest": the shared value N, then the rest
      var v = s.getAttribute(a), m = /^(\d+)\|/.exec(v);
      if (m) s.setAttribute(a, T[+m[1]] + v.slice(m[0].length));
    });
    var p = el('p', undefined, 'prefix'), h = s.querySelector('h3');
    p.append('Batch AI ' + s.getAttribute('data-bp'), el('br'), 'AML ' + s.getAttribute('data-ap') + '\u2026');
    if (h) h.after(p);
  });
  Array.prototype.forEach.call(document.querySelectorAll('details[open]'), opened);
  function reveal() {
    var id = location.hash.slice(1), e = id ? document.getElementById(id) : null;
    if (!e && /^r\d+$/.test(id)) {  // a row of a page not rendered yet
      var want = +id.slice(1);
      pages.some(function (p) { return indexes(p).indexOf(want) >= 0 && (render(p), true); });
      e = document.getElementById(id);
    }
    if (!e) return;
    for (var p = e; p; p = p.parentElement) if (p.tagName === 'DETAILS') { p.open = true; opened(p); }
    e.scrollIntoView();
  }
  window.addEventListener('hashchange', reveal);
  reveal();
})();)JS";

constexpr const char* kStyle = R"CSS(
:root{--in_sync:#2e7d32;--pending:#90a4ae;--blocked:#f9a825;--failed:#c62828;--retired:#6a1b9a}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f23;background:#f6f8fa}
header,section,nav,footer{max-width:1200px;margin:0 auto;padding:0 24px}
header{padding-top:20px}h1{font-size:24px;margin:0 0 12px}h2{font-size:19px;margin:28px 0 10px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:16px;margin:22px 0 6px}
.facts{display:flex;flex-wrap:wrap;gap:12px}.fact{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;min-width:200px}
.fact .label{display:block;color:#57606a;font-size:12px;text-transform:uppercase;letter-spacing:.04em}.fact b{display:block;font-size:18px}
.fact.late b,.late{color:var(--failed)}
nav{margin-top:14px}nav a{margin-right:14px}
.chips span{display:inline-block;margin:8px 8px 0 0;padding:2px 8px;border-radius:10px;color:#fff;font-size:13px}
.chips .st-pending{color:#1b1f23}
.st-in_sync{fill:var(--in_sync);background:var(--in_sync)}.st-pending{fill:var(--pending);background:var(--pending)}
.st-blocked{fill:var(--blocked);background:var(--blocked)}.st-failed{fill:var(--failed);background:var(--failed)}
.st-retired{fill:var(--retired);background:var(--retired)}
svg.chart{width:100%;height:auto;background:#fff;border:1px solid #d0d7de;border-radius:6px}
svg.chart .grid{stroke:#eaeef2}svg.chart .axis{font-size:12px;fill:#57606a}
svg.chart .cutoff line{stroke:var(--failed);stroke-width:2;stroke-dasharray:6 4}svg.chart .cutoff text{fill:var(--failed);font-size:12px}
svg.bar{width:100%;height:18px;display:block;background:#eaeef2;border-radius:3px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f0f3f6;font-weight:600}table.ws td:first-child{width:22%}table.ws td.n{width:30%;font-size:12px;color:#57606a}
td>b,td>u{cursor:copy;border-bottom:1px dotted #8c959f;font-weight:normal;text-decoration:none}.copied{background:#dafbe1}
table.res i:not(.s){font-style:normal;color:#57606a;font-size:12px}pre.p::before{content:"\2026prologue (bai2aml plan shows it)\2026\A";color:#8c959f}
i.s{font-style:normal;padding:0 6px;border-radius:8px;color:#fff;font-size:12px;white-space:nowrap}i.s.st-pending{color:#1b1f23}
.k{color:#57606a;font-size:12px}.w{font-size:12px;color:#57606a;white-space:nowrap}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}pre.cmd{margin:4px 0 0;white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:4px}
details{margin:6px 0}summary{cursor:pointer}details.finding{background:#fff;border:1px solid #d0d7de;border-left:4px solid var(--pending);border-radius:4px;padding:6px 10px}
details.sev-error{border-left-color:var(--failed)}details.sev-warning{border-left-color:var(--blocked)}
.sev{font-weight:600;text-transform:uppercase;font-size:12px}.remedy{background:#f6f8fa;padding:6px 8px;border-radius:4px}
p.on{margin:2px 0 10px 16px;font-size:13px}.prefix{font-size:12px;color:#57606a;word-break:break-all}footer{color:#57606a;font-size:12px;padding:24px}
)CSS";

// CSP hashes are base64 of the raw SHA-256.
std::string base64_of_hex(const std::string& hex) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? alphabet[v & 63] : '=';
  }
  return out;
}

// Where an entry stands, for the workspace bars and the header: retired from Batch AI, else the
// least advanced state of its AML counterparts; not-migratable counts as blocked. "" for what has no
// AML side to migrate (experiments, finished jobs, resources that needed nothing).
std::string entry_state(const ReportEntry& e) {
  if (!e.retired_action.empty()) return "retired";
  if (e.outcome == "history") return "";
  if (e.counterparts.empty()) return e.outcome == "not-migratable" ? "blocked" : "";
  int worst = -1;
  static const std::vector<std::string> order = {"in_sync", "retired", "pending", "blocked", "failed"};
  for (const auto& c : e.counterparts) {
    const auto it = std::find(order.begin(), order.end(), c.state);
    worst = std::max(worst, it == order.end() ? 2 : static_cast<int>(it - order.begin()));
  }
  return order[static_cast<std::size_t>(worst)];
}

std::size_t state_index(const std::string& state) {
  for (std::size_t i = 0; i < kChartStates.size(); ++i)
    if (state == kChartStates[i].name) return i;
  return 1;  // pending
}

std::string last_segment(const std::string& id) {
  const auto cut = id.find_last_not_of('/');
  if (cut == std::string::npos) return id;
  const auto slash = id.rfind('/', cut);
  return id.substr(slash == std::string::npos ? 0 : slash + 1, cut - (slash == std::string::npos ? 0 : slash + 1) + 1);
}

// The Batch AI name a person knows a resource by: experiment/job for jobs.
std::string short_source_name(const ReportEntry& e) {
  const auto p = translate::parse_batchai_id(e.source_id);
  if (p.kind == translate::SourceKind::Job && !p.experiment.empty()) return p.experiment + "/" + p.name;
  return p.name.empty() ? last_segment(e.source_id) : p.name;
}

// The longest common prefix of the ids, cut after a '/'.
std::string common_prefix(const std::vector<const std::string*>& ids) {
  if (ids.empty()) return "";
  std::string p = *ids.front();
  for (const auto* id : ids) {
    std::size_t n = 0;
    while (n < p.size() && n < id->size() && p[n] == (*id)[n]) ++n;
    p.resize(n);
  }
  const auto slash = p.rfind('/');
  return slash == std::string::npos ? "" : p.substr(0, slash + 1);
}

// `id` relative to its section's prefix: "" for the section's workspace itself (the prefix is its id
// and a '/'), the whole id (starting with '/') when it is elsewhere.
std::string rel(const std::string& id, const std::string& prefix) {
  if (!prefix.empty() && id.size() + 1 == prefix.size() && prefix.compare(0, id.size(), id) == 0) return "";
  return id.compare(0, prefix.size(), prefix) == 0 ? id.substr(prefix.size()) : id;
}

// The lines every job command starts with (the runtime prologue, typically), shown once instead of
// on every job; "" when they share fewer than 80 characters.
std::string common_command_prologue(const ReportData& d) {
  const std::string* first = nullptr;
  std::size_t n = std::string::npos;
  for (const auto& e : d.entries)
    for (const auto& c : e.counterparts) {
      if (c.kind != "job" || e.outcome == "history") continue;
      if (!first) {
        first = &c.command;
        n = c.command.size();
        continue;
      }
      std::size_t k = 0;
      while (k < n && k < c.command.size() && (*first)[k] == c.command[k]) ++k;
      n = k;
    }
  if (!first || n == std::string::npos) return "";
  const auto nl = first->rfind('\n', n == 0 ? 0 : n - 1);
  if (nl == std::string::npos || nl + 1 < 80) return "";
  return first->substr(0, nl + 1);
}

// The id relative to its section's prefix that the page's script derives from a name and its kind
// (the script's BAI and AML tables); a name whose id is derived needs no data-id, which keeps a
// large page small. Any other spelling (case, a missing segment) keeps its data-id.
std::string derived_source_rel(const ReportEntry& e, const std::string& name) {
  if (e.kind == "cluster") return "clusters/" + name;
  if (e.kind == "file server" || e.kind == "fileserver") return "fileServers/" + name;
  if (e.kind == "experiment") return "experiments/" + name;
  if (e.kind == "workspace") return "";
  if (e.kind == "job") {
    const auto slash = name.find('/');
    if (slash != std::string::npos) return "experiments/" + name.substr(0, slash) + "/jobs/" + name.substr(slash + 1);
  }
  return "\n";  // never equal to an id
}

// An environment version is derived from the environment listed before it (the script does the same).
std::string derived_aml_rel(const std::string& kind, const std::string& name, const std::string& environment) {
  if (kind == "workspace") return "";
  if (kind == "environment_version" && !environment.empty()) return "environments/" + environment + "/versions/" + name;
  if (kind == "compute") return "computes/" + name;
  if (kind == "datastore") return "datastores/" + name;
  if (kind == "job") return "jobs/" + name;
  if (kind == "environment") return "environments/" + name;
  return "\n";
}

// A name in the rows' data: the name alone when the script derives its id, else [name, id].
nlohmann::json name_field(const std::string& rel_id, const std::string& derived, const std::string& name) {
  if (rel_id == derived) return page_string(name);
  return nlohmann::json::array({page_string(name), page_string(rel_id)});
}

struct Workspace {
  std::string id;     // Batch AI workspace id ("" for entries without one)
  std::string label;  // its name and resource group
  std::string anchor;
  std::vector<const ReportEntry*> entries;  // not history
  std::vector<const ReportEntry*> finished;
  StateTotals totals{};
};

std::vector<Workspace> workspaces_of(const ReportData& d) {
  std::map<std::string, Workspace> by_key;
  for (const auto& e : d.entries) {
    const std::string ws_id = report_workspace_of(e);
    auto& ws = by_key[lower(ws_id)];
    if (ws.id.empty() && !ws_id.empty()) {
      const auto p = translate::parse_batchai_id(ws_id);
      ws.id = ws_id;
      ws.label = p.workspace + " (resource group " + p.resource_group + ")";
    }
    if (e.outcome == "history") {
      ws.finished.push_back(&e);
      continue;
    }
    ws.entries.push_back(&e);
    if (const auto st = entry_state(e); !st.empty()) ++ws.totals[state_index(st)];
  }
  std::vector<Workspace> out;
  for (auto& [key, ws] : by_key) {
    if (ws.label.empty()) ws.label = "(no workspace)";
    ws.anchor = "ws-" + std::to_string(out.size() + 1);
    out.push_back(std::move(ws));
  }
  return out;
}

std::string fact(const std::string& id, const std::string& label, const std::string& value, const std::string& detail,
                 bool late = false) {
  return "<div class=\"fact" + std::string(late ? " late" : "") + "\" id=\"" + id + "\"><span class=\"label\">" + label +
         "</span><b>" + value + "</b><span>" + detail + "</span></div>";
}

std::string header(const ReportData& d, const StateTotals& totals, std::size_t aml_total) {
  std::string h = "<header><h1>Batch AI &#8594; Azure Machine Learning migration report</h1><div class=\"facts\">";
  h += fact("fact-cutoff", "Cutoff", html_escape(d.countdown), html_escape(d.cutoff), d.seconds_to_cutoff < 0);
  const bool late = !d.projected_completion.empty() && d.projected_completion > d.cutoff;
  h += fact("fact-projection", "Projected completion",
            d.projected_completion.empty() ? "not yet known" : html_escape(d.projected_completion),
            d.projected_completion.empty() ? "needs two passes that made progress"
                                           : (late ? "after the cutoff" : "before the cutoff"),
            late);
  h += fact("fact-source", "Source", html_escape(d.source_mode),
            d.source_fetched_at.empty() ? "inventory never read" : "inventory read " + html_escape(d.source_fetched_at));
  h += fact("fact-generated", "Generated", html_escape(d.generated_at), "by bai2aml report");
  h += "</div><p class=\"chips\" id=\"totals\">" + std::to_string(d.entries.size()) + " Batch AI resources, " +
       std::to_string(aml_total) + " AML resources desired.<br>";
  for (std::size_t s = 0; s < kChartStates.size(); ++s)
    h += "<span class=\"st-" + std::string(kChartStates[s].name) + "\">" + std::to_string(totals[s]) + " " +
         kChartStates[s].label + "</span>";
  return h + "</p></header>";
}

std::string progress_section(const ReportData& d) {
  std::string s = "<section id=\"progress\"><h2>Progress over time</h2><p>AML resources per state at the end of each "
                  "recorded pass (" + std::to_string(d.progress.size()) + " shown).</p>";
  s += progress_chart_svg(d.progress, d.cutoff);
  return s + "</section>";
}

std::string workspaces_section(const std::vector<Workspace>& wss) {
  std::string s = "<section id=\"workspaces\"><h2>Workspaces</h2><p>Batch AI resources per workspace, by the state of "
                  "their AML counterparts.</p><table class=\"ws\">";
  for (const auto& ws : wss) {
    std::string counts;
    for (std::size_t i = 0; i < kChartStates.size(); ++i)
      if (ws.totals[i]) counts += (counts.empty() ? "" : ", ") + std::to_string(ws.totals[i]) + " " + kChartStates[i].label;
    s += "<tr><td><a href=\"#" + ws.anchor + "\">" + html_escape(ws.label) + "</a></td><td>" + stacked_bar_svg(ws.totals) +
         "</td><td class=\"n\">" + (counts.empty() ? "nothing to migrate" : counts) + "</td></tr>";
  }
  if (wss.empty()) s += "<tr><td>No Batch AI workspace in the inventory.</td></tr>";
  return s + "</table></section>";
}

// Links to the first n of these rows, in pages of kReportHtmlPageRows: each page a paragraph of the
// rows' indexes, each as its distance from the previous one, that the script turns into links (with
// the names from the rows' data) when the details around it is opened. A finished job has no row:
// its name is written as text.
std::string row_links(const ReportData& d, const std::vector<std::size_t>& list, std::size_t n) {
  std::string out;
  const bool paged = list.size() > kReportHtmlPageRows;
  for (std::size_t page = 0; page < n; page += kReportHtmlPageRows) {
    const std::size_t end = std::min(n, page + kReportHtmlPageRows);
    if (paged)
      out += "<details><summary>" + std::to_string(page + 1) + "&#8211;" + std::to_string(end) + " of " +
             std::to_string(list.size()) + "</summary>";
    std::string deltas, names;
    long long previous = -1;
    for (std::size_t i = page; i < end; ++i) {
      const ReportEntry& e = d.entries[list[i]];
      if (e.outcome == "history") {
        names += (names.empty() ? "" : ", ") + html_escape(short_source_name(e));
        continue;
      }
      deltas += (deltas.empty() ? "" : " ") + std::to_string(static_cast<long long>(list[i]) - previous - 1);
      previous = static_cast<long long>(list[i]);
    }
    out += "<p class=on" + (deltas.empty() ? std::string() : " data-r=\"" + deltas + "\"") + ">" + names + "</p>";
    if (paged) out += "</details>";
  }
  return out;
}

struct FindingRef {
  std::size_t entry;
  const translate::Finding* finding;
};

std::string findings_section(const ReportData& d) {
  // (severity rank, code) -> the findings of that group.
  std::map<std::pair<int, std::string>, std::vector<FindingRef>> groups;
  for (std::size_t i = 0; i < d.entries.size(); ++i)
    for (const auto& f : d.entries[i].findings) groups[{static_cast<int>(f.severity), f.code}].push_back({i, &f});
  std::size_t total = 0;
  for (const auto& [k, v] : groups) total += v.size();
  std::string s = "<section id=\"findings\"><h2>Findings</h2><p>" + std::to_string(total) + " findings in " +
                  std::to_string(groups.size()) + " groups: what AML cannot carry or what needs a person.</p>";
  for (const auto& [key, refs] : groups) {
    const char* sev = translate::to_string(static_cast<translate::Severity>(key.first));
    std::map<std::string, std::size_t> remedies;  // the group's usual remedy is shown once
    for (const auto& r : refs) ++remedies[r.finding->remedy];
    const auto usual = std::max_element(remedies.begin(), remedies.end(),
                                        [](const auto& a, const auto& b) { return a.second < b.second; })->first;
    s += "<details class=\"finding sev-" + std::string(sev) + "\" id=\"f-" + html_escape(key.second) + "-" + sev +
         "\"><summary><span class=\"sev\">" + sev + "</span> <code>" + html_escape(key.second) + "</code> &#215; <b>" +
         std::to_string(refs.size()) + "</b></summary><p class=\"remedy\">Remedy: " + html_text(usual) + "</p>";
    // The resources under each distinct message (and remedy, when not the usual one): a message
    // repeated on a thousand jobs is shown once.
    std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> by_message;
    std::vector<std::pair<std::string, std::string>> order;
    for (const auto& r : refs) {
      const auto k = std::make_pair(r.finding->message, r.finding->remedy == usual ? std::string() : r.finding->remedy);
      auto& list = by_message[k];
      if (list.empty()) order.push_back(k);
      list.push_back(r.entry);
    }
    // Bounded per group: the first kReportHtmlGroupMessages distinct messages with their resources,
    // then the other resources by name only, at most kReportHtmlGroupLinks links in all; each row of
    // the resources section still counts its findings. A group of 10,000 unique messages (each
    // naming its own resource) otherwise costs megabytes and is read by nobody.
    std::size_t links = 0, shown_messages = 0;
    std::vector<std::size_t> rest;  // resources under the messages not shown
    const auto link_list = [&](const std::vector<std::size_t>& list) {
      const std::size_t n = std::min(list.size(), kReportHtmlGroupLinks - std::min(links, kReportHtmlGroupLinks));
      std::string out = row_links(d, list, n);
      links += n;
      if (n < list.size())
        out += "<p class=on>and " + std::to_string(list.size() - n) +
               " more (each resource's row in Resources counts its findings)</p>";
      return out;
    };
    for (const auto& k : order) {
      const auto& list = by_message[k];
      if (shown_messages == kReportHtmlGroupMessages) {
        rest.insert(rest.end(), list.begin(), list.end());
        continue;
      }
      ++shown_messages;
      s += "<p>" + html_text(k.first);
      if (!k.second.empty()) s += " <em>Remedy: " + html_text(k.second) + "</em>";
      s += "</p>" + link_list(list);
    }
    if (!rest.empty())
      s += "<p>" + std::to_string(order.size() - shown_messages) + " other messages of this code, on these " +
           std::to_string(rest.size()) + " resources:</p>" + link_list(rest);
    s += "</details>";
  }
  if (groups.empty()) s += "<p>None.</p>";
  return s + "</section>";
}

// The values rows share (kinds, row shapes, commands, outcomes), sent once in the page's
// #report-data block and referred to by their index; 0 is "".
class SharedValues {
 public:
  SharedValues() { index(""); }
  std::size_t index(const nlohmann::json& value) {
    const auto [at, added] = ids_.emplace(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), values_.size());
    if (added) values_.push_back(value);
    return at->second;
  }
  const nlohmann::json& values() const { return values_; }

 private:
  std::unordered_map<std::string, std::size_t> ids_;
  nlohmann::json values_ = nlohmann::json::array();
};

constexpr const char* kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// An ARM request id is a GUID: 22 characters of base64url instead of 36 (the page's requestId()
// reverses it). Any other id is kept, behind '!' when it could be read as one.
std::string compact_request_id(const std::string& id) {
  bool guid = id.size() == 36;
  unsigned acc = 0;
  int bits = 0;
  std::string out;
  for (std::size_t i = 0; guid && i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      guid = c == '-';
      continue;
    }
    const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (v < 0) {
      guid = false;
      continue;
    }
    acc = (acc << 4) | static_cast<unsigned>(v);
    bits += 4;
    if (bits >= 6) {
      bits -= 6;
      out += kBase64Url[(acc >> bits) & 63u];
    }
  }
  if (guid) return out + kBase64Url[(acc << (6 - bits)) & 63u];  // 128 bits: 21 characters and 2 bits
  const bool ambiguous = (id.size() == 22 && id.find_first_not_of(kBase64Url) == std::string::npos) ||
                         (!id.empty() && id[0] == '!');
  return ambiguous ? "!" + page_string(id) : page_string(id);
}

// Seconds since the epoch when `at` is what format_rfc3339 writes (the page rebuilds it exactly).
std::optional<long long> epoch_seconds(const std::string& at) {
  const auto t = config::parse_rfc3339(at);
  if (!t || config::format_rfc3339(*t) != at) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}

// Where translate/job_prologue's runtime prologue ends and the job's own command starts.
constexpr const char* kJobCommandMarker = "# the job's command, as Batch AI ran it\n";

// One page of a workspace's table as the script's rows (see render() in kScript): the bulk of a large
// report, so each row is an array, shared values are indexes, write times are deltas and request
// ids compact.
nlohmann::json page_rows(const ReportData& d, const std::vector<const ReportEntry*>& entries, const std::string& bp,
                         const std::string& ap, const std::string& prologue, SharedValues& shared) {
  auto rows = nlohmann::json::array();
  long long previous_index = -1, previous_at = 0;
  for (const auto* e : entries) {
    const auto index = static_cast<long long>(e - d.entries.data());
    const std::string name = short_source_name(*e);
    auto r = nlohmann::json::array({index - previous_index - 1, name_field(rel(e->source_id, bp), derived_source_rel(*e, name), name),
                                    shared.index(page_string(e->kind)), e->findings.size()});
    previous_index = index;
    if (e->counterparts.empty()) {
      std::string what = e->outcome;
      if (!e->detail.empty()) what += ": " + redact_secrets(e->detail);
      r.push_back(shared.index(page_string(what)));
    }
    std::string environment;
    for (const auto& c : e->counterparts) {
      const std::string aml_name = last_segment(c.id);
      std::string command;
      bool cut = false;
      if (const auto own = c.command.find(kJobCommandMarker); own != std::string::npos) {
        // The runtime prologue (translate/job_prologue) is kilobytes of generated shell per job and
        // `bai2aml plan` prints it whole: the page shows the job's own command after it.
        command = c.command.substr(own + std::string_view(kJobCommandMarker).size());
        cut = true;
      } else if (!c.command.empty()) {
        cut = !prologue.empty() && c.command.compare(0, prologue.size(), prologue) == 0;
        command = cut ? c.command.substr(prologue.size()) : c.command;
      }
      const std::string& known = kChartStates[state_index(c.state)].name;
      const std::string label = c.state == known ? kChartStates[state_index(c.state)].label : page_string(c.state);
      const std::string reason = !c.reason.empty() && c.reason != "Succeeded" ? page_string(redact_secrets(c.reason)) : "";
      const auto shape = nlohmann::json::array(
          {page_string(c.kind), known, label, reason, page_string(c.write_action),
           c.write_action.empty() || c.write_state == "succeeded" ? "" : page_string(c.write_state), cut ? 1 : 0});
      auto a = nlohmann::json::array(
          {name_field(rel(c.id, ap), derived_aml_rel(c.kind, aml_name, environment), aml_name), shared.index(shape)});
      if (c.kind == "environment") environment = aml_name;
      if (!c.write_action.empty() || !c.command.empty()) {
        if (c.write_action.empty()) {
          a.push_back(0);
        } else if (const auto at = epoch_seconds(c.write_at)) {
          a.push_back(*at - previous_at);
          previous_at = *at;
        } else {
          a.push_back(page_string(c.write_at));
        }
        a.push_back(c.write_request_id.empty() ? std::string() : compact_request_id(c.write_request_id));
        if (!c.command.empty()) a.push_back(shared.index(page_string(redact_secrets(command))));
      }
      r.push_back(std::move(a));
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

// A section's prefix as "N|rest": N the index of its parent folder among the shared values (the
// workspaces of a resource group share it), which the script puts back.
std::string shared_prefix(const std::string& prefix, SharedValues& shared) {
  const auto last = prefix.size() < 2 ? std::string::npos : prefix.rfind('/', prefix.size() - 2);
  if (last == std::string::npos || last == 0) return prefix;
  return std::to_string(shared.index(page_string(prefix.substr(0, last + 1)))) + "|" + prefix.substr(last + 1);
}

std::string resources_section(const ReportData& d, const std::vector<Workspace>& wss, SharedValues& shared) {
  const std::string prologue = common_command_prologue(d);
  std::string s = "<section id=\"resources\"><h2>Resources</h2><p>Per Batch AI workspace: each Batch AI resource and its "
                  "AML counterparts, their state and the last write bai2aml sent (action, journal state, time, ARM "
                  "request id). Hover a name for its full ARM id; click to copy it.</p><noscript><p>The tables are "
                  "drawn by the page's script: allow it, or see <code>bai2aml report --format markdown</code>.</p>"
                  "</noscript>";
  if (!prologue.empty())
    s += "<details id=\"prologue\"><summary>Every job's AML command starts with this prologue (shown as "
         "&#8230;prologue&#8230;)</summary><pre class=\"cmd\">" + html_text(prologue) + "</pre></details>";
  std::size_t total = 0;
  for (const auto& ws : wss) total += ws.entries.size();
  for (const auto& ws : wss) {
    const std::string bp = ws.id.empty() ? "" : ws.id + "/";
    std::vector<std::string> dirs;  // each id as a folder, so the AML workspace's own id shares its prefix
    for (const auto* e : ws.entries)
      for (const auto& c : e->counterparts) dirs.push_back(c.id + "/");
    std::vector<const std::string*> aml_ids;
    for (const auto& id : dirs) aml_ids.push_back(&id);
    std::string ap = common_prefix(aml_ids);
    // Down to the AML workspace (…/workspaces/W/), so that names under it derive their ids.
    if (const auto w = lower(ap).rfind("/workspaces/"); w != std::string::npos) {
      const auto next = ap.find('/', w + 12);
      if (next != std::string::npos) ap.resize(next + 1);
    }
    // The script shows both prefixes under the heading (they are long: once per section).
    s += "<section id=\"" + ws.anchor + "\" data-bp=\"" + html_escape(shared_prefix(bp, shared)) + "\" data-ap=\"" +
         html_escape(shared_prefix(ap, shared)) + "\"><h3>" +
         html_escape(ws.label) + "</h3>";
    const auto& rows = ws.entries;
    const bool open = rows.size() <= kReportHtmlPageRows && total <= kReportHtmlOpenTablesUpTo;
    for (std::size_t page = 0; page < rows.size(); page += kReportHtmlPageRows) {
      const std::size_t end = std::min(rows.size(), page + kReportHtmlPageRows);
      const std::vector<const ReportEntry*> entries(rows.begin() + static_cast<std::ptrdiff_t>(page),
                                                    rows.begin() + static_cast<std::ptrdiff_t>(end));
      s += std::string("<details class=pg") + (open ? " open" : "") + "><summary>Resources " + std::to_string(page + 1) +
           "&#8211;" + std::to_string(end) + " of " + std::to_string(rows.size()) +
           "</summary><script type=\"application/json\">" + json_in_script(page_rows(d, entries, bp, ap, prologue, shared)) +
           "</script></details>";
    }
    if (rows.empty()) s += "<p>No resource to migrate.</p>";
    s += "</section>";
  }
  return s + "</section>";
}

// What bai2aml retired, by what it did (deleted, terminated, deleted with a workspace) and how that
// ended in the journal: the count, when, and the resources as links to their rows (a retirement of
// a whole estate is as many resources as the tables).
std::string retired_section(const ReportData& d) {
  struct Group {
    std::vector<std::size_t> rows;
    std::string first, last;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;
  std::size_t total = 0;
  for (std::size_t i = 0; i < d.entries.size(); ++i) {
    const auto& e = d.entries[i];
    if (e.retired_action.empty()) continue;
    auto& g = groups[{e.retired_action, e.retired_state}];
    g.rows.push_back(i);
    if (g.first.empty() || e.retired_at < g.first) g.first = e.retired_at;
    if (e.retired_at > g.last) g.last = e.retired_at;
    ++total;
  }
  if (groups.empty()) return "";
  std::string s = "<section id=\"retired\"><h2>Retired from Batch AI</h2><p>" + std::to_string(total) +
                  " Batch AI resources deleted or terminated by bai2aml (policy.retire_source), by what was done and "
                  "its state in the journal.</p>";
  for (const auto& [key, g] : groups) {
    const std::string when = html_escape(g.first) + (g.first == g.last ? "" : " &#8211; " + html_escape(g.last));
    s += std::string("<details class=rt") + (total <= kReportHtmlPageRows ? " open" : "") + "><summary>" +
         html_escape(key.first) + " (" + html_escape(key.second) + "): <b>" + std::to_string(g.rows.size()) + "</b>, " + when +
         "</summary>" + row_links(d, g.rows, g.rows.size()) + "</details>";
  }
  return s + "</section>";
}

std::string finished_section(const std::vector<Workspace>& wss) {
  std::size_t total = 0;
  for (const auto& ws : wss) total += ws.finished.size();
  std::string s = "<section id=\"finished\"><h2>Finished jobs</h2><p>" + std::to_string(total) +
                  " Batch AI jobs had ended before the migration: kept as history, not re-run.</p>";
  for (const auto& ws : wss) {
    if (ws.finished.empty()) continue;
    s += "<details><summary>" + html_escape(ws.label) + ": " + std::to_string(ws.finished.size()) + "</summary>";
    // By how they ended (succeeded, failed...), each name once.
    std::map<std::string, std::vector<const ReportEntry*>> by_end;
    for (const auto* e : ws.finished) by_end[e->detail].push_back(e);
    for (const auto& [end, jobs] : by_end) {
      s += "<p class=on>" + html_text(end.empty() ? "ended" : end) + " (" + std::to_string(jobs.size()) + "): ";
      for (std::size_t i = 0; i < jobs.size(); ++i) s += (i ? ", " : "") + html_escape(short_source_name(*jobs[i]));
      s += "</p>";
    }
    s += "</details>";
  }
  return s + "</section>";
}

}  // namespace

std::string report_to_html(const ReportData& d) {
  const auto wss = workspaces_of(d);
  StateTotals totals{};
  std::size_t aml_total = 0;
  for (const auto& ws : wss)
    for (std::size_t i = 0; i < totals.size(); ++i) totals[i] += ws.totals[i];
  for (const auto& e : d.entries) aml_total += e.counterparts.size();

  const std::string script_hash = base64_of_hex(state::sha256_hex(kScript));
  std::string h;
  h.reserve(4096 + d.entries.size() * 160);
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "script-src 'sha256-" + script_hash + "'\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
       "<meta name=\"generator\" content=\"bai2aml\"><title>Migration report " + html_escape(d.generated_at) +
       "</title><style>" + kStyle + "</style></head><body>";
  h += header(d, totals, aml_total);
  h += "<nav><a href=\"#progress\">Progress</a><a href=\"#workspaces\">Workspaces</a><a href=\"#findings\">Findings</a>"
       "<a href=\"#resources\">Resources</a>";
  if (std::any_of(d.entries.begin(), d.entries.end(), [](const ReportEntry& e) { return !e.retired_action.empty(); }))
    h += "<a href=\"#retired\">Retired from Batch AI</a>";
  h += "<a href=\"#finished\">Finished jobs</a></nav>";
  h += progress_section(d);
  h += workspaces_section(wss);
  h += findings_section(d);
  SharedValues shared;
  h += resources_section(d, wss, shared);
  h += retired_section(d);
  h += finished_section(wss);
  h += "<footer>bai2aml migration report. Everything here comes from bai2aml's database; secrets are never stored "
       "there.</footer><script type=\"application/json\" id=\"report-data\">";
  h += json_in_script({{"t", shared.values()}});
  h += "</script><script>";
  h += kScript;
  h += "</script></body></html>\n";
  return h;
}

}  // namespace bai2aml::daemon
