// The AML side of a rehearsal: the processes AML starts for a translated command job and the
// environment each gets from its distribution, inputs and outputs (the AML
// sources and assumptions listed in translate/README.md, 'Sources').
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/rehearsal/batchai_side.hpp"
#include "tests/rehearsal/sandbox.hpp"
#include "translate/model.hpp"

namespace bai2aml::rehearsal {

// Lays out each node (TMPDIR, working dir, one mount directory per input/output leading to its
// datastore location) and returns the processes with `${{inputs.x}}`/`${{outputs.x}}` substituted.
// `problems` receives what AML itself would refuse (an unknown input, an unknown datastore).
SidePlan plan_aml(const translate::DesiredResource& job, const translate::Translation& t, int gpus,
                  const std::vector<std::string>& record_vars, const Sandbox& sandbox,
                  std::vector<std::string>& problems);

}  // namespace bai2aml::rehearsal
