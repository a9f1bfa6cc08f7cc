// Ids and bodies shared by the emulator's integration tests.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace bai2aml::testing::emu {

inline const std::string kSub = "11111111-2222-3333-4444-555555555555";
inline const std::string kAml = "2024-04-01";
inline const std::string kBai = "2018-05-01";

std::string aml_ws_path(const std::string& ws = "ws1", const std::string& rg = "rg1");  // no query
std::string bai_ws_path(const std::string& ws = "bws", const std::string& rg = "rg1");
std::string q(const std::string& path, const std::string& api);  // path + "?api-version=" + api

nlohmann::json aml_compute_body(const std::string& vm_size = "Standard_NC6", int max_nodes = 4);
nlohmann::json azure_file_datastore_body(const std::string& key = "c2VjcmV0LWtleQ==");
nlohmann::json command_job_body(const std::string& command = "python train.py");

// A seed with one AML workspace (ws1 in rg1, eastus), already Succeeded.
std::string seed_with_aml_workspace();

std::string spec_example(const std::string& relative);  // file under azure-specs/
}  // namespace bai2aml::testing::emu
