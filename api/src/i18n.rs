//! The language of what a person reads: `Accept-Language` picks `zh-CN` (the default) or `en`.
//! Codes (`extensions.code`, note codes, enum values) never change with the language.
//!
//! **The catalogue** is `api/locales/zh-CN.yml` and `api/locales/en.yml` (rust-i18n, one file
//! per language, nested keys): every sentence and label the API shows is there, once per
//! language, keyed (`errors.not_found`, `notes.CAP_REACHED`, `enums.TrainingLevel.MUNICIPAL`).
//! Code never holds the words: it builds a [`Text`] — a key and named arguments, with
//! [`msg!`](crate::msg) in the api and `Text::new(..).arg(..)` in the pure domain — and the text
//! is rendered in the reader's language only when it leaves the API ([`render`]), so an error
//! made in a DataLoader's task or a service still reads in the request's language.
//!
//! To add a message: pick a key, add it to **both** files with the same `%{name}` placeholders
//! (the tests fail otherwise), and write `msg!("area.key", name = value)`. An enum value (or a
//! category) passed as an argument shows as its label; `%{name_code}` gives its code instead.

use std::future::Future;

pub use domain::text::{Arg, IntoArg, Text};

use domain::error::InputError;

// The catalogue files are read by `rust_i18n::i18n!` (in lib.rs) at compile time; naming them
// here makes cargo rebuild the crate when one changes.
const _CATALOGUE: [&str; 2] = [
    include_str!("../locales/zh-CN.yml"),
    include_str!("../locales/en.yml"),
];

/// A catalogue message: `msg!("errors.not_found", what = Arg::Key("nouns.teacher"))`.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Text::new($key)$(.arg(stringify!($name), $value))*
    };
}

/// The catalogue entry `key` in `lang` (English when the language lacks it); `None` when no
/// language has it.
pub fn lookup(lang: Lang, key: &str) -> Option<String> {
    crate::_rust_i18n_try_translate(lang.tag(), key).map(|s| s.into_owned())
}

/// `text` in `lang`. A key missing from the catalogue (a bug the tests catch) shows as itself.
pub fn render(text: &Text, lang: Lang) -> String {
    let template = lookup(lang, text.key).unwrap_or_else(|| text.key.to_owned());
    if text.args.is_empty() {
        return template;
    }
    let mut names: Vec<String> = Vec::with_capacity(text.args.len() * 2);
    let mut values: Vec<String> = Vec::with_capacity(text.args.len() * 2);
    for (name, arg) in &text.args {
        names.push((*name).to_owned());
        values.push(render_arg(arg, lang));
        if let Some(code) = code_of(arg, lang) {
            names.push(format!("{name}_code"));
            values.push(code);
        }
    }
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    rust_i18n::replace_patterns(&template, &names, &values)
}

/// `text` in the language of the request being served.
pub fn say(text: &Text) -> String {
    render(text, current())
}

/// One argument in `lang`: a label, a catalogue entry or plain text.
pub fn render_arg(arg: &Arg, lang: Lang) -> String {
    match arg {
        Arg::Plain(s) => s.clone(),
        Arg::Key(key) => lookup(lang, key).unwrap_or_else(|| (*key).to_owned()),
        Arg::Enum(name, value) => enum_label(lang, name, value).unwrap_or_else(|| value.clone()),
        Arg::Label { zh, en } => match (lang, en) {
            (Lang::English, Some(en)) => en.clone(),
            _ => zh.clone(),
        },
        Arg::AnyOf(items) => join(items, lang, "list.or", render_arg),
        Arg::Each(items) => join(items, lang, "list.each", render_arg),
        Arg::Text(text) => render(text, lang),
    }
}

/// The code spelling of an enum argument (or of alternatives between enum values).
fn code_of(arg: &Arg, lang: Lang) -> Option<String> {
    match arg {
        Arg::Enum(_, value) => Some(value.clone()),
        Arg::AnyOf(items) if items.iter().all(|a| matches!(a, Arg::Enum(..))) => {
            Some(join(items, lang, "list.or", |a, lang| {
                code_of(a, lang).unwrap_or_default()
            }))
        }
        _ => None,
    }
}

fn join(items: &[Arg], lang: Lang, separator: &str, each: fn(&Arg, Lang) -> String) -> String {
    let separator = lookup(lang, separator).unwrap_or_else(|| ", ".to_owned());
    items
        .iter()
        .map(|a| each(a, lang))
        .collect::<Vec<_>>()
        .join(&separator)
}

/// The label of one value of an enum a person reads (`enums.<Enum>.<VALUE>`), categories as
/// `("Category", key)`.
pub fn enum_label(lang: Lang, name: &str, value: &str) -> Option<String> {
    lookup(lang, &format!("enums.{name}.{value}"))
}

/// What users read for a domain input error: its text, or a general sentence for its code.
pub fn input_text(err: &InputError) -> Text {
    match &err.text {
        Some(text) => text.clone(),
        None => Text::new("input.unkeyed")
            .arg("en", err.message.as_str())
            .arg("generic", Arg::Key(generic_input_key(err.code))),
    }
}

/// A transfer mapping's missing item as a sentence (`transfer.missing.<CODE>`): its parts are
/// texts of their own, empty when the mapping does not ask for them.
pub fn missing_text(m: &domain::transfer::Missing) -> Text {
    let none = || Arg::Plain(String::new());
    let key = match m.code {
        domain::transfer::Missing::HOURS => "transfer.missing.HOURS",
        _ => "transfer.missing.RECORD",
    };
    let training = if m.categories.is_empty() {
        Text::new("transfer.training.any")
    } else {
        Text::new("transfer.training.categories").arg(
            "categories",
            Arg::AnyOf(m.categories.iter().map(IntoArg::into_arg).collect()),
        )
    };
    Text::new(key)
        .arg("hours", m.hours.map_or_else(String::new, |h| h.to_string()))
        .arg("training", training)
        .arg(
            "level",
            m.min_level.map_or_else(none, |l| {
                Text::new("transfer.level").arg("level", l).into_arg()
            }),
        )
        .arg(
            "modalities",
            if m.modalities.is_empty() {
                none()
            } else {
                Text::new("transfer.modalities")
                    .arg(
                        "modalities",
                        Arg::AnyOf(m.modalities.iter().map(|x| x.into_arg()).collect()),
                    )
                    .into_arg()
            },
        )
        .arg(
            "since",
            m.since.map_or_else(none, |d| {
                Text::new("transfer.since").arg("since", d).into_arg()
            }),
        )
}

fn generic_input_key(code: &str) -> &'static str {
    match code {
        InputError::REQUIRED => "input.code.REQUIRED",
        InputError::TOO_SHORT => "input.code.TOO_SHORT",
        InputError::TOO_LONG => "input.code.TOO_LONG",
        InputError::INVALID_FORMAT => "input.code.INVALID_FORMAT",
        InputError::OUT_OF_RANGE => "input.code.OUT_OF_RANGE",
        InputError::UNKNOWN_VALUE => "input.code.UNKNOWN_VALUE",
        InputError::TOO_PRECISE => "input.code.TOO_PRECISE",
        InputError::NOT_ALLOWED => "input.code.NOT_ALLOWED",
        _ => "input.code.INVALID",
    }
}

tokio::task_local! {
    /// The language of the request being served (set by the HTTP layer around execution).
    static LANG: Lang;
}

/// The language of the request this task serves; Chinese outside any request.
pub fn current() -> Lang {
    LANG.try_with(|lang| *lang).unwrap_or_default()
}

/// Runs `work` with `lang` as the [`current`] language.
pub async fn scope<F: Future>(lang: Lang, work: F) -> F::Output {
    LANG.scope(lang, work).await
}

/// A language the API answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    ZhCn,
    English,
}

impl Lang {
    /// The best supported language of an `Accept-Language` header (RFC 9110 §12.5.4):
    /// the highest `q` among `zh*` and `en*`; ties go to the first listed; nothing usable: Chinese.
    pub fn negotiate(header: Option<&str>) -> Lang {
        let Some(header) = header else {
            return Lang::default();
        };
        let mut best: Option<(f32, Lang)> = None;
        for range in header.split(',') {
            let mut parts = range.split(';').map(str::trim);
            let tag = parts.next().unwrap_or_default().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = if tag == "zh" || tag.starts_with("zh-") || tag == "*" {
                Lang::ZhCn
            } else if tag == "en" || tag.starts_with("en-") {
                Lang::English
            } else {
                continue;
            };
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or_else(Lang::default, |(_, lang)| lang)
    }

    /// The BCP 47 tag, as sent in `Content-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::English => "en",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(Lang::negotiate(None), Lang::ZhCn);
        assert_eq!(Lang::negotiate(Some("en")), Lang::English);
        assert_eq!(Lang::negotiate(Some("en-US,en;q=0.9")), Lang::English);
        assert_eq!(Lang::negotiate(Some("zh-CN,zh;q=0.9,en;q=0.8")), Lang::ZhCn);
        assert_eq!(Lang::negotiate(Some("fr, en;q=0.5")), Lang::English);
        assert_eq!(Lang::negotiate(Some("fr")), Lang::ZhCn);
        assert_eq!(Lang::negotiate(Some("zh;q=0.3, en;q=0.7")), Lang::English);
        assert_eq!(Lang::negotiate(Some("en;q=0")), Lang::ZhCn);
    }
}

/// The catalogue itself: both files hold the same keys with the same placeholders, and every
/// key the code names is in them.
#[cfg(test)]
mod catalogue_tests {
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
        let t = Text::new("catalogue.not_editable")
            .arg("status", domain::codes::CourseStatus::Archived);
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
}
