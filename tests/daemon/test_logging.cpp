#include "daemon/logging.hpp"

#include "captured_log.hpp"
#include "reconcile/azure_write.hpp"
#include "tests/support/support.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

using namespace bai2aml::daemon;
using bai2aml::config::LogFormat;
using bai2aml::daemon::test::CapturedLog;
using bai2aml::reconcile::AzureWrite;
using bai2aml::reconcile::log_azure_write;
using nlohmann::json;

namespace {

TimePoint at_millis(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }
const TimePoint kTime = at_millis(1795766400123);  // 2026-11-27T08:00:00.123Z

// Points file descriptor 2 at a file for the scope of a test.
class StderrToFile {
 public:
  explicit StderrToFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    saved_ = ::dup(STDERR_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
  }
  ~StderrToFile() {
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
  }
  StderrToFile(const StderrToFile&) = delete;
  StderrToFile& operator=(const StderrToFile&) = delete;

 private:
  int saved_ = -1;
};

std::string journal_stream_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

}  // namespace

TEST_CASE("text lines: timestamp, padded level, message", "[logging]") {
  CHECK(format_log_line(LogFormat::Text, false, spdlog::level::info, kTime, "hello") ==
        "2026-11-27T08:00:00.123Z info  hello\n");
  CHECK(format_log_line(LogFormat::Text, false, spdlog::level::err, kTime, "boom") ==
        "2026-11-27T08:00:00.123Z error boom\n");
  CHECK(format_log_line(LogFormat::Text, false, spdlog::level::warn, kTime, "two\nlines") ==
        "2026-11-27T08:00:00.123Z warn  two lines\n");
}

TEST_CASE("text lines: an escape sequence or a C1 control in a logged name is shown, not sent raw", "[logging]") {
  // A Batch AI name or an ARM error message can carry them; the log goes to a terminal under `apply`.
  CHECK(format_log_line(LogFormat::Text, false, spdlog::level::info, kTime, "job x\x1b]0;pwned\x07\rfake\xc2\x9b" "2J") ==
        "2026-11-27T08:00:00.123Z info  job x\\x1b]0;pwned\\x07\\x0dfake\\u009b2J\n");
  CHECK(format_log_line(LogFormat::Text, true, spdlog::level::info, kTime, "caf\xc3\xa9\x1b[2J") == "<6>info  caf\xc3\xa9\\x1b[2J\n");
}

TEST_CASE("under journald, lines start with the sd-daemon priority and leave the time to the journal", "[logging]") {
  CHECK(format_log_line(LogFormat::Text, true, spdlog::level::trace, kTime, "m") == "<7>trace m\n");
  CHECK(format_log_line(LogFormat::Text, true, spdlog::level::debug, kTime, "m") == "<7>debug m\n");
  CHECK(format_log_line(LogFormat::Text, true, spdlog::level::info, kTime, "m") == "<6>info  m\n");
  CHECK(format_log_line(LogFormat::Text, true, spdlog::level::warn, kTime, "m") == "<4>warn  m\n");
  CHECK(format_log_line(LogFormat::Text, true, spdlog::level::err, kTime, "m") == "<3>error m\n");
  CHECK(format_log_line(LogFormat::Text, true, spdlog::level::critical, kTime, "m") == "<2>crit  m\n");
  const std::string j = format_log_line(LogFormat::Json, true, spdlog::level::err, kTime, "m");
  CHECK(j.rfind("<3>{", 0) == 0);
  CHECK(json::parse(j.substr(3))["level"] == "error");
}

TEST_CASE("json lines: one object per line with ts, level, msg and extra fields", "[logging]") {
  const json fields{{"resource_id", "/subscriptions/x"}, {"duration_ms", 12}, {"msg", "must not override"}};
  const std::string line =
      format_log_line(LogFormat::Json, false, spdlog::level::info, kTime, "quote \" and\nnewline", &fields);
  REQUIRE(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);
  CHECK(json::parse(line) == json{{"ts", "2026-11-27T08:00:00.123Z"},
                                  {"level", "info"},
                                  {"msg", "quote \" and\nnewline"},
                                  {"resource_id", "/subscriptions/x"},
                                  {"duration_ms", 12}});
}

TEST_CASE("redact_secrets masks credentials in their usual spellings", "[logging][redaction]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"Authorization: Bearer eyJ0eXAiOiJKV1Qi.eyJhdWQiOi.SflKxw-_RJ=", "Authorization: Bearer ***"},
      {"authorization: bearer abc def", "authorization: bearer *** def"},
      {"body grant_type=client_credentials&client_secret=Xy~8Q_abc.123&scope=x",
       "body grant_type=client_credentials&client_secret=***&scope=x"},
      {"client_assertion=eyJhbGc.payload.sig&client_assertion_type=jwt", "client_assertion=***&client_assertion_type=jwt"},
      {"DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=bG9uZ2tleQ==;EndpointSuffix=core",
       "DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=***;EndpointSuffix=core"},
      {"https://acc.blob.core.windows.net/c?sv=2021&sig=AbC%2Bd%3D&se=2027", "https://acc.blob.core.windows.net/c?sv=2021&sig=***&se=2027"},
      {R"({"token_type":"Bearer","access_token":"eyJ0eXAi.x.y","expires_in":3599})",
       R"({"token_type":"Bearer","access_token":"***","expires_in":3599})"},
      {R"({"refresh_token" : "0.AAA", "id_token":"e.f.g"})", R"({"refresh_token" : "***", "id_token":"***"})"},
      {R"(msg {\"access_token\":\"eyJ0eXAi\"} end)", R"(msg {\"access_token\":\"***\"} end)"},
      {R"({"adminUserPassword":"P@ss w0rd!","adminUserName":"azureuser"})",
       R"({"adminUserPassword":"***","adminUserName":"azureuser"})"},
      {R"("secrets":{"secretsType":"AccountKey","key":"a2V5"})", R"("secrets":{"secretsType":"AccountKey","key":"***"})"},
      {"PASSWORD=hunter2 next", "PASSWORD=*** next"},
  };
  for (const auto& [input, expected] : cases) {
    INFO(input);
    CHECK(redact_secrets(input) == expected);
  }
}

TEST_CASE("redact_secrets leaves ordinary text alone", "[logging][redaction]") {
  for (const char* text :
       {"PUT /subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w: 201",
        "client_secret_file=/run/credentials/bai2aml.service/client-secret", "the password policy changed",
        "bearer", "keyVault=/subscriptions/s/kv", R"({"key_vault":"kv","keys":[]})", "config=sig", "Bearer",
        "client_secret= ", "mysig=abc", ""}) {
    INFO(text);
    CHECK(redact_secrets(text) == text);
  }
}

TEST_CASE("the sink redacts every line and drops what is below the level", "[logging]") {
  CapturedLog log(LogFormat::Text, true);
  spdlog::info("token acquired: {}", R"({"access_token":"eyJSECRET"})");
  spdlog::debug("debug is below info and is dropped");
  spdlog::warn("retrying with Bearer eyJSECRET");
  REQUIRE(log.lines.size() == 2);
  CHECK(log.lines[0] == "<6>info  token acquired: {\"access_token\":\"***\"}\n");
  CHECK(log.lines[1] == "<4>warn  retrying with Bearer ***\n");
}

TEST_CASE("log_azure_write logs one line with id, action, outcome, duration and request id", "[logging]") {
  AzureWrite w;
  w.action = "create";
  w.resource_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w";
  w.succeeded = true;
  w.outcome = "succeeded";
  w.duration = std::chrono::milliseconds(1234);
  w.request_id = "6f1c0d9e-req";
  {
    CapturedLog log(LogFormat::Text, false);
    log_azure_write(w);
    REQUIRE(log.lines.size() == 1);
    CHECK(log.lines[0].substr(24) == " info  azure write: create " + w.resource_id +
                                         " succeeded in 1234 ms (request id 6f1c0d9e-req)\n");
  }
  {
    CapturedLog log(LogFormat::Json, false);
    w.succeeded = false;
    w.outcome = "failed: Conflict (409)";
    w.request_id.clear();
    log_azure_write(w);
    spdlog::info("a later line carries no azure fields");
    REQUIRE(log.lines.size() == 2);
    const json j = json::parse(log.lines[0]);
    CHECK(j["level"] == "warn");
    CHECK(j["action"] == "create");
    CHECK(j["resource_id"] == w.resource_id);
    CHECK(j["outcome"] == "failed: Conflict (409)");
    CHECK(j["duration_ms"] == 1234);
    CHECK(j["request_id"] == "");
    CHECK(j["msg"] == "azure write: create " + w.resource_id + " failed: Conflict (409) in 1234 ms (request id none)");
    CHECK_FALSE(json::parse(log.lines[1]).contains("action"));
  }
}

TEST_CASE("parse_log_level knows the config's levels and names a wrong one", "[logging]") {
  CHECK(parse_log_level("trace") == spdlog::level::trace);
  CHECK(parse_log_level("debug") == spdlog::level::debug);
  CHECK(parse_log_level("info") == spdlog::level::info);
  CHECK(parse_log_level("warn") == spdlog::level::warn);
  CHECK(parse_log_level("error") == spdlog::level::err);
  CHECK_THROWS_WITH(parse_log_level("verbose"), Catch::Contains("log.level") && Catch::Contains("verbose"));
}

TEST_CASE("fd_is_journal_stream compares JOURNAL_STREAM with the descriptor's device and inode", "[logging]") {
  bai2aml::testing::TempDir dir;
  bai2aml::testing::write_file(dir.file("a"), "");
  bai2aml::testing::write_file(dir.file("b"), "");
  const int fd = ::open(dir.file("a").c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  CHECK(fd_is_journal_stream(fd, journal_stream_of(dir.file("a")).c_str()));
  CHECK_FALSE(fd_is_journal_stream(fd, journal_stream_of(dir.file("b")).c_str()));
  CHECK_FALSE(fd_is_journal_stream(fd, (journal_stream_of(dir.file("a")) + "x").c_str()));
  CHECK_FALSE(fd_is_journal_stream(fd, "garbage"));
  CHECK_FALSE(fd_is_journal_stream(fd, ""));
  CHECK_FALSE(fd_is_journal_stream(fd, nullptr));
  ::close(fd);
  CHECK_FALSE(fd_is_journal_stream(fd, journal_stream_of(dir.file("a")).c_str()));  // closed descriptor
}

TEST_CASE("setup_logging writes the configured format and level to stderr", "[logging]") {
  bai2aml::testing::TempDir dir;
  const auto previous = spdlog::default_logger();
  {
    StderrToFile redirect(dir.file("stderr"));
    bai2aml::config::Log config;
    config.level = "warn";
    config.format = LogFormat::Json;
    setup_logging(config, false);
    spdlog::info("below the level");
    spdlog::error("connection string AccountKey=c2VjcmV0;");
  }
  spdlog::set_default_logger(previous);
  const std::string out = bai2aml::testing::read_file(dir.file("stderr"));
  REQUIRE(out.find('\n') == out.size() - 1);  // exactly one line
  const json j = json::parse(out);
  CHECK(j["level"] == "error");
  CHECK(j["msg"] == "connection string AccountKey=***;");
}
