#![allow(clippy::unwrap_used, clippy::expect_used)]

mod builtin;
mod caps_and_shares;
mod extensions;
mod hour_floors;
mod properties;
mod regional;
mod shandong;
mod shinan;
mod support;
mod suzhou;
mod teachers;
mod three_level;
mod totals;
mod validation;
mod weifang;
