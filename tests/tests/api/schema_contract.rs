//! The schema is part of the contract (issue 11): the SDL the server serves at
//! `/schema.graphql` is exactly the committed `schema.graphql` at the repository root, and every
//! type, field, argument, enum value and input field in it has a description.
//!
//! After changing the schema, regenerate the file with
//! `cargo run -p credit-bank -- export-schema > schema.graphql`
//! and name every breaking change in the README's changelog (`.ci/schema-check.mjs` checks it).

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
use credit_bank_tests::{spawn_app, Backend};

const REGENERATE: &str = "run `cargo run -p credit-bank -- export-schema > schema.graphql` \
     and name breaking changes in the README changelog";

/// The directives every GraphQL server declares; their arguments are the spec's, not ours.
const BUILT_IN_DIRECTIVES: [&str; 5] = ["include", "skip", "deprecated", "specifiedBy", "oneOf"];

fn committed_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql")
}

fn committed() -> String {
    let path = committed_path();
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the committed schema {} cannot be read ({e}): {REGENERATE}",
            path.display()
        )
    })
}

/// The first line where the two texts differ, with a little context, for the failure message.
fn first_difference(served: &str, committed: &str) -> String {
    let (s, c): (Vec<&str>, Vec<&str>) = (served.lines().collect(), committed.lines().collect());
    let at = s
        .iter()
        .zip(&c)
        .position(|(a, b)| a != b)
        .unwrap_or(s.len().min(c.len()));
    let show = |lines: &[&str]| {
        lines
            .iter()
            .enumerate()
            .skip(at.saturating_sub(3))
            .take(7)
            .map(|(i, l)| format!("{:>6} | {l}", i + 1))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "first difference at line {}:\n--- served by the server:\n{}\n--- committed schema.graphql:\n{}",
        at + 1,
        show(&s),
        show(&c)
    )
}

#[tokio::test]
async fn served_schema_is_the_committed_schema() {
    let app = spawn_app(Backend::Sqlite)
        .await
        .expect("SQLite is always available");
    let res = app
        .client
        .get(format!("{}/schema.graphql", app.address))
        .send()
        .await
        .expect("GET /schema.graphql");
    assert_eq!(res.status(), 200, "GET /schema.graphql");
    let served = res.text().await.expect("SDL body");
    let committed = committed();
    assert!(
        served == committed,
        "the served schema differs from the committed schema.graphql ({} lines served, {} \
         committed): {REGENERATE}.\n{}",
        served.lines().count(),
        committed.lines().count(),
        first_difference(&served, &committed)
    );
}

/// Every coordinate (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`, `Input.field`,
/// `@directive(arg:)`) of the SDL that has no description.
fn undescribed(sdl: &str) -> Vec<String> {
    let doc = parse_schema(sdl).unwrap_or_else(|e| panic!("schema.graphql does not parse: {e}"));
    let mut missing = Vec::new();
    let mut check = |coordinate: String,
                     description: &Option<async_graphql::Positioned<String>>| {
        if description
            .as_ref()
            .is_none_or(|d| d.node.trim().is_empty())
        {
            missing.push(coordinate);
        }
    };
    for definition in &doc.definitions {
        match definition {
            TypeSystemDefinition::Schema(_) => {}
            TypeSystemDefinition::Type(t) => {
                let t = &t.node;
                let name = t.name.node.as_str();
                check(name.to_owned(), &t.description);
                match &t.kind {
                    TypeKind::Object(o) => {
                        for f in &o.fields {
                            let f = &f.node;
                            check(format!("{name}.{}", f.name.node), &f.description);
                            for a in &f.arguments {
                                let coordinate =
                                    format!("{name}.{}({}:)", f.name.node, a.node.name.node);
                                check(coordinate, &a.node.description);
                            }
                        }
                    }
                    TypeKind::Interface(i) => {
                        for f in &i.fields {
                            let f = &f.node;
                            check(format!("{name}.{}", f.name.node), &f.description);
                            for a in &f.arguments {
                                let coordinate =
                                    format!("{name}.{}({}:)", f.name.node, a.node.name.node);
                                check(coordinate, &a.node.description);
                            }
                        }
                    }
                    TypeKind::Enum(e) => {
                        for v in &e.values {
                            check(format!("{name}.{}", v.node.value.node), &v.node.description);
                        }
                    }
                    TypeKind::InputObject(i) => {
                        for f in &i.fields {
                            check(format!("{name}.{}", f.node.name.node), &f.node.description);
                        }
                    }
                    TypeKind::Scalar | TypeKind::Union(_) => {}
                }
            }
            TypeSystemDefinition::Directive(d) => {
                let d = &d.node;
                if BUILT_IN_DIRECTIVES.contains(&d.name.node.as_str()) {
                    continue;
                }
                check(format!("@{}", d.name.node), &d.description);
                for a in &d.arguments {
                    let coordinate = format!("@{}({}:)", d.name.node, a.node.name.node);
                    check(coordinate, &a.node.description);
                }
            }
        }
    }
    missing
}

#[test]
fn committed_schema_describes_everything() {
    let missing = undescribed(&committed());
    assert!(
        missing.is_empty(),
        "{} schema element(s) have no description; give each a doc comment (or \
         `#[graphql(desc = \"…\")]` on an argument) saying what it is, its unit, who may read it \
         and what null means, then {REGENERATE}:\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}

#[test]
fn the_description_check_finds_what_is_missing() {
    let sdl = r#"
"""A thing."""
type Query {
  """Described."""
  a(x: Int): Int
  b: Int
}
enum E { ONE }
input I { f: Int }
"#;
    assert_eq!(
        undescribed(sdl),
        ["Query.a(x:)", "Query.b", "E", "E.ONE", "I", "I.f"]
    );
}
