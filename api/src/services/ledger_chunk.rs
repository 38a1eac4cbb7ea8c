//! One chunk of `importCreditRecords` rows, one transaction: the rows' teachers (by id or by
//! number) and their schools, and the records this source already posted, are loaded in a few
//! statements; each row is admitted through the gate, priced and checked, and the new records
//! are appended (announced as `creditRecordChanged` on commit). See [`super::ledger_import`].

use super::ledger_import::{refuse, Importer, LedgerImportOutcome};
use super::ledger_known::Known;
use super::ledger_rows::ImportRow;
use super::policies::{self, StoredPolicy};
use super::posting::{self, OnDuplicate};
use crate::error::AppResult;
use crate::state::AppState;
use chrono::NaiveDate;
use domain::amount::Amount;
use domain::codes::CreditStatus;
use domain::error::InputError;
use domain::imported::{check_stated_credits, import_key};
use domain::region::RegionCode;
use entities::{credit_records, teachers};
use std::collections::HashMap;
use uuid::Uuid;

/// Posts one chunk of rows in one transaction, adding what happened to `outcome`.
pub(super) async fn post(
    state: &AppState,
    by: &Importer<'_>,
    rows: Vec<(usize, ImportRow)>,
    outcome: &mut LedgerImportOutcome,
) -> AppResult<()> {
    let backend = state.db.get_database_backend();
    let txn = super::sql::begin_write(&state.db).await?;
    let keys: Vec<String> = rows
        .iter()
        .map(|(_, r)| import_key(by.source, &r.external))
        .collect();
    let known = Known::load(&txn, backend, &rows, keys.clone()).await?;
    let mut prices = Prices::default();
    let mut records = Vec::new();
    for ((row, r), key) in rows.into_iter().zip(keys) {
        let Some(mut record) = admit(state, by, &known, (row, &r), key, outcome)? else {
            continue;
        };
        let earned_in = crate::rows::region(&record.region_code)?;
        posting::price(
            &mut record,
            prices.of(state, &earned_in, r.claim.earned_on).await?,
        )?;
        let priced = Amount::from_e4(record.credits_e4);
        if let Err(e) = check_stated_credits(r.stated_credits, priced) {
            refuse(outcome, row, "credits", e);
            continue;
        }
        match known.posted.get(&record.idempotency_key) {
            Some(before) if same_record(before, &record) => outcome.unchanged += 1,
            Some(_) => refuse(
                outcome,
                row,
                "externalId",
                InputError::new(
                    "CHANGED_SINCE_IMPORT",
                    "imported before with other facts; the ledger keeps the first",
                )
                .with(crate::msg!("imports.changed_since_import")),
            ),
            None => records.push(record),
        }
    }
    let attempted = records.len() as u64;
    // A concurrent import of the same rows loses the race quietly: the unique key keeps one.
    let appended = posting::append(&txn, records, OnDuplicate::Skip).await?;
    let inserted = appended.ids();
    outcome.created += inserted.len() as u64;
    outcome.unchanged += attempted.saturating_sub(inserted.len() as u64);
    outcome.record_ids.extend(inserted);
    appended.commit(state, txn).await?;
    Ok(())
}

/// The row's record, unpriced, if its teacher is found and the caller may import it there;
/// otherwise the row is rejected into `outcome`.
fn admit(
    state: &AppState,
    by: &Importer<'_>,
    known: &Known,
    (row, r): (usize, &ImportRow),
    key: String,
    outcome: &mut LedgerImportOutcome,
) -> AppResult<Option<credit_records::Model>> {
    let (teacher, school) = match known.teacher_of(r) {
        Ok(found) => found,
        Err((field, e)) => {
            refuse(outcome, row, field, e);
            return Ok(None);
        }
    };
    let home = crate::rows::region(&school.region_code)?;
    let earned_in = r.earned_in.clone().unwrap_or_else(|| home.clone());
    if state.regions.get(&earned_in).is_none() {
        let e = InputError::new("NOT_FOUND", "no such region")
            .with(crate::msg!("input.no_such_region"));
        refuse(outcome, row, "regionCode", e);
        return Ok(None);
    }
    if !by
        .access
        .may_import(teacher.id, school.id, home, &earned_in)
    {
        let e = InputError::new(
            "OUT_OF_REACH",
            "the teacher or the region is outside your region",
        )
        .with(crate::msg!("imports.out_of_reach"));
        refuse(outcome, row, r.teacher_field(), e);
        return Ok(None);
    }
    Ok(Some(record_of(state, by, r, teacher, earned_in, key)))
}

fn record_of(
    state: &AppState,
    by: &Importer<'_>,
    r: &ImportRow,
    teacher: &teachers::Model,
    earned_in: RegionCode,
    key: String,
) -> credit_records::Model {
    let c = &r.claim;
    let now = state.clock.now();
    credit_records::Model {
        id: Uuid::now_v7(),
        teacher_id: teacher.id,
        school_id: teacher.school_id,
        region_code: earned_in.as_str().to_owned(),
        kind: c.kind.as_str().to_owned(),
        title: c.title.clone(),
        course_id: None,
        level: c.level.map(|l| l.as_str().to_owned()),
        modality: c.modality.map(|m| m.as_str().to_owned()),
        category: c.category.as_ref().map(|x| x.as_str().to_owned()),
        compulsory: c.compulsory,
        role: c.role.as_str().to_owned(),
        hours_e4: c.hours.map(|h| h.to_e4()),
        attended_hours_e4: None,
        taught_hours_e4: None,
        days: c.days,
        months: c.months,
        words: c.words,
        prize: c.prize.map(|p| p.as_str().to_owned()),
        passed: None,
        score_e4: None,
        earned_on: c.earned_on,
        policy_key: None,
        credits_e4: 0,
        status: CreditStatus::Certified.as_str().to_owned(),
        next_step: None,
        idempotency_key: key,
        reversal_of: None,
        reason: None,
        created_by: by.recorded_by,
        source: Some(by.source.as_str().to_owned()),
        external_id: Some(r.external.as_str().to_owned()),
        created_at: now,
        updated_at: now,
    }
}

/// The policy in force per region and day, looked up once per pair in a chunk.
#[derive(Default)]
struct Prices(HashMap<(RegionCode, NaiveDate), Option<StoredPolicy>>);

impl Prices {
    async fn of(
        &mut self,
        state: &AppState,
        region: &RegionCode,
        on: NaiveDate,
    ) -> AppResult<Option<&StoredPolicy>> {
        let key = (region.clone(), on);
        if !self.0.contains_key(&key) {
            let policy = policies::effective(state, region, on).await?;
            self.0.insert(key.clone(), policy);
        }
        Ok(self.0.get(&key).and_then(Option::as_ref))
    }
}

/// Whether a row describes the record posted before under its key: the same teacher and facts.
/// Credits and region are left out: they follow from the rules in force and from where the
/// teacher works now, which may have changed since, while the file has not.
fn same_record(before: &credit_records::Model, now: &credit_records::Model) -> bool {
    let facts = |r: &credit_records::Model| {
        (
            r.teacher_id,
            r.kind.clone(),
            r.title.clone(),
            r.level.clone(),
            r.modality.clone(),
            r.category.clone(),
            r.compulsory,
            r.role.clone(),
            (r.hours_e4, r.days, r.months, r.words, r.prize.clone()),
            r.earned_on,
        )
    };
    facts(before) == facts(now)
}
