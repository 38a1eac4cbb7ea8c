//! How much an evaluation says. A teacher's report explains every record (what it counted, to
//! which requirement, why not more); the snapshot worker and the statistics need only the
//! figures. Both run the same steps — conditions, limits, allocation — over the same records:
//! counting alone skips building each note's words and each record's list, which are most of an
//! evaluation's cost, and can therefore never count differently (a property test compares them).

use super::report::Note;
use crate::text::Text;

/// Whether an evaluation explains its records or only counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Detail {
    Explained,
    Counted,
}

/// A record's notes: kept when explaining; when only counting, their words are never built.
pub(super) struct Notes {
    detail: Detail,
    list: Vec<Note>,
}

impl Notes {
    pub fn new(detail: Detail) -> Self {
        Self {
            detail,
            list: Vec::new(),
        }
    }

    /// Whether notes (and a record's allocations) are kept.
    pub fn explained(&self) -> bool {
        self.detail == Detail::Explained
    }

    /// Adds the note `code` whose words `words` gives, asked only when explaining.
    pub fn add(&mut self, code: &'static str, words: impl FnOnce() -> (String, Text)) {
        if self.explained() {
            let (message, text) = words();
            self.list.push(Note {
                code,
                message,
                text,
            });
        }
    }

    /// Adds a note built by `build`, asked only when explaining.
    pub fn add_built(&mut self, build: impl FnOnce() -> Note) {
        if self.explained() {
            self.list.push(build());
        }
    }

    pub fn into_list(self) -> Vec<Note> {
        self.list
    }
}
