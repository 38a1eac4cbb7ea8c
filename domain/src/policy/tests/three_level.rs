//! Seed 000: the three-level 36-credit scheme and its substitution rules.

use super::support::*;
use crate::codes::ActivityKind::*;
use crate::codes::Modality::{Concentrated, Online};
use crate::codes::TrainingLevel::*;
use crate::policy::ComplianceReport;

fn complete_set() -> Vec<A> {
    let mut n = 0;
    let mut c = |level, category: &str, hours: &str| {
        n += 1;
        course(n, date(2026, 3, 1), level, Concentrated, hours).category(category)
    };
    vec![
        c(Municipal, "ETHICS", "2"),
        c(Municipal, "KNOWLEDGE", "3"),
        c(Municipal, "INFORMATION", "1"),
        c(County, "LITERACY", "2"),
        c(County, "INTEGRATED", "4"),
        c(County, "INFORMATION", "3"),
        c(County, "SPECIAL_SKILLS", "3"),
        c(School, "ETHICS", "6"),
        c(School, "LITERACY", "2"),
        c(School, "PRACTICE", "9"),
        c(School, "INFORMATION", "1"),
    ]
}

fn short(r: &ComplianceReport) -> Vec<(String, String)> {
    r.requirements
        .iter()
        .filter(|q| !q.satisfied)
        .map(|q| (q.key.clone(), q.shortfall.to_string()))
        .collect()
}

/// 市级6（师德2、知识技能3、信息1），区级12（素养2、综合4、信息3、专项3），校本18（师德6、素养2、实践9、信息1）.
#[test]
fn the_36_credits_by_level_and_category() {
    let p = policy("three-level-36");
    let r = evaluate(&p, date(2026, 12, 31), complete_set());
    assert!(r.satisfied, "{:?}", short(&r));
    assert_eq!(r.total_counted, amount("36"));
}

/// 市级学分可以抵区级学分: municipal information surplus fills the district's information shortfall.
#[test]
fn municipal_credits_fill_a_district_shortfall() {
    let p = policy("three-level-36");
    let mut acts = complete_set();
    acts.retain(|a| {
        !(a.0.level == Some(County)
            && a.0
                .category
                .as_ref()
                .is_some_and(|c| c.as_str() == "INFORMATION"))
    });
    acts.push(course(50, date(2026, 5, 1), Municipal, Online, "3").category("INFORMATION"));
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert!(r.satisfied, "{:?}", short(&r));
    let rec = r
        .records
        .iter()
        .find(|x| x.record_id == id(50))
        .expect("record");
    assert_eq!(rec.allocations.len(), 1);
    assert_eq!(rec.allocations[0].requirement_key, "district-information");
}

/// 区级学分不能抵市级学分; 市、区学分不能抵校本学分.
#[test]
fn district_never_fills_municipal_and_neither_fills_school() {
    let p = policy("three-level-36");
    let mut acts = complete_set();
    acts.retain(|a| a.0.level == Some(County));
    acts.push(course(60, date(2026, 5, 1), County, Online, "10").category("INFORMATION"));
    acts.push(course(61, date(2026, 5, 1), Municipal, Online, "10").category("INFORMATION"));
    let r = evaluate(&p, date(2026, 12, 31), acts);
    let shortfalls = short(&r);
    assert!(shortfalls.contains(&("municipal-ethics".into(), "2".into())));
    assert!(shortfalls.contains(&("school-information".into(), "1".into())));
    assert!(!shortfalls.iter().any(|(k, _)| k == "district-information"));
}

/// 除学历外，各类课程学分不能相互抵 — a higher degree fills ethics and knowledge (item 8).
#[test]
fn a_higher_degree_fills_the_two_main_categories_and_nothing_else() {
    let p = policy("three-level-36");
    let mut acts = complete_set();
    acts.retain(|a| {
        !a.0.category
            .as_ref()
            .is_some_and(|c| c.as_str() == "ETHICS" || c.as_str() == "KNOWLEDGE")
    });
    acts.push(act(70, DegreeStudy, date(2026, 7, 1)));
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert!(r.satisfied, "{:?}", short(&r));
    let (credits, counted, _) = record(&r, 70);
    assert_eq!((credits, counted), (amount("11"), amount("11")));
    // Without the missing categories to fill, the degree only fills what is short.
    let r = evaluate(&p, date(2026, 12, 31), {
        let mut all = complete_set();
        all.push(act(70, DegreeStudy, date(2026, 7, 1)));
        all
    });
    assert_eq!(
        record(&r, 70),
        (amount("11"), amount("0"), vec!["CATEGORY_NOT_ACCEPTED"])
    );
}

/// (11) 支教一年以上可免12学分，半年以上免6学分，"信息能力提升工程"除外.
#[test]
fn teaching_support_exempts_district_credits_except_information() {
    let p = policy("three-level-36");
    let mut acts = complete_set();
    acts.retain(|a| a.0.level != Some(County));
    acts.push(act(80, TeachingSupport, date(2026, 8, 1)).months(12));
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(
        short(&r),
        vec![("district-information".to_owned(), "3".to_owned())]
    );
    assert_eq!(record(&r, 80).1, amount("9"));
}

/// (2) 骨干教师…每学年1学分; (5) 参与课题研究不重复计.
#[test]
fn backbone_once_per_academic_year_and_project_membership_once() {
    let p = policy("three-level-36");
    let acts = vec![
        act(0, BackboneTraining, date(2026, 10, 1)).level(County),
        act(1, BackboneTraining, date(2027, 5, 1)).level(County),
        act(2, BackboneTraining, date(2027, 10, 1)).level(County),
        act(3, ResearchProject, date(2026, 3, 1)).level(County),
        act(4, ResearchProject, date(2027, 3, 1)).level(Municipal),
    ];
    let r = evaluate(&p, date(2027, 12, 31), acts);
    assert_eq!(record(&r, 1).2, vec!["CAP_REACHED"]);
    assert_eq!(record(&r, 2).1, amount("1"));
    assert_eq!(record(&r, 4).2, vec!["ALREADY_COUNTED"]);
}

/// 市级培训学分可以抵区级培训学分…除学历外，各类课程学分不能相互抵: municipal literacy credits fill
/// the district literacy shortfall (same category), though no municipal literacy requirement
/// exists to start from; they never fill another category. Before, they were dropped with
/// CATEGORY_NOT_ACCEPTED.
#[test]
fn municipal_credits_of_a_category_without_a_municipal_requirement_fill_the_district_one() {
    let p = policy("three-level-36");
    let mut acts = complete_set();
    acts.retain(|a| {
        !(a.0.level == Some(County)
            && a.0.category.as_ref().is_some_and(|c| {
                ["LITERACY", "INTEGRATED", "SPECIAL_SKILLS"].contains(&c.as_str())
            }))
    });
    acts.push(course(90, date(2026, 5, 1), Municipal, Online, "2").category("LITERACY"));
    acts.push(course(91, date(2026, 5, 2), Provincial, Online, "4").category("INTEGRATED"));
    acts.push(course(92, date(2026, 5, 3), Municipal, Online, "3").category("SPECIAL_SKILLS"));
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert!(r.satisfied, "{:?}", short(&r));
    assert_eq!(record(&r, 90).1, amount("2"));
    // A municipal literacy credit fills no other category's shortfall.
    let mut acts = complete_set();
    acts.retain(|a| {
        !(a.0.level == Some(County)
            && a.0
                .category
                .as_ref()
                .is_some_and(|c| c.as_str() == "INTEGRATED"))
    });
    acts.push(course(93, date(2026, 5, 1), Municipal, Online, "4").category("LITERACY"));
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(
        short(&r),
        vec![("district-integrated".to_owned(), "4".to_owned())]
    );
    assert_eq!(record(&r, 93).2, vec!["CATEGORY_NOT_ACCEPTED"]);
}
