//! The webhook rules: targets (unit and property tests), the retry schedule, the audience.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::scope::{Resource, Scope, Ties};
use crate::test_support::{code, seed_tree};
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use uuid::Uuid;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn only_public_unicast_addresses_are_targets_in_production() {
    for refused in [
        "127.0.0.1",
        "127.255.0.9",
        "0.0.0.0",
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "255.255.255.255",
        "192.0.2.10",
        "198.18.0.1",
        "::",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "2001:db8::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:0a00:0001::1",
        "64:ff9b::a00:1",
        "2001::1",
    ] {
        assert_eq!(
            address_allowed(ip(refused), Targets::PublicOnly),
            Err(TargetError::Address),
            "{refused}"
        );
        assert!(address_allowed(ip(refused), Targets::Anywhere).is_ok());
    }
    for allowed in [
        "93.184.216.34",
        "1.1.1.1",
        "172.32.0.1",
        "100.128.0.1",
        "2606:4700::1111",
        "::ffff:8.8.8.8",
        "2002:0808:0808::1",
    ] {
        assert!(
            address_allowed(ip(allowed), Targets::PublicOnly).is_ok(),
            "{allowed}"
        );
    }
}

#[test]
fn https_only_in_production_and_localhost_names_are_loopback() {
    assert!(check_scheme("https", Targets::PublicOnly).is_ok());
    assert_eq!(
        check_scheme("http", Targets::PublicOnly),
        Err(TargetError::Scheme)
    );
    assert!(check_scheme("http", Targets::Anywhere).is_ok());
    assert_eq!(
        check_scheme("ftp", Targets::Anywhere),
        Err(TargetError::Scheme)
    );
    for host in [
        "localhost",
        "LOCALHOST.",
        "api.localhost",
        "[::1]",
        "127.0.0.1",
        "10.0.0.7",
    ] {
        assert_eq!(
            check_host(host, Targets::PublicOnly),
            Err(TargetError::Address),
            "{host}"
        );
        assert!(check_host(host, Targets::Anywhere).is_ok());
    }
    assert!(check_host("hooks.example.cn", Targets::PublicOnly).is_ok());
    assert!(check_host("[2606:4700::1111]", Targets::PublicOnly).is_ok());
}

proptest! {
    /// Whatever the address, a production target is none of the kinds std can name as
    /// non-public; IPv4 mapped into IPv6 is judged as itself.
    #[test]
    fn public_addresses_are_never_local(bits in any::<u32>()) {
        let v4 = Ipv4Addr::from(bits);
        if is_public(IpAddr::V4(v4)) {
            prop_assert!(!v4.is_private() && !v4.is_loopback() && !v4.is_link_local());
            prop_assert!(!v4.is_unspecified() && !v4.is_broadcast() && !v4.is_multicast());
            prop_assert!(!v4.is_documentation());
        }
        prop_assert_eq!(is_public(IpAddr::V4(v4)), is_public(IpAddr::V6(v4.to_ipv6_mapped())));
    }

    #[test]
    fn public_v6_addresses_are_global_unicast(bits in any::<u128>()) {
        let v6 = Ipv6Addr::from(bits);
        if is_public(IpAddr::V6(v6)) && v6.to_ipv4_mapped().is_none() {
            prop_assert!(!v6.is_loopback() && !v6.is_unspecified() && !v6.is_multicast());
            prop_assert!(!v6.is_unique_local() && !v6.is_unicast_link_local());
        }
    }

    /// Each delay is longer than the one before (until the cap), jitter included, and no
    /// attempt is ever scheduled outside the window.
    #[test]
    fn backoff_grows_and_stays_in_its_window(
        base in 1u64..10_000, failed in 1u32..40, j1 in 0u64..=1000, j2 in 0u64..=1000,
        elapsed in 0u64..100_000_000,
    ) {
        let s = Schedule { base_ms: base, cap_ms: 7_200_000, window_ms: 86_400_000 };
        let (now, next) = (s.delay_ms(failed, j1), s.delay_ms(failed + 1, j2));
        if base.saturating_mul(1 << failed.min(62)) <= s.cap_ms {
            prop_assert!(next > now, "{now} then {next}");
        }
        prop_assert!(now <= s.cap_ms + s.cap_ms / 4);
        if let Some(at) = s.next_attempt_ms(failed, elapsed, j1) {
            prop_assert!(at <= s.window_ms && at > elapsed);
        }
    }
}

#[test]
fn the_default_schedule_tries_for_a_day_then_gives_up() {
    let s = Schedule::default();
    assert_eq!(s.delay_ms(1, 0), 5_000);
    assert_eq!(s.delay_ms(2, 0), 10_000);
    assert_eq!(s.delay_ms(30, 0), 7_200_000);
    let (mut elapsed, mut failed) = (0, 1);
    while let Some(at) = s.next_attempt_ms(failed, elapsed, 1000) {
        elapsed = at;
        failed += 1;
    }
    assert!(elapsed <= s.window_ms && elapsed > s.window_ms - 3 * 3_600_000);
    assert!((12..30).contains(&failed), "{failed} attempts");
}

#[test]
fn subscriptions_are_sorted_sets_of_at_least_one_event() {
    use EventType::*;
    assert_eq!(
        subscription(&[CreditRecordChanged, CourseApproved, CourseApproved]).unwrap(),
        vec![CourseApproved, CreditRecordChanged]
    );
    assert!(subscription(&[]).is_err());
    for e in EventType::ALL {
        assert_eq!(e.as_str().parse::<EventType>().unwrap(), e);
    }
}

fn provider(n: u128, region: &str) -> (Uuid, Resource) {
    let id = Uuid::from_u128(n);
    (
        id,
        Resource::Provider {
            id,
            region: code(region),
        },
    )
}

#[test]
fn a_course_decision_is_heard_by_its_provider_and_approvers_only() {
    let tree = seed_tree();
    let (own, qingdao) = provider(1, "370200");
    let subject = Subject::CourseReview { provider: &qingdao };
    let hears = |scope: Scope| may_hear(&scope, &subject, Ties::default(), &tree);
    assert!(hears(Scope::Provider {
        provider: own,
        region: code("370200")
    }));
    assert!(hears(Scope::Region(code("370000"))));
    assert!(hears(Scope::System));
    assert!(!hears(Scope::Provider {
        provider: Uuid::from_u128(2),
        region: code("370200")
    }));
    assert!(!hears(Scope::Region(code("420100"))));
    assert!(!hears(Scope::Teacher {
        teacher: Uuid::from_u128(3),
        school: Uuid::from_u128(4),
        region: code("370202")
    }));
}

#[test]
fn a_record_is_heard_by_the_teacher_its_admins_its_provider_and_a_granted_university() {
    let tree = seed_tree();
    let (teacher, school) = (Uuid::from_u128(10), Uuid::from_u128(11));
    let resource = Resource::Teacher {
        id: teacher,
        school,
        region: code("370202"),
    };
    let by = Uuid::from_u128(1);
    let subject = Subject::CreditRecord {
        teacher: &resource,
        produced_by: Some(by),
    };
    let hears = |scope: Scope, ties: Ties| may_hear(&scope, &subject, ties, &tree);
    let none = Ties::default();
    assert!(hears(
        Scope::Teacher {
            teacher,
            school,
            region: code("370202")
        },
        none
    ));
    assert!(hears(
        Scope::School {
            school,
            region: code("370202")
        },
        none
    ));
    assert!(hears(
        Scope::Provider {
            provider: by,
            region: code("420100")
        },
        none
    ));
    assert!(!hears(
        Scope::Provider {
            provider: Uuid::from_u128(2),
            region: code("370202")
        },
        none
    ));
    let university = Scope::University {
        university: Uuid::from_u128(5),
        region: code("370000"),
    };
    assert!(!hears(university.clone(), none));
    assert!(hears(
        university,
        Ties {
            trains: false,
            granted: true
        }
    ));
    let grant = Subject::AccessGrant {
        teacher,
        university: Uuid::from_u128(5),
    };
    assert!(may_hear(
        &Scope::University {
            university: Uuid::from_u128(5),
            region: code("370000")
        },
        &grant,
        none,
        &tree
    ));
    assert!(!may_hear(
        &Scope::Region(code("370000")),
        &grant,
        none,
        &tree
    ));
}

fn arb_scope() -> impl Strategy<Value = Scope> {
    let region = prop::sample::select(crate::test_support::seed_codes());
    let id = (1u128..4).prop_map(Uuid::from_u128);
    prop_oneof![
        Just(Scope::System),
        region.clone().prop_map(Scope::Region),
        (id.clone(), region.clone()).prop_map(|(school, region)| Scope::School { school, region }),
        (id.clone(), region.clone())
            .prop_map(|(provider, region)| Scope::Provider { provider, region }),
        (id.clone(), region.clone())
            .prop_map(|(university, region)| Scope::University { university, region }),
        (id.clone(), id, region).prop_map(|(teacher, school, region)| Scope::Teacher {
            teacher,
            school,
            region
        }),
    ]
}

proptest! {
    /// Whatever an account may hear, its kind may subscribe to: `createWebhook` never refuses
    /// an event some account of that kind would be told about.
    #[test]
    fn whoever_hears_an_event_may_subscribe_to_it(
        scope in arb_scope(), n in 1u128..4, m in 1u128..4, granted in any::<bool>(),
        region in prop::sample::select(crate::test_support::seed_codes()),
    ) {
        let tree = seed_tree();
        let teacher = Resource::Teacher { id: Uuid::from_u128(n), school: Uuid::from_u128(m), region: region.clone() };
        let provider = Resource::Provider { id: Uuid::from_u128(m), region: region.clone() };
        let university = Resource::University { id: Uuid::from_u128(n), region };
        let ties = Ties { trains: false, granted };
        let cases = [
            (EventType::CourseApproved, Subject::CourseReview { provider: &provider }),
            (EventType::EnrollmentChanged, Subject::Enrollment { teacher: &teacher, provider: &provider }),
            (EventType::CreditRecordChanged, Subject::CreditRecord { teacher: &teacher, produced_by: Some(Uuid::from_u128(m)) }),
            (EventType::ConversionDecided, Subject::Conversion { teacher: &teacher, university: &university }),
            (EventType::AccessGranted, Subject::AccessGrant { teacher: Uuid::from_u128(n), university: Uuid::from_u128(m) }),
        ];
        for (event, subject) in cases {
            if may_hear(&scope, &subject, ties, &tree) {
                prop_assert!(may_subscribe(&scope, event), "{scope:?} hears {event:?}");
            }
        }
    }
}
