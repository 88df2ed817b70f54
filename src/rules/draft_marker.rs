use std::sync::{LazyLock, OnceLock};

use regex::Regex;
use serde::Deserialize;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::literals::{Gate, Requirement, might_fold_to_ascii};
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::text::{Block, Chapter, Span};

declare_rule! {
    /// ## What it does
    /// Finds notes an author leaves for later: `TODO`, `TK` (“to come”),
    /// `TKTK`, `FIXME`, `XXX` as whole words in capitals, and
    /// double-bracketed notes such as `[[check Teo’s age]]`, and
    /// placeholders for text still to write: `[insert …]` (and `[add …]`,
    /// `[describe …]`, `[continue …]`, `[TBD]`; in French, Spanish and
    /// German drafts `[à compléter …]`, `[insérer …]`, `[por completar …]`,
    /// `[insertar …]`, `[einfügen …]`), `[Name]` (`[CHARACTER NAME]`,
    /// `[town’s name]`, `[nom du village]`, `[NOMBRE DEL PUEBLO]`),
    /// `[DATE]`, `[place]`, `[the address]` (a fact to look up), notes in
    /// brackets that start with a marker in any case (`[tk: check the
    /// date]`, `[todo ask Ma]`) or ask for a fix or a check (`[FIX THIS]`,
    /// `[check: was it raining?]`), `{{name}}`, “Lorem ipsum”, `XX` standing
    /// for a number or a sum (`$XX`, `£XX`, `€XX`, `19XX`, `XX years`, `XX
    /// shillings`, `page XX`, `XX:XX`) and `(citation needed)`.
    /// Only prose is searched: code blocks, inline code and HTML comments in
    /// Markdown are left alone. `TKO` and other words that merely contain a
    /// marker do not count, and neither does `XXX` as a Roman numeral
    /// (“Chapter XXX”), nor a marker word that is a word of the story:
    /// `TK` before a name (“TK Maxx”), `XXX` as kisses ending a paragraph
    /// after a signature (“Love always, Ruth XXX”) or ending a text
    /// message in a thread of texts, each line a sender's name and a colon
    /// (“Kirsty: home safe. night mam XXX”), and a marker in a
    /// heading in capitals that the chapter writes as a name elsewhere
    /// (“CHAPTER THREE: TODO” in a chapter about a dog called Todo).
    ///
    /// ## Why
    /// A placeholder that reaches an agent, an editor or a printer is
    /// embarrassing, and easy to miss in a long file.
    ///
    /// ## Example
    /// ```text
    /// The reels were made in TK.          ← flagged
    /// [[note: is Teo 14 or 15?]]          ← flagged
    /// He paid $XX for the reels.         ← flagged
    /// She knocked on [Name]’s door.       ← flagged
    /// It was a TKO in the third round.    ← fine
    /// CHAPTER XX                          ← fine: twenty
    /// ```
    ///
    /// ## Options
    /// - `markers` (list of words, default `["TODO", "TK", "TKTK", "FIXME",
    ///   "XXX"]`): the marker words, matched as whole words, case-sensitively.
    /// - `brackets` (bool, default `true`): also flag `[[…]]` notes.
    /// - `placeholders` (bool, default `true`): also flag the placeholders
    ///   (`[insert …]`, `[Name]`, `{{…}}`, Lorem ipsum, `XX` as a number,
    ///   `(citation needed)`).
    pub static META = {
        id: "draft-marker",
        category: Draft,
        severity: Error,
        scope: Chapter,
        summary: "A TODO, TK, FIXME, [[note]] or placeholder ([insert …], Lorem ipsum) left in the text",
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

const DEFAULT_MARKERS: &[&str] = &["TODO", "TK", "TKTK", "FIXME", "XXX"];

#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Options {
    markers: Vec<String>,
    brackets: bool,
    placeholders: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            markers: DEFAULT_MARKERS.iter().map(|m| m.to_string()).collect(),
            brackets: true,
            placeholders: true,
        }
    }
}

struct DraftMarker {
    source: String,
    /// Compiled the first time a block might match (see `gate`): building
    /// it took longer than checking a chapter, and most chapters hold none
    /// of its literals (`TODO`, `[[`, `lorem ipsum`, `XX`…). The default
    /// list's is compiled only for a match [`DraftMarker::unbounded`] cannot
    /// settle (see [`DraftMarker::find_at`]).
    pattern: OnceLock<Regex>,
    /// `source` with [`UNBOUNDED_NOTE_TEXT`] for [`note_text!`], compiled
    /// on first use as `pattern` is.
    unbounded_source: String,
    unbounded: OnceLock<Regex>,
    /// Which blocks might match: those with the literals of one branch.
    gate: Gate,
}

/// A `[[…]]` note, any length: [`BRACKET_NOTE_MAX`] is checked in code
/// ([`DraftMarker::find_all`]). Written `{1,300}`, this one repeat compiled
/// to 300 copies of a Unicode class, half of the rule's 8 ms of start-up.
static BRACKET_NOTE: &str = r"\[\[[^\[\]\n]+\]\]";

/// The longest `[[…]]` note, in characters between the brackets; a longer
/// run of text in double brackets is not taken for a note.
const BRACKET_NOTE_MAX: usize = 300;

/// The text of a bracketed placeholder or note up to its closing bracket:
/// [`NOTE_TEXT_MAX`] characters at most, none a bracket or a line break.
macro_rules! note_text {
    () => {
        r"[^\[\]\n]{0,120}"
    };
}

/// The most characters [`note_text!`] takes.
const NOTE_TEXT_MAX: usize = 120;

/// [`note_text!`] without its bound, in the pattern the rule searches with
/// first (see [`DraftMarker::find_at`]): 120 copies of a class of nearly
/// all Unicode were a third of the time to compile the rule's regex.
const UNBOUNDED_NOTE_TEXT: &str = r"[^\[\]\n]*";

/// Placeholders for text still to write.
static PLACEHOLDERS: &[&str] = &[
    // [insert description], [add scene], [TBD]
    concat!(
        r"(?i:\[[ \t]*(?:insert|add|describe|continue|expand|write|fill in|placeholder|tbd|tbc|more to come)\b",
        note_text!(),
        r"\])"
    ),
    // The same in French, Spanish and German drafts: [À COMPLÉTER : …],
    // [insérer la lettre], [POR COMPLETAR: …], [insertar descripción],
    // [hier einfügen]
    concat!(
        r"(?i:\[[ \t]*(?:insérer|ajouter|décrire|compléter|à compléter|à écrire|à venir|à développer|à revoir|à vérifier|insertar|añadir|agregar|describir|completar|por completar|por escribir|pendiente|einfügen|ergänzen|beschreiben|hier einfügen)\b",
        note_text!(),
        r"\])"
    ),
    // [Name], [CHARACTER NAME], [town’s name], [Title]
    // (A letter class is kept out of `(?i)`: folding the case of every
    // range of `\p{L}` was a tenth of the time to compile the regex, and
    // gives it only U+0345, a mark that folds to ι, written in here.)
    r"(?i:\[[ \t]*(?:(?-i:[\p{L}\x{345}’'-])+[ \t]+){0,2}(?:name|title)[ \t]*\])",
    // [nom], [NOMBRE DEL PUEBLO], [nom du village], [título]
    r"(?i:\[[ \t]*(?:nom|nombre|titre|título)(?:[ \t]+(?-i:[\p{L}\x{345}’'-])+){0,3}[ \t]*\])",
    r"\{\{[^{}\n]{1,60}\}\}",
    r"(?i:\blorem ipsum\b)",
    // [DATE], [place], [the address]: a fact to look up. Spelt out (no
    // run of spaces) so that its literals are the whole placeholders: as
    // “[” and “]” and “place” apart, every paragraph of a Gutenberg text
    // with an [Illustration] and a common word was searched.
    r"(?i:\[ ?(?:the )?(?:date|place|address|year|town|city|street|location|amount|price|sum)\])",
    // A note in brackets: [tk: check the date], [TODO ask Ma], [FIX THIS],
    // [check: the date]. Not “[Note: …]”, which letters and documents in a
    // story hold.
    concat!(
        r"(?i:\[ ?(?:(?:tk|tktk|todo|fixme|note to self)\b|(?:fix|check) ?:)",
        note_text!(),
        r"\])"
    ),
    // [FIX THIS], [fix me], [check this]: alone in their brackets, so that
    // a form's “[Check this box to continue]” in the story is no note.
    r"(?i:\[ ?(?:fix this|fix me|check this|rewrite this)[ .!?]{0,3}\])",
    // XX standing for a number (or a sum: $XX, £XX, €XX)
    r"(?:[$£€¥]|\b(?:1[0-9]|20))XX\b",
    r"\bXX(?:[.,:]XX)+\b",
    r"\bXX[ \t]*(?:%|(?:percent|per cent|years?|months?|weeks?|days?|hours?|minutes?|miles?|yards?|feet|foot|inch(?:es)?|metres?|meters?|kilometres?|kilometers?|pounds?|shillings?|pence|guineas?|dollars?|euros?|francs?|pages?|cents?|o['’]clock)\b)",
    r"\b(?:[Pp]age|[Rr]oom|[Nn]umber|[Aa]ge|[Aa]ged|No\.|#)[ \t]*XX\b",
    r"(?i:[\[(][ \t]*(?:citation needed|cite|source needed|ref(?:erence)? needed|source\?)[ \t]*[\])])",
];

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    let options: Options = setup.options()?;
    let source = source(&options);
    let pattern = OnceLock::new();
    if options.markers != DEFAULT_MARKERS {
        // The user's list: a list too long to compile is a config error now,
        // not a failure later.
        let regex = Regex::new(&source).map_err(|e| format!("bad marker list: {e}"))?;
        let _ = pattern.set(regex);
    }
    let gate =
        Gate::new(&[Requirement::of(&source)]).map_err(|e| format!("bad marker list: {e}"))?;
    Ok(Box::new(DraftMarker::new(source, pattern, gate)))
}

/// The one regex of every marker and placeholder the options ask for.
fn source(options: &Options) -> String {
    let mut alternatives: Vec<String> = Vec::new();
    if !options.markers.is_empty() {
        let words: Vec<String> = options.markers.iter().map(|m| regex::escape(m)).collect();
        alternatives.push(format!(r"\b(?:{})\b", words.join("|")));
    }
    if options.brackets {
        alternatives.push(BRACKET_NOTE.to_string());
    }
    if options.placeholders {
        alternatives.extend(PLACEHOLDERS.iter().map(|p| p.to_string()));
    }
    if alternatives.is_empty() {
        r"[^\s\S]".to_string() // matches nothing
    } else {
        alternatives.join("|")
    }
}

static ROMAN_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:chapter|book|part|volume|vol|psalm|canto|letter|no|number)\.?\s*$")
        .expect("static regex")
});

impl Rule for DraftMarker {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check_chapter(&self, chapter: &Chapter, ctx: &mut RuleContext) {
        let everything = might_fold_to_ascii(&chapter.prose);
        let blocks: Vec<&Block> = chapter
            .blocks
            .iter()
            .filter(|b| !b.sentences.is_empty())
            .collect();
        let spans: Vec<std::ops::Range<usize>> = blocks.iter().map(|b| b.span.range()).collect();
        let mut marked = Vec::new();
        self.gate
            .candidates_in(&chapter.prose, &spans, everything, |i, candidates| {
                if !candidates.is_empty() {
                    marked.push(blocks[i]);
                }
            });
        for block in marked {
            let prose = chapter.prose_slice(block.span);
            for found in self.find_all(prose) {
                let start = block.span.start as usize + found.start();
                let span = Span::new(start, start + found.len());
                if found.as_str() == "XXX" && is_roman_numeral(chapter, block, span) {
                    continue;
                }
                if is_not_a_marker(chapter, block, span) {
                    continue;
                }
                ctx.report(
                    Finding::new(
                        chapter.index,
                        span,
                        format!("draft marker “{}” left in the text", found.as_str()),
                    )
                    .label("placeholder")
                    .help("write the missing text, or move the note out of the manuscript"),
                );
            }
        }
    }
}

impl DraftMarker {
    /// The rule for the regex `source`, compiled already in `pattern` or
    /// not, its blocks chosen by `gate`.
    fn new(source: String, pattern: OnceLock<Regex>, gate: Gate) -> DraftMarker {
        DraftMarker {
            unbounded_source: source.replace(note_text!(), UNBOUNDED_NOTE_TEXT),
            unbounded: OnceLock::new(),
            source,
            pattern,
            gate,
        }
    }

    /// The match `pattern.find_at(prose, at)` gives, most often found by
    /// `unbounded`, which compiles in half the time. It matches all that
    /// `pattern` matches and more, and prefers the same way, so any match
    /// of it that a bounded note could hold, [`NOTE_TEXT_MAX`] characters
    /// or fewer, is `pattern`'s: its notes ran no longer. A longer one (a
    /// long passage in brackets) is looked for again with `pattern`.
    fn find_at<'t>(&self, prose: &'t str, at: usize) -> Option<regex::Match<'t>> {
        // Built from escaped markers and fixed placeholders (a user's list
        // was compiled in `build`): both compile.
        if let Some(pattern) = self.pattern.get() {
            return pattern.find_at(prose, at);
        }
        let unbounded = self.unbounded.get_or_init(|| {
            Regex::new(&self.unbounded_source).expect("the draft-marker regex compiles")
        });
        let bounded = || {
            self.pattern
                .get_or_init(|| Regex::new(&self.source).expect("the draft-marker regex compiles"))
        };
        unbounded_first(unbounded, bounded, prose, at)
    }

    /// The matches `find_iter` would give if the pattern bounded `[[…]]`
    /// notes itself: a longer one is no match at its `[[`, and the search
    /// goes on from the next character. (No other alternative can start at
    /// `[[`, so nothing else is lost there.)
    fn find_all<'t>(&self, prose: &'t str) -> Vec<regex::Match<'t>> {
        let mut found = Vec::new();
        let mut at = 0;
        let mut last_end = None;
        while let Some(m) = self.find_at(prose, at) {
            let next_char = |i: usize| i + prose[i..].chars().next().map_or(1, char::len_utf8);
            // As `find_iter`: no empty match right where the last one ended.
            if m.is_empty() && last_end == Some(m.end()) {
                at = next_char(m.end());
            } else if is_long_bracket_note(m.as_str()) {
                at = m.start() + 1;
            } else {
                at = if m.is_empty() {
                    next_char(m.end())
                } else {
                    m.end()
                };
                last_end = Some(m.end());
                found.push(m);
            }
            if at > prose.len() {
                break;
            }
        }
        found
    }
}

/// `bounded().find_at(prose, at)`, asked of `unbounded` (the same pattern
/// with [`UNBOUNDED_NOTE_TEXT`]) first: `bounded` is called only for a match
/// of more than [`NOTE_TEXT_MAX`] characters (see [`DraftMarker::find_at`]).
fn unbounded_first<'r, 't>(
    unbounded: &Regex,
    bounded: impl FnOnce() -> &'r Regex,
    prose: &'t str,
    at: usize,
) -> Option<regex::Match<'t>> {
    let found = unbounded.find_at(prose, at)?;
    if found.as_str().chars().nth(NOTE_TEXT_MAX).is_none() {
        return Some(found);
    }
    bounded().find_at(prose, at)
}

fn is_long_bracket_note(found: &str) -> bool {
    found.len() > BRACKET_NOTE_MAX + 4
        && found.starts_with("[[")
        && found[2..found.len() - 2].chars().count() > BRACKET_NOTE_MAX
}

/// “CHAPTER XXX”, “Psalm XXX”: thirty, not a marker.
fn is_roman_numeral(chapter: &Chapter, block: &Block, span: Span) -> bool {
    if block.is_heading() {
        return true;
    }
    let before = &chapter.prose[block.span.start as usize..span.start as usize];
    ROMAN_CONTEXT.is_match(before)
}

/// A marker word that is a word of the story, told by what is around it:
///
/// - `TK` before a name (`TK Maxx`: a capital, then a small letter);
/// - `XXX` ending its paragraph after a capitalised word: kisses after a
///   signature (`Love always, Ruth XXX`); or ending a line of a thread of
///   text messages (`Kirsty: home safe. night mam XXX⏎Me: Night`);
/// - a marker in a heading in capitals that the chapter writes elsewhere
///   as a name (`CHAPTER THREE: TODO` in a chapter about a dog called
///   Todo).
///
/// A placeholder reads otherwise: `made in TK, years before`, `born in
/// XXX.`, `TODO: check the date`.
fn is_not_a_marker(chapter: &Chapter, block: &Block, span: Span) -> bool {
    let prose = &chapter.prose;
    let word = &prose[span.range()];
    let after = &prose[span.end as usize..block.span.end as usize];
    let before = &prose[block.span.start as usize..span.start as usize];
    match word {
        "TK" => {
            let mut next = after.strip_prefix(' ').unwrap_or("").chars();
            next.next().is_some_and(char::is_uppercase)
                && next.next().is_some_and(char::is_lowercase)
        }
        "XXX" => {
            let ends_paragraph = after.chars().all(|c| !c.is_alphanumeric());
            let signed = before
                .split_whitespace()
                .next_back()
                .and_then(|w| w.chars().next())
                .is_some_and(char::is_uppercase);
            (ends_paragraph && signed) || ends_a_message(before, after)
        }
        _ => {
            let heading = &prose[block.span.range()];
            block.is_heading()
                && !heading.chars().any(char::is_lowercase)
                && is_written_as_a_name(prose, word)
        }
    }
}

/// Kisses closing a text message: the `XXX` ends a line of a thread (two
/// lines or more), every line of its paragraph a message after a sender's name and a
/// colon (`Kirsty: home safe. night mam XXX⏎Me: Night, hen.`; the name's
/// Markdown bold is masked in the prose). `before` and `after` are the
/// paragraph's prose either side of the `XXX`.
fn ends_a_message(before: &str, after: &str) -> bool {
    let rest_of_line = after.split('\n').next().unwrap_or("");
    if !rest_of_line.trim().is_empty() {
        return false;
    }
    let paragraph = format!("{before}{after}");
    let lines: Vec<&str> = paragraph
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    lines.len() >= 2 && lines.iter().all(|line| is_a_message_line(line))
}

/// `Kirsty: home safe`, `Me: Night, hen.`: a sender's name of one to
/// three words, capitalised, then a colon and the message.
fn is_a_message_line(line: &str) -> bool {
    line.trim_start().split_once(':').is_some_and(|(name, _)| {
        let words: Vec<&str> = name.split_whitespace().collect();
        (1..=3).contains(&words.len())
            && name.chars().count() <= 24
            && words[0].chars().next().is_some_and(char::is_uppercase)
            && name
                .chars()
                .all(|c| c.is_alphabetic() || c == ' ' || c == '\'' || c == '’' || c == '-')
    })
}

/// Whether `prose` holds `word` (in capitals) as a name: a capital, then
/// small letters (`Todo` for `TODO`), as a whole word.
fn is_written_as_a_name(prose: &str, word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let name: String = std::iter::once(first)
        .chain(chars.flat_map(char::to_lowercase))
        .collect();
    prose.match_indices(&name).any(|(at, _)| {
        let before = prose[..at].chars().next_back();
        let after = prose[at + name.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_quiet, check_rule};

    /// The search through the unbounded pattern finds what the pattern
    /// with bounded notes finds: from the start and from each bracket of
    /// notes and placeholders of every kind and of 0 to 130 characters,
    /// beside markers and brackets that open or close them.
    #[test]
    fn the_unbounded_search_finds_what_the_bounded_pattern_finds() {
        let source = source(&Options::default());
        let rule = DraftMarker::new(source.clone(), OnceLock::new(), Gate::new(&[]).unwrap());
        let unbounded = Regex::new(&rule.unbounded_source).unwrap();
        let bounded = Regex::new(&source).unwrap();
        assert_ne!(unbounded.as_str(), bounded.as_str());
        assert!(note_text!().ends_with(&format!("{{0,{NOTE_TEXT_MAX}}}")));
        let (mut searches, mut asked) = (0, 0);
        for open in [
            "[insert ",
            "[tk: ",
            "[TODO ",
            "[à compléter ",
            "[[",
            "[check: ",
        ] {
            for len in [0, 1, 119, 120, 121, 130] {
                for filler in ["a", "é"] {
                    let note = filler.repeat(len);
                    for close in ["]", "]]", "] TODO", "\n]", "[add scene]"] {
                        let text = format!("x {open}{note}{close} y XXX");
                        let starts = text.match_indices('[').map(|(i, _)| i);
                        for at in std::iter::once(0).chain(starts) {
                            let expected = bounded.find_at(&text, at).map(|m| m.range());
                            let found = unbounded_first(
                                &unbounded,
                                || {
                                    asked += 1;
                                    &bounded
                                },
                                &text,
                                at,
                            );
                            assert_eq!(found.map(|m| m.range()), expected, "{text:?} from {at}");
                            searches += 1;
                        }
                    }
                }
            }
        }
        // Long matches were settled by the bounded pattern, most by the
        // unbounded one alone.
        assert!(asked > 0 && asked * 2 < searches, "{asked} of {searches}");
    }

    #[test]
    fn bracket_notes_up_to_300_characters() {
        let note = |chars: usize| format!("[[{}]]", "é".repeat(chars));
        let text = format!("{} and {}\n", note(300), note(1));
        let found = check_rule("draft-marker", "c.txt", &text);
        assert_eq!(
            found.iter().map(|(l, c, _)| (*l, *c)).collect::<Vec<_>>(),
            vec![(1, 1), (1, 310)]
        );
        // Longer is not a note, but what is inside it is still searched,
        // and the search goes on after it.
        let inside = format!(
            "[[{} TODO {}]] then [[check]]\n",
            "é".repeat(150),
            "é".repeat(150)
        );
        let found = check_rule("draft-marker", "c.txt", &inside);
        let messages: Vec<&str> = found.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "draft marker “TODO” left in the text",
                "draft marker “[[check]]” left in the text",
            ]
        );
        assert_eq!((found[0].0, found[0].1), (1, 154));
    }

    #[test]
    fn flags_markers_and_bracket_notes() {
        let text =
            "The reels were made in TK. TODO: the alley.\n\n[[note: is Teo 14?]] He was FIXME.\n";
        let found = check_rule("draft-marker", "c.txt", text);
        let messages: Vec<&str> = found.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "draft marker “TK” left in the text",
                "draft marker “TODO” left in the text",
                "draft marker “[[note: is Teo 14?]]” left in the text",
                "draft marker “FIXME” left in the text",
            ]
        );
        assert_eq!((found[0].0, found[0].1), (1, 24));
        assert_eq!((found[2].0, found[2].1), (3, 1));
    }

    #[test]
    fn quiet_on_words_containing_markers_and_roman_numerals() {
        assert_quiet(
            "draft-marker",
            "c.txt",
            &[
                "It was a TKO in the third round.\n",
                "She said todo was Spanish for everything.\n",
                "CHAPTER XXX\n\nIt rained.\n",
                "He read Psalm XXX aloud.\n",
                "A [single] bracket is fine.\n",
                "CHAPTER XX\n\nIt rained.\n",
                "It happened in Chapter XX of the memoir.\n",
                "He ordered XXL shirts and an XX chromosome test.\n",
                "She told him her name. [Sic] He nodded.\n",
                "The name was on the door.\n",
            ],
        );
    }

    /// Marker words that are words of the story: a shop's name, kisses
    /// after a signature, a heading in capitals naming a character the
    /// chapter calls `Todo`. The same words as placeholders are still
    /// found.
    #[test]
    fn markers_that_are_names_or_kisses_are_not_flagged() {
        assert_quiet(
            "draft-marker",
            "c.md",
            &[
                "She bought a raincoat at TK Maxx in Oban.\n",
                "The card said only: Get well soon. Love always, Ruth XXX\n",
                "Love,\n\nMum XXX!\n",
                "# CHAPTER THREE: TODO\n\nTodo was a small grey terrier. “Todo!” she called.\n",
                // A thread of text messages: kisses end a line, or a paragraph.
                "**Kirsty:** home safe. night mam XXX\n**Me:** Night, hen.\n",
            ],
        );
        let found = |text: &str| -> Vec<(usize, usize)> {
            check_rule("draft-marker", "c.md", text)
                .into_iter()
                .map(|(line, column, _)| (line, column))
                .collect()
        };
        assert_eq!(
            found("The reels were made in TK, years before.\n"),
            [(1, 24)]
        );
        assert_eq!(found("Meet me at TK. Then we go.\n"), [(1, 12)]);
        assert_eq!(found("She was born in XXX.\n"), [(1, 17)]);
        assert_eq!(found("She was born in XXX\n"), [(1, 17)]);
        assert_eq!(found("Then the door opened and in walked XXX\n"), [(1, 36)]);
        assert_eq!(
            found("His flight landed at XXX\n(or so he said).\n"),
            [(1, 22)]
        );
        assert_eq!(found("The year: XXX\n"), [(1, 11)]);
        assert_eq!(
            found("She was born in XXX\nand raised in Leeds.\n"),
            [(1, 17)]
        );
        assert_eq!(found("He paid XXX for it, Ruth said.\n"), [(1, 9)]);
        assert_eq!(
            found("# CHAPTER THREE: TODO\n\nThe dog slept.\n"),
            [(1, 18)]
        );
        assert_eq!(found("# Chapter Three: TODO\n\nTodo slept.\n"), [(1, 18)]);
    }

    /// A British draft's placeholders: sums in pounds and shillings, facts
    /// to look up in brackets, and notes in brackets in lower case; a
    /// note to fix or check something (not a document's “[Note: …]”, nor
    /// an order in brackets).
    #[test]
    fn flags_sums_facts_to_look_up_and_notes_in_brackets() {
        let text = "He paid £XX and XX shillings at [PLACE] on [the date]. \
                    [tk: check the date] She owed €XX. [todo ask Ma]\n\n\
                    He wrote [sic] in the margin, and the [date] stone [stood] there.\n\n\
                    [FIX THIS] — need the bit where she finds the backups. [check: was it \
                    raining?] [Note: the letter is torn here] [Fix bayonets!] \
                    [Check this box to continue]\n";
        let found = check_rule("draft-marker", "c.txt", text);
        let messages: Vec<&str> = found.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "draft marker “£XX” left in the text",
                "draft marker “XX shillings” left in the text",
                "draft marker “[PLACE]” left in the text",
                "draft marker “[the date]” left in the text",
                "draft marker “[tk: check the date]” left in the text",
                "draft marker “€XX” left in the text",
                "draft marker “[todo ask Ma]” left in the text",
                "draft marker “[date]” left in the text",
                "draft marker “[FIX THIS]” left in the text",
                "draft marker “[check: was it raining?]” left in the text",
            ]
        );
    }

    #[test]
    fn flags_placeholders() {
        let text = "She knocked on [Name]’s door. [Insert fight scene here]\n\n\
                    He paid $XX in 19XX, XX years ago, at XX:XX on page XX. \
                    Lorem ipsum dolor. It was true (citation needed). Dear {{name}}.\n";
        let found = check_rule("draft-marker", "c.txt", text);
        let messages: Vec<&str> = found.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "draft marker “[Name]” left in the text",
                "draft marker “[Insert fight scene here]” left in the text",
                "draft marker “$XX” left in the text",
                "draft marker “19XX” left in the text",
                "draft marker “XX years” left in the text",
                "draft marker “XX:XX” left in the text",
                "draft marker “page XX” left in the text",
                "draft marker “Lorem ipsum” left in the text",
                "draft marker “(citation needed)” left in the text",
                "draft marker “{{name}}” left in the text",
            ]
        );
        assert_eq!((found[0].0, found[0].1), (1, 16));
    }

    /// The placeholders of French, Spanish and German drafts; a bracket of
    /// ordinary words, and words that merely start like a placeholder's,
    /// are not.
    #[test]
    fn flags_placeholders_of_other_languages() {
        let text = "Elle ouvrit [À COMPLÉTER : description de la lettre]. Il vit [nom du village].\n\n\
                    Llegó a [NOMBRE DEL PUEBLO] con [nombre]. [POR COMPLETAR: reacción de Rodrigo] \
                    [insertar descripción] [hier einfügen]\n\n\
                    Il dit [sic] et [nominal] puis [Nombreux amis].\n";
        let found = check_rule("draft-marker", "c.txt", text);
        let messages: Vec<&str> = found.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "draft marker “[À COMPLÉTER : description de la lettre]” left in the text",
                "draft marker “[nom du village]” left in the text",
                "draft marker “[NOMBRE DEL PUEBLO]” left in the text",
                "draft marker “[nombre]” left in the text",
                "draft marker “[POR COMPLETAR: reacción de Rodrigo]” left in the text",
                "draft marker “[insertar descripción]” left in the text",
                "draft marker “[hier einfügen]” left in the text",
            ]
        );
    }

    /// The gate reads every paragraph of the book: with its literals
    /// (placeholders in four languages, with case variants) one over the
    /// DFA's bound it searched as an NFA, and the rule took six times as
    /// long on the corpus.
    #[test]
    fn the_gate_searches_with_a_dfa() {
        use super::*;
        let gate = Gate::new(&[Requirement::of(&source(&Options::default()))]).unwrap();
        assert!(
            gate.searches_with_a_dfa(),
            "{} literals",
            gate.literals().len()
        );
    }

    /// Wherever the regex finds a marker in a block, the gate lets the
    /// block through: gating loses nothing.
    #[test]
    fn the_gate_lets_through_every_block_with_a_marker() {
        use super::*;
        let source = source(&Options::default());
        let gate = Gate::new(&[Requirement::of(&source)]).unwrap();
        let rule = DraftMarker::new(source, OnceLock::new(), gate);
        let mut texts: Vec<String> = [
            "The reels were made in TK. TODO: the alley. TKTK FIXME XXX",
            "[[note: is Teo 14?]] [insert fight] [ add more ] [TBD] [Fill in the date]",
            "She knocked on [Name]’s door; [CHARACTER NAME]; [town’s name]; [Title]",
            "[À COMPLÉTER : la lettre] [nom du village] [NOMBRE DEL PUEBLO] [insertar x] [hier einfügen]",
            "Dear {{name}}. Lorem Ipsum dolor. $XX in 19XX, 20XX, XX.XX, XX,XX:XX",
            "XX % and XX per cent, XX o’clock, XX years, page XX, Room XX, No. XX, # XX",
            "(citation needed) [cite] (source?) [reference needed] ( ref needed )",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        // Kelvin sign and long s: a case-insensitive branch takes them for
        // `k` and `s`.
        texts.extend(
            texts
                .clone()
                .iter()
                .map(|t| t.replace('k', "\u{212A}").replace('s', "\u{17F}")),
        );
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        for book in std::fs::read_dir(&corpus).into_iter().flatten().flatten() {
            if let Ok(text) = std::fs::read_to_string(book.path().join("chapter-01.txt")) {
                texts.push(text);
            }
        }
        let mut markers = 0;
        for text in &texts {
            let manuscript = crate::testing::manuscript(&[("c.txt", text)]);
            let chapter = manuscript.chapter(0);
            let everything = might_fold_to_ascii(&chapter.prose);
            for block in &chapter.blocks {
                let prose = chapter.prose_slice(block.span);
                let found = rule.find_all(prose).len();
                markers += found;
                assert!(
                    found == 0 || rule.gate.might_match(prose, everything),
                    "{prose:?}"
                );
            }
        }
        assert!(
            markers >= 60,
            "{markers} markers: the texts should hold many"
        );
    }

    #[test]
    fn markdown_code_and_comments_are_not_prose() {
        let text = "Fine `TK` here.\n\n<!-- TODO later -->\n\n```\nTODO\n```\n";
        assert_eq!(check_rule("draft-marker", "c.md", text), vec![]);
    }
}
