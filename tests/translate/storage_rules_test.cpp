// Mounts -> datastores, file servers and unmanaged file systems (DESIGN §3).
#include <catch2/catch.hpp>

#include "tests/translate/fixtures.hpp"
#include "translate/secret_ref.hpp"
#include "translate/translate.hpp"

namespace config = bai2aml::config;
using namespace bai2aml::translate;
using namespace bai2aml::translate::test;

TEST_CASE("mounts become one datastore per account+share/container per workspace", "[rules][storage]") {
  json a = file_share("acct", "share", "data");
  a["credentials"] = {{"accountKey", "inline-account-key-value"}};
  const json c1 = cluster("ws1", "cl1", {{"nodeSetup", {{"mountVolumes", {{"azureFileShares", json::array({a})},
                                                                        {"azureBlobFileSystems", json::array({blob("acct", "models", "m")})}}}}}});
  // Same share under another mount path, and the same account name under another container.
  const json c2 = cluster("ws1", "cl2", {{"nodeSetup", {{"mountVolumes", {{"azureFileShares", json::array({file_share("ACCT", "share", "other")})},
                                                                        {"azureBlobFileSystems", json::array({blob("acct", "logs", "l")})}}}}}});
  const json c3 = cluster("ws2", "cl3");  // same share, other workspace: its own datastore
  config::Config cfg = test_config();
  cfg.mapping.storage_keys["acct"] = "/creds/acct.key";
  const Translation t = translate({workspace("ws1"), workspace("ws2"), c1, c2, c3}, cfg);
  const auto stores = of_kind(t, Kind::Datastore);
  REQUIRE(stores.size() == 4);
  const DesiredResource* share = find_resource(t, Kind::Datastore, "/workspaces/ws1/datastores/acct_share");
  REQUIRE(share);
  const json& p = share->body["properties"];
  CHECK(p["datastoreType"] == "AzureFile");
  CHECK(p["accountName"] == "acct");
  CHECK(p["fileShareName"] == "share");
  CHECK(p["endpoint"] == "core.windows.net");
  CHECK(p["credentials"] == json{{"credentialsType", "AccountKey"},
                                 {"secrets", {{"secretsType", "AccountKey"}, {"key", secret_file_ref("/creds/acct.key")}}}});
  CHECK(p["tags"]["managed-by"] == "bai2aml");
  CHECK(p["tags"]["bai2aml-source"] == ws_id("ws1") + "/clusters/cl1");  // the first mounting resource
  CHECK(share->depends_on == std::vector<std::string>{aml_ws("ws1")});
  const DesiredResource* models = find_resource(t, Kind::Datastore, "/workspaces/ws1/datastores/acct_models");
  REQUIRE(models);
  CHECK(models->body["properties"]["datastoreType"] == "AzureBlob");
  CHECK(models->body["properties"]["containerName"] == "models");
  CHECK(find_resource(t, Kind::Datastore, "/workspaces/ws1/datastores/acct_logs"));
  CHECK(find_resource(t, Kind::Datastore, "/workspaces/ws2/datastores/acct_share"));
  CHECK(findings(t, "storage-key-missing").empty());
  CHECK(translation_dump(t).find("inline-account-key-value") == std::string::npos);
}

TEST_CASE("a storage account without a key in config gets identity access and a finding", "[rules][storage]") {
  const Translation t = translate({workspace("ws1"), cluster("ws1", "cl1")}, test_config());
  const DesiredResource* d = find_resource(t, Kind::Datastore, "/datastores/acct_share");
  REQUIRE(d);
  CHECK(d->body["properties"]["credentials"] == json{{"credentialsType", "None"}});
  const auto f = findings(t, "storage-key-missing");
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == Severity::Warning);
  CHECK(f[0].message.find("\"acct\"") != std::string::npos);
}

TEST_CASE("NFS file servers and unmanaged file systems are error findings with the remedy", "[rules][storage]") {
  const std::string fs = ws_id("ws1") + "/fileServers/nfs1";
  const json fs_res = {{"id", fs}, {"name", "nfs1"}, {"type", "Microsoft.BatchAI/FileServers"},
                       {"properties", {{"vmSize", "STANDARD_D2_V2"}, {"mountSettings", {{"mountPoint", "/mnt/data"}}}}}};
  const json c = cluster("ws1", "cl1", {{"nodeSetup", {{"mountVolumes", {{"fileServers", json::array({{{"fileServer", {{"id", fs}}}, {"relativeMountPath", "nfs"}}})},
                                                                       {"unmanagedFileSystems", json::array({{{"mountCommand", "mount -t cifs //x/y"}, {"relativeMountPath", "smb"}}})}}}}}});
  const Translation t = translate({workspace("ws1"), fs_res, c}, test_config());
  const auto on_fs = findings(t, "nfs-file-server", fs);
  REQUIRE(on_fs.size() == 1);
  CHECK(on_fs[0].severity == Severity::Error);
  CHECK(on_fs[0].remedy.find("mapping.file_servers") != std::string::npos);
  CHECK(findings(t, "nfs-file-server", ws_id("ws1") + "/clusters/cl1").size() == 1);
  const auto u = findings(t, "unmanaged-file-system", ws_id("ws1") + "/clusters/cl1");
  REQUIRE(u.size() == 1);
  CHECK(u[0].severity == Severity::Error);
  CHECK(u[0].message.find("mount -t cifs //x/y") != std::string::npos);
}

TEST_CASE("mapping.file_servers maps a file server to a datastore that its mounts resolve to", "[rules][storage]") {
  const std::string fs = ws_id("ws1") + "/fileServers/nfs1";
  const json fs_res = {{"id", fs}, {"name", "nfs1"}, {"type", "Microsoft.BatchAI/workspaces/fileServers"}, {"properties", json::object()}};
  const json c = cluster("ws1", "cl1", {{"nodeSetup", {{"mountVolumes", {{"azureFileShares", nullptr},
                                                                       {"fileServers", json::array({{{"fileServer", {{"id", fs}}},
                                                                                                     {"sourceDirectory", "exports/a"},
                                                                                                     {"relativeMountPath", "nfs"}}})}}}}}});
  const json j = job("ws1", "e", "j1", "cl1", {{"inputDirectories", json::array({{{"id", "IN"}, {"path", "$AZ_BATCHAI_MOUNT_ROOT/nfs/x"}}})}});
  config::Config cfg = test_config();
  cfg.mapping.file_servers["NFS1"] = config::FileServerTarget{"AzureBlob", "copyacct", "nfscopy"};
  cfg.mapping.names["nfs1"] = "nfs_data";
  const Translation t = translate({workspace("ws1"), fs_res, c, experiment("ws1", "e"), j}, cfg);
  const DesiredResource* d = find_resource(t, Kind::Datastore, "/workspaces/ws1/datastores/nfs_data");
  REQUIRE(d);
  CHECK(d->body["properties"]["datastoreType"] == "AzureBlob");
  CHECK(d->body["properties"]["accountName"] == "copyacct");
  CHECK(d->body["properties"]["containerName"] == "nfscopy");
  CHECK(findings(t, "nfs-file-server").empty());
  CHECK(findings(t, "file-server-mapped", fs).size() == 1);
  const DesiredResource* jr = find_resource(t, Kind::Job, "/jobs/j1");
  REQUIRE(jr);
  CHECK(jr->body["properties"]["inputs"]["IN"]["uri"] == "azureml://datastores/nfs_data/paths/exports/a/x");
  bool mapped = false;
  for (const auto& n : t.names) mapped = mapped || (n.source_id == fs && n.target_id == aml_ws("ws1") + "/datastores/nfs_data");
  CHECK(mapped);
}
