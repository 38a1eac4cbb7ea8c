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
/// key the code names is in them (in `i18n/catalogue_tests.rs`).
#[cfg(test)]
mod catalogue_tests;
