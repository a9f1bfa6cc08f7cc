#include "translate/names.hpp"

#include <cctype>
#include <cstdio>

namespace bai2aml::translate {
namespace {

bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

std::size_t max_length(NameRule r) {
  switch (r) {
    case NameRule::Workspace: return 33;
    case NameRule::Compute: return 24;
    case NameRule::Datastore:
    case NameRule::Environment:
    case NameRule::Job: return 255;
  }
  return 24;
}

std::size_t min_length(NameRule r) { return r == NameRule::Workspace || r == NameRule::Compute ? 3 : 1; }

bool allowed(NameRule r, char c) {
  if (r == NameRule::Compute) return alnum(c) || c == '-';
  return alnum(c) || c == '-' || c == '_';
}

// Maps every character the rule forbids to '-', collapses runs of separators and trims them from
// the ends; for computes also removes leading non-letters.
std::string sanitize(NameRule rule, const std::string& in) {
  std::string out;
  for (char c : in) {
    char m = allowed(rule, c) ? c : '-';
    if (!alnum(m) && !out.empty() && !alnum(out.back())) continue;  // collapse "-_" runs
    out += m;
  }
  while (!out.empty() && !alnum(out.front())) out.erase(out.begin());
  if (rule == NameRule::Compute) {
    while (!out.empty() && !alpha(out.front())) out.erase(out.begin());
  }
  while (!out.empty() && !alnum(out.back())) out.pop_back();
  return out;
}

}  // namespace

const char* to_string(NameRule r) {
  switch (r) {
    case NameRule::Workspace: return "workspace";
    case NameRule::Compute: return "compute";
    case NameRule::Datastore: return "datastore";
    case NameRule::Environment: return "environment";
    case NameRule::Job: return "job";
  }
  return "?";
}

std::string name_rule_violation(NameRule rule, const std::string& name) {
  const std::size_t lo = min_length(rule), hi = max_length(rule);
  if (name.size() < lo || name.size() > hi) {
    return "must be " + std::to_string(lo) + " to " + std::to_string(hi) + " characters long, not " +
           std::to_string(name.size());
  }
  for (char c : name) {
    if (!allowed(rule, c)) {
      return rule == NameRule::Compute ? "may contain only letters, digits and '-'"
                                       : "may contain only letters, digits, '-' and '_'";
    }
  }
  if (rule == NameRule::Compute) {
    if (!alpha(name.front())) return "must start with a letter";
    const auto dash = name.rfind('-');
    if (dash != std::string::npos) {
      bool letter_after = false;
      for (std::size_t i = dash + 1; i < name.size(); ++i) letter_after = letter_after || alpha(name[i]);
      if (!letter_after) return "every '-' must be followed later by a letter";
    }
  } else if (!alnum(name.front())) {
    return "must start with a letter or digit";
  }
  return "";
}

std::uint64_t fnv1a64(const std::string& s) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string short_hash(const std::string& source_id) {
  std::string lower;
  lower.reserve(source_id.size());
  for (char c : source_id) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(lower)));
  return std::string(buf, 6);
}

std::string hash_suffix(NameRule rule, const std::string& source_id) {
  return (rule == NameRule::Compute ? "-c" : "-") + short_hash(source_id);
}

std::string with_hash(NameRule rule, const std::string& base, const std::string& source_id) {
  const std::string suffix = hash_suffix(rule, source_id);
  std::string b = sanitize(rule, base);
  if (b.size() + suffix.size() > max_length(rule)) b.resize(max_length(rule) - suffix.size());
  while (!b.empty() && !alnum(b.back())) b.pop_back();
  if (b.empty()) b = rule == NameRule::Compute ? "bai" : "bai2aml";
  return b + suffix;
}

DerivedName derive_name(NameRule rule, const std::string& source_name, const std::string& source_id) {
  const std::string s = sanitize(rule, source_name);
  if (s == source_name && name_rule_violation(rule, s).empty()) return {s, false};
  return {with_hash(rule, s, source_id), true};
}

}  // namespace bai2aml::translate
