//! Limits: caps per kind or group, highest-only and once-only items, and shares of the total.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::document::{Limit, LimitMode, PolicyDocument, Window};
use super::evaluate::Working;
use super::period::{window_of, Period};
use super::report::codes;
use super::teacher::{Span, TeacherFacts};
use crate::amount::Amount;
use crate::text::{Arg, Text};

impl PolicyDocument {
    /// Applies every limit in document order, shares last: a share is of what counts after the
    /// caps. Records are in date order, so a cap keeps the earliest credits — first those no
    /// share limit can cut, then the others. Otherwise a cap's room went to a record a share
    /// then cut, and was lost to the records after it: adding a certified public-subject course
    /// lowered a Shandong teacher's total from 64.4 to 23.7 (found by the property test
    /// `adding_a_certified_record_never_lowers_the_total`). Filled this way, a record a share
    /// may cut takes only the room the others leave, and the share is of the most that counts.
    pub(super) fn apply_limits(
        &self,
        work: &mut [Working<'_>],
        period: &Period,
        teacher: &TeacherFacts,
    ) {
        let shared = self.under_a_share(work, period, teacher);
        for limit in self
            .limits
            .iter()
            .filter(|l| l.max_share.is_none() || l.max.is_some())
        {
            for members in windows(limit, work, period, teacher).values() {
                match limit.mode {
                    LimitMode::Sum => cap(limit, work, members, &shared),
                    LimitMode::HighestOnly => keep_one(limit, work, members, true),
                    LimitMode::Once => keep_one(limit, work, members, false),
                }
            }
        }
        for limit in self.limits.iter().filter(|l| l.max_share.is_some()) {
            for (window, members) in windows(limit, work, period, teacher) {
                share(limit, work, &members, window, period);
            }
        }
    }

    /// Per record, whether some share limit may cut it.
    fn under_a_share(
        &self,
        work: &[Working<'_>],
        period: &Period,
        teacher: &TeacherFacts,
    ) -> Vec<bool> {
        let mut shared = vec![false; work.len()];
        for limit in self.limits.iter().filter(|l| l.max_share.is_some()) {
            for members in windows(limit, work, period, teacher).values() {
                for &i in members {
                    shared[i] = true;
                }
            }
        }
        shared
    }
}

fn label(limit: &Limit) -> &str {
    limit.label.as_deref().unwrap_or(&limit.key)
}

/// The limit's label for users: its `labelEn` for English readers, its key when unlabelled.
fn label_arg(limit: &Limit) -> Arg {
    Arg::Label {
        zh: label(limit).to_owned(),
        en: limit.label_en.clone(),
    }
}

fn window_key(window: Window) -> &'static str {
    match window {
        Window::Cycle => "windows.cycle",
        Window::Year => "windows.year",
        Window::AcademicYear => "windows.academic_year",
    }
}

fn window_name(window: Window) -> &'static str {
    match window {
        Window::Cycle => "cycle",
        Window::Year => "year",
        Window::AcademicYear => "academic year",
    }
}

/// The indices of the records a limit applies to, grouped by its window: none when its
/// `appliesTo` does not bind the teacher, only those inside the stretch it names when it does.
fn windows(
    limit: &Limit,
    work: &[Working<'_>],
    period: &Period,
    teacher: &TeacherFacts,
) -> BTreeMap<i32, Vec<usize>> {
    let mut out: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    let Some(span) = limit.applies_to.span(teacher, period) else {
        return out;
    };
    let inside = |w: &Working<'_>| match span {
        Span::Period => true,
        Span::Year(y) => w.year == y,
        Span::Dates { from, until } => from <= w.activity.earned_on && w.activity.earned_on < until,
    };
    for (i, w) in work.iter().enumerate() {
        if w.eligible > 0 && inside(w) && limit.when.matches(w.activity, w.rule_key()) {
            out.entry(window_of(limit.per, period, w.activity.earned_on))
                .or_default()
                .push(i);
        }
    }
    out
}

/// Keeps at most the limit's `max` of `members` (in date order), those no share may cut first.
fn cap(limit: &Limit, work: &mut [Working<'_>], members: &[usize], shared: &[bool]) {
    let Some(max) = limit.max else { return };
    let mut left = max.to_e4();
    let unshared = members.iter().filter(|&&i| !shared[i]);
    for &i in unshared.chain(members.iter().filter(|&&i| shared[i])) {
        let w = &mut work[i];
        let kept = w.eligible.min(left.max(0));
        if kept < w.eligible {
            w.notes.add(codes::CAP_REACHED, || {
                (
                    format!(
                        "{}: at most {} per {}; {} of this record counted",
                        label(limit),
                        max,
                        window_name(limit.per),
                        Amount::from_e4(kept)
                    ),
                    Text::new("notes.CAP_REACHED")
                        .arg("label", label_arg(limit))
                        .arg("max", max)
                        .arg("window", Arg::Key(window_key(limit.per)))
                        .arg("kept", Amount::from_e4(kept)),
                )
            });
            w.eligible = kept;
        }
        left -= kept;
    }
}

/// Keeps the best (or the first) record and zeroes the others.
fn keep_one(limit: &Limit, work: &mut [Working<'_>], members: &[usize], best: bool) {
    let keep = if best {
        // Highest credits win; among equals, the earliest.
        members
            .iter()
            .copied()
            .max_by(|&a, &b| work[a].eligible.cmp(&work[b].eligible).then(b.cmp(&a)))
    } else {
        members.first().copied()
    };
    for &i in members {
        let w = &mut work[i];
        if Some(i) == keep {
            if let Some(max) = limit.max {
                if w.eligible > max.to_e4() {
                    w.eligible = max.to_e4();
                    w.notes.add(codes::CAP_REACHED, || {
                        (
                            format!("{}: at most {max}", label(limit)),
                            Text::new("notes.CAP_REACHED_ONE")
                                .arg("label", label_arg(limit))
                                .arg("max", max),
                        )
                    });
                }
            }
            continue;
        }
        let (code, said, key) = if best {
            (
                codes::HIGHER_LEVEL_COUNTED,
                "only the highest is counted, once",
                "notes.HIGHER_LEVEL_COUNTED",
            )
        } else {
            (
                codes::ALREADY_COUNTED,
                "counted once only",
                "notes.ALREADY_COUNTED",
            )
        };
        w.notes.add(code, || {
            (
                format!("{}: {said}", label(limit)),
                Text::new(key).arg("label", label_arg(limit)),
            )
        });
        w.eligible = 0;
    }
}

/// Cuts the matching credits to at most `max_share` of everything counted in the window,
/// taking from the latest records first.
fn share(limit: &Limit, work: &mut [Working<'_>], members: &[usize], window: i32, period: &Period) {
    let Some(ratio) = limit.max_share else { return };
    let others: i64 = work
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            !members.contains(i) && window_of(limit.per, period, w.activity.earned_on) == window
        })
        .map(|(_, w)| w.eligible)
        .sum();
    let Some(allowed) = ratio.max_part_beside(Decimal::new(others, 4)) else {
        return;
    };
    let allowed = Amount::round_credits(allowed.trunc_with_scale(4)).to_e4();
    let mut excess = members.iter().map(|&i| work[i].eligible).sum::<i64>() - allowed;
    for &i in members.iter().rev() {
        if excess <= 0 {
            break;
        }
        let w = &mut work[i];
        let cut = w.eligible.min(excess);
        w.eligible -= cut;
        excess -= cut;
        let kept = w.eligible;
        w.notes.add(codes::SHARE_LIMIT, || {
            (
                format!(
                    "{}: at most {} of the counted total; {} of this record counted",
                    label(limit),
                    ratio,
                    Amount::from_e4(kept)
                ),
                Text::new("notes.SHARE_LIMIT")
                    .arg("label", label_arg(limit))
                    .arg("share", ratio.to_string())
                    .arg("kept", Amount::from_e4(kept)),
            )
        });
    }
}
