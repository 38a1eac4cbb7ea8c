//! Labels of the enums a person reads, in the request's language (API.md "Languages"): a portal
//! shows `市级` or `Municipal` for `MUNICIPAL` without keeping its own table. The words are the
//! catalogue's (`enums.<Enum>.<VALUE>` in `api/locales/*.yml`).

use super::{catalogue, connection, enums};
use crate::error::AppError;
use crate::i18n;
use async_graphql::{EnumType, Object, Result, SimpleObject};
use domain::codes::BUILT_IN_CATEGORIES;

/// One value of an enum and what a person reads for it.
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct EnumLabel {
    /// The value as the schema spells it (`MUNICIPAL`), or a category key (`INFORMATION`).
    pub value: String,
    /// Its label in the request's language (`市级`; `Municipal` with `Accept-Language: en`).
    pub label: String,
}

/// The enums `enumLabels` answers for, by their GraphQL names; `Category` is the built-in
/// course and claim categories (a policy may add its own: see `CreditPolicy.categories`).
pub const ENUMS: &[&str] = &[
    "ActivityKind",
    "Category",
    "ConversionStatus",
    "CourseOrderField",
    "CourseStatus",
    "CreditStatus",
    "Decision",
    "EnrollmentStatus",
    "Modality",
    "OrderDirection",
    "ParticipationRole",
    "RegionLevel",
    "ReviewStep",
    "Role",
    "Stage",
    "TrainingLevel",
];

/// The values of one of [`ENUMS`], in schema order.
pub fn values(name: &str) -> Option<Vec<String>> {
    fn of<E: EnumType>() -> Vec<String> {
        E::items().iter().map(|i| i.name.to_owned()).collect()
    }
    Some(match name {
        "ActivityKind" => of::<enums::ActivityKind>(),
        "Category" => BUILT_IN_CATEGORIES
            .iter()
            .map(|(key, _)| (*key).to_owned())
            .collect(),
        "ConversionStatus" => of::<enums::ConversionStatus>(),
        "CourseOrderField" => of::<catalogue::CourseOrderField>(),
        "CourseStatus" => of::<enums::CourseStatus>(),
        "CreditStatus" => of::<enums::CreditStatus>(),
        "Decision" => of::<enums::Decision>(),
        "EnrollmentStatus" => of::<enums::EnrollmentStatus>(),
        "Modality" => of::<enums::Modality>(),
        "OrderDirection" => of::<connection::OrderDirection>(),
        "ParticipationRole" => of::<enums::ParticipationRole>(),
        "RegionLevel" => of::<enums::RegionLevel>(),
        "ReviewStep" => of::<enums::ReviewStep>(),
        "Role" => of::<enums::Role>(),
        "Stage" => of::<enums::Stage>(),
        "TrainingLevel" => of::<enums::TrainingLevel>(),
        _ => return None,
    })
}

/// The labels of enum `name` in `lang`; `None` for an enum not in [`ENUMS`].
pub fn labels(name: &str, lang: i18n::Lang) -> Option<Vec<EnumLabel>> {
    values(name).map(|values| {
        values
            .into_iter()
            .map(|value| EnumLabel {
                label: i18n::enum_label(lang, name, &value).unwrap_or_else(|| value.clone()),
                value,
            })
            .collect()
    })
}

#[derive(Default)]
pub struct LabelQuery;

#[Object]
impl LabelQuery {
    /// Every value of an enum a person reads, with its label in the request's language
    /// (`Accept-Language`: `zh-CN`, the default, or `en`); public. `BAD_USER_INPUT` (field
    /// `enum`) for an enum without labels.
    async fn enum_labels(
        &self,
        #[graphql(
            name = "enum",
            desc = "The enum's GraphQL name: ActivityKind, Category (the built-in categories), \
                    ConversionStatus, CourseOrderField, CourseStatus, CreditStatus, Decision, \
                    EnrollmentStatus, Modality, OrderDirection, ParticipationRole, RegionLevel, \
                    ReviewStep, Role, Stage or TrainingLevel."
        )]
        name: String,
    ) -> Result<Vec<EnumLabel>> {
        labels(name.trim(), i18n::current()).ok_or_else(|| {
            AppError::invalid(
                "enum",
                "UNKNOWN_VALUE",
                crate::msg!("labels.unknown_enum", known = ENUMS.join(", ")),
            )
            .into()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_of_every_enum_has_a_label_in_both_languages() {
        for name in ENUMS {
            let Some(values) = values(name) else {
                panic!("{name} is listed but has no values")
            };
            assert!(!values.is_empty(), "{name}");
            for value in values {
                for lang in [i18n::Lang::ZhCn, i18n::Lang::English] {
                    let label = i18n::enum_label(lang, name, &value);
                    assert!(
                        label.as_deref().is_some_and(|l| !l.is_empty()),
                        "enums.{name}.{value} has no {} label",
                        lang.tag()
                    );
                }
            }
        }
    }

    #[test]
    fn labels_follow_the_language() {
        let zh = labels("TrainingLevel", i18n::Lang::ZhCn).unwrap_or_default();
        let en = labels("TrainingLevel", i18n::Lang::English).unwrap_or_default();
        let find = |list: &[EnumLabel]| {
            list.iter()
                .find(|l| l.value == "MUNICIPAL")
                .map(|l| l.label.clone())
        };
        assert_eq!(find(&zh).as_deref(), Some("市级"));
        assert_eq!(find(&en).as_deref(), Some("Municipal"));
        assert!(labels("Nope", i18n::Lang::ZhCn).is_none());
    }
}
