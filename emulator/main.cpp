// bai2aml-emulator: parses the flags (exit 2 with usage on error), loads the seed, serves until
// SIGINT/SIGTERM.
#include <csignal>
#include <cstdio>
#include <exception>
#include <pthread.h>
#include <thread>

#include "emulator/emulator.hpp"
#include "emulator/http_server.hpp"
#include "emulator/options.hpp"
#include "emulator/seed.hpp"

int main(int argc, char** argv) {
  using namespace bai2aml::emulator;
  Options options;
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::fputs(usage_text(), stdout);
    return 0;
  }
  if (std::string err = parse_options(args, options); !err.empty()) {
    std::fprintf(stderr, "bai2aml-emulator: %s\n%s", err.c_str(), usage_text());
    return 2;
  }
  Seed seed;
  try {
    seed = load_seed_file(options.seed_file);
  } catch (const SeedError& e) {
    std::fprintf(stderr, "bai2aml-emulator: invalid seed: %s\n", e.what());
    return 2;
  }

  size_t unservable = 0;
  for (const auto& r : seed.resources) unservable += is_servable(r) ? 0 : 1;
  if (unservable > 0)
    std::fprintf(stderr,
                 "bai2aml-emulator: %zu seed resource(s) have ids of no served type; they are stored and visible "
                 "through /_emulator/resources only\n",
                 unservable);

  // Signals are taken by sigwait() on the main thread; every other thread inherits the block.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  try {
    Emulator emulator(options, seed);
    HttpServer server(emulator, options.listen_host, options.listen_port, options.tls_cert, options.tls_key);
    std::printf("bai2aml-emulator listening on %s://%s:%d (%zu seed resources)\n",
                options.tls_cert.empty() ? "http" : "https", options.listen_host.c_str(), server.port(),
                seed.resources.size());
    std::fflush(stdout);
    std::thread serving([&] { server.run(); });
    int sig = 0;
    sigwait(&signals, &sig);
    server.stop();
    serving.join();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bai2aml-emulator: %s\n", e.what());
    return 1;
  }
  return 0;
}
