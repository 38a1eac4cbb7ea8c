//! What a person reads, as data: a catalogue key and named arguments.
//!
//! The domain decides *what* to say (which message, with which values); the api layer says it
//! in the reader's language from its catalogue (`api/locales/*.yml`). Keeping the words out of
//! the rules keeps this crate pure and every message translatable. The English `message`
//! strings the domain still builds beside a [`Text`] are for logs and tests.

use std::fmt;

use chrono::NaiveDate;

use crate::amount::Amount;

/// A message: the catalogue key and the values its `%{name}` placeholders take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Text {
    /// The key of a text shown as is in every language (see [`Text::raw`]).
    pub const RAW: &'static str = "raw";

    pub fn new(key: &'static str) -> Self {
        Self {
            key,
            args: Vec::new(),
        }
    }

    /// Adds the value of the placeholder `%{name}`.
    pub fn arg(mut self, name: &'static str, value: impl IntoArg) -> Self {
        self.args.push((name, value.into_arg()));
        self
    }

    /// A text that is not in the catalogue, shown as is in every language.
    pub fn raw(text: impl Into<String>) -> Self {
        Self::new(Self::RAW).arg("text", Arg::Plain(text.into()))
    }
}

/// The value of a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// The same in every language: a number, a date, a name someone typed.
    Plain(String),
    /// Another catalogue entry, such as a noun ("teacher", "学分记录").
    Key(&'static str),
    /// A value of an enum a person reads (`("TrainingLevel", "MUNICIPAL")`, categories as
    /// `("Category", key)`), shown with its label; `%{name_code}` gives the code itself.
    Enum(&'static str, String),
    /// A label written in a policy document: Chinese, and English where the document gives it.
    Label { zh: String, en: Option<String> },
    /// Alternatives, joined with the language's "or".
    AnyOf(Vec<Arg>),
    /// Separate statements, joined with the language's "; ".
    Each(Vec<Arg>),
    /// A whole message inside another.
    Text(Box<Text>),
}

/// What a placeholder value may be built from.
pub trait IntoArg {
    fn into_arg(self) -> Arg;
}

impl IntoArg for Arg {
    fn into_arg(self) -> Arg {
        self
    }
}

impl IntoArg for Text {
    fn into_arg(self) -> Arg {
        Arg::Text(Box::new(self))
    }
}

impl IntoArg for String {
    fn into_arg(self) -> Arg {
        Arg::Plain(self)
    }
}

impl IntoArg for &String {
    fn into_arg(self) -> Arg {
        Arg::Plain(self.clone())
    }
}

impl IntoArg for &str {
    fn into_arg(self) -> Arg {
        Arg::Plain(self.to_owned())
    }
}

macro_rules! plain_args {
    ($($t:ty),+) => {
        $(impl IntoArg for $t {
            fn into_arg(self) -> Arg {
                Arg::Plain(self.to_string())
            }
        })+
    };
}

plain_args!(i32, i64, u8, u16, u32, u64, usize, Amount, NaiveDate);

impl fmt::Display for Arg {
    /// The code-level spelling (codes, not labels): for logs and the domain's own messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Plain(s) => f.write_str(s),
            Arg::Key(k) => f.write_str(k),
            Arg::Enum(_, code) => f.write_str(code),
            Arg::Label { zh, .. } => f.write_str(zh),
            Arg::AnyOf(items) | Arg::Each(items) => {
                let sep = if matches!(self, Arg::AnyOf(_)) {
                    " or "
                } else {
                    "; "
                };
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(sep)?;
                    }
                    write!(f, "{item}")?;
                }
                Ok(())
            }
            Arg::Text(t) => write!(f, "{}", t.key),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_keeps_its_key_and_arguments_in_order() {
        let t = Text::new("input.too_long")
            .arg("max", 50usize)
            .arg("what", "x");
        assert_eq!(t.key, "input.too_long");
        assert_eq!(
            t.args,
            vec![
                ("max", Arg::Plain("50".into())),
                ("what", Arg::Plain("x".into()))
            ]
        );
        assert_eq!(Text::raw("as is").key, Text::RAW);
    }

    #[test]
    fn alternatives_display_with_codes() {
        let a = Arg::AnyOf(vec![
            Arg::Enum("Category", "ETHICS".into()),
            Arg::Enum("Category", "PUBLIC".into()),
        ]);
        assert_eq!(a.to_string(), "ETHICS or PUBLIC");
    }
}
