#include "daemon/terminal_status_line.hpp"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "daemon/logging.hpp"

namespace bai2aml::daemon {
namespace {

void write_all(int fd, const std::string& s) {
  const char* p = s.data();
  std::size_t left = s.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

bool same_file(int a, int b) {
  struct stat sa {}, sb {};
  return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

std::size_t terminal_width(int fd) {
  struct winsize ws {};
  if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10) return ws.ws_col;
  return 100;
}

// "\r" to the line's start, "ESC[K" erases to its end (ECMA-48 EL).
constexpr const char* kEraseLine = "\r\033[K";

}  // namespace

TerminalStatusLine::TerminalStatusLine(int fd) : fd_(fd), shares_terminal_(::isatty(STDERR_FILENO) && same_file(fd, STDERR_FILENO)) {
  set_log_line_writer([this](const std::string& line) { write_log(line); });
}

TerminalStatusLine::~TerminalStatusLine() {
  set_log_line_writer(nullptr);
  std::lock_guard<std::mutex> lock(mutex_);
  erase_locked();
}

void TerminalStatusLine::show(const std::string& line) {
  std::lock_guard<std::mutex> lock(mutex_);
  line_ = line;
  const auto width = terminal_width(fd_);
  if (line_.size() >= width) line_ = line_.substr(0, width - 1);
  draw_locked();
}

void TerminalStatusLine::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  erase_locked();
  line_.clear();
}

void TerminalStatusLine::write_log(const std::string& log_line) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!shares_terminal_) {
    write_all(STDERR_FILENO, log_line);
    return;
  }
  erase_locked();
  write_all(STDERR_FILENO, log_line);
  draw_locked();
}

void TerminalStatusLine::draw_locked() {
  if (line_.empty()) return erase_locked();
  write_all(fd_, std::string(kEraseLine) + line_);
  drawn_ = true;
}

void TerminalStatusLine::erase_locked() {
  if (!drawn_) return;
  write_all(fd_, kEraseLine);
  drawn_ = false;
}

}  // namespace bai2aml::daemon
