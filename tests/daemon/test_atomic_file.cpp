#include "daemon/atomic_file.hpp"

#include "tests/support/support.hpp"

#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

using namespace bai2aml::daemon;
using bai2aml::testing::read_file;
using bai2aml::testing::TempDir;

namespace {
mode_t mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}
std::size_t entries_in(const std::string& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}
}  // namespace

TEST_CASE("write_file_atomically creates the file and missing parent directories", "[atomic_file]") {
  TempDir dir;
  const std::string path = dir.file("run/bai2aml/status.json");
  write_file_atomically(path, "{\"version\":1}\n", 0644);
  CHECK(read_file(path) == "{\"version\":1}\n");
  CHECK(mode_of(path) == 0644);
  CHECK(entries_in(dir.file("run/bai2aml")) == 1);  // no temporary file left behind
}

TEST_CASE("write_file_atomically replaces the content and applies the mode regardless of umask", "[atomic_file]") {
  TempDir dir;
  const std::string path = dir.file("metrics.prom");
  write_file_atomically(path, "a much longer first version of the file\n", 0600);
  const mode_t old_umask = ::umask(0077);
  write_file_atomically(path, "second\n", 0644);
  ::umask(old_umask);
  CHECK(read_file(path) == "second\n");
  CHECK(mode_of(path) == 0644);
  write_file_atomically(path, "", 0640);
  CHECK(read_file(path).empty());
  CHECK(mode_of(path) == 0640);
  CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("write_file_atomically swaps the inode, so a reader holding the old file sees it whole", "[atomic_file]") {
  TempDir dir;
  const std::string path = dir.file("status.json");
  write_file_atomically(path, "old", 0644);
  struct stat before {};
  REQUIRE(::stat(path.c_str(), &before) == 0);
  write_file_atomically(path, "new", 0644);
  struct stat after {};
  REQUIRE(::stat(path.c_str(), &after) == 0);
  CHECK(before.st_ino != after.st_ino);
}

TEST_CASE("write_file_atomically names the path when it cannot write", "[atomic_file]") {
  TempDir dir;
  const std::string blocker = dir.file("not-a-dir");
  bai2aml::testing::write_file(blocker, "x");
  const std::string path = blocker + "/status.json";  // parent is a regular file
  try {
    write_file_atomically(path, "content", 0644);
    FAIL("expected an exception");
  } catch (const std::runtime_error& e) {
    CHECK_THAT(e.what(), Catch::Contains(path));
  }
  CHECK_THROWS_WITH(write_file_atomically("", "content", 0644), Catch::Contains("empty path"));
}

TEST_CASE("write_file_atomically leaves no temporary file when the rename fails", "[atomic_file]") {
  TempDir dir;
  const std::string path = dir.file("target");
  std::filesystem::create_directories(path + "/occupied");  // rename over a non-empty directory fails
  CHECK_THROWS_WITH(write_file_atomically(path, "content", 0644), Catch::Contains(path) && Catch::Contains("rename"));
  CHECK(entries_in(dir.path()) == 1);
}
