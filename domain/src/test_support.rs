//! Fixtures shared by the tests of several modules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::codes::RegionLevel;
use crate::region::{RegionCode, RegionNode, RegionTree};

pub fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

/// The regions of the seed documents: (code, name, level, parent).
pub const SEED_REGIONS: &[(&str, &str, RegionLevel, Option<&str>)] = &[
    ("100000", "全国", RegionLevel::National, None),
    ("370000", "山东省", RegionLevel::Province, Some("100000")),
    ("370200", "青岛市", RegionLevel::City, Some("370000")),
    ("370202", "市南区", RegionLevel::County, Some("370200")),
    ("370203", "市北区", RegionLevel::County, Some("370200")),
    ("370700", "潍坊市", RegionLevel::City, Some("370000")),
    ("370702", "潍城区", RegionLevel::County, Some("370700")),
    ("370781", "青州市", RegionLevel::County, Some("370700")),
    ("420000", "湖北省", RegionLevel::Province, Some("100000")),
    ("420100", "武汉市", RegionLevel::City, Some("420000")),
    ("420102", "江岸区", RegionLevel::County, Some("420100")),
    ("420106", "武昌区", RegionLevel::County, Some("420100")),
    ("620000", "甘肃省", RegionLevel::Province, Some("100000")),
    ("620900", "酒泉市", RegionLevel::City, Some("620000")),
    ("620902", "肃州区", RegionLevel::County, Some("620900")),
    ("310000", "上海市", RegionLevel::Province, Some("100000")),
    ("310100", "上海市市辖区", RegionLevel::City, Some("310000")),
    ("310104", "徐汇区", RegionLevel::County, Some("310100")),
];

pub fn seed_tree() -> RegionTree {
    RegionTree::new(
        SEED_REGIONS
            .iter()
            .map(|(c, name, level, parent)| RegionNode {
                code: code(c),
                name: (*name).to_owned(),
                level: *level,
                parent: parent.map(code),
            })
            .collect(),
    )
}

/// Every seed code, for property tests that pick regions at random.
pub fn seed_codes() -> Vec<RegionCode> {
    SEED_REGIONS.iter().map(|(c, ..)| code(c)).collect()
}
