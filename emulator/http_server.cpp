// GCC reports -Wnull-dereference false positives inside Boost.Asio's inlined scheduler code; the warning
// stays on for every other file. (Must precede the Boost includes.)
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include "emulator/http_server.hpp"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "emulator/emulator.hpp"

namespace bai2aml::emulator {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpServer::Impl {
  Emulator& emulator;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::unique_ptr<asio::ssl::context> tls;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::condition_variable idle;
  std::set<tcp::socket*> live;  // open connections, shut down on stop()

  explicit Impl(Emulator& e) : emulator(e) {}

  Request to_request(const http::request<http::string_body>& msg, const tcp::socket& socket) {
    Request req;
    req.method = std::string(msg.method_string());
    const std::string target(msg.target());
    const auto q = target.find('?');
    req.path = url_decode_path(target.substr(0, q));
    if (q != std::string::npos) req.query = parse_query(target.substr(q + 1));
    for (const auto& field : msg) req.headers[std::string(field.name_string())] = std::string(field.value());
    req.body = msg.body();
    const std::string host = req.header("Host");
    req.base_url = std::string(tls ? "https://" : "http://") +
                   (host.empty() ? "127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) : host);
    boost::system::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    req.loopback = !ec && peer.address().is_loopback();
    return req;
  }

  // Percent-decoding of the path only ('+' stays '+', unlike in a query string).
  static std::string url_decode_path(const std::string& p) {
    std::string escaped;
    for (char c : p) escaped += (c == '+') ? std::string("%2B") : std::string(1, c);
    return url_decode(escaped);
  }

  // Serves one connection until the peer closes, an error occurs or a fault drops it.
  // Returns true when the connection should be dropped without a graceful (TLS) shutdown.
  template <class Stream>
  bool serve(Stream& stream, tcp::socket& socket) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      boost::system::error_code ec;
      http::read(stream, buffer, parser, ec);
      if (ec) return false;
      const auto& msg = parser.get();
      Response resp = emulator.handle(to_request(msg, socket));
      if (resp.drop_connection) return true;
      http::response<http::string_body> res{static_cast<http::status>(resp.status), msg.version()};
      res.set(http::field::server, "bai2aml-emulator");
      for (const auto& [name, value] : resp.headers) res.set(name, value);
      res.body() = std::move(resp.body);
      res.keep_alive(msg.keep_alive());
      res.prepare_payload();
      http::write(stream, res, ec);
      if (ec || !res.keep_alive()) return false;
    }
  }

  void session(tcp::socket& socket) {
    socket.set_option(tcp::no_delay(true));
    boost::system::error_code ec;
    if (tls) {
      beast::ssl_stream<tcp::socket&> stream(socket, *tls);
      stream.handshake(asio::ssl::stream_base::server, ec);
      if (!ec && !serve(stream, socket)) stream.shutdown(ec);
    } else {
      serve(socket, socket);
    }
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
};

HttpServer::HttpServer(Emulator& emulator, const std::string& host, int port, const std::string& tls_cert,
                       const std::string& tls_key)
    : impl_(std::make_unique<Impl>(emulator)) {
  if (!tls_cert.empty()) {
    impl_->tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    boost::system::error_code ec;
    impl_->tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                            asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                            asio::ssl::context::no_tlsv1_1);
    impl_->tls->use_certificate_chain_file(tls_cert, ec);
    if (ec) throw std::runtime_error("--tls-cert " + tls_cert + ": " + ec.message());
    impl_->tls->use_private_key_file(tls_key, asio::ssl::context::pem, ec);
    if (ec) throw std::runtime_error("--tls-key " + tls_key + ": " + ec.message());
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("--listen: '" + host + "' is not an IP address");
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  auto& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
}

HttpServer::~HttpServer() = default;

int HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::run() {
  Impl& s = *impl_;
  while (!s.stopping) {
    tcp::socket socket(s.ioc);
    boost::system::error_code ec;
    s.acceptor.accept(socket, ec);
    if (s.stopping) break;
    if (ec) continue;
    std::lock_guard lock(s.mu);
    auto* owned = new tcp::socket(std::move(socket));
    s.live.insert(owned);
    std::thread([&s, owned] {
      s.session(*owned);
      std::lock_guard guard(s.mu);
      s.live.erase(owned);
      delete owned;
      s.idle.notify_all();
    }).detach();
  }
  std::unique_lock lock(s.mu);
  for (auto* socket : s.live) {
    boost::system::error_code ec;
    socket->shutdown(tcp::socket::shutdown_both, ec);
  }
  s.idle.wait_for(lock, std::chrono::seconds(5), [&] { return s.live.empty(); });
}

void HttpServer::stop() {
  Impl& s = *impl_;
  if (s.stopping.exchange(true)) return;
  // Wake the blocking accept() with a connection of our own.
  boost::system::error_code ec;
  asio::io_context ioc;
  tcp::socket wake(ioc);
  auto endpoint = s.acceptor.local_endpoint(ec);
  if (endpoint.address().is_unspecified())
    endpoint.address(endpoint.protocol() == tcp::v4() ? asio::ip::address(asio::ip::address_v4::loopback())
                                                      : asio::ip::address(asio::ip::address_v6::loopback()));
  wake.connect(endpoint, ec);
}

}  // namespace bai2aml::emulator
