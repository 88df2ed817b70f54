//! `name-variant`: a character's name spelled two ways.
//!
//! The analysis stage builds [`names::NameIndex`]: the manuscript's names,
//! found from its own capitalisation ([`capitals`]), each with its uses and
//! the kinds of place it is used in, and the pairs of names spelled alike
//! ([`spelling`]). The check then decides, per pair, whether the two are one
//! name drifting or two people, and reports each rarer spelling once.

pub mod capitals;
pub mod names;
pub mod spelling;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix, Label};
use crate::report::plural;
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::text::Manuscript;
use names::{Name, NameIndex, ROLE_NAMES};
use spelling::{Difference, fold};

declare_rule! {
    /// ## What it does
    /// Finds a name the manuscript spells two ways: “Natalie” in one chapter
    /// and “Nathalie” in the rest, “Katherine” and “Catherine”, “McAllister”
    /// and “MacAllister”, “Zoë” and “Zoe”, “Mary-Anne” and “Mary Anne”, a
    /// name of several words with one word changed (“Gray Boy”, “Grey Boy”).
    /// Each rarer spelling is reported once, at its first use, with how often
    /// each spelling is used and where the commoner one is: “Natalie” (3×):
    /// did you mean “Nathalie” (41×)?
    ///
    /// Names are learned from the text, with no name list, so invented and
    /// accented names work: a name is a capitalised word the manuscript
    /// hardly ever writes in lowercase (one use in ten at most, or up to two
    /// under a quarter of its uses when it is capitalised inside a sentence
    /// three times or more; a sentence typed without capitals, as a text
    /// message is, “okafor wants us in”, does not count), or a run of
    /// two to four capitalised words inside a sentence (“Gray Boy”; titles
    /// such as “Mr” or “Aunt” left off). Two spellings are taken for one
    /// name drifting when all of these hold:
    /// - They differ the way names drift: in capitals, accents, spaces or
    ///   hyphens, `Mc`/`Mac`, or inside one word by a doubled letter, two
    ///   swapped letters, or one letter more, less or changed. A changed
    ///   letter must sound like the other (two vowels, `c`/`k`, `s`/`z`) or
    ///   sit beside it on the keyboard; the first letter never changes
    ///   (except `c`/`k`), and a letter added at the end makes another word
    ///   (“Louis”/“Louisa”, “Huck”/“Hucky”, “America”/“American”).
    /// - They are used in the same kind of place. Both name a person — used
    ///   after a title, beside a speech verb, in dialogue address (“Come
    ///   here, Nathalie!”) or as the subject of a verb — or both name a place
    ///   (after “in”, “into”, “near” …). Without that evidence, the rarer
    ///   spelling still counts as a slip of the pen when the commoner one is
    ///   used five times or more and twice as often, and the rarer one is no
    ///   common English word (“Beatirx”), or the two are names of several
    ///   words alike but for one letter (“the Grey Boy”). Spellings that
    ///   differ only in capitals, accents or spacing need no evidence. The
    ///   names of months and days are no one's name unless a title, a
    ///   speech verb or address shows it (“June” beside “Jane”).
    /// - They are not two people: spellings written in one sentence, or in
    ///   the same paragraph twice or more, are different characters (“Jon
    ///   and John”), and so are spellings declared in `[names]`.
    /// - The commoner spelling is used at least twice.
    ///
    /// ## Why
    /// A name that drifts between drafts is among the slips editors mark
    /// most, and spell-checkers accept both spellings. Readers notice: a
    /// misspelled name reads as a second character.
    ///
    /// ## Example
    /// ```text
    /// chapter-03.md: By April the flat had furniture and Natalie had a job
    ///                                                    ^^^^^^^
    ///   “Natalie” (3×): did you mean “Nathalie” (41×)?
    /// ```
    /// Change the rarer spelling to the commoner one (the finding points at
    /// where that is used), or declare both if both are meant. Two
    /// spellings used equally often are asked about (“Ian” and “Iain” are
    /// each used 4×: one name spelled two ways, or two names?), with no
    /// fix.
    ///
    /// ## Fix
    /// Unsafe: `--fix --unsafe-fixes` respells every use of the rarer
    /// spelling as the commoner one, when all of them are in one chapter
    /// (in a name of several words only the word that differs). Unsafe
    /// because the writer may mean the rarer spelling, or two people.
    ///
    /// ## Options
    /// - `allow` (list of names): spellings never reported, on either side of
    ///   a pair (`allow = ["Jon"]` when Jon and John are two people who never
    ///   meet on the page).
    ///
    /// The top-level `[names]` table of `manulint.toml` declares characters:
    /// a canonical name and the other spellings the writer means, such as a
    /// nickname. Spellings listed for one character are never reported
    /// against each other, and two characters listed separately are never
    /// taken for one. `spelling-variant` reads it too: a declared name is
    /// never counted as an ordinary word.
    /// ```toml
    /// [names]
    /// "Katherine" = ["Kate", "Kat"]
    /// "Jon" = []
    /// "John" = []
    /// ```
    pub static META = {
        id: "name-variant",
        category: Consistency,
        severity: Warning,
        scope: Manuscript,
        summary: "A character's name spelled two ways (“Natalie” and “Nathalie”)",
        fix: Unsafe,
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

/// A spelling this rare in English (Zipf; 1 is once per hundred million
/// words, 0 outside the 100,000 commonest words) may be a slip of the pen.
const SLIP_ZIPF: f32 = 1.0;
/// … or this rare, when it differs by a doubled or swapped letter.
const SLIP_ZIPF_DOUBLED: f32 = 3.0;
/// … when the name it resembles is used at least this often.
const SLIP_MIN_USES: usize = 5;
/// Uses as the subject of a verb that, between two spellings, show a person
/// when neither is plainly one ([`plainly_a_person`]).
const PAIR_SUBJECTS: u32 = 3;
/// Paragraphs shared by two spellings that make them two people.
const SHARED_PARAGRAPHS: usize = 2;
/// Chapters where the rarer spelling is used again, shown beside a finding.
const SHOWN_USES: usize = 3;
/// A use of the commoner spelling this many lines from the finding is shown
/// beside it.
const NEAR_LINES: usize = 12;

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct Options {
    allow: Vec<String>,
}

struct NameVariant {
    /// Folded spellings from `allow`.
    allow: FxHashSet<String>,
    /// Folded spelling → the `[names]` characters it is declared for.
    declared: FxHashMap<String, Vec<usize>>,
}

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    let options: Options = setup.options()?;
    Ok(Box::new(NameVariant {
        allow: options.allow.iter().map(|a| fold(a.trim())).collect(),
        declared: declared_names(&setup.config.names),
    }))
}

/// Folded spelling → indices of the `[names]` entries that list it (as the
/// canonical name or a variant).
fn declared_names(table: &BTreeMap<String, Vec<String>>) -> FxHashMap<String, Vec<usize>> {
    let mut declared: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (i, (canonical, variants)) in table.iter().enumerate() {
        for spelling in std::iter::once(canonical).chain(variants) {
            let key = fold(spelling.trim());
            if key.is_empty() {
                continue;
            }
            let entry = declared.entry(key).or_default();
            if !entry.contains(&i) {
                entry.push(i);
            }
        }
    }
    declared
}

/// A pair that passed every test: `rare` is to be reported against `main`.
/// A word this common in German (about once per 100,000 words) is a
/// noun, not a name, however it is capitalised.
const GERMAN_COMMON_ZIPF: f32 = 4.0;

#[derive(Clone, Debug)]
struct Verdict {
    rare: u32,
    main: u32,
    /// How `rare` differs from `main`.
    difference: Difference,
    /// Why the two are taken for one name.
    evidence: Evidence,
}

/// Why two spellings are taken for one name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Evidence {
    /// They differ only in capitals, accents or spacing.
    SameLetters,
    /// Both name a person; the rarer spelling's kinds of place ([`names::TITLE`] …).
    Person(u8),
    /// Both are used after a preposition of place.
    Place,
    /// The rarer spelling is no common word and much rarer ([`is_slip`]).
    Slip,
}

impl Rule for NameVariant {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn analysis_family(&self) -> Option<&'static str> {
        Some(crate::rule::family::CAPITALISATION)
    }

    fn prepare(&self, manuscript: &Manuscript) {
        NameIndex::shared(manuscript);
    }

    fn release_analyses(&self, manuscript: &Manuscript) {
        NameIndex::release(manuscript);
        capitals::Capitalisation::release(manuscript);
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        let index = NameIndex::shared(manuscript);
        // German capitalises every noun: there a capitalised word that is
        // a common German word (“Schutz”, “Lust”) is no name.
        let german = manuscript.language() == crate::language::Language::German;
        if german {
            ctx.notice(
                "in German text capitalised common words (every noun) are not taken for names: only rarer names are compared",
            );
        }
        let common = |name: &u32| {
            let text = &index.names[*name as usize].text;
            german
                && crate::wordfreq::zipf_of_in(&crate::language::Language::German, text)
                    >= GERMAN_COMMON_ZIPF
        };
        let mut best: FxHashMap<u32, Verdict> = FxHashMap::default();
        for pair in &index.pairs {
            let Some(verdict) = self.judge(&index, pair) else {
                continue;
            };
            if common(&verdict.rare) || common(&verdict.main) {
                continue;
            }
            let main_uses = |v: &Verdict| index.names[v.main as usize].uses.len();
            match best.get(&verdict.rare) {
                Some(kept) if main_uses(kept) >= main_uses(&verdict) => {}
                _ => {
                    best.insert(verdict.rare, verdict);
                }
            }
        }
        ctx.note(format!(
            "{}, {} spelled alike, {} taken for one name",
            plural(index.names.len(), "name"),
            plural(index.pairs.len(), "pair"),
            best.len()
        ));
        let mut findings = one_per_drift(&index, best.into_values().collect());
        findings.sort_by_key(|(v, _)| first_key(&index.names[v.rare as usize]));
        for (verdict, also) in findings {
            ctx.report(finding(manuscript, &index, &verdict, &also));
        }
    }
}

impl NameVariant {
    /// Whether the two names of `pair` are one name spelled two ways; if
    /// so, which is the rarer.
    fn judge(&self, index: &NameIndex, pair: &names::Pair) -> Option<Verdict> {
        let a = &index.names[pair.a as usize];
        let b = &index.names[pair.b as usize];
        // The rarer spelling; on a tie, the one used later.
        let b_rarer = b.uses.len() < a.uses.len()
            || (b.uses.len() == a.uses.len() && first_key(b) > first_key(a));
        let (rare_id, main_id, difference) = if b_rarer {
            (pair.b, pair.a, pair.difference.reversed())
        } else {
            (pair.a, pair.b, pair.difference.clone())
        };
        let rare = &index.names[rare_id as usize];
        let main = &index.names[main_id as usize];
        if main.uses.len() < 2 || self.is_allowed(rare) || self.is_allowed(main) {
            return None;
        }
        if self.declared_apart_or_together(rare, main) {
            return None;
        }
        // An opening quote typed for the apostrophe is never the spelling
        // to keep, however often it is used: quote-style reports each one
        // (“opening quote (‘) where an apostrophe belongs”), and this rule
        // would have proposed the slip and spread it.
        if let Difference::Apostrophes { marks, .. } = difference
            && marks.1 == '‘'
        {
            return None;
        }
        let same_letters = matches!(
            difference,
            Difference::Capitals
                | Difference::Accents
                | Difference::Apostrophes { .. }
                | Difference::Spacing
        );
        if same_letters {
            return Some(Verdict {
                rare: rare_id,
                main: main_id,
                difference,
                evidence: Evidence::SameLetters,
            });
        }
        if two_people(rare, main) {
            return None;
        }
        let evidence = match (kind_of_place(rare), kind_of_place(main)) {
            (Kind::Person, Kind::Person)
                if plainly_a_person(rare)
                    || plainly_a_person(main)
                    || rare.subject_uses + main.subject_uses >= PAIR_SUBJECTS =>
            {
                Evidence::Person(rare.roles & PERSON_ROLES)
            }
            (Kind::Place, Kind::Place) => Evidence::Place,
            (Kind::Person, Kind::Place) | (Kind::Place, Kind::Person) => return None,
            _ if is_slip(rare, main, &difference) => Evidence::Slip,
            // A surname's two spellings, as the accents of one, with no
            // context needed to show a person.
            _ if mac_for_mc(&rare.text, &main.text) => Evidence::SameLetters,
            _ => return None,
        };
        Some(Verdict {
            rare: rare_id,
            main: main_id,
            difference,
            evidence,
        })
    }

    fn is_allowed(&self, name: &Name) -> bool {
        !self.allow.is_empty() && self.allow.contains(&fold(&name.text))
    }

    /// Both spellings are listed in `[names]`: for one character (meant),
    /// or for two (different people).
    fn declared_apart_or_together(&self, rare: &Name, main: &Name) -> bool {
        !self.declared.is_empty()
            && self.declared.contains_key(&fold(&rare.text))
            && self.declared.contains_key(&fold(&main.text))
    }
}

/// What a name is used as, judged by the places it is used in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Person,
    Place,
    Unknown,
}

/// The kinds of place that show a person.
const PERSON_ROLES: u8 = names::TITLE | names::SPEAKER | names::ADDRESS | names::SUBJECT;

/// A person's name is used after a title, beside a speech verb or in
/// dialogue address ([`plainly_a_person`]); being the subject of a verb is
/// weaker evidence and counts twice or in half the uses, except for the
/// names of months and days (“June will soon be here”). A place's name is
/// used after a preposition of place and never as a person's.
fn kind_of_place(name: &Name) -> Kind {
    let subjects = name.subject_uses as usize;
    let subject = (subjects >= 2 || (subjects > 0 && subjects * 2 >= name.uses.len()))
        && !CALENDAR.contains(&name.text.to_lowercase().as_str());
    if plainly_a_person(name) || subject {
        Kind::Person
    } else if name.roles & names::PLACE != 0 {
        Kind::Place
    } else {
        Kind::Unknown
    }
}

/// Used after a title, beside a speech verb or in dialogue address. Of
/// two spellings taken for one person, one at least must be, or the two
/// must be the subject of a verb [`PAIR_SUBJECTS`] times between them (“The
/// Black Swan is an inn” and “John Swain cleared” are not enough).
fn plainly_a_person(name: &Name) -> bool {
    name.roles & (names::TITLE | names::SPEAKER | names::ADDRESS) != 0
}

/// Months and days: capitalised like names and the subject of verbs (“June
/// opened upon …”), but no one's name unless the text shows it.
#[rustfmt::skip]
const CALENDAR: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",
];

fn first_key(name: &Name) -> (u32, u32) {
    let first = name.first_use();
    (first.chapter, first.span.start)
}

/// Two people, not one name: written in one sentence, or in the same
/// paragraph more than once (sorted lists, merged in one pass).
fn two_people(a: &Name, b: &Name) -> bool {
    super::common_count(&a.sentences(), &b.sentences()) > 0
        || super::common_count(&a.paragraphs(), &b.paragraphs()) >= SHARED_PARAGRAPHS
}

/// A slip of the pen, where the context does not settle it: the commoner
/// spelling is used at least [`SLIP_MIN_USES`] times and twice as often,
/// and the rarer one is no common English word (Zipf below [`SLIP_ZIPF`];
/// below [`SLIP_ZIPF_DOUBLED`] for a doubled or swapped letter, the
/// commonest typing slips) or a name of several words that matches the
/// other in every word but one (“the Grey Boy”, “the Gray Boy”). Different
/// people named alike mostly have real, common names, or show it by their
/// context.
/// Whether two names differ only in one word's `Mac` written `Mc`
/// (“MacAllister”, “McAllister”): one surname's two spellings.
fn mac_for_mc(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    // Where the two part: the `a` of `Mac`, after a word's `M`.
    let at = short
        .bytes()
        .zip(long.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(short.len());
    at >= 1
        && long.as_bytes()[at] == b'a'
        && long[..at].ends_with('M')
        && (at == 1 || !long.as_bytes()[at - 2].is_ascii_alphanumeric())
        && long[at + 1..].starts_with('c')
        && long[at + 2..].starts_with(|c: char| c.is_uppercase())
        && short[at..] == long[at + 1..]
}

fn is_slip(rare: &Name, main: &Name, difference: &Difference) -> bool {
    let word = difference
        .word()
        .map_or(rare.text.as_str(), |w| w.first.as_str());
    let limit = match difference {
        Difference::Doubled { .. } | Difference::Transposed { .. } => SLIP_ZIPF_DOUBLED,
        _ => SLIP_ZIPF,
    };
    let unusual = crate::wordfreq::zipf_of(word) < limit || (rare.words > 1 && main.words > 1);
    main.uses.len() >= SLIP_MIN_USES
        && main.uses.len() >= 2 * rare.uses.len()
        && unusual
        && !CALENDAR.contains(&word.to_lowercase().as_str())
}

/// The part of two spellings that differs, widened to whole words:
/// “Grey”/“Gray” for “Grey Boy”/“Gray Boy”, “Abbey Mill”/“Abbey-Mill” for
/// “Abbey Mill Farm”/“Abbey-Mill Farm”.
fn fragment<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    let prefix: usize = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let suffix: usize = a[prefix..]
        .chars()
        .rev()
        .zip(b[prefix..].chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let widen = |text: &'a str| {
        let is_separator = |c: char| c == ' ' || c == '-';
        let start = text[..prefix].rfind(is_separator).map_or(0, |at| at + 1);
        let end = text.len() - suffix;
        let end = text[end..]
            .find(is_separator)
            .map_or(text.len(), |at| end + at);
        &text[start..end]
    };
    (widen(a), widen(b))
}

/// One report per drift: spellings that differ in the same words (“Grey
/// Boy”, and “Grey” alone where it is a name too; “Abbey Mill” and “Abbey
/// Mill Farm”) are one finding, at the spelling used most, the longer name
/// on a tie. The others become extra locations of that finding.
fn one_per_drift(index: &NameIndex, verdicts: Vec<Verdict>) -> Vec<(Verdict, Vec<u32>)> {
    let mut groups: FxHashMap<(String, String), Vec<Verdict>> = FxHashMap::default();
    for verdict in verdicts {
        let rare = &index.names[verdict.rare as usize].text;
        let main = &index.names[verdict.main as usize].text;
        let (x, y) = fragment(rare, main);
        let key = if x <= y { (x, y) } else { (y, x) };
        groups
            .entry((key.0.to_string(), key.1.to_string()))
            .or_default()
            .push(verdict);
    }
    let mut kept = Vec::with_capacity(groups.len());
    for (_, mut group) in groups {
        group.sort_by_key(|v| {
            let rare = &index.names[v.rare as usize];
            (
                std::cmp::Reverse(rare.uses.len()),
                std::cmp::Reverse(rare.words),
                first_key(rare),
            )
        });
        let mut group = group.into_iter();
        if let Some(first) = group.next() {
            let others = group.map(|v| v.rare).collect();
            kept.push((first, others));
        }
    }
    kept
}

/// The finding for one verdict: at the rarer spelling's first use, with
/// its other uses and the commoner spelling's first uses beside it.
fn finding(manuscript: &Manuscript, index: &NameIndex, verdict: &Verdict, also: &[u32]) -> Finding {
    let rare = &index.names[verdict.rare as usize];
    let main = &index.names[verdict.main as usize];
    let first = rare.first_use();
    // Used as often, neither is the slip: two characters may bear them.
    let tie = rare.uses.len() == main.uses.len();
    let message = if tie {
        format!(
            "“{}” and “{}” are each used {}×: one name spelled two ways, or two names?",
            rare.text,
            main.text,
            rare.uses.len()
        )
    } else {
        format!(
            "“{}” ({}×): did you mean “{}” ({}×)?",
            rare.text,
            rare.uses.len(),
            main.text,
            main.uses.len()
        )
    };
    let label = if rare.uses.len() == 1 {
        "the only use of this spelling".to_string()
    } else {
        format!("first of {} uses of this spelling", rare.uses.len())
    };
    let mut finding = Finding::new(first.chapter as usize, first.span, message).label(label);
    // Where the commoner spelling is used: near this use when it is used
    // within a few lines of it, else its first use in another chapter
    // (labels in one chapter share one snippet, so far ones make it long).
    let chapter = manuscript.chapter(first.chapter as usize);
    let line = |offset: u32| chapter.line_col(offset as usize).line;
    let near = main.uses.iter().find(|u| {
        u.chapter == first.chapter
            && line(u.span.start).abs_diff(line(first.span.start)) <= NEAR_LINES
    });
    let elsewhere = main.uses.iter().find(|u| u.chapter != first.chapter);
    if let Some(u) = near.or(elsewhere).or(main.uses.first()) {
        let where_ = if u == main.first_use() {
            "first used here"
        } else {
            "used here"
        };
        finding = finding.related(
            Label::new(u.chapter as usize, u.span)
                .with_message(format!("“{}” {where_}", main.text)),
        );
    }
    // The rarer spelling in other chapters, once per chapter.
    let mut shown = vec![first.chapter];
    for u in &rare.uses {
        if shown.len() > SHOWN_USES {
            break;
        }
        if !shown.contains(&u.chapter) {
            shown.push(u.chapter);
            let count = rare.uses.iter().filter(|v| v.chapter == u.chapter).count();
            finding = finding.related(
                Label::new(u.chapter as usize, u.span)
                    .with_message(format!("“{}” again ({count}× in this chapter)", rare.text)),
            );
        }
    }
    // The same drift in other names (“Abbey Mill” beside “Abbey Mill Farm”).
    for &other in also {
        let other = &index.names[other as usize];
        let u = other.first_use();
        finding = finding.related(Label::new(u.chapter as usize, u.span).with_message(format!(
            "also “{}” ({}×)",
            other.text,
            other.uses.len()
        )));
    }
    finding = finding.help(help(rare, main, verdict));
    if let (false, Some(fix)) = (tie, fix(manuscript, rare, main, &verdict.difference)) {
        finding = finding.fix(fix);
    }
    finding
}

fn help(rare: &Name, main: &Name, verdict: &Verdict) -> String {
    let mut why = format!("the two spellings {}", verdict.difference.describe());
    match verdict.evidence {
        Evidence::SameLetters => {}
        Evidence::Person(roles) => {
            let roles: Vec<&str> = ROLE_NAMES
                .iter()
                .filter(|(bit, _)| roles & bit != 0)
                .map(|(_, name)| *name)
                .collect();
            why.push_str(&format!(
                ", and both name a person (“{}” is used {})",
                rare.text,
                join_and(&roles)
            ));
        }
        Evidence::Place => why.push_str(", and both name a place"),
        Evidence::Slip => why.push_str(&format!(
            ", and “{}” is much rarer than “{}”",
            rare.text, main.text
        )),
    }
    let (main, rare) = (&main.text, &rare.text);
    let (one, two) = match verdict.evidence {
        Evidence::Place => ("one place", "two places"),
        Evidence::Person(_) => ("one character", "two characters"),
        Evidence::SameLetters | Evidence::Slip => ("one character or place", "two different ones"),
    };
    format!(
        "{why}. Use one spelling throughout; if both are meant for {one}, add \
         \"{main}\" = [\"{rare}\"] to [names] in manulint.toml, and if they are \
         {two}, \"{main}\" = [] and \"{rare}\" = []"
    )
}

/// “a, b and c”.
fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Respelling every use of the rarer spelling, when they all sit in one
/// chapter (a fix edits one chapter). Unsafe: the writer may have meant the
/// rarer spelling, or two people.
fn fix(manuscript: &Manuscript, rare: &Name, main: &Name, difference: &Difference) -> Option<Fix> {
    let chapter = rare.first_use().chapter;
    if rare.uses.iter().any(|u| u.chapter != chapter) {
        return None;
    }
    let text = &manuscript.chapter(chapter as usize).text;
    let mut edits = Vec::with_capacity(rare.uses.len());
    for u in &rare.uses {
        let written = &text[u.span.range()];
        // In a name of several words, only the differing word changes, so
        // line breaks between the words stay where they are.
        let edit = match difference.word() {
            Some(word) if rare.words > 1 => {
                let at = find_word(written, &word.first)?;
                let start = u.span.start as usize + at;
                Edit::replace(
                    crate::text::Span::new(start, start + word.first.len()),
                    word.second.clone(),
                )
            }
            _ if rare.words > 1 || main.words > 1 => return None,
            _ => Edit::replace(u.span, main.text.clone()),
        };
        edits.push(edit);
    }
    Some(Fix::unsafe_(format!("respell as “{}”", main.text), edits))
}

/// Byte offset of `word` as a whole word in `text`.
fn find_word(text: &str, word: &str) -> Option<usize> {
    text.match_indices(word).map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphabetic) && !after.is_some_and(char::is_alphabetic)
    })
}
