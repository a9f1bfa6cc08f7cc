#include "daemon/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace bai2aml::daemon {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& step, int err) {
  throw std::runtime_error("cannot write " + path + ": " + step + ": " + std::strerror(err));
}

// Closes the descriptor and removes the temporary file unless released (on success).
class TempFile {
 public:
  TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  int fd() const { return fd_; }
  int close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }
  void release() { path_.clear(); }

 private:
  int fd_;
  std::string path_;
};

}  // namespace

void write_file_atomically(const std::string& path, const std::string& content, mode_t mode) {
  namespace fs = std::filesystem;
  if (path.empty()) throw std::runtime_error("cannot write a file with an empty path");
  fs::path target(path);
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot write " + path + ": creating " + dir.string() + ": " + ec.message());

  std::string temp_path = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkostemp(temp_path.data(), O_CLOEXEC);
  if (fd < 0) fail(path, "creating a temporary file in " + dir.string(), errno);
  TempFile temp(fd, temp_path);

  if (::fchmod(temp.fd(), mode) != 0) fail(path, "fchmod", errno);
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(temp.fd(), data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path, "write", errno);
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(temp.fd()) != 0) fail(path, "fsync", errno);
  if (temp.close() != 0) fail(path, "close", errno);
  if (::rename(temp_path.c_str(), path.c_str()) != 0) fail(path, "rename from " + temp_path, errno);
  temp.release();

  // The rename is durable only once the directory entry is on disk.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) fail(path, "opening directory " + dir.string(), errno);
  const int rc = ::fsync(dir_fd);
  const int err = errno;
  ::close(dir_fd);
  if (rc != 0 && err != EINVAL) fail(path, "fsync of directory " + dir.string(), err);  // EINVAL: fs without dir fsync
}

}  // namespace bai2aml::daemon
