// The network transport (cpprestsdk behind this interface: only cpprest_transport.cpp includes it).
#pragma once

#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "azure/pipeline.hpp"

namespace boost::asio {
class io_context;
}

namespace bai2aml::azure {

struct TransportOptions {
  std::chrono::seconds timeout{60};        // whole request, connect to last byte
  bool allow_insecure_loopback = false;    // plain http to 127.0.0.0/8, ::1, localhost
  std::set<std::string> insecure_hosts;    // further hosts allowed over plain http (IMDS: 169.254.169.254)
  std::string ca_file;                     // extra trust anchors (PEM) on top of the system store
};

// Whether plain http to this URL is allowed by the options (https always is).
bool insecure_url_allowed(const Url& url, const TransportOptions& options);

// HTTPS with certificate and host-name verification; one client (and its connection pool) per
// origin, reused across requests. Completions are posted back onto io. Failures become ArmErrors:
// ConnectionError/Timeout (retryable), TlsError/InsecureTransport/InvalidUrl (terminal).
// Destroying the transport cancels requests in flight and waits for them to unwind.
std::unique_ptr<Transport> make_cpprest_transport(boost::asio::io_context& io, const TransportOptions& options);

}  // namespace bai2aml::azure
