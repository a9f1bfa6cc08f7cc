// What a process's records mean independent of where each side put things: paths become storage
// locations (store://<account>/<container>/<sub>), node-local directories become facts about them,
// host:port becomes host, the per-job output segment becomes {output-segment}.
#pragma once

#include <string>
#include <vector>

#include "tests/rehearsal/sandbox.hpp"

namespace bai2aml::rehearsal {

struct Viewpoint {
  const Sandbox* sandbox = nullptr;
  std::string side;            // "batchai" or "aml"
  int node = 0;                // the node the process ran on
  std::string output_segment;  // the side's per-job output path segment
};

// A record as comparable text: "argv: [...]", "env K=V" (sorted), "fact ..." lines.
std::vector<std::string> normalize_record(const Record& r, const Viewpoint& v);

// One string of a record, normalized (exposed for the harness tests).
std::string normalize_value(const std::string& s, const Record& r, const Viewpoint& v);

// Variables only AML's job preparation sees (the prologue ran before it); Batch AI ran job
// preparation without the toolkit's per-process variables (README: documented difference 2).
bool toolkit_variable(const std::string& name);

// The lines of `a` and `b` side by side, "-" only in a (Batch AI), "+" only in b (AML).
std::string line_diff(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace bai2aml::rehearsal
