//! The built-in policies, one per seed scheme, shipped inside the binary as JSON documents.

use super::document::PolicyDocument;
use super::validate::{parse_policy, PolicyError};

/// A shipped policy and the regions it is assigned to on a fresh installation.
#[derive(Debug, Clone, Copy)]
pub struct BuiltIn {
    pub key: &'static str,
    pub json: &'static str,
    /// `(region code, effective from)`.
    pub regions: &'static [(&'static str, &'static str)],
}

pub const BUILT_IN: &[BuiltIn] = &[
    BuiltIn {
        key: "shandong-ab",
        json: include_str!("../../policies/shandong-ab.json"),
        // The older province-wide scheme, until the current one took over.
        regions: &[("370000", "2009-10-23")],
    },
    BuiltIn {
        key: "shandong",
        json: include_str!("../../policies/shandong.json"),
        regions: &[("370000", "2021-01-01")],
    },
    BuiltIn {
        key: "weifang",
        json: include_str!("../../policies/weifang.json"),
        regions: &[("370700", "2021-01-01")],
    },
    BuiltIn {
        key: "qingdao-shinan",
        json: include_str!("../../policies/qingdao-shinan.json"),
        regions: &[("370202", "2021-01-01")],
    },
    BuiltIn {
        key: "wuhan",
        json: include_str!("../../policies/wuhan.json"),
        regions: &[("420100", "2021-01-01")],
    },
    BuiltIn {
        key: "suzhou-jiuquan",
        json: include_str!("../../policies/suzhou-jiuquan.json"),
        regions: &[("620902", "2021-01-01")],
    },
    BuiltIn {
        key: "three-level-36",
        json: include_str!("../../policies/three-level-36.json"),
        regions: &[("310000", "2021-01-01")],
    },
];

impl BuiltIn {
    pub fn document(&self) -> Result<PolicyDocument, Vec<PolicyError>> {
        let value: serde_json::Value = serde_json::from_str(self.json).map_err(|e| {
            vec![PolicyError {
                path: String::new(),
                code: "INVALID_DOCUMENT",
                message: e.to_string(),
            }]
        })?;
        parse_policy(&value)
    }
}

/// The shipped document with this key.
pub fn built_in(key: &str) -> Option<PolicyDocument> {
    BUILT_IN
        .iter()
        .find(|b| b.key == key)
        .and_then(|b| b.document().ok())
}
