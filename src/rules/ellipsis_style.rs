use crate::declare_rule;
use crate::diagnostic::Edit;
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::rules::mixed_style::{StyleUse, find_all, report_minority};
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

fn build(_setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    Ok(Box::new(EllipsisStyle))
}

struct EllipsisStyle;

/// `...` (a run of exactly three dots; `....` is an ellipsis plus a full
/// stop, also counted) and `…`.
fn ellipses(text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
    let mut out = Vec::new();
    let mut run_start: Option<usize> = None;
    let close_run = |start: Option<usize>, end: usize, out: &mut Vec<_>| {
        if let Some(start) = start
            && (3..=4).contains(&(end - start))
        {
            out.push((start..start + 3, 0));
        }
    };
    for (i, c) in text.char_indices() {
        if c == '.' {
            run_start.get_or_insert(i);
            continue;
        }
        close_run(run_start.take(), i, &mut out);
        if c == '…' {
            out.push((i..i + c.len_utf8(), 1));
        }
    }
    close_run(run_start, text.len(), &mut out);
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
            "use one form throughout; a find-and-replace of “...” with “…” (or back) fixes them all",
            Some(&mend),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{fixed_texts, render_human, run_rule_on};

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
                "three-dot ellipsis “...” (2× in this paragraph) in a manuscript that otherwise uses the ellipsis character “…” (3×)".to_string()
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
