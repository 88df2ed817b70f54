use std::sync::OnceLock;

use rayon::prelude::*;

use crate::declare_rule;
use crate::diagnostic::{Applicability, Edit, Finding, Fix};
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::rules::mixed_style::{
    Majority, StyleUse, find_all, first_wins, house_style, report_minority,
};
use crate::text::sentences::SPEECH_VERBS;
use crate::text::{Chapter, Manuscript, Span};
use crate::word_set::WordSet;

declare_rule! {
    /// ## What it does
    /// Checks quotation marks across the whole manuscript:
    ///
    /// - **mixed double quotes**: straight (`"`) and curly (`“ ”`) double
    ///   quotes both used. The less common style is flagged, once per
    ///   paragraph, pointing at where the usual one is used; one straight
    ///   quote in a book of curly quotes is the finding, not the curly ones.
    /// - **mixed apostrophes and single quotes**: straight (`'`) and curly
    ///   (`‘ ’`) single marks both used — inside words (“don't”), at their
    ///   start or end (“the '90s”, “goin'”, “'em”) or as single quotes —
    ///   flagged the same way. A book writes both kinds in one style: where
    ///   the two kinds' majorities differ and one kind's vote is close (the
    ///   smaller style at least half the larger, as when a plain-text
    ///   chapter is pasted into a short curly book), that kind follows the
    ///   other; where both votes are close, the count of all the marks
    ///   decides both.
    /// - **unbalanced quotes**: a paragraph that opens a double quote, a
    ///   curly single quote (British dialogue, `‘Yes, she said.`) or a
    ///   guillemet (`«`, or `»` in German books that quote `»so«`) and
    ///   never closes it. A `‘` opens only at the start of a word and not
    ///   before a dropped letter typed with it: an elision (`‘em`, `‘tis`),
    ///   a dropped h (`‘Enry`, `‘ouse`), or a lowercase word right after
    ///   another (`and ‘is ‘ead`). Any `’` after a word and not before a
    ///   letter may close it, so a plural possessive (`the boys’`) passes
    ///   for a closing quote; single quotes do not nest, so one opened again
    ///   before it closed (`‘Come here, she said. ‘Sit down.’`) is still
    ///   open. Straight single quotes are not balanced: they double as
    ///   apostrophes. Speech that runs on into the next paragraph is
    ///   fine: by convention that paragraph ends without a closing quote and
    ///   the next one opens with a quote (after a guillemet, with a
    ///   guillemet or the dash of the next speaker's turn). A scene break or a heading in
    ///   between, a chapter boundary, or an indented letter or verse inside
    ///   the speech do not count as an end.
    /// - **a quote not closed before its dialogue tag**: a quote opened
    ///   again, with no close between, after spoken words, a comma and a
    ///   short tag with a speech verb and a full stop (`“Come here, she
    ///   said. “Sit down.”`), for double, curly single and straight marks.
    ///   The first quote is flagged even where the paragraph ends closed,
    ///   or where the next one opens with a quote. A tag that leads into
    ///   the second quote with a comma (`… and I said, “Pick us out …”`) is
    ///   how older books nest quotes, and is left alone.
    ///
    /// - **marks turned the wrong way** (English chapters, in a book that
    ///   writes that kind of mark curly): a `”` that opens a word after a
    ///   space (`*”keeper”*`, smart quotes misled by markup), a `“` that
    ///   ends one before a space (`“Stop“ she said`), and a `‘` where an
    ///   apostrophe belongs: inside or at the end of a word (`don‘t`, `the
    ///   ‘area‘ of`), before a decade or a year (`the ‘90s`, `in ‘66`),
    ///   before `tis`, `twas`, `twere`, `twill`, `em` or `n`, or before a
    ///   dropped h in lowercase (`‘ouse`; `‘Olly` may be a name). At a
    ///   word's start a `‘` is left alone where a quotation it may open is
    ///   closed after spoken punctuation later in the paragraph (`‘40
    ///   turns.’`, `‘Tis late indeed,’ he said`; a plural possessive,
    ///   `the boys’`, closes none), and so is a word quoted alone (`the
    ///   letters ‘em’`). Markup around a mark is passed over.
    ///
    /// Front matter, code and HTML are not prose and are not counted, nor
    /// are the marks of feet and inches (`6'2"`).
    ///
    /// ## Fix
    /// Safe: `--fix` writes the minority marks of a paragraph in the
    /// manuscript's majority style. Straight to curly takes its direction
    /// from the context, Markdown emphasis and inline HTML passed over:
    /// `“` and `‘` open a word or an ellipsis after a space or a bracket
    /// (`*"keeper"*` becomes `*“keeper”*`); `”` and `’` close one. After a dash a double
    /// quote opens when the paragraph's double quotes before it are even in
    /// number (`turned—“Run!”`) and closes otherwise (`“Wait—”she said`).
    /// `’` also stands for elided letters at
    /// the start of a word (`’90s`, `’em`, `’tis`, `rock ’n’ roll`, `in
    /// ’66`; but a year or a capitalised elision that starts a quotation
    /// closed after spoken punctuation opens it: `'40 turns.'`, `'Round the
    /// back,' he wrote`) and at its end (`goin’`, `the boys’`). Curly marks made straight are an unsafe fix
    /// (`--unsafe-fixes`) when the book's other kind of mark is curly: in a
    /// book of curly double quotes where straight apostrophes are the
    /// majority (a chapter exported as plain text), the straight ones are
    /// more likely the slip than the curly ones. A mark turned the wrong
    /// way is turned (safe). Unclosed quotes get no fix: only a writer
    /// knows where the speech ends.
    ///
    /// ## Why
    /// Straight quotes in a curly-quoted book come from pasting text from
    /// another editor or a plain-text email; they are conspicuous in print.
    /// An unclosed quote leaves the reader unsure where speech ends, and
    /// usually means a closing quote was deleted by an edit.
    ///
    /// ## Example
    /// ```text
    /// “Don’t open them,” she said.                   (the book’s style)
    /// "Hollis says they're worth nothing," she said.  ← flagged twice:
    ///                                                  straight quotes and
    ///                                                  a straight apostrophe
    /// “That’s the corner of Sunset, he said.          ← flagged: not closed
    /// ```
    ///
    /// ## Options
    /// - `prefer`: the house style, `"curly"` or `"straight"`, where the
    ///   manuscript's own majority should not decide (a copy-editor's
    ///   brief; a draft exported mostly as plain text). Every quotation
    ///   mark and apostrophe of the other style is then flagged, once per
    ///   paragraph, and `--fix` writes the house style (safe). Unset (the
    ///   default), the majority is kept as described above.
    ///
    /// ```toml
    /// [rules.quote-style]
    /// prefer = "curly"
    /// ```
    ///
    /// Turn the rule off with `[rules.quote-style] level = "off"`.
    pub static META = {
        id: "quote-style",
        category: Typography,
        severity: Warning,
        scope: Manuscript,
        summary: "Straight and curly quotes mixed, or a quote left open",
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
    let house = house_style(
        "quote-style",
        options.prefer.as_deref(),
        &[&["curly", "smart"], &["straight"]],
    )?
    .map(|(style, setting)| (style == 1, setting));
    Ok(Box::new(QuoteStyle { house }))
}

struct QuoteStyle {
    /// The house style (straight or not), and its setting (see
    /// [`Majority::House`]); `None` to keep the manuscript's majority.
    house: Option<(bool, String)>,
}

/// Style 0: straight double quote; 1: curly double quote; 2: straight
/// single mark (`'`: an apostrophe or a single quote, anywhere in a word or
/// around one: `don't`, `the '90s`, `goin'`, `'em`); 3: curly single mark
/// (`‘` or `’`).
fn marks(text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
    let mut out = Vec::new();
    for (i, mark) in crate::text::quotation_marks(text) {
        match mark {
            '"' if !is_inch_mark(text, i) => out.push((i..i + 1, 0)),
            '\'' if is_single_quote_mark(text, i) => out.push((i..i + 1, 2)),
            '“' | '”' => out.push((i..i + 3, 1)),
            '‘' | '’' => out.push((i..i + 3, 3)),
            _ => {}
        }
    }
    out
}

/// A straight `'` that is an apostrophe or a single quote: next to a letter
/// or a digit (not a foot mark after a number such as `5'`, and not a
/// lone `'` between spaces), or closing a quote after the punctuation that
/// ends what was said (`'Hold on, miss,' he said`, `'Yes.'`, `'No!'`,
/// `'Wait—'`): the usual place of a closing single quote, which was
/// neither counted nor fixed, so British dialogue kept `‘Yes,'`.
fn is_single_quote_mark(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + 1..].chars().next();
    let letter = |c: Option<char>| c.is_some_and(char::is_alphabetic);
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    letter(before)
        || letter(after)
        || (digit(after) && !digit(before))
        || closes_after_punctuation(text, at, 1)
}

/// The single mark at `at` (`'` or `’`, `mark_len` bytes) follows a word
/// and the punctuation that ends a spoken phrase (`,` `.` `!` `?` `;` `:`
/// `…` `—` `–`, one or a few), and no letter or digit follows it.
fn closes_after_punctuation(text: &str, at: usize, mark_len: usize) -> bool {
    let is_end = |c: char| ",.!?;:…—–".contains(c);
    let before = text[..at].trim_end_matches(is_end);
    let punctuation = at - before.len();
    (1..=3 * '…'.len_utf8()).contains(&punctuation)
        && before.ends_with(char::is_alphanumeric)
        && !text[at + mark_len..].starts_with(char::is_alphanumeric)
}

/// A straight `"` after feet and inches (`6'2"`): a measure, not a quote.
fn is_inch_mark(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches(|c: char| c.is_ascii_digit());
    before.len() < at
        && (before.ends_with('\'') || before.ends_with('’'))
        && before[..before.len() - before.chars().next_back().map_or(0, char::len_utf8)]
            .ends_with(|c: char| c.is_ascii_digit())
}

/// Words that begin with an elided letter, written with an apostrophe at
/// their start (`’em`, `’tis`, `rock ’n’ roll`), not an opening quote.
static ELISIONS: WordSet = WordSet::new(&[
    "em", "tis", "twas", "twere", "twill", "n", "til", "till", "cause", "cos", "bout", "round",
    "cept", "nuff", "fore", "gainst", "neath", "twixt", "er", "im", "ere", "ow", "ello", "appen",
    "alf", "ome", "ad", "ave", "e", "s", "un", "uns", "kay", "sup", "cuz", "ya", "y",
]);

/// A chapter's prose around a mark as a reader sees it: the markup the
/// prose blanks (Markdown's `*` and `_`, inline HTML tags) is passed over,
/// so that `*"keeper"*` opens after the space before its `*`, and
/// `"*Go home*,"` before its `G`. Read in the source, the `*` and the `>`
/// of `<em>` counted as a word's end, and the fix closed such a quote
/// where it opens.
struct Around<'a> {
    prose: &'a str,
    source: &'a str,
}

impl<'a> Around<'a> {
    fn of(chapter: &'a Chapter) -> Around<'a> {
        Around {
            prose: &chapter.prose,
            source: &chapter.text,
        }
    }

    /// Byte `i` is markup the prose blanks (a space there, not in the
    /// source).
    fn is_markup(&self, i: usize) -> bool {
        self.prose.as_bytes()[i] == b' ' && self.source.as_bytes().get(i) != Some(&b' ')
    }

    /// The character before `at`, markup passed over.
    fn before(&self, at: usize) -> Option<char> {
        let mut i = at;
        while i > 0 && self.is_markup(i - 1) {
            i -= 1;
        }
        self.prose[..i].chars().next_back()
    }

    /// The prose from `at` on, markup passed over.
    fn after(&self, at: usize) -> &'a str {
        let mut i = at;
        while i < self.prose.len() && self.is_markup(i) {
            i += 1;
        }
        &self.prose[i..]
    }
}

/// The curly form of the straight quote at `span`, from its context (see
/// [`Around`]): an opening mark after a space or an opening bracket and
/// before a word or an ellipsis (`"...and then,"`); a closing mark (or
/// apostrophe) otherwise. After a dash a double quote may open speech
/// (`turned—"Run!"`) or close it (`"Wait—"she said`): the straight double
/// quotes before it in its paragraph decide, an even count opening. `’`
/// also before a decade (`’90s`), a year (`in ’66`, unless a closing quote
/// follows in the paragraph: `‘40 turns.’`) and the elided words in
/// [`ELISIONS`].
fn curly_for(
    around: &Around,
    span: Span,
    closer_follows: &dyn Fn(usize) -> bool,
) -> Option<&'static str> {
    let (start, end) = (span.start as usize, span.end as usize);
    let before = around.before(start);
    let rest = around.after(end);
    let after = rest.chars().next();
    let dash = |c: Option<char>| c.is_some_and(|c| "—–-/".contains(c));
    let opens_after =
        |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "([{“‘\"'".contains(c)) || dash(c);
    let word_follows = after.is_some_and(|c| !c.is_whitespace() && !",.;:!?)]}".contains(c));
    match &around.prose[start..end] {
        "\"" => {
            let speech_follows = word_follows || rest.starts_with("...");
            let opens = if dash(before) {
                speech_follows && quotes_before_in_paragraph(around.prose, start).is_multiple_of(2)
            } else {
                opens_after(before) && speech_follows
            };
            Some(if opens { "“" } else { "”" })
        }
        "'" => {
            if before.is_some_and(char::is_alphanumeric) || !word_follows {
                return Some("’");
            }
            // A decade or a year (`’90s`, `in ’66`) and an elided word
            // (`’em`, `’Tis`), unless a quotation may start there: after
            // a space, with a quote closed after spoken punctuation later in
            // the paragraph (`'40 turns.'`, `'Round the back,' he wrote`).
            // A plural possessive (`the boys' school`) closes no quotation.
            let decade = rest.len() > 2
                && rest.as_bytes()[..2].iter().all(u8::is_ascii_digit)
                && rest[2..].starts_with('s');
            let quotation = || {
                opens_after(before)
                    && after.is_some_and(|c| c.is_ascii_digit() || c.is_uppercase())
                    && spoken_close_follows(around.prose, end)
            };
            if decade
                || ((after.is_some_and(|c| c.is_ascii_digit()) || is_elision(rest)) && !quotation())
            {
                return Some("’");
            }
            let opens = opens_after(before) && closer_follows(end);
            Some(if opens { "‘" } else { "’" })
        }
        _ => None,
    }
}

/// Where in each chapter a single mark could close a quote: one at the end
/// of a word (`… 'Wait' and`), found once per chapter, when a fix first asks.
/// A mark at a word's start with none after it in its paragraph is an
/// elision, not a quote that is never closed: French `'Tain, t'es pas
/// croyable` and Spanish `'Ta luego` got `‘`, a quote the fix opened and
/// nothing closed. Looked up by binary search: asked afresh for each mark,
/// the search to the paragraph's end was quadratic in a long one.
struct Closers(Vec<OnceLock<Vec<u32>>>);

impl Closers {
    fn new(chapters: usize) -> Closers {
        Closers((0..chapters).map(|_| OnceLock::new()).collect())
    }

    /// Whether a mark that could close a quote follows `at` in its
    /// paragraph of `chapter`.
    fn follow(&self, chapter: &Chapter, at: usize) -> bool {
        let closers = self.0[chapter.index].get_or_init(|| {
            let prose = &chapter.prose;
            crate::text::quotation_marks(prose)
                .filter(|&(i, c)| {
                    matches!(c, '\'' | '’')
                        && prose[..i].ends_with(|b: char| !b.is_whitespace())
                        && !prose[i + c.len_utf8()..].starts_with(char::is_alphanumeric)
                })
                .map(|(i, _)| i as u32)
                .collect()
        });
        let blocks = &chapter.blocks;
        let end = blocks
            .get(blocks.partition_point(|b| (b.span.end as usize) <= at))
            .map_or(chapter.text.len(), |b| b.span.end as usize);
        let next = closers.partition_point(|&p| (p as usize) < at);
        closers.get(next).is_some_and(|&p| (p as usize) < end)
    }
}

/// How many straight double quotes (not inch marks) come before `at` in its
/// paragraph (from the last blank line).
fn quotes_before_in_paragraph(text: &str, at: usize) -> usize {
    let from = text[..at].rfind("\n\n").map_or(0, |p| p + 2);
    text[from..at]
        .match_indices('"')
        .filter(|&(i, _)| !is_inch_mark(text, from + i))
        .count()
}

/// The word starting `rest` is an elided word (`em` of `’em`), followed by
/// something that is not a letter.
fn is_elision(rest: &str) -> bool {
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    ELISIONS.contains(&word)
}

/// Turns a minority quote mark into the majority style: straight to curly by
/// context ([`curly_for`]), or curly to straight.
fn mend(closers: &Closers, chapter: &Chapter, span: Span, majority: &StyleUse) -> Option<Edit> {
    let replacement = if majority.name.starts_with("curly") {
        curly_for(&Around::of(chapter), span, &|at| {
            closers.follow(chapter, at)
        })?
    } else {
        match chapter.slice(span) {
            "“" | "”" => "\"",
            "‘" | "’" => "'",
            _ => return None,
        }
    };
    Some(Edit::replace(span, replacement))
}

/// How one kind of mark (double quotes, or apostrophes and single quotes)
/// is used: how often straight and curly, and whether straight is the
/// majority by its own count ([`first_wins`]).
#[derive(Clone, Copy)]
struct Kind {
    straight: usize,
    curly: usize,
    straight_wins: bool,
}

impl Kind {
    fn of(straight: &[(usize, Span)], curly: &[(usize, Span)]) -> Kind {
        Kind {
            straight: straight.len(),
            curly: curly.len(),
            straight_wins: first_wins(straight, curly),
        }
    }

    fn used(self) -> bool {
        self.straight + self.curly > 0
    }

    /// Both styles used, the smaller at least half the larger: a vote
    /// too close to say which is the slip on its own.
    fn close(self) -> bool {
        let (low, high) = (self.straight.min(self.curly), self.straight.max(self.curly));
        low > 0 && low * 2 >= high
    }
}

/// The style each kind of mark keeps: (straight, the [`Majority`] to
/// report it with). A book writes both kinds in one style, so where the
/// kinds' own counts disagree and one of them is close (a plain-text
/// chapter pasted into a curly book: 31 straight apostrophes to 30 curly,
/// and 40 straight double quotes to 50 curly), the close one follows the
/// other; where both are close, both follow the count of all the marks,
/// and on a tie of those the style met first (`straight_first`).
/// The book's correct curly apostrophes had been the ones flagged, and
/// `--fix` curled the pasted chapter's double quotes around straight
/// apostrophes.
struct Kept {
    doubles: (bool, Majority),
    singles: (bool, Majority),
}

impl Kept {
    fn decide(doubles: Kind, singles: Kind, straight_first: bool) -> Kept {
        let own = |kind: Kind| (kind.straight_wins, Majority::ByCount);
        let disagree =
            doubles.used() && singles.used() && doubles.straight_wins != singles.straight_wins;
        if !disagree {
            return Kept {
                doubles: own(doubles),
                singles: own(singles),
            };
        }
        let style = |straight: bool, mark: &str| match (straight, mark) {
            (true, "double") => "straight (\")",
            (false, "double") => "curly (“ ”)",
            (true, _) => "straight (')",
            (false, _) => "curly (‘ ’)",
        };
        // The close kind takes the style of `other`, the kind of `mark`.
        let follow = |other: Kind, mark: &str, other_name: &str| {
            let straight = other.straight_wins;
            let count = if straight {
                other.straight
            } else {
                other.curly
            };
            let because = format!(
                "whose {other_name} are {}",
                style(straight, mark).replacen(')', &format!(", {count}×)"), 1)
            );
            (
                straight,
                Majority::Given {
                    first: straight,
                    because,
                },
            )
        };
        match (doubles.close(), singles.close()) {
            (false, true) => Kept {
                doubles: own(doubles),
                singles: follow(doubles, "double", "double quotes"),
            },
            (true, false) => Kept {
                doubles: follow(singles, "single", "apostrophes and single quotes"),
                singles: own(singles),
            },
            (true, true) => {
                let straight = doubles.straight + singles.straight;
                let all = straight + doubles.curly + singles.curly;
                // On a tie each kind's own count could keep a different
                // style, and `--fix`, which reads the book again after each
                // pass, went the other way from the report.
                let tie = straight * 2 == all;
                let wins = straight * 2 > all || (tie && straight_first);
                let word = if wins { "straight" } else { "curly" };
                let because = if tie {
                    format!(
                        "whose quotes and apostrophes are {word} as often as not ({} of {all} marks), and {word} first",
                        all / 2
                    )
                } else {
                    let most = if wins { straight } else { all - straight };
                    format!(
                        "whose quotes and apostrophes are mostly {word} ({most} of {all} marks)"
                    )
                };
                let given = |because: String| {
                    (
                        wins,
                        Majority::Given {
                            first: wins,
                            because,
                        },
                    )
                };
                Kept {
                    doubles: given(because.clone()),
                    singles: given(because),
                }
            }
            (false, false) => Kept {
                doubles: own(doubles),
                singles: own(singles),
            },
        }
    }
}

impl Rule for QuoteStyle {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        let mut found = find_all(manuscript, "quote-style", 4, marks);
        let take = |found: &mut Vec<Vec<(usize, Span)>>, i: usize| std::mem::take(&mut found[i]);
        let (straight, curly) = (take(&mut found, 0), take(&mut found, 1));
        let (straight_apos, curly_apos) = (take(&mut found, 2), take(&mut found, 3));
        let closers = Closers::new(manuscript.chapters.len());
        let mend = |chapter: &Chapter, span: Span, majority: &StyleUse| {
            mend(&closers, chapter, span, majority)
        };
        let first = |a: &[(usize, Span)], b: &[(usize, Span)]| {
            a.first().into_iter().chain(b.first()).min().copied()
        };
        let straight_first = match (first(&straight, &straight_apos), first(&curly, &curly_apos)) {
            (Some(s), Some(c)) => s < c,
            (s, _) => s.is_some(),
        };
        let kept = match &self.house {
            Some((straight, setting)) => {
                let house = || {
                    (
                        *straight,
                        Majority::house_or_count(Some(setting), *straight),
                    )
                };
                Kept {
                    doubles: house(),
                    singles: house(),
                }
            }
            None => Kept::decide(
                Kind::of(&straight, &curly),
                Kind::of(&straight_apos, &curly_apos),
                straight_first,
            ),
        };
        let (straight_doubles, straight_singles) = (kept.doubles.0, kept.singles.0);
        // Curly marks made straight are safe only in a book whose other
        // marks are straight too: where the double quotes are curly, the
        // straight apostrophes are the slip (a plain-text export pasted
        // in), and a majority of them made the book's correct curly ones
        // straight, leaving “It's …”, which nothing reported after.
        let toward_straight =
            |straight_wins: bool, other_curly: bool| match straight_wins && other_curly {
                true => Applicability::Unsafe,
                false => Applicability::Safe,
            };
        let doubles_fix = toward_straight(straight_doubles, !straight_singles);
        let singles_fix = toward_straight(straight_singles, !straight_doubles);
        report_minority(
            manuscript,
            ctx,
            StyleUse {
                name: "straight double quotes (\")",
                places: straight,
            },
            StyleUse {
                name: "curly double quotes (“ ”)",
                places: curly,
            },
            kept.doubles.1,
            "use one style throughout; most editors can convert quotes (smart quotes) in one pass",
            Some((&mend, doubles_fix)),
        );
        report_minority(
            manuscript,
            ctx,
            StyleUse {
                name: "straight apostrophes and single quotes (')",
                places: straight_apos,
            },
            StyleUse {
                name: "curly apostrophes and single quotes (‘ ’)",
                places: curly_apos,
            },
            kept.singles.1,
            "use one style throughout; most editors can convert apostrophes (smart quotes) in one pass",
            Some((&mend, singles_fix)),
        );
        // Marks turned the wrong way, where curly marks are the book's.
        let (curly_doubles, curly_singles) = (!straight_doubles, !straight_singles);
        let turned: Vec<Vec<Finding>> = manuscript
            .chapters
            .par_iter()
            .map(|chapter| turned_marks(chapter, curly_doubles, curly_singles))
            .collect();
        for finding in turned.into_iter().flatten() {
            ctx.report(finding);
        }
        let unbalanced: Vec<Vec<Finding>> = manuscript
            .chapters
            .par_iter()
            .map(|chapter| {
                let next_chapter_continues = manuscript
                    .chapters
                    .get(chapter.index + 1)
                    .and_then(|next| {
                        let first = next.paragraphs().next()?;
                        Some(continues_speech(next, first))
                    })
                    .unwrap_or(false);
                unclosed_quotes(chapter, next_chapter_continues)
            })
            .collect();
        for finding in unbalanced.into_iter().flatten() {
            ctx.report(finding);
        }
    }
}

/// A paragraph that carries on open speech: it opens with a quote, or it is
/// set off by indentation (a letter, verse or an extract inside the speech).
fn continues_speech(chapter: &Chapter, block: &crate::text::Block) -> bool {
    let line_start = chapter.text[..block.span.start as usize]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let indented = chapter.text[line_start..block.span.start as usize]
        .chars()
        .any(|c| c == ' ' || c == '\t');
    let text = chapter.prose_slice(block.span).trim_start();
    indented
        || text.starts_with(['“', '"'])
        // `‘Twas a dark night` opens with an elision, not with speech.
        || text
            .strip_prefix(['‘', '\''])
            .is_some_and(|rest| {
                // One letter is an initial (`‘E. Gardiner’`), not `‘e`.
                let letters = rest.len() - rest.trim_start_matches(char::is_alphabetic).len();
                letters < 2 || !ELISIONS.contains_ascii_lowercased(&rest[..letters])
            })
}

/// Where a guillemet the paragraph opens is left open, if one is: the
/// first guillemet of the paragraph opens (« in French and Swiss text, »
/// in German books), and the other kind closes.
fn unclosed_guillemet(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut opener = None;
    let mut open: Vec<usize> = Vec::new();
    for i in memchr::memchr_iter(0xC2, bytes) {
        let mark = match bytes.get(i + 1) {
            Some(&0xAB) => '«',
            Some(&0xBB) => '»',
            _ => continue,
        };
        if *opener.get_or_insert(mark) == mark {
            open.push(i);
        } else {
            open.pop();
        }
    }
    open.first().copied()
}

/// A paragraph that carries on speech a guillemet opened: it opens with a
/// guillemet or, in French, with the dash of the next speaker's turn
/// inside the same quotation (`« Tu viens ?` / `— Non.` / `— Pourquoi ? »`),
/// or it is set off by indentation.
fn continues_guillemets(chapter: &Chapter, block: &crate::text::Block) -> bool {
    continues_speech(chapter, block)
        || chapter
            .prose_slice(block.span)
            .trim_start()
            .starts_with(['«', '»', '—', '–'])
}

/// Whether the `‘` at byte `at` of `text` opens a quotation: at the start
/// of a word (after a space, a bracket, a dash or a double quote) and before
/// a letter, and not a dropped letter typed with the wrong mark, which
/// autocorrect writes and dialect is full of: a known elision (`‘em`,
/// `‘tis`), a dropped h (`‘Enry`, `‘ouse`: the word is rare, with an h it
/// is common), or a lowercase word straight after another word (`and ‘is
/// ‘at`: a quotation opened mid-sentence usually follows punctuation).
fn opens_single(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches([' ', '\t']);
    let previous = text[..at].chars().next_back().unwrap_or(' ');
    let rest = &text[at + '‘'.len_utf8()..];
    let at_word_start = previous.is_whitespace() || "([{—–-“\"".contains(previous);
    let letters = rest.len() - rest.trim_start_matches(char::is_alphabetic).len();
    let word = &rest[..letters];
    if !at_word_start || word.is_empty() || ELISIONS.contains_ascii_lowercased(word) {
        return false;
    }
    let after_a_word = before.ends_with(char::is_alphabetic) && previous.is_whitespace();
    let lowercase = word.starts_with(char::is_lowercase);
    !((lowercase && after_a_word) || dropped_h(word))
}

/// Whether `word` reads as a word with its h dropped: rare as it stands,
/// common with an h (`ead`, `Enry`, `orse`).
fn dropped_h(word: &str) -> bool {
    if word.len() > 20 || crate::wordfreq::zipf_of(word) >= 3.0 {
        return false;
    }
    let mut with_h = String::with_capacity(word.len() + 1);
    with_h.push('h');
    with_h.push_str(word);
    crate::wordfreq::zipf_of(&with_h) >= 3.5
}

/// Whether the `’` at byte `at` of `text` can close a single quote: after a
/// word or punctuation and not before a letter or digit (`’` inside a word
/// is an apostrophe). A plural possessive (`the boys’ room`) or a dropped
/// letter (`goin’ home`) passes for a closing quote: such a paragraph is
/// taken as closed, which errs on the side of silence.
fn closes_single(text: &str, at: usize) -> bool {
    let previous = text[..at].chars().next_back().unwrap_or(' ');
    let next = text[at + '’'.len_utf8()..].chars().next().unwrap_or(' ');
    !previous.is_whitespace() && !next.is_alphanumeric()
}

/// The dialogue tag that ends `between`, the text after an opening quote
/// up to the next opening quote of its kind with no closing one between:
/// spoken words, a comma (or `!`, `?`, `…`, a dash), then a clause of at
/// most five words with a speech verb and a full stop (“Come here, *she
/// said.* “Sit down.”). `None` for anything else: a tag that leads into
/// the second quote with a comma or colon is how older books nest double
/// quotes (“… and I said, “Pick us out a good one.” …”, in *Great
/// Expectations*), and a tag with nothing spoken before it (`He said, “…`)
/// is no slip either.
fn dialogue_tag_in(between: &str) -> Option<&str> {
    let body = between.trim_end().strip_suffix('.')?;
    let cut = body.rfind([',', '!', '?', '…', '—'])?;
    if !body[..cut].contains(char::is_alphanumeric) {
        return None;
    }
    let tag = body[cut..]
        .trim_start_matches([',', '!', '?', '…', '—'])
        .trim();
    let words = tag.split_whitespace().count();
    let spoken = tag.split_whitespace().any(|word| {
        SPEECH_VERBS.contains_ascii_lowercased(word.trim_matches(|c: char| !c.is_alphabetic()))
    });
    ((1..=5).contains(&words) && spoken).then_some(tag)
}

/// Whether the mark at byte `at` of `text` stands at a word's start: after
/// a space (or the paragraph's start) and before a letter or digit.
fn opens_word(text: &str, at: usize) -> bool {
    let previous = text[..at].chars().next_back().unwrap_or(' ');
    let next = text[at + 1..].chars().next().unwrap_or(' ');
    previous.is_whitespace() && next.is_alphanumeric()
}

/// Curly marks turned the wrong way in an English chapter, as smart quotes
/// leave them after markup or a pasted fragment, or at a word's start
/// where an apostrophe stands for what was left out: a `”` that opens a
/// word after a space (`*”keeper”*`), a `“` that ends one before a space
/// (`“Stop“ she said`), and a `‘` used as an apostrophe — inside or at the
/// end of a word (`don‘t`, `the ‘area‘ of`), before a year (`in ‘66`,
/// `the ‘90s`, unless a closing quote follows in the paragraph, as in
/// `‘40 turns.’`) or before `tis`, `twas`, `twere`, `twill`, `em` or `n`
/// (`‘Tis`, `rock ‘n’ roll`), or a dropped h (`‘ouse`, `‘Enry`). Only for the kinds of mark the book writes
/// curly (`doubles`, `singles`); German quotes („so“) are left alone.
fn turned_marks(chapter: &Chapter, doubles: bool, singles: bool) -> Vec<Finding> {
    let mut findings = Vec::new();
    if !chapter.language.is_english() || !(doubles || singles) {
        return findings;
    }
    let around = Around::of(chapter);
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    for block in chapter.blocks.iter().filter(|b| b.is_paragraph()) {
        let base = block.span.start as usize;
        let text = chapter.prose_slice(block.span);
        // Most paragraphs have no `‘` (E2 80 98) to weigh.
        let unclosed = if singles && memchr::memmem::find(text.as_bytes(), "‘".as_bytes()).is_some()
        {
            unclosed_dropped_hs(&around, base, text)
        } else {
            Vec::new()
        };
        let mut low_open = false;
        for (j, mark) in crate::text::quotation_marks(text) {
            let at = base + j;
            let before = around.before(at);
            let rest = around.after(at + mark.len_utf8());
            let after = rest.chars().next();
            let turned = match mark {
                '„' => {
                    low_open = true;
                    None
                }
                '“' if low_open => {
                    low_open = false;
                    None
                }
                '”' if doubles
                    && before.is_none_or(|c| c.is_whitespace() || "([{".contains(c))
                    && word(after) =>
                {
                    Some(("“", "closing quote (”) where a quotation opens"))
                }
                '“' if doubles && closes_like(&around, at) => {
                    Some(("”", "opening quote (“) where a quotation closes"))
                }
                '‘' if singles
                    && (unclosed.contains(&j) || apostrophe_turned(text, j, before, rest)) =>
                {
                    Some(("’", "opening quote (‘) where an apostrophe belongs"))
                }
                _ => None,
            };
            if let Some((right, message)) = turned {
                let span = Span::new(at, at + mark.len_utf8());
                findings.push(
                    Finding::new(chapter.index, span, message)
                        .label("turned the wrong way")
                        .help(if right == "’" {
                            "an apostrophe has the shape of a closing quote (’), at a word’s start too: ’tis, ’90s, rock ’n’ roll"
                        } else {
                            "turn the mark: “ opens a quotation and ” closes it"
                        })
                        .fix(Fix::safe(
                            format!("replace with {right}"),
                            vec![Edit::replace(span, right)],
                        )),
                );
            }
        }
    }
    findings
}

/// Whether the double quote at byte `at` of the chapter stands where a
/// quotation closes: after a word or the punctuation that ends speech, and
/// before a space, the paragraph's end or a closing bracket.
fn closes_like(around: &Around, at: usize) -> bool {
    let before = around.before(at);
    let after = around.after(at + '“'.len_utf8()).chars().next();
    before.is_some_and(|c| c.is_alphanumeric() || ",.!?;:…—–".contains(c))
        && after.is_none_or(|c| c.is_whitespace() || ")]}".contains(c))
}

/// Whether the `‘` at byte `at` of paragraph `text` stands for an
/// apostrophe (see [`turned_marks`]); `before` and `rest` are its context
/// with markup passed over.
fn apostrophe_turned(text: &str, at: usize, before: Option<char>, rest: &str) -> bool {
    if before.is_some_and(char::is_alphanumeric) {
        return true;
    }
    // At a word's start a `‘` may open a quotation that a later `’`
    // closes after spoken punctuation (`‘Eck,’ said Nell`, `‘Tis late
    // indeed,’`, `‘40 turns.’`): the mark stands for both, and is left
    // alone. A plural possessive (`the boys’ school`) closes none.
    if spoken_close_follows(text, at + '‘'.len_utf8()) {
        return false;
    }
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let decade = digits == 2 && rest[2..].starts_with('s');
    let tail = &rest[digits + usize::from(decade)..];
    if digits == 2 && !tail.starts_with(char::is_alphanumeric) {
        return true; // a year or a decade: in ‘66, the ‘90s
    }
    let letters = rest.len() - rest.trim_start_matches(char::is_alphabetic).len();
    let word = &rest[..letters];
    // A word quoted on its own (`the letters ‘em’`) is a quotation; `‘n’`
    // too where it is a letter (`an ‘n’.`, `the letter ‘n’ on`), not the
    // `’n’` of `rock ’n’ roll`, which joins two words.
    let closed = rest[letters..].strip_prefix('’');
    let previous = text[..at].split_whitespace().next_back().unwrap_or("");
    let quoted_alone = closed.is_some_and(|after| {
        word != "n"
            || !after.starts_with(' ')
            || ["a", "an", "the", "letter", "letters"].contains(&previous.to_lowercase().as_str())
    });
    !quoted_alone
        && (["tis", "twas", "twere", "twill"]
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w))
            || word == "em"
            || word == "n"
            // A dropped h in lowercase (`‘ouse`): a capital may be a name
            // (`‘Olly`, `‘Omer`).
            || (word.starts_with(char::is_lowercase) && dropped_h(word)))
}

/// The `‘` of a paragraph (offsets in `text`, which starts at chapter
/// offset `base`) that stand for a dropped h the balance of its single
/// marks shows up: `‘ard on ‘im`, `and ‘is father`, whose words are common
/// words too (`is`, `im`, `ard`), so that [`apostrophe_turned`] cannot tell
/// them from a quotation opening with that word (`he said ‘is it far’`).
///
/// A `‘` at a word's start that is no certain apostrophe opens a
/// quotation, and a `’` that [can close](closes_single) one closes it. When
/// the openers outnumber the closers by at least as many as the
/// candidates — lowercase words that are common with an h before them,
/// not at the paragraph's start, where a quotation carried on from the
/// last paragraph may resume mid-sentence — the candidates cannot all be
/// quotations that close, and all are taken for apostrophes. Anything
/// less, or a straight single mark in the paragraph, leaves them alone.
fn unclosed_dropped_hs(around: &Around, base: usize, text: &str) -> Vec<usize> {
    let (mut openers, mut closers) = (0usize, 0usize);
    let mut candidates = Vec::new();
    for (j, mark) in crate::text::quotation_marks(text) {
        let before = around.before(base + j);
        let rest = around.after(base + j + mark.len_utf8());
        match mark {
            '\'' => return Vec::new(),
            '’' if before.is_some_and(|c| !c.is_whitespace())
                && !rest.starts_with(char::is_alphanumeric) =>
            {
                closers += 1;
            }
            '‘' if !before.is_some_and(char::is_alphanumeric)
                && rest.starts_with(char::is_alphanumeric)
                && !apostrophe_turned(text, j, before, rest) =>
            {
                openers += 1;
                let letters = rest.len() - rest.trim_start_matches(char::is_alphabetic).len();
                let word = &rest[..letters];
                let starts_paragraph = text[..j].trim().is_empty();
                if !starts_paragraph
                    && (1..=20).contains(&word.len())
                    && word.starts_with(char::is_lowercase)
                    && crate::wordfreq::zipf_of(&format!("h{word}")) >= 3.5
                {
                    candidates.push(j);
                }
            }
            _ => {}
        }
    }
    if openers.saturating_sub(closers) >= candidates.len() {
        candidates
    } else {
        Vec::new()
    }
}

/// Whether the quotation a single mark just before `from` would open is
/// closed later in its paragraph of `text`: a single mark that closes
/// after spoken punctuation ([`closes_after_punctuation`]) comes before any
/// mark that
/// opens another quotation (at a word's start, before a word that is not
/// an elision). In `in '71 we played rock 'n' roll, and he said 'Yes.'`
/// the close is `'Yes.'`'s, not the year's.
fn spoken_close_follows(text: &str, from: usize) -> bool {
    let end = text[from..].find("\n\n").map_or(text.len(), |i| from + i);
    let paragraph = &text[from..end];
    for (k, mark) in paragraph.match_indices(['\'', '’', '‘']) {
        let rest = &paragraph[k + mark.len()..];
        let before = paragraph[..k].chars().next_back();
        if before.is_none_or(|c| c.is_whitespace() || "([{“\"—".contains(c))
            && rest.starts_with(char::is_alphanumeric)
            && !is_elision(rest)
        {
            return false;
        }
        if mark != "‘" && closes_after_punctuation(paragraph, k, mark.len()) {
            return true;
        }
    }
    false
}

/// Paragraphs that leave a double quote, a guillemet or a curly single quote
/// open, unless the next paragraph
/// (after any scene break or heading, or the next chapter's first one)
/// carries the speech on.
fn unclosed_quotes(chapter: &Chapter, next_chapter_continues: bool) -> Vec<Finding> {
    let mut findings = Vec::new();
    let around = Around::of(chapter);
    let blocks = &chapter.blocks;
    for (i, block) in blocks.iter().enumerate() {
        if !block.is_paragraph() {
            continue;
        }
        let text = chapter.prose_slice(block.span);
        let mut curly_open: Option<usize> = None;
        let mut straight_open: Option<usize> = None;
        // The curly single quotes open, innermost last: a `‘` that opens
        // speech or a quotation, until a `’` that can close it (see
        // `opens_single` and `closes_single`). Counted, so that one opened
        // again before it closed (`‘Come here, she said. ‘Sit down.’`)
        // is still open at the end.
        let mut singles_open: Vec<usize> = Vec::new();
        // German „low-high“ quotes: after „ the “ closes.
        let mut low_open = false;
        // A quote opened again after a dialogue tag, with no close between
        // (`“Come here, she said. “Sit down.”`): the first was never closed.
        // Reported where it opens, with the tag; the second is then the
        // one open.
        let mut reopened = |open: usize, mark: char, at: usize| {
            let between = &text[open + mark.len_utf8()..at];
            let tag = dialogue_tag_in(between)?;
            let start = block.span.start as usize + open;
            findings.push(
                Finding::new(
                    chapter.index,
                    Span::new(start, start + mark.len_utf8()),
                    format!("quotation opened here is not closed before the dialogue tag “{tag}”"),
                )
                .label("never closed")
                .help("add the closing quote after the spoken words, before the tag"),
            );
            Some(at)
        };
        // Only the quotation marks, found by a byte search: every character
        // of the book decoded and matched was 1.6% of a corpus run.
        for (j, c) in crate::text::quotation_marks(text) {
            match c {
                '„' => low_open = true,
                '“' | '”' if low_open => low_open = false,
                // Turned the wrong way (`“Stop“ she said`), it closes:
                // reported as turned, not as a quote left open.
                '“' if curly_open.is_some()
                    && closes_like(&around, block.span.start as usize + j) =>
                {
                    curly_open = None
                }
                '“' => {
                    curly_open = match curly_open {
                        Some(open) => reopened(open, '“', j).or(Some(open)),
                        None => Some(j),
                    }
                }
                // A straight opening mark closed by a curly one (`"That's
                // how I've lasted.”`) is closed: the mixed style is
                // reported as such, not as a quote left open.
                '”' if curly_open.is_none() => straight_open = None,
                '”' => curly_open = None,
                '‘' if opens_single(text, j) => match singles_open.last() {
                    Some(&open) if reopened(open, '‘', j).is_some() => {
                        singles_open.pop();
                        singles_open.push(j);
                    }
                    _ => singles_open.push(j),
                },
                '’' if !singles_open.is_empty() && closes_single(text, j) => {
                    singles_open.pop();
                }
                // And a curly opening mark closed by a straight one, after a
                // letter or spoken punctuation: after a digit it is an inch
                // mark (`a 2" bolt`).
                '"' if straight_open.is_none()
                    && curly_open.is_some()
                    && !opens_word(text, j)
                    && text[..j]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphabetic() || ",.!?…—–".contains(c)) =>
                {
                    curly_open = None
                }
                '"' if !is_inch_mark(text, j) => {
                    straight_open = match straight_open {
                        // A straight quote that opens a word (after a
                        // space, before a letter) after a tag opens again.
                        Some(open) if opens_word(text, j) => reopened(open, '"', j),
                        Some(_) => None,
                        None => Some(j),
                    }
                }
                _ => {}
            }
        }
        // The next paragraph, which may carry the speech on.
        let next = blocks[i + 1..]
            .iter()
            .find(|b| b.is_paragraph() && !chapter.is_note(b));
        let carried_on = |continues: fn(&Chapter, &crate::text::Block) -> bool| match next {
            Some(next) => continues(chapter, next),
            None => next_chapter_continues,
        };
        let unclosed = |at: usize, len: usize, help: &'static str| {
            let start = block.span.start as usize + at;
            Finding::new(
                chapter.index,
                Span::new(start, start + len),
                "quotation opened here is not closed in this paragraph",
            )
            .label("never closed")
            .help(help)
        };
        if let Some(at) = unclosed_guillemet(text)
            && !carried_on(continues_guillemets)
        {
            findings.push(unclosed(at, '«'.len_utf8(), "add the closing guillemet where the speech ends; speech that runs on into the next paragraph should open that paragraph with a guillemet or a dialogue dash"));
        }
        // The earlier of the two, with its own mark (they differ in length).
        let open = match (curly_open, straight_open) {
            (Some(a), Some(b)) if b < a => Some((b, '"')),
            (Some(a), _) => Some((a, '“')),
            (None, Some(b)) => Some((b, '"')),
            (None, None) => None,
        };
        if let Some((at, mark)) = open
            && !carried_on(continues_speech)
        {
            findings.push(unclosed(at, mark.len_utf8(), "add the closing quote where the speech ends; speech that runs on into the next paragraph should open that paragraph with a quote"));
        }
        if let Some(&at) = singles_open.first()
            && !carried_on(continues_speech)
        {
            findings.push(unclosed(at, '‘'.len_utf8(), "add the closing quote (’) where the speech or quotation ends; speech that runs on into the next paragraph should open that paragraph with a quote"));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::testing::{
        assert_quiet, check_rule, fixed_texts, fixed_texts_with, render_human, run_rule_on,
        run_rule_with,
    };

    /// Two chapters exported as plain text outvote the curly one; with the
    /// house style set to curly, the straight marks are the ones flagged
    /// and curled, and the curly chapter is left alone.
    #[test]
    fn a_house_style_for_quotes_overrides_the_majority() {
        let plain = "\"It's late,\" he said.\n\n\"Don't,\" she said.\n";
        let curly = "“She’s got a place,” he said.\n";
        let chapters = [("1.txt", plain), ("2.txt", plain), ("3.txt", curly)];
        let (_, by_count) = run_rule_on("quote-style", &chapters);
        assert!(
            by_count.iter().all(|d| d.primary.chapter == 2),
            "{by_count:?}"
        );
        let house = r#"prefer = "curly""#;
        let (_, findings) = run_rule_with("quote-style", house, &chapters);
        assert!(!findings.is_empty());
        assert!(
            findings.iter().all(|d| d.primary.chapter < 2),
            "{findings:?}"
        );
        assert!(findings.iter().any(|d| d.message
            == "straight double quotes (\") where the house style is curly double quotes (“ ”)"));
        assert!(findings.iter().any(|d| d.message
            == "straight apostrophes and single quotes (') where the house style is curly apostrophes and single quotes (‘ ’)"));
        let fixed = fixed_texts_with("quote-style", house, &chapters, false);
        let curled = "“It’s late,” he said.\n\n“Don’t,” she said.\n";
        assert_eq!(fixed, vec![curled, curled, curly]);
    }

    fn found(chapters: &[(&str, &str)]) -> Vec<(usize, u32, String)> {
        run_rule_on("quote-style", chapters)
            .1
            .into_iter()
            .map(|d| (d.primary.chapter, d.primary.span.start, d.message))
            .collect()
    }

    #[test]
    fn marks_are_found_by_style_and_other_characters_are_not() {
        let text = "“Hi,” he said—“it’s ‘x’…” \"Go\" don't '90s 5' ' é";
        let found: Vec<(&str, usize)> = super::marks(text)
            .into_iter()
            .map(|(r, style)| (&text[r], style))
            .collect();
        assert_eq!(
            found,
            [
                ("“", 1),
                ("”", 1),
                ("“", 1),
                ("’", 3),
                ("‘", 3),
                ("’", 3),
                ("”", 1),
                ("\"", 0),
                ("\"", 0),
                ("'", 2),
                ("'", 2),
            ]
        );
    }

    /// A straight single quote closing after the punctuation that ends
    /// what was said is a mark, and the fix closes it: British dialogue in
    /// a book of curly single quotes got `‘Yes,'`, and the next check
    /// passed it.
    #[test]
    fn a_single_quote_closing_after_punctuation_is_found_and_closed() {
        let positions = |text: &str| -> Vec<usize> {
            super::marks(text)
                .into_iter()
                .map(|(r, _)| r.start)
                .collect()
        };
        for closing in [
            "miss,'", "miss.'", "miss!'", "miss?'", "miss;'", "miss—'", "miss...'", "miss?!'",
        ] {
            let text = format!("'Hold on, {closing} he said.");
            assert_eq!(
                positions(&text),
                [0, text.len() - " he said.".len() - 1],
                "{text}"
            );
        }
        // Not a quote: a foot mark, a lone mark, a mark after a number.
        assert_eq!(positions("He was 6' tall. It's ' here. 5'."), [18]);
        let book = "# One\n\n‘It’s late,’ said Margaret. ‘I know.’\n\n'Yes,' said Pip. 'No!'\n";
        let fixed = fixed_texts("quote-style", &[("a.md", book)], false);
        assert_eq!(fixed[0].lines().nth(4), Some("‘Yes,’ said Pip. ‘No!’"));
    }

    /// A plain-text chapter of dialect in straight marks outnumbers the
    /// curly apostrophes of a curly-quoted book: making those straight is
    /// no longer a safe fix (it left “It's …”), while the straight double
    /// quotes are still made curly safely.
    #[test]
    fn curly_marks_made_straight_are_unsafe_where_the_other_marks_are_curly() {
        use crate::diagnostic::Applicability;
        let one = "# One\n\n“It’s late,” said Margaret. “Mother’s asleep.” “Go.” “Now.” “Yes.”\n";
        let two = "# Two\n\n\"'Ere, 'ave you seen 'Arry?\" he said. \"'E owes me 'alf a crown, 'e does.\"\n";
        let fixes: Vec<(usize, bool, Applicability)> =
            run_rule_on("quote-style", &[("a.md", one), ("b.txt", two)])
                .1
                .iter()
                .map(|d| {
                    let fix = d.fix.as_ref().expect("a fix");
                    (
                        d.primary.chapter,
                        d.message.starts_with("curly"),
                        fix.applicability,
                    )
                })
                .collect();
        // Chapter one's curly apostrophes (straight ones are the
        // majority), chapter two's straight double quotes (curly ones are).
        assert_eq!(
            fixes,
            [
                (0, true, Applicability::Unsafe),
                (1, false, Applicability::Safe)
            ]
        );
    }

    /// Where the two kinds of mark disagree and one kind's vote is close,
    /// it follows the other kind; where both are close, both follow the
    /// count of all the marks. A curly book with a plain-text chapter
    /// pasted in had its correct curly apostrophes flagged (31 straight to
    /// 30 curly), and `--fix` left the chapter with “It's …”.
    #[test]
    fn a_close_vote_follows_the_other_kind_of_mark() {
        let messages = |chapters: &[(&str, &str)]| -> Vec<(usize, String)> {
            run_rule_on("quote-style", chapters)
                .1
                .into_iter()
                .map(|d| (d.primary.chapter, d.message))
                .collect()
        };
        // Both close: 6 curly double quotes to 4 straight, 4 curly
        // apostrophes to 5 straight; 10 of the 19 marks are curly.
        let curly =
            "“It’s late,” said Margaret. “Mother’s asleep.” “Go.”\n\nShe didn’t. It’s done.\n";
        let pasted = "\"It's 'Arry's hat,\" he said. \"Where's Tom's?\"\n";
        assert_eq!(
            messages(&[("a.md", curly), ("b.txt", pasted)]),
            [
                (1, "straight double quotes (\") in a manuscript whose quotes and apostrophes are mostly curly (10 of 19 marks)".to_string()),
                (1, "straight apostrophes and single quotes (') in a manuscript whose quotes and apostrophes are mostly curly (10 of 19 marks)".to_string()),
            ]
        );
        let fixed = fixed_texts("quote-style", &[("a.md", curly), ("b.txt", pasted)], false);
        assert_eq!(fixed[1], "“It’s ’Arry’s hat,” he said. “Where’s Tom’s?”\n");
        assert!(
            run_rule_on("quote-style", &[("a.md", curly), ("b.txt", &fixed[1])])
                .1
                .is_empty()
        );

        // A tie of all the marks: the style met first, for both kinds,
        // in the report and in what `--fix` writes.
        let one = "\"Go,\" he said. Don’t.\n";
        let two = "“Go,” she said. Don't.\n";
        assert_eq!(
            messages(&[("a.md", one), ("b.txt", two)]),
            [
                (0, "curly apostrophes and single quotes (‘ ’) in a manuscript whose quotes and apostrophes are straight as often as not (3 of 6 marks), and straight first".to_string()),
                (1, "curly double quotes (“ ”) in a manuscript whose quotes and apostrophes are straight as often as not (3 of 6 marks), and straight first".to_string()),
            ]
        );
        let fixed = fixed_texts("quote-style", &[("a.md", one), ("b.txt", two)], false);
        assert_eq!(
            fixed,
            ["\"Go,\" he said. Don't.\n", "\"Go,\" she said. Don't.\n"]
        );

        // One close: the double quotes are curly by 10 to 2, the
        // apostrophes straight by 5 to 4; they follow the double quotes.
        let curly = "“It’s late,” said Margaret. “Go.” “Now.” “Yes.” “No.”\n\nShe didn’t. It’s done, isn’t it?\n";
        let pasted = "\"It's 'Arry's hat. Where's Tom's?\"\n";
        assert_eq!(
            messages(&[("a.md", curly), ("b.txt", pasted)]),
            [
                (1, "straight double quotes (\") in a manuscript that otherwise uses curly double quotes (“ ”, 10×)".to_string()),
                (1, "straight apostrophes and single quotes (') in a manuscript whose double quotes are curly (“ ”, 10×)".to_string()),
            ]
        );
    }

    #[test]
    fn one_straight_paragraph_in_a_curly_book() {
        let curly = "“Don’t,” she said. “It’s late.”\n\n“Fine,” he said.\n";
        let straight = "\"Hollis says they're worth nothing,\" she said.\n";
        let result = found(&[("a.txt", curly), ("b.txt", straight)]);
        assert_eq!(
            result,
            vec![
                (1, 0, "straight double quotes (\") in a manuscript that otherwise uses curly double quotes (“ ”, 6×)".to_string()),
                (1, 17, "straight apostrophes and single quotes (') in a manuscript that otherwise uses curly apostrophes and single quotes (‘ ’, 2×)".to_string()),
            ]
        );
    }

    #[test]
    fn apostrophes_at_word_edges_are_found_in_a_curly_book() {
        let curly = "“Don’t,” she said. “It’s late.”\n\n“Fine,” he said.\n";
        let straight = "They were goin' back to the '90s.\n";
        let result = found(&[("a.txt", curly), ("b.txt", straight)]);
        assert_eq!(
            result,
            vec![(1, 14, "straight apostrophes and single quotes ('), used as often as curly apostrophes and single quotes (‘ ’) (2× each), which comes first in the manuscript".to_string())]
        );
        // A foot mark after a number is not an apostrophe.
        assert!(found(&[("a.txt", curly), ("b.txt", "He was 6' tall.\n")]).is_empty());
    }

    #[test]
    fn fix_curls_straight_marks_by_context() {
        let curly = "“Don’t,” she said. ‘Fine,’ he said. “It’s late.”\n\n“We’ll see,” he said. “I’m sure it’s fine. Don’t you? Won’t you? ‘Late,’ you said, and ‘late’ it is, isn’t it?”\n";
        let straight = "\"We're goin' to the '90s party,\" she said, \"rock 'n' roll. Tell 'em 'Wait' and\"—\n\n\"Go,\" he said. \"'Tis late.\"\n";
        let fixed = fixed_texts(
            "quote-style",
            &[("a.txt", curly), ("b.txt", straight)],
            false,
        );
        assert_eq!(fixed[0], curly);
        assert_eq!(
            fixed[1],
            "“We’re goin’ to the ’90s party,” she said, “rock ’n’ roll. Tell ’em ‘Wait’ and”—\n\n“Go,” he said. “’Tis late.”\n"
        );
        let after = run_rule_on("quote-style", &[("a.txt", curly), ("b.txt", &fixed[1])]).1;
        assert!(after.is_empty(), "{after:?}");
    }

    /// A straight mark at a word's start with nothing in its paragraph to
    /// close it is an elision (French `'Tain`, Spanish `'Ta luego`, any
    /// `'Tain't`), not an opening quote; with a closer it opens one.
    /// Markdown emphasis and inline HTML around a quote are not what it
    /// faces: `*"keeper"*` opens after the space before the `*`. Read
    /// in the source, the `*` counted as a word's end and the quote was
    /// closed where it opens (`*”keeper”*`).
    #[test]
    fn fix_reads_a_quote_past_emphasis_and_inline_html() {
        let curly =
            "“Don’t,” she said. ‘Fine,’ he said. “It’s late.” “Go.” “Yes.” “No.” “Now.” “Why?”\n";
        let straight = "The card said *\"WIND BEFORE LIGHTING.\"* and *'Forty turns.'* and *'40 more.'* in '66\n\nAbel called: <em>\"Nell!\"</em> It was the word _\"keeper\"_ that stuck, and **\"Tell her.\"**\n\n\"*Go home*,\" she said.\n";
        let fixed = fixed_texts("quote-style", &[("a.md", curly), ("b.md", straight)], false);
        assert_eq!(
            fixed[1],
            "The card said *“WIND BEFORE LIGHTING.”* and *‘Forty turns.’* and *‘40 more.’* in ’66\n\nAbel called: <em>“Nell!”</em> It was the word _“keeper”_ that stuck, and **“Tell her.”**\n\n“*Go home*,” she said.\n"
        );
    }

    /// Curly marks turned the wrong way are found and turned: a `”` that
    /// opens, a `“` that closes, a `‘` that stands for an apostrophe. A
    /// quote that opens with a number, German quotes and a book of
    /// straight quotes are left alone.
    #[test]
    fn marks_turned_the_wrong_way_are_found_and_turned() {
        let text = "An ‘n’. The letter ‘n’ on a slate. It was the word *”keeper”* that stuck. “Stop“ she said.\n\n‘Tis late, and rock ‘n’ roll came in ‘66, after the ‘area‘ of a house. We don‘t know. The ‘90s.\n\nShe read ‘40 turns. Not more.’ and the ‘90s. „Ja“, sagte er. ‘Em,’ he said.\n\n‘Eck,’ said Nell. ‘Tis a long time indeed,’ he said. ‘Olly’s gone, born in ‘41, the boys’ school\n\nThe letters ‘em’ and ‘ouse.\n";
        let found = run_rule_on("quote-style", &[("a.md", text)]).1;
        let turned: Vec<(&str, &str)> = found
            .iter()
            .map(|d| (&text[d.primary.span.range()], d.message.as_ref()))
            .collect();
        let (opens, closes, apostrophe) = (
            "closing quote (”) where a quotation opens",
            "opening quote (“) where a quotation closes",
            "opening quote (‘) where an apostrophe belongs",
        );
        assert_eq!(
            turned,
            [
                ("”", opens),
                ("“", closes),
                ("‘", apostrophe), // ‘Tis
                ("‘", apostrophe), // ‘n’
                ("‘", apostrophe), // ‘66
                ("‘", apostrophe), // area‘
                ("‘", apostrophe), // don‘t
                ("‘", apostrophe), // ‘90s
                ("‘", apostrophe), // ‘41
                ("‘", apostrophe), // ‘ouse
            ]
        );
        let fixed = fixed_texts("quote-style", &[("a.md", text)], false);
        assert_eq!(
            fixed[0],
            "An ‘n’. The letter ‘n’ on a slate. It was the word *“keeper”* that stuck. “Stop” she said.\n\n’Tis late, and rock ’n’ roll came in ’66, after the ‘area’ of a house. We don’t know. The ’90s.\n\nShe read ‘40 turns. Not more.’ and the ‘90s. „Ja“, sagte er. ‘Em,’ he said.\n\n‘Eck,’ said Nell. ‘Tis a long time indeed,’ he said. ‘Olly’s gone, born in ’41, the boys’ school\n\nThe letters ‘em’ and ’ouse.\n"
        );
        assert!(
            run_rule_on("quote-style", &[("a.md", &fixed[0])])
                .1
                .is_empty()
        );
        // In a book of straight quotes, curly ones are the minority, fixed
        // toward straight; they are not turned as well.
        let straight =
            "\"Go,\" she said. \"Now.\" \"Yes.\" \"No.\" It's done, isn't it? Don't.\n".repeat(12);
        let found = run_rule_on("quote-style", &[("a.md", &straight), ("b.md", text)]).1;
        assert!(
            found
                .iter()
                .all(|d| !d.message.contains("the wrong way") && !d.message.contains("where")),
            "{found:?}"
        );
    }

    /// A straight mark before a year or an elided word is an apostrophe,
    /// unless a quotation closes after spoken punctuation later in the
    /// paragraph (British dialogue starting `'Tis` or `'Round`); a plural
    /// possessive (`the boys'`) or `'n'` closes no quotation.
    #[test]
    fn fix_tells_a_year_or_an_elision_from_a_quotation_it_starts() {
        let curly =
            "‘Don’t,’ she said. ‘It’s late.’ ‘Go.’ ‘Yes.’ ‘No.’ ‘Now.’ ‘Why?’ ‘Who?’ ‘Me.’\n";
        let straight = "She was born in '41, the year the boys' school burned.\n\n'Round the back,' my father wrote.\n\n'Tis a long time indeed,' he said.\n\nBack in '71 we played rock 'n' roll, and he said 'Yes.'\n";
        let fixed = fixed_texts(
            "quote-style",
            &[("a.txt", curly), ("b.txt", straight)],
            false,
        );
        assert_eq!(
            fixed[1],
            "She was born in ’41, the year the boys’ school burned.\n\n‘Round the back,’ my father wrote.\n\n‘Tis a long time indeed,’ he said.\n\nBack in ’71 we played rock ’n’ roll, and he said ‘Yes.’\n"
        );
    }

    #[test]
    fn fix_reads_a_mark_no_quote_closes_as_an_elision() {
        let curly = "« J’sais pas, dit Marcel. ’Tain, quelle chaleur. »\n\n« L’homme est là, l’autre aussi, qu’il vienne, s’il veut, jusqu’à l’aube. »\n";
        let straight = "« 'Tain, t'es pas croyable, toi. J'sais pas c'que tu veux. »\n\n'Ta luego, Maite.\r\n\r\nHe said 'Tain't so' twice.\n";
        let fixed = fixed_texts(
            "quote-style",
            &[("a.txt", curly), ("b.txt", straight)],
            false,
        );
        assert_eq!(
            fixed[1],
            "« ’Tain, t’es pas croyable, toi. J’sais pas c’que tu veux. »\n\n’Ta luego, Maite.\r\n\r\nHe said ‘Tain’t so’ twice.\n"
        );
    }

    #[test]
    fn fix_curls_quotes_before_ellipses_after_dashes_and_leaves_inches() {
        let curly = "“Don’t,” she said. “It’s late.” “Go.” “Fine.” “Yes.”\n";
        let straight = "\"...and then,\" she said. He whispered, \"...so tired.\"\n\n\"Wait—\"she said. He turned—\"Run!\" He stood 6'2\" tall.\n";
        let fixed = fixed_texts(
            "quote-style",
            &[("a.txt", curly), ("b.txt", straight)],
            false,
        );
        assert_eq!(
            fixed[1],
            "“...and then,” she said. He whispered, “...so tired.”\n\n“Wait—”she said. He turned—“Run!” He stood 6'2\" tall.\n"
        );
        // The inch mark is no quote: nothing is left unclosed.
        let after = run_rule_on("quote-style", &[("a.txt", curly), ("b.txt", &fixed[1])]).1;
        assert!(after.is_empty(), "{after:?}");
    }

    #[test]
    fn fix_straightens_curly_marks_in_a_straight_book() {
        let straight = "\"Don't,\" she said. \"It's late.\" \"Go.\" I'm sure we'll be fine; won't we? 'Yes.'\n";
        let curly = "“Fine,” he said, ‘quietly’. It’s so.\n";
        let fixed = fixed_texts(
            "quote-style",
            &[("a.txt", straight), ("b.txt", curly)],
            false,
        );
        assert_eq!(fixed[1], "\"Fine,\" he said, 'quietly'. It's so.\n");
    }

    #[test]
    fn consistent_books_are_quiet() {
        assert!(found(&[("a.txt", "\"Don't,\" she said.\n\n\"Fine.\"\n")]).is_empty());
        assert!(found(&[("a.txt", "“Don’t,” she said.\n\n‘Fine,’ he said.\n")]).is_empty());
        // Front matter and code are not prose.
        let md = "+++\ntitle = \"The Reels\"\n+++\n\n“Don’t,” she said.\n\n`say \"hi\"`\n";
        assert!(found(&[("a.md", md)]).is_empty());
    }

    /// German „low-high“ quotes and guillemets are closed quotes.
    #[test]
    fn german_and_french_quotes_are_balanced() {
        for text in [
            "„Wir fahren nicht“, sagte sie. „Auf keinen Fall.“\n",
            "»Ihr seid also gekommen«, sagte sie.\n",
            "« Tu es sûre ? » demanda-t-elle.\n",
        ] {
            assert_eq!(check_rule("quote-style", "c.md", text), vec![], "{text}");
        }
    }

    /// An unclosed « (or a German » opening `»so«`) is found as an
    /// unclosed “ is; French speech that runs on in dashes, or into the
    /// next paragraph's guillemet, is not unclosed.
    #[test]
    fn unclosed_guillemets_are_flagged_unless_speech_runs_on() {
        let text = "Marcel entra.\n\n\
                    « Tu viens ce soir ? demanda-t-il, sans la regarder.\n\n\
                    Elle ne répondit pas.\n\n\
                    « Tu viens ? demanda-t-il.\n\n\
                    — Non, dit-elle.\n\n\
                    — Pourquoi ? »\n\n\
                    « Il dit « oui » et partit. »\n\n\
                    »Komm mit«, sagte er. »Jetzt.\n\n\
                    Sie ging.\n";
        let found: Vec<(usize, usize, String)> = check_rule("quote-style", "c.txt", text);
        assert_eq!(
            found,
            vec![
                (
                    3,
                    1,
                    "quotation opened here is not closed in this paragraph".to_string()
                ),
                (
                    15,
                    23,
                    "quotation opened here is not closed in this paragraph".to_string()
                ),
            ]
        );
    }

    /// A quotation opened with one style of mark and closed with the other
    /// is closed: its marks are reported as the minority style, not as a
    /// quote left open (a newcomer's try: three findings at one mark).
    #[test]
    fn a_quote_closed_in_the_other_style_is_closed() {
        let curly = "“I don’t,” he said. “It’s how I’ve lasted.”\n\n“Fine,” she said.\n\n";
        for mixed in [
            "“I generally don’t,” he said. \"That’s how I’ve lasted.”\n",
            "“I generally don’t,\" he said. “That’s how I’ve lasted.”\n",
        ] {
            let text = format!("{curly}{mixed}");
            let messages: Vec<String> = check_rule("quote-style", "c.txt", &text)
                .into_iter()
                .map(|(_, _, m)| m)
                .collect();
            assert_eq!(
                messages,
                [
                    "straight double quotes (\") in a manuscript that otherwise uses curly double quotes (“ ”, 9×)"
                ],
                "{mixed}"
            );
        }
        // An inch mark closes nothing: the quotation is still open (a
        // reviewer's read).
        let inches = format!("{curly}“You’ll need a 2\" bolt for that, he said.\n\nThey left.\n");
        let messages: Vec<String> = check_rule("quote-style", "c.txt", &inches)
            .into_iter()
            .map(|(_, _, m)| m)
            .collect();
        assert!(
            messages.contains(&"quotation opened here is not closed in this paragraph".to_string()),
            "{messages:?}"
        );
    }

    #[test]
    fn unclosed_quote_is_flagged_unless_speech_runs_on() {
        let text = "Hollis leaned closer. “That’s the corner, he said.\n\nShe nodded.\n";
        assert_eq!(
            check_rule("quote-style", "c.txt", text),
            vec![(
                1,
                23,
                "quotation opened here is not closed in this paragraph".to_string()
            )]
        );
        let runs_on = "“It was long ago, and I was young.\n\n“Then the war came,” he said.\n";
        assert!(check_rule("quote-style", "c.txt", runs_on).is_empty());
        let straight = "\"It was long ago.\n\nShe nodded.\n";
        assert_eq!(check_rule("quote-style", "c.txt", straight).len(), 1);
        // The last paragraph of a chapter has no next paragraph.
        let last = "She nodded.\n\n“And then—\n";
        assert_eq!(check_rule("quote-style", "c.txt", last).len(), 1);
    }

    /// British dialogue in curly single quotes: an opening `‘` never closed
    /// is flagged as a double quote is, and speech that runs on, a quote
    /// nested in double quotes and closed, a plural possessive or dropped
    /// letter after it, and elisions typed with `‘` (`‘em`, `‘tis`) are not.
    #[test]
    fn unclosed_single_quotes_in_british_dialogue() {
        let text = "‘It’s late,’ said Margaret.\n\n‘You’re quite right, said Lady Ashworth. I’d never have thought it.\n\nMargaret went up to bed.\n";
        assert_eq!(
            check_rule("quote-style", "c.txt", text),
            vec![(
                3,
                1,
                "quotation opened here is not closed in this paragraph".to_string()
            )]
        );
        let (_, found) = run_rule_on("quote-style", &[("c.txt", text)]);
        assert_eq!(found[0].primary.span.len(), '‘'.len_utf8());
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "add the closing quote (’) where the speech or quotation ends; speech that runs on into the next paragraph should open that paragraph with a quote"
            )
        );
        assert_quiet(
            "quote-style",
            "c.txt",
            &[
                "‘It was long ago, and I was young.\n\n‘Then the war came,’ he said.\n",
                "“He told me, ‘Hold on, miss,’ and went,” said Margaret.\n",
                "‘The boys’ room is upstairs.\n\nShe went.\n",
            ],
        );
        // Elisions typed with `‘` open no quote: they are apostrophes
        // turned the wrong way.
        for text in [
            "He gave ‘em a look. ‘Tis late, said the man, and ‘twas.\n",
            "The summer of ‘66 was hot.\n",
        ] {
            let found = check_rule("quote-style", "c.txt", text);
            assert!(
                !found.is_empty()
                    && found
                        .iter()
                        .all(|(.., m)| m == "opening quote (‘) where an apostrophe belongs"),
                "{text}: {found:?}"
            );
        }
        let nested = "“He said, ‘Wait for me.” She went.\n";
        assert_eq!(
            check_rule("quote-style", "c.txt", nested).len(),
            1,
            "the single quote inside"
        );
    }

    /// Cockney and other dropped letters typed with `‘` are no quotations
    /// (`‘Enry`, `‘ouse`, `and ‘is ‘ead`): none is left open, and a dropped
    /// h is an apostrophe turned the wrong way (`‘is`, a word as it
    /// stands, only where no `’` could close it as a quote); a paragraph opening with an
    /// elision (`‘Twas`) does not carry speech on, an initial (`‘E.
    /// Gardiner’`) does; a single quote opened again before it closed is
    /// still open at the paragraph's end.
    #[test]
    fn dropped_letters_elisions_and_quotes_opened_twice() {
        let turned = |text: &str| -> Vec<usize> {
            check_rule("quote-style", "c.txt", text)
                .into_iter()
                .inspect(|(.., m)| assert_eq!(m, "opening quote (‘) where an apostrophe belongs"))
                .map(|(_, column, _)| column)
                .collect()
        };
        // A capital may start a name (`‘Olly`): only a lowercase dropped h
        // is turned.
        assert!(turned("Everyone called him ‘Enry, which he hated.\n").is_empty());
        // `ave`, `alf` and `is` are words as they stand (an avenue), which
        // could open a quotation: no `’` closes one here, so they are
        // apostrophes.
        assert_eq!(
            turned("Gran said she’d ‘ave the kettle on in the ‘ouse by six.\n"),
            [17, 43]
        );
        assert_eq!(
            turned("It was ‘alf past ten, and ‘is ‘ead ached.\n"),
            [8, 27, 31]
        );
        // Cockney inside speech, double or single: the speech's own close
        // leaves the dropped h's unclosed.
        assert_eq!(turned("“Pa said you was ‘ard on ‘im.”\n"), [18, 26]);
        assert_eq!(
            turned("‘Jack Brewer, and ‘is father before ‘im.’\n"),
            [19, 37]
        );
        // Where a `’` could close them they may be quotations, and where
        // closes fall short of the candidates it is not known which: left
        // alone. So is a lowercase `‘` opening a paragraph (speech carried
        // on from the last one may resume mid-sentence).
        for text in [
            "‘I told him ‘hello’ and left.’\n",
            "He wrote ‘ave a nice day’ on it.\n",
            "‘Pa said ‘is hat was ‘ere, and the boys’ hats too.’\n",
            "He said it ‘is’, not ‘was’.\n",
            "‘and then he left, and never came back.\n\n‘So he did,’ she said.\n",
        ] {
            assert!(turned(text).is_empty(), "{text}");
        }
        assert_quiet(
            "quote-style",
            "c.txt",
            &["‘I’ll write, she said, and signed it.\n\n‘E. Gardiner.’\n"],
        );
        let text = "‘I’m going, she said.\n\n‘Twas a dark night.\n\n‘Come here, she said. ‘Sit down by the fire.’\n\nThe rain came on.\n";
        let found: Vec<(usize, usize)> = check_rule("quote-style", "c.txt", text)
            .into_iter()
            .map(|(line, column, _)| (line, column))
            .collect();
        assert_eq!(found, [(1, 1), (3, 1), (5, 1)]);
    }

    /// A quote opened again after a dialogue tag, with no close between,
    /// is a quote left open before the tag, for every kind of mark, even
    /// where the next paragraph opens with a quote (that carries only a
    /// quote open at the paragraph's end on). A tag with nothing spoken
    /// before it, a closed quote before the tag and a long clause are no
    /// slip.
    #[test]
    fn a_quote_reopened_after_a_dialogue_tag_was_not_closed() {
        let text = "“Come here, she said. “Sit down by the fire.”\n\n\
                    ‘Yes, Tom whispered. ‘I’ll come.’\n\n\
                    \"Wait! called Aunt Polly. \"Wait for me.\"\n\n\
                    “Come here,” she said. “Sit down.”\n\n\
                    “He said, “I will come,” and left.”\n\n\
                    “It is late, and the roads that she said were flooded are dry. “Go.”\n";
        let found = check_rule("quote-style", "c.txt", text);
        let unclosed: Vec<(usize, usize, &str)> = found
            .iter()
            .filter(|(_, _, message)| message.starts_with("quotation"))
            .map(|(line, column, message)| (*line, *column, message.as_str()))
            .collect();
        assert_eq!(
            unclosed,
            [
                (
                    1,
                    1,
                    "quotation opened here is not closed before the dialogue tag “she said”"
                ),
                (
                    3,
                    1,
                    "quotation opened here is not closed before the dialogue tag “Tom whispered”"
                ),
                (
                    5,
                    1,
                    "quotation opened here is not closed before the dialogue tag “called Aunt Polly”"
                ),
            ]
        );
        assert_eq!(
            super::dialogue_tag_in("Come here, she said. "),
            Some("she said")
        );
        assert_eq!(super::dialogue_tag_in("He said, "), None);
        assert_eq!(super::dialogue_tag_in("fowl, and I said, "), None);
        assert_eq!(super::dialogue_tag_in("Come here, she said"), None);
    }

    #[test]
    fn both_kinds_unclosed_point_at_the_earlier_mark() {
        // Found by the engine fuzz target: the span was three bytes (a
        // curly quote's length) from the straight quote, ending inside “.
        for (text, span, mark) in [
            ("She said \"go “now.\n", 9..10, "\""),
            ("She said “go \"now.\n", 9..12, "“"),
            ("\"“", 0..1, "\""),
        ] {
            let (manuscript, diagnostics) = run_rule_on("quote-style", &[("c.txt", text)]);
            let unclosed: Vec<_> = diagnostics
                .iter()
                .filter(|d| d.message.starts_with("quotation opened here"))
                .collect();
            assert_eq!(unclosed.len(), 1, "{text:?}");
            let found = unclosed[0].primary.span;
            assert_eq!(found.range(), span, "{text:?}");
            assert_eq!(manuscript.chapter(0).slice(found), mark);
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render_human(
            "quote-style",
            &[
                ("chapter-01.txt", "“Don’t,” she said.\n"),
                (
                    "chapter-02.txt",
                    "\"Go,\" she said.\n\n“That’s the corner, he said.\n\nShe nodded.\n"
                ),
            ]
        ));
    }
}
