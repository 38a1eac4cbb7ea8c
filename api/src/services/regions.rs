//! The region tree, read from the `regions` table.

use crate::error::{AppError, AppResult};
use domain::codes::RegionLevel;
use domain::region::{RegionCode, RegionNode, RegionTree};
use entities::regions;
use sea_orm::{DatabaseConnection, EntityTrait};
use std::str::FromStr;

pub async fn load_tree(db: &DatabaseConnection) -> anyhow::Result<RegionTree> {
    let rows = regions::Entity::find().all(db).await?;
    let mut nodes = Vec::with_capacity(rows.len());
    for row in rows {
        nodes.push(RegionNode {
            code: RegionCode::parse(&row.code)
                .map_err(|e| anyhow::anyhow!("region {}: {e}", row.code))?,
            name: row.name,
            level: RegionLevel::from_str(&row.level)
                .map_err(|e| anyhow::anyhow!("region {}: {e}", row.code))?,
            parent: match row.parent_code {
                Some(p) => Some(
                    RegionCode::parse(&p).map_err(|e| anyhow::anyhow!("region parent {p}: {e}"))?,
                ),
                None => None,
            },
        });
    }
    Ok(RegionTree::new(nodes))
}

/// Parses a region code from user input and checks that the region exists.
pub fn known(tree: &RegionTree, field: &str, code: &str) -> AppResult<RegionCode> {
    let code = RegionCode::parse(code).map_err(|e| AppError::bad_input(field, e))?;
    if tree.get(&code).is_none() {
        return Err(AppError::invalid(
            field,
            "UNKNOWN_REGION",
            crate::msg!("regions.unknown", code = code.as_str()),
        ));
    }
    Ok(code)
}
