// The migration's status as the database records it: what `bai2aml status` prints and what the
// daemon publishes after each cycle (it adds its in-memory figures: ARM request counts).
#pragma once

#include "config/config.hpp"
#include "daemon/status_snapshot.hpp"
#include "state/store.hpp"

namespace bai2aml::daemon {

StatusSnapshot snapshot_from_store(state::Store& store, const config::Config& cfg, TimePoint now);

}  // namespace bai2aml::daemon
