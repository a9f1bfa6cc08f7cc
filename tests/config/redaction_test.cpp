// config::redact_secrets: the one free-text redaction (issue 14). The logging cases live in
// tests/daemon/test_logging.cpp; these are the free-text fields of the inventory and ARM's answers.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "config/redaction.hpp"

using bai2aml::config::redact_secrets;
using bai2aml::config::redact_secrets_in;

namespace {
const std::string kStorageKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
}

TEST_CASE("redact_secrets masks the credentials free text carries", "[redaction]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      // mount commands
      {"mount -t cifs //h/s /mnt -o vers=3.0,username=u,password=S3cr3t!,dir_mode=0777",
       "mount -t cifs //h/s /mnt -o vers=3.0,username=u,password=***,dir_mode=0777"},
      {"s3fs b /mnt -o url=https://minio:p4ss@minio.local/x", "s3fs b /mnt -o url=https://minio:***@minio.local/x"},
      {"sshfs user@host:/data /mnt", "sshfs user@host:/data /mnt"},
      {"blobfuse /mnt --container-name=c --account-key " + kStorageKey, "blobfuse /mnt --container-name=c --account-key ***"},
      // setup tasks and job commands
      {"export DB_PASSWORD=hunter2 && ./run.sh", "export DB_PASSWORD=*** && ./run.sh"},
      {"MYSQL_PWD=abc mysql", "MYSQL_PWD=*** mysql"},
      {"GITHUB_TOKEN=ghp_abc git pull", "GITHUB_TOKEN=*** git pull"},
      {"PASSWORD=\"two words\" run", "PASSWORD=\"***\" run"},
      {"python t.py --password hunter2 --epochs 3", "python t.py --password *** --epochs 3"},
      {"python t.py --client-secret=abc --api-key 'k e y'", "python t.py --client-secret=*** --api-key '***'"},
      {"azcopy copy x /d --sas-token 'sv=2021&sig=abc'", "azcopy copy x /d --sas-token '***'"},
      {"git clone https://ci:ghp_x@github.com/o/r.git", "git clone https://ci:***@github.com/o/r.git"},
      {"curl -H 'X-Auth: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' u",
       "curl -H 'X-Auth: ***' u"},
      {"echo " + kStorageKey + " > key", "echo *** > key"},
      // ARM error bodies
      {"<html>502: upstream said Authorization: Bearer abc.def</html>", "<html>502: upstream said Authorization: Bearer ***</html>"},
      {"Invalid 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=" + kStorageKey + ";EndpointSuffix=x'",
       "Invalid 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=***;EndpointSuffix=x'"},
      {"Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=abc=",
       "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=***"},
      {R"({"error":{"message":"bad {\"sasToken\":\"sv=1&sig=x\"}"}})", R"({"error":{"message":"bad {\"sasToken\":\"***\"}"}})"},
      {R"({"clientSecret": "abc", "name": "n"})", R"({"clientSecret": "***", "name": "n"})"},
  };
  for (const auto& [input, expected] : cases) {
    INFO(input);
    CHECK(redact_secrets(input) == expected);
  }
}

TEST_CASE("redact_secrets leaves commands, ids and paths alone", "[redaction]") {
  for (const std::string text :
       {"mkdir -p /mnt/data && python train.py --epochs 3 --lr=0.1", "pip install -r $AZ_BATCHAI_MOUNT_ROOT/data/req.txt",
        "--password-file /run/credentials/pw --token-file=/var/run/token", "https://management.azure.com/subscriptions/s?api-version=1&$skipToken=100",
        "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/aml-migrated/providers/Microsoft.MachineLearningServices/workspaces/w",
        "https://user@host.example.com/path", "key=value sort --key 2", "PHNjcmlwdD4=", "ZTJlLWtleQ==",
        "the password policy changed: --password", "eyJ alone", "http://127.0.0.1:8080/x"}) {
    INFO(text);
    CHECK(redact_secrets(text) == text);
  }
}

TEST_CASE("redact_secrets_in redacts every string value of a document and keeps its shape", "[redaction]") {
  nlohmann::json doc = {{"command", "run --password x"},
                        {"nested", {{"list", {"a", "token=t", 3, nullptr}}, {"password=keyname", "kept"}}}};
  const auto out = redact_secrets_in(doc);
  CHECK(out["command"] == "run --password ***");
  CHECK(out["nested"]["list"] == nlohmann::json({"a", "token=***", 3, nullptr}));
  CHECK(out["nested"]["password=keyname"] == "kept");  // member names are not text to redact

  const int depth = 100000;
  auto redacted = redact_secrets_in(nlohmann::json::parse(std::string(depth, '[') + "\"password=x\"" + std::string(depth, ']')));
  const nlohmann::json* leaf = &redacted;
  while (leaf->is_array()) leaf = &(*leaf)[0];
  CHECK(*leaf == "password=***");
}
