//! Transfer mappings from training credits to a university's academic credits (seed 002's
//! "overpass" into degree study), shaped after Credential Engine's TransferValueProfile: what
//! counts (categories, minimum level, modalities), how much (minimum hours), for how long
//! (within how many years) and what it is worth (academic credits of one university course).

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use crate::amount::Amount;
use crate::codes::{CategoryKey, Modality, TrainingLevel};
use crate::error::FieldError;
use crate::text::Text;

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
            )
            .with(Text::new("input.positive")));
        }
        if self.min_hours.is_some_and(|h| h < Amount::ZERO) {
            return Err(
                FieldError::new("input.minHours", "OUT_OF_RANGE", "must not be negative")
                    .with(Text::new("input.negative")),
            );
        }
        if self.within_years.is_some_and(|y| !(1..=50).contains(&y)) {
            return Err(
                FieldError::new("input.withinYears", "OUT_OF_RANGE", "must be 1 to 50")
                    .with(Text::new("input.between").arg("min", 1).arg("max", 50)),
            );
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
    /// What is missing, in English words (for logs and tests): `missing_items` said as text.
    pub missing: Vec<String>,
    /// What is missing, as data.
    pub missing_items: Vec<Missing>,
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
    let mut missing_items = Vec::new();
    if !eligible {
        missing_items.push(Missing {
            code: if mapping.min_hours.is_some() {
                Missing::HOURS
            } else {
                Missing::RECORD
            },
            categories: mapping.categories.clone(),
            min_level: mapping.min_level,
            modalities: mapping.modalities.clone(),
            hours: mapping
                .min_hours
                .map(|_| need.checked_sub(hours).unwrap_or(need)),
            since: mapping.earliest(today),
        });
        usable.clear();
    }
    let missing = missing_items.iter().map(Missing::to_string).collect();
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
        missing_items,
    }
}

/// One thing a teacher still needs before a mapping's conversion, as data: the api says it in
/// the reader's language, and a portal may say it in its own words.
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    /// [`Missing::HOURS`] or [`Missing::RECORD`].
    pub code: &'static str,
    /// The training must be of one of these categories (empty: any).
    pub categories: Vec<CategoryKey>,
    /// … at this level or above.
    pub min_level: Option<TrainingLevel>,
    /// … in one of these modalities (empty: any).
    pub modalities: Vec<Modality>,
    /// For `HOURS`: how many more hours.
    pub hours: Option<Amount>,
    /// … earned on or after this day.
    pub since: Option<NaiveDate>,
}

impl Missing {
    /// More hours of matching training (the mapping has `minHours`).
    pub const HOURS: &'static str = "HOURS";
    /// One certified record of matching training (the mapping has no `minHours`).
    pub const RECORD: &'static str = "RECORD";
}

impl std::fmt::Display for Missing {
    /// In English with codes, for logs and tests; users read the api's rendering.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.hours {
            Some(short) => write!(f, "{short} more hours of")?,
            None => f.write_str("one certified record of")?,
        }
        if self.categories.is_empty() {
            f.write_str(" training")?;
        } else {
            let cats: Vec<&str> = self.categories.iter().map(|c| c.as_str()).collect();
            write!(f, " {} training", cats.join(" or "))?;
        }
        if let Some(level) = self.min_level {
            write!(f, " at {} level or above", level.as_str())?;
        }
        if !self.modalities.is_empty() {
            let m: Vec<&str> = self.modalities.iter().map(|m| m.as_str()).collect();
            write!(f, ", {}", m.join(" or "))?;
        }
        if let Some(from) = self.since {
            write!(f, ", earned since {from}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
