use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;

use crate::declare_rule;
use crate::diagnostic::{Applicability, Edit, Finding, Fix, Label};
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::rules::mixed_style::{
    Majority, StyleUse, find_all, first_wins, house_style, places_by_style, report_minority,
};
use crate::text::{Chapter, Manuscript, SourceFormat, Span};

declare_rule! {
    /// ## What it does
    /// Two checks on dashes:
    ///
    /// - **hyphens as dialogue dashes**: a paragraph that opens speech with
    ///   a hyphen (`-I have to go`, Spanish `-¿Y qué esperabas?`), a turn
    ///   of speech on a line of its own inside a paragraph (French `- Non.`
    ///   under `« Tu viens ?`), and, in a paragraph of speech (one that
    ///   opens with a dash or has such a hyphen), a hyphen that interrupts
    ///   it (`go, - she said`, `cosas. -No todas`, the Spanish tag `buenas
    ///   -dijo`). Where the convention of dashes for dialogue is used, it
    ///   takes an em dash (`—I have to go`). In Markdown a hyphen and a
    ///   space at a line's start make a bullet list: a lone bullet between
    ///   paragraphs that is a sentence with a speech tag (`- So that's how
    ///   it is, he said.`) is taken for a dialogue hyphen too (its fix is
    ///   unsafe: the bullet may be a note in the story).
    /// - **spaced and unspaced em dashes mixed**: `empty — or close to it`
    ///   in a manuscript that otherwise writes `empty—or`. The less common
    ///   spacing is flagged, once per paragraph, pointing at where the usual
    ///   one is used. Dashes at the start or end of a paragraph, dashes
    ///   against a quotation mark or a bracket (speech broken off,
    ///   `ever—” she said`, or taken up, `“—and then`: unspaced in either
    ///   style), dashes with a space on one side only, and dashes that
    ///   stand for letters left out (`D—n it`, `Lady C—,`) are not counted.
    ///   A line break counts as a space.
    /// - **spaced en dashes mixed with em dashes** (in English chapters): a
    ///   break written `empty – or close to it`, the British style, in a
    ///   manuscript that otherwise breaks its sentences with em dashes, or
    ///   the other way round. The less common kind is flagged, once per
    ///   paragraph, with the same exceptions as the spacing check. En dashes
    ///   without spaces (`1914–18`, `London–Paris`) and spaced ranges
    ///   (`1914 – 1918`, `2 – 4 p.m.`, `Monday – Friday`) are not breaks,
    ///   and are not counted. French and Spanish chapters are left out: there
    ///   an em dash opens speech and a spaced en dash sets off an aside, both
    ///   correctly.
    /// - **speech set two ways** (in English chapters): paragraphs that
    ///   open speech with a dash (`—Your father loved a storm, her mother
    ///   said.`, or a hyphen typed for it) in a manuscript whose speech otherwise opens with
    ///   quotation marks, or the other way round, as when one chapter was
    ///   drafted in another convention. The less common way is flagged,
    ///   once per paragraph, pointing at where the usual one is used. Only
    ///   paragraphs that open with speech count: a quoted title inside
    ///   narration is no speech, and a dash before another dash (`——The
    ///   sounding cataract`, a line of verse cut short) opens none.
    ///
    /// - **double hyphens among dashes** (in English chapters): `--`,
    ///   the typewriter's dash (`empty -- or`, `empty--or`, `“Wait--”`,
    ///   `--and then`), in a manuscript whose other breaks are real dashes,
    ///   as when a chapter was typed in another editor, or the other way
    ///   round. The less common kind is flagged, once per paragraph; unlike
    ///   the checks above, a double hyphen against a quotation mark or at a
    ///   paragraph's edge counts. A book typed with double hyphens
    ///   throughout (as many plain-text classics are) is left alone, and so
    ///   are runs of three or more hyphens, a double hyphen for missing
    ///   figures or letters (`17--`, `D--n`) and a spaced range (`1914 --
    ///   1918`).
    ///
    /// ## Fix
    /// Safe: `--fix` turns the dialogue hyphens of a paragraph into em
    /// dashes (keeping the spacing around them), writes the less common
    /// dash spacing the way the rest of the manuscript does, and turns the
    /// less common kind of dash into the usual one (a spaced en dash into an
    /// em dash spaced as the manuscript's em dashes are, an em dash into a
    /// spaced en dash, a double hyphen into the usual dash). Speech set
    /// two ways has no fix: where the closing quotation marks go is the
    /// writer's call; nor have dashes among double hyphens.
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
    /// The shop was empty – or close to it. ← flagged if the book's other
    ///                                       breaks are em dashes
    /// The shop was empty -- or close to it. ← flagged if the book's other
    ///                                       breaks are dashes
    /// —Your father loved a storm, she said. ← flagged if the book's speech
    ///                                       is otherwise in “quotes”
    /// ```
    ///
    /// ## Options
    /// - `prefer`: the house style for breaks, where the manuscript's own
    ///   majority should not decide (a copy-editor's brief): `"unspaced-em"`
    ///   (`empty—or`), `"spaced-em"` (`empty — or`) or `"spaced-en"`
    ///   (`empty – or`). Every break written another way is then flagged,
    ///   however few the house style's own uses, and `--fix` writes the
    ///   house style (double hyphens too are then always flagged). Unset
    ///   (the default), the more common style is kept.
    ///   Speech set two ways is still judged by the manuscript's majority.
    ///
    /// ```toml
    /// [rules.dialogue-dash]
    /// prefer = "unspaced-em"
    /// ```
    ///
    /// Turn the rule off with `[rules.dialogue-dash] level = "off"`.
    pub static META = {
        id: "dialogue-dash",
        category: Typography,
        severity: Warning,
        scope: Manuscript,
        summary: "A hyphen used as a dialogue dash, mixed dash styles (em dash spacing; spaced en dashes or double hyphens among em dashes), or speech opened with dashes and with quotation marks",
        fix: Safe,
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

#[derive(Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    prefer: Option<String>,
}

/// How a manuscript sets a break in a sentence.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Break {
    UnspacedEm,
    SpacedEm,
    SpacedEn,
}

/// The names `prefer` takes for each [`Break`], in its order.
const BREAKS: [(Break, &[&str]); 3] = [
    (
        Break::UnspacedEm,
        &["unspaced-em", "unspaced em dash", "unspaced"],
    ),
    (Break::SpacedEm, &["spaced-em", "spaced em dash", "spaced"]),
    (Break::SpacedEn, &["spaced-en", "spaced en dash", "en"]),
];

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    let options: Options = setup.options()?;
    let names: Vec<&[&str]> = BREAKS.iter().map(|&(_, names)| names).collect();
    let house = house_style("dialogue-dash", options.prefer.as_deref(), &names)?
        .map(|(style, setting)| (BREAKS[style].0, setting));
    Ok(Box::new(DialogueDash { house }))
}

struct DialogueDash {
    /// The house style for breaks, and its setting (see
    /// [`Majority::House`]); `None` to keep the manuscript's majority.
    house: Option<(Break, String)>,
}

/// A hyphen opening a line of a paragraph before a word (`-I`, `- I`,
/// Spanish `-¿Y`, `-¡Fuera!`): the paragraph's start, or a turn of speech
/// on a line of its own inside one (French `« Tu viens ?` / `- Non.`).
static LINE_HYPHEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t]*(-)[ \t]?[¿¡]?\p{L}").expect("static regex"));
/// In a paragraph of dialogue, a hyphen after a comma or other punctuation
/// before a word (`go, - she`, `cosas. -No todas`), or after a word and a
/// space and against the next (the Spanish tag, `buenas -dijo`).
static INTERRUPTING_HYPHEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[,.!?…][ \t]*|\p{L}[ \t]+)(-)[¿¡]?\p{L}|[,.!?…][ \t]*(-)[ \t]+[¿¡]?\p{L}")
        .expect("static regex")
});

/// Whether a line of `text` starts with a hyphen (after spaces or tabs):
/// each hyphen is looked at where it is, and one inside a word (most of
/// them) is told by the byte before it.
fn starts_a_line_with_hyphen(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'-', bytes).any(|i| {
        let indent = bytes[..i]
            .iter()
            .rev()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        i == indent || bytes[i - indent - 1] == b'\n'
    })
}

/// In a Markdown chapter, the hyphen of a lone bullet that is a line of
/// speech (`- So that's how it is, he said.` between paragraphs of prose):
/// typed as a dialogue dash, it made a one-item list, whose hyphen is
/// markup and so out of the prose the other checks read. The item is
/// alone (no list item in the blocks or lines around it, continuation
/// lines passed over), opens with a letter, ends a sentence, and carries a
/// speech tag (“he said”, “she asked”): a note or a to-do in the story
/// (“- Gone to the shops, back by six.”) carries none. Its text offset, if
/// so.
fn lone_bullet_of_speech(chapter: &Chapter, block_index: usize) -> Option<usize> {
    if chapter.format != SourceFormat::Markdown {
        return None;
    }
    let text: &str = &chapter.text;
    let span = chapter.blocks[block_index].span;
    let start = span.start as usize;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let marker = &text[line_start..start];
    let indent = marker.len() - marker.trim_start_matches(' ').len();
    if indent > 3 || &marker[indent..] != "- " {
        return None;
    }
    let item = chapter.slice(span).trim_end();
    let opens_with_letter = item
        .trim_start_matches(['¿', '¡'])
        .starts_with(char::is_alphabetic);
    let ends_a_sentence = item
        .trim_end_matches(['”', '"', '’', '\'', '*', '_'])
        .ends_with(['.', '!', '?', '…']);
    if !opens_with_letter || !ends_a_sentence || !has_speech_tag(item) {
        return None;
    }
    // Another item anywhere around it, past indented continuation lines
    // and blank ones: a list, not a line of speech.
    let is_item = |line: &str| {
        let line = line.trim_start();
        line.starts_with("- ")
            || line.starts_with("* ")
            || line.starts_with("+ ")
            || line.split_once(". ").is_some_and(|(n, _)| {
                !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())
            })
    };
    let unindented = |line: &&str| !line.trim().is_empty() && !line.starts_with([' ', '\t']);
    let previous = text[..line_start].lines().rev().find(unindented);
    let next = text[span.end as usize..].lines().skip(1).find(unindented);
    if previous.is_some_and(is_item) || next.is_some_and(is_item) {
        return None;
    }
    Some(line_start + indent)
}

/// Whether `item` holds a speech tag: a verb of saying after a comma
/// and a pronoun or name, or before one (“, he said”, “, said Ruth”).
fn has_speech_tag(item: &str) -> bool {
    const VERBS: [&str; 12] = [
        "said",
        "asked",
        "replied",
        "answered",
        "whispered",
        "muttered",
        "shouted",
        "called",
        "told",
        "cried",
        "added",
        "says",
    ];
    let lower = item.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphabetic() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().any(|w| VERBS.contains(w)) && item.contains(',')
}

/// Style index of a spaced em dash (`a — b`) inside a paragraph.
const SPACED_EM: usize = 0;
/// Style index of an unspaced em dash (`a—b`).
const UNSPACED_EM: usize = 1;
/// Style index of a spaced en dash used as a break (`a – b`).
const SPACED_EN: usize = 2;
/// Style index of a double hyphen used as a break (`a -- b`, `a--b`).
const DOUBLE_HYPHEN: usize = 3;

/// The dashes that break a sentence inside a paragraph, by style
/// ([`SPACED_EM`], [`UNSPACED_EM`], [`SPACED_EN`], [`DOUBLE_HYPHEN`]).
fn dashes(text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
    let mut out = real_dashes(text);
    let doubles = double_hyphens(text);
    if !doubles.is_empty() {
        out.extend(doubles);
        out.sort_unstable_by_key(|(range, _)| range.start);
    }
    out
}

/// Double hyphens that stand for a dash: every `--` of exactly two hyphens,
/// at a paragraph's edge and against quotation marks too (“Wait--”, a
/// speech taken up with `"--and then`), since whichever the spacing a
/// dash is meant; not a run of three hyphens or more, a double hyphen for
/// figures or letters left out (`17--`, `D--n`), or a spaced range
/// (`1914 -- 1918`).
fn double_hyphens(text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for i in memchr::memmem::find_iter(bytes, b"--") {
        let end = i + 2;
        if (i > 0 && bytes[i - 1] == b'-') || bytes.get(end) == Some(&b'-') {
            continue;
        }
        let before = text[..i].chars().next_back().unwrap_or(' ');
        let after = text[end..].chars().next().unwrap_or(' ');
        let elided =
            before.is_ascii_digit() || (after.is_alphanumeric() && after_one_letter(&text[..i]));
        let range = before.is_whitespace()
            && after.is_whitespace()
            && spaced_range(&text[..i], &text[end..]);
        if !elided && !range {
            out.push((i..end, DOUBLE_HYPHEN));
        }
    }
    out
}

/// The em and en dashes of [`dashes`].
fn real_dashes(text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
    let trimmed_end = text.trim_end().len();
    let first = text.len() - text.trim_start().len();
    let mut out = Vec::new();
    // Both dashes are E2 80 9x in UTF-8: their last bytes are searched
    // for together (a search by characters took the rule from 4 to 8 ms
    // on the corpus).
    let bytes = text.as_bytes();
    let found = memchr::memchr2_iter(0x93, 0x94, bytes)
        .filter(|&last| last >= 2 && bytes[last - 2] == 0xE2 && bytes[last - 1] == 0x80);
    for last in found {
        let (i, end) = (last - 2, last + 1);
        let dash = &text[i..end];
        if i == first || end >= trimmed_end {
            continue;
        }
        let before = text[..i].chars().next_back().unwrap_or(' ');
        let after = text[end..].chars().next().unwrap_or(' ');
        if matches!(before, '—' | '–') || matches!(after, '—' | '–') {
            continue; // a 2-em dash, or dashes run together
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
        if before.is_whitespace() && ",;:!?".contains(two_before) {
            continue;
        }
        let en = dash == "–";
        // A line break counts as a space: hard-wrapped text breaks lines
        // at the spaces around a dash.
        match (before.is_whitespace(), after.is_whitespace()) {
            (true, true) if !spaced_range(&text[..i], &text[end..]) => {
                out.push((i..end, if en { SPACED_EN } else { SPACED_EM }));
            }
            // An unspaced en dash joins a range (`1914–18`), not a break;
            // an em dash before punctuation or after a lone letter stands
            // for missing letters (`Lady C—,`, `D—n it`, `d—d`).
            (false, false) if !en && after.is_alphanumeric() && !after_one_letter(&text[..i]) => {
                out.push((i..end, UNSPACED_EM));
            }
            _ => {}
        }
    }
    out
}

/// Whether `before` ends with a word of one letter (`D` of `D—n`, `C` of
/// `Lady C—`): a dash after it stands for the rest of a word.
fn after_one_letter(before: &str) -> bool {
    let mut back = before.chars().rev();
    back.next().is_some_and(char::is_alphabetic) && !back.next().is_some_and(char::is_alphanumeric)
}

/// Whether a spaced dash between `before` and `after` joins the two ends
/// of a range (`1914 – 1918`, `2 – 4 p.m.`, `Monday – Friday`), not two
/// parts of a sentence.
fn spaced_range(before: &str, after: &str) -> bool {
    let (before, after) = (before.trim_end(), after.trim_start());
    let ends_digit = before.ends_with(|c: char| c.is_ascii_digit());
    let starts_digit = after.starts_with(|c: char| c.is_ascii_digit());
    if ends_digit && starts_digit {
        return true;
    }
    let last = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    let next = after
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    CALENDAR.contains(&last) && CALENDAR.contains(&next)
}

/// Names of days and months, the ends of a range of dates.
const CALENDAR: [&str; 19] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "May",
];

/// A quotation mark or bracket, which a dash touches when speech or an
/// aside breaks off or resumes.
fn is_mark(c: char) -> bool {
    "\"'“”‘’«»‹›„()[]".contains(c)
}

fn hyphen_dialogue(chapter: &Chapter) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, block) in chapter.blocks.iter().enumerate() {
        if !block.is_paragraph() {
            continue;
        }
        if let Some(hyphen) = lone_bullet_of_speech(chapter, index) {
            let span = Span::new(hyphen, hyphen + 1);
            findings.push(
                Finding::new(chapter.index, span, "hyphen used as a dialogue dash")
                    .label("read as a bullet list in Markdown: use an em dash (—)")
                    .help("dialogue dashes are em dashes (—); a hyphen and a space at the start of a line make a bullet list in Markdown")
                    // Unsafe: the bullet may be a list the story holds.
                    .fix(Fix::unsafe_(
                        "make the dialogue hyphen an em dash",
                        vec![Edit::replace(span, "—")],
                    )),
            );
            continue;
        }
        let text = chapter.prose_slice(block.span);
        let base = block.span.start as usize;
        // What the patterns need first, checked without them: a line that
        // starts with a hyphen, or speech opened with a dash. Most
        // paragraphs have neither (a hyphen inside a word is no dash), and
        // then no pattern runs: run on every paragraph with a hyphen, they
        // took the rule on the corpus from 3.0 to 5.4 ms at one thread.
        let opens_with_dash = text.trim_start().starts_with('—');
        let line_hyphen = starts_a_line_with_hyphen(text);
        if !(opens_with_dash || line_hyphen) || !text.contains('-') {
            continue;
        }
        let mut hyphens: Vec<usize> = match line_hyphen {
            true => LINE_HYPHEN
                .captures_iter(text)
                .filter_map(|c| c.get(1).map(|m| m.start()))
                .collect(),
            false => Vec::new(),
        };
        // Inside speech only: a paragraph that opens with a dash or a
        // dialogue hyphen, or holds a turn of speech on a line of its own.
        if !opens_with_dash && hyphens.is_empty() {
            continue;
        }
        hyphens.extend(
            INTERRUPTING_HYPHEN
                .captures_iter(text)
                .filter_map(|c| c.get(1).or_else(|| c.get(2)).map(|m| m.start())),
        );
        hyphens.sort_unstable();
        hyphens.dedup();
        let Some((&first, rest)) = hyphens.split_first() else {
            continue;
        };
        let span = |at: usize| Span::new(base + at, base + at + 1);
        let mut finding =
            Finding::new(chapter.index, span(first), "hyphen used as a dialogue dash")
                .label("use an em dash (—)")
                .help("dialogue dashes are em dashes (—); a hyphen joins words");
        let mut edits = vec![Edit::replace(span(first), "—")];
        for &at in rest {
            finding = finding.related(Label::new(chapter.index, span(at)).with_message("and here"));
            edits.push(Edit::replace(span(at), "—"));
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

/// Style index of speech opened with a dash (`—Your father loved a
/// storm, her mother said.`).
const DASH_SPEECH: usize = 0;
/// Style index of speech in quotation marks (`“Your father loved a
/// storm,” her mother said.`).
const QUOTED_SPEECH: usize = 1;

/// How each paragraph of an English chapter that opens with speech sets
/// it, by style ([`DASH_SPEECH`] at the dash, [`QUOTED_SPEECH`] at the
/// opening quotation mark). Only openings count: a quoted title or word
/// inside narration is no speech. A dash before another dash (`——The
/// sounding cataract`, a line of verse cut short) opens no speech.
fn speech_marks(chapter: &Chapter) -> Vec<(Span, usize)> {
    if !chapter.language.is_english() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut next = 0;
    for block in chapter.paragraphs() {
        let text = chapter.prose_slice(block.span);
        let indent = text.len() - text.trim_start().len();
        let mut after = text[indent..].chars();
        // A hyphen typed for the dash counts as one (`-I have to go`):
        // the mix is reported before its fix makes it an em dash, and
        // after.
        let dash = after.next();
        // An epigraph's attribution (“— Leo Tolstoy, Anna Karenina”), set
        // apart or ending without a stop, is no speech.
        let attribution = chapter.line_prefix(block).contains('>')
            || !text
                .trim_end()
                .ends_with(['.', '!', '?', '…', '”', '"', '’', '\'', '—']);
        let opens_with_dash = matches!(dash, Some('—' | '―' | '-'))
            && !attribution
            && after
                .find(|c| *c != ' ')
                .is_some_and(|c| c.is_alphabetic() || "¿¡".contains(c));
        // The quoted spans of earlier paragraphs are passed over once.
        next += chapter.dialogue[next..].partition_point(|d| d.start < block.span.start);
        if let (true, Some(dash)) = (opens_with_dash, dash) {
            let start = block.span.start as usize + indent;
            out.push((Span::new(start, start + dash.len_utf8()), DASH_SPEECH));
        } else if let Some(quote) = chapter.dialogue[next..]
            .first()
            .filter(|d| d.start as usize == block.span.start as usize + indent)
        {
            // English quotation marks only: guillemets in an English
            // chapter are a French passage's. Speech closes on its own
            // punctuation (“Stay,” “Why?”): a quoted word (“Home” was a
            // word) or an elision ('Twas) is no speech.
            let start = quote.start as usize;
            let quoted = chapter.text[quote.range()].trim_end();
            let mut back = quoted.chars().rev();
            let closed = back.next().is_some_and(|c| "”\"’'".contains(c))
                && back.next().is_some_and(|c| ",.!?…—".contains(c));
            if let Some(mark) = chapter.text[start..].chars().next()
                && "“\"‘'".contains(mark)
                && closed
            {
                out.push((Span::new(start, start + mark.len_utf8()), QUOTED_SPEECH));
            }
        }
    }
    out
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

/// The dash at `span` made the majority's kind: a spaced en dash an em
/// dash spaced as the manuscript's em dashes are (`spaced_em`), an em dash
/// a spaced en dash (`a—b` → `a – b`, `a — b` → `a – b`).
fn rekind(chapter: &Chapter, span: Span, majority: &StyleUse, spaced_em: bool) -> Option<Edit> {
    let text = &chapter.text;
    let (start, end) = (span.start as usize, span.end as usize);
    let spaced = text[..start].ends_with(' ') && text[end..].starts_with(' ');
    Some(match (majority.name.starts_with("spaced en"), spaced) {
        (true, true) => Edit::replace(span, "–"),
        (true, false) => Edit::replace(span, " – "),
        (false, _) if spaced_em => Edit::replace(span, "—"),
        (false, true) => Edit::replace(Span::new(start - 1, end + 1), "—"),
        (false, false) => return None,
    })
}

/// The double hyphen at `span` as `dash` (the manuscript's usual dash with
/// its spacing), the spaces around it taken in; none for a real dash where
/// double hyphens are the usual break (typing `--` for a dash is no fix).
fn undouble(chapter: &Chapter, span: Span, majority: &StyleUse, dash: &str) -> Option<Edit> {
    if majority.name.starts_with("double") {
        return None;
    }
    let text = &chapter.text;
    let (start, end) = (span.start as usize, span.end as usize);
    // A line break counts as a space, as it does for the dashes counted,
    // and stays: only spaces are taken in.
    let (before, after) = (&text[..start], &text[end..]);
    let spaced = before.ends_with(char::is_whitespace) && after.starts_with(char::is_whitespace);
    // Between two words the dash takes the book's spacing; against a
    // quotation mark, a bracket or a paragraph's edge it stays as it is.
    let between_words =
        before.ends_with(char::is_alphanumeric) && after.starts_with(char::is_alphanumeric);
    Some(match (spaced, between_words, dash.starts_with(' ')) {
        (true, _, false) => Edit::replace(
            Span::new(
                start - usize::from(before.ends_with(' ')),
                end + usize::from(after.starts_with(' ')),
            ),
            dash.trim(),
        ),
        (false, true, true) => Edit::replace(span, dash),
        _ => Edit::replace(span, dash.trim()),
    })
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
        let mut found = find_all(manuscript, "dialogue-dash", 4, dashes);
        let unspaced = std::mem::take(&mut found[UNSPACED_EM]);
        let spaced = std::mem::take(&mut found[SPACED_EM]);
        // Breaks by kind, in English chapters only: French and Spanish set
        // speech with em dashes and asides with spaced en dashes.
        let english =
            |&(chapter, _): &(usize, Span)| manuscript.chapter(chapter).language.is_english();
        let spaced_en: Vec<(usize, Span)> =
            found[SPACED_EN].iter().copied().filter(english).collect();
        let double: Vec<(usize, Span)> = found[DOUBLE_HYPHEN]
            .iter()
            .copied()
            .filter(english)
            .collect();
        let mut real: Vec<(usize, Span)> = spaced
            .iter()
            .chain(&unspaced)
            .chain(&spaced_en)
            .copied()
            .filter(english)
            .collect();
        real.sort_unstable();
        let mut em: Vec<(usize, Span)> = spaced
            .iter()
            .chain(&unspaced)
            .copied()
            .filter(english)
            .collect();
        em.sort_unstable();
        let setting = self.house.as_ref().map(|(_, setting)| setting.as_str());
        let house = |first: bool| Majority::house_or_count(setting, first);
        let house_break = self.house.as_ref().map(|&(b, _)| b);
        let spaced_em = match house_break {
            Some(b) => b == Break::SpacedEm,
            None => first_wins(&spaced, &unspaced),
        };
        let em_kept = match house_break {
            Some(b) => b != Break::SpacedEn,
            None => !first_wins(&spaced_en, &em),
        };
        // Where spaced en dashes are the usual break, every em dash is
        // flagged as the other kind below: its spacing is beside the point.
        if em_kept {
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
                house(spaced_em),
                "use one spacing for em dashes throughout",
                Some((&respace, Applicability::Safe)),
            );
        }
        let rekind = move |chapter: &Chapter, span: Span, majority: &StyleUse| {
            rekind(chapter, span, majority, spaced_em)
        };
        report_minority(
            manuscript,
            ctx,
            StyleUse {
                name: "em dash (“—”)",
                places: em,
            },
            StyleUse {
                name: "spaced en dash (“ – ”)",
                places: spaced_en,
            },
            house(em_kept),
            "use one kind of dash for breaks throughout: em dashes, or spaced en dashes",
            Some((&rekind, Applicability::Safe)),
        );
        // A house style names a real dash, so double hyphens are then
        // always the other style.
        let real_kept = house_break.is_some() || !first_wins(&double, &real);
        let dash = match (em_kept, spaced_em) {
            (false, _) => " – ",
            (true, true) => " — ",
            (true, false) => "—",
        };
        let undouble = move |chapter: &Chapter, span: Span, majority: &StyleUse| {
            undouble(chapter, span, majority, dash)
        };
        report_minority(
            manuscript,
            ctx,
            StyleUse {
                name: "real dashes (“—”, “–”)",
                places: real,
            },
            StyleUse {
                name: "double hyphens (“--”)",
                places: double,
            },
            house(real_kept),
            "use one kind of dash for breaks throughout: a real dash, not a double hyphen",
            Some((&undouble, Applicability::Safe)),
        );
        report_speech_styles(manuscript, ctx);
    }
}

/// Speech set two ways in English chapters: opened with a dash in a book
/// whose speech is otherwise in quotation marks (a chapter drafted in
/// another convention), or the other way round. No fix: the quotation
/// marks' places cannot be told mechanically.
fn report_speech_styles(manuscript: &Manuscript, ctx: &mut RuleContext) {
    let places = places_by_style(
        manuscript,
        "dialogue-dash",
        "dialogue-dash/speech",
        2,
        speech_marks,
    );
    let [dash, quoted]: [Vec<(usize, Span)>; 2] = places.try_into().unwrap_or_default();
    report_minority(
        manuscript,
        ctx,
        StyleUse {
            name: "speech opened with a dash (—)",
            places: dash,
        },
        StyleUse {
            name: "speech in quotation marks",
            places: quoted,
        },
        Majority::ByCount,
        "set speech one way throughout: in quotation marks, or opened with a dash and no closing mark",
        None,
    );
}

#[cfg(test)]
mod tests {
    use crate::testing::{
        assert_quiet, check_rule, fixed_texts, fixed_texts_with, render_human, run_rule_on,
        run_rule_with,
    };

    /// A copy-editor's brief: unspaced em dashes. The two correct dashes of
    /// chapter 2 were the minority (two against three spaced ones) and
    /// would have been "fixed" into spaced ones; with the house style set,
    /// the spaced ones are flagged and mended instead.
    #[test]
    fn a_house_style_for_breaks_overrides_the_majority() {
        let one = "The car came in low — too low — and stopped.\n\nNot reversed — gone.\n";
        let two = "He thought about it—not for long—and shook his head.\n";
        let chapters = [("1.txt", one), ("2.txt", two)];
        let (_, by_count) = run_rule_on("dialogue-dash", &chapters);
        assert_eq!(by_count.len(), 1);
        assert_eq!(by_count[0].primary.chapter, 1);
        let house = r#"prefer = "unspaced-em""#;
        let (_, findings) = run_rule_with("dialogue-dash", house, &chapters);
        let found: Vec<(usize, usize, &str)> = findings
            .iter()
            .map(|d| {
                (
                    d.primary.chapter,
                    d.primary.span.start as usize,
                    d.message.as_str(),
                )
            })
            .collect();
        let message = "spaced em dash (“ — ”) where the house style is unspaced em dash (“—”)";
        assert_eq!(
            found,
            vec![
                (0, one.find('—').unwrap(), message),
                (0, one.rfind('—').unwrap(), message)
            ]
        );
        assert_eq!(
            findings[0].help.as_deref(),
            Some(
                "use one spacing for em dashes throughout; the house style is `prefer = \"unspaced-em\"` under [rules.dialogue-dash] in manulint.toml"
            )
        );
        assert_eq!(
            fixed_texts_with("dialogue-dash", house, &chapters, false),
            vec![
                "The car came in low—too low—and stopped.\n\nNot reversed—gone.\n".to_string(),
                two.to_string()
            ]
        );
        // The house style is kept where the book never uses it (no place
        // to point at), and a spaced en dash becomes the house's em dash.
        let spaced_only = [(
            "1.txt",
            "Low — too low.\n\nIt was empty – or close to it.\n",
        )];
        let (_, findings) = run_rule_with("dialogue-dash", house, &spaced_only);
        let found: Vec<(&str, usize)> = findings
            .iter()
            .map(|d| (d.message.as_str(), d.related.len()))
            .collect();
        assert_eq!(
            found,
            vec![
                (message, 0),
                (
                    "spaced en dash (“ – ”) where the house style is em dash (“—”)",
                    1
                )
            ]
        );
        assert_eq!(
            fixed_texts_with("dialogue-dash", house, &spaced_only, false),
            vec!["Low—too low.\n\nIt was empty—or close to it.\n".to_string()]
        );
        let (_, en) = run_rule_with("dialogue-dash", r#"prefer = "spaced-en""#, &chapters);
        assert_eq!(en.len(), 3, "{en:?}");
    }

    #[test]
    fn an_unknown_house_style_names_the_choices() {
        let options: toml::Table = r#"prefer = "closed""#.parse().unwrap();
        let err = crate::testing::run_rule_with_config(
            "dialogue-dash",
            &crate::config::Config::default(),
            &options,
            &[("a.txt", "Text.\n")],
        )
        .unwrap_err();
        assert_eq!(
            err,
            "`prefer = \"closed\"` names no style this rule knows; use \"unspaced-em\", \"spaced-em\" or \"spaced-en\""
        );
    }

    /// A dialogue hyphen typed at the start of a Markdown paragraph makes
    /// a one-item bullet list: still a dialogue hyphen, found at the
    /// list's marker and mended to an em dash (a newcomer's try: silent in
    /// `.md`, found in `.txt`). Real lists, and a lone item that is no
    /// sentence, are left alone.
    #[test]
    fn a_lone_bullet_of_speech_in_markdown_is_a_dialogue_hyphen() {
        let text = "He looked at the phone for a long time.\n\n\
                    - So that's how it is, he said to the empty office.\n\n\
                    Nobody answered.\n";
        assert_eq!(
            check_rule("dialogue-dash", "c.md", text),
            vec![(3, 1, "hyphen used as a dialogue dash".to_string())]
        );
        // The fix waits for `--unsafe-fixes`: the bullet may be the story's.
        assert_eq!(
            fixed_texts("dialogue-dash", &[("c.md", text)], false),
            vec![text.to_string()]
        );
        assert_eq!(
            fixed_texts("dialogue-dash", &[("c.md", text)], true),
            vec![text.replace("- So", "— So")]
        );
        assert_quiet(
            "dialogue-dash",
            "c.md",
            &[
                "She wrote the list.\n\n- eggs and milk.\n- a loaf of bread.\n\nThen she left.\n",
                "She wrote the list.\n\n- Eggs, milk and bread\n\nThen she left.\n",
                "She wrote the list:\n\n1. Call the bank.\n\n- Then call him back, she said.\n",
                // A note on the fridge: no speech tag (a reviewer's read).
                "He found her note.\n\n- Gone to the shops, back by six.\n\nHe smiled.\n",
                // A loose list whose items a continuation line parts.
                "The list was longer:\n\n- Call the bank, she said, before noon.\n\n  \
                 Ask them about the overdraft too.\n\n- Pick up the dry cleaning, she said.\n\n\
                 Then he sat down.\n",
            ],
        );
    }

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

    /// Spanish speech opened with `¿` or `¡`, the tag against a word
    /// (`-respondió`), a hyphen taking up speech in a paragraph that opens
    /// with an em dash, and French turns of speech on lines of their own:
    /// each hyphen is found and made a dash, and nothing else is.
    #[test]
    fn spanish_and_french_dialogue_hyphens_are_found_and_fixed() {
        let text = "-¿Y qué esperabas? -respondió Maite.\n\n\
                    -¡Fuera! -gritó.\n\n\
                    —Tu tía quería muchas cosas. -No todas buenas -dijo la vieja, bien-educada.\n\n\
                    « Tu viens ?\n- Non.\n- Pourquoi ? »\n\n\
                    Un homme bien-aimé - ou pas.\n";
        let found: Vec<(usize, usize)> = check_rule("dialogue-dash", "c.txt", text)
            .into_iter()
            .map(|(line, column, _)| (line, column))
            .collect();
        assert_eq!(found, vec![(1, 1), (3, 1), (5, 30), (8, 1)]);
        let fixed = fixed_texts("dialogue-dash", &[("c.txt", text)], false);
        assert_eq!(
            fixed[0],
            "—¿Y qué esperabas? —respondió Maite.\n\n\
             —¡Fuera! —gritó.\n\n\
             —Tu tía quería muchas cosas. —No todas buenas —dijo la vieja, bien-educada.\n\n\
             « Tu viens ?\n— Non.\n— Pourquoi ? »\n\n\
             Un homme bien-aimé - ou pas.\n"
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
            vec![(9, 10, "unspaced em dash (“—”) in a manuscript that otherwise uses spaced em dash (“ — ”, 4×)".to_string())],
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
            vec![(3, 14, "spaced em dash (“ — ”) in a manuscript that otherwise uses unspaced em dash (“—”, 2×)".to_string())]
        );
    }

    /// The British spaced en dash among em dashes, and the other way round:
    /// the less common kind is flagged once per paragraph and made the
    /// usual one, spaced as the manuscript's em dashes are.
    #[test]
    fn spaced_en_dashes_mixed_with_em_dashes() {
        let text = "The cans—nine of them—sat there.\n\n\
                    The road ran London–Paris in 1914–18.\n\n\
                    It was empty – or close to it – at noon.\n\n\
                    She waited—and waited.\n";
        assert_eq!(
            check_rule("dialogue-dash", "c.txt", text),
            vec![(
                5,
                14,
                "spaced en dash (“ – ”) in a manuscript that otherwise uses em dash (“—”, 3×)"
                    .to_string()
            )]
        );
        let (_, diagnostics) = run_rule_on("dialogue-dash", &[("c.txt", text)]);
        assert_eq!(
            diagnostics[0].primary.message.as_deref(),
            Some("minority style (2× in this paragraph)")
        );
        let fixed = fixed_texts("dialogue-dash", &[("c.txt", text)], false);
        assert_eq!(
            fixed[0],
            "The cans—nine of them—sat there.\n\n\
             The road ran London–Paris in 1914–18.\n\n\
             It was empty—or close to it—at noon.\n\n\
             She waited—and waited.\n"
        );
        // British breaks in the majority: the em dashes become spaced en
        // dashes, and their own spacing is not reported as well.
        let british = "It was empty – or close to it – at noon.\n\n\
                       The wardens – three of them – were out.\n\n\
                       The cans—nine of them — sat there.\n";
        let found = check_rule("dialogue-dash", "c.txt", british);
        assert_eq!(
            found,
            vec![(
                5,
                9,
                "em dash (“—”) in a manuscript that otherwise uses spaced en dash (“ – ”, 4×)"
                    .to_string()
            )]
        );
        let fixed = fixed_texts("dialogue-dash", &[("c.txt", british)], false);
        assert!(
            fixed[0].ends_with("The cans – nine of them – sat there.\n"),
            "{}",
            fixed[0]
        );
        // Spaced em dashes take the en dash's spaces.
        let spaced = "The cans — nine of them — sat there.\n\nIt was empty – or not.\n";
        let fixed = fixed_texts("dialogue-dash", &[("c.txt", spaced)], false);
        assert_eq!(
            fixed[0],
            "The cans — nine of them — sat there.\n\nIt was empty — or not.\n"
        );
    }

    /// A chapter typed with double hyphens in a book of em dashes: each of
    /// its paragraphs is flagged once and fixed to the book's dash with
    /// its spacing; runs of hyphens, `17--` and `D--n` are no breaks, and
    /// real dashes among double hyphens are flagged without a fix.
    #[test]
    fn double_hyphens_among_dashes() {
        let text = "She looked at the ring — it looked like an eye — and said nothing.\n\n\
                    The throat was violet — deep violet — like a bruise.\n\n\
                    The tape feed -- it was a tape feed -- began to crawl.\n\n\
                    It depends on--well, on the year 17-- and on D--n luck.\n\n\
                    A rule of hyphens --- and ----- stays.\n";
        assert_eq!(
            check_rule("dialogue-dash", "c.txt", text),
            vec![
                (
                    5,
                    15,
                    "double hyphens (“--”) in a manuscript that otherwise uses real dashes (“—”, “–”, 4×)"
                        .to_string()
                ),
                (
                    7,
                    14,
                    "double hyphens (“--”) in a manuscript that otherwise uses real dashes (“—”, “–”, 4×)"
                        .to_string()
                ),
            ]
        );
        let fixed = fixed_texts("dialogue-dash", &[("c.txt", text)], false);
        assert!(
            fixed[0].contains(
                "The tape feed — it was a tape feed — began to crawl.\n\n\
                 It depends on — well, on the year 17-- and on D--n luck.\n\n\
                 A rule of hyphens --- and ----- stays.\n"
            ),
            "{}",
            fixed[0]
        );
        // Unspaced em dashes: the spaces around a double hyphen go too.
        let unspaced = "The cans—nine of them—sat there.\n\nHe left -- then came back.\n";
        let fixed = fixed_texts("dialogue-dash", &[("c.txt", unspaced)], false);
        assert_eq!(
            fixed[0],
            "The cans—nine of them—sat there.\n\nHe left—then came back.\n"
        );
        // Against a quotation mark and at a paragraph's edge too; a spaced
        // range is none.
        let quoted = "The cans—nine of them—sat there. The box—red—fell.\n\n\
                      “Wait--” he said. “I--”\n\n--and then it was 1914 -- 1918.\n";
        let fixed = fixed_texts("dialogue-dash", &[("c.txt", quoted)], false);
        assert_eq!(
            fixed[0],
            "The cans—nine of them—sat there. The box—red—fell.\n\n\
             “Wait—” he said. “I—”\n\n—and then it was 1914 -- 1918.\n"
        );
        // At a line break the break stays, and the fix is the last one.
        let wrapped =
            "The cans—nine of them—sat there. The box—red—fell.\n\nHe left --\nthen came back.\n";
        let fixed = fixed_texts("dialogue-dash", &[("c.txt", wrapped)], false);
        assert_eq!(
            fixed[0],
            "The cans—nine of them—sat there. The box—red—fell.\n\nHe left—\nthen came back.\n"
        );
        assert_eq!(check_rule("dialogue-dash", "c.txt", &fixed[0]), vec![]);
        // A typewritten book with one real dash: the dash is flagged, and
        // not rewritten as a double hyphen.
        let typed = "The cans--nine of them--sat there.\n\nHe left -- then came.\n\nShe waited — and waited.\n";
        let found = check_rule("dialogue-dash", "c.txt", typed);
        assert_eq!(
            found,
            vec![(
                5,
                12,
                "real dashes (“—”, “–”) in a manuscript that otherwise uses double hyphens (“--”, 3×)"
                    .to_string()
            )]
        );
        let fixed = fixed_texts("dialogue-dash", &[("c.txt", typed)], false);
        assert_eq!(fixed[0], typed);
    }

    /// Dashes that are no breaks are neither counted nor rewritten: letters
    /// left out (`D—n`, `d—d`, `Lady C—,`, `J—n S—h`) and spaced ranges
    /// (`1914 – 1918`, `2 – 4 p.m.`, `Monday – Friday`); a dash at a line
    /// break is spaced, counted, and left for the writer to mend.
    #[test]
    fn elided_letters_and_ranges_are_no_breaks() {
        let british = "It was empty – or close to it – at noon.\n\n\
                       ‘D—n it,’ said the Colonel – and he meant it.\n\n\
                       Lady C—, his sister, was there; ‘You d—d fool!’ said J—n S—h.\n\n\
                       Visiting hours were 2 – 4 p.m., Monday – Friday, in 1914 – 1918.\n";
        assert_eq!(check_rule("dialogue-dash", "c.txt", british), vec![]);
        let unspaced = "The cans—nine of them—sat there.\n\n\
                        Visiting hours were 2 – 4 p.m., Monday – Friday.\n\n\
                        He waited for the post –\nwhich never came.\n";
        assert_eq!(
            check_rule("dialogue-dash", "c.txt", unspaced),
            vec![(
                5,
                24,
                "spaced en dash (“ – ”) in a manuscript that otherwise uses em dash (“—”, 2×)"
                    .to_string()
            )]
        );
        let (_, found) = run_rule_on("dialogue-dash", &[("c.txt", unspaced)]);
        assert!(found[0].fix.is_none(), "no fix across a line break");
    }

    /// French sets speech with em dashes and asides with spaced en dashes:
    /// both kinds in one chapter are its norm, not a mix.
    #[test]
    fn french_em_and_en_dashes_are_not_a_mix() {
        let text = "Il est parti — enfin — sans un mot.\n\n\
                    Elle attendait – comme toujours – à la fenêtre.\n";
        assert_eq!(
            check_rule("dialogue-dash", "c.txt", text).len(),
            1,
            "a mix in English"
        );
        let mut chapters = crate::testing::manuscript(&[("c.txt", text)]).chapters;
        chapters[0].set_language(crate::language::Language::French);
        let manuscript = crate::text::Manuscript::new(chapters);
        let (_, found) = crate::testing::run_rule_on_manuscript(
            "dialogue-dash",
            &crate::config::Config::default(),
            &toml::Table::new(),
            manuscript,
        )
        .expect("builds");
        assert!(found.is_empty(), "{found:?}");
    }

    /// A chapter drafted with dash speech in a book of quotation marks:
    /// each of its speech paragraphs (one with a hyphen typed for the dash)
    /// is flagged, pointing at the book's
    /// first quoted speech, with no fix. A quoted title inside narration
    /// does not count as speech.
    #[test]
    fn speech_set_two_ways() {
        let quoted = "The rain had not stopped.\n\n\
                      “Your father loved a storm,” her mother said.\n\n\
                      “He did.”\n\n\
                      She read “The Tempest” twice.\n\n\
                      ‘Every time,’ said Ruth.\n\n\
                      “Come in.”\n";
        let dashed = "The boat came in.\n\n\
                      —Your father loved a storm, her mother said.\n\n\
                      — He did, said Ruth.\n\n\
                      -Why? she asked.\n";
        let (manuscript, found) =
            run_rule_on("dialogue-dash", &[("c1.txt", quoted), ("c2.txt", dashed)]);
        let found: Vec<(usize, usize, String, bool)> = found
            .iter()
            .map(|d| {
                let chapter = manuscript.chapter(d.primary.chapter);
                let at = chapter
                    .lines
                    .line_col(&chapter.text, d.primary.span.start as usize);
                (
                    d.primary.chapter,
                    at.line,
                    d.message.clone(),
                    d.fix.is_some(),
                )
            })
            .collect();
        let message = "speech opened with a dash (—) in a manuscript that otherwise uses \
                       speech in quotation marks (4×)";
        assert_eq!(
            found,
            [
                (1, 3, message.to_string(), false),
                (1, 5, message.to_string(), false),
                (1, 7, "hyphen used as a dialogue dash".to_string(), true),
                (1, 7, message.to_string(), false),
            ]
        );
        // The other way round: one quoted paragraph in a book of dashes.
        let (_, found) = run_rule_on(
            "dialogue-dash",
            &[("c1.txt", dashed), ("c2.txt", "“Stop,” she said.\n")],
        );
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "hyphen used as a dialogue dash",
                "speech in quotation marks in a manuscript that otherwise uses \
                 speech opened with a dash (—, 3×)"
            ]
        );
    }

    #[test]
    fn quiet_on_consistent_dashes_and_double_hyphens() {
        assert_quiet(
            "dialogue-dash",
            "c.txt",
            &[
                "The cans—nine of them—sat there.\n\n“Wait—”\n",
                "The cans — nine of them — sat there.\n",
                "The cans--nine of them -- sat there.\n",
                "A well-known man. Twenty-one years.\n",
                "It was empty – or close to it – in 1914–18.\n\nThe years 1939–45 passed.\n",
                "—Stay, she said.\n\nHe had read “The Tempest” twice.\n\n—Why? he asked.\n",
                "“Stay,” she said.\n\n     ——The sounding cataract\n\n“Why?” he asked.\n",
                "“Stay,” she said.\n\n--and then it was over.\n\n“Why?” he asked.\n",
                // An epigraph's attribution, in a book of quoted speech.
                "“Stay,” she said.\n\n— Leo Tolstoy, Anna Karenina\n\n“Why?” he asked.\n",
                // A quoted word or an elision, in a book of dash speech.
                "—Stay, she said.\n\n'Twas a cold night on the quay.\n\n\
                 \"Home\" was a word she no longer used.\n\n—Why? he asked.\n",
            ],
        );
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
