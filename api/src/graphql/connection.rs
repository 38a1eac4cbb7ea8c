//! Relay connections with `totalCount`.

use crate::services::page::{Direction, Page};
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Enum, OutputType, SimpleObject};

/// The direction of an `orderBy`; ties are broken by id in the same direction.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Ascending: smallest, earliest or first in code-point order first.
    #[default]
    Asc,
    /// Descending: largest, latest or last first.
    Desc,
}

impl From<OrderDirection> for Direction {
    fn from(d: OrderDirection) -> Self {
        match d {
            OrderDirection::Asc => Direction::Asc,
            OrderDirection::Desc => Direction::Desc,
        }
    }
}

#[derive(SimpleObject)]
pub struct Totals {
    /// How many items the whole list holds, across all pages.
    pub total_count: u64,
}

pub type Conn<N> = Connection<String, N, Totals>;

pub fn from_page<T, N: OutputType>(
    page: Page<T>,
    has_previous: bool,
    map: impl Fn(T) -> N,
) -> Conn<N> {
    let mut conn = Connection::with_additional_fields(
        has_previous,
        page.has_next,
        Totals {
            total_count: page.total,
        },
    );
    conn.edges.extend(
        page.items
            .into_iter()
            .map(|(cursor, item)| Edge::new(cursor.encode(), map(item))),
    );
    conn
}
