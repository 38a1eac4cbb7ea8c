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
