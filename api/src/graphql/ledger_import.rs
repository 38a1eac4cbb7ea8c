//! `importCreditRecords`: a region admin brings an earlier platform's records into the ledger
//! (API.md "Providers' and universities' systems"; the rules are in services::ledger_import).

use super::batch::RowRejection;
use super::course_import::{read_upload, rejection};
use super::ledger::CreditRecord;
use super::ContextExt;
use crate::services::ledger_import::{self, LedgerImportOutcome};
use async_graphql::{Context, Object, Result, Upload};

/// Records a result lists at most; the counts always cover the whole file.
const LISTED: usize = 100;

pub struct CreditImportResult(LedgerImportOutcome);

/// What `importCreditRecords` did with the file's rows: each row posted a certified record,
/// found its record already imported with the same facts, or was rejected (with its row
/// number, field and code) while the rest went in.
#[Object]
impl CreditImportResult {
    /// Rows that posted a new CERTIFIED record.
    async fn created(&self) -> u64 {
        self.0.created
    }
    /// Rows whose record this source's import posted before, with the same facts: nothing
    /// changed (a file imported again).
    async fn unchanged(&self) -> u64 {
        self.0.unchanged
    }
    /// Rows refused: invalid facts (as a claim would be), an unknown teacher, a teacher or
    /// region outside the caller's (OUT_OF_REACH), an externalId repeated in the file
    /// (DUPLICATE_EXTERNAL_ID) or imported before with other facts (CHANGED_SINCE_IMPORT), or
    /// credits that differ from what the rules in force give for the facts (CREDITS_DIFFER).
    async fn rejected(&self) -> Vec<RowRejection> {
        self.0.rejected.iter().map(rejection).collect()
    }
    /// The first 100 records this import posted, in file order (`created` counts them all).
    async fn records(&self, ctx: &Context<'_>) -> Result<Vec<CreditRecord>> {
        let ids = &self.0.record_ids[..self.0.record_ids.len().min(LISTED)];
        let found = ledger_import::records(ctx.state()?, ids).await?;
        Ok(found.into_iter().map(CreditRecord).collect())
    }
}

#[derive(Default)]
pub struct LedgerImportMutation;

#[Object]
impl LedgerImportMutation {
    /// Brings the records of an earlier platform into the ledger, CERTIFIED, from a CSV (UTF-8
    /// or GB18030) or XLSX file with columns `externalId`, `teacherNumber` or `teacherId`,
    /// `kind`, `title`, `level`, `modality`, `category`, `compulsory`, `hours`, `credits`,
    /// `earnedOn`, `regionCode` (English or Chinese headers; `role`, `days`, `months`,
    /// `words`, `prize` where the kind needs them). Each row is checked like a claim and
    /// priced by the rules in force; one record per `(source, externalId)`, so importing the
    /// same file again changes nothing. For region admins, over teachers and regions in their
    /// subtree.
    async fn import_credit_records(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The CSV or XLSX file, as a GraphQL multipart upload.")] file: Upload,
        #[graphql(
            desc = "The platform the records come from, e.g. 青岛市教师教育信息化管理服务平台."
        )]
        source: String,
    ) -> Result<CreditImportResult> {
        let content = read_upload(ctx, &file)?;
        let guard = ctx.guard()?;
        let by = Some(guard.principal().account_id);
        let access = guard.ledger_import()?;
        let outcome = ledger_import::import(ctx.state()?, &access, by, &source, &content).await?;
        Ok(CreditImportResult(outcome))
    }
}
