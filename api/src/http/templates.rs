//! `GET /templates/completions.xlsx` and `GET /templates/courses.xlsx`: empty workbooks a
//! registrar fills in and uploads (`importCompletions`, `importCourses`). Public: they hold no
//! data. Row 1 has the Chinese headers, row 2 the English ones (the import skips a row that
//! only repeats column names), data starts on row 3; a second sheet explains each column.
//! Columns of codes and numbers are formatted as text, so Excel keeps `0012` as typed.

use actix_web::{web, HttpResponse};
use rust_xlsxwriter::{Color, Format, Workbook, XlsxError};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One column of a template: Chinese header, English header, a bilingual note, and whether
/// its cells are text (codes and numbers that must not lose leading zeros).
struct Column(&'static str, &'static str, &'static str, bool);

const COMPLETIONS: &[Column] = &[
    Column(
        "教师编号",
        "teacherNumber",
        "教师编号，或改填教师ID · the teacher's number, or give teacherId instead",
        true,
    ),
    Column(
        "教师ID",
        "teacherId",
        "可选：平台教师ID · optional: the teacher's id in the credit bank",
        true,
    ),
    Column(
        "实际学时",
        "attendedHours",
        "学员必填，如 24 · hours attended, required for trainees",
        false,
    ),
    Column(
        "是否合格",
        "passed",
        "是/否 或 合格/不合格 · yes or no",
        false,
    ),
    Column("成绩", "score", "可选，0–100 · optional, 0 to 100", false),
    Column(
        "角色",
        "role",
        "学员（默认）或 授课教师 · TRAINEE (default) or INSTRUCTOR",
        false,
    ),
    Column(
        "授课学时",
        "taughtHours",
        "授课教师必填 · hours taught, required for instructors",
        false,
    ),
];

const COURSES: &[Column] = &[
    Column(
        "课程编号",
        "code",
        "机构内唯一，如 QD-IT-01 · unique per provider",
        true,
    ),
    Column("课程名称", "title", "必填 · required", false),
    Column("课程简介", "description", "可选 · optional", false),
    Column(
        "项目类型",
        "kind",
        "默认 课程学习；或 新教师试用期培训、骨干教师培训… · default COURSE_COMPLETION",
        false,
    ),
    Column(
        "培训级别",
        "level",
        "国家级/省级/市级/县（区）级/校级 · NATIONAL … SCHOOL",
        false,
    ),
    Column(
        "培训形式",
        "modality",
        "集中培训/非集中培训/网络培训/校本培训… · CONCENTRATED, ONLINE…",
        false,
    ),
    Column(
        "课程类别",
        "category",
        "如 信息技术应用能力 或 INFORMATION · a category key or its name",
        false,
    ),
    Column(
        "是否必修",
        "compulsory",
        "必修/选修 或 是/否 · yes or no (default no)",
        false,
    ),
    Column(
        "学时",
        "hours",
        "大于 0，至多 2000 · class hours, more than 0",
        false,
    ),
    Column(
        "人数上限",
        "capacity",
        "可选，留空为不限 · optional seats",
        false,
    ),
    Column(
        "适用学段",
        "targetStages",
        "小学、初中… 用顿号或逗号分隔 · stages, comma-separated",
        false,
    ),
    Column(
        "适用学科",
        "subjects",
        "数学、语文… · subjects, comma-separated",
        false,
    ),
    Column(
        "报名开始日期",
        "enrollmentOpensOn",
        "如 2026-09-01 · a date",
        false,
    ),
    Column(
        "报名截止日期",
        "enrollmentClosesOn",
        "如 2026-09-10 · a date",
        false,
    ),
    Column("开课日期", "startsOn", "如 2026-09-15 · a date", false),
    Column("结课日期", "endsOn", "如 2026-09-30 · a date", false),
];

pub async fn template(path: web::Path<String>) -> HttpResponse {
    let name = path.into_inner();
    let columns = match name.as_str() {
        "completions.xlsx" => COMPLETIONS,
        "courses.xlsx" => COURSES,
        _ => return HttpResponse::NotFound().body("no such template"),
    };
    match workbook(columns) {
        Ok(bytes) => HttpResponse::Ok()
            .content_type(XLSX)
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"{name}\""),
            ))
            .insert_header(("Cache-Control", "public, max-age=86400"))
            .body(bytes),
        Err(e) => {
            tracing::error!(error.message = %e, template = %name, "a template could not be written");
            HttpResponse::InternalServerError().body("the template could not be written")
        }
    }
}

fn workbook(columns: &[Column]) -> Result<Vec<u8>, XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7));
    let english = Format::new()
        .set_italic()
        .set_font_color(Color::Gray)
        .set_background_color(Color::RGB(0xF2F2F2));
    let text = Format::new().set_num_format("@");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("数据 Data")?;
    for (i, Column(zh, en, _, is_text)) in columns.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        if *is_text {
            sheet.set_column_format(col, &text)?;
        }
        sheet.set_column_width(col, 16)?;
        sheet.write_string_with_format(0, col, *zh, &header)?;
        sheet.write_string_with_format(1, col, *en, &english)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    let notes = book.add_worksheet();
    notes.set_name("说明 Notes")?;
    notes.set_column_width(0, 16)?;
    notes.set_column_width(1, 20)?;
    notes.set_column_width(2, 80)?;
    for (col, title) in ["列 Column", "English", "说明 What to write"]
        .iter()
        .enumerate()
    {
        notes.write_string_with_format(0, col as u16, *title, &header)?;
    }
    for (i, Column(zh, en, note, _)) in columns.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        notes.write_string(row, 0, *zh)?;
        notes.write_string(row, 1, *en)?;
        notes.write_string(row, 2, *note)?;
    }
    book.save_to_buffer()
}
