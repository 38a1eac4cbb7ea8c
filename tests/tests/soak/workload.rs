//! The soak's clients: each loops over a fixed mix of operations until the time is up, sending
//! every request to the other server than the last, so both instances share all the work and a
//! retried claim lands on the instance that did not answer it first. A conversion request goes
//! to both instances at once, so that two transactions contend for the same records.

use crate::fixture::{self, World};
use crate::load::{client, post, Outcome, CLAIM};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One client's turn, in order: three in fourteen operations read the catalogue, one in seven
/// take a place, one requests a conversion (twice at once) and one decides one; every other turn
/// ends with a new course ("course" must stay last: `step` counts turns by it).
const MIX: [&str; 14] = [
    "catalogue",
    "claim",
    "enrol",
    "catalogue",
    "compliance",
    "claim-retry",
    "enrol",
    "completion",
    "catalogue",
    "review",
    "withdraw",
    "convert",
    "decide",
    "course",
];

/// Enrolments go to the newest few courses, as teachers crowd a newly opened one.
const NEWEST: usize = 4;

/// A place taken: (teacher id, teacher token, enrolment id, course id).
type Place = (String, String, String, String);

#[derive(Default)]
pub struct Seen {
    pub outcomes: Vec<Outcome>,
    /// Idempotency key → the id the server answered with (a retry adds the pair again).
    pub acknowledged: Vec<(String, String)>,
    /// Keys whose retry answered another id than the first answer: must stay empty.
    pub retry_mismatches: Vec<String>,
    /// Conversions the server answered REQUESTED, and the pairs of simultaneous requests for
    /// one teacher that both succeeded (each on other records: the ledger check says so).
    pub conversions_requested: usize,
    pub conversion_pairs_both_won: usize,
    pub elapsed: Duration,
}

struct Client<'a> {
    n: usize,
    i: usize,
    bases: &'a [String],
    world: &'a World,
    http: reqwest::Client,
    seen: Arc<Mutex<Seen>>,
    last_claim: Option<(String, String)>,
    /// Places this client took and has not yet given up or completed.
    places: Vec<Place>,
    /// The teacher this client last saw a conversion requested for: the next decision looks
    /// there first, so that decisions find REQUESTED conversions rather than empty lists.
    converted: Option<String>,
    /// xorshift state: which teacher and course each operation picks.
    rng: u64,
}

pub async fn run(bases: &[String], world: &World, clients: usize, length: Duration) -> Seen {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let started = Instant::now();
    let deadline = started + length;
    let loops = (0..clients).map(|n| {
        let mut client = Client {
            n,
            i: 0,
            bases,
            world,
            http: client(),
            seen: seen.clone(),
            last_claim: None,
            places: Vec::new(),
            converted: None,
            rng: 0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1),
        };
        async move {
            while Instant::now() < deadline {
                client.step().await;
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
        }
    });
    futures_util::future::join_all(loops).await;
    let mut guard = seen.lock().expect("lock");
    let mut out = std::mem::take(&mut *guard);
    out.elapsed = started.elapsed();
    out
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

impl Client<'_> {
    fn random(&mut self, below: usize) -> usize {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        (self.rng % below.max(1) as u64) as usize
    }

    fn teacher(&mut self) -> (String, String) {
        let n = self.random(self.world.teachers.len());
        self.world.teachers[n].clone()
    }

    fn course(&mut self) -> String {
        let pick = self.random(NEWEST);
        let courses = self.world.courses.lock().expect("lock");
        courses[courses.len().saturating_sub(1 + pick)].clone()
    }

    /// One request to the next server, recorded under `kind`.
    async fn send(
        &self,
        kind: &'static str,
        token: Option<&str>,
        query: &str,
        vars: Value,
    ) -> Value {
        self.send_to(0, kind, token, query, vars).await
    }

    /// One request to the server `offset` places after the next one, recorded under `kind`
    /// (`&self`, so that two can be in flight at once).
    async fn send_to(
        &self,
        offset: usize,
        kind: &'static str,
        token: Option<&str>,
        query: &str,
        vars: Value,
    ) -> Value {
        let base = &self.bases[(self.n + self.i + offset) % self.bases.len()];
        let at = Instant::now();
        let (status, body) = post(&self.http, base, token, query, vars).await;
        let outcome = Outcome::of(kind, at, status, &body);
        self.seen.lock().expect("lock").outcomes.push(outcome);
        body
    }

    async fn step(&mut self) {
        self.i += 1;
        match MIX[self.i % MIX.len()] {
            "catalogue" => self.catalogue().await,
            "claim" => self.claim(None).await,
            "claim-retry" => self.claim(self.last_claim.clone()).await,
            "enrol" => self.enrol().await,
            "withdraw" => self.withdraw().await,
            "completion" => self.completion().await,
            "review" => self.review().await,
            "convert" => self.convert().await,
            "decide" => self.decide().await,
            "course" if self.i % (2 * MIX.len()) == MIX.len() - 1 => self.new_course().await,
            "course" => self.catalogue().await,
            _ => self.compliance().await,
        }
    }

    /// An anonymous catalogue page: the search, the open courses or the whole list.
    async fn catalogue(&mut self) {
        let filter = match self.i % 3 {
            0 => json!({"search": "浸泡测试"}),
            1 => json!({"openForEnrollment": true, "regionCode": "370200"}),
            _ => json!({}),
        };
        let q = "query($f: CourseFilter){ courses(filter:$f, first: 10){ totalCount edges { node { code title seatsLeft provider { name } } } pageInfo { hasNextPage endCursor } } }";
        self.send("catalogue", None, q, json!({"f": filter})).await;
    }

    /// A new claim, or the last one again with its key (a client that lost the answer).
    async fn claim(&mut self, retry: Option<(String, String)>) {
        let (key, token) = retry.clone().unwrap_or_else(|| {
            let key = format!(
                "soak-{}-{}-{}",
                self.n,
                self.i,
                uuid::Uuid::new_v4().simple()
            );
            (key, self.teacher().1.clone())
        });
        let earned = (today() - chrono::Duration::days(20)).to_string();
        let query = CLAIM.replace("2026-05-10", &earned);
        let body = self
            .send("claim", Some(&token), &query, json!({"k": key}))
            .await;
        let Some(id) = body["data"]["claimCredit"]["id"].as_str() else {
            return;
        };
        let mut seen = self.seen.lock().expect("lock");
        if retry.is_some() {
            let first = seen.acknowledged.iter().find(|(k, _)| *k == key);
            if first.is_some_and(|(_, first)| first != id) {
                seen.retry_mismatches.push(key.clone());
            }
        }
        seen.acknowledged.push((key.clone(), id.to_owned()));
        drop(seen);
        self.last_claim = Some((key, token));
    }

    async fn enrol(&mut self) {
        let (teacher, token) = self.teacher();
        let course = self.course();
        let q = "mutation($c: ID!){ enroll(courseId:$c){ id status } }";
        let body = self
            .send("enrol", Some(&token), q, json!({"c": course}))
            .await;
        if let Some(id) = body["data"]["enroll"]["id"].as_str() {
            self.places.push((teacher, token, id.to_owned(), course));
        }
    }

    /// Gives up a place taken: a seat is freed and the longest waiting moves up.
    async fn withdraw(&mut self) {
        if self.places.is_empty() {
            return self.catalogue().await;
        }
        let at = self.random(self.places.len());
        let (_, token, id, _) = self.places.swap_remove(at);
        let q = "mutation($e: ID!){ withdraw(enrollmentId:$e){ status } }";
        self.send("withdraw", Some(&token), q, json!({"e": id}))
            .await;
    }

    /// The provider side posts a completion for a place taken (a waitlisted one is a rejected
    /// row) or, with none, for anyone (a rejected row or a duplicate): all answered 200.
    async fn completion(&mut self) {
        let (teacher, course) = match self.places.pop() {
            Some((teacher, _, _, course)) => (teacher, course),
            None => (self.teacher().0, self.course()),
        };
        let row =
            json!({"teacherId": teacher, "attendedHours": "24", "passed": true, "score": "90"});
        let q = "mutation($c: ID!, $r: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$r){ accepted duplicates rejected { code } } }";
        let vars = json!({"c": course, "r": [row]});
        let admin = self.world.admin.clone();
        self.send("completion", Some(&admin), q, vars).await;
    }

    /// The provider publishes a new course and the district approves it (three requests).
    async fn new_course(&mut self) {
        let admin = self.world.admin.clone();
        let n = fixture::COURSES + self.n * 100_000 + self.i;
        let input = fixture::course_input(&self.world.provider, n);
        let body = self
            .send(
                "course",
                Some(&admin),
                fixture::CREATE_COURSE,
                json!({"i": input}),
            )
            .await;
        let Some(id) = body["data"]["createCourse"]["id"]
            .as_str()
            .map(str::to_owned)
        else {
            return;
        };
        for step in [fixture::PUBLISH_COURSE, fixture::APPROVE_COURSE] {
            self.send("course", Some(&admin), step, json!({"c": id}))
                .await;
        }
        self.world.courses.lock().expect("lock").push(id);
    }

    /// A reviewer (the school's or the district's, in turn) approves the oldest it may.
    async fn review(&mut self) {
        // Turn by turn: the review slot sits at a fixed place in MIX, so alternate by turn.
        let token = if (self.i / MIX.len()).is_multiple_of(2) {
            self.world.school_admin.clone()
        } else {
            self.world.district_admin.clone()
        };
        let q = "{ reviewQueue(first: 3){ edges { node { id } } } }";
        let body = self.send("review-queue", Some(&token), q, json!({})).await;
        let Some(id) = body["data"]["reviewQueue"]["edges"][0]["node"]["id"].as_str() else {
            return;
        };
        let q = "mutation($r: ID!){ reviewCredit(id:$r, decision: APPROVE){ status } }";
        let vars = json!({"r": id});
        self.send("review", Some(&token), q, vars).await;
    }

    /// A teacher asks for a conversion on both instances at the same moment: two transactions
    /// that pick the same oldest free records cannot both reserve them (the loser is answered
    /// `CONFLICT`, or `BAD_USER_INPUT` when it saw them reserved already); both win only when
    /// one committed before the other picked and the teacher has records enough for two.
    async fn convert(&mut self) {
        let (teacher, token) = self.teacher();
        let q = "mutation($m: ID!){ requestConversion(mappingId:$m){ id status } }";
        let vars = json!({"m": self.world.mapping});
        let (a, b) = futures_util::future::join(
            self.send_to(0, "convert", Some(&token), q, vars.clone()),
            self.send_to(1, "convert", Some(&token), q, vars),
        )
        .await;
        let won = [&a, &b]
            .iter()
            .filter(|body| body["data"]["requestConversion"]["status"] == "REQUESTED")
            .count();
        let mut seen = self.seen.lock().expect("lock");
        seen.conversions_requested += won;
        seen.conversion_pairs_both_won += usize::from(won == 2);
        drop(seen);
        if won > 0 {
            self.converted = Some(teacher);
        }
    }

    /// The university reads a teacher's conversions (the teacher's grant allows it) and
    /// decides the oldest REQUESTED one: two in three approved, the rest rejected with a comment
    /// (which frees the records for another request). Another client may have decided it
    /// first: `CONFLICT`.
    async fn decide(&mut self) {
        let teacher = match self.converted.take() {
            Some(teacher) => teacher,
            None => self.teacher().0,
        };
        let token = self.world.university_admin.clone();
        let q = "query($t: ID!){ conversions(teacherId:$t){ id status } }";
        let body = self
            .send("conversions", Some(&token), q, json!({"t": teacher}))
            .await;
        let empty = Vec::new();
        let list = body["data"]["conversions"].as_array().unwrap_or(&empty);
        let Some(id) = list
            .iter()
            .find(|c| c["status"] == "REQUESTED")
            .and_then(|c| c["id"].as_str())
        else {
            return;
        };
        let vars = if self.random(3) == 0 {
            json!({"id": id, "d": "REJECT", "c": "浸泡测试：材料不全"})
        } else {
            json!({"id": id, "d": "APPROVE", "c": null})
        };
        let q = "mutation($id: ID!, $d: Decision!, $c: String){ decideConversion(id:$id, decision:$d, comment:$c){ status } }";
        self.send("decide", Some(&token), q, vars).await;
    }

    async fn compliance(&mut self) {
        let (teacher, token) = self.teacher();
        let q = "query($t: ID!, $d: Date){ compliance(teacherId:$t, asOf:$d){ satisfied totalCounted requirements { key shortfall } } }";
        let vars = json!({"t": teacher, "d": today().to_string()});
        self.send("compliance", Some(&token), q, vars).await;
    }
}
