//! Required literals: strings that every match of a regex contains, so that
//! a text holding none of them need not be searched, and the regex need not
//! even be compiled. Compiling the rule packs' patterns (Unicode classes,
//! case folding) cost more than checking a chapter, and nearly every
//! chapter holds none of their literals.
//!
//! A regex's requirement is a conjunction of clauses, each a set of
//! literals of which a match contains at least one ([`Requirement`]). The
//! literals are compared ASCII-case-insensitively, which is how
//! [`Requirement::key`] spells them; the two characters outside ASCII that
//! Unicode case folding takes to an ASCII letter (`K` KELVIN SIGN and `ſ`
//! LONG S) are folded too, and a text that contains either must be searched
//! whatever its literals ([`might_fold_to_ascii`]).
//!
//! The analysis walks the regex's abstract syntax tree (regex-syntax's
//! `Ast`, which unlike its `Hir` costs no Unicode class tables to build:
//! analysing every pattern of the packs through the `Hir` took 9 ms). It
//! follows the `i` and `u` flags as the regex crate does: a literal is its
//! own exact set, and a case-insensitive one the set of its case variants;
//! a small class such as `[’']` is the set of its characters; a concatenation
//! crosses the exact sets of neighbouring parts (`here` then `(?:'s| is)`
//! → `here's`, `here is`) and keeps the best of those runs and of its
//! parts' own clauses; an alternation requires one of its branches' best
//! clauses; a repetition of at least one requires what its part requires.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::automaton::Overlapping;
use regex_syntax::ast::{
    self, Ast, ClassSet, ClassSetItem, Flag, FlagsItemKind, GroupKind, RepetitionKind,
    RepetitionRange,
};
use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};

/// The largest set of strings a concatenation's run may cross into.
const MAX_EXACT: usize = 64;
/// The most characters a class may have (after folding ASCII case) to be
/// taken as a set of one-character literals.
const MAX_CLASS: usize = 4;
/// The most clauses kept: the best ones (see [`quality`]).
const MAX_CLAUSES: usize = 3;

/// What every match of a regex contains: all the clauses of one of its
/// conjunctions (one per branch of a regex that is an alternation at the
/// top, `a|b`; else one), and for each clause, one of its literals
/// (lowercase ASCII; see [`Requirement::key`]). No conjunctions: the regex
/// could match a text without any literal we can name, so every text must
/// be searched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requirement {
    pub any_of: Vec<Vec<Vec<String>>>,
}

impl Requirement {
    /// The requirement of `source` (Rust regex syntax). A source that does
    /// not parse requires nothing: the caller reports the error when it
    /// compiles the regex.
    pub fn of(source: &str) -> Requirement {
        let Ok(ast) = ast::parse::Parser::new().parse(source) else {
            return Requirement::default();
        };
        let mut flags = Flags {
            case_insensitive: false,
            unicode: true,
        };
        let (branches, flags) = top_branches(&ast, &mut flags);
        let mut any_of = Vec::with_capacity(branches.len());
        for branch in branches {
            let clauses = best_clauses(analyse(branch, flags).all_clauses());
            if clauses.is_empty() {
                // One branch could match anything: so could the regex.
                return Requirement::default();
            }
            any_of.push(clauses);
        }
        Requirement { any_of }
    }

    /// How a text's characters are compared with the literals: ASCII
    /// letters lowercased, KELVIN SIGN as `k`, LONG S as `s`, every other
    /// character as itself. (Search the text ASCII-case-insensitively, and
    /// search all of a text for which [`might_fold_to_ascii`] holds.)
    pub fn key(c: char) -> char {
        match c {
            '\u{212A}' => 'k',
            '\u{17F}' => 's',
            c => c.to_ascii_lowercase(),
        }
    }
}

/// Whether `text` holds a character that a case-insensitive regex takes
/// for an ASCII letter though it is not one (KELVIN SIGN, LONG S): such a
/// text can match without containing the literals as an ASCII-case-
/// insensitive search sees them.
pub fn might_fold_to_ascii(text: &str) -> bool {
    // Each searched for as its UTF-8 bytes with vector instructions:
    // `str::contains` of a char outside ASCII runs the two-way search of
    // its bytes, a quarter of the speed, and a set of chars would be
    // decoded character by character.
    static KELVIN: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("\u{212A}".as_bytes()));
    static LONG_S: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("\u{17F}".as_bytes()));
    KELVIN.find(text.as_bytes()).is_some() || LONG_S.find(text.as_bytes()).is_some()
}

/// Which of many regexes might match a text: the literals of all their
/// [`Requirement`]s, searched by one ASCII-case-insensitive automaton of
/// the gate's own, or by the caller (see [`Gate::without_search`]).
#[derive(Debug, Default)]
pub struct Gate {
    automaton: Option<Overlapping>,
    /// The literals, by number (as `literal_slots`).
    literals: Vec<String>,
    /// By automaton literal: the clause slots it satisfies. Slots are
    /// numbered regex by regex, conjunction by conjunction.
    literal_slots: Vec<Vec<u32>>,
    /// By regex: its conjunctions as `(first slot, clause count)`. None:
    /// the regex might match any text.
    conjunctions: Vec<Vec<(u32, u32)>>,
    /// By slot: the regex it belongs to (ascending, as slots are numbered).
    slot_regex: Vec<u32>,
    /// The regexes without conjunctions, ascending: candidates for any
    /// text.
    unconditional: Vec<u32>,
}

impl Gate {
    /// The gate of `requirements`, one per regex, in the order
    /// [`Gate::candidates`] numbers them.
    ///
    /// Errors: the automaton cannot be built (more literals than it can
    /// hold).
    pub fn new(requirements: &[Requirement]) -> Result<Gate, aho_corasick::BuildError> {
        Gate::build(requirements, true)
    }

    /// The gate of `requirements` without a search of its own: for a
    /// caller that finds the [`Gate::literals`] in its own pass over the
    /// text and asks [`Gate::candidates_of`] (not [`Gate::candidates`] or
    /// [`Gate::candidates_in`], which would let every regex through).
    pub fn without_search(requirements: &[Requirement]) -> Gate {
        Gate::build(requirements, false).expect("no automaton to build")
    }

    /// Whether the gate's own search is a DFA (the quickest; see
    /// [`Overlapping::new`]).
    #[cfg(test)]
    pub(crate) fn searches_with_a_dfa(&self) -> bool {
        self.automaton.as_ref().is_some_and(Overlapping::is_dfa)
    }

    /// `search`: whether to build the gate's own automaton.
    fn build(requirements: &[Requirement], search: bool) -> Result<Gate, aho_corasick::BuildError> {
        let mut literals: Vec<&str> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut literal_slots: Vec<Vec<u32>> = Vec::new();
        let mut conjunctions = Vec::with_capacity(requirements.len());
        let mut slot_regex = Vec::new();
        let mut slot = 0u32;
        for (regex, requirement) in requirements.iter().enumerate() {
            let mut of_regex = Vec::with_capacity(requirement.any_of.len());
            for conjunction in &requirement.any_of {
                of_regex.push((slot, conjunction.len() as u32));
                for clause in conjunction {
                    for literal in clause {
                        let at = *index.entry(literal).or_insert_with(|| {
                            literals.push(literal);
                            literal_slots.push(Vec::new());
                            literals.len() - 1
                        });
                        literal_slots[at].push(slot);
                    }
                    slot_regex.push(regex as u32);
                    slot += 1;
                }
            }
            conjunctions.push(of_regex);
        }
        let automaton = if search && !literals.is_empty() {
            Some(Overlapping::new(&literals, true, false)?)
        } else {
            None
        };
        Ok(Gate {
            automaton,
            literals: literals.into_iter().map(str::to_string).collect(),
            literal_slots,
            unconditional: (0..conjunctions.len() as u32)
                .filter(|&r| conjunctions[r as usize].is_empty())
                .collect(),
            conjunctions,
            slot_regex,
        })
    }

    /// Puts in `out`, ascending, the regexes that might match `text`: those
    /// with no requirement, and those with a conjunction whose every clause
    /// has a literal in `text`. `everything`: the text holds a character
    /// for which [`might_fold_to_ascii`] holds, and every regex might
    /// match. `satisfied` is scratch space.
    pub fn candidates(
        &self,
        text: &str,
        everything: bool,
        satisfied: &mut Vec<u32>,
        out: &mut Vec<u32>,
    ) {
        out.clear();
        let automaton = match &self.automaton {
            Some(automaton) if !everything => automaton,
            _ => {
                out.extend(0..self.conjunctions.len() as u32);
                return;
            }
        };
        satisfied.clear();
        automaton.for_each_match(text.as_bytes(), |literal, _, _| {
            satisfied.extend_from_slice(&self.literal_slots[literal]);
        });
        self.regexes_met(satisfied, out);
    }

    /// Every literal of the requirements, once each, by number: the
    /// numbers [`Gate::candidates_of`] takes.
    pub fn literals(&self) -> &[String] {
        &self.literals
    }

    /// Puts in `out`, ascending, the regexes that might match a text in
    /// which `found` (literal numbers, in any order, repeats allowed) are
    /// what [`Gate::literals`] it holds: those with no requirement, and
    /// those with a conjunction whose every clause has a literal found.
    /// `satisfied` is scratch space.
    pub fn candidates_of(
        &self,
        found: impl IntoIterator<Item = u32>,
        satisfied: &mut Vec<u32>,
        out: &mut Vec<u32>,
    ) {
        satisfied.clear();
        for literal in found {
            satisfied.extend_from_slice(&self.literal_slots[literal as usize]);
        }
        self.regexes_met(satisfied, out);
    }

    /// [`Gate::candidates`] for each of `spans` (byte ranges of `text`, in
    /// order, not overlapping): calls `each(i, candidates)` for every span
    /// in order, `i` its index, with what `candidates` would put in `out`
    /// for its text, as soon as the search is past it. One search over the
    /// spans' stretch of `text`, not one per span: a long search is read
    /// several stretches at a time (see [`Overlapping::for_each_match`]),
    /// where a paragraph's is read one byte at a time. A literal is in a
    /// span's text just when one of the text's matches lies inside it.
    pub fn candidates_in(
        &self,
        text: &str,
        spans: &[std::ops::Range<usize>],
        everything: bool,
        mut each: impl FnMut(usize, &mut Vec<u32>),
    ) {
        let mut out = Vec::new();
        let automaton = match &self.automaton {
            Some(automaton) if !everything => automaton,
            _ => {
                for i in 0..spans.len() {
                    out.clear();
                    out.extend(0..self.conjunctions.len() as u32);
                    each(i, &mut out);
                }
                return;
            }
        };
        let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
            return;
        };
        let base = first.start;
        // The matches come by end: each span is done once a match ends
        // after it, and its candidates handed out while the search goes on.
        let mut next = 0;
        let mut satisfied = Vec::new();
        let mut done = |next: &mut usize, satisfied: &mut Vec<u32>| {
            self.regexes_met(satisfied, &mut out);
            each(*next, &mut out);
            satisfied.clear();
            *next += 1;
        };
        automaton.for_each_match(&text.as_bytes()[base..last.end], |literal, start, end| {
            let (start, end) = (base + start, base + end);
            while let Some(span) = spans.get(next)
                && span.end < end
            {
                done(&mut next, &mut satisfied);
            }
            if spans.get(next).is_some_and(|span| start >= span.start) {
                satisfied.extend_from_slice(&self.literal_slots[literal]);
            }
        });
        while next < spans.len() {
            done(&mut next, &mut satisfied);
        }
    }

    /// Puts in `out`, ascending, the regexes with no requirement and those
    /// with a conjunction whose every clause's slot is in `satisfied`
    /// (which it sorts).
    fn regexes_met(&self, satisfied: &mut Vec<u32>, out: &mut Vec<u32>) {
        out.clear();
        satisfied.sort_unstable();
        satisfied.dedup();
        let met = |first: u32, count: u32| {
            let from = satisfied.partition_point(|&s| s < first);
            let to = satisfied.partition_point(|&s| s < first + count);
            (to - from) as u32 == count
        };
        // Only the regexes with a satisfied clause can have a conjunction
        // met (most blocks satisfy none): merged in ascending order with
        // those that need nothing. Going through every regex for every
        // block cost 23 M instructions on the corpus (0.3% of a run).
        let mut unconditional = self.unconditional.iter().copied().peekable();
        let mut previous = None;
        for &slot in satisfied.iter() {
            // A regex's slots are consecutive: each is looked at once.
            let regex = self.slot_regex[slot as usize];
            if previous == Some(regex) {
                continue;
            }
            previous = Some(regex);
            while let Some(before) = unconditional.next_if(|&u| u < regex) {
                out.push(before);
            }
            if self.conjunctions[regex as usize]
                .iter()
                .any(|&(f, c)| met(f, c))
            {
                out.push(regex);
            }
        }
        out.extend(unconditional);
    }

    /// Whether the one regex of a gate built from one requirement might
    /// match `text` (see [`Gate::candidates`]).
    pub fn might_match(&self, text: &str, everything: bool) -> bool {
        let (mut satisfied, mut out) = (Vec::new(), Vec::new());
        self.candidates(text, everything, &mut satisfied, &mut out);
        !out.is_empty()
    }
}

/// The branches of a regex that is an alternation at the top (inside
/// any groups around all of it), else the regex as its one branch; with
/// the flags they start with.
fn top_branches<'a>(ast: &'a Ast, flags: &'a mut Flags) -> (Vec<&'a Ast>, &'a mut Flags) {
    match ast {
        Ast::Alternation(alternation) => (alternation.asts.iter().collect(), flags),
        Ast::Group(group) => {
            if let GroupKind::NonCapturing(set) = &group.kind {
                flags.apply(set);
            }
            top_branches(&group.ast, flags)
        }
        _ => (vec![ast], flags),
    }
}

/// The flags that change what a literal matches.
#[derive(Clone, Copy)]
struct Flags {
    case_insensitive: bool,
    unicode: bool,
}

impl Flags {
    /// `(?i-u)` and the like: each flag after a `-` is cleared.
    fn apply(&mut self, flags: &ast::Flags) {
        let mut clear = false;
        for item in &flags.items {
            match item.kind {
                FlagsItemKind::Negation => clear = true,
                FlagsItemKind::Flag(Flag::CaseInsensitive) => self.case_insensitive = !clear,
                FlagsItemKind::Flag(Flag::Unicode) => self.unicode = !clear,
                FlagsItemKind::Flag(_) => {}
            }
        }
    }
}

/// A set of strings, sorted and without repeats, one of which a part of a
/// regex matches (`exact`), starts with (`prefix`) or ends with
/// (`suffix`). The empty string is a member when the part can match
/// nothing there (`s?`, `\b`); a set of only the empty string says nothing.
type Strings = Vec<String>;

/// What the analysis knows of one part of a regex.
struct Info {
    /// Every string the part can match, when they are few.
    exact: Option<Strings>,
    /// Every match starts with one of these (`exact`, when that is known).
    prefix: Strings,
    /// Every match ends with one of these (likewise).
    suffix: Strings,
    /// Clauses every match of the part satisfies, besides those sets.
    clauses: Vec<Vec<String>>,
}

impl Info {
    fn exact(strings: Strings) -> Info {
        Info {
            exact: Some(strings),
            prefix: Vec::new(),
            suffix: Vec::new(),
            clauses: Vec::new(),
        }
    }

    fn unknown() -> Info {
        Info {
            exact: None,
            prefix: nothing(),
            suffix: nothing(),
            clauses: Vec::new(),
        }
    }

    fn prefix(&self) -> &Strings {
        self.exact.as_ref().unwrap_or(&self.prefix)
    }

    fn suffix(&self) -> &Strings {
        self.exact.as_ref().unwrap_or(&self.suffix)
    }

    /// Every clause this part satisfies: a match contains its own prefix
    /// and suffix, too.
    fn all_clauses(self) -> Vec<Vec<String>> {
        let mut clauses = self.clauses;
        match self.exact {
            Some(exact) => clauses.push(exact),
            None => {
                clauses.push(self.prefix);
                clauses.push(self.suffix);
            }
        }
        clauses
    }

    /// The best of [`Info::all_clauses`].
    fn best(self) -> Option<Vec<String>> {
        best_clauses(self.all_clauses()).into_iter().next()
    }
}

/// The set that says nothing: only the empty string.
fn nothing() -> Strings {
    vec![String::new()]
}

/// `set` sorted and without repeats.
fn normal(mut set: Strings) -> Strings {
    set.sort_unstable();
    set.dedup();
    set
}

/// `set` with the empty string in it.
fn optional(mut set: Strings) -> Strings {
    set.push(String::new());
    normal(set)
}

/// Walks `ast` in the order the regex crate reads it, so that flags set by
/// `(?i)` hold until the end of their group, as they do there.
fn analyse(ast: &Ast, flags: &mut Flags) -> Info {
    match ast {
        Ast::Empty(_) | Ast::Assertion(_) => Info::exact(nothing()),
        Ast::Flags(set) => {
            flags.apply(&set.flags);
            Info::exact(nothing())
        }
        Ast::Literal(literal) => match literal_keys(literal.c, *flags) {
            Some(keys) => Info::exact(keys),
            None => Info::unknown(),
        },
        Ast::Dot(_) | Ast::ClassUnicode(_) | Ast::ClassPerl(_) => Info::unknown(),
        Ast::ClassBracketed(class) => match bracketed_keys(class, *flags) {
            Some(keys) => Info::exact(keys),
            None => Info::unknown(),
        },
        Ast::Repetition(repetition) => {
            let (min, max) = match &repetition.op.kind {
                RepetitionKind::ZeroOrOne => (0, Some(1)),
                RepetitionKind::ZeroOrMore => (0, None),
                RepetitionKind::OneOrMore => (1, None),
                RepetitionKind::Range(RepetitionRange::Exactly(n)) => (*n, Some(*n)),
                RepetitionKind::Range(RepetitionRange::AtLeast(n)) => (*n, None),
                RepetitionKind::Range(RepetitionRange::Bounded(m, n)) => (*m, Some(*n)),
            };
            repeat(analyse(&repetition.ast, flags), min, max)
        }
        Ast::Group(group) => {
            // Flags set inside a group end with it.
            let mut inner = *flags;
            if let GroupKind::NonCapturing(set) = &group.kind {
                inner.apply(set);
            }
            analyse(&group.ast, &mut inner)
        }
        Ast::Concat(concat_ast) => concat(&concat_ast.asts, flags),
        Ast::Alternation(alternation_ast) => alternation(&alternation_ast.asts, flags),
    }
}

/// What a literal character matches, as keys: itself, or under `(?i)` its
/// case variants (the regex crate's simple case folding).
fn literal_keys(c: char, flags: Flags) -> Option<Strings> {
    if c.is_ascii() {
        return Some(vec![Requirement::key(c).to_string()]);
    }
    if !flags.unicode {
        // A byte, not a character.
        return None;
    }
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    if flags.case_insensitive {
        class.case_fold_simple();
    }
    class_keys(class.ranges().iter().map(|r| (r.start(), r.end())))
}

/// What `[…]` matches, as keys, when that is a few characters.
fn bracketed_keys(class: &ast::ClassBracketed, flags: Flags) -> Option<Strings> {
    if class.negated {
        return None;
    }
    let mut ranges = Vec::new();
    let mut size = 0;
    let ClassSet::Item(item) = &class.kind else {
        return None;
    };
    collect_ranges(item, flags, &mut ranges, &mut size)?;
    let mut unicode = ClassUnicode::new(ranges);
    if flags.case_insensitive {
        unicode.case_fold_simple();
    }
    class_keys(unicode.ranges().iter().map(|r| (r.start(), r.end())))
}

/// Adds an item's ranges; `None` when it holds a named class, a negated
/// class, or more characters than a small set.
fn collect_ranges(
    item: &ClassSetItem,
    flags: Flags,
    ranges: &mut Vec<ClassUnicodeRange>,
    size: &mut u32,
) -> Option<()> {
    let mut add = |start: char, end: char| {
        let plain = start.is_ascii() && end.is_ascii();
        *size += (end as u32).saturating_sub(start as u32) + 1;
        ((plain || flags.unicode) && *size as usize <= 3 * MAX_CLASS).then(|| {
            ranges.push(ClassUnicodeRange::new(start, end));
        })
    };
    match item {
        ClassSetItem::Empty(_) => Some(()),
        ClassSetItem::Literal(literal) => add(literal.c, literal.c),
        ClassSetItem::Range(range) => add(range.start.c, range.end.c),
        ClassSetItem::Union(union) => union
            .items
            .iter()
            .try_for_each(|item| collect_ranges(item, flags, ranges, size)),
        ClassSetItem::Bracketed(nested) => match &nested.kind {
            ClassSet::Item(item) if !nested.negated => collect_ranges(item, flags, ranges, size),
            _ => None,
        },
        ClassSetItem::Ascii(_) | ClassSetItem::Unicode(_) | ClassSetItem::Perl(_) => None,
    }
}

/// Characters in `(start, end)` ranges as keys, when there are at most
/// [`MAX_CLASS`] of them.
fn class_keys(ranges: impl Iterator<Item = (char, char)>) -> Option<Strings> {
    let mut keys = Vec::new();
    let mut seen = 0;
    for (start, end) in ranges {
        seen += end as u32 - start as u32 + 1;
        if seen as usize > 3 * MAX_CLASS {
            return None;
        }
        keys.extend((start..=end).map(|c| Requirement::key(c).to_string()));
    }
    let keys = normal(keys);
    (keys.len() <= MAX_CLASS).then_some(keys)
}

/// `x{min,max}`: at least one copy starts the match with the part's
/// prefix, ends it with its suffix, and satisfies its clauses; with none,
/// the empty string joins each set, and only `x?` keeps an exact one.
fn repeat(sub: Info, min: u32, max: Option<u32>) -> Info {
    if min == 0 {
        let exact = sub.exact.clone().filter(|_| max == Some(1)).map(optional);
        return Info {
            prefix: optional(sub.prefix().clone()),
            suffix: optional(sub.suffix().clone()),
            exact,
            clauses: Vec::new(),
        };
    }
    let exact = sub.exact.clone().filter(|_| max == Some(1));
    let (prefix, suffix) = (sub.prefix().clone(), sub.suffix().clone());
    Info {
        exact,
        prefix,
        suffix,
        clauses: sub.all_clauses(),
    }
}

/// Each part's clauses hold for the whole. So does each run of neighbouring
/// exact parts, crossed, and joined to the suffix of the part before it and
/// the prefix of the part after it: `w` then `(?:ord\s*count|c)` requires
/// `word` or `wc`.
fn concat(parts: &[Ast], flags: &mut Flags) -> Info {
    let mut clauses = Vec::new();
    // What the match holds from the end of the last inexact part to here.
    let mut run = nothing();
    // The match's prefix, once a part breaks the run of exact ones.
    let mut prefix: Option<Strings> = None;
    for part in parts {
        let info = analyse(part, flags);
        match info.exact {
            Some(exact) if fits(&run, &exact) => run = cross(run, &exact),
            Some(exact) => {
                // Too many strings: close the run, start anew here.
                prefix.get_or_insert_with(|| run.clone());
                clauses.push(std::mem::replace(&mut run, exact));
            }
            None => {
                let joined = if fits(&run, &info.prefix) {
                    cross(run, &info.prefix)
                } else {
                    run
                };
                prefix.get_or_insert_with(|| joined.clone());
                clauses.push(joined);
                run = info.suffix;
            }
        }
        clauses.extend(info.clauses);
    }
    match prefix {
        None => Info {
            clauses,
            ..Info::exact(run)
        },
        Some(prefix) => Info {
            exact: None,
            prefix,
            suffix: run,
            clauses,
        },
    }
}

/// A match is a match of one branch: it starts with one of the branches'
/// prefixes, ends with one of their suffixes, and satisfies the union of
/// their best clauses, if every branch has one.
fn alternation(branches: &[Ast], flags: &mut Flags) -> Info {
    let infos: Vec<Info> = branches.iter().map(|b| analyse(b, flags)).collect();
    let union = |sets: &mut dyn Iterator<Item = &Strings>| {
        let union = normal(sets.flatten().cloned().collect());
        (union.len() <= MAX_EXACT).then_some(union)
    };
    if infos.iter().all(|info| info.exact.is_some())
        && let Some(exact) = union(&mut infos.iter().filter_map(|i| i.exact.as_ref()))
    {
        return Info::exact(exact);
    }
    let prefix = union(&mut infos.iter().map(Info::prefix)).unwrap_or_else(nothing);
    let suffix = union(&mut infos.iter().map(Info::suffix)).unwrap_or_else(nothing);
    let mut either = Vec::new();
    for info in infos {
        match info.best() {
            Some(clause) => either.extend(clause),
            None => {
                return Info {
                    prefix,
                    suffix,
                    ..Info::unknown()
                };
            }
        }
    }
    Info {
        exact: None,
        prefix,
        suffix,
        clauses: vec![normal(either)],
    }
}

/// Whether [`cross`] of sets this large stays within [`MAX_EXACT`].
fn fits(left: &Strings, right: &Strings) -> bool {
    left.len() * right.len() <= MAX_EXACT
}

/// Every concatenation of a string of `left` and one of `right`.
fn cross(mut left: Strings, right: &Strings) -> Strings {
    if let [single] = right.as_slice() {
        // The common case, a literal character: extend in place.
        left.iter_mut().for_each(|l| l.push_str(single));
        return left;
    }
    normal(
        left.iter()
            .flat_map(|l| right.iter().map(move |r| format!("{l}{r}")))
            .collect(),
    )
}

/// The [`MAX_CLAUSES`] best clauses, best first, without useless ones.
fn best_clauses(mut clauses: Vec<Vec<String>>) -> Vec<Vec<String>> {
    clauses.retain(|clause| is_useful(clause));
    // Dropping a literal that extends another (see `minimize`) changes no
    // clause's shortest literal, nor whether it is useful: only the few
    // kept need it.
    clauses.sort_by_cached_key(|clause| std::cmp::Reverse(quality(clause)));
    let mut kept: Vec<Vec<String>> = Vec::new();
    for mut clause in clauses {
        if kept.len() == MAX_CLAUSES {
            break;
        }
        // A second or third clause narrows the gate, but one of common
        // literals (`" a "`, `"-"`) costs a hit every few words for little.
        minimize(&mut clause);
        if !kept.is_empty() && !clause.iter().all(|l| is_distinctive(l)) {
            continue;
        }
        if !kept.iter().any(|k| implies(k, &clause)) {
            kept.push(clause);
        }
    }
    kept
}

/// A literal rare enough in prose to be worth watching for: four
/// characters or more besides spaces; a character seldom typed in a story
/// (brackets, braces, `#`, `$`…); three letters; or two that are not one of
/// English's most frequent letter pairs (`nb` is rare, `ch` is in every
/// other paragraph). A short word between spaces (`" a "`, `" my "`) is
/// not.
fn is_distinctive(literal: &str) -> bool {
    const RARE: &[char] = &[
        '(', ')', '[', ']', '{', '}', '#', '$', '%', '&', '*', '_', '/', '\\', '<', '>', '@', '~',
        '^', '|', '=', '+',
    ];
    /// The most frequent letter pairs of English text.
    const COMMON_PAIRS: &[&str] = &[
        "th", "he", "in", "er", "an", "re", "on", "at", "en", "nd", "ti", "es", "or", "te", "of",
        "ed", "is", "it", "al", "ar", "st", "to", "nt", "ng", "se", "ha", "as", "ou", "io", "le",
        "ve", "co", "me", "de", "hi", "ri", "ro", "ic", "ne", "ea", "ra", "ce", "li", "ch", "ll",
        "be", "ma", "si", "om", "ur",
    ];
    let word = literal.trim();
    if literal.contains(RARE) || word.chars().filter(|c| !c.is_whitespace()).count() >= 4 {
        return true;
    }
    if literal.contains(char::is_whitespace) {
        return false;
    }
    match word.len() {
        3 => true,
        2 => word.chars().all(|c| c.is_ascii_alphabetic()) && !COMMON_PAIRS.contains(&word),
        _ => false,
    }
}

/// Whether a text that satisfies `clause` satisfies `other`: each of its
/// literals holds one of `other`'s.
fn implies(clause: &[String], other: &[String]) -> bool {
    clause
        .iter()
        .all(|literal| other.iter().any(|o| literal.contains(o.as_str())))
}

/// Sorts a clause and drops each literal that starts or ends with another:
/// a text that contains `" here is"` contains `"here is"`, so the shorter
/// one is all the clause needs. (Two sorted passes, one over the reversed
/// literals: a literal with a kept one as its prefix sorts right after it.)
fn minimize(clause: &mut Vec<String>) {
    if clause.len() < 2 {
        return;
    }
    clause.sort_unstable();
    clause.dedup();
    drop_extensions(clause);
    let mut reversed: Vec<String> = clause.iter().map(|l| l.chars().rev().collect()).collect();
    reversed.sort_unstable();
    drop_extensions(&mut reversed);
    *clause = reversed.iter().map(|l| l.chars().rev().collect()).collect();
    clause.sort_unstable();
}

/// Drops from a sorted list each string that starts with a kept one.
fn drop_extensions(sorted: &mut Vec<String>) {
    let mut kept: Option<String> = None;
    sorted.retain(|literal| {
        if kept
            .as_ref()
            .is_some_and(|k| literal.starts_with(k.as_str()))
        {
            return false;
        }
        kept = Some(literal.clone());
        true
    });
}

/// A clause that every text satisfies, or nearly every chapter (one
/// letter, digit or space), tells nothing and costs a hit per character.
fn is_useful(clause: &[String]) -> bool {
    !clause.is_empty()
        && clause.iter().all(|literal| {
            let mut chars = literal.chars();
            match (chars.next(), chars.next()) {
                (None, _) => false,
                (Some(c), None) => !(c.is_alphanumeric() || c.is_whitespace()),
                _ => true,
            }
        })
}

/// Longer literals are rarer; of two clauses with the same shortest
/// literal, the one with fewer literals.
fn quality(clause: &[String]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = clause.iter().map(String::len).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(clause.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_that_fold_to_ascii_are_found_anywhere() {
        assert!(might_fold_to_ascii("\u{212A}"));
        assert!(might_fold_to_ascii("the mi\u{17F}t rose"));
        assert!(might_fold_to_ascii(&format!(
            "{}\u{212A}elvin",
            "é ’ — ".repeat(40)
        )));
        // Characters that share their last bytes are not them.
        assert!(!might_fold_to_ascii("Kelvin’s “mist” — Ī ª ¿ Ū ℩ ż"));
        assert!(!might_fold_to_ascii(""));
    }

    /// The clauses of a regex with one conjunction (none: no requirement).
    fn clauses(source: &str) -> Vec<Vec<&'static str>> {
        let any_of = Requirement::of(source).any_of;
        assert!(any_of.len() <= 1, "{source}: {any_of:?}");
        any_of
            .into_iter()
            .flatten()
            .map(|c| {
                c.into_iter()
                    .map(|s| &*Box::leak(s.into_boxed_str()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn literals_and_case_folding() {
        assert_eq!(clauses("note to self"), vec![vec!["note to self"]]);
        assert_eq!(clauses("(?i)Note to Self"), vec![vec!["note to self"]]);
        // `(?i)k` is [Kk\u{212A}] and `(?i)s` is [Ss\u{17F}]: one key each.
        assert_eq!(clauses("(?i)ks"), vec![vec!["ks"]]);
    }

    #[test]
    fn runs_are_crossed_and_broken_by_unknown_parts() {
        assert_eq!(
            clauses(r"(?i)here(?:'s| is) [\w]+ (?:draft|version)s?\b"),
            vec![vec!["here is ", "here's "], vec![" draft", " version"],]
        );
    }

    #[test]
    fn alternation_takes_each_branch_best_clause() {
        assert_eq!(
            clauses(r"(?i)x(?:\bnote: \w+|\[\[[^\]]+\]\])"),
            vec![vec!["x[[", "xnote: "]]
        );
        // A branch with nothing to require: nothing is required.
        assert_eq!(clauses(r"x(?:note|\w+)"), Vec::<Vec<&str>>::new());
    }

    #[test]
    fn top_alternation_is_one_conjunction_per_branch() {
        let any_of =
            Requirement::of(r"(?i:\[[ \t]*(?:insert|add)\b[^\]]*\])|\{\{\w+\}\}|TODO").any_of;
        assert_eq!(
            any_of,
            vec![
                vec![
                    vec!["add".to_string(), "insert".to_string()],
                    vec!["]".to_string()],
                    vec!["[".to_string()]
                ],
                vec![vec!["{{".to_string()], vec!["}}".to_string()]],
                vec![vec!["todo".to_string()]],
            ]
        );
        assert_eq!(Requirement::of(r"TODO|\w+"), Requirement::default());
    }

    #[test]
    fn the_gate_needs_every_clause_of_one_conjunction() {
        let gate = Gate::new(&[
            Requirement::of(r"(?i:\[[ \t]*(?:insert|add)\b[^\]]*\])|\{\{\w+\}\}"),
            Requirement::of(r"\w+"),
            Requirement::of(r"(?i)lorem ipsum"),
        ])
        .unwrap();
        let candidates = |text: &str, everything: bool| {
            let (mut scratch, mut out) = (Vec::new(), Vec::new());
            gate.candidates(text, everything, &mut scratch, &mut out);
            out
        };
        assert_eq!(candidates("He added [sic] to it.", false), vec![0, 1]);
        assert_eq!(
            candidates("He added it to the {{list}}.", false),
            vec![0, 1]
        );
        assert_eq!(candidates("He added it to the {{list.", false), vec![1]);
        assert_eq!(candidates("LOREM IPSUM dolor", false), vec![1, 2]);
        assert_eq!(candidates("nothing here", true), vec![0, 1, 2]);
        assert!(
            !Gate::new(&[Requirement::of("(?i)lorem")])
                .unwrap()
                .might_match("ipsum", false)
        );
    }

    /// The candidates are the regexes whose requirement holds by its
    /// definition, with those that require nothing interleaved among those
    /// that do, and regexes that share literals.
    #[test]
    fn candidates_are_the_regexes_whose_requirement_holds() {
        let sources = [
            r"\w+",
            r"(?i)alpha",
            r"(?i)alpha beta|gamma",
            r"\d+",
            r"beta",
            r"x?",
            r"(?i:delta)\s+(?i:alpha)",
            r"gamma|delta",
            r".",
        ];
        let requirements: Vec<Requirement> = sources.iter().map(|s| Requirement::of(s)).collect();
        let gate = Gate::new(&requirements).unwrap();
        let texts = [
            "",
            "nothing",
            "ALPHA and beta",
            "alpha beta",
            "Gamma",
            "gamma",
            "delta  alpha",
            "Delta Alpha gamma beta",
        ];
        let (mut scratch, mut out) = (Vec::new(), Vec::new());
        for text in texts {
            let folded: String = text.chars().map(Requirement::key).collect();
            let expected: Vec<u32> = (0..requirements.len() as u32)
                .filter(|&r| {
                    let any_of = &requirements[r as usize].any_of;
                    any_of.is_empty()
                        || any_of.iter().any(|conjunction| {
                            conjunction
                                .iter()
                                .all(|clause| clause.iter().any(|l| folded.contains(l.as_str())))
                        })
                })
                .collect();
            gate.candidates(text, false, &mut scratch, &mut out);
            assert_eq!(out, expected, "{text:?}");
        }
        // The same texts as spans of one text, and literals across the
        // spans' edges (in the gaps between them) that must not count.
        let joined = texts.join(" alpha\n");
        let mut spans = Vec::new();
        let mut at = 0;
        for text in texts {
            spans.push(at..at + text.len());
            at += text.len() + " alpha\n".len();
        }
        let mut seen = Vec::new();
        gate.candidates_in(&joined, &spans, false, |i, candidates| {
            gate.candidates(texts[i], false, &mut scratch, &mut out);
            assert_eq!(*candidates, out, "{:?}", texts[i]);
            seen.push(i);
        });
        assert_eq!(seen, (0..texts.len()).collect::<Vec<_>>());
        assert!(
            gate.unconditional.len() >= 3 && gate.unconditional.len() < sources.len() - 3,
            "{:?}: the test needs both kinds of regex",
            gate.unconditional
        );
    }

    #[test]
    fn optional_parts_and_weak_clauses_require_nothing() {
        assert_eq!(clauses(r"(?:notes)?\d+"), Vec::<Vec<&str>>::new());
        assert_eq!(clauses(r"\w+x"), Vec::<Vec<&str>>::new());
        // A class joins the literal next to it.
        assert_eq!(clauses(r"[ \t]+x"), vec![vec!["\tx", " x"]]);
        assert_eq!(clauses(r"^[ \t]*:$"), vec![vec![":"]]);
        // `abc` is in every text that has `ab`: one clause says it all.
        assert_eq!(clauses(r"(?:ab)+c"), vec![vec!["abc"]]);
    }

    #[test]
    fn unparsable_requires_nothing() {
        assert_eq!(Requirement::of("(unclosed"), Requirement::default());
    }

    /// The point of it all: wherever a regex matches, its clauses hold, in
    /// the ASCII-case-insensitive comparison of keys.
    #[test]
    fn every_match_satisfies_the_clauses() {
        let patterns = [
            r"(?i)here(?:'s| is) [\w]+ (?:draft|version)s?\b",
            r"(?i)\b(?:TODO|TK|FIXME)\b|\[\[[^\]]+\]\]",
            r"(?im)^[ \t]*i(?:'ve| have) (?:revised|edited) (?:the|your) (?:chapter|scene)",
            r"(?i)[(\[][ \t]*\d[\d,.]*[ \t]*k?[ \t]*words[ \t]*[)\]]",
            r"(?i)sk(?:y|ies)",
        ];
        let texts = [
            "Here's a draft. HERE IS the VERSIONS",
            "TODO: [[check this]] tk fixme",
            "  I've revised the chapter\nI have edited your scene",
            "(2,500 words) [3k WORDS]",
            "the \u{17F}\u{212A}ies were blue; SKY",
        ];
        for source in patterns {
            let regex = regex::Regex::new(source).unwrap();
            let requirement = Requirement::of(source);
            assert!(!requirement.any_of.is_empty(), "{source}");
            for text in texts {
                for found in regex.find_iter(text) {
                    let matched: String = found.as_str().chars().map(Requirement::key).collect();
                    let holds =
                        |clause: &Vec<String>| clause.iter().any(|l| matched.contains(l.as_str()));
                    assert!(
                        requirement.any_of.iter().any(|c| c.iter().all(holds)),
                        "{source} on {:?}: {:?}",
                        found.as_str(),
                        requirement.any_of
                    );
                }
            }
        }
    }
}
