// The fuzz targets link the azure layer without its one cpprestsdk translation unit: they build their
// ArmClient on a scripted transport, so the production transport is never made.
#include <cstdlib>

#include "azure/transport.hpp"

namespace bai2aml::azure {

std::unique_ptr<Transport> make_cpprest_transport(boost::asio::io_context&, const TransportOptions&) { std::abort(); }

}  // namespace bai2aml::azure
