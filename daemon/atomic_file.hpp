// Replacing a file so that readers (monitoring, node_exporter) only ever see the old or the new
// content, never a half-written one, and the new content survives a crash once this returns.
#pragma once

#include <string>
#include <sys/types.h>

namespace bai2aml::daemon {

// Writes `content` to a temporary file in the directory of `path`, fsyncs it, renames it over `path`
// and fsyncs the directory. Creates missing parent directories (0777 less the umask). The file gets exactly
// `mode` (the umask does not apply). Throws std::runtime_error naming the path and the failed step;
// the temporary file is removed on failure.
void write_file_atomically(const std::string& path, const std::string& content, mode_t mode);

}  // namespace bai2aml::daemon
