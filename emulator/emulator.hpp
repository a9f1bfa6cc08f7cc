// The emulator's request handling, independent of the transport: Emulator::handle() takes a parsed
// request and returns the response. http_server.cpp feeds it from sockets; tests may call it directly.
#pragma once

#include <memory>

#include "emulator/http_types.hpp"
#include "emulator/options.hpp"
#include "emulator/seed.hpp"

namespace bai2aml::emulator {

struct Context;

class Emulator {
 public:
  Emulator(const Options& options, const Seed& seed);
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  Response handle(const Request& request);  // thread-safe

 private:
  std::unique_ptr<Context> ctx_;
};

}  // namespace bai2aml::emulator
