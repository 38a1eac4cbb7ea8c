//! Relay connections with `totalCount`.

use crate::services::page::{encode_cursor, Page};
use async_graphql::connection::{Connection, Edge};
use async_graphql::{OutputType, SimpleObject};

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
            .map(|(id, item)| Edge::new(encode_cursor(id), map(item))),
    );
    conn
}
