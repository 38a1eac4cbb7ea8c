//! Looks at a GraphQL document before it runs: which kind of operation it is (GET may only
//! query) and how many aliases it uses (aliases multiply work without deepening a query).

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};

pub struct Inspection {
    pub operation: Option<OperationType>,
    pub aliases: usize,
    /// Whether the document selects `__schema` or `__type` anywhere.
    pub introspects: bool,
}

/// `None` when the document does not parse: execution reports that error properly.
pub fn inspect(query: &str, operation_name: Option<&str>) -> Option<Inspection> {
    let doc = async_graphql::parser::parse_query(query).ok()?;
    let introspects = selection_sets(&doc).any(selects_introspection);
    Some(Inspection {
        operation: operation_type(&doc, operation_name),
        aliases: count_aliases(&doc),
        introspects,
    })
}

fn operation_type(doc: &ExecutableDocument, name: Option<&str>) -> Option<OperationType> {
    match &doc.operations {
        DocumentOperations::Single(op) => Some(op.node.ty),
        DocumentOperations::Multiple(ops) => match name {
            Some(name) => ops
                .iter()
                .find(|(n, _)| n.as_str() == name)
                .map(|(_, op)| op.node.ty),
            None if ops.len() == 1 => ops.values().next().map(|op| op.node.ty),
            None => None,
        },
    }
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
            matches!(f.node.name.node.as_str(), "__schema" | "__type")
                || selects_introspection(&f.node.selection_set.node)
        }
        Selection::InlineFragment(f) => selects_introspection(&f.node.selection_set.node),
        Selection::FragmentSpread(_) => false,
    })
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
                "query { ...F } fragment F on Query { __type(name: \"Query\") { name } }",
                None
            )
            .unwrap()
            .introspects
        );
        let m = inspect("query A { viewer { id } } mutation B { login(username:\"x\", password:\"y\") { token } }", Some("B")).unwrap();
        assert_eq!(m.operation, Some(OperationType::Mutation));
        assert!(inspect("{ unclosed", None).is_none());
    }
}
