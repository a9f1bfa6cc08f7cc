// One status line kept at the bottom of a terminal while `apply` or `run` works ("pass 3 executing:
// 812/1000 in sync; writes 120/400, 14 in flight; ETA 2m10s"), redrawn in place. Log lines written
// to the same terminal go above it: the line is erased, the log line written, the line redrawn, so
// the two never tear. Only for a terminal: journald and pipes get plain lines (--progress).
#pragma once

#include <mutex>
#include <string>

namespace bai2aml::daemon {

class TerminalStatusLine {
 public:
  // `fd` is the terminal (stdout). While this object lives, log lines go through write_log().
  explicit TerminalStatusLine(int fd);
  ~TerminalStatusLine();  // erases the line and hands the log back to plain stderr
  TerminalStatusLine(const TerminalStatusLine&) = delete;
  TerminalStatusLine& operator=(const TerminalStatusLine&) = delete;

  void show(const std::string& line);  // replaces the line (cut to the terminal's width)
  void clear();                        // erases it

  // Writes a log line to stderr without tearing the status line when both share the terminal.
  void write_log(const std::string& log_line);

 private:
  void draw_locked();
  void erase_locked();

  int fd_;
  bool shares_terminal_ = false;  // stderr is the same terminal as fd_
  std::mutex mutex_;
  std::string line_;
  bool drawn_ = false;
};

}  // namespace bai2aml::daemon
