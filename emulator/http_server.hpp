// The socket side of the emulator: Boost.Beast over blocking sockets, one thread per connection with
// HTTP/1.1 keep-alive, optional TLS. Beast rather than cpprestsdk's http_listener because fault injection
// must be able to drop a connection without answering, and because it sustains a higher request rate.
#pragma once

#include <memory>
#include <string>

namespace bai2aml::emulator {

class Emulator;

class HttpServer {
 public:
  // Binds and listens at once (throws std::runtime_error naming the address on failure).
  HttpServer(Emulator& emulator, const std::string& host, int port, const std::string& tls_cert = "",
             const std::string& tls_key = "");
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;   // the bound port (useful with port 0)
  void run();         // accepts until stop(); returns once every connection has closed
  void stop();        // thread-safe

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bai2aml::emulator
