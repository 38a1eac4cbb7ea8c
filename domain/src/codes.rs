//! The fixed vocabularies of the domain, each value with a stable SCREAMING_SNAKE code.
//!
//! The code is the value's only external spelling: GraphQL enum values, database columns,
//! policy documents and CSV files all use it, so renaming a variant never changes data.

mod category;

pub use category::{CategoryKey, BUILT_IN_CATEGORIES};

use crate::error::InputError;

/// Generates an enum whose every value has a stable code, with `ALL`, `as_str`, `FromStr`,
/// `Display` and serde all agreeing on that code.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = InputError;

            /// Accepts the code, ignoring surrounding whitespace and ASCII case: hand-made CSV
            /// files write "trainee" as often as "TRAINEE", and both mean one thing.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let s = s.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(s))
                    .ok_or_else(|| unknown_value(Self::ALL.iter().map(|v| v.as_str())))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// In a message, a value shows with its label in the reader's language.
        impl crate::text::IntoArg for $name {
            fn into_arg(self) -> crate::text::Arg {
                crate::text::Arg::Enum(stringify!($name), self.as_str().to_owned())
            }
        }
    };
}

fn unknown_value<'a>(accepted: impl Iterator<Item = &'a str>) -> InputError {
    let accepted: Vec<&str> = accepted.collect();
    let list = accepted.join(", ");
    InputError::new(InputError::UNKNOWN_VALUE, format!("must be one of {list}"))
        .with(crate::text::Text::new("input.one_of").arg("values", list))
}

string_enum! {
    /// What an account may do; each role comes with a scope (see `crate::scope`).
    #[derive(PartialOrd, Ord)]
    pub enum Role {
        Teacher = "TEACHER",
        SchoolAdmin = "SCHOOL_ADMIN",
        RegionAdmin = "REGION_ADMIN",
        ProviderAdmin = "PROVIDER_ADMIN",
        UniversityAdmin = "UNIVERSITY_ADMIN",
        SystemAdmin = "SYSTEM_ADMIN",
    }
}

string_enum! {
    /// The level of an administrative region. Ordered from the root down, so a region's level
    /// compares less than its children's.
    #[derive(PartialOrd, Ord)]
    pub enum RegionLevel {
        National = "NATIONAL",
        Province = "PROVINCE",
        City = "CITY",
        County = "COUNTY",
    }
}

string_enum! {
    /// The level of the body that organises a training (培训层次). Ordered by [`Self::rank`], so
    /// `National > School`: policies say "county or higher" and mean exactly that comparison.
    pub enum TrainingLevel {
        National = "NATIONAL",
        Provincial = "PROVINCIAL",
        Municipal = "MUNICIPAL",
        County = "COUNTY",
        School = "SCHOOL",
    }
}

impl TrainingLevel {
    /// School 1 … National 5.
    pub fn rank(&self) -> u8 {
        match self {
            Self::School => 1,
            Self::County => 2,
            Self::Municipal => 3,
            Self::Provincial => 4,
            Self::National => 5,
        }
    }
}

impl PartialOrd for TrainingLevel {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TrainingLevel {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank())
    }
}

string_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum Modality {
        Concentrated = "CONCENTRATED",
        NonConcentrated = "NON_CONCENTRATED",
        Online = "ONLINE",
        SchoolBased = "SCHOOL_BASED",
        SelfStudy = "SELF_STUDY",
        DegreeStudy = "DEGREE_STUDY",
    }
}

string_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum CourseStatus {
        Draft = "DRAFT",
        PendingApproval = "PENDING_APPROVAL",
        Published = "PUBLISHED",
        Closed = "CLOSED",
        Archived = "ARCHIVED",
    }
}

string_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum EnrollmentStatus {
        Enrolled = "ENROLLED",
        Waitlisted = "WAITLISTED",
        Withdrawn = "WITHDRAWN",
        Completed = "COMPLETED",
        Failed = "FAILED",
    }
}

string_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum CreditStatus {
        Pending = "PENDING",
        Certified = "CERTIFIED",
        Rejected = "REJECTED",
        Revoked = "REVOKED",
    }
}

string_enum! {
    /// The steps of a claim's review, in the order a claim passes them.
    #[derive(PartialOrd, Ord)]
    pub enum ReviewStep {
        School = "SCHOOL",
        County = "COUNTY",
        Province = "PROVINCE",
    }
}

string_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum Decision {
        Approve = "APPROVE",
        Reject = "REJECT",
    }
}

string_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum ParticipationRole {
        Trainee = "TRAINEE",
        Instructor = "INSTRUCTOR",
    }
}

string_enum! {
    /// What a credit record is for: a course completion or one of the activities the seed
    /// policies credit (papers, open classes, mentoring…).
    #[derive(PartialOrd, Ord)]
    pub enum ActivityKind {
        CourseCompletion = "COURSE_COMPLETION",
        Teaching = "TEACHING",
        DegreeStudy = "DEGREE_STUDY",
        GraduateClass = "GRADUATE_CLASS",
        NewTeacherProbation = "NEW_TEACHER_PROBATION",
        BackboneTraining = "BACKBONE_TRAINING",
        MasterStudio = "MASTER_STUDIO",
        ResearchProject = "RESEARCH_PROJECT",
        Paper = "PAPER",
        Monograph = "MONOGRAPH",
        Textbook = "TEXTBOOK",
        OpenClass = "OPEN_CLASS",
        Lecture = "LECTURE",
        TeachingResearchActivity = "TEACHING_RESEARCH_ACTIVITY",
        Mentoring = "MENTORING",
        TraineeSupervision = "TRAINEE_SUPERVISION",
        Competition = "COMPETITION",
        OverseasTraining = "OVERSEAS_TRAINING",
        TeachingSupport = "TEACHING_SUPPORT",
        SchoolBasedTopic = "SCHOOL_BASED_TOPIC",
        Other = "OTHER",
    }
}

string_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum ConversionStatus {
        Requested = "REQUESTED",
        Approved = "APPROVED",
        Rejected = "REJECTED",
        Cancelled = "CANCELLED",
    }
}

string_enum! {
    /// The school stage a teacher teaches at and a course targets (学段).
    #[derive(PartialOrd, Ord)]
    pub enum Stage {
        Kindergarten = "KINDERGARTEN",
        Primary = "PRIMARY",
        JuniorSecondary = "JUNIOR_SECONDARY",
        SeniorSecondary = "SENIOR_SECONDARY",
        Vocational = "VOCATIONAL",
        SpecialEducation = "SPECIAL_EDUCATION",
    }
}

#[cfg(test)]
mod tests;
