#include "emulator/options.hpp"

#include <cstdlib>
#include <functional>
#include <map>

namespace bai2aml::emulator {

const char* usage_text() {
  return "usage: bai2aml-emulator --listen HOST:PORT --seed FILE [--latency-ms N] [--lro-ms N] [--page-size N]\n"
         "                        [--fault-rate R] [--fault-seed N] [--write-rate N --write-burst N]\n"
         "                        [--read-rate N --read-burst N] [--tls-cert FILE --tls-key FILE]\n"
         "                        [--batchai-retired] [--token-ttl SECONDS]\n";
}

namespace {
bool to_long(const std::string& s, long long& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtoll(s.c_str(), &end, 10);
  return end && *end == '\0';
}
bool to_double(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end && *end == '\0';
}
}  // namespace

std::string parse_options(const std::vector<std::string>& args, Options& out) {
  using Setter = std::function<std::string(const std::string& flag, const std::string& value)>;
  auto int_flag = [](int& target, long long min, long long max) -> Setter {
    return [&target, min, max](const std::string& flag, const std::string& v) -> std::string {
      long long n;
      if (!to_long(v, n) || n < min || n > max)
        return flag + ": expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], got '" + v + "'";
      target = static_cast<int>(n);
      return "";
    };
  };
  auto real_flag = [](double& target, double min, double max) -> Setter {
    return [&target, min, max](const std::string& flag, const std::string& v) -> std::string {
      double d;
      if (!to_double(v, d) || d < min || d > max)
        return flag + ": expected a number in [" + std::to_string(min) + ", " + std::to_string(max) + "], got '" + v + "'";
      target = d;
      return "";
    };
  };
  auto string_flag = [](std::string& target) -> Setter {
    return [&target](const std::string& flag, const std::string& v) -> std::string {
      if (v.empty()) return flag + ": expected a value";
      target = v;
      return "";
    };
  };
  std::string listen;
  int fault_seed = 0;
  const std::map<std::string, Setter> flags = {
      {"--listen", string_flag(listen)},
      {"--seed", string_flag(out.seed_file)},
      {"--latency-ms", int_flag(out.latency_ms, 0, 600000)},
      {"--lro-ms", int_flag(out.lro_ms, 0, 3600000)},
      {"--page-size", int_flag(out.page_size, 1, 100000)},
      {"--fault-rate", real_flag(out.fault_rate, 0, 1)},
      {"--fault-seed", int_flag(fault_seed, 0, 2147483647)},
      {"--write-rate", real_flag(out.write_rate, 0, 1e9)},
      {"--write-burst", real_flag(out.write_burst, 0, 1e9)},
      {"--read-rate", real_flag(out.read_rate, 0, 1e9)},
      {"--read-burst", real_flag(out.read_burst, 0, 1e9)},
      {"--tls-cert", string_flag(out.tls_cert)},
      {"--tls-key", string_flag(out.tls_key)},
      {"--token-ttl", int_flag(out.token_ttl_seconds, 1, 86400 * 365)},
  };
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i], value;
    bool inline_value = false;
    if (auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      inline_value = true;
    }
    if (flag == "--batchai-retired" && !inline_value) {
      out.batchai_retired = true;
      continue;
    }
    auto it = flags.find(flag);
    if (it == flags.end()) return "unknown argument '" + args[i] + "'";
    if (!inline_value) {
      if (i + 1 >= args.size()) return flag + ": missing value";
      value = args[++i];
    }
    if (std::string err = it->second(flag, value); !err.empty()) return err;
  }
  if (listen.empty()) return "--listen HOST:PORT is required";
  auto colon = listen.rfind(':');
  long long port;
  if (colon == std::string::npos || colon == 0 || !to_long(listen.substr(colon + 1), port) || port < 0 || port > 65535)
    return "--listen: expected HOST:PORT, got '" + listen + "'";
  out.listen_host = listen.substr(0, colon);
  if (out.listen_host.size() > 2 && out.listen_host.front() == '[' && out.listen_host.back() == ']')
    out.listen_host = out.listen_host.substr(1, out.listen_host.size() - 2);
  out.listen_port = static_cast<int>(port);
  if (out.seed_file.empty()) return "--seed FILE is required";
  if (out.tls_cert.empty() != out.tls_key.empty()) return "--tls-cert and --tls-key go together";
  if ((out.read_burst > 0 && out.read_rate <= 0) || (out.write_burst > 0 && out.write_rate <= 0))
    return "--read-burst/--write-burst need the matching --read-rate/--write-rate";
  out.fault_seed = static_cast<unsigned>(fault_seed);
  return "";
}

}  // namespace bai2aml::emulator
