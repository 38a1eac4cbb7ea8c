//! Where the monitoring report's figures come from — the one seam to switch when per-teacher
//! compliance snapshots can answer them: [`gather`] hands back a [`Tally`] per day asked, and
//! nothing else in the report reads the ledger.
//!
//! Today it evaluates every teacher of the subtree through [`Subject`], the path the
//! per-teacher `compliance` report and `complianceStatistics` use, so the report's figures are
//! theirs to the digit on today's date; a past day (a year-end of the trend, or the day of a
//! past year's report) counts only the records earned by then. **Cost:** each batch of 500
//! teachers is loaded once (three statements) and evaluated once per day asked — the report
//! asks one day per year of the cycle up to the year reported, so up to five evaluations per
//! teacher. Evaluation is the dominant cost: a
//! fresh `complianceStatistics` takes about 3.9 s per 10,000 teachers with 50 records each on
//! PostgreSQL, so a district of 10,000 reports in roughly 10–20 s and a province of a million
//! in tens of minutes. Hence the route shares the fresh-statistics rate limit, and a province
//! should be served from snapshots once they exist (snapshots hold the outcome for the current
//! period only; the trend's past year-ends would still be evaluated, or kept as yearly
//! snapshots).

use super::evaluation::{Member, Subject};
use super::monitoring_projection::projected;
use super::monitoring_tally::{Judged, Outcome, Tally};
use super::{policies, statistics};
use crate::auth::Permit;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::policy::PolicyDocument;
use domain::region::RegionCode;
use entities::{schools, teachers};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use uuid::Uuid;

/// Teachers loaded and evaluated per batch, as the statistics do: memory stays flat.
const BATCH: usize = 500;

/// The schools of `region`'s subtree, by name (the statistics' query), with their region
/// codes parsed.
pub async fn schools_of(
    state: &AppState,
    _permit: &Permit,
    region: &RegionCode,
) -> AppResult<Vec<(schools::Model, RegionCode)>> {
    statistics::schools_of(state, region)
        .await?
        .into_iter()
        .map(|s| {
            let code = crate::rows::region(&s.region_code)?;
            Ok((s, code))
        })
        .collect()
}

/// Every teacher of `schools` evaluated on each of `days`: one tally per day, in order. A day
/// before `today` counts only the records earned by then ([`judge_then`]).
pub async fn gather(
    state: &AppState,
    _permit: &Permit,
    schools: &[(schools::Model, RegionCode)],
    days: &[NaiveDate],
    today: NaiveDate,
) -> AppResult<Vec<Tally>> {
    let policies = policies_on(state, schools, days).await?;
    let roster = roster(state, schools).await?;
    let mut tallies: Vec<Tally> = days.iter().map(|_| Tally::default()).collect();
    for batch in roster.chunks(BATCH) {
        for mut subject in Subject::of_batch(state, batch).await? {
            let school = subject.member.school;
            let judging: Vec<Option<&PolicyDocument>> = days
                .iter()
                .map(|day| {
                    let key = (subject.member.home.clone(), *day);
                    policies.get(&key).and_then(Option::as_ref)
                })
                .collect();
            // Recognition reads the records' state, not the policy: looked up once, before
            // any day's cut (it pairs the records with where they were earned).
            if let Some(policy) = judging
                .iter()
                .flatten()
                .find(|p| p.recognition.outside_province)
            {
                subject.recognise(state, policy).await?;
            }
            for ((tally, day), policy) in tallies.iter_mut().zip(days).zip(&judging) {
                let judged = policy.map(|p| {
                    if *day < today {
                        judge_then(&mut subject, p, *day)
                    } else {
                        judge(&subject, p, *day)
                    }
                });
                tally.add(Outcome { school, judged });
            }
        }
    }
    Ok(tallies)
}

/// The teacher's outcome on `day` under `policy`, as `compliance` answers it.
fn judge(subject: &Subject, policy: &PolicyDocument, day: NaiveDate) -> Judged {
    let report = subject.totals(policy, day);
    Judged {
        satisfied: report.satisfied,
        projected: projected(&report, policy.period.start_month, day),
        total_counted: report.total_counted,
    }
}

/// The outcome on a past `day` with only the records earned by then. The engine judges the
/// period containing the day with all of its records — asked about 31 December 2024 in a
/// 2021–2025 cycle it counts 2025's training too — so without this cut every year-end of a
/// cycle would show the cycle's latest state. Statuses are today's (a record certified or
/// revoked since counts as it stands now).
fn judge_then(subject: &mut Subject, policy: &PolicyDocument, day: NaiveDate) -> Judged {
    let all = std::mem::take(&mut subject.activities);
    subject.activities = all.iter().filter(|a| a.earned_on <= day).cloned().collect();
    let judged = judge(subject, policy, day);
    subject.activities = all;
    judged
}

type Policies = HashMap<(RegionCode, NaiveDate), Option<PolicyDocument>>;

/// The policy in force in each school region on each day, looked up once per pair.
async fn policies_on(
    state: &AppState,
    schools: &[(schools::Model, RegionCode)],
    days: &[NaiveDate],
) -> AppResult<Policies> {
    let mut out = Policies::new();
    for (_, code) in schools {
        for day in days {
            if let std::collections::hash_map::Entry::Vacant(slot) = out.entry((code.clone(), *day))
            {
                let doc = policies::effective(state, code, *day).await?;
                slot.insert(doc.map(|p| p.document));
            }
        }
    }
    Ok(out)
}

/// The teachers of `schools` with the facts evaluation reads (the statistics' columns).
async fn roster(
    state: &AppState,
    schools: &[(schools::Model, RegionCode)],
) -> AppResult<Vec<Member>> {
    let home: HashMap<Uuid, &RegionCode> = schools.iter().map(|(s, c)| (s.id, c)).collect();
    let rows = statistics::member_columns()
        .filter(teachers::Column::SchoolId.is_in(home.keys().copied()))
        .order_by_asc(teachers::Column::Id)
        .into_tuple::<statistics::MemberRow>()
        .all(&state.db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let region = home
                .get(&row.1)
                .ok_or_else(|| AppError::corrupt("a teacher of a school outside the roster"))?;
            Ok(statistics::member(row, (*region).clone()))
        })
        .collect()
}
