#include "translate/findings.hpp"

#include "config/redaction.hpp"

#include <algorithm>
#include <stdexcept>

namespace bai2aml::translate {

const std::vector<FindingKind>& finding_catalogue() {
  static const std::vector<FindingKind> catalogue = [] {
    std::vector<FindingKind> c = {
        {"distribution-approximated", Severity::Warning,
         "Check the job's process count: AML starts the same number of processes on every node."},
        {"duplicate-resource", Severity::Warning,
         "The inventory lists this resource more than once; re-export it so each resource appears once."},
        {"experiment-recorded", Severity::Info,
         "Nothing to do: AML has no experiment resource; its jobs carry the experiment name."},
        {"file-server-mapped", Severity::Info,
         "Make sure the data was copied from the file server to the mapped share or container."},
        {"job-cluster-missing", Severity::Error,
         "Re-create the job by hand on an AML compute, or add its cluster to the inventory."},
        {"job-finished", Severity::Info, "Nothing to do: finished jobs are history and are never re-run."},
        {"job-no-container", Severity::Info,
         "Check that the default AML base image has what the job needs, or build an environment for it."},
        {"job-not-migrated", Severity::Info,
         "Set mapping.jobs to \"active\" to migrate running jobs too, or re-submit the job by hand in AML."},
        {"initial-node-count-dropped", Severity::Info,
         "Nothing to do: the compute starts at its minimum node count and grows as jobs arrive."},
        {"job-logs-moved", Severity::Info,
         "Read stdout and stderr in the AML job's logs (studio, or `az ml job download --all`); the job's "
         "own files in $AZ_BATCHAI_STDOUTERR_DIR stay where the message says."},
        {"job-path-unresolved", Severity::Warning,
         "Make the path reachable: map its file server in mapping.file_servers, or copy the data to Azure "
         "Files or Blob storage that the job mounts, then re-run plan."},
        {"job-preparation-prepended", Severity::Warning,
         "Better: bake the preparation into the job's environment image and remove it from the command."},
        {"job-preparation-under-mpi", Severity::Warning,
         "Bake the MPI runtime (and whatever the preparation installs) into the job's environment image."},
        {"job-priority-dropped", Severity::Info,
         "Give urgent jobs their own compute (or submit them first); AML has no per-job priority here."},
        {"job-variable-undefined", Severity::Info,
         "Nothing changed from Batch AI; set the variable in the job's environmentVariables if it should "
         "have a value."},
        {"job-secrets-dropped", Severity::Warning,
         "Store each secret in the workspace's key vault and read it from the job (AML has no secret "
         "environment variables)."},
        {"job-timeout-invalid", Severity::Warning, "Set limits.timeout on the AML job by hand."},
        {"job-toolkit-missing", Severity::Error,
         "Re-create the job by hand in AML with the command it should run."},
        {"malformed-resource", Severity::Error,
         "Fix or re-export the inventory: the named field is missing or has the wrong type."},
        {"mount-options-dropped", Severity::Info,
         "Check the job's file permissions: AML mounts datastores with its own options and modes."},
        {"name-changed", Severity::Info,
         "Nothing to do, or choose the AML name yourself in mapping.names."},
        {"name-collision", Severity::Error, "Give the resources distinct names in mapping.names."},
        {"name-override-invalid", Severity::Error,
         "Fix the name in mapping.names: it breaks the AML naming rule or collides with another name."},
        {"nfs-file-server", Severity::Error,
         "NFS has no AML datastore: copy the data to Azure Files or Blob storage and map the file server "
         "to it in mapping.file_servers."},
        {"node-deallocation-option-changed", Severity::Info,
         "Nothing to do: AML removes only idle nodes, so running jobs always complete (like "
         "waitforjobcompletion)."},
        {"node-setup-unsupported", Severity::Warning,
         "AML has no node preparation: bake the setup into the jobs' environment image."},
        {"orphan-resource", Severity::Error,
         "Add the resource's Batch AI workspace to the inventory (or the source.resource_groups filter)."},
        {"os-image-unsupported", Severity::Warning,
         "AML offers no OS image choice: install what the image provided in the jobs' environment image."},
        {"performance-counters-unsupported", Severity::Info,
         "Use the AML workspace's Application Insights and Azure Monitor metrics instead."},
        {"registry-credentials-dropped", Severity::Warning,
         "Give the workspace's identity pull access (AcrPull) to the registry, or attach it to the workspace."},
        {"shm-size-invalid", Severity::Warning, "Set resources.shmSize on the AML job by hand."},
        {"ssh-credentials-missing", Severity::Warning,
         "Give SSH credentials in mapping.ssh to keep SSH access to the compute nodes."},
        {"storage-key-missing", Severity::Warning,
         "Put the storage account key in a file and name it in mapping.storage_keys, or grant the "
         "workspace identity access to the storage (the datastore uses identity-based access until then)."},
        {"tensorflow-roles-dispatched", Severity::Info,
         "Check the command: it chooses the parameter server or worker arguments from TF_CONFIG."},
        {"unknown-resource", Severity::Warning,
         "The id names no Batch AI workspace, cluster, file server, experiment or job; remove it from the "
         "inventory."},
        {"unmanaged-file-system", Severity::Error,
         "Copy the data to Azure Files or Blob storage and read it through an AML datastore."},
        {"workspace-tag-reserved", Severity::Warning,
         "Rename the workspace tag: bai2aml's ownership tags take its place on the AML workspace."},
        {"workspace-location-changed", Severity::Info,
         "Nothing to do, unless data residency requires target.location to be the Batch AI location."},
    };
    std::sort(c.begin(), c.end(), [](const FindingKind& a, const FindingKind& b) {
      return std::string(a.code) < std::string(b.code);
    });
    return c;
  }();
  return catalogue;
}

Finding make_finding(const std::string& code, const std::string& source_id, std::string message) {
  const auto& c = finding_catalogue();
  const auto it = std::lower_bound(c.begin(), c.end(), code,
                                   [](const FindingKind& k, const std::string& v) { return k.code < v; });
  if (it == c.end() || code != it->code) throw std::logic_error("finding code not in the catalogue: " + code);
  // Messages quote free text from the inventory (setup tasks, mount commands, job preparation).
  return Finding{code, it->severity, source_id, config::redact_secrets(message), it->remedy};
}

}  // namespace bai2aml::translate
