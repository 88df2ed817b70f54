//! The single source of truth for a finding. Reporters (human, short, json …)
//! are adapters over [`Diagnostic`].

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::text::Span;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule's configured level: a severity, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

impl FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "off" | "allow" => Ok(Level::Off),
            "info" => Ok(Level::Info),
            "warning" | "warn" => Ok(Level::Warning),
            "error" | "deny" => Ok(Level::Error),
            other => Err(format!(
                "unknown level `{other}`: expected off, info, warning or error"
            )),
        }
    }
}

/// A location: a span in one chapter, with an optional message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Index of the chapter in reading order.
    pub chapter: usize,
    pub span: Span,
    /// Most labels say the same few words in every finding of a rule
    /// (“minority style”): those are borrowed, not copied per finding.
    pub message: Option<Cow<'static, str>>,
}

impl Label {
    pub fn new(chapter: usize, span: Span) -> Self {
        Label {
            chapter,
            span,
            message: None,
        }
    }

    pub fn with_message(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        self.message = Some(message.into());
        self
    }
}

/// One text replacement in one chapter: the bytes `span` of the chapter's
/// decoded text become `replacement` (an empty replacement deletes, an empty
/// span inserts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

impl Edit {
    pub fn replace(span: Span, replacement: impl Into<String>) -> Self {
        Edit {
            span,
            replacement: replacement.into(),
        }
    }

    pub fn delete(span: Span) -> Self {
        Edit::replace(span, "")
    }
}

/// Whether a fix may be applied without a human look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Mechanical and meaning-preserving: applied by `--fix`.
    Safe,
    /// Probably right, but a writer should look: applied only with
    /// `--unsafe-fixes`.
    Unsafe,
}

/// How to mend a finding: edits in the finding's own chapter, applied
/// together or not at all. Edits of one fix never overlap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
    /// What the fix does, for people ("replace with “…”").
    pub description: String,
}

impl Fix {
    pub fn safe(description: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix::new(description.into(), edits, Applicability::Safe)
    }

    pub fn unsafe_(description: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix::new(description.into(), edits, Applicability::Unsafe)
    }

    fn new(description: String, mut edits: Vec<Edit>, applicability: Applicability) -> Self {
        // Kept with the finding to the end of the run: a list collected
        // from a filter reserves room for four edits where most fixes
        // make one (96 bytes a finding).
        edits.shrink_to_fit();
        Fix {
            edits,
            applicability,
            description,
        }
    }
}

/// Structured facts about a finding, beside its message: what reports draw
/// (the HTML report's timeline of anachronisms, its chart of overused
/// words) and what tools read without parsing prose.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Facts {
    /// A dated thing later than the story's year.
    Anachronism {
        /// The thing's canonical name ("Mistborn").
        name: String,
        /// Its kind in the knowledge base: "book", "film", "product", "word" …
        thing: String,
        /// The year it appeared.
        year: i32,
        /// The last year of the chapter's story year (or range).
        story_year: i32,
        /// Where the story year came from ("from --year", "inferred from
        /// chapter-01.md:3").
        story_year_source: String,
    },
    /// A word used far more often than ordinary prose uses it.
    Overuse {
        /// The forms counted, commonest first ("replied", "replies").
        words: Vec<String>,
        /// Uses in the scope.
        count: usize,
        /// Uses per 10,000 words in the scope.
        per_10k: f64,
        /// Uses per 10,000 words in ordinary prose (word-frequency data).
        ordinary_per_10k: f64,
        /// True when the scope is one chapter, false for the manuscript.
        chapter: bool,
    },
    /// A paragraph found in several places, word for word or nearly.
    Copies {
        /// How many places hold it (2 for a pair).
        count: usize,
    },
    /// A phrase or sentence written again and again.
    Repetition {
        /// The repeated text, as first written (lowercased for phrases).
        text: String,
        /// How many times it occurs.
        count: usize,
    },
}

/// One finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    /// Secondary locations, possibly in other chapters.
    pub related: Vec<Label>,
    /// How to mend it; usually the same for every finding of a rule, and
    /// then borrowed rather than copied per finding.
    pub help: Option<Cow<'static, str>>,
    /// Edits in the primary label's chapter that mend the finding.
    pub fix: Option<Fix>,
    /// Structured facts for reports (see [`Facts`]).
    pub facts: Option<Box<Facts>>,
}

impl Diagnostic {
    /// How many places hold what the finding repeats (its facts' count),
    /// for a finding about copies or repetitions; `None` for others.
    /// A baseline keeps it: a third copy of a recorded pair is new.
    pub fn copies(&self) -> Option<usize> {
        match self.facts.as_deref()? {
            Facts::Copies { count } | Facts::Repetition { count, .. } => Some(*count),
            _ => None,
        }
    }

    /// Chapter order, then position, then rule id: the same order whatever
    /// the thread count.
    pub fn sort_key(&self) -> (usize, u32, u32, &str, &str) {
        (
            self.primary.chapter,
            self.primary.span.start,
            self.primary.span.end,
            self.rule.as_str(),
            self.message.as_str(),
        )
    }
}

/// What a rule hands to its context; the context stamps rule id and severity.
#[derive(Clone, Debug)]
pub struct Finding {
    pub message: String,
    pub primary: Label,
    pub related: Vec<Label>,
    pub help: Option<Cow<'static, str>>,
    pub fix: Option<Fix>,
    pub facts: Option<Box<Facts>>,
}

impl Finding {
    pub fn new(chapter: usize, span: Span, message: impl Into<String>) -> Self {
        Finding {
            message: message.into(),
            primary: Label::new(chapter, span),
            related: Vec::new(),
            help: None,
            fix: None,
            facts: None,
        }
    }

    pub fn label(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        self.primary.message = Some(message.into());
        self
    }

    pub fn related(mut self, label: Label) -> Self {
        // Most findings have one related place: room for exactly one, not
        // the four a first push reserves (120 bytes a finding).
        if self.related.capacity() == 0 {
            self.related.reserve_exact(1);
        }
        self.related.push(label);
        self
    }

    pub fn help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn facts(mut self, facts: Facts) -> Self {
        self.facts = Some(Box::new(facts));
        self
    }
}
