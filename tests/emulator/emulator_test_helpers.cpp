#include "tests/emulator/emulator_test_helpers.hpp"

#include "tests/support/support.hpp"

namespace bai2aml::testing::emu {

std::string aml_ws_path(const std::string& ws, const std::string& rg) {
  return "/subscriptions/" + kSub + "/resourceGroups/" + rg + "/providers/Microsoft.MachineLearningServices/workspaces/" + ws;
}

std::string bai_ws_path(const std::string& ws, const std::string& rg) {
  return "/subscriptions/" + kSub + "/resourceGroups/" + rg + "/providers/Microsoft.BatchAI/workspaces/" + ws;
}

std::string q(const std::string& path, const std::string& api) { return path + "?api-version=" + api; }

nlohmann::json aml_compute_body(const std::string& vm_size, int max_nodes) {
  return {{"location", "eastus"},
          {"properties",
           {{"computeType", "AmlCompute"},
            {"properties",
             {{"vmSize", vm_size},
              {"vmPriority", "Dedicated"},
              {"scaleSettings", {{"minNodeCount", 0}, {"maxNodeCount", max_nodes}, {"nodeIdleTimeBeforeScaleDown", "PT5M"}}},
              {"userAccountCredentials", {{"adminUserName", "azureuser"}, {"adminUserPassword", "Hunter2-secret"}}}}}}}};
}

nlohmann::json azure_file_datastore_body(const std::string& key) {
  return {{"properties",
           {{"datastoreType", "AzureFile"},
            {"accountName", "mystorage"},
            {"fileShareName", "data"},
            {"credentials", {{"credentialsType", "AccountKey"}, {"secrets", {{"secretsType", "AccountKey"}, {"key", key}}}}}}}};
}

nlohmann::json command_job_body(const std::string& command) {
  return {{"properties",
           {{"jobType", "Command"},
            {"command", command},
            {"environmentId", aml_ws_path() + "/environments/env1/versions/1"},
            {"computeId", aml_ws_path() + "/computes/gpu-cluster"},
            {"experimentName", "exp1"},
            {"resources", {{"instanceCount", 2}}},
            {"limits", {{"jobLimitsType", "Command"}, {"timeout", "PT2H"}}}}}};
}

std::string seed_with_aml_workspace() {
  nlohmann::json ws = {{"id", aml_ws_path()},
                       {"name", "ws1"},
                       {"type", "Microsoft.MachineLearningServices/workspaces"},
                       {"location", "eastus"},
                       {"properties", {{"provisioningState", "Succeeded"}}}};
  return nlohmann::json{{"resources", {ws}}}.dump();
}

std::string spec_example(const std::string& relative) { return read_file(specs_dir() + "/" + relative); }

}  // namespace bai2aml::testing::emu
