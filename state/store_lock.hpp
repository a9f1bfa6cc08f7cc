// The advisory lock that makes one process the owner of a database: flock(2) on "<db>.lock",
// released by the kernel when the process dies, so a crash never leaves a stale lock.
#pragma once

#include <string>

namespace bai2aml::state {

class StoreLock {
 public:
  // Throws StoreError naming the holder's pid when another process holds the lock.
  explicit StoreLock(const std::string& database_path);
  ~StoreLock();
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace bai2aml::state
