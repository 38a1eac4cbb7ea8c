//! GraphQL mirrors of the domain's enums. The domain owns the values; these only give them
//! GraphQL names, and the conversions are generated so the two cannot drift apart.

macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident => $domain:path {
        $($(#[$vmeta:meta])* $variant:ident),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl From<$name> for $domain {
            fn from(v: $name) -> Self {
                match v { $($name::$variant => <$domain>::$variant),+ }
            }
        }

        impl From<$domain> for $name {
            fn from(v: $domain) -> Self {
                match v { $(<$domain>::$variant => $name::$variant),+ }
            }
        }
    };
}

mirror_enum!(
    /// What an account may do. Each role comes with a scope: the school, region, provider or
    /// university it administers, or the teacher it is.
    Role => domain::codes::Role {
    /// A teacher: reads and acts on its own record only (profile, enrolments, ledger,
    /// compliance, claims, access grants, conversions).
    Teacher,
    /// Administers one school: its teachers, their records and logins; reviews their claims at
    /// the SCHOOL step and grants make-up allowances.
    SchoolAdmin,
    /// Administers a region's subtree (an education bureau): schools, teachers, providers,
    /// universities and accounts there; approves courses, saves and assigns policies, reviews
    /// claims at the COUNTY or PROVINCE step, revokes credits, closes years.
    RegionAdmin,
    /// Administers one training provider: its courses, their enrolments and completions.
    ProviderAdmin,
    /// Administers one university: its courses, transfer mappings and conversion decisions;
    /// reads a teacher's record only while that teacher's access grant is in force.
    UniversityAdmin,
    /// May do everything, everywhere.
    SystemAdmin
});
mirror_enum!(
    /// The level of an administrative region in the GB/T 2260 tree, from the root down.
    RegionLevel => domain::codes::RegionLevel {
    /// The country: the root of the tree.
    National,
    /// A province, autonomous region or municipality directly under the central government
    /// (省级), e.g. 370000 Shandong.
    Province,
    /// A prefecture-level city (市级), e.g. 370200 Qingdao.
    City,
    /// A county or city district (县、区), e.g. 370202 Shinan district.
    County
});
mirror_enum!(
    /// The level of the body that organises or recognises a training (培训层次). Ordered
    /// SCHOOL < COUNTY < MUNICIPAL < PROVINCIAL < NATIONAL: "county or higher" means COUNTY,
    /// MUNICIPAL, PROVINCIAL or NATIONAL.
    TrainingLevel => domain::codes::TrainingLevel {
    /// National level (国家级), the highest.
    National,
    /// Provincial level (省级).
    Provincial,
    /// Municipal (city) level (市级).
    Municipal,
    /// County or district level (县区级).
    County,
    /// School level (校级), the lowest: training run by the teacher's own school.
    School
});
mirror_enum!(
    /// A school stage (学段): what a teacher teaches at and what a course targets.
    Stage => domain::codes::Stage {
    /// Kindergarten (学前教育).
    Kindergarten,
    /// Primary school (小学).
    Primary,
    /// Junior secondary school (初中).
    JuniorSecondary,
    /// Senior secondary school (高中).
    SeniorSecondary,
    /// Secondary vocational school (中职).
    Vocational,
    /// Special education (特殊教育).
    SpecialEducation
});
mirror_enum!(
    /// How a training is delivered. Policies price modalities differently (Wuhan: 8 concentrated
    /// hours or 10 non-concentrated hours make one credit).
    Modality => domain::codes::Modality {
    /// Concentrated, face-to-face training (集中培训).
    Concentrated,
    /// Non-concentrated training spread over time (非集中培训).
    NonConcentrated,
    /// Online or remote training (远程/网络培训).
    Online,
    /// School-based training run by the teacher's school (校本培训).
    SchoolBased,
    /// Self-directed study (自主研习).
    SelfStudy,
    /// Study toward an academic degree (学历提升).
    DegreeStudy
});
mirror_enum!(
    /// Where a course is in its lifecycle: DRAFT → PENDING_APPROVAL → PUBLISHED → CLOSED →
    /// ARCHIVED; a rejection sends a pending course back to DRAFT.
    CourseStatus => domain::codes::CourseStatus {
    /// Being prepared by its provider; seen only by those who manage the provider.
    Draft,
    /// Submitted by the provider (`publishCourse`), waiting for a region admin over the provider
    /// to approve or reject it (`approveCourse`).
    PendingApproval,
    /// Approved: in the public catalogue and open for enrolment within its enrolment window.
    Published,
    /// No more enrolments (`closeCourse`); completions may still be recorded. Still public.
    Closed,
    /// Finished and kept for the record; nothing changes any more. Seen only by those who
    /// manage the provider.
    Archived
});
mirror_enum!(
    /// The state of a teacher's place in a course.
    EnrollmentStatus => domain::codes::EnrollmentStatus {
    /// Holds a seat.
    Enrolled,
    /// The course was full: waiting for a seat; the longest-waiting teacher moves up when one
    /// is freed.
    Waitlisted,
    /// Gave the place up (`withdraw`); its seat went to the waiting list.
    Withdrawn,
    /// The provider recorded a passed completion for the teacher.
    Completed,
    /// The provider recorded a completion that was not passed.
    Failed
});
mirror_enum!(
    /// The state of a credit record in the ledger. Only CERTIFIED records count toward totals,
    /// compliance, conversions and transcripts.
    CreditStatus => domain::codes::CreditStatus {
    /// A declared activity waiting for review (see `CreditRecord.nextStep`).
    Pending,
    /// Certified: completions are certified when posted, claims after the last review step.
    Certified,
    /// Refused by a reviewer; it never counts.
    Rejected,
    /// Cancelled after certification (fraud, `revokeCredit`): a reversal entry was appended and
    /// the record no longer counts.
    Revoked
});
mirror_enum!(
    /// The state of a request to turn training credits into a university's academic credits.
    ConversionStatus => domain::codes::ConversionStatus {
    /// Asked by the teacher; its records are reserved until the university decides.
    Requested,
    /// Granted by the university; its records stay used and no other conversion may use them.
    Approved,
    /// Refused by the university (with a comment); its records are free again.
    Rejected,
    /// Voided: a credit record it used was revoked.
    Cancelled
});
mirror_enum!(
    /// A reviewer's decision.
    Decision => domain::codes::Decision {
    /// Accept: the item moves on to its next step or is final.
    Approve,
    /// Refuse; a comment saying why is required.
    Reject
});
mirror_enum!(
    /// A step of a declared activity's review chain, in the order a claim passes them
    /// (a policy may shorten the chain, `CreditPolicy.reviewSteps`).
    ReviewStep => domain::codes::ReviewStep {
    /// The teacher's school admin checks the claim (学校申报).
    School,
    /// An admin of the nearest county- or city-level region over the school reviews it (审核).
    County,
    /// The province's admin certifies it (认定).
    Province
});
mirror_enum!(
    /// The part a teacher played in a training.
    ParticipationRole => domain::codes::ParticipationRole {
    /// Took the training as a learner.
    Trainee,
    /// Taught it (instructor, expert or mentor); credited for the hours taught, usually at a
    /// multiple of a trainee's rate.
    Instructor
});
mirror_enum!(
    /// What a credit record is for: a course completion or one of the activities the
    /// regional schemes credit. Which facts a claim needs depends on its kind (noted per value).
    ActivityKind => domain::codes::ActivityKind {
    /// Completing a catalogue course (or training reported as such); needs `hours` and `level`.
    CourseCompletion,
    /// Teaching a training as an instructor or expert; needs `hours`.
    Teaching,
    /// Study toward an academic degree (学历提升).
    DegreeStudy,
    /// A graduate course class (研究生课程班).
    GraduateClass,
    /// New-teacher probation training (新教师试用期培训); needs `hours`.
    NewTeacherProbation,
    /// Backbone-teacher training (骨干教师培训); needs `level`.
    BackboneTraining,
    /// Work in a master teacher's studio (名师工作室).
    MasterStudio,
    /// A research project (课题研究); needs `level`.
    ResearchProject,
    /// A published paper (论文); needs `level`, may give `words`.
    Paper,
    /// A monograph (专著); may give `words`.
    Monograph,
    /// Writing a textbook (教材编写); needs `level`, may give `words`.
    Textbook,
    /// Giving an open class (公开课); needs `level`.
    OpenClass,
    /// Giving a lecture or report (讲座); needs `level`.
    Lecture,
    /// A teaching-research activity (教研活动); needs `hours`.
    TeachingResearchActivity,
    /// Mentoring a colleague (师徒结对).
    Mentoring,
    /// Supervising student teachers (实习生指导).
    TraineeSupervision,
    /// A teaching competition (教学比赛); needs `level` and `prize`.
    Competition,
    /// Training abroad (海外研修); needs `months`.
    OverseasTraining,
    /// Teaching support in another region (支教); needs `months`.
    TeachingSupport,
    /// A school-based research topic (校本课题).
    SchoolBasedTopic,
    /// Anything else; needs how long it lasted: `hours`, `days` or `months`.
    Other
});
