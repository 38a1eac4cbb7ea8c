//! Completion files as Chinese providers really send them: an Excel workbook or a CSV saved in
//! GB18030, with Chinese headers, naming teachers by their number (教师编号).

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, TestApp};
use serde_json::{json, Value};

on_both_backends!(
    a_provider_posts_completions_by_teacher_number_from_a_workbook,
    a_gb18030_csv_with_chinese_headers_posts_the_same_rows,
    a_file_in_neither_encoding_is_bad_input,
    teacher_numbers_are_unique_and_correctable,
);

pub const IMPORT: &str = "mutation($c: ID!, $f: Upload!){ importCompletions(courseId:$c, file:$f){ accepted duplicates rejected { row field code message } } }";
const CREATE_TEACHER: &str =
    "mutation($i: CreateTeacherInput!){ createTeacher(input:$i){ id teacherNumber } }";

struct World {
    admin: String,
    ptoken: String,
    course: String,
    school: String,
    /// (id, number) of each teacher, all enrolled in the course.
    teachers: Vec<(String, String)>,
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(app, &admin, "xl-inst", "370200", "表格培训机构").await;
    let school = fixtures::school(app, &admin, "370202", "表格小学").await;
    let course = fixtures::published_course(
        app,
        &ptoken,
        &admin,
        &provider,
        "XL-1",
        json!({"endsOn": "2026-06-30"}),
    )
    .await;
    let mut teachers = Vec::new();
    for (name, number) in [
        ("王一", "JS0001"),
        ("王二", "370202002"),
        ("王三", "JS0003"),
    ] {
        let t = app
            .ok(
                &admin,
                CREATE_TEACHER,
                json!({"i": {"schoolId": school, "name": name, "teacherNumber": number}}),
                "createTeacher",
            )
            .await;
        assert_eq!(t["teacherNumber"], number);
        let id = fixtures::id(&t);
        fixtures::enroll(app, &admin, &course, &id).await;
        teachers.push((id, number.to_owned()));
    }
    World {
        admin,
        ptoken,
        course,
        school,
        teachers,
    }
}

async fn import(app: &TestApp, w: &World, name: &str, bytes: Vec<u8>) -> Value {
    fixtures::upload(app, &w.ptoken, IMPORT, json!({"c": w.course}), name, bytes).await
}

async fn a_provider_posts_completions_by_teacher_number_from_a_workbook(app: TestApp) {
    let w = world(&app).await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, header) in ["教师编号", "实际学时", "是否合格", "成绩"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *header).expect("header");
    }
    // Row 2: typed in lower case; row 3 left blank; row 4: a number Excel stored as a number;
    // row 5: a number nobody has.
    sheet.write_string(1, 0, "js0001").expect("cell");
    sheet.write_number(1, 1, 24).expect("cell");
    sheet.write_string(1, 2, "合格").expect("cell");
    sheet.write_number(1, 3, 92.5).expect("cell");
    sheet.write_number(3, 0, 370202002).expect("cell");
    sheet.write_number(3, 1, 20).expect("cell");
    sheet.write_string(3, 2, "是").expect("cell");
    sheet.write_string(4, 0, "NOPE-9").expect("cell");
    sheet.write_number(4, 1, 24).expect("cell");
    sheet.write_string(4, 2, "是").expect("cell");
    let bytes = book.save_to_buffer().expect("xlsx");

    let first = import(&app, &w, "完成名单.xlsx", bytes.clone()).await;
    let result = &first["data"]["importCompletions"];
    assert_eq!(result["accepted"], 2, "{first}");
    assert_eq!(result["rejected"][0]["row"], 5, "{first}");
    assert_eq!(result["rejected"][0]["field"], "teacherNumber");
    assert_eq!(result["rejected"][0]["code"], "NOT_FOUND");
    assert!(result["rejected"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("NOPE-9")));
    assert_eq!(result["rejected"].as_array().map(Vec::len), Some(1));

    // The records are the teachers' own, priced from the workbook's figures.
    let records = app
        .ok(
            &w.admin,
            "query($id: ID!){ node(id:$id){ ... on Teacher { creditRecords(first: 5){ edges { node { attendedHours score status } } } } } }",
            json!({"id": w.teachers[0].0}),
            "node",
        )
        .await;
    let record = &records["creditRecords"]["edges"][0]["node"];
    assert_eq!(record["attendedHours"], "24");
    assert_eq!(record["score"], "92.5");
    assert_eq!(record["status"], "CERTIFIED");

    let again = import(&app, &w, "完成名单.xlsx", bytes).await;
    assert_eq!(again["data"]["importCompletions"]["accepted"], 0, "{again}");
    assert_eq!(again["data"]["importCompletions"]["duplicates"], 2);

    // Typed rows may name the teacher by number too; one naming neither is refused.
    let rows = app
        .ok(
            &w.ptoken,
            "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted duplicates rejected { row field code } } }",
            json!({"c": w.course, "rows": [
                {"teacherNumber": "JS0001", "attendedHours": "24", "passed": true},
                {"teacherNumber": "JS0003", "attendedHours": "24", "passed": false},
                {"attendedHours": "24", "passed": true}
            ]}),
            "recordCompletions",
        )
        .await;
    assert_eq!(rows["accepted"], 1, "{rows}");
    assert_eq!(rows["duplicates"], 1);
    assert_eq!(
        rows["rejected"],
        json!([{"row": 3, "field": "teacherId", "code": "REQUIRED"}])
    );
}

async fn a_gb18030_csv_with_chinese_headers_posts_the_same_rows(app: TestApp) {
    let w = world(&app).await;
    let text = format!(
        "教师编号,实际学时,是否合格,成绩,角色\r\n{},24,合格,88,学员\r\n{},abc,是,,\r\n{},24,不合格,40,学员\r\n",
        w.teachers[0].1, w.teachers[1].1, w.teachers[2].1
    );
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let body = import(&app, &w, "结业.csv", bytes.into_owned()).await;
    let result = &body["data"]["importCompletions"];
    assert_eq!(result["accepted"], 2, "{body}");
    assert_eq!(result["rejected"][0]["row"], 3);
    assert_eq!(result["rejected"][0]["field"], "attendedHours");
    assert_eq!(result["rejected"][0]["code"], "INVALID_FORMAT");

    // A UTF-8 file with a BOM and the teacher's id reads the same way.
    let utf8 = format!(
        "\u{feff}教师ID,实际学时,是否合格\n{},24,是\n",
        w.teachers[1].0
    );
    let body = import(&app, &w, "结业.csv", utf8.into_bytes()).await;
    assert_eq!(body["data"]["importCompletions"]["accepted"], 1, "{body}");
}

async fn a_file_in_neither_encoding_is_bad_input(app: TestApp) {
    let w = world(&app).await;
    // 0xFF starts no UTF-8 and no GB18030 sequence (this is how UTF-16 files begin, too).
    let body = import(
        &app,
        &w,
        "odd.csv",
        b"teacherId,passed\n\xff\xfe\xfd,1\n".to_vec(),
    )
    .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["reason"],
        "INVALID_ENCODING"
    );
    assert_eq!(body["errors"][0]["extensions"]["field"], "file");
    // Not a workbook after all: the zip magic and nothing else.
    let body = import(&app, &w, "broken.xlsx", b"PK\x03\x04garbage".to_vec()).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
}

async fn teacher_numbers_are_unique_and_correctable(app: TestApp) {
    let w = world(&app).await;
    let taken = app
        .gql(
            Some(&w.admin),
            CREATE_TEACHER,
            json!({"i": {"schoolId": w.school, "name": "重号", "teacherNumber": "js0001"}}),
        )
        .await;
    assert_eq!(error_code(&taken), "CONFLICT", "{taken}");
    let bad = app
        .gql(
            Some(&w.admin),
            CREATE_TEACHER,
            json!({"i": {"schoolId": w.school, "name": "怪号", "teacherNumber": "37 02"}}),
        )
        .await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");
    assert_eq!(
        bad["errors"][0]["extensions"]["field"],
        "input.teacherNumber"
    );

    let update = "mutation($t: ID!, $i: UpdateTeacherInput!){ updateTeacher(teacherId:$t, input:$i){ teacherNumber name } }";
    let (t, _) = &w.teachers[2];
    let clash = app
        .gql(
            Some(&w.admin),
            update,
            json!({"t": t, "i": {"teacherNumber": "JS0001"}}),
        )
        .await;
    assert_eq!(error_code(&clash), "CONFLICT", "{clash}");
    let renumbered = app
        .ok(
            &w.admin,
            update,
            json!({"t": t, "i": {"teacherNumber": "js0099"}}),
            "updateTeacher",
        )
        .await;
    assert_eq!(renumbered["teacherNumber"], "JS0099");
    // Other fields leave the number alone; null clears it, and the number is free again.
    let renamed = app
        .ok(
            &w.admin,
            update,
            json!({"t": t, "i": {"name": "王叁"}}),
            "updateTeacher",
        )
        .await;
    assert_eq!(renamed["teacherNumber"], "JS0099");
    let cleared = app
        .ok(
            &w.admin,
            update,
            json!({"t": t, "i": {"teacherNumber": null}}),
            "updateTeacher",
        )
        .await;
    assert_eq!(cleared["teacherNumber"], Value::Null);
    app.ok(
        &w.admin,
        CREATE_TEACHER,
        json!({"i": {"schoolId": w.school, "name": "新人", "teacherNumber": "JS0099"}}),
        "createTeacher",
    )
    .await;
}
