use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;

use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix, Label};
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::rules::mixed_style::{StyleUse, find_all, report_minority};
use crate::text::{Chapter, Manuscript, Span};

declare_rule! {
    /// ## What it does
    /// Two checks on dashes:
    ///
    /// - **hyphens as dialogue dashes**: a paragraph that opens speech with
    ///   a hyphen (`-I have to go`) or interrupts it with one
    ///   (`go, - she said`). Where the convention of dashes for dialogue is
    ///   used, it takes an em dash (`—I have to go`).
    /// - **spaced and unspaced em dashes mixed**: `empty — or close to it`
    ///   in a manuscript that otherwise writes `empty—or`. The less common
    ///   spacing is flagged, once per paragraph, pointing at where the usual
    ///   one is used. Dashes at the start or end of a paragraph, dashes
    ///   against a quotation mark or a bracket (speech broken off,
    ///   `ever—” she said`, or taken up, `“—and then`: unspaced in either
    ///   style), and dashes with a space on one side only, are not counted.
    ///
    /// Double hyphens (`--`, the typewriter dash of many plain-text books)
    /// are left alone.
    ///
    /// ## Fix
    /// Safe: `--fix` turns the dialogue hyphens of a paragraph into em
    /// dashes (keeping the spacing around them), and writes the less common
    /// dash spacing the way the rest of the manuscript does.
    ///
    /// ## Why
    /// A hyphen joins words; it is too short to carry a break in speech, and
    /// typesetting software will not turn it into a dash. Mixed dash spacing
    /// is a typesetting inconsistency a copy-editor would mark.
    ///
    /// ## Example
    /// ```text
    /// -I have to go, - she said.          ← flagged: hyphens
    /// —I have to go, she said.            ← fine
    /// The shop was empty — or close to it. ← flagged if the book writes “—”
    ///                                       unspaced elsewhere
    /// ```
    ///
    /// ## Options
    /// None. Turn the rule off with `[rules.dialogue-dash] level = "off"`.
    pub static META = {
        id: "dialogue-dash",
        category: Typography,
        severity: Warning,
        scope: Manuscript,
        summary: "A hyphen used as a dialogue dash, or spaced and unspaced em dashes mixed",
        fix: Safe,
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

fn build(_setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    Ok(Box::new(DialogueDash))
}

struct DialogueDash;

/// A hyphen opening a paragraph before a word (`-I`, `- I`).
static OPENING_HYPHEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(-)[ \t]?\p{L}").expect("static regex"));
/// A hyphen after a comma or other punctuation, before a word: `go, - she`.
static INTERRUPTING_HYPHEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[,.!?…][ \t]*(-)[ \t]*\p{L}").expect("static regex"));

/// Style 0: spaced em dash; 1: unspaced em dash (inside a paragraph).
fn dashes(text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
    let trimmed_end = text.trim_end().len();
    let first = text.len() - text.trim_start().len();
    let mut out = Vec::new();
    for (i, _) in text.match_indices('—') {
        let end = i + '—'.len_utf8();
        if i == first || end >= trimmed_end {
            continue;
        }
        let before = text[..i].chars().next_back().unwrap_or(' ');
        let after = text[end..].chars().next().unwrap_or(' ');
        if before == '—' || after == '—' {
            continue; // a 2-em dash
        }
        // Speech broken off or taken up: a dash against a quotation mark
        // or bracket has no space there in either style, so respacing it
        // would write `ever — ”`.
        if is_mark(before) || is_mark(after) {
            continue;
        }
        // After a comma and a space the dash sets off a dialogue tag
        // (“go, — she said”): a convention of its own, not inline spacing.
        let two_before = text[..i].chars().rev().nth(1).unwrap_or(' ');
        if before == ' ' && ",;:!?".contains(two_before) {
            continue;
        }
        match (before == ' ', after == ' ') {
            (true, true) => out.push((i..end, 0)),
            (false, false) if !before.is_whitespace() && !after.is_whitespace() => {
                out.push((i..end, 1));
            }
            _ => {}
        }
    }
    out
}

/// A quotation mark or bracket, which a dash touches when speech or an
/// aside breaks off or resumes.
fn is_mark(c: char) -> bool {
    "\"'“”‘’«»‹›„()[]".contains(c)
}

fn hyphen_dialogue(chapter: &Chapter) -> Vec<Finding> {
    let mut findings = Vec::new();
    for block in chapter.paragraphs() {
        let text = chapter.prose_slice(block.span);
        let base = block.span.start as usize;
        // What the pattern needs first, checked without it (`\s` and
        // `trim_start` agree on whitespace): most chapters have no such
        // paragraph, and then the pattern is not even compiled.
        if !text.trim_start().starts_with('-') {
            continue;
        }
        let Some(first) = OPENING_HYPHEN.captures(text).and_then(|c| c.get(1)) else {
            continue;
        };
        let opening = Span::new(base + first.start(), base + first.end());
        let mut finding = Finding::new(chapter.index, opening, "hyphen used as a dialogue dash")
            .label("use an em dash (—)")
            .help("dialogue dashes are em dashes (—); a hyphen joins words");
        let mut edits = vec![Edit::replace(opening, "—")];
        for c in INTERRUPTING_HYPHEN.captures_iter(text) {
            if let Some(m) = c.get(1) {
                let span = Span::new(base + m.start(), base + m.end());
                finding = finding.related(Label::new(chapter.index, span).with_message("and here"));
                edits.push(Edit::replace(span, "—"));
            }
        }
        let noun = if edits.len() == 1 {
            "hyphen"
        } else {
            "hyphens"
        };
        let description = format!("make the dialogue {noun} em dashes");
        findings.push(finding.fix(Fix::safe(description, edits)));
    }
    findings
}

/// The em dash at `span` spaced the majority's way: `a — b` ↔ `a—b`.
fn respace(chapter: &Chapter, span: Span, majority: &StyleUse) -> Option<Edit> {
    let text = &chapter.text;
    let (start, end) = (span.start as usize, span.end as usize);
    if majority.name.starts_with("unspaced") {
        let spaced = text[..start].ends_with(' ') && text[end..].starts_with(' ');
        spaced.then(|| Edit::replace(Span::new(start - 1, end + 1), "—"))
    } else {
        Some(Edit::replace(span, " — "))
    }
}

impl Rule for DialogueDash {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        let hyphens: Vec<Vec<Finding>> = manuscript
            .chapters
            .par_iter()
            .map(hyphen_dialogue)
            .collect();
        for finding in hyphens.into_iter().flatten() {
            ctx.report(finding);
        }
        let mut found = find_all(manuscript, "dialogue-dash", 2, dashes);
        let unspaced = std::mem::take(&mut found[1]);
        let spaced = std::mem::take(&mut found[0]);
        report_minority(
            manuscript,
            ctx,
            StyleUse {
                name: "spaced em dash (“ — ”)",
                places: spaced,
            },
            StyleUse {
                name: "unspaced em dash (“—”)",
                places: unspaced,
            },
            "use one spacing for em dashes throughout",
            Some(&respace),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_rule, fixed_texts, render_human, run_rule_on};

    #[test]
    fn hyphen_dialogue_is_flagged_once_per_paragraph() {
        let text = "She looked at the clock.\n\n-I have to go, - she said.\n\nA well-known man - or not.\n";
        assert_eq!(
            check_rule("dialogue-dash", "c.txt", text),
            vec![(3, 1, "hyphen used as a dialogue dash".to_string())]
        );
        let (_, diagnostics) = run_rule_on("dialogue-dash", &[("c.txt", text)]);
        assert_eq!(diagnostics[0].related.len(), 1);
    }

    #[test]
    fn fix_turns_dialogue_hyphens_into_em_dashes() {
        let text = "She looked at the clock.\n\n-I have to go, - she said.\n\nA well-known man - or not.\n";
        let fixed = fixed_texts("dialogue-dash", &[("c.txt", text)], false);
        assert_eq!(
            fixed[0],
            "She looked at the clock.\n\n—I have to go, — she said.\n\nA well-known man - or not.\n"
        );
    }

    #[test]
    fn fix_spaces_dashes_the_usual_way() {
        let text = "The cans—nine of them—sat there.\n\nIt was empty — or close to it.\n";
        let fixed = fixed_texts("dialogue-dash", &[("c.txt", text)], false);
        assert_eq!(
            fixed[0],
            "The cans—nine of them—sat there.\n\nIt was empty—or close to it.\n"
        );
        let spaced = "The cans — nine of them — sat there.\n\nIt was empty—or close to it.\n";
        let fixed = fixed_texts("dialogue-dash", &[("c.txt", spaced)], false);
        assert_eq!(
            fixed[0],
            "The cans — nine of them — sat there.\n\nIt was empty — or close to it.\n"
        );
    }

    #[test]
    fn dashes_against_quotation_marks_are_neither_counted_nor_respaced() {
        let text = "The harbour was quiet — too quiet — and still.\n\n\
                    She looked at the water — grey, flat — and waited.\n\n\
                    “Abel’s the only one who ever—” Teo stopped.\n\n\
                    He said, “—and that was the end of it.”\n\n\
                    (The boat—or what was left of it) lay there.\n";
        assert_eq!(
            check_rule("dialogue-dash", "c.txt", text),
            vec![(9, 10, "unspaced em dash (“—”) in a manuscript that otherwise uses spaced em dash (“ — ”) (4×)".to_string())],
            "only the aside's inner dash, `boat—or`"
        );
        let fixed = fixed_texts("dialogue-dash", &[("c.txt", text)], false);
        assert!(fixed[0].contains("ever—” Teo"), "{}", fixed[0]);
        assert!(fixed[0].contains("“—and that"), "{}", fixed[0]);
        assert!(fixed[0].contains("(The boat — or what"), "{}", fixed[0]);
    }

    #[test]
    fn spaced_dash_in_an_unspaced_book() {
        let text = "The cans—nine of them—sat there.\n\nIt was empty — or close to it.\n\n—Go, she said.\n";
        assert_eq!(
            check_rule("dialogue-dash", "c.txt", text),
            vec![(3, 14, "spaced em dash (“ — ”) in a manuscript that otherwise uses unspaced em dash (“—”) (2×)".to_string())]
        );
    }

    #[test]
    fn quiet_on_consistent_dashes_and_double_hyphens() {
        for text in [
            "The cans—nine of them—sat there.\n\n“Wait—”\n",
            "The cans — nine of them — sat there.\n",
            "The cans--nine of them -- sat there.\n",
            "A well-known man. Twenty-one years.\n",
        ] {
            assert_eq!(
                check_rule("dialogue-dash", "c.txt", text),
                vec![],
                "{text:?}"
            );
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render_human(
            "dialogue-dash",
            &[(
                "chapter-04.txt",
                "He stood up.\n\n-I have to go, - she said.\n"
            )]
        ));
    }
}
