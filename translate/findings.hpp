// The findings catalogue: every code translation can emit, with its fixed severity and remedy. Codes
// are stable (reports, dashboards and tests key on them); add new ones, never rename.
#pragma once

#include <string>
#include <vector>

#include "translate/model.hpp"

namespace bai2aml::translate {

struct FindingKind {
  const char* code;
  Severity severity;
  const char* remedy;  // what the operator does about it
};

const std::vector<FindingKind>& finding_catalogue();  // sorted by code

// A finding of a catalogued code. An unknown code is a programming error (std::logic_error).
Finding make_finding(const std::string& code, const std::string& source_id, std::string message);

}  // namespace bai2aml::translate
