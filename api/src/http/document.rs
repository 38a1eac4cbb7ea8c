//! Looks at a GraphQL document before it runs: which kind of operation it is (GET may only
//! query) and how many aliases it uses (aliases multiply work without deepening a query).

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection,
    SelectionSet,
};

pub struct Inspection {
    pub operation: Option<OperationType>,
    pub aliases: usize,
    /// Whether the document selects `__schema` anywhere. `__type` is let through: with
    /// introspection off async-graphql answers it `null`, as for a type that does not exist, so
    /// nothing leaks and clients (and conformance audits) probing for a type still get a 200.
    pub introspects: bool,
    /// Field selections written in the document (`__typename` too), limited by
    /// `MAX_QUERY_FIELDS`: async-graphql's complexity skips `__typename`, and validating
    /// hundreds of overlapping selections is quadratic.
    pub fields: usize,
    /// Whether the operation reads only root fields of public data ([`PUBLIC_ROOT_FIELDS`]): an
    /// anonymous answer to it is the same for every anonymous caller, so it may be shared.
    pub public_read: bool,
}

/// The root fields whose data is public and carries a cache hint: the catalogue, the region
/// tree and the policies. Everything under them (a course's provider, a region's children) is
/// public catalogue data too. A root field left out of this list (say a transcript
/// verification, public but revocable at any moment) makes the whole answer unshareable, even
/// though async-graphql would let the other fields' hints stand for it.
pub const PUBLIC_ROOT_FIELDS: &[&str] = &[
    "courses",
    "course",
    "regions",
    "region",
    "creditPolicies",
    "creditPolicy",
    "__typename",
];

/// What the request's document (already parsed, once, for execution too) asks for.
pub fn inspect(doc: &ExecutableDocument, operation_name: Option<&str>) -> Inspection {
    Inspection {
        operation: operation_type(doc, operation_name),
        aliases: count_aliases(doc),
        introspects: selection_sets(doc).any(selects_introspection),
        fields: selection_sets(doc).map(count_fields).sum(),
        public_read: chosen(doc, operation_name).is_some_and(|op| {
            op.ty == OperationType::Query && only_public(doc, &op.selection_set.node, 0)
        }),
    }
}

fn chosen<'a>(doc: &'a ExecutableDocument, name: Option<&str>) -> Option<&'a OperationDefinition> {
    match &doc.operations {
        DocumentOperations::Single(op) => Some(&op.node),
        DocumentOperations::Multiple(ops) => match name {
            Some(name) => ops
                .iter()
                .find(|(n, _)| n.as_str() == name)
                .map(|(_, op)| &op.node),
            None if ops.len() == 1 => ops.values().next().map(|op| &op.node),
            None => None,
        },
    }
}

/// Whether every root field of `set` (through fragments) is a public one. Runs before
/// validation, so fragment cycles are cut off by depth (and then count as not public).
fn only_public(doc: &ExecutableDocument, set: &SelectionSet, depth: usize) -> bool {
    depth < 8
        && set.items.iter().all(|item| match &item.node {
            Selection::Field(f) => PUBLIC_ROOT_FIELDS.contains(&f.node.name.node.as_str()),
            Selection::InlineFragment(f) => only_public(doc, &f.node.selection_set.node, depth + 1),
            Selection::FragmentSpread(s) => doc
                .fragments
                .get(&s.node.fragment_name.node)
                .is_some_and(|f| only_public(doc, &f.node.selection_set.node, depth + 1)),
        })
}

fn operation_type(doc: &ExecutableDocument, name: Option<&str>) -> Option<OperationType> {
    chosen(doc, name).map(|op| op.ty)
}

/// The top-level selection sets of every operation and fragment.
fn selection_sets(doc: &ExecutableDocument) -> impl Iterator<Item = &SelectionSet> {
    let operations: Vec<&SelectionSet> = match &doc.operations {
        DocumentOperations::Single(op) => vec![&op.node.selection_set.node],
        DocumentOperations::Multiple(ops) => {
            ops.values().map(|op| &op.node.selection_set.node).collect()
        }
    };
    operations
        .into_iter()
        .chain(doc.fragments.values().map(|f| &f.node.selection_set.node))
}

fn count_aliases(doc: &ExecutableDocument) -> usize {
    selection_sets(doc).map(in_set).sum()
}

fn selects_introspection(set: &SelectionSet) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(f) => {
            f.node.name.node == "__schema" || selects_introspection(&f.node.selection_set.node)
        }
        Selection::InlineFragment(f) => selects_introspection(&f.node.selection_set.node),
        Selection::FragmentSpread(_) => false,
    })
}

fn count_fields(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(f) => 1 + count_fields(&f.node.selection_set.node),
            Selection::InlineFragment(f) => count_fields(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

fn in_set(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(f) => {
                usize::from(f.node.alias.is_some()) + in_set(&f.node.selection_set.node)
            }
            Selection::InlineFragment(f) => in_set(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// `None` when the document does not parse.
    fn inspect(query: &str, name: Option<&str>) -> Option<Inspection> {
        let doc = async_graphql::parser::parse_query(query).ok()?;
        Some(super::inspect(&doc, name))
    }

    #[test]
    fn finds_the_operation_and_counts_aliases() {
        let i = inspect(
            "query { a: viewer { b: username } ... on Query { c: viewer { id } } }",
            None,
        )
        .unwrap();
        assert_eq!(i.operation, Some(OperationType::Query));
        assert_eq!(i.aliases, 3);
        assert!(!i.introspects);
        assert!(
            inspect("{ __schema { types { name } } }", None)
                .unwrap()
                .introspects
        );
        assert!(
            inspect(
                "query { ...F } fragment F on Query { __schema { types { name } } }",
                None
            )
            .unwrap()
            .introspects
        );
        assert!(
            !inspect("{ __type(name: \"Query\") { name } }", None)
                .unwrap()
                .introspects
        );
        let m = inspect("query A { viewer { id } } mutation B { login(username:\"x\", password:\"y\") { token } }", Some("B")).unwrap();
        assert_eq!(m.operation, Some(OperationType::Mutation));
        assert!(inspect("{ unclosed", None).is_none());
    }

    #[test]
    fn counts_every_field_written_once() {
        let fields = |q: &str| inspect(q, None).unwrap().fields;
        assert_eq!(fields("{ viewer { username role } }"), 3);
        assert_eq!(
            fields("query { ...F ... on Query { __typename } } fragment F on Query { a { b } }"),
            3
        );
        assert_eq!(fields(&format!("{{ {} }}", "__typename ".repeat(500))), 500);
    }

    #[test]
    fn only_public_root_fields_make_a_public_read() {
        let public = |q: &str| inspect(q, None).unwrap().public_read;
        assert!(public(
            "{ courses(first: 2) { edges { node { provider { name } } } } }"
        ));
        assert!(public(
            "query { ...F } fragment F on Query { regions { code } }"
        ));
        assert!(!public("{ courses { totalCount } viewer { id } }"));
        assert!(!public(
            "query { ... on Query { verifyTranscript(token: \"x\") { valid } } }"
        ));
        assert!(!public("mutation { courses }"));
        assert!(!public("query { ...F } fragment F on Query { ...F }"));
    }
}
