// The transport rules that do not depend on cpprestsdk (so the fuzz targets link without it).
#include "azure/transport.hpp"

namespace bai2aml::azure {

bool insecure_url_allowed(const Url& url, const TransportOptions& options) {
  if (url.scheme == "https") return true;
  if (options.allow_insecure_loopback && is_loopback_host(url.host)) return true;
  return options.insecure_hosts.count(url.host) > 0;
}

}  // namespace bai2aml::azure
