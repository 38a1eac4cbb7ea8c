//! The GraphQL spec's "directives are unique per location" rule, for the one place
//! async-graphql (7.2) does not apply it: its validator never visits `__typename` fields, so
//! `{ __typename @skip(if: false) @skip(if: false) … }` — or `@anything` — passed unchecked.
//! Every location is checked here anyway (it is one cheap walk); the schema has no repeatable
//! directive, and `__typename` may only carry the two that apply to fields.

use async_graphql::parser::types::{
    Directive, DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::Positioned;
use std::collections::HashSet;

/// What is wrong with the document's directives, as a GraphQL validation message; `None` when
/// nothing is.
pub fn violation(doc: &ExecutableDocument) -> Option<String> {
    let operations: Vec<_> = match &doc.operations {
        DocumentOperations::Single(op) => vec![&op.node],
        DocumentOperations::Multiple(ops) => ops.values().map(|op| &op.node).collect(),
    };
    for op in operations {
        let variables = op.variable_definitions.iter().map(|v| &v.node.directives);
        if let Some(v) = std::iter::once(&op.directives)
            .chain(variables)
            .find_map(|d| duplicate(d))
        {
            return Some(v);
        }
        if let Some(v) = in_set(&op.selection_set.node) {
            return Some(v);
        }
    }
    doc.fragments
        .values()
        .find_map(|f| duplicate(&f.node.directives).or_else(|| in_set(&f.node.selection_set.node)))
}

fn in_set(set: &SelectionSet) -> Option<String> {
    set.items.iter().find_map(|item| match &item.node {
        Selection::Field(f) => {
            let field = &f.node;
            let found = duplicate(&field.directives);
            let found = match (found, field.name.node.as_str()) {
                (None, "__typename") => unknown_on_typename(&field.directives),
                (found, _) => found,
            };
            found.or_else(|| in_set(&field.selection_set.node))
        }
        Selection::InlineFragment(f) => {
            duplicate(&f.node.directives).or_else(|| in_set(&f.node.selection_set.node))
        }
        Selection::FragmentSpread(s) => duplicate(&s.node.directives),
    })
}

fn duplicate(directives: &[Positioned<Directive>]) -> Option<String> {
    let mut seen = HashSet::new();
    directives.iter().find_map(|d| {
        let name = d.node.name.node.as_str();
        (!seen.insert(name)).then(|| {
            format!("Duplicate directive \"{name}\": it may appear once at this location.")
        })
    })
}

fn unknown_on_typename(directives: &[Positioned<Directive>]) -> Option<String> {
    directives.iter().find_map(|d| {
        let name = d.node.name.node.as_str();
        (!matches!(name, "skip" | "include"))
            .then(|| format!("Unknown directive \"@{name}\" on field \"__typename\"."))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str) -> Option<String> {
        match async_graphql::parser::parse_query(query) {
            Ok(doc) => violation(&doc),
            Err(e) => Some(e.to_string()),
        }
    }

    #[test]
    fn a_directive_twice_at_one_location_is_refused_wherever_it_is() {
        assert!(check("{ __typename @skip(if: false) @skip(if: false) }").is_some());
        assert!(check("{ a { ... on B @include(if: true) @include(if: true) { c } } }").is_some());
        assert!(check(
            "query Q { ...F } fragment F on Query { x @skip(if: false) @skip(if: true) }"
        )
        .is_some());
        assert!(check("{ __typename @deprecated }").is_some());
        assert_eq!(
            check("{ __typename @skip(if: false) @include(if: true) a @skip(if: false) }"),
            None
        );
    }
}
