#![allow(clippy::unwrap_used, clippy::expect_used)]

mod builtin;
mod properties;
mod regional;
mod shandong;
mod support;
mod teachers;
mod three_level;
mod validation;
mod weifang;
