//! The catalogue itself: both files hold the same keys with the same placeholders, and every
//! key the code names is in them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `locale -> key -> text`, read as `rust_i18n::i18n!` reads it.
fn catalogue() -> BTreeMap<String, BTreeMap<String, String>> {
    let path = manifest().join("locales");
    rust_i18n_support::load_locales(&path.display().to_string(), |_| false)
}

fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find("%{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        out.insert(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    out
}

#[test]
fn both_languages_have_every_key_with_the_same_placeholders() {
    let all = catalogue();
    let zh = all.get("zh-CN").expect("locales/zh-CN.yml");
    let en = all.get("en").expect("locales/en.yml");
    assert_eq!(all.len(), 2, "only zh-CN and en: {:?}", all.keys());
    let only_zh: Vec<&String> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
    let only_en: Vec<&String> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
    assert!(only_zh.is_empty(), "missing in en.yml: {only_zh:?}");
    assert!(only_en.is_empty(), "missing in zh-CN.yml: {only_en:?}");
    for (key, zh_text) in zh {
        let en_text = &en[key];
        assert!(
            !zh_text.trim().is_empty() || key == "list.or",
            "{key} is empty"
        );
        // `%{x_code}` and `%{x}` are two spellings of one argument.
        let args = |t: &str| -> BTreeSet<String> {
            placeholders(t)
                .into_iter()
                .map(|p| p.strip_suffix("_code").map_or(p.clone(), str::to_owned))
                .collect()
        };
        // English may drop an argument Chinese grammar needs (`article`, `state`) and the
        // reverse; but neither may name one the other does not know.
        let (z, e) = (args(zh_text), args(en_text));
        let english_only = ["article", "state", "en"];
        let chinese_only = ["status", "generic"];
        for a in z.symmetric_difference(&e) {
            assert!(
                english_only.contains(&a.as_str()) || chinese_only.contains(&a.as_str()),
                "{key}: placeholder {a} is in one language only ({zh_text} | {en_text})"
            );
        }
    }
}

#[test]
fn the_chinese_catalogue_is_chinese() {
    let all = catalogue();
    let zh = &all["zh-CN"];
    let han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    // Texts made only of placeholders or punctuation are the same in both languages.
    let untranslatable = |s: &str| {
        let mut t = s.to_owned();
        for p in placeholders(s) {
            t = t.replace(&format!("%{{{p}}}"), "");
        }
        t.chars().all(|c| !c.is_alphabetic())
    };
    for (key, text) in zh {
        assert!(
            han(text) || untranslatable(text),
            "{key} is not translated: {text}"
        );
    }
}

/// Keys named in code: `msg!("…")`, `Text::new("…")`, `Arg::Key("…")` and the key tables
/// (`"notes.…"`, `"nouns.…"`…) of the api and the domain.
fn keys_in_code() -> BTreeSet<(String, String)> {
    let mut files = Vec::new();
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    walk(&manifest().join("src"), &mut files);
    walk(&manifest().join("../domain/src"), &mut files);
    let tables = [
        "notes.",
        "nouns.",
        "facts.",
        "windows.",
        "course_action.",
        "claim_needs.",
        "activity.",
        "transfer.",
        "requirement_label.",
        "input.code.",
        "errors.",
    ];
    let mut keys = BTreeSet::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        // What ships: no tests (which name keys that must not exist), no comments.
        let source = source.split("#[cfg(test)]").next().unwrap_or_default();
        let source: String = source
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let name = file.display().to_string();
        for (i, _) in source.match_indices('"') {
            let before = &source[..i];
            let after = &source[i + 1..];
            let Some(end) = after.find('"') else { continue };
            let literal = &after[..end];
            let keyish = !literal.is_empty()
                && literal.contains('.')
                && !literal.ends_with('.')
                && literal
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
            if !keyish {
                continue;
            }
            let named = ["msg!(", "Text::new(", "Arg::Key("]
                .iter()
                .any(|m| before.trim_end().ends_with(m));
            if named || tables.iter().any(|t| literal.starts_with(t)) {
                keys.insert((literal.to_owned(), name.clone()));
            }
        }
    }
    keys
}

#[test]
fn every_key_the_code_names_is_in_the_catalogue() {
    let all = catalogue();
    let keys = keys_in_code();
    assert!(keys.len() > 150, "the scan found only {} keys", keys.len());
    let missing: Vec<_> = keys
        .iter()
        .filter(|(k, _)| !all["zh-CN"].contains_key(k) || !all["en"].contains_key(k))
        .collect();
    assert!(missing.is_empty(), "not in the catalogue: {missing:?}");
    for code in [
        InputError::REQUIRED,
        InputError::TOO_SHORT,
        InputError::TOO_LONG,
        InputError::INVALID_FORMAT,
        InputError::OUT_OF_RANGE,
        InputError::UNKNOWN_VALUE,
        InputError::TOO_PRECISE,
        InputError::NOT_ALLOWED,
        "SOMETHING_ELSE",
    ] {
        assert!(all["zh-CN"].contains_key(generic_input_key(code)), "{code}");
    }
}

#[test]
fn the_compiled_catalogue_is_the_files() {
    // `rust_i18n::i18n!` embeds the files at compile time; a stale build would say otherwise.
    for (locale, lang) in [("zh-CN", Lang::ZhCn), ("en", Lang::English)] {
        for (key, text) in &catalogue()[locale] {
            assert_eq!(lookup(lang, key).as_deref(), Some(text.as_str()), "{key}");
        }
    }
}

#[test]
fn texts_render_with_their_arguments_labels_and_codes() {
    let t =
        Text::new("catalogue.not_editable").arg("status", domain::codes::CourseStatus::Archived);
    assert_eq!(
        render(&t, Lang::English),
        "a ARCHIVED course can no longer be edited"
    );
    assert_eq!(render(&t, Lang::ZhCn), "“已归档”状态的课程不能再修改");
    let label = Arg::Label {
        zh: "每年不少于48学分".into(),
        en: Some("At least 48 credits a year".into()),
    };
    let unlabelled = Arg::Label {
        zh: "必修课10学分".into(),
        en: None,
    };
    let year = |l: Arg| {
        Text::new("requirement_label.year")
            .arg("label", l)
            .arg("year", 2026)
    };
    assert_eq!(
        render(&year(label.clone()), Lang::English),
        "At least 48 credits a year (2026)"
    );
    assert_eq!(
        render(&year(label), Lang::ZhCn),
        "每年不少于48学分（2026 年）"
    );
    assert_eq!(
        render(&year(unlabelled), Lang::English),
        "必修课10学分 (2026)"
    );
    let cats = Arg::AnyOf(vec![
        Arg::Enum("Category", "ETHICS".into()),
        Arg::Enum("Category", "PUBLIC".into()),
    ]);
    assert_eq!(render_arg(&cats, Lang::ZhCn), "师德修养或公需科目");
    assert_eq!(
        render_arg(&cats, Lang::English),
        "Professional ethics or Public subjects"
    );
    assert_eq!(render(&Text::raw("as is"), Lang::ZhCn), "as is");
    assert_eq!(render(&Text::new("no.such.key"), Lang::ZhCn), "no.such.key");
}

#[test]
fn english_renderings_match_the_domain_own_english() {
    use domain::amount::Amount;
    use domain::codes::{CategoryKey, Modality, TrainingLevel};
    use domain::transfer::Missing;
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let items = [
        Missing {
            code: Missing::HOURS,
            categories: vec![CategoryKey::parse("INFORMATION").unwrap()],
            min_level: Some(TrainingLevel::Municipal),
            modalities: vec![],
            hours: Some(Amount::parse("12").unwrap()),
            since: Some(d("2021-11-01")),
        },
        Missing {
            code: Missing::RECORD,
            categories: vec![],
            min_level: None,
            modalities: vec![Modality::Concentrated, Modality::Online],
            hours: None,
            since: None,
        },
    ];
    for m in &items {
        assert_eq!(render(&missing_text(m), Lang::English), m.to_string());
    }
    assert_eq!(
        render(&missing_text(&items[0]), Lang::ZhCn),
        "还需 12 学时市级及以上的“信息技术应用能力”类培训，须为 2021-11-01 以来取得"
    );
    assert_eq!(
        render(&missing_text(&items[1]), Lang::ZhCn),
        "还需 1 条已认定的培训记录（集中培训或网络培训）"
    );
    // Domain input errors: the catalogue's English is the domain's.
    let errors = [
        domain::identity::Username::parse("ab").err(),
        domain::identity::Password::parse("short".into()).err(),
        domain::region::RegionCode::parse("12").err(),
        Amount::parse("1.23456").err(),
        Amount::parse("x").err(),
        domain::identity::Name::parse(&"长".repeat(60), 50).err(),
        "NOPE".parse::<domain::codes::Decision>().err(),
    ];
    for e in errors.into_iter().flatten() {
        assert!(e.text.is_some(), "{e:?} has no text");
        assert_eq!(render(&input_text(&e), Lang::English), e.message, "{e:?}");
        assert!(!render(&input_text(&e), Lang::ZhCn).is_empty(), "{e:?}");
    }
}
