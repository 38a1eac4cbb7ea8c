#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::str::FromStr;

use proptest::prelude::*;

use super::*;
use crate::codes::Stage;

fn username_code(s: &str) -> &'static str {
    Username::parse(s).unwrap_err().code
}

#[test]
fn usernames_are_trimmed_and_lower_cased() {
    assert_eq!(Username::parse("  ZhangSan ").unwrap().as_str(), "zhangsan");
    assert_eq!(
        Username::parse("li.wei_2024-a").unwrap().as_str(),
        "li.wei_2024-a"
    );
    assert_eq!(Username::parse("007agent").unwrap().as_str(), "007agent");
    assert_eq!(
        Username::parse("ABC").unwrap(),
        Username::parse("abc").unwrap()
    );
}

#[test]
fn usernames_refuse_bad_length_characters_and_start() {
    assert_eq!(username_code("  "), InputError::REQUIRED);
    assert_eq!(username_code("ab"), InputError::TOO_SHORT);
    assert_eq!(username_code(&"a".repeat(65)), InputError::TOO_LONG);
    assert!(Username::parse(&"a".repeat(64)).is_ok());
    assert_eq!(username_code("_admin"), InputError::INVALID_FORMAT);
    assert_eq!(username_code(".admin"), InputError::INVALID_FORMAT);
    assert_eq!(username_code("zhang san"), InputError::INVALID_FORMAT);
    assert_eq!(username_code("张三丰"), InputError::INVALID_FORMAT);
    assert_eq!(username_code("a@b.cn"), InputError::INVALID_FORMAT);
    assert_eq!(
        Username::parse("ab").unwrap_err().message,
        "must be 3 to 64 characters"
    );
}

#[test]
fn passwords_count_characters_not_bytes() {
    assert!(Password::parse("密码密码密码密码".into()).is_ok());
    assert_eq!(
        Password::parse("密码密码密码密".into()).unwrap_err().code,
        InputError::TOO_SHORT
    );
    assert_eq!(
        Password::parse("".into()).unwrap_err().code,
        InputError::REQUIRED
    );
    assert_eq!(
        Password::parse("x".repeat(129)).unwrap_err().code,
        InputError::TOO_LONG
    );
    assert!(Password::parse("x".repeat(128)).is_ok());
}

#[test]
fn passwords_keep_spaces_but_are_not_only_whitespace() {
    assert_eq!(
        Password::parse(" correct horse ".into()).unwrap().expose(),
        " correct horse "
    );
    assert_eq!(
        Password::parse(" ".repeat(10)).unwrap_err().code,
        InputError::INVALID_FORMAT
    );
}

#[test]
fn passwords_never_print() {
    let p = Password::parse("hunter2hunter2".into()).unwrap();
    assert_eq!(format!("{p:?}"), "Password(***)");
    assert_eq!(format!("{:?}", Some(p)), "Some(Password(***))");
    let err = Password::parse("short".into()).unwrap_err();
    assert!(!err.message.contains("short"));
}

#[test]
fn names_take_any_script_up_to_the_field_maximum() {
    assert_eq!(
        Name::parse("  青岛市实验小学 ", 10).unwrap().as_str(),
        "青岛市实验小学"
    );
    assert_eq!(Name::parse("王小明", 3).unwrap().to_string(), "王小明");
    let err = Name::parse("王小明", 2).unwrap_err();
    assert_eq!(err.code, InputError::TOO_LONG);
    assert_eq!(err.message, "must be at most 2 characters");
    assert_eq!(
        Name::parse(" \t ", 10).unwrap_err().code,
        InputError::REQUIRED
    );
    assert_eq!(
        Name::parse("line\nbreak", 20).unwrap_err().code,
        InputError::INVALID_FORMAT
    );
}

#[test]
fn subjects_are_short_names() {
    assert_eq!(Subject::parse(" 数学 ").unwrap().as_str(), "数学");
    assert!(Subject::parse(&"语".repeat(50)).is_ok());
    assert_eq!(
        Subject::parse(&"语".repeat(51)).unwrap_err().code,
        InputError::TOO_LONG
    );
    assert_eq!(Subject::parse("").unwrap_err().code, InputError::REQUIRED);
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn parse_list_drops_repeats_keeping_the_first() {
    let items = strings(&["数学", "语文", " 数学 ", "英语"]);
    let parsed = parse_list(&items, Subject::parse, 10).unwrap();
    let texts: Vec<&str> = parsed.iter().map(Subject::as_str).collect();
    assert_eq!(texts, ["数学", "语文", "英语"]);
}

#[test]
fn parse_list_reports_the_index_of_the_first_bad_item() {
    let items = strings(&["PRIMARY", "primary", "COLLEGE", "NOPE"]);
    let (index, err) = parse_list(&items, Stage::from_str, 10).unwrap_err();
    assert_eq!(index, 2);
    assert_eq!(err.code, InputError::UNKNOWN_VALUE);
}

#[test]
fn parse_list_refuses_too_many_items_at_index_max() {
    let items = strings(&["a", "b", "c"]);
    let (index, err) = parse_list(&items, Subject::parse, 2).unwrap_err();
    assert_eq!(index, 2);
    assert_eq!(err.code, InputError::OUT_OF_RANGE);
    assert!(parse_list(&items, Subject::parse, 3).is_ok());
    assert!(parse_list(&[], Subject::parse, 0).unwrap().is_empty());
}

proptest! {
    #[test]
    fn username_normalisation_is_idempotent(s in "\\PC{0,70}") {
        if let Ok(u) = Username::parse(&s) {
            prop_assert_eq!(Username::parse(u.as_str()).unwrap(), u.clone());
            prop_assert!(u.as_str().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c)));
            prop_assert!((3..=64).contains(&u.as_str().len()));
        }
    }

    #[test]
    fn usernames_ignore_case_and_padding(s in "[a-z0-9][a-z0-9._-]{2,63}", pad in " {0,3}") {
        let shouted = format!("{pad}{}{pad}", s.to_uppercase());
        let parsed = Username::parse(&shouted).unwrap();
        prop_assert_eq!(parsed.as_str(), s.as_str());
    }

    #[test]
    fn names_come_out_trimmed_and_within_bounds(s in "\\PC{0,30}", max in 1usize..20) {
        if let Ok(n) = Name::parse(&s, max) {
            prop_assert_eq!(n.as_str(), n.as_str().trim());
            prop_assert!(!n.as_str().is_empty());
            prop_assert!(n.as_str().chars().count() <= max);
        }
    }

    #[test]
    fn parse_list_output_is_distinct_and_ordered_by_first_appearance(
        items in proptest::collection::vec("[a-c]{1,2}", 0..12)
    ) {
        let parsed = parse_list(&items, Subject::parse, 12).unwrap();
        let mut expected: Vec<&str> = Vec::new();
        for item in &items {
            if !expected.contains(&item.as_str()) {
                expected.push(item);
            }
        }
        let got: Vec<&str> = parsed.iter().map(Subject::as_str).collect();
        prop_assert_eq!(got, expected);
    }
}
