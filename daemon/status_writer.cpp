#include "daemon/status_writer.hpp"

#include "daemon/atomic_file.hpp"
#include "daemon/prometheus_textfile.hpp"
#include "daemon/status_json.hpp"

#include <stdexcept>
#include <string>

namespace bai2aml::daemon {

void write_status_files(const config::Status& paths, const StatusSnapshot& s) {
  constexpr mode_t kReadableByAll = 0644;
  std::string errors;
  auto attempt = [&](const std::string& path, const std::string& content) {
    try {
      write_file_atomically(path, content, kReadableByAll);
    } catch (const std::exception& e) {
      errors += (errors.empty() ? "" : "; ") + std::string(e.what());
    }
  };
  if (!paths.json_file.empty()) attempt(paths.json_file, status_json_text(s));
  if (!paths.prometheus_file.empty()) attempt(paths.prometheus_file, status_to_prometheus(s));
  if (!errors.empty()) throw std::runtime_error(errors);
}

}  // namespace bai2aml::daemon
