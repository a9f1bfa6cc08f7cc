// Problems found while loading a config: each names the JSON path it concerns.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace bai2aml::config {

struct Diagnostic {
  enum class Level { Error, Warning };
  Level level = Level::Error;
  std::string path;     // JSON path, e.g. azure.auth.method or mapping.storage_keys["acct"]
  std::string message;  // what is wrong and what is allowed
};

std::string format_diagnostic(const Diagnostic& d);  // "error: azure.auth.method: ..."

class Diagnostics {
 public:
  void error(std::string path, std::string message);
  void warning(std::string path, std::string message);
  bool has_errors() const;
  const std::vector<Diagnostic>& all() const { return items_; }

  // Key paths a reader asked for (whether present or not).
  void accept_key(std::string path) { accepted_.insert(std::move(path)); }
  const std::set<std::string>& accepted_keys() const { return accepted_; }

 private:
  std::vector<Diagnostic> items_;
  std::set<std::string> accepted_;
};

}  // namespace bai2aml::config
