//! Inline suppression directives.
//!
//! Markdown chapters use HTML comments, plain-text chapters a line of its own
//! starting with `%%` (which the plain-text parser masks out of the prose):
//!
//! ```text
//! <!-- manulint-disable RULE[, RULE] -->   … until enable or end of file
//! <!-- manulint-enable [RULE, …] -->       ends those (or all) disables
//! <!-- manulint-disable-next RULE -->      the next paragraph or heading only
//! <!-- manulint-disable-file RULE -->      the whole file (put it at the top)
//! %% manulint-disable RULE                 the same four, in plain text
//! %% manulint-disable RULE %%              and in Markdown, as an Obsidian comment
//! ```
//!
//! A reason may follow the ids after `--` (`<!-- manulint-disable-next
//! draft-marker -- the name comes in chapter 9 -->`). A directive in the
//! wrong comment for its chapter (an HTML comment in plain text, an
//! unclosed `%%` line in Markdown) suppresses nothing and is warned about.
//!
//! Word chapters (`.docx`) take the same four from a Word comment whose
//! text is the directive (it covers the paragraphs the comment is anchored
//! on; `disable` there means those paragraphs only) or from hidden text
//! (`w:vanish`) in a paragraph; the reader turns both into HTML comments
//! in the chapter's rendering (see [`crate::docx`]).
//!
//! With no rule ids a directive applies to every rule. A finding is
//! suppressed when its primary location starts inside a suppressed range.
//! Unknown rule ids and unknown directives never suppress anything: they
//! become `bad-directive` warnings pointing at the typo.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::text::{Chapter, Manuscript, Span};

/// The rule id of warnings about malformed directives.
pub const BAD_DIRECTIVE: &str = "bad-directive";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    Disable,
    Enable,
    DisableNext,
    DisableFile,
}

impl DirectiveKind {
    fn parse(name: &str) -> Option<Self> {
        match name {
            "disable" => Some(DirectiveKind::Disable),
            "enable" => Some(DirectiveKind::Enable),
            "disable-next" => Some(DirectiveKind::DisableNext),
            "disable-file" => Some(DirectiveKind::DisableFile),
            _ => None,
        }
    }
}

/// One directive as written in a chapter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// `None` when the name after `manulint-` is not a known directive.
    pub kind: Option<DirectiveKind>,
    /// The name as written, prefix included (`manulint-disable`,
    /// `manulint-disabel`, `MANULINT-DISABLE` …), and its span.
    pub name: (String, Span),
    /// The rule ids listed, each with its span; empty means every rule.
    pub rules: Vec<(String, Span)>,
    /// The whole comment or line.
    pub span: Span,
}

// The prefix is read in any case, so that `MANULINT-DISABLE` is warned
// about rather than passed over as an ordinary comment.
static MARKDOWN_DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--[ \t]*((?i:manulint)[-:][A-Za-z-]*)((?s:.*?))-->").expect("static regex")
});

static PLAIN_DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*%%[ \t]*((?i:manulint)[-:][A-Za-z-]*)([^\r\n]*)").expect("static regex")
});

/// Whether `text` starts with the directive prefix `manulint-`, in any
/// case (or `manulint:`, another linter's form, warned about).
pub(crate) fn starts_with_prefix(text: &str) -> bool {
    // Compared as bytes: the text may hold any character where the prefix
    // has its letters (slicing it as text panicked inside one).
    let (bytes, prefix) = (text.as_bytes(), PREFIX.as_bytes());
    bytes.len() >= prefix.len()
        && bytes[..prefix.len() - 1].eq_ignore_ascii_case(&prefix[..prefix.len() - 1])
        && matches!(bytes[prefix.len() - 1], b'-' | b':')
}

const PREFIX: &str = "manulint-";

/// What a directive written `written` (prefix included, not a known
/// directive as it stands) was meant to be, if that is clear: the same in
/// lowercase, a near spelling, or another linter's form
/// (`disable-next-line`, `disable-line`).
fn meant_directive(written: &str) -> Option<&'static str> {
    const NAMES: [&str; 4] = [
        "manulint-disable",
        "manulint-enable",
        "manulint-disable-next",
        "manulint-disable-file",
    ];
    let lower = written.to_ascii_lowercase().replacen(':', "-", 1);
    if let Some(name) = NAMES.iter().find(|n| **n == lower) {
        return Some(name);
    }
    if lower.starts_with("manulint-disable-next") || lower == "manulint-disable-line" {
        return Some("manulint-disable-next");
    }
    crate::config::did_you_mean(&lower, NAMES.iter().copied())
}

static RULE_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[^\s,]+").expect("static regex"));

/// Every directive in a chapter, in file order.
pub fn directives(chapter: &Chapter) -> Vec<Directive> {
    let markdown = chapter.format.is_markdown();
    let text = &*chapter.text;
    // Cheap test first: most chapters have no directive at all, and then
    // the pattern is not even compiled.
    if !chapter.mentions_directives() {
        return Vec::new();
    }
    // In Markdown only real HTML comments count, not examples in code,
    // and Obsidian's `%% … %%` comments, which the parser blanks out of
    // the prose (see `text::markup`).
    let html = if markdown {
        html_ranges(text)
    } else {
        Vec::new()
    };
    let in_comment = |start: usize| match markdown {
        true => html.iter().any(|r| r.contains(&start)),
        false => true,
    };
    let markdown_matches = markdown.then(|| MARKDOWN_DIRECTIVE.captures_iter(text));
    let plain_matches = PLAIN_DIRECTIVE.captures_iter(text).filter(|caps| {
        !markdown || obsidian_comment(chapter, caps.get(0).map_or(0, |m| m.start()))
    });
    let mut found: Vec<regex::Captures> = markdown_matches
        .into_iter()
        .flatten()
        .filter(|caps| caps.get(0).is_some_and(|m| in_comment(m.start())))
        .chain(plain_matches)
        .collect();
    if markdown {
        found.sort_by_key(|caps| caps.get(0).map_or(0, |m| m.start()));
    }
    found
        .into_iter()
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let name = caps.get(1)?;
            let list = caps.get(2)?;
            // A colon after the name (`manulint-disable: rule`, or with no
            // space, `manulint-disable:rule`) and after an id (`rule:`)
            // are punctuation. The list ends at `--`, after which a reason
            // may follow (`rule -- named later`, as ESLint's directives
            // take one), and at an Obsidian comment's closing `%%` (`rule
            // %%` or `rule%%`), after which the line is text.
            let mut rules = Vec::new();
            for m in RULE_ID.find_iter(list.as_str()) {
                let mut start = list.start() + m.start();
                let mut id = m.as_str();
                if id == "--" || id.starts_with("%%") {
                    break;
                }
                if m.start() == 0
                    && let Some(rest) = id.strip_prefix(':')
                {
                    (id, start) = (rest, start + 1);
                }
                let closes = id.ends_with("%%");
                let id = id.trim_end_matches('%').trim_end_matches([':', ';']);
                if !id.is_empty() {
                    rules.push((id.to_string(), Span::new(start, start + id.len())));
                }
                if closes {
                    break;
                }
            }
            // Only the exact lowercase form is a directive; another case is
            // warned about (see `meant_directive`).
            let kind = name
                .as_str()
                .strip_prefix(PREFIX)
                .and_then(DirectiveKind::parse);
            Some(Directive {
                kind,
                name: (
                    name.as_str().to_string(),
                    Span::new(name.start(), name.end()),
                ),
                rules,
                span: Span::new(whole.start(), whole.end()),
            })
        })
        .collect()
}

/// Whether the `%%` line matched at `start` of a Markdown chapter is an
/// Obsidian comment: closed, so the parser blanked it out of the prose.
fn obsidian_comment(chapter: &Chapter, start: usize) -> bool {
    let text = &*chapter.text;
    let at = start + (text[start..].len() - text[start..].trim_start().len());
    chapter
        .prose
        .as_bytes()
        .get(at..at + 2)
        .is_some_and(|marks| marks == b"  ")
}

/// Directives that suppress nothing for their form: a `%%` line left
/// unclosed in a Markdown chapter (closed, it is an Obsidian comment and a
/// directive) or an HTML comment in a plain-text one. Each with its span
/// and the form that works there. Only those in the prose count, not
/// examples in Markdown code.
pub fn other_form_directives(chapter: &Chapter) -> Vec<(Span, &'static str, &'static str)> {
    let text = &*chapter.text;
    if !chapter.mentions_directives() {
        return Vec::new();
    }
    let (pattern, message, help) = if chapter.format.is_markdown() {
        (
            &*PLAIN_DIRECTIVE,
            "this `%%` directive is not closed, so it is text and suppresses nothing",
            "close it as an Obsidian comment, `%% manulint-disable-next RULE %%`, or write an HTML comment: `<!-- manulint-disable-next RULE -->`",
        )
    } else {
        (
            &*MARKDOWN_DIRECTIVE,
            "an HTML comment is no directive in a plain-text chapter; it suppresses nothing",
            "write the directive on a line of its own: `%% manulint-disable-next RULE`",
        )
    };
    pattern
        .find_iter(text)
        .map(|m| {
            // The plain pattern takes the line's leading spaces.
            let start = m.start() + (m.as_str().len() - m.as_str().trim_start().len());
            Span::new(start, m.end())
        })
        .filter(|span| {
            chapter
                .prose
                .get(span.range())
                .is_some_and(|prose| prose == &text[span.range()])
        })
        .map(|span| (span, message, help))
        .collect()
}

/// Byte ranges of raw HTML (block and inline) in a Markdown text.
fn html_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Options, Parser};
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(text, options)
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Html(_) | Event::InlineHtml(_)))
        .map(|(_, range)| range)
        .collect()
}

/// A suppressed range: `rules` (`None`: every rule) within `span`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Range {
    rules: Option<Vec<String>>,
    span: Span,
}

/// The suppressed ranges of one chapter, and warnings about its directives.
#[derive(Debug, Default)]
pub struct ChapterSuppressions {
    ranges: Vec<Range>,
    pub warnings: Vec<Diagnostic>,
}

impl ChapterSuppressions {
    /// Resolves a chapter's directives. `known` is every rule id (a name
    /// not among them is a typo, told with the nearest id); `severity` is
    /// the level of `bad-directive` warnings (`None`: that rule is off).
    pub fn new(chapter: &Chapter, known: &[String], severity: Option<Severity>) -> Self {
        let mut out = ChapterSuppressions::default();
        let end_of_file = chapter.text.len();
        // Open `disable` ranges: rule id (`None`: all) → start offset.
        let mut open: BTreeMap<Option<String>, usize> = BTreeMap::new();
        for (span, message, help) in other_form_directives(chapter) {
            out.warn(chapter, severity, span, message.to_string(), help);
        }
        for directive in directives(chapter) {
            let Some(kind) = directive.kind else {
                let (name, span) = &directive.name;
                let help = match meant_directive(name) {
                    Some(meant) if meant.eq_ignore_ascii_case(name) => format!(
                        "directives are lowercase: write `{meant}`; as written it suppresses nothing"
                    ),
                    Some(meant) => format!(
                        "did you mean `{meant}`? The directives are manulint-disable, manulint-enable, manulint-disable-next and manulint-disable-file"
                    ),
                    None => "use manulint-disable, manulint-enable, manulint-disable-next or manulint-disable-file".to_string(),
                };
                out.warn(
                    chapter,
                    severity,
                    *span,
                    format!("unknown directive `{name}`"),
                    &help,
                );
                continue;
            };
            let mut rules = Vec::new();
            for (rule, span) in &directive.rules {
                let rule_lower = rule.to_ascii_lowercase();
                if known.iter().any(|k| k == rule) {
                    rules.push(rule.clone());
                } else {
                    let help = match crate::config::did_you_mean(
                        &rule_lower,
                        known.iter().map(String::as_str),
                    ) {
                        Some(id) => {
                            format!("did you mean `{id}`? `manulint rules` lists every rule")
                        }
                        None => "check the id with `manulint rules`".to_string(),
                    };
                    out.warn(
                        chapter,
                        severity,
                        *span,
                        format!("unknown rule `{rule}` in a manulint directive; nothing is suppressed for it"),
                        &help,
                    );
                }
            }
            if !directive.rules.is_empty() && rules.is_empty() {
                continue; // only typos: suppress nothing
            }
            let all = directive.rules.is_empty();
            let keys: Vec<Option<String>> = if all {
                vec![None]
            } else {
                rules.iter().cloned().map(Some).collect()
            };
            let rule_set = (!all).then_some(rules);
            let after = directive.span.end as usize;
            match kind {
                DirectiveKind::Disable => {
                    for key in keys {
                        open.entry(key).or_insert(after);
                    }
                }
                DirectiveKind::Enable => {
                    let closing: Vec<Option<String>> = if all {
                        open.keys().cloned().collect()
                    } else {
                        keys
                    };
                    for key in closing {
                        if let Some(start) = open.remove(&key) {
                            out.ranges.push(Range {
                                rules: key.map(|k| vec![k]),
                                span: Span::new(start, directive.span.start as usize),
                            });
                        }
                    }
                }
                DirectiveKind::DisableNext => {
                    if let Some(block) = chapter
                        .blocks
                        .iter()
                        .find(|b| b.span.start as usize >= after)
                    {
                        out.ranges.push(Range {
                            rules: rule_set,
                            span: block.span,
                        });
                    }
                }
                DirectiveKind::DisableFile => out.ranges.push(Range {
                    rules: rule_set,
                    span: Span::new(0, end_of_file),
                }),
            }
        }
        for (key, start) in open {
            out.ranges.push(Range {
                rules: key.map(|k| vec![k]),
                span: Span::new(start, end_of_file),
            });
        }
        out
    }

    fn warn(
        &mut self,
        chapter: &Chapter,
        severity: Option<Severity>,
        span: Span,
        message: String,
        help: &str,
    ) {
        let Some(severity) = severity else {
            return;
        };
        self.warnings.push(Diagnostic {
            rule: BAD_DIRECTIVE.to_string(),
            severity,
            message,
            primary: Label::new(chapter.index, span).with_message("not a known name"),
            related: Vec::new(),
            help: Some(help.to_string().into()),
            fix: None,
            facts: None,
        });
    }

    /// Whether a finding of `rule` starting at `offset` is suppressed.
    pub fn suppresses(&self, rule: &str, offset: u32) -> bool {
        rule != BAD_DIRECTIVE
            && self.ranges.iter().any(|r| {
                r.span.start <= offset
                    && (offset < r.span.end || r.span.start == r.span.end && offset == r.span.end)
                    && r.rules
                        .as_ref()
                        .is_none_or(|rules| rules.iter().any(|x| x == rule))
            })
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty() && self.warnings.is_empty()
    }
}

/// Where one rule is turned off by directives, across a manuscript: what
/// a rule reads when silenced text must not sway it (the typography rules'
/// majorities, spelling-variant's votes) or must excuse more than the
/// finding's own place (a refrain marked deliberate on any of its copies).
/// Chapters that mention no directive are not read again
/// ([`Chapter::mentions_directives`]).
pub struct Silenced {
    rule: String,
    /// Per chapter index: its ranges for the rule, `None` when it has none.
    chapters: Vec<Option<ChapterSuppressions>>,
}

impl Silenced {
    /// The ranges of every chapter of `manuscript` where `rule` (an id) is
    /// turned off.
    pub fn new(manuscript: &Manuscript, rule: &str) -> Silenced {
        use rayon::prelude::*;
        let known = [rule.to_string()];
        let chapters = manuscript
            .chapters
            .par_iter()
            .map(|chapter| {
                chapter
                    .mentions_directives()
                    .then(|| ChapterSuppressions::new(chapter, &known, None))
                    .filter(|s| !s.is_empty())
            })
            .collect();
        Silenced {
            rule: rule.to_string(),
            chapters,
        }
    }

    /// Whether the rule is turned off at byte `offset` of chapter `chapter`.
    pub fn at(&self, chapter: usize, offset: u32) -> bool {
        self.chapters
            .get(chapter)
            .and_then(Option::as_ref)
            .is_some_and(|s| s.suppresses(&self.rule, offset))
    }

    /// True when the rule is turned off nowhere.
    pub fn is_empty(&self) -> bool {
        self.chapters.iter().all(Option::is_none)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::text::SourceFormat;

    fn chapter(name: &str, text: &str) -> Chapter {
        let format = SourceFormat::from_extension(name.rsplit('.').next().unwrap_or(""));
        Chapter::parse(0, PathBuf::from(name), format, Arc::from(text))
    }

    /// The rule ids the tests know.
    fn known() -> Vec<String> {
        ["doubled-word", "draft-marker", BAD_DIRECTIVE]
            .map(String::from)
            .to_vec()
    }

    fn at(text: &str, needle: &str) -> u32 {
        text.find(needle).expect("needle in text") as u32
    }

    #[test]
    fn markdown_disable_enable_range() {
        let text = "One TODO.\n\n<!-- manulint-disable draft-marker, doubled-word -->\n\nTwo TODO.\n\n<!-- manulint-enable -->\n\nThree TODO.\n";
        let s = ChapterSuppressions::new(&chapter("a.md", text), &known(), Some(Severity::Warning));
        assert!(s.warnings.is_empty());
        assert!(!s.suppresses("draft-marker", at(text, "One")));
        assert!(s.suppresses("draft-marker", at(text, "Two")));
        assert!(s.suppresses("doubled-word", at(text, "Two")));
        assert!(!s.suppresses("draft-marker", at(text, "Three")));
    }

    #[test]
    fn disable_next_covers_only_the_next_paragraph() {
        let text = "<!-- manulint-disable-next draft-marker -->\nFirst TODO\nstill first.\n\nSecond TODO.\n";
        let s = ChapterSuppressions::new(&chapter("a.md", text), &known(), Some(Severity::Warning));
        assert!(s.suppresses("draft-marker", at(text, "First")));
        assert!(s.suppresses("draft-marker", at(text, "still")));
        assert!(!s.suppresses("doubled-word", at(text, "First")));
        assert!(!s.suppresses("draft-marker", at(text, "Second")));
    }

    #[test]
    fn directives_in_code_are_examples_not_directives() {
        let text = "Use it like this:\n\n```\n<!-- manulint-disable draft-marker -->\n```\n\nIt is `<!-- manulint-disable -->` inline.\n\nA TODO.\n";
        let ch = chapter("a.md", text);
        assert!(directives(&ch).is_empty());
        let inline = "Text <!-- manulint-disable-next draft-marker --> here.\n\nA TODO.\n";
        assert_eq!(directives(&chapter("b.md", inline)).len(), 1);
    }

    #[test]
    fn whole_file_and_all_rules() {
        let text = "<!-- manulint-disable-file -->\n\nText TODO.\n";
        let s = ChapterSuppressions::new(&chapter("a.md", text), &known(), Some(Severity::Warning));
        assert!(s.suppresses("draft-marker", at(text, "Text")));
        assert!(s.suppresses("doubled-word", 0));
    }

    #[test]
    fn plain_text_directive_lines_are_not_prose() {
        let text = "First TODO.\n%% manulint-disable draft-marker\nSecond TODO.\n%% manulint-enable draft-marker\nThird TODO.\n";
        let ch = chapter("a.txt", text);
        assert!(!ch.prose.contains("manulint"));
        assert_eq!(ch.blocks.len(), 3, "directive lines are not paragraphs");
        let s = ChapterSuppressions::new(&ch, &known(), Some(Severity::Warning));
        assert!(!s.suppresses("draft-marker", at(text, "First")));
        assert!(s.suppresses("draft-marker", at(text, "Second")));
        assert!(!s.suppresses("draft-marker", at(text, "Third")));
    }

    #[test]
    fn typos_warn_and_suppress_nothing() {
        let text = "<!-- manulint-disable draft-makrer -->\n\nA TODO.\n\n<!-- manulint-disabel doubled-word -->\n";
        let s = ChapterSuppressions::new(&chapter("a.md", text), &known(), Some(Severity::Warning));
        assert!(!s.suppresses("draft-marker", at(text, "A TODO")));
        let messages: Vec<(&str, u32)> = s
            .warnings
            .iter()
            .map(|d| (d.message.as_str(), d.primary.span.start))
            .collect();
        assert_eq!(
            messages,
            vec![
                (
                    "unknown rule `draft-makrer` in a manulint directive; nothing is suppressed for it",
                    at(text, "draft-makrer")
                ),
                (
                    "unknown directive `manulint-disabel`",
                    at(text, "manulint-disabel")
                ),
            ]
        );
        assert_eq!(
            s.warnings[0].help.as_deref(),
            Some("did you mean `draft-marker`? `manulint rules` lists every rule")
        );
        assert_eq!(
            s.warnings[1].help.as_deref(),
            Some(
                "did you mean `manulint-disable`? The directives are manulint-disable, manulint-enable, manulint-disable-next and manulint-disable-file"
            )
        );
    }

    /// A directive in capitals, or in another linter's form, is warned
    /// about with the directive meant, in Markdown and plain text alike,
    /// and suppresses nothing; a plain-text directive line in capitals is
    /// still no prose.
    #[test]
    fn capitals_and_other_linters_forms_are_warned_about() {
        let text = "<!-- MANULINT-DISABLE-NEXT draft-marker -->\nA TODO.\n\n<!-- manulint-disable-next-line draft-marker -->\nB TODO.\n";
        let s = ChapterSuppressions::new(&chapter("a.md", text), &known(), Some(Severity::Warning));
        assert!(!s.suppresses("draft-marker", at(text, "A TODO")));
        assert!(!s.suppresses("draft-marker", at(text, "B TODO")));
        let found: Vec<(&str, u32, Option<&str>)> = s
            .warnings
            .iter()
            .map(|d| (d.message.as_str(), d.primary.span.start, d.help.as_deref()))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "unknown directive `MANULINT-DISABLE-NEXT`",
                    at(text, "MANULINT"),
                    Some(
                        "directives are lowercase: write `manulint-disable-next`; as written it suppresses nothing"
                    )
                ),
                (
                    "unknown directive `manulint-disable-next-line`",
                    at(text, "manulint-disable-next-line"),
                    Some(
                        "did you mean `manulint-disable-next`? The directives are manulint-disable, manulint-enable, manulint-disable-next and manulint-disable-file"
                    )
                ),
            ]
        );
        let plain = "First TODO.\n%% Manulint-Disable draft-marker\nSecond TODO.\n";
        let ch = chapter("a.txt", plain);
        assert!(!ch.prose.contains("anulint"), "{:?}", ch.prose);
        let s = ChapterSuppressions::new(&ch, &known(), Some(Severity::Warning));
        assert_eq!(s.warnings.len(), 1);
        assert!(!s.suppresses("draft-marker", at(plain, "Second")));
    }

    /// Another linter's colon form is warned about with the directive
    /// meant; a rule id in capitals gets its lowercase id; a colon after
    /// the name (with or without a space) and an Obsidian comment's closing
    /// `%%` (with or without one) are no rule ids.
    #[test]
    fn colon_forms_capital_ids_and_punctuation() {
        let text = "<!-- manulint:disable-next draft-marker -->\nA TODO.\n\n<!-- manulint-disable-next DRAFT-MARKER -->\nB TODO.\n\n<!-- manulint-disable-next: draft-marker -->\nC TODO.\n\n<!-- manulint-disable-next:draft-marker -->\nD TODO.\n";
        let s = ChapterSuppressions::new(&chapter("a.md", text), &known(), Some(Severity::Warning));
        let found: Vec<(&str, Option<&str>)> = s
            .warnings
            .iter()
            .map(|d| (d.message.as_str(), d.help.as_deref()))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "unknown directive `manulint:disable-next`",
                    Some(
                        "did you mean `manulint-disable-next`? The directives are manulint-disable, manulint-enable, manulint-disable-next and manulint-disable-file"
                    )
                ),
                (
                    "unknown rule `DRAFT-MARKER` in a manulint directive; nothing is suppressed for it",
                    Some("did you mean `draft-marker`? `manulint rules` lists every rule")
                ),
            ]
        );
        assert!(!s.suppresses("draft-marker", at(text, "A TODO")));
        assert!(s.suppresses("draft-marker", at(text, "C TODO")));
        assert!(s.suppresses("draft-marker", at(text, "D TODO")));
        let plain = "%% manulint-disable-next draft-marker %%\nA TODO.\n\n%% manulint-disable-next draft-marker%%\nC TODO.\n\n%% manulint:disable draft-marker\nB TODO.\n";
        let ch = chapter("a.txt", plain);
        assert!(!ch.prose.contains("manulint"), "{:?}", ch.prose);
        let s = ChapterSuppressions::new(&ch, &known(), Some(Severity::Warning));
        let messages: Vec<&str> = s.warnings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["unknown directive `manulint:disable`"]);
        assert!(s.suppresses("draft-marker", at(plain, "A TODO")));
        assert!(s.suppresses("draft-marker", at(plain, "C TODO")));
    }

    /// A reason after `--` and the text after an Obsidian comment's
    /// closing `%%` are no rule ids; a colon or semicolon after an id is
    /// punctuation; a closed `%% … %%` directive works in Markdown; an
    /// unclosed one there, and an HTML comment in plain text, are warned
    /// about and suppress nothing.
    #[test]
    fn reasons_obsidian_comments_and_the_wrong_comment() {
        let text = "<!-- manulint-disable-next draft-marker -- named in chapter 9 -->\nA TODO.\n\n\
                    <!-- manulint-disable-next draft-marker: -->\nB TODO.\n\n\
                    %% manulint-disable-next draft-marker %% a note to myself\nC TODO.\n\n\
                    %% manulint-disable-next draft-marker\nD TODO.\n";
        let s = ChapterSuppressions::new(&chapter("a.md", text), &known(), Some(Severity::Warning));
        let found: Vec<(u32, &str)> = s
            .warnings
            .iter()
            .map(|d| (d.primary.span.start, d.message.as_str()))
            .collect();
        let unclosed = text
            .find("%% manulint-disable-next draft-marker\n")
            .unwrap() as u32;
        assert_eq!(
            found,
            [(
                unclosed,
                "this `%%` directive is not closed, so it is text and suppresses nothing"
            )]
        );
        for (line, suppressed) in [
            ("A TODO", true),
            ("B TODO", true),
            ("C TODO", true),
            ("D TODO", false),
        ] {
            assert_eq!(
                s.suppresses("draft-marker", at(text, line)),
                suppressed,
                "{line}"
            );
        }
        let plain = "%% manulint-disable-next draft-marker -- a reason\nA TODO.\n\n\
                     <!-- manulint-disable-next draft-marker -->\nB TODO.\n";
        let s =
            ChapterSuppressions::new(&chapter("a.txt", plain), &known(), Some(Severity::Warning));
        let messages: Vec<&str> = s.warnings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["an HTML comment is no directive in a plain-text chapter; it suppresses nothing"]
        );
        assert!(s.suppresses("draft-marker", at(plain, "A TODO")));
        assert!(!s.suppresses("draft-marker", at(plain, "B TODO")));
    }

    /// Found by the `decode` and `segment` fuzz targets: a character of
    /// several bytes where the prefix's last letters would be.
    #[test]
    fn the_prefix_test_reads_bytes_not_characters() {
        assert!(!starts_with_prefix("manulinÿ-x"));
        assert!(!starts_with_prefix("%%manul\u{FFFD}t"));
        assert!(starts_with_prefix("MANULINT:disable"));
        let plain = "%% manulinÿ disable\n\nText.\n";
        assert!(directives(&chapter("a.txt", plain)).is_empty());
    }

    #[test]
    fn bad_directive_warnings_are_never_suppressed() {
        let text = "<!-- manulint-disable -->\n\n<!-- manulint-disable nope -->\n";
        let s = ChapterSuppressions::new(&chapter("a.md", text), &known(), Some(Severity::Warning));
        assert_eq!(s.warnings.len(), 1);
        assert!(!s.suppresses(BAD_DIRECTIVE, s.warnings[0].primary.span.start));
    }
}
