//! Whether a [`Match`] applies to an activity.

use super::activity::Activity;
use super::document::Match;

impl Match {
    /// `rule` is the key of the rule that priced the activity, if any.
    pub fn matches(&self, activity: &Activity, rule: Option<&str>) -> bool {
        fn listed<T: PartialEq>(list: &[T], value: Option<&T>) -> bool {
            list.is_empty() || value.is_some_and(|v| list.contains(v))
        }
        listed(&self.kinds, Some(&activity.kind))
            && listed(&self.levels, activity.level.as_ref())
            && self
                .min_level
                .is_none_or(|min| activity.level.is_some_and(|l| l >= min))
            && listed(&self.modalities, activity.modality.as_ref())
            && listed(&self.roles, Some(&activity.role))
            && listed(&self.categories, activity.category.as_ref())
            && self
                .compulsory
                .is_none_or(|c| activity.compulsory.unwrap_or(false) == c)
            && (self.prizes.is_empty()
                || activity
                    .prize
                    .as_deref()
                    .is_some_and(|p| self.prizes.iter().any(|q| q.eq_ignore_ascii_case(p))))
            && (self.rules.is_empty() || rule.is_some_and(|r| self.rules.iter().any(|k| k == r)))
            && self
                .min_hours
                .is_none_or(|min| activity.credited_hours().is_some_and(|h| h >= min))
            && self
                .min_months
                .is_none_or(|min| activity.months.is_some_and(|m| m >= min))
            && self
                .min_days
                .is_none_or(|min| activity.days.is_some_and(|d| d >= min))
            && self
                .min_score
                .is_none_or(|min| activity.score.is_some_and(|s| s >= min))
    }
}
