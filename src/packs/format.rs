//! The pack file format, its validation and its errors.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::config::ConfigError;
use crate::diagnostic::{Applicability, Severity};
use crate::language::Language;
use crate::rule::{Category, DOC_SECTIONS, RuleMeta, Scope};

/// What a pack rule does with its matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackKind {
    /// Phrases or patterns that should not appear.
    Existence,
    /// "Use X instead of Y": `swap = { "Y" = "X" }`.
    Substitution,
    /// Groups of variants; the manuscript should pick one.
    Consistency,
    /// A pattern used more often than `max` times per `per` words.
    Occurrence,
}

/// Which text a pack rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PackScope {
    #[default]
    All,
    Narration,
    Dialogue,
    Headings,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    pack: RawHeader,
    #[serde(default)]
    rules: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    #[allow(dead_code)] // documents the file
    name: String,
    #[allow(dead_code)] // documents the file
    #[serde(default)]
    description: String,
    /// The language the pack's phrases are in (`"en"`); its rules skip
    /// chapters in another language. Unset: every language.
    #[serde(default)]
    language: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    kind: PackKind,
    category: Spanned<String>,
    severity: Severity,
    #[serde(default)]
    scope: PackScope,
    summary: String,
    docs: Spanned<String>,
    message: String,
    #[serde(default)]
    help: Option<String>,
    #[serde(default = "yes")]
    ignore_case: bool,
    #[serde(default)]
    phrases: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    /// Patterns applied to headings only, whatever the rule's scope.
    #[serde(default)]
    heading_patterns: Vec<Spanned<String>>,
    #[serde(default)]
    groups: Vec<Spanned<Vec<String>>>,
    #[serde(default)]
    swap: BTreeMap<String, String>,
    #[serde(default)]
    learn_compounds: bool,
    /// Consistency rules: what each position of a group stands for
    /// (`["American", "British"]`), so that a manuscript can `prefer` one.
    #[serde(default)]
    variant_names: Vec<String>,
    /// The fix the rule offers: "safe" or "unsafe" (see `PackFix`).
    #[serde(default)]
    fix: Option<Applicability>,
    #[serde(default)]
    max: Option<u32>,
    #[serde(default)]
    per: Option<u32>,
    #[serde(default)]
    tests: Vec<Spanned<String>>,
    #[serde(default)]
    allows: Vec<Spanned<String>>,
}

fn yes() -> bool {
    true
}

/// A phrase to find, after `(a|b)` expansion.
#[derive(Clone, Debug)]
pub struct Phrase {
    /// As written (one expansion), for messages and `allow`.
    pub text: String,
    /// The consistency group and variant, or the substitution's replacement.
    pub group: Option<(u32, u32)>,
    pub replacement: Option<String>,
}

/// One of a rule's in-file `tests` or `allows`: the text, and where the
/// pack file writes it (for errors).
#[derive(Clone, Debug)]
pub struct Case {
    pub text: String,
    pub span: Range<usize>,
}

impl From<Spanned<String>> for Case {
    fn from(spanned: Spanned<String>) -> Self {
        Case {
            span: spanned.span(),
            text: spanned.into_inner(),
        }
    }
}

/// One validated pack rule.
#[derive(Clone, Debug)]
pub struct RuleSpec {
    pub id: String,
    pub id_span: Range<usize>,
    pub kind: PackKind,
    pub category: Category,
    pub severity: Severity,
    pub scope: PackScope,
    pub summary: String,
    pub docs: String,
    pub message: String,
    pub help: Option<String>,
    pub ignore_case: bool,
    pub phrases: Vec<Phrase>,
    /// Regex sources, with apostrophes widened and `(?i)` added as needed.
    pub patterns: Vec<String>,
    /// Per pattern: applied to headings only (`heading_patterns`).
    pub heading_only: Vec<bool>,
    pub learn_compounds: bool,
    /// Consistency rules: the name of each position of a group
    /// (`["American", "British"]`); positions past the list are further
    /// variants of no name. Empty: the rule cannot `prefer` one.
    pub variant_names: Vec<String>,
    /// What `fix` offers, by kind: consistency → the majority spelling,
    /// substitution → the replacement, existence → deleting the heading's
    /// line when the match is in a heading (matches in paragraphs get no
    /// fix). `None`: no fix.
    pub fix: Option<Applicability>,
    pub max: u32,
    pub per: u32,
    /// Texts the rule must flag, checked when a user pack loads (and by
    /// `cargo test` for the shipped packs).
    pub tests: Vec<Case>,
    /// Texts the rule must not flag.
    pub allows: Vec<Case>,
    /// The pack's `language`: its rules only check chapters in it.
    pub language: Option<Language>,
}

impl RuleSpec {
    pub fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: Cow::Owned(self.id.clone()),
            category: self.category,
            default_severity: self.severity,
            scope: if self.kind == PackKind::Consistency {
                Scope::Manuscript
            } else {
                Scope::Chapter
            },
            summary: Cow::Owned(self.summary.clone()),
            docs: Cow::Owned(self.docs.clone()),
            fix: self.fix,
        }
    }
}

/// Parses and validates one pack file.
pub fn parse_pack(path: &Path, text: &str) -> Result<Vec<RuleSpec>, Box<PackError>> {
    parse(path, text, Trust::User)
}

/// Whether a pack's patterns need compiling to be checked.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Trust {
    /// A user's pack: every pattern is compiled once here to refuse what
    /// would misbehave (see [`check_pattern`]).
    User,
    /// A pack shipped in the binary: its patterns are checked by a test
    /// (`embedded_patterns_pass_the_user_checks`), not on every run, where
    /// compiling them twice cost a third of a one-chapter run.
    Embedded,
}

/// [`parse_pack`], skipping the pattern checks for a [`Trust::Embedded`] pack.
pub(super) fn parse(
    path: &Path,
    text: &str,
    trust: Trust,
) -> Result<Vec<RuleSpec>, Box<PackError>> {
    let raw: RawPack = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_string();
        Box::new(pack_error_at(
            path,
            text,
            e.span().unwrap_or(0..0),
            message,
            "fix the pack at the marked place; docs/packs.md describes the format",
        ))
    })?;
    let err = |span: Range<usize>, message: String, help: &str| {
        Box::new(pack_error_at(path, text, span, message, help))
    };
    let language = match &raw.pack.language {
        Some(tag) => Some(Language::parse(tag.get_ref()).map_err(|message| {
            err(
                tag.span(),
                message,
                "set `language` in [pack] to the language of its phrases, e.g. \"en\"",
            )
        })?),
        None => None,
    };
    let mut out = Vec::new();
    for spanned in raw.rules {
        let rule_span = spanned.span();
        let raw = spanned.into_inner();
        let id = raw.id.get_ref().clone();
        let kebab = !id.is_empty()
            && id.split('-').all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            });
        if !kebab {
            return Err(err(
                raw.id.span(),
                format!("rule id `{id}` is not kebab-case"),
                "use lowercase words joined by hyphens, e.g. `house-style`",
            ));
        }
        let category = Category::parse(raw.category.get_ref()).ok_or_else(|| {
            err(
                raw.category.span(),
                format!("unknown category `{}`", raw.category.get_ref()),
                "use one of draft, typo, repetition, chronology, typography, consistency, structure, style",
            )
        })?;
        let docs = raw.docs.get_ref();
        for section in DOC_SECTIONS {
            if !docs.lines().any(|l| {
                l.trim_start().starts_with('#') && l.trim_start_matches('#').trim() == section
            }) {
                return Err(err(
                    raw.docs.span(),
                    format!("the docs of rule `{id}` lack a `## {section}` section"),
                    "docs need the sections What it does, Why, Example and Options",
                ));
            }
        }
        let mut phrases = Vec::new();
        for phrase in &raw.phrases {
            let expanded = expand(phrase.get_ref())
                .map_err(|m| err(phrase.span(), m, "write groups as (a|b), not nested"))?;
            phrases.extend(expanded.into_iter().map(|text| Phrase {
                text,
                group: None,
                replacement: None,
            }));
        }
        for (from, to) in &raw.swap {
            let expanded =
                expand(from).map_err(|m| err(rule_span.clone(), m, "write groups as (a|b)"))?;
            phrases.extend(expanded.into_iter().map(|text| Phrase {
                text,
                group: None,
                replacement: Some(to.clone()),
            }));
        }
        for (g, group) in raw.groups.iter().enumerate() {
            if group.get_ref().len() < 2 {
                return Err(err(
                    group.span(),
                    "a consistency group needs at least two variants".to_string(),
                    "list every spelling of the word: [\"gray\", \"grey\"]",
                ));
            }
            for (v, variant) in group.get_ref().iter().enumerate() {
                phrases.push(Phrase {
                    text: variant.clone(),
                    group: Some((g as u32, v as u32)),
                    replacement: None,
                });
            }
        }
        if phrases.iter().any(|p| p.text.trim().is_empty()) {
            return Err(err(
                rule_span.clone(),
                format!("rule `{id}` has an empty phrase"),
                "remove the empty string",
            ));
        }
        let kind_ok = match raw.kind {
            PackKind::Existence | PackKind::Occurrence => {
                raw.groups.is_empty() && raw.swap.is_empty()
            }
            PackKind::Substitution => !raw.swap.is_empty() && raw.groups.is_empty(),
            PackKind::Consistency => {
                (!raw.groups.is_empty() || raw.learn_compounds)
                    && raw.phrases.is_empty()
                    && raw.patterns.is_empty()
                    && raw.heading_patterns.is_empty()
                    && raw.swap.is_empty()
            }
        };
        let mut all_patterns: Vec<(&Spanned<String>, bool)> =
            raw.patterns.iter().map(|p| (p, false)).collect();
        all_patterns.extend(raw.heading_patterns.iter().map(|p| (p, true)));
        let nothing = phrases.is_empty() && all_patterns.is_empty() && !raw.learn_compounds;
        if !kind_ok || nothing {
            return Err(err(
                raw.id.span(),
                format!("rule `{id}` has keys that do not fit its kind"),
                "existence and occurrence rules take `phrases`/`patterns`; substitution takes `swap`; consistency takes `groups` (and `learn_compounds`)",
            ));
        }
        if raw.kind != PackKind::Occurrence && (raw.max.is_some() || raw.per.is_some()) {
            return Err(err(
                raw.id.span(),
                format!("`max` and `per` only apply to occurrence rules (rule `{id}`)"),
                "remove them, or make the rule `kind = \"occurrence\"`",
            ));
        }
        let fixable = match raw.kind {
            PackKind::Consistency | PackKind::Substitution => true,
            PackKind::Existence => true,
            PackKind::Occurrence => false,
        };
        if raw.fix.is_some() && !fixable {
            return Err(err(
                raw.id.span(),
                format!("rule `{id}` cannot offer a fix"),
                "`fix` applies to consistency rules (majority spelling), substitution rules (the replacement) and existence rules (deleting a matched heading)",
            ));
        }
        if raw.learn_compounds && raw.kind != PackKind::Consistency {
            return Err(err(
                raw.id.span(),
                "`learn_compounds` only applies to consistency rules".to_string(),
                "remove it",
            ));
        }
        if !raw.variant_names.is_empty() && raw.kind != PackKind::Consistency {
            return Err(err(
                raw.id.span(),
                "`variant_names` only applies to consistency rules".to_string(),
                "remove it",
            ));
        }
        let mut patterns = Vec::new();
        let mut heading_only = Vec::new();
        for (pattern, headings) in all_patterns {
            let mut source = widen_apostrophes(pattern.get_ref());
            if raw.ignore_case {
                source = format!("(?i){source}");
            }
            if trust == Trust::User {
                check_pattern(&id, &source)
                    .map_err(|(message, help)| err(pattern.span(), message, help))?;
            }
            patterns.push(source);
            heading_only.push(headings);
        }
        out.push(RuleSpec {
            id,
            id_span: raw.id.span(),
            kind: raw.kind,
            category,
            severity: raw.severity,
            scope: raw.scope,
            summary: raw.summary,
            docs: raw.docs.into_inner(),
            message: raw.message,
            help: raw.help,
            ignore_case: raw.ignore_case,
            phrases,
            patterns,
            heading_only,
            learn_compounds: raw.learn_compounds,
            variant_names: raw.variant_names,
            fix: raw.fix,
            max: raw.max.unwrap_or(1),
            per: raw.per.unwrap_or(1000).max(1),
            tests: raw.tests.into_iter().map(Case::from).collect(),
            allows: raw.allows.into_iter().map(Case::from).collect(),
            language: language.clone(),
        });
    }
    Ok(out)
}

/// Compiles a pattern the way the matcher will, and refuses what would
/// misbehave there: a syntax error, a pattern too big once compiled (the
/// regex crate is linear-time, but a counted repetition like `\w{1000}{100}`
/// compiles to megabytes; it stops at [`REGEX_SIZE_LIMIT`] instead of
/// exhausting memory), and a pattern that can match the empty string (it
/// would match between every two characters).
///
/// Errors: `(message, help)`.
pub(super) fn check_pattern(id: &str, source: &str) -> Result<(), (String, &'static str)> {
    let regex = regex::RegexBuilder::new(source)
        .size_limit(REGEX_SIZE_LIMIT)
        .build();
    match regex {
        Ok(_) => {}
        Err(regex::Error::CompiledTooBig(limit)) => {
            return Err((
                format!(
                    "pattern of rule `{id}` is too big once compiled (over {} MiB)",
                    limit / (1024 * 1024)
                ),
                "use smaller repetition counts (`{1,20}`, not `{1,1000}`), and `[a-z]` rather \
                 than `\\w` inside a repetition (Unicode classes are large)",
            ));
        }
        Err(e) => {
            return Err((
                format!("bad regex in rule `{id}`: {}", first_line(&e.to_string())),
                "patterns use Rust regex syntax (no look-around or back-references)",
            ));
        }
    }
    let hir = regex_syntax::Parser::new().parse(source).map_err(|e| {
        (
            format!("bad regex in rule `{id}`: {}", first_line(&e.to_string())),
            "patterns use Rust regex syntax (no look-around or back-references)",
        )
    })?;
    if hir.properties().minimum_len() == Some(0) {
        return Err((
            format!("pattern of rule `{id}` can match the empty string"),
            "make every match at least one character: `+` rather than `*`, no `?` or empty \
             `|` alternative around the whole pattern, and no pattern of only `\\b` or `^`",
        ));
    }
    Ok(())
}

/// The compiled-size limit of one pack pattern: the regex crate's default.
pub const REGEX_SIZE_LIMIT: usize = 10 * 1024 * 1024;

fn first_line(s: &str) -> String {
    s.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
        .to_string()
}

/// Expands `(a|b)` groups into every combination: `heart (raced|pounded)` →
/// `heart raced`, `heart pounded`. Groups do not nest. Runs of spaces left by
/// an empty alternative collapse to one.
pub fn expand(phrase: &str) -> Result<Vec<String>, String> {
    let mut results = vec![String::new()];
    let mut rest = phrase;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            return Err(format!("unclosed `(` in phrase “{phrase}”"));
        };
        let inner = &rest[open + 1..close];
        if inner.contains('(') {
            return Err(format!("nested `(` in phrase “{phrase}”"));
        }
        let head = &rest[..open];
        let options: Vec<&str> = inner.split('|').collect();
        results = results
            .iter()
            .flat_map(|r| options.iter().map(move |o| format!("{r}{head}{o}")))
            .collect();
        rest = &rest[close + 1..];
        if results.len() > 4096 {
            return Err(format!("phrase “{phrase}” expands to too many variants"));
        }
    }
    if rest.contains(')') {
        return Err(format!("unmatched `)` in phrase “{phrase}”"));
    }
    Ok(results
        .into_iter()
        .map(|r| super::matcher::collapse_whitespace(r + rest))
        .collect())
}

/// Makes a straight apostrophe in a regex also match a curly one.
pub fn widen_apostrophes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            out.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                out.push(c);
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '\'' if in_class => out.push_str("'’"),
            '\'' => out.push_str("['’]"),
            _ => out.push(c),
        }
    }
    out
}

/// A broken rule pack: the same error type as a broken config, with the
/// code `manulint::pack`.
pub type PackError = ConfigError;

/// An error at `span` of a pack file, naming its path and line.
pub fn pack_error_at(
    path: &Path,
    text: &str,
    span: Range<usize>,
    message: String,
    help: &str,
) -> PackError {
    let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
    let message = format!(
        "invalid rule pack {}, line {line}: {message}",
        path.display()
    );
    ConfigError::in_file(PACK_CODE, path, text, span, message, help)
}

/// An error about packs with no place in a file to point at.
pub fn pack_error(message: String, help: &str) -> PackError {
    ConfigError::usage(message, help.to_string()).with_code(PACK_CODE)
}

const PACK_CODE: &str = "manulint::pack";
