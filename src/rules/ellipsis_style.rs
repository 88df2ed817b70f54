use crate::declare_rule;
use crate::diagnostic::{Applicability, Edit};
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::rules::mixed_style::{Majority, StyleUse, find_all, report_minority};
use crate::text::{Chapter, Manuscript, Span};

declare_rule! {
    /// ## What it does
    /// Counts the ellipses of the whole manuscript written as three dots
    /// (`...`) and as the single character `…`. When both are used, every
    /// paragraph with the less common form is flagged (once per paragraph),
    /// pointing at where the usual form is used. A manuscript that keeps to
    /// one form is never flagged, whichever it is.
    ///
    /// ## Why
    /// Mixed ellipses show up in typesetting: the single character and three
    /// full stops have different widths and break across lines differently,
    /// and a copy-editor will standardise them anyway.
    ///
    /// ## Example
    /// ```text
    /// It’s something…            (chapter 1)
    /// Lots of people…            (chapter 3)
    /// Ruth kept to herself... mostly.   ← flagged: the book uses “…”
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` writes the less common form as the usual one.
    ///
    /// ## Options
    /// None. Turn the rule off with `[rules.ellipsis-style] level = "off"`.
    pub static META = {
        id: "ellipsis-style",
        category: Typography,
        severity: Info,
        scope: Manuscript,
        summary: "“...” and “…” both used for ellipses",
        fix: Safe,
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    setup.no_options()?;
    Ok(Box::new(EllipsisStyle))
}

struct EllipsisStyle;

/// `...` (a run of exactly three dots; `....` is an ellipsis plus a full
/// stop, also counted) and `…`.
fn ellipses(text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // The run of dots being read, as (start, end).
    let mut run: Option<(usize, usize)> = None;
    let close_run = |run: Option<(usize, usize)>, out: &mut Vec<_>| {
        if let Some((start, end)) = run
            && (3..=4).contains(&(end - start))
        {
            out.push((start..start + 3, 0));
        }
    };
    // A byte search rather than a decoding of every character: `…`
    // (U+2026) is E2 80 A6 in UTF-8, and E2 only ever leads a character.
    for i in memchr::memchr2_iter(b'.', 0xE2, bytes) {
        if bytes[i] == b'.' {
            run = match run {
                Some((start, end)) if end == i => Some((start, i + 1)),
                ended => {
                    close_run(ended, &mut out);
                    Some((i, i + 1))
                }
            };
        } else if bytes.get(i + 1..i + 3) == Some(&[0x80, 0xA6][..]) {
            close_run(run.take(), &mut out);
            out.push((i..i + 3, 1));
        }
    }
    close_run(run, &mut out);
    out
}

/// The other form of the ellipsis at `span`.
fn mend(chapter: &Chapter, span: Span, _majority: &StyleUse) -> Option<Edit> {
    match chapter.slice(span) {
        "..." => Some(Edit::replace(span, "…")),
        "…" => Some(Edit::replace(span, "...")),
        _ => None,
    }
}

impl Rule for EllipsisStyle {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        let mut found = find_all(manuscript, "ellipsis-style", 2, ellipses);
        let single = std::mem::take(&mut found[1]);
        let dots = std::mem::take(&mut found[0]);
        report_minority(
            manuscript,
            ctx,
            StyleUse {
                name: "three-dot ellipsis “...”",
                places: dots,
            },
            StyleUse {
                name: "the ellipsis character “…”",
                places: single,
            },
            Majority::ByCount,
            "use one form throughout; a find-and-replace of “...” with “…” (or back) fixes them all",
            Some((&mend, Applicability::Safe)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{fixed_texts, render_human, run_rule_on};

    #[test]
    fn ellipses_are_runs_of_three_or_four_dots_and_the_character() {
        // Runs of 2, 3, 4 and 5 dots; a run cut by a dash, by `…`, by a
        // curly quote; a run at the very end.
        let text = "a.. b... c.... d..... e.—.. f..…... “...” g...";
        let found: Vec<(&str, usize)> = super::ellipses(text)
            .into_iter()
            .map(|(r, style)| (&text[r], style))
            .collect();
        let at: Vec<usize> = super::ellipses(text).iter().map(|(r, _)| r.start).collect();
        assert_eq!(
            found,
            [
                ("...", 0),
                ("...", 0),
                ("…", 1),
                ("...", 0),
                ("...", 0),
                ("...", 0)
            ]
        );
        assert_eq!(at, [5, 10, 33, 36, 43, 51]);
    }

    #[test]
    fn fix_writes_the_usual_form() {
        let one = "It’s something… Lots of people…\n";
        let two = "Ruth kept to herself... mostly.... Then `a...b` said.\n";
        let fixed = fixed_texts("ellipsis-style", &[("a.md", one), ("b.md", two)], false);
        assert_eq!(
            fixed[1],
            "Ruth kept to herself… mostly…. Then `a...b` said.\n"
        );
    }

    fn messages(chapters: &[(&str, &str)]) -> Vec<(usize, u32, String)> {
        run_rule_on("ellipsis-style", chapters)
            .1
            .into_iter()
            .map(|d| (d.primary.chapter, d.primary.span.start, d.message))
            .collect()
    }

    #[test]
    fn flags_the_minority_form_once_per_paragraph() {
        let found = messages(&[
            ("a.txt", "It’s something… she said.\n\nLots… of… them.\n"),
            ("b.txt", "Ruth kept to herself... mostly... yes.\n"),
        ]);
        assert_eq!(
            found,
            vec![(
                1,
                20,
                "three-dot ellipsis “...” in a manuscript that otherwise uses the ellipsis character “…” (3×)".to_string()
            )]
        );
    }

    #[test]
    fn a_tie_says_so_and_keeps_the_form_met_first() {
        let found = messages(&[
            ("a.txt", "It’s something… she said.\n\nLots… of them.\n"),
            ("b.txt", "Ruth kept to herself... mostly... yes.\n"),
        ]);
        assert_eq!(
            found,
            vec![(
                1,
                20,
                "three-dot ellipsis “...”, used as often as the ellipsis character “…” (2× each), which comes first in the manuscript".to_string()
            )]
        );
    }

    #[test]
    fn quiet_when_one_form_is_used() {
        assert!(messages(&[("a.txt", "Well... no.\n\nWait....\n")]).is_empty());
        assert!(messages(&[("a.txt", "Well… no.\n"), ("b.txt", "Fine… then.\n")]).is_empty());
        // Two dots or a long run of dots are not ellipses.
        assert!(messages(&[("a.txt", "Well.. no. Dots...... Fine… then.\n")]).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render_human(
            "ellipsis-style",
            &[
                ("chapter-01.txt", "It’s something…\n"),
                (
                    "chapter-02.txt",
                    "Ruth kept to herself... mostly.\n\nAnd then… nothing.\n"
                ),
            ]
        ));
    }
}
