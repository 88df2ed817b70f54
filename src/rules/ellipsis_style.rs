use crate::declare_rule;
use crate::diagnostic::{Applicability, Edit};
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::rules::mixed_style::{Majority, StyleUse, find_all, house_style, report_minority};
use crate::text::{Chapter, Manuscript, Span};

declare_rule! {
    /// ## What it does
    /// Counts the ellipses of the whole manuscript written as three dots
    /// (`...`), as the single character `…`, and as spaced dots (`. . .`,
    /// the Chicago style, with spaces or no-break spaces; `. . . .` ends a
    /// sentence; five dots or more are a leader, and dots beside dashes
    /// Morse code). When more than one form is used, every paragraph with a
    /// form other than the commonest is flagged (once per paragraph),
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
    /// Safe: `--fix` writes the less common form as the usual one (a
    /// sentence's closing full stop stays: `. . . .` becomes `….`; spaced
    /// dots stand apart from the word before: `know…` becomes `know . . .`).
    ///
    /// ## Options
    /// - `prefer`: the house form, where the manuscript's own majority
    ///   should not decide (a copy-editor's brief): `"three-dots"` (`...`),
    ///   `"character"` (`…`) or `"spaced-dots"` (`. . .`). Every
    ///   ellipsis written another way is then flagged, and `--fix` writes
    ///   the house form. Unset (the default), the commonest form is kept.
    ///
    /// ```toml
    /// [rules.ellipsis-style]
    /// prefer = "character"
    /// ```
    ///
    /// Turn the rule off with `[rules.ellipsis-style] level = "off"`.
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

#[derive(Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    prefer: Option<String>,
}

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    let options: Options = setup.options()?;
    // In the order of the styles [`ellipses`] reports.
    let house = house_style(
        "ellipsis-style",
        options.prefer.as_deref(),
        &[
            &["three-dots", "...", "three dots"],
            &["character", "…", "ellipsis character"],
            &["spaced-dots", ". . .", "spaced dots", "spaced"],
        ],
    )?;
    Ok(Box::new(EllipsisStyle { house }))
}

struct EllipsisStyle {
    /// The house form (a style of [`ellipses`]) and its setting (see
    /// [`Majority::House`]); `None` to keep the commonest.
    house: Option<(usize, String)>,
}

/// Style 0: `...` (a run of exactly three dots; `....` is an ellipsis plus
/// a full stop, also counted); 1: `…`; 2: `. . .` (see [`spaced_at`]).
fn ellipses(text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // The run of dots being read, as (start, end).
    let mut run: Option<(usize, usize)> = None;
    // The end of the last spaced ellipsis, whose dots are read.
    let mut spaced_end = 0;
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
        if i < spaced_end {
            continue;
        }
        if bytes[i] == b'.'
            && run.is_none_or(|(_, end)| end != i)
            && let Some(end) = spaced_at(bytes, i)
        {
            close_run(run.take(), &mut out);
            out.push((i..end, 2));
            spaced_end = end;
            continue;
        }
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
    out.sort_by_key(|(range, _)| range.start);
    out
}

/// The end of a spaced ellipsis starting at the `.` at `at`: three dots
/// (four at a sentence's end), each after a space or a no-break space, and
/// no dot right before or after (`. . .`, `. . . .`). Skipped by the dot
/// runs of [`ellipses`] until its end. Five dots or more are a leader
/// (`Chapter One . . . . . 7`), and dots beside a dash Morse code (`. . .
/// - - -`): neither is an ellipsis.
fn spaced_at(bytes: &[u8], at: usize) -> Option<usize> {
    if at > 0 && bytes[at - 1] == b'.' {
        return None;
    }
    let dash = |b: Option<&u8>| matches!(b, Some(b'-'));
    // After a spaced dot, this one is inside a longer run (a leader).
    let before = bytes[..at].iter().rev().find(|&&b| b != b' ');
    if dash(before) || before == Some(&b'.') {
        return None;
    }
    let space = |i: usize| match bytes.get(i..) {
        Some([b' ', ..]) => Some(1),
        Some([0xC2, 0xA0, ..]) => Some(2),
        _ => None,
    };
    let mut end = at + 1;
    let mut dots = 1;
    while dots < 4 {
        let Some(gap) = space(end) else { break };
        if bytes.get(end + gap) != Some(&b'.') || bytes.get(end + gap + 1) == Some(&b'.') {
            break;
        }
        end += gap + 1;
        dots += 1;
    }
    let next = bytes[end..].iter().find(|&&b| b != b' ');
    let more = dots == 4 && space(end).is_some_and(|gap| bytes.get(end + gap) == Some(&b'.'));
    (dots >= 3 && !more && !dash(next)).then_some(end)
}

/// The ellipsis at `span` written in the majority's form. A spaced
/// ellipsis of four dots keeps its sentence's full stop (`. . . .` →
/// `….`); three dots before a full stop (`....`) written spaced become
/// `. . . .`.
fn mend(chapter: &Chapter, span: Span, majority: &StyleUse) -> Option<Edit> {
    let form = if majority.name.contains("“...”") {
        "..."
    } else if majority.name.contains("“…”") {
        "…"
    } else {
        ". . ."
    };
    let found = chapter.slice(span);
    let four = found.bytes().filter(|&b| b == b'.').count() == 4;
    let stop_follows = chapter.text[span.end as usize..].starts_with('.');
    // Spaced dots stand apart from the word before (`know . . .`), as
    // the style sets them; after a full stop they end a sentence.
    let word_before = chapter.text[..span.start as usize]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let replacement = match (form, four) {
        (". . .", _) if stop_follows => ". . . ".to_string(),
        (". . .", _) if word_before => " . . .".to_string(),
        (form, true) => format!("{form}."),
        (form, false) => form.to_string(),
    };
    (found != replacement).then(|| Edit::replace(span, replacement))
}

impl Rule for EllipsisStyle {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        let found = find_all(manuscript, "ellipsis-style", 3, ellipses);
        const NAMES: [&str; 3] = [
            "three-dot ellipsis “...”",
            "the ellipsis character “…”",
            "spaced ellipsis “. . .”",
        ];
        // The usual form: the house one, else the commonest, and of
        // equals the one met first.
        let commonest = || {
            (0..3)
                .filter(|&i| !found[i].is_empty())
                .min_by_key(|&i| (std::cmp::Reverse(found[i].len()), found[i][0]))
        };
        let Some(usual) = self
            .house
            .as_ref()
            .map(|&(style, _)| style)
            .or_else(commonest)
        else {
            return;
        };
        let setting = self.house.as_ref().map(|(_, setting)| setting.as_str());
        let majority = || Majority::house_or_count(setting, true);
        for other in (0..3).filter(|&i| i != usual) {
            report_minority(
                manuscript,
                ctx,
                StyleUse {
                    name: NAMES[usual],
                    places: found[usual].clone(),
                },
                StyleUse {
                    name: NAMES[other],
                    places: found[other].clone(),
                },
                majority(),
                "use one form throughout: `--fix` writes the usual one, as a find-and-replace in your editor would",
                Some((&mend, Applicability::Safe)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{fixed_texts, fixed_texts_with, render_human, run_rule_on, run_rule_with};

    /// A book that keeps to three dots is never flagged on its own; with the
    /// house form set, each paragraph's dots are, and `--fix` writes `…`.
    #[test]
    fn a_house_form_flags_a_book_that_keeps_to_another() {
        let chapters = [("1.txt", "Well... mostly.\n\nI suppose... yes...\n")];
        assert!(run_rule_on("ellipsis-style", &chapters).1.is_empty());
        let house = r#"prefer = "character""#;
        let (_, findings) = run_rule_with("ellipsis-style", house, &chapters);
        let messages: Vec<&str> = findings.iter().map(|d| d.message.as_str()).collect();
        let message =
            "three-dot ellipsis “...” where the house style is the ellipsis character “…”";
        assert_eq!(messages, vec![message, message]);
        assert_eq!(
            fixed_texts_with("ellipsis-style", house, &chapters, false),
            vec!["Well… mostly.\n\nI suppose… yes…\n".to_string()]
        );
    }

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

    /// Spaced dots (the Chicago style) are a third form: three, or four at
    /// a sentence's end, with spaces or no-break spaces; initials and a
    /// full stop after an ellipsis are not.
    #[test]
    fn spaced_ellipses_are_a_form_of_their_own() {
        let text = "Forty-two. . . . Perhaps. . . perhaps . . . then\u{a0}.\u{a0}.\u{a0}. J. R. R. Tolkien. . . .. Contents . . . . . . 7 and . . . - - - . . . SOS";
        let found: Vec<(&str, usize)> = super::ellipses(text)
            .into_iter()
            .map(|(r, style)| (&text[r], style))
            .collect();
        assert_eq!(
            found,
            [
                (". . . .", 2),
                (". . .", 2),
                (". . .", 2),
                (".\u{a0}.\u{a0}.", 2),
                (". . .", 2),
            ]
        );
        let usual = "It’s something… Lots of people… she said… and then…\n";
        let spaced = "Forty-two. . . . Perhaps. . . perhaps... so.... Yes.\n";
        let fixed = fixed_texts(
            "ellipsis-style",
            &[("a.md", usual), ("b.md", spaced)],
            false,
        );
        assert_eq!(fixed[1], "Forty-two…. Perhaps… perhaps… so…. Yes.\n");
        let messages: Vec<String> =
            run_rule_on("ellipsis-style", &[("a.md", usual), ("b.md", spaced)])
                .1
                .into_iter()
                .map(|d| d.message)
                .collect();
        assert_eq!(
            messages,
            [
                "spaced ellipsis “. . .” in a manuscript that otherwise uses the ellipsis character “…” (4×)",
                "three-dot ellipsis “...” in a manuscript that otherwise uses the ellipsis character “…” (4×)",
            ]
        );
        // Spaced is the usual form: the others are written spaced, a
        // sentence's full stop kept.
        let spaced_book = "Well. . . no. . . . And . . . so.\n";
        let fixed = fixed_texts(
            "ellipsis-style",
            &[("a.md", spaced_book), ("b.md", "Then... so.... Yes…\n")],
            false,
        );
        assert_eq!(fixed[1], "Then . . . so. . . . Yes . . .\n");
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
