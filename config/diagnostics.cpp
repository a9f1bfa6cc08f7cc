#include "config/diagnostics.hpp"

#include <algorithm>

namespace bai2aml::config {

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = d.level == Diagnostic::Level::Error ? "error: " : "warning: ";
  if (!d.path.empty()) out += d.path + ": ";
  return out + d.message;
}

void Diagnostics::error(std::string path, std::string message) {
  items_.push_back({Diagnostic::Level::Error, std::move(path), std::move(message)});
}

void Diagnostics::warning(std::string path, std::string message) {
  items_.push_back({Diagnostic::Level::Warning, std::move(path), std::move(message)});
}

bool Diagnostics::has_errors() const {
  return std::any_of(items_.begin(), items_.end(),
                     [](const Diagnostic& d) { return d.level == Diagnostic::Level::Error; });
}

}  // namespace bai2aml::config
