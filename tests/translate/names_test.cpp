#include <catch2/catch.hpp>

#include <vector>

#include "translate/names.hpp"

using namespace bai2aml::translate;

TEST_CASE("name rules accept and reject per the AML spec", "[names]") {
  struct Row {
    NameRule rule;
    std::string name;
    bool valid;
  };
  const Row rows[] = {
      {NameRule::Compute, "gpu-cluster", true},
      {NameRule::Compute, "abc", true},
      {NameRule::Compute, "ab", false},                         // too short
      {NameRule::Compute, "a23456789012345678901234", true},    // 24
      {NameRule::Compute, "a234567890123456789012345", false},  // 25
      {NameRule::Compute, "1gpu", false},                       // must start with a letter
      {NameRule::Compute, "gpu_cluster", false},                // no '_'
      {NameRule::Compute, "gpu-01", false},                     // '-' not followed by a letter
      {NameRule::Compute, "gpu-01a", true},
      {NameRule::Compute, "gpu-", false},
      {NameRule::Workspace, "ws", false},
      {NameRule::Workspace, "my_ws-1", true},
      {NameRule::Workspace, "_ws", false},
      {NameRule::Workspace, std::string(33, 'w'), true},
      {NameRule::Workspace, std::string(34, 'w'), false},
      {NameRule::Datastore, "a", true},
      {NameRule::Datastore, "acct_share-1", true},
      {NameRule::Datastore, "acct.share", false},
      {NameRule::Job, std::string(255, 'j'), true},
      {NameRule::Job, std::string(256, 'j'), false},
      {NameRule::Environment, "-env", false},
  };
  for (const auto& r : rows) {
    INFO(to_string(r.rule) << " \"" << r.name << "\"");
    CHECK(name_rule_violation(r.rule, r.name).empty() == r.valid);
  }
}

TEST_CASE("short_hash is the first 6 hex digits of FNV-1a 64 of the lower-cased id", "[names]") {
  // FNV-1a 64 of "" is the offset basis; of "a" the published test vector.
  CHECK(fnv1a64("") == 0xcbf29ce484222325ULL);
  CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(short_hash("a") == "af63dc");
  CHECK(short_hash("A") == short_hash("a"));
  CHECK(short_hash("/subscriptions/x/b") != short_hash("/subscriptions/x/c"));
}

TEST_CASE("derive_name keeps valid names and sanitizes the rest with a hash suffix", "[names]") {
  struct Row {
    NameRule rule;
    std::string source;
    std::string expected;  // "" = starts with the prefix below, hashed
    std::string prefix;
  };
  const std::string id = "/subscriptions/s/resourceGroups/g/providers/Microsoft.BatchAI/workspaces/w/clusters/c";
  const std::string h = short_hash(id);
  const Row rows[] = {
      {NameRule::Compute, "gpu-cluster", "gpu-cluster", ""},
      {NameRule::Compute, "GPU_Cluster", "GPU-Cluster-c" + h, ""},
      {NameRule::Compute, "nc6-pool-01", "nc6-pool-01-c" + h, ""},
      {NameRule::Compute, "123", "bai-c" + h, ""},
      {NameRule::Compute, "a_very_long_cluster_name_for_training", "a-very-long-clus-c" + h, ""},
      {NameRule::Workspace, "NLP_Workspace", "NLP_Workspace", ""},
      {NameRule::Workspace, "Dev.Workspace", "Dev-Workspace-" + h, ""},
      {NameRule::Job, "job.1", "job-1-" + h, ""},
      {NameRule::Environment, "tensorflow/tensorflow:1.8.0-gpu", "tensorflow-tensorflow-1-8-0-gpu-" + h, ""},
  };
  for (const auto& r : rows) {
    INFO(r.source);
    const DerivedName d = derive_name(r.rule, r.source, id);
    CHECK(d.name == r.expected);
    CHECK(d.changed == (r.expected != r.source));
    CHECK(name_rule_violation(r.rule, d.name).empty());
  }
}

TEST_CASE("with_hash always satisfies the rule, whatever the base", "[names]") {
  for (NameRule rule : {NameRule::Compute, NameRule::Workspace, NameRule::Datastore, NameRule::Environment, NameRule::Job}) {
    for (const std::string& base : std::vector<std::string>{"", "-", "9", "x", std::string(300, 'z'), "a-1", "é-ü", "__--__"}) {
      for (int i = 0; i < 50; ++i) {
        const std::string n = with_hash(rule, base, "id-" + std::to_string(i));
        INFO(to_string(rule) << " base \"" << base << "\" -> " << n);
        CHECK(name_rule_violation(rule, n).empty());
      }
    }
  }
}
