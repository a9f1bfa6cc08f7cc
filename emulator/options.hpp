// The command line of bai2aml-emulator (DESIGN.md §4.4, plus --token-ttl and --fault-seed).
#pragma once

#include <string>
#include <vector>

namespace bai2aml::emulator {

struct Options {
  std::string listen_host = "127.0.0.1";
  int listen_port = 0;  // required
  std::string seed_file;  // required
  int latency_ms = 0;     // added to every ARM request
  int lro_ms = 1000;      // time for a long-running operation to reach its terminal state
  int page_size = 100;    // LIST page size (nextLink beyond it)
  double fault_rate = 0;  // share of ARM requests answered with a fault
  unsigned fault_seed = 0;  // 0: random; else reproducible fault decisions
  double read_rate = 0, read_burst = 0;    // per-subscription read bucket; rate 0 = unlimited
  double write_rate = 0, write_burst = 0;  // per-subscription write bucket; rate 0 = unlimited
  std::string tls_cert, tls_key;           // both or neither: serve HTTPS
  bool batchai_retired = false;
  int token_ttl_seconds = 3600;
};

// Parses argv[1..]; returns "" on success, else a message naming the bad flag.
std::string parse_options(const std::vector<std::string>& args, Options& out);
const char* usage_text();

}  // namespace bai2aml::emulator
