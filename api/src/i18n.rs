//! The language of what a person reads: `Accept-Language` picks `zh-CN` (the default) or `en`.
//! Codes (`extensions.code`, note codes, enum values) never change with the language.

use std::future::Future;

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
