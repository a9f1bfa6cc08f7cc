// Which AML resources are this instance's, and which Batch AI resource each stands for (issue 12).
// Owned here = tagged managed-by: bai2aml AND its bai2aml-source id falls within this config's source
// (subscription, resource groups): two instances sharing a target resource group leave each other's
// resources alone. The observed bai2aml-source tag also keeps names stable: a resource that exists
// in AML keeps the name it was created under, and a name another source holds is not given away.
// Pure: no I/O.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "reconcile/observed.hpp"
#include "translate/naming_plan.hpp"

namespace bai2aml::reconcile {

// This config's source: an empty subscription means "any" (unit tests, hand-made configs).
struct SourceScope {
  std::string subscription_id;
  std::vector<std::string> resource_groups;  // empty: every resource group of the subscription
};
SourceScope source_scope(const config::Source& source);

// The id's /subscriptions/S/resourceGroups/G prefix falls within the scope (case-insensitive); an id
// without one does not.
bool in_scope(const SourceScope& scope, const std::string& source_id);

// The bai2aml-source tag, "" when absent.
std::string source_tag(const ObservedResource& r);

// managed-by: bai2aml and bai2aml-source within the scope.
bool owned_here(const ObservedResource& r, const SourceScope& scope);

// managed-by: bai2aml with a source outside the scope: another instance's.
bool owned_elsewhere(const ObservedResource& r, const SourceScope& scope);

// Workspaces, computes and jobs stand for exactly one Batch AI resource; datastores and environments
// are shared (their tag names the first resource that uses them), so their tag is no identity.
bool has_one_source(translate::Kind kind);

// The names AML already holds (translate::NameHints): the name each of this instance's sources exists
// under, and the names held by resources tagged with another source (any instance).
translate::NameHints name_hints(const std::vector<ObservedResource>& observed, const SourceScope& scope);

}  // namespace bai2aml::reconcile
