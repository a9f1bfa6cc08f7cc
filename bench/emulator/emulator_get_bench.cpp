// bench_emulator_get: starts bai2aml-emulator on a loopback port with a seeded workspace of N computes,
// then T threads, each on its own keep-alive connection, GET random computes for D seconds (bounded also
// by a request cap). Prints requests/s and latency percentiles. Loopback only; asserts nothing.
//
//   bench_emulator_get [--threads T] [--seconds D] [--computes N] [--max-requests M] [--emulator PATH]

// GCC's -Wnull-dereference misfires inside Boost.Asio's inlined scheduler (see emulator/http_server.cpp).
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kWs =
    "/subscriptions/00000000-0000-0000-0000-0000000000b1/resourceGroups/bench/providers/"
    "Microsoft.MachineLearningServices/workspaces/bench-ws";

int free_port() {
  asio::io_context ioc;
  tcp::acceptor a(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

struct Connection {
  asio::io_context ioc;
  tcp::socket socket{ioc};
  beast::flat_buffer buffer;
  explicit Connection(int port) { socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port))); }
  http::response<http::string_body> send(http::verb verb, const std::string& target, const std::string& body,
                                         const std::string& auth, const std::string& content_type) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!auth.empty()) req.set(http::field::authorization, "Bearer " + auth);
    if (!body.empty()) {
      req.set(http::field::content_type, content_type);
      req.body() = body;
    }
    req.keep_alive(true);
    req.prepare_payload();
    http::write(socket, req);
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return res;
  }
};

long arg(int argc, char** argv, const char* name, long fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == name) return std::strtol(argv[i + 1], nullptr, 10);
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = static_cast<int>(arg(argc, argv, "--threads", 8));
  const int seconds = static_cast<int>(std::min(30L, arg(argc, argv, "--seconds", 5)));
  const int computes = static_cast<int>(arg(argc, argv, "--computes", 500));
  const long max_requests = arg(argc, argv, "--max-requests", 2000000);
  std::string emulator = std::string(BAI2AML_BINARY_DIR) + "/emulator/bai2aml-emulator";
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--emulator") emulator = argv[i + 1];

  // Seed: one workspace and `computes` AmlComputes, as a GET returns them.
  nlohmann::json resources = nlohmann::json::array();
  resources.push_back({{"id", kWs}, {"name", "bench-ws"}, {"type", "Microsoft.MachineLearningServices/workspaces"},
                       {"location", "eastus"}, {"properties", {{"provisioningState", "Succeeded"}}}});
  for (int i = 0; i < computes; ++i)
    resources.push_back({{"id", kWs + "/computes/c" + std::to_string(i) + "x"},
                         {"name", "c" + std::to_string(i) + "x"},
                         {"type", "Microsoft.MachineLearningServices/workspaces/computes"},
                         {"location", "eastus"},
                         {"properties",
                          {{"computeType", "AmlCompute"},
                           {"provisioningState", "Succeeded"},
                           {"properties", {{"vmSize", "Standard_NC6"}, {"scaleSettings", {{"maxNodeCount", 4}}}}}}}});
  char seed_path[] = "/tmp/bench-emulator-seed-XXXXXX";
  const int fd = mkstemp(seed_path);
  if (fd < 0) return 1;
  close(fd);
  std::ofstream(seed_path) << nlohmann::json{{"resources", resources}}.dump();

  const int port = free_port();
  const std::string listen = "127.0.0.1:" + std::to_string(port);
  std::vector<std::string> args = {emulator, "--listen", listen, "--seed", seed_path};
  std::vector<char*> cargs;
  for (auto& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, emulator.c_str(), nullptr, nullptr, cargs.data(), environ) != 0) {
    std::fprintf(stderr, "cannot start %s\n", emulator.c_str());
    return 1;
  }
  auto cleanup = [&] {
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    unlink(seed_path);
  };

  std::string token;
  for (int attempt = 0; attempt < 200 && token.empty(); ++attempt) {
    try {
      Connection c(port);
      auto res = c.send(http::verb::post, "/bench/oauth2/v2.0/token", "grant_type=client_credentials&client_id=bench&client_secret=x&scope=arm",
                        "", "application/x-www-form-urlencoded");
      token = nlohmann::json::parse(res.body())["access_token"].get<std::string>();
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  if (token.empty()) {
    std::fprintf(stderr, "emulator did not come up\n");
    cleanup();
    return 1;
  }

  std::atomic<long> total{0}, errors{0};
  std::vector<std::vector<double>> latencies(static_cast<size_t>(threads));
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t) * 7919u + 1);
      std::uniform_int_distribution<int> pick(0, computes - 1);
      auto& lat = latencies[static_cast<size_t>(t)];
      lat.reserve(200000);
      try {
        Connection c(port);
        while (Clock::now() < deadline && total.load(std::memory_order_relaxed) < max_requests) {
          const std::string target = kWs + "/computes/c" + std::to_string(pick(rng)) + "x?api-version=2024-04-01";
          const auto t0 = Clock::now();
          auto res = c.send(http::verb::get, target, "", token, "");
          lat.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
          if (res.result_int() != 200) errors.fetch_add(1);
          total.fetch_add(1, std::memory_order_relaxed);
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "worker %d: %s\n", t, e.what());
        errors.fetch_add(1);
      }
    });
  for (auto& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(p * static_cast<double>(all.size())))]; };
  std::printf("bai2aml-emulator GET by id: %d threads x keep-alive, %d computes seeded, %.1f s\n", threads, computes, elapsed);
  std::printf("requests: %ld  errors: %ld  throughput: %.0f requests/s\n", total.load(), errors.load(),
              static_cast<double>(total.load()) / elapsed);
  std::printf("latency us: p50 %.0f  p90 %.0f  p99 %.0f  max %.0f\n", pct(0.50), pct(0.90), pct(0.99),
              all.empty() ? 0.0 : all.back());
  cleanup();
  return errors.load() == 0 ? 0 : 1;
}
