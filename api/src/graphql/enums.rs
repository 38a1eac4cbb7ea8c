//! GraphQL mirrors of the domain's enums. The domain owns the values; these only give them
//! GraphQL names, and the conversions are generated so the two cannot drift apart.

macro_rules! mirror_enum {
    ($name:ident => $domain:path { $($variant:ident),+ $(,)? }) => {
        #[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

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

mirror_enum!(Role => domain::codes::Role {
    Teacher, SchoolAdmin, RegionAdmin, ProviderAdmin, UniversityAdmin, SystemAdmin
});
mirror_enum!(RegionLevel => domain::codes::RegionLevel { National, Province, City, County });
mirror_enum!(TrainingLevel => domain::codes::TrainingLevel {
    National, Provincial, Municipal, County, School
});
mirror_enum!(Stage => domain::codes::Stage {
    Kindergarten, Primary, JuniorSecondary, SeniorSecondary, Vocational, SpecialEducation
});
mirror_enum!(Modality => domain::codes::Modality {
    Concentrated, NonConcentrated, Online, SchoolBased, SelfStudy, DegreeStudy
});
mirror_enum!(CourseStatus => domain::codes::CourseStatus {
    Draft, PendingApproval, Published, Closed, Archived
});
mirror_enum!(EnrollmentStatus => domain::codes::EnrollmentStatus {
    Enrolled, Waitlisted, Withdrawn, Completed, Failed
});
mirror_enum!(CreditStatus => domain::codes::CreditStatus { Pending, Certified, Rejected, Revoked });
mirror_enum!(ConversionStatus => domain::codes::ConversionStatus {
    Requested, Approved, Rejected, Cancelled
});
mirror_enum!(Decision => domain::codes::Decision { Approve, Reject });
mirror_enum!(ReviewStep => domain::codes::ReviewStep { School, County, Province });
mirror_enum!(ParticipationRole => domain::codes::ParticipationRole { Trainee, Instructor });
mirror_enum!(ActivityKind => domain::codes::ActivityKind {
    CourseCompletion, Teaching, DegreeStudy, GraduateClass, NewTeacherProbation, BackboneTraining,
    MasterStudio, ResearchProject, Paper, Monograph, Textbook, OpenClass, Lecture,
    TeachingResearchActivity, Mentoring, TraineeSupervision, Competition, OverseasTraining,
    TeachingSupport, SchoolBasedTopic, Other
});
