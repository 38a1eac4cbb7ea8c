//! Transfer mappings from training credits to a university's academic credits (seed 002's
//! "overpass" into degree study), shaped after Credential Engine's TransferValueProfile: what
//! counts (categories, minimum level, modalities), how much (minimum hours), for how long
//! (within how many years) and what it is worth (academic credits of one university course).

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use crate::amount::Amount;
use crate::codes::{CategoryKey, Modality, TrainingLevel};
use crate::error::FieldError;

#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    /// Empty: any category.
    pub categories: Vec<CategoryKey>,
    pub min_level: Option<TrainingLevel>,
    /// Empty: any modality.
    pub modalities: Vec<Modality>,
    /// Hours the records must add up to; without it one matching record suffices.
    pub min_hours: Option<Amount>,
    /// Only records earned in the last this many years count.
    pub within_years: Option<i32>,
    pub academic_credits: Amount,
}

impl Mapping {
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.academic_credits <= Amount::ZERO {
            return Err(FieldError::new(
                "input.academicCredits",
                "OUT_OF_RANGE",
                "must be more than 0",
            ));
        }
        if self.min_hours.is_some_and(|h| h < Amount::ZERO) {
            return Err(FieldError::new(
                "input.minHours",
                "OUT_OF_RANGE",
                "must not be negative",
            ));
        }
        if self.within_years.is_some_and(|y| !(1..=50).contains(&y)) {
            return Err(FieldError::new(
                "input.withinYears",
                "OUT_OF_RANGE",
                "must be 1 to 50",
            ));
        }
        Ok(())
    }

    /// The first day a record may have been earned on to count on `today`.
    pub fn earliest(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.within_years.and_then(|y| {
            NaiveDate::from_ymd_opt(today.year() - y, today.month(), 1)
                .map(|d| d.max(NaiveDate::MIN))
        })
    }

    fn accepts(&self, c: &Candidate, today: NaiveDate) -> bool {
        (self.categories.is_empty()
            || c.category
                .as_ref()
                .is_some_and(|k| self.categories.contains(k)))
            && self
                .min_level
                .is_none_or(|min| c.level.is_some_and(|l| l >= min))
            && (self.modalities.is_empty()
                || c.modality.is_some_and(|m| self.modalities.contains(&m)))
            && self.earliest(today).is_none_or(|from| c.earned_on >= from)
    }
}

/// A ledger record a conversion could use.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: Uuid,
    pub category: Option<CategoryKey>,
    pub level: Option<TrainingLevel>,
    pub modality: Option<Modality>,
    pub hours: Option<Amount>,
    pub earned_on: NaiveDate,
    /// Only CERTIFIED records count.
    pub certified: bool,
    /// Reserved or used by a live conversion: never used by another.
    pub reserved: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub eligible: bool,
    pub academic_credits: Amount,
    /// The records a conversion would use, earliest-expiring (oldest) first.
    pub usable: Vec<Uuid>,
    pub hours: Amount,
    /// What is missing, in words a teacher can act on.
    pub missing: Vec<String>,
}

/// Which records a conversion under `mapping` would use on `today`, and what is missing.
pub fn preview(mapping: &Mapping, candidates: &[Candidate], today: NaiveDate) -> Preview {
    let mut matching: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.certified && !c.reserved && mapping.accepts(c, today))
        .collect();
    // The oldest records leave the `withinYears` window first: use them while they still count.
    matching.sort_by_key(|c| (c.earned_on, c.id));
    let need = mapping.min_hours.unwrap_or(Amount::ZERO);
    let mut usable = Vec::new();
    let mut hours = Amount::ZERO;
    for c in matching {
        if !usable.is_empty() && hours >= need {
            break;
        }
        hours = hours
            .checked_add(c.hours.unwrap_or(Amount::ZERO))
            .unwrap_or(hours);
        usable.push(c.id);
    }
    let eligible = !usable.is_empty() && hours >= need;
    let mut missing = Vec::new();
    if !eligible {
        let short = need.checked_sub(hours).unwrap_or(need);
        let mut what = if mapping.min_hours.is_some() {
            format!("{short} more hours of")
        } else {
            "one certified record of".to_owned()
        };
        if mapping.categories.is_empty() {
            what.push_str(" training");
        } else {
            let cats: Vec<&str> = mapping.categories.iter().map(|c| c.as_str()).collect();
            what.push_str(&format!(" {} training", cats.join(" or ")));
        }
        if let Some(level) = mapping.min_level {
            what.push_str(&format!(" at {} level or above", level.as_str()));
        }
        if !mapping.modalities.is_empty() {
            let m: Vec<&str> = mapping.modalities.iter().map(|m| m.as_str()).collect();
            what.push_str(&format!(", {}", m.join(" or ")));
        }
        if let Some(from) = mapping.earliest(today) {
            what.push_str(&format!(", earned since {from}"));
        }
        missing.push(what);
        usable.clear();
    }
    Preview {
        eligible,
        academic_credits: if eligible {
            mapping.academic_credits
        } else {
            Amount::ZERO
        },
        usable,
        hours,
        missing,
    }
}

#[cfg(test)]
mod tests;
