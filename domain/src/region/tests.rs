#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;
use crate::test_support::{code, seed_tree};

fn codes_of<'a>(nodes: impl IntoIterator<Item = &'a RegionNode>) -> Vec<&'a str> {
    nodes.into_iter().map(|n| n.code.as_str()).collect()
}

#[test]
fn region_codes_are_six_digits_and_not_all_zero() {
    assert_eq!(RegionCode::parse(" 370202 ").unwrap().as_str(), "370202");
    assert_eq!(code("100000").to_string(), "100000");
    let err = |s: &str| RegionCode::parse(s).unwrap_err().code;
    assert_eq!(err(""), InputError::REQUIRED);
    assert_eq!(err("000000"), InputError::INVALID_FORMAT);
    assert_eq!(err("37020"), InputError::INVALID_FORMAT);
    assert_eq!(err("3702021"), InputError::INVALID_FORMAT);
    assert_eq!(err("37O202"), InputError::INVALID_FORMAT);
    assert_eq!(err("３７０２０２"), InputError::INVALID_FORMAT);
}

#[test]
fn region_codes_serialise_as_strings() {
    assert_eq!(
        serde_json::to_string(&code("370200")).unwrap(),
        "\"370200\""
    );
    assert_eq!(
        serde_json::from_str::<RegionCode>("\"370200\"").unwrap(),
        code("370200")
    );
    assert!(serde_json::from_str::<RegionCode>("\"3702\"").is_err());
}

#[test]
fn ancestors_run_from_the_region_to_the_root() {
    let tree = seed_tree();
    assert_eq!(
        codes_of(tree.ancestors(&code("370202"))),
        ["370202", "370200", "370000", "100000"]
    );
    assert_eq!(codes_of(tree.ancestors(&code("100000"))), ["100000"]);
    assert!(tree.ancestors(&code("999999")).is_empty());
    assert_eq!(tree.get(&code("370202")).unwrap().name, "市南区");
    assert_eq!(tree.len(), 18);
    assert!(!tree.is_empty());
    assert!(RegionTree::default().is_empty());
}

#[test]
fn contains_is_inclusive_and_follows_the_tree() {
    let tree = seed_tree();
    assert!(tree.contains(&code("370202"), &code("370202")));
    assert!(tree.contains(&code("370200"), &code("370202")));
    assert!(tree.contains(&code("370000"), &code("370781")));
    assert!(tree.contains(&code("100000"), &code("620902")));
    assert!(!tree.contains(&code("370202"), &code("370200")));
    assert!(!tree.contains(&code("370200"), &code("370702")));
    assert!(!tree.contains(&code("420000"), &code("370202")));
    assert!(!tree.contains(&code("999999"), &code("999999")));
    assert!(!tree.contains(&code("370000"), &code("999999")));
}

#[test]
fn children_and_subtrees_are_sorted_by_code() {
    let tree = seed_tree();
    assert_eq!(
        codes_of(tree.children(&code("370000"))),
        ["370200", "370700"]
    );
    assert_eq!(
        codes_of(tree.children(&code("100000"))),
        ["310000", "370000", "420000", "620000"]
    );
    assert!(tree.children(&code("370202")).is_empty());
    assert!(tree.children(&code("999999")).is_empty());
    let subtree: Vec<&str> = tree
        .subtree(&code("370700"))
        .into_iter()
        .map(RegionCode::as_str)
        .collect();
    assert_eq!(subtree, ["370700", "370702", "370781"]);
    assert_eq!(tree.subtree(&code("100000")).len(), 18);
    assert!(tree.subtree(&code("999999")).is_empty());
}

#[test]
fn nearest_at_or_above_finds_the_reviewing_bureau() {
    let tree = seed_tree();
    let county_or_city = [RegionLevel::County, RegionLevel::City];
    let found = |c: &str, levels: &[RegionLevel]| {
        tree.nearest_at_or_above(&code(c), levels)
            .map(|n| n.code.as_str().to_owned())
    };
    assert_eq!(found("370202", &county_or_city).as_deref(), Some("370202"));
    assert_eq!(found("370200", &county_or_city).as_deref(), Some("370200"));
    assert_eq!(
        found("370202", &[RegionLevel::Province]).as_deref(),
        Some("370000")
    );
    assert_eq!(found("370000", &county_or_city), None);
    assert_eq!(found("999999", &county_or_city), None);
}

fn node(c: &str, parent: Option<&str>) -> RegionNode {
    RegionNode {
        code: code(c),
        name: c.to_owned(),
        level: RegionLevel::County,
        parent: parent.map(code),
    }
}

#[test]
fn bad_rows_do_not_make_walks_loop() {
    let tree = RegionTree::new(vec![
        node("110000", Some("120000")),
        node("120000", Some("110000")),
        node("130000", Some("130000")),
        node("140000", Some("999999")),
    ]);
    assert_eq!(
        codes_of(tree.ancestors(&code("110000"))),
        ["110000", "120000"]
    );
    assert_eq!(codes_of(tree.ancestors(&code("130000"))), ["130000"]);
    assert_eq!(codes_of(tree.ancestors(&code("140000"))), ["140000"]);
    assert_eq!(tree.subtree(&code("110000")).len(), 2);
    assert_eq!(tree.subtree(&code("130000")).len(), 1);
    assert!(tree.children(&code("130000")).is_empty());
}

#[test]
fn a_later_row_replaces_an_earlier_one() {
    let tree = RegionTree::new(vec![
        node("110000", None),
        node("110100", Some("110000")),
        node("110100", None),
    ]);
    assert_eq!(tree.len(), 2);
    assert!(tree.children(&code("110000")).is_empty());
    assert!(!tree.contains(&code("110000"), &code("110100")));
}

/// A random forest: node `i` has code 110000 + i and, maybe, a parent among the nodes before it.
fn arb_forest() -> impl Strategy<Value = Vec<Option<usize>>> {
    proptest::collection::vec(any::<Option<prop::sample::Index>>(), 1..40).prop_map(|picks| {
        picks
            .into_iter()
            .enumerate()
            .map(|(i, pick)| pick.filter(|_| i > 0).map(|ix| ix.index(i)))
            .collect()
    })
}

fn forest_code(i: usize) -> RegionCode {
    code(&format!("{}", 110_000 + i))
}

fn build(parents: &[Option<usize>]) -> RegionTree {
    RegionTree::new(
        parents
            .iter()
            .enumerate()
            .map(|(i, p)| RegionNode {
                code: forest_code(i),
                name: String::new(),
                level: RegionLevel::County,
                parent: p.map(forest_code),
            })
            .collect(),
    )
}

/// Ancestry computed the obvious way, on indices.
fn is_ancestor(parents: &[Option<usize>], a: usize, mut c: usize) -> bool {
    loop {
        if c == a {
            return true;
        }
        match parents[c] {
            Some(p) => c = p,
            None => return false,
        }
    }
}

proptest! {
    #[test]
    fn containment_matches_naive_ancestry(
        parents in arb_forest(),
        a in any::<prop::sample::Index>(),
        c in any::<prop::sample::Index>(),
    ) {
        let tree = build(&parents);
        let (a, c) = (a.index(parents.len()), c.index(parents.len()));
        prop_assert_eq!(
            tree.contains(&forest_code(a), &forest_code(c)),
            is_ancestor(&parents, a, c)
        );
    }

    #[test]
    fn subtree_is_exactly_what_contains_accepts(parents in arb_forest(), a in any::<prop::sample::Index>()) {
        let tree = build(&parents);
        let a = forest_code(a.index(parents.len()));
        let expected: Vec<RegionCode> = (0..parents.len())
            .map(forest_code)
            .filter(|c| tree.contains(&a, c))
            .collect();
        let got: Vec<RegionCode> = tree.subtree(&a).into_iter().cloned().collect();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn ancestors_start_at_the_region_and_end_at_a_root(parents in arb_forest(), c in any::<prop::sample::Index>()) {
        let tree = build(&parents);
        let c = forest_code(c.index(parents.len()));
        let chain = tree.ancestors(&c);
        prop_assert_eq!(&chain[0].code, &c);
        prop_assert!(chain.last().unwrap().parent.is_none());
        for pair in chain.windows(2) {
            prop_assert_eq!(pair[0].parent.as_ref(), Some(&pair[1].code));
        }
    }

    #[test]
    fn children_point_back_at_their_parent(parents in arb_forest(), a in any::<prop::sample::Index>()) {
        let tree = build(&parents);
        let a = forest_code(a.index(parents.len()));
        let children = tree.children(&a);
        prop_assert!(children.iter().all(|n| n.parent.as_ref() == Some(&a)));
        prop_assert!(children.windows(2).all(|w| w[0].code < w[1].code));
    }

    #[test]
    fn walks_terminate_on_arbitrary_parent_links(
        links in proptest::collection::vec(any::<Option<prop::sample::Index>>(), 1..30),
        c in any::<prop::sample::Index>(),
    ) {
        let n = links.len();
        let tree = RegionTree::new(
            links
                .iter()
                .enumerate()
                .map(|(i, l)| RegionNode {
                    code: forest_code(i),
                    name: String::new(),
                    level: RegionLevel::County,
                    parent: l.map(|ix| forest_code(ix.index(n))),
                })
                .collect(),
        );
        let c = forest_code(c.index(n));
        prop_assert!(tree.ancestors(&c).len() <= n);
        prop_assert!(tree.subtree(&c).len() <= n);
    }
}

#[test]
fn the_national_region_is_the_only_root_of_the_seed_tree() {
    let tree = seed_tree();
    assert_eq!(codes_of(tree.roots()), vec!["100000"]);
}
