//! The administrative region tree (GB/T 2260 codes): national → province → city → county.
//!
//! Scopes, review routing and policy lookup all ask "is this region inside that one?", so the
//! tree is loaded once and answers from memory.

use std::collections::{BTreeMap, BTreeSet};

use crate::codes::RegionLevel;
use crate::error::InputError;
use crate::text::Text;

/// A six-digit GB/T 2260 code such as 370202 (Shinan district, Qingdao).
///
/// Only the shape is checked here; whether the region exists is a question for the tree.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(s: &str) -> Result<Self, InputError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(InputError::new(InputError::REQUIRED, "must not be empty")
                .with(Text::new("input.not_empty")));
        }
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) || s == "000000" {
            return Err(InputError::new(
                InputError::INVALID_FORMAT,
                "must be a 6-digit region code such as 370202",
            )
            .with(Text::new("input.region_code")));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RegionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for RegionCode {
    type Err = InputError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = InputError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(code: RegionCode) -> Self {
        code.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionNode {
    pub code: RegionCode,
    pub name: String,
    pub level: RegionLevel,
    pub parent: Option<RegionCode>,
}

/// The regions, indexed both ways.
///
/// Built from rows a database hands over, so it does not trust them to form a tree: a parent
/// that is missing makes its child a root, and walks stop at a cycle instead of looping.
#[derive(Debug, Clone, Default)]
pub struct RegionTree {
    nodes: BTreeMap<RegionCode, RegionNode>,
    children: BTreeMap<RegionCode, Vec<RegionCode>>,
}

impl RegionTree {
    /// A later node with the same code replaces an earlier one.
    pub fn new(nodes: Vec<RegionNode>) -> Self {
        let nodes: BTreeMap<RegionCode, RegionNode> =
            nodes.into_iter().map(|n| (n.code.clone(), n)).collect();
        let mut children: BTreeMap<RegionCode, Vec<RegionCode>> = BTreeMap::new();
        // Iterating the sorted map keeps every child list sorted by code.
        for node in nodes.values() {
            if let Some(parent) = &node.parent {
                if parent != &node.code && nodes.contains_key(parent) {
                    children
                        .entry(parent.clone())
                        .or_default()
                        .push(node.code.clone());
                }
            }
        }
        Self { nodes, children }
    }

    pub fn get(&self, code: &RegionCode) -> Option<&RegionNode> {
        self.nodes.get(code)
    }

    /// The region itself, then its parent, up to the root. Empty for an unknown code.
    pub fn ancestors(&self, code: &RegionCode) -> Vec<&RegionNode> {
        let mut out: Vec<&RegionNode> = Vec::new();
        let mut seen: BTreeSet<&RegionCode> = BTreeSet::new();
        let mut next = self.nodes.get(code);
        while let Some(node) = next {
            if !seen.insert(&node.code) {
                break;
            }
            out.push(node);
            next = node.parent.as_ref().and_then(|p| self.nodes.get(p));
        }
        out
    }

    /// Whether `code` lies in the subtree of `ancestor`, itself included.
    pub fn contains(&self, ancestor: &RegionCode, code: &RegionCode) -> bool {
        self.ancestors(code).iter().any(|n| &n.code == ancestor)
    }

    /// The direct children, sorted by code.
    pub fn children(&self, code: &RegionCode) -> Vec<&RegionNode> {
        self.children
            .get(code)
            .map(|codes| codes.iter().filter_map(|c| self.nodes.get(c)).collect())
            .unwrap_or_default()
    }

    /// Every code in the subtree of `code`, itself included, sorted. Empty for an unknown code.
    pub fn subtree(&self, code: &RegionCode) -> Vec<&RegionCode> {
        let Some((root, _)) = self.nodes.get_key_value(code) else {
            return Vec::new();
        };
        let mut seen: BTreeSet<&RegionCode> = BTreeSet::new();
        let mut stack = vec![root];
        while let Some(c) = stack.pop() {
            if seen.insert(c) {
                stack.extend(self.children.get(c).into_iter().flatten());
            }
        }
        seen.into_iter().collect()
    }

    /// The closest region at or above `code` whose level is one of `levels`; for example the
    /// county or city bureau that reviews a school's claims.
    pub fn nearest_at_or_above(
        &self,
        code: &RegionCode,
        levels: &[RegionLevel],
    ) -> Option<&RegionNode> {
        self.ancestors(code)
            .into_iter()
            .find(|n| levels.contains(&n.level))
    }

    /// The regions without a known parent (normally the national root), sorted by code.
    pub fn roots(&self) -> Vec<&RegionNode> {
        self.nodes
            .values()
            .filter(|n| match &n.parent {
                Some(p) => p == &n.code || !self.nodes.contains_key(p),
                None => true,
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

#[cfg(test)]
mod tests;
