use crate::policy::BUILT_IN;

#[test]
fn every_built_in_policy_loads_and_validates() {
    for b in BUILT_IN {
        let doc = b.document().unwrap_or_else(|e| panic!("{}: {e:?}", b.key));
        assert_eq!(doc.key, b.key);
    }
}

/// English readers see each built-in requirement and limit in English (`labelEn`).
#[test]
fn every_built_in_label_has_an_english_translation() {
    for b in BUILT_IN {
        let doc = b.document().unwrap_or_else(|e| panic!("{}: {e:?}", b.key));
        for r in &doc.requirements {
            let en = r.label_en.as_deref().unwrap_or_default();
            assert!(!en.trim().is_empty(), "{}: requirement {}", b.key, r.key);
            assert!(en.is_ascii(), "{}: requirement {}: {en}", b.key, r.key);
        }
        for l in doc.limits.iter().filter(|l| l.label.is_some()) {
            assert!(l.label_en.is_some(), "{}: limit {}", b.key, l.key);
        }
        for c in &doc.categories {
            assert!(c.label_en.is_some(), "{}: category {}", b.key, c.key);
        }
    }
}

/// Weifang art. 13 (在完成试用期培训后，应继续参加本周期剩余年限的培训): the engine pro-rates new
/// hires, and the source note must say so rather than claim the full cycle applies.
#[test]
fn the_weifang_source_note_matches_the_engine_on_new_hires() {
    let doc = crate::policy::built_in("weifang").expect("weifang");
    assert_eq!(doc.period.new_hires, crate::policy::NewHires::ProRata);
    let note = doc.source_note.unwrap_or_default();
    assert!(note.contains("PRO_RATA"), "{note}");
    assert!(!note.contains("full cycle requirement applies"), "{note}");
}
