//! The rule framework: metadata, the [`Rule`] trait and the context rules
//! report into. Rules never print; they push [`Finding`]s into a
//! [`RuleContext`], which stamps the rule id and configured severity.

use std::borrow::Cow;
use std::fmt;

use serde::de::DeserializeOwned;

use crate::config::Config;
use crate::diagnostic::{Applicability, Diagnostic, Finding, Severity};
use crate::text::{Chapter, Manuscript};

/// What kind of defect a rule looks for; shown in `manulint rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// Left-over notes, placeholders and scaffolding.
    Draft,
    /// Slips a proofreader would mark: doubled words.
    Typo,
    /// Duplicated text, repeated phrases and echoes.
    Repetition,
    /// Things that did not exist yet in the story's year.
    Chronology,
    /// Quotes, dashes, ellipses.
    Typography,
    /// One manuscript, one spelling.
    Consistency,
    /// Damaged files: truncated text.
    Structure,
    /// Stock phrases and habits of style.
    Style,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Draft => "draft",
            Category::Typo => "typo",
            Category::Repetition => "repetition",
            Category::Chronology => "chronology",
            Category::Typography => "typography",
            Category::Consistency => "consistency",
            Category::Structure => "structure",
            Category::Style => "style",
        }
    }

    pub fn parse(name: &str) -> Option<Category> {
        [
            Category::Draft,
            Category::Typo,
            Category::Repetition,
            Category::Chronology,
            Category::Typography,
            Category::Consistency,
            Category::Structure,
            Category::Style,
        ]
        .into_iter()
        .find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a rule looks at one chapter at a time (run in parallel) or at the
/// whole manuscript at once (duplicates across chapters, consistency).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Chapter,
    Manuscript,
}

/// A rule's metadata. Docs are Markdown with the sections
/// `What it does`, `Why`, `Example` and `Options`.
#[derive(Clone, Debug)]
pub struct RuleMeta {
    pub id: Cow<'static, str>,
    pub category: Category,
    pub default_severity: Severity,
    pub scope: Scope,
    pub summary: Cow<'static, str>,
    pub docs: Cow<'static, str>,
    /// The fix the rule offers for (some of) its findings: `Safe` ones are
    /// applied by `--fix`, `Unsafe` ones only with `--unsafe-fixes`; `None`
    /// when it offers none.
    pub fix: Option<Applicability>,
}

/// The names of [`Rule::analysis_family`].
pub mod family {
    /// Duplicate detection, and the word analysis of the echo rules built
    /// on it (it leaves out the copies the duplicate rules report).
    pub const DUPLICATES: &str = "duplicates";
    /// Capitalisation statistics, the name index built on them, and the
    /// rule packs' phrase hits (one cache for every pack rule).
    pub const CAPITALISATION: &str = "capitalisation";
    /// Each chapter's story year.
    pub const STORY_YEARS: &str = "story-years";
}

/// The sections every rule's docs must have.
pub const DOC_SECTIONS: [&str; 4] = ["What it does", "Why", "Example", "Options"];

/// A shared analysis that reads no other (see
/// [`Rule::independent_analyses`]).
pub struct IndependentAnalysis<'a> {
    /// Names the analysis with the settings it is built with: rules that
    /// give equal keys share one build.
    pub key: String,
    /// Builds it into the manuscript's shared analyses
    /// ([`Manuscript::shared`]).
    pub build: Box<dyn Fn(&Manuscript) + Send + Sync + 'a>,
}

impl<'a> IndependentAnalysis<'a> {
    pub fn new(key: String, build: impl Fn(&Manuscript) + Send + Sync + 'a) -> Self {
        IndependentAnalysis {
            key,
            build: Box::new(build),
        }
    }
}

/// A configured, ready-to-run rule.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &RuleMeta;

    /// The analysis stage: builds the shared analyses this rule reads (with
    /// [`Manuscript::shared`]) so that its checks only read them.
    ///
    /// The engine calls `prepare` for every enabled rule before any check
    /// runs: the rules of one [`Rule::analysis_family`] one after another,
    /// different families side by side; a builder may use the rayon pool
    /// itself. A check that finds an analysis missing builds it without
    /// waiting on other threads, so forgetting `prepare` costs time, never a
    /// hang.
    fn prepare(&self, _manuscript: &Manuscript) {}

    /// The shared analyses [`Rule::prepare`] reads that read no other
    /// shared analysis (duplicate detection; the echo rules' lexicon). The
    /// engine builds a family's distinct ones side by side, each once,
    /// before the family's `prepare`s run in order: two analyses that do not
    /// depend on each other need not wait for each other. Empty (the
    /// default) for a rule whose analyses all depend on one another.
    fn independent_analyses(&self) -> Vec<IndependentAnalysis<'_>> {
        Vec::new()
    }

    /// The family of shared analyses [`Rule::prepare`] builds, named after
    /// the first of them: rules that build or read the same analyses give
    /// the same name, so the engine prepares them in order on one thread
    /// and none is built twice; families share nothing and are prepared in
    /// parallel. `None` (the default) for a rule without a `prepare`.
    fn analysis_family(&self) -> Option<&'static str> {
        None
    }

    /// Called once the rule's whole family has finished its checks: lets
    /// go of the manuscript-wide analyses the family built (with
    /// [`Manuscript::release_shared`], which keeps them for a manuscript
    /// checked again and again). Families share no analyses, so nothing
    /// reads them again; held to the end of the run they sat beside the
    /// other families' work and the findings (in a 100 MB chapter, the
    /// echo tokens, the name index and the duplicate detection were 80 MB
    /// of the run's peak). Nothing by default.
    fn release_analyses(&self, _manuscript: &Manuscript) {}

    /// Called once per chapter (chapters run in parallel) for
    /// [`Scope::Chapter`] rules.
    fn check_chapter(&self, _chapter: &Chapter, _ctx: &mut RuleContext) {}

    /// Called once for [`Scope::Manuscript`] rules.
    fn check_manuscript(&self, _manuscript: &Manuscript, _ctx: &mut RuleContext) {}
}

/// Collects one rule's findings and stamps them with its id and severity.
pub struct RuleContext<'a> {
    rule: &'a str,
    severity: Severity,
    diagnostics: Vec<Diagnostic>,
    notes: Vec<String>,
    notices: Vec<String>,
}

impl<'a> RuleContext<'a> {
    pub fn new(rule: &'a str, severity: Severity) -> Self {
        RuleContext {
            rule,
            severity,
            diagnostics: Vec::new(),
            notes: Vec::new(),
            notices: Vec::new(),
        }
    }

    pub fn report(&mut self, finding: Finding) {
        self.report_with_severity(finding, self.severity);
    }

    /// For a rule whose findings differ in weight (document it in the rule's
    /// docs); `report` uses the configured severity.
    pub fn report_with_severity(&mut self, finding: Finding, severity: Severity) {
        self.diagnostics.push(Diagnostic {
            rule: self.rule.to_string(),
            severity,
            message: finding.message,
            primary: finding.primary,
            related: finding.related,
            help: finding.help,
            fix: finding.fix,
            facts: finding.facts,
        });
    }

    /// A message for `--verbose`: why a rule did or did not run somewhere.
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(format!("{}: {}", self.rule, note.into()));
    }

    /// A line every run shows (on stderr, so machine formats stay clean):
    /// what the rule could not check and how to make it (“no story year in
    /// …; set it with --year”). Say it once per run, not once per chapter.
    pub fn notice(&mut self, notice: impl Into<String>) {
        self.notices
            .push(format!("{}: {}", self.rule, notice.into()));
    }

    pub fn severity(&self) -> Severity {
        self.severity
    }

    pub fn into_output(mut self) -> RuleOutput {
        // Kept to the end of the run: without the slack of growing by
        // doubling (a rule with 76,000 findings left 11 MB unused).
        self.diagnostics.shrink_to_fit();
        RuleOutput {
            diagnostics: self.diagnostics,
            notes: self.notes,
            notices: self.notices,
        }
    }
}

/// What one rule reported: findings, `--verbose` notes and notices.
#[derive(Clone, Debug, Default)]
pub struct RuleOutput {
    pub diagnostics: Vec<Diagnostic>,
    pub notes: Vec<String>,
    pub notices: Vec<String>,
}

/// Everything a rule may read while being built.
pub struct RuleSetup<'a> {
    /// The rule's own table from `[rules.<id>]`, without `level`.
    pub options: &'a toml::Table,
    pub config: &'a Config,
}

impl RuleSetup<'_> {
    /// Deserializes the rule's options into its typed options struct (which
    /// should use `#[serde(default, deny_unknown_fields)]`).
    pub fn options<T: DeserializeOwned>(&self) -> Result<T, String> {
        toml::Value::Table(self.options.clone())
            .try_into()
            .map_err(|e: toml::de::Error| e.message().to_string())
    }

    /// For a rule with no options: an error naming the first key of its
    /// table, in serde's words for a struct with no fields, so a misspelt
    /// `levle` or an option it does not take is not silently ignored.
    pub fn no_options(&self) -> Result<(), String> {
        match self.options.keys().next() {
            None => Ok(()),
            Some(key) => Err(format!("unknown field `{key}`, there are no fields")),
        }
    }
}

/// Checks a numeric rule option that is a threshold: a number of 0 or more
/// (`inf` included: a threshold nothing reaches, or everything stays under).
/// TOML reads `nan` and negative numbers as floats too, and a threshold of
/// NaN compares with nothing, so a rule would quietly apply none of its
/// test. `Err` names the option (`option`, as written in `manulint.toml`)
/// and what it takes, for the build error.
pub fn non_negative_threshold(option: &str, value: f64) -> Result<(), String> {
    if value >= 0.0 {
        Ok(())
    } else {
        Err(format!(
            "`{option}` must be a number of 0 or more, not {value}"
        ))
    }
}

/// A code rule in the registry: its static metadata and how to build it.
pub struct RuleFactory {
    pub meta: &'static RuleMeta,
    pub build: fn(&RuleSetup) -> Result<Box<dyn Rule>, String>,
}

/// Declares a rule's metadata with its docs as doc comments, next to the code
/// (the way clippy declares lints):
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// …
///     pub static DOUBLED_WORD = {
///         id: "doubled-word",
///         category: Typo,
///         severity: Warning,
///         scope: Chapter,
///         summary: "A word repeated by accident (“the the”)",
///         fix: Safe, // optional: the fix the rule offers (Safe or Unsafe)
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $name:ident = {
            id: $id:literal,
            category: $category:ident,
            severity: $severity:ident,
            scope: $scope:ident,
            summary: $summary:literal
            $(, fix: $fix:ident)? $(,)?
        }
    ) => {
        $vis static $name: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
            id: ::std::borrow::Cow::Borrowed($id),
            category: $crate::rule::Category::$category,
            default_severity: $crate::diagnostic::Severity::$severity,
            scope: $crate::rule::Scope::$scope,
            summary: ::std::borrow::Cow::Borrowed($summary),
            docs: ::std::borrow::Cow::Borrowed(concat!($($doc, "\n"),*)),
            fix: $crate::declare_rule!(@fix $($fix)?),
        };
    };
    (@fix) => { None };
    (@fix $fix:ident) => { Some($crate::diagnostic::Applicability::$fix) };
}

impl RuleMeta {
    /// The docs as Markdown: doc comments carry one leading space per line.
    pub fn docs_markdown(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string() + "\n"
    }
}
