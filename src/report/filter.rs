//! `--provider`, `--kind`, `--rule`, `--owner`, `--unowned` and `--ai`: which
//! items and findings every format shows.
//!
//! Each filter that is set must hold (they combine with "and"; the values
//! of one repeated filter combine with "or"). An item passes when its
//! provider, kind, owner and AI verdict do; a finding passes when the item
//! it is on passes and its rule is one of `--rule`. With `--rule`, the
//! inventory shows only the items that have a finding of those rules.
//!
//! A credential passes on its own facts; an identity is listed when it or
//! one of its credentials passes, with only the credentials that pass.

use std::collections::HashSet;

use crate::model::{Identity, Item};
use crate::rules::Finding;
use crate::scan::Scan;

/// The filters given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub providers: Vec<String>,
    pub kinds: Vec<String>,
    pub rules: Vec<String>,
    pub owners: Vec<String>,
    /// Only items with no owner, or an owner who has left.
    pub unowned: bool,
    /// Only AI identities and credentials.
    pub ai: bool,
    /// With `--rule`: the items that have a finding of those rules, filled
    /// by [`Filter::prepare`] (leave it empty).
    pub with_rule: HashSet<String>,
}

impl Filter {
    /// Whether any filter is set.
    pub fn is_active(&self) -> bool {
        !(self.providers.is_empty()
            && self.kinds.is_empty()
            && self.rules.is_empty()
            && self.owners.is_empty())
            || self.unowned
            || self.ai
    }

    /// The filter, ready for `scan`: remembers which items have a finding of `--rule`.
    pub fn prepare(mut self, scan: &Scan) -> Self {
        if !self.rules.is_empty() {
            self.with_rule = scan
                .evaluation
                .findings
                .iter()
                .filter(|f| self.rule_passes(f))
                .map(|f| f.item_id().to_string())
                .collect();
        }
        self
    }

    fn rule_passes(&self, f: &Finding) -> bool {
        self.rules.is_empty() || self.rules.iter().any(|r| r == f.rule_id())
    }

    /// Whether `item`'s own facts pass (not `--rule`).
    fn facts_pass(&self, item: &Item) -> bool {
        let any = |list: &[String], value: &str| list.is_empty() || list.iter().any(|v| v == value);
        any(&self.providers, item.provider)
            && any(&self.kinds, item.kind.as_str())
            && (self.owners.is_empty()
                || item
                    .owner
                    .as_ref()
                    .is_some_and(|o| self.owners.contains(&o.name)))
            && (!self.unowned || item.owner.as_ref().is_none_or(|o| o.departed))
            && (!self.ai || item.ai)
    }

    /// Whether `item` is listed in the inventory.
    pub fn item_passes(&self, item: &Item) -> bool {
        self.facts_pass(item) && (self.rules.is_empty() || self.with_rule.contains(&item.id))
    }

    /// Whether `identity` is listed: it or one of its credentials passes.
    pub fn identity_passes(&self, identity: &Identity) -> bool {
        self.item_passes(&identity.item)
            || identity
                .credentials
                .iter()
                .any(|c| self.item_passes(&c.item))
    }

    /// Whether finding `f`, on `item` (when the inventory has it), passes.
    pub fn finding_passes(&self, f: &Finding, item: Option<&Item>) -> bool {
        self.rule_passes(f)
            && match item {
                Some(item) => self.facts_pass(item),
                // Not in the inventory: only the finding's own provider can tell.
                None => {
                    self.kinds.is_empty()
                        && self.owners.is_empty()
                        && !self.ai
                        && (self.providers.is_empty()
                            || self.providers.iter().any(|p| p == f.provider))
                }
            }
    }
}
