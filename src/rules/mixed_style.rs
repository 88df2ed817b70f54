//! Shared by the typography rules: a manuscript that uses two styles of the
//! same mark (straight and curly quotes, `...` and `…`) gets findings at the
//! minority style only, one per paragraph, each pointing at where the
//! majority style is used.

use std::borrow::Cow;

use crate::diagnostic::{Applicability, Edit, Finding, Fix, Label};
use crate::rule::RuleContext;
use crate::suppress::Silenced;
use crate::text::{Chapter, Manuscript, Span};

/// One style of a mark and where the manuscript uses it, in reading order.
pub struct StyleUse {
    /// “straight double quotes (\")”
    pub name: &'static str,
    pub places: Vec<(usize, Span)>,
}

/// How to mend a minority mark: the edit that turns the mark at `span` into
/// the majority style (`None` when it cannot be done mechanically). The
/// style given is the majority one.
pub type Mend<'a> = &'a (dyn Fn(&Chapter, Span, &StyleUse) -> Option<Edit> + Sync);

/// Whether style `a` (its places, in reading order) is the majority over
/// `b`: used more often, or as often and first. An unused style never is.
pub fn first_wins(a: &[(usize, Span)], b: &[(usize, Span)]) -> bool {
    match (a.first(), b.first()) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(a_first), Some(b_first)) => {
            a.len() > b.len() || (a.len() == b.len() && a_first <= b_first)
        }
    }
}

/// Which of two styles a manuscript keeps.
pub enum Majority {
    /// The one used more often, or as often and first ([`first_wins`]).
    ByCount,
    /// Decided by something else, such as the style of another kind of
    /// mark: whether the first style given is kept, and the words that say
    /// why, completing "… in a manuscript " (“whose double quotes are curly
    /// (“ ”, 50×)”).
    Given { first: bool, because: String },
    /// The house style the writer set (a rule's `prefer` option): whether
    /// the first style given is it, and the setting as written in
    /// `manulint.toml` (`prefer = "curly"` under `[rules.quote-style]`),
    /// which the help repeats. Every use of the other style is reported,
    /// however few the house style's own uses, none included.
    House { first: bool, setting: String },
}

impl Majority {
    /// [`Majority::House`] when a house style is set (`setting`, as
    /// [`house_style`] gives it; `first`: whether the first style given is
    /// it), else [`Majority::ByCount`].
    pub fn house_or_count(setting: Option<&str>, first: bool) -> Majority {
        match setting {
            Some(setting) => Majority::House {
                first,
                setting: setting.to_string(),
            },
            None => Majority::ByCount,
        }
    }
}

/// Reports the minority style when both are used: by default (see
/// [`Majority`]) the one used less often, and on a tie the one met second;
/// with a house style, every use of the other style.
/// With `mend`, each finding carries a fix for every minority mark of its
/// paragraph, of `applicability`.
pub fn report_minority(
    manuscript: &Manuscript,
    ctx: &mut RuleContext,
    a: StyleUse,
    b: StyleUse,
    majority: Majority,
    help: &'static str,
    mend: Option<(Mend, Applicability)>,
) {
    let first = match &majority {
        Majority::ByCount => first_wins(&a.places, &b.places),
        Majority::Given { first, .. } | Majority::House { first, .. } => *first,
    };
    let (major, minor) = if first { (a, b) } else { (b, a) };
    let house = matches!(majority, Majority::House { .. });
    if minor.places.is_empty() || (major.places.is_empty() && !house) {
        return;
    }
    let tie = major.places.len() == minor.places.len();
    // One finding per paragraph: its first minority mark, all its marks.
    let mut paragraphs: Vec<(usize, Vec<Span>)> = Vec::new();
    let mut last_block: Option<(usize, usize)> = None;
    for &(chapter, span) in &minor.places {
        let blocks = &manuscript.chapter(chapter).blocks;
        let block = blocks.partition_point(|b| b.span.end <= span.start);
        match paragraphs.last_mut() {
            Some((_, spans)) if last_block == Some((chapter, block)) => spans.push(span),
            _ => paragraphs.push((chapter, vec![span])),
        }
        last_block = Some((chapter, block));
    }
    // The same for every paragraph: written once, each finding a copy (a
    // chapter typed in straight quotes has thousands of them).
    let message = match (&majority, tie) {
        (Majority::House { .. }, _) => {
            format!("{} where the house style is {}", minor.name, major.name)
        }
        (Majority::Given { because, .. }, _) => {
            format!("{} in a manuscript {because}", minor.name)
        }
        (Majority::ByCount, true) => format!(
            "{}, used as often as {} ({}× each), which comes first in the manuscript",
            minor.name,
            major.name,
            major.places.len()
        ),
        (Majority::ByCount, false) => format!(
            "{} in a manuscript that otherwise uses {}",
            minor.name,
            with_count(major.name, major.places.len())
        ),
    };
    let used_here: Cow<'static, str> = format!("{} used here", major.name).into();
    let help: Cow<'static, str> = match &majority {
        Majority::House { setting, .. } => {
            format!("{help}; the house style is {setting} in manulint.toml").into()
        }
        _ => help.into(),
    };
    for (chapter, spans) in paragraphs {
        // The count goes in the label, not the message: one message for
        // every paragraph lets the human report fold a chapter's findings
        // (a chapter typed in straight quotes is one group, not one
        // finding a paragraph).
        let count = spans.len();
        let label: Cow<'static, str> = if count == 1 {
            "minority style".into()
        } else {
            format!("minority style ({count}× in this paragraph)").into()
        };
        let mut finding = Finding::new(chapter, spans[0], message.clone()).label(label);
        if let Some(&(mc, mspan)) = major.places.first() {
            finding = finding.related(Label::new(mc, mspan).with_message(used_here.clone()));
        }
        finding = finding.help(help.clone());
        if let Some((mend, applicability)) = mend {
            let ch = manuscript.chapter(chapter);
            let edits: Vec<Edit> = spans
                .iter()
                .filter_map(|&span| mend(ch, span, &major))
                .collect();
            if !edits.is_empty() {
                let noun = if edits.len() == 1 { "mark" } else { "marks" };
                let description = format!("use {} ({} {noun})", major.name, edits.len());
                finding = finding.fix(match applicability {
                    Applicability::Safe => Fix::safe(description, edits),
                    Applicability::Unsafe => Fix::unsafe_(description, edits),
                });
            }
        }
        ctx.report(finding);
    }
}

/// The house style a typography rule's `prefer` option names, as the
/// index of its style in `choices` (each style's accepted spellings, case
/// and spaces at the ends ignored; the first is the one the error names),
/// with the setting as [`Majority::House`] repeats it. `None` when the
/// option is unset.
///
/// Errors: a value that names no style, with the choices.
pub fn house_style(
    rule: &str,
    prefer: Option<&str>,
    choices: &[&[&str]],
) -> Result<Option<(usize, String)>, String> {
    let Some(prefer) = prefer else {
        return Ok(None);
    };
    let wanted = prefer.trim();
    match choices
        .iter()
        .position(|names| names.iter().any(|n| n.eq_ignore_ascii_case(wanted)))
    {
        Some(style) => Ok(Some((
            style,
            format!("`prefer = \"{wanted}\"` under [rules.{rule}]"),
        ))),
        None => {
            let names: Vec<String> = choices.iter().map(|n| format!("\"{}\"", n[0])).collect();
            let (last, rest) = names.split_last().expect("a rule has styles");
            Err(format!(
                "`prefer = \"{prefer}\"` names no style this rule knows; use {} or {last}",
                rest.join(", ")
            ))
        }
    }
}

/// A finder of style marks in one block's prose: `(range in the block,
/// style index)` for each mark. A plain function, so that what it found in a
/// chapter can be kept with the chapter under its rule's name.
pub type FindMarks = fn(&str) -> Vec<(std::ops::Range<usize>, usize)>;

/// Every mark `find` reports in the prose of headings and paragraphs;
/// returns the places per style index (`styles` of them), in reading order.
/// Each chapter's marks are kept with it under `rule` (see
/// [`crate::text::Chapter::memo`]): after an edit only the edited chapter
/// is read again.
pub fn find_all(
    manuscript: &Manuscript,
    rule: &str,
    styles: usize,
    find: FindMarks,
) -> Vec<Vec<(usize, Span)>> {
    let key = format!("mixed-style/{rule}");
    places_by_style(manuscript, rule, &key, styles, |chapter| {
        marks_in(chapter, find)
    })
}

/// The places of each style (`styles` of them, `(chapter index, span)`,
/// in reading order) that `marks` finds in each chapter as `(span, style
/// index)`. Each chapter's marks are kept with it under `key` (see
/// [`crate::text::Chapter::memo`]); marks where `rule` is turned off are
/// left out ([`drop_silenced`]).
pub fn places_by_style(
    manuscript: &Manuscript,
    rule: &str,
    key: &str,
    styles: usize,
    marks: impl Fn(&Chapter) -> Vec<(Span, usize)> + Sync,
) -> Vec<Vec<(usize, Span)>> {
    use rayon::prelude::*;
    let per_chapter: Vec<std::sync::Arc<Vec<(Span, usize)>>> = manuscript
        .chapters
        .par_iter()
        .map(|chapter| chapter.memo(key, &marks))
        .collect();
    let mut result = vec![Vec::new(); styles];
    for (chapter, marks) in manuscript.chapters.iter().zip(&per_chapter) {
        for &(span, style) in marks.iter() {
            if let Some(places) = result.get_mut(style) {
                places.push((chapter.index, span));
            }
        }
    }
    drop_silenced(manuscript, rule, &mut result);
    result
}

/// Drops from `places` (per style, `(chapter index, span)`) the marks in
/// text where `rule` is turned off by a directive: a character's letters
/// kept in straight quotes under `manulint-disable quote-style` do not
/// vote, where counted they could make the narration's style the minority.
fn drop_silenced(manuscript: &Manuscript, rule: &str, places: &mut [Vec<(usize, Span)>]) {
    let silenced = Silenced::new(manuscript, rule);
    if silenced.is_empty() {
        return;
    }
    for style in places {
        style.retain(|&(chapter, span)| !silenced.at(chapter, span.start));
    }
}

/// The marks `find` reports in one chapter, as (span, style index).
fn marks_in(chapter: &Chapter, find: FindMarks) -> Vec<(Span, usize)> {
    let mut out = Vec::new();
    for block in chapter.blocks.iter().filter(|b| !b.sentences.is_empty()) {
        let base = block.span.start as usize;
        for (r, style) in find(chapter.prose_slice(block.span)) {
            out.push((Span::new(base + r.start, base + r.end), style));
        }
    }
    out
}

/// `name` with how often the style is used, inside its closing
/// parenthesis (“curly double quotes (“ ”, 16×)”): after it, the count read
/// as the number of flagged marks.
fn with_count(name: &str, count: usize) -> String {
    let count = crate::report::thousands(count);
    match name.strip_suffix(')') {
        Some(open) => format!("{open}, {count}×)"),
        None => format!("{name} ({count}×)"),
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::run_rule_on;

    /// Each typography rule's majority leaves out text the rule is turned
    /// off in: a letter kept in its writer's style under a directive no
    /// longer makes the narration's style the minority. Without the
    /// directive the narration's one mark is flagged.
    #[test]
    fn silenced_text_does_not_vote() {
        let cases = [
            (
                "quote-style",
                "\"Dear Tom,\" she wrote. \"Come home.\"\n\n\"Soon,\" she added.\n",
                "“Yes,” he said.\n",
                "curly double quotes (“ ”) in a manuscript that otherwise uses straight double quotes (\", 6×)",
            ),
            (
                "ellipsis-style",
                "Wait... no... stop...\n",
                "He paused… then left.\n",
                "the ellipsis character “…” in a manuscript that otherwise uses three-dot ellipsis “...” (3×)",
            ),
            (
                "dialogue-dash",
                "He came — late — and left — fast.\n",
                "She came—late.\n",
                "unspaced em dash (“—”) in a manuscript that otherwise uses spaced em dash (“ — ”, 3×)",
            ),
            (
                "abbreviation-style",
                "Mr. Smith, Mrs. Smith and Dr. Jones.\n",
                "Mr Smith came.\n",
                "titles without a full stop (Mr, Dr …) in a manuscript that otherwise uses titles with a full stop (Mr., Dr. …, 3×)",
            ),
        ];
        for (rule, letter, narration, message) in cases {
            let silenced = format!(
                "%% manulint-disable {rule}\n\n{letter}\n%% manulint-enable\n\n{narration}"
            );
            let (_, found) = run_rule_on(rule, &[("a.txt", &silenced)]);
            assert_eq!(found.len(), 0, "{rule}: {found:?}");

            let counted = format!("A letter.\n\n{letter}\nThe end of it.\n\n{narration}");
            let (manuscript, found) = run_rule_on(rule, &[("a.txt", &counted)]);
            let found: Vec<(&str, &str)> = found
                .iter()
                .map(|d| {
                    let text = &*manuscript.chapter(d.primary.chapter).text;
                    let at = d.primary.span.start as usize;
                    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                    (&text[start..end], d.message.as_str())
                })
                .collect();
            assert_eq!(found, [(narration.trim_end(), message)], "{rule}");
        }
    }
}
