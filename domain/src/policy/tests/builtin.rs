use crate::policy::BUILT_IN;

#[test]
fn every_built_in_policy_loads_and_validates() {
    for b in BUILT_IN {
        let doc = b.document().unwrap_or_else(|e| panic!("{}: {e:?}", b.key));
        assert_eq!(doc.key, b.key);
    }
}
