//! Courses written by their providers: creation, rewriting (credit-bearing fields frozen once
//! teachers enrol), and the lifecycle from draft through approval to closing.

use crate::auth::{CourseAccess, CourseNeed, ProviderAccess};
use crate::error::{AppError, AppResult};
use crate::rows;
use crate::state::AppState;
use domain::catalogue::{self, CourseAction, CourseDraft};
use domain::codes::{CourseStatus, Decision};
use entities::{course_reviews, courses, enrollments};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

pub async fn create(
    state: &AppState,
    access: &ProviderAccess,
    draft: CourseDraft,
) -> AppResult<courses::Model> {
    let provider_id = access.provider.id;
    let now = state.clock.now();
    let mut model = courses::Model {
        id: Uuid::now_v7(),
        provider_id,
        code: String::new(),
        title: String::new(),
        description: String::new(),
        kind: String::new(),
        level: String::new(),
        modality: String::new(),
        category: String::new(),
        compulsory: false,
        hours_e4: 0,
        capacity: None,
        target_stages: String::new(),
        subjects: String::new(),
        enrollment_opens_on: None,
        enrollment_closes_on: None,
        starts_on: None,
        ends_on: None,
        status: CourseStatus::Draft.as_str().to_owned(),
        approved_by: None,
        approved_at: None,
        created_at: now,
        updated_at: now,
    };
    apply(&mut model, &draft);
    courses::Entity::insert(courses::ActiveModel::from(model.clone()))
        .exec_without_returning(&state.db)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("catalogue.duplicate_code")))?;
    super::catalogue_count::changed(state).await;
    Ok(model)
}

fn apply(model: &mut courses::Model, d: &CourseDraft) {
    model.code = d.code.clone();
    model.title = d.title.clone();
    model.description = d.description.clone();
    model.kind = d.kind.as_str().to_owned();
    model.level = d.level.as_str().to_owned();
    model.modality = d.modality.as_str().to_owned();
    model.category = d.category.as_str().to_owned();
    model.compulsory = d.compulsory;
    model.hours_e4 = d.hours.to_e4();
    model.capacity = d.capacity.map(|c| i32::try_from(c).unwrap_or(i32::MAX));
    model.target_stages = rows::json_list(d.target_stages.iter().map(|s| s.as_str()));
    model.subjects = rows::json_list(d.subjects.iter().map(|s| s.as_str()));
    model.enrollment_opens_on = d.enrollment_opens_on;
    model.enrollment_closes_on = d.enrollment_closes_on;
    model.starts_on = d.starts_on;
    model.ends_on = d.ends_on;
}

/// Rewrites a course, for a handle checked for [`CourseNeed::Edit`] (whoever manages its
/// provider).
pub async fn update(
    state: &AppState,
    access: CourseAccess,
    provider_id: Uuid,
    draft: CourseDraft,
) -> AppResult<courses::Model> {
    access.checked_for(CourseNeed::Edit)?;
    let CourseAccess {
        course,
        permit: _permit,
        ..
    } = access;
    let id = course.id;
    if provider_id != course.provider_id {
        return Err(AppError::invalid(
            "input.providerId",
            "NOT_ALLOWED",
            crate::msg!("catalogue.provider_fixed"),
        ));
    }
    let status = rows::course_status(&course)?;
    if !catalogue::editable(status) {
        return Err(AppError::Conflict(crate::msg!(
            "catalogue.not_editable",
            status = status
        )));
    }
    let enrolled = enrollments::Entity::find()
        .filter(enrollments::Column::CourseId.eq(id))
        .count(&state.db)
        .await?;
    let old = rows::course_draft(&course)?;
    let changed = catalogue::credit_bearing_changed(&old, &draft);
    if !changed.is_empty() && !catalogue::credit_bearing_editable(status, enrolled > 0) {
        return Err(AppError::Conflict(crate::msg!(
            "catalogue.credit_bearing_frozen",
            fields = changed.join(", ")
        )));
    }
    let mut model = course.clone();
    apply(&mut model, &draft);
    model.updated_at = state.clock.now();
    courses::Entity::update(courses::ActiveModel::from(model.clone()).reset_all())
        .exec(&state.db)
        .await
        .map_err(|e| AppError::db(e, crate::msg!("catalogue.duplicate_code")))?;
    super::catalogue_count::changed(state).await;
    Ok(model)
}

/// Publish, approve/reject, close, archive: the step a handle checked for
/// [`CourseNeed::Transition`] names (approval belongs to the region admins over the provider,
/// every other step to whoever manages the provider).
pub async fn transition(
    state: &AppState,
    access: CourseAccess,
    comment: Option<String>,
) -> AppResult<courses::Model> {
    let action = access.action()?;
    let CourseAccess {
        course,
        actor,
        permit: _permit,
        ..
    } = access;
    let id = course.id;
    let from = rows::course_status(&course)?;
    let to = catalogue::next_status(from, action).map_err(|e| AppError::Conflict(e.text()))?;
    let now = state.clock.now();
    let mut update = courses::ActiveModel {
        status: Set(to.as_str().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    };
    if action == CourseAction::Approve {
        update.approved_by = Set(Some(actor));
        update.approved_at = Set(Some(now));
    }
    let txn = super::sql::begin_write(&state.db).await?;
    // Conditional on the old status, so two concurrent transitions cannot both win.
    let result = courses::Entity::update_many()
        .set(update)
        .filter(courses::Column::Id.eq(id))
        .filter(courses::Column::Status.eq(from.as_str()))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(AppError::Conflict(crate::msg!(
            "catalogue.changed_meanwhile"
        )));
    }
    if let CourseAction::Approve | CourseAction::Reject = action {
        let decision = match action {
            CourseAction::Approve => Decision::Approve,
            _ => Decision::Reject,
        };
        course_reviews::Entity::insert(course_reviews::ActiveModel::from(course_reviews::Model {
            id: Uuid::now_v7(),
            course_id: id,
            decision: decision.as_str().to_owned(),
            comment: comment
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty()),
            actor_account_id: actor,
            at: now,
        }))
        .exec_without_returning(&txn)
        .await?;
        super::outbox::course_decided(&txn, state, &course, decision, to).await?;
    }
    txn.commit().await?;
    super::catalogue_count::changed(state).await;
    courses::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("course"))
}
