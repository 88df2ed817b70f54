//! One Aho-Corasick automaton over the beginnings of every phrase of every
//! loaded pack (each match checked against the phrases that begin so) and
//! of every literal that the packs' patterns need, and every pattern run
//! only on the blocks where that pass found its literals; a chapter is
//! scanned once and its hits are cached for all pack rules of the run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use rayon::prelude::*;

use regex::{Regex, RegexSet};

use super::format::{PackError, PackScope, RuleSpec, pack_error};
use super::normalized;
use crate::automaton::Overlapping;
use crate::literals::{Gate, Requirement, might_fold_to_ascii};
use crate::text::{Chapter, Manuscript, Span};

/// A match of one rule's phrase or pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub rule: u32,
    /// Index into the rule's `phrases`, or (for `pattern`) its `patterns`.
    pub item: u32,
    pub pattern: bool,
    pub span: Span,
}

/// Each automaton pattern serves one or more (rule, phrase) pairs.
type Targets = Vec<(u32, u32)>;

pub struct Matcher {
    /// The automaton and pattern gate, once built (see [`Matcher::new`]).
    compiled: OnceLock<Compiled>,
    /// Their build on threads of its own, taken by the first scan.
    building: Mutex<Option<JoinHandle<Compiled>>>,
    /// Hits per chapter text (keyed by the text's address; the `Arc` keeps
    /// it alive so the address cannot be reused during the run).
    cache: Mutex<HashMap<usize, CacheEntry>>,
}

/// What a scan runs: the phrase automaton and the gated patterns.
struct Compiled {
    /// The automaton of the keys' prefixes (see [`PREFIX_BYTES`]).
    automaton: Option<Overlapping>,
    /// The keys: each phrase's lowercase form, once, then the gate
    /// literals' keys that are no phrase's (see [`literal_key`]).
    keys: Vec<String>,
    /// The automaton's patterns, for [`Compiled::phrase_dfa`]: the first
    /// [`PREFIX_BYTES`] of each key, once.
    prefixes: Vec<Vec<u8>>,
    /// By automaton pattern: the keys that start with it, in key order.
    by_prefix: Vec<Vec<u32>>,
    /// The longest key (bytes).
    longest_key: usize,
    /// By key: the (rule, phrase) pairs it serves.
    targets: Vec<Targets>,
    /// By key: the pattern gate's literals it stands for (see
    /// [`literal_key`]). The literals are found in the same pass as the
    /// phrases: a pass of the gate's own automaton over every block cost
    /// more than the phrase scan.
    key_literals: Vec<Vec<u32>>,
    /// The gate's literals whose key is empty: found in every text.
    empty_literals: Vec<u32>,
    /// Case-sensitive phrases, normalized, by (rule, phrase).
    exact: HashMap<(u32, u32), String>,
    patterns: Patterns,
}

/// How much prose (bytes) the phrase scan normalises at a time (see
/// [`normalized::windows`]): one window for any usual chapter.
const PHRASE_WINDOW: usize = 1 << 20;

/// The phrase automaton reads the keys' first this many bytes, and a match
/// of those is checked against each key that starts with them. The
/// built-in packs' 2,906 phrase keys and 393 keys of the gate's literals
/// leave 2,152 prefixes: the compact automaton takes 0.18 MB against 0.43
/// MB over the whole keys, the DFA 2.5 MB against 7.5 MB. Their matches
/// that are no key are few: over the phrase keys alone, about 2,000 prefix
/// matches a megabyte of the corpus, 3,600 keys checked; at 8 bytes, 5,300
/// matches and 16,000 keys checked; at 6, 18,000 and 89,000.
const PREFIX_BYTES: usize = 10;

/// How much prose (bytes) a scan must have for the phrase automaton's DFA
/// to pay off: over the whole keys of the built-in packs it took about 10
/// ms more to build than the automaton the run starts with (on the
/// development machine) and searched about 6 ms a megabyte faster. Over
/// their prefixes it builds in a third of the time (8 against 25 ms in a
/// slow period; the compact automaton 2 ms); the threshold was kept from
/// the whole keys, on the safe side.
const LARGE_PHRASE_SCAN: usize = 2 << 20;

impl Compiled {
    /// The phrase automaton as a DFA, for a scan of megabytes (see
    /// [`LARGE_PHRASE_SCAN`]): it finds the same matches in the same order,
    /// faster, and takes 2.5 MB where the other takes 0.18 MB (the
    /// built-in packs, see [`PREFIX_BYTES`]), so the scan drops it when
    /// done. `None` without phrases or if it cannot be built.
    fn phrase_dfa(&self) -> Option<Overlapping> {
        self.automaton.as_ref()?;
        Overlapping::new(&self.prefixes, false, true)
            .ok()
            .filter(Overlapping::is_dfa)
    }

    /// Pushes to `hits` the phrases the automaton finds in `prose`, read in
    /// normalised windows of `window` bytes: the hits of one pass over the
    /// whole, in its order (by end, then longest first).
    /// Pushes to `literals` the pattern gate's literals found, as (prose
    /// offset of the match's start, literal number), in the same order.
    fn find_phrases(
        &self,
        automaton: &Overlapping,
        prose: &str,
        window: usize,
        hits: &mut Vec<Hit>,
        literals: &mut Vec<(usize, u32)>,
    ) {
        // The character before a match and the window's own first one.
        let context = self.longest_key + 8;
        let mut folded = String::new();
        // A window's key matches: (end, start, key).
        let mut found: Vec<(usize, usize, u32)> = Vec::new();
        normalized::windows(prose, window, context, |window| {
            // Same offsets as the window: only ASCII letters change.
            folded.clear();
            folded.push_str(window.text);
            folded.make_ascii_lowercase();
            let haystack = folded.as_bytes();
            found.clear();
            automaton.for_each_match(haystack, |prefix, s, _| {
                for &key in &self.by_prefix[prefix] {
                    let bytes = self.keys[key as usize].as_bytes();
                    if haystack.get(s..s + bytes.len()) == Some(bytes) {
                        found.push((s + bytes.len(), s, key));
                    }
                }
            });
            // In the order an automaton of the whole keys gives: by end,
            // then the longest first (two keys never share both ends).
            found.sort_unstable();
            for &(e, s, key) in &found {
                if !window.answers_for(e) {
                    continue;
                }
                let of_literals = &self.key_literals[key as usize];
                if !of_literals.is_empty() {
                    let start = window.prose_offset(s);
                    literals.extend(of_literals.iter().map(|&l| (start, l)));
                }
                if !is_boundary(window.text, s, e) {
                    continue;
                }
                let span = Span::new(window.prose_offset(s), window.prose_offset(e));
                for &(rule, item) in &self.targets[key as usize] {
                    if let Some(exact) = self.exact.get(&(rule, item))
                        && window.text[s..e] != **exact
                    {
                        continue;
                    }
                    hits.push(Hit {
                        rule,
                        item,
                        pattern: false,
                        span,
                    });
                }
            }
        });
    }
}

/// Every pattern, each run only on the blocks that hold what its every
/// match contains (its [`Requirement`]), and compiled the first time that
/// happens: most patterns match no chapter, and compiling them (one
/// `RegexSet` over all of them took 10–15 ms) cost more than checking a
/// chapter. A pattern's hits are what it finds block by block, whatever
/// the gate: it only skips blocks where the pattern cannot match.
#[derive(Default)]
struct Patterns {
    /// The patterns of heading-scoped rules first (run on headings only),
    /// then the others (run on headings and paragraphs).
    patterns: Vec<Pattern>,
    /// How many of `patterns` are heading-scoped.
    heading_count: usize,
    /// Which patterns might match a block, from the literals the phrase
    /// scan finds in it (the gate searches nothing itself).
    gate: Gate,
    /// One set over every pattern, built for the first block of
    /// [`HUGE_BLOCK`] bytes or more: such a block holds nearly every
    /// literal, so the gate lets every pattern through, and one pass of
    /// the set finds which match, where each pattern's own pass would
    /// cost a pass over the block.
    set: OnceLock<Result<RegexSet, regex::Error>>,
}

/// How long a block (bytes) must be for the pattern set to be worth its
/// 10–15 ms of compiling: a 100 MB one-line chapter is one block.
const HUGE_BLOCK: usize = 1 << 20;

/// One pattern. Its regex is compiled the first time a block might match
/// it. The compile calls no rayon code, so a thread waiting on it cannot
/// hold up the pool.
struct Pattern {
    source: String,
    regex: OnceLock<Result<Regex, regex::Error>>,
    rule: u32,
    item: u32,
}

impl Patterns {
    /// The patterns of heading-scoped rules (`headings`) or of the others.
    fn of(rules: &[RuleSpec], headings: bool) -> Vec<Pattern> {
        let mut patterns = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            for (p, source) in rule.patterns.iter().enumerate() {
                let heading_only =
                    rule.scope == PackScope::Headings || rule.heading_only.get(p) == Some(&true);
                if heading_only != headings {
                    continue;
                }
                patterns.push(Pattern {
                    source: source.clone(),
                    regex: OnceLock::new(),
                    rule: r as u32,
                    item: p as u32,
                });
            }
        }
        patterns
    }

    /// The gate over the literals each pattern's matches need.
    fn gate_of(patterns: &[Pattern]) -> Gate {
        let requirements: Vec<Requirement> = patterns
            .iter()
            .map(|p| Requirement::of(&p.source))
            .collect();
        Gate::without_search(&requirements)
    }

    /// Runs on the chapter's blocks the patterns each might match, by the
    /// gate's literals the phrase scan found in the chapter (`literals`:
    /// prose offset of each match's start and the literal's number, in any
    /// order) and those found everywhere (`empty`): a literal counts for the
    /// block its match starts in. `everything`: the gate cannot be trusted
    /// for this chapter (see [`might_fold_to_ascii`]), so every pattern
    /// runs on every block.
    fn scan(
        &self,
        chapter: &Chapter,
        everything: bool,
        literals: &mut [(usize, u32)],
        empty: &[u32],
        hits: &mut Vec<Hit>,
    ) {
        if self.patterns.is_empty() {
            return;
        }
        // Each block's text without its surrounding whitespace, and the
        // first pattern that may run on it.
        let blocks: Vec<(std::ops::Range<usize>, usize)> = chapter
            .blocks
            .iter()
            .filter(|block| !block.sentences.is_empty())
            .map(|block| {
                let raw = chapter.prose_slice(block.span);
                let trimmed = raw.trim_end();
                let lead = trimmed.len() - trimmed.trim_start().len();
                let start = block.span.start as usize + lead;
                let first = if block.is_heading() {
                    0
                } else {
                    self.heading_count
                };
                (start..block.span.start as usize + trimmed.len(), first)
            })
            .collect();
        literals.sort_unstable();
        let mut literals: &[(usize, u32)] = literals;
        let (mut satisfied, mut candidates) = (Vec::new(), Vec::new());
        for (span, first) in &blocks {
            // The literals found before this block are in none.
            let before = literals.partition_point(|&(at, _)| at < span.start);
            let inside = literals[before..].partition_point(|&(at, _)| at < span.end);
            let found = &literals[before..before + inside];
            literals = &literals[before + inside..];
            if everything {
                candidates.clear();
                candidates.extend(0..self.patterns.len() as u32);
            } else {
                let found = found.iter().map(|&(_, l)| l).chain(empty.iter().copied());
                self.gate
                    .candidates_of(found, &mut satisfied, &mut candidates);
            }
            let text = &chapter.prose[span.clone()];
            if text.len() >= HUGE_BLOCK && candidates.len() > 1 {
                self.keep_set_matches(text, &mut candidates);
            }
            for &p in candidates.iter().filter(|&&p| p as usize >= *first) {
                self.run(&self.patterns[p as usize], text, span.start, hits);
            }
        }
    }

    /// Keeps of `candidates` the patterns the set finds in `text` (all of
    /// them if the set cannot be built).
    fn keep_set_matches(&self, text: &str, candidates: &mut Vec<u32>) {
        let set = self
            .set
            .get_or_init(|| RegexSet::new(self.patterns.iter().map(|p| &p.source)));
        if let Ok(set) = set {
            let matches = set.matches(text);
            candidates.retain(|&p| matches.matched(p as usize));
        }
    }

    fn run(&self, pattern: &Pattern, text: &str, base: usize, hits: &mut Vec<Hit>) {
        // Every pattern compiled when its pack loaded (`check_pattern`, or
        // the tests of the shipped packs), so it compiles again here.
        let Ok(regex) = pattern.regex.get_or_init(|| Regex::new(&pattern.source)) else {
            return;
        };
        for m in regex.find_iter(text) {
            if m.is_empty() {
                continue;
            }
            hits.push(Hit {
                rule: pattern.rule,
                item: pattern.item,
                pattern: true,
                span: Span::new(base + m.start(), base + m.end()),
            });
        }
    }
}

/// What [`Compiled`] is built from, owned so that a thread can take it.
struct Sources {
    /// By rule: its phrases as written, and whether case is ignored.
    phrases: Vec<(Vec<String>, bool)>,
    /// The heading-scoped patterns, then the others.
    patterns: Vec<Pattern>,
    heading_count: usize,
}

impl Sources {
    fn of(rules: &[RuleSpec]) -> Sources {
        let (heading, other) = (Patterns::of(rules, true), Patterns::of(rules, false));
        let heading_count = heading.len();
        Sources {
            phrases: rules
                .iter()
                .map(|r| {
                    (
                        r.phrases.iter().map(|p| p.text.clone()).collect(),
                        r.ignore_case,
                    )
                })
                .collect(),
            patterns: heading.into_iter().chain(other).collect(),
            heading_count,
        }
    }

    /// Indexes the phrases and builds their automaton, then the pattern
    /// gate. (Building the gate on a thread of its own gained nothing
    /// measurable on two cores.)
    fn compile(self) -> Result<Compiled, Box<PackError>> {
        let Sources {
            phrases,
            patterns,
            heading_count,
        } = self;
        let PhraseIndex {
            mut keys,
            mut targets,
            exact,
        } = index_phrases(phrases);
        let gate = Patterns::gate_of(&patterns);
        // The gate's literals as keys of their own, or of a phrase's.
        let mut index: HashMap<String, usize> = keys
            .iter()
            .enumerate()
            .map(|(k, key)| (key.clone(), k))
            .collect();
        let mut key_literals: Vec<Vec<u32>> = vec![Vec::new(); keys.len()];
        let mut empty_literals = Vec::new();
        for (l, literal) in gate.literals().iter().enumerate() {
            let key = literal_key(literal);
            if key.is_empty() {
                empty_literals.push(l as u32);
                continue;
            }
            let k = *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                targets.push(Vec::new());
                key_literals.push(Vec::new());
                keys.len() - 1
            });
            key_literals[k].push(l as u32);
        }
        let (prefixes, by_prefix) = key_prefixes(&keys);
        let automaton = phrase_automaton(&prefixes)?;
        Ok(Compiled {
            automaton,
            longest_key: keys.iter().map(String::len).max().unwrap_or(0),
            keys,
            prefixes,
            by_prefix,
            targets,
            key_literals,
            empty_literals,
            exact,
            patterns: Patterns {
                patterns,
                heading_count,
                gate,
                set: OnceLock::new(),
            },
        })
    }
}

/// The phrases by key (their lowercase form, serving every rule and phrase
/// that has it), with the case-sensitive forms.
struct PhraseIndex {
    keys: Vec<String>,
    /// By key.
    targets: Vec<Targets>,
    /// The form of each case-sensitive (rule, phrase).
    exact: HashMap<(u32, u32), String>,
}

/// Indexes the phrases, by rule as written with whether case is ignored.
fn index_phrases(phrases: Vec<(Vec<String>, bool)>) -> PhraseIndex {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut keys: Vec<String> = Vec::new();
    let mut targets: Vec<Targets> = Vec::new();
    let mut exact = HashMap::new();
    for (r, (phrases, ignore_case)) in phrases.into_iter().enumerate() {
        for (p, text) in phrases.iter().enumerate() {
            let normal = normalize_phrase(text);
            let key = normal.to_lowercase();
            let slot = *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                targets.push(Vec::new());
                keys.len() - 1
            });
            targets[slot].push((r as u32, p as u32));
            if !ignore_case {
                exact.insert((r as u32, p as u32), normal);
            }
        }
    }
    PhraseIndex {
        keys,
        targets,
        exact,
    }
}

/// The key under which the phrase scan finds a literal of the pattern gate
/// (see [`crate::literals::Requirement::key`]): as the scan reads the
/// text, each run of whitespace one space and curly apostrophes straight.
/// A block holding the literal holds its key as the scan reads it, so the
/// gate lets through every pattern it let through when it searched the
/// blocks themselves, and perhaps a few more (“here is\t” is found as
/// “here is ”), which the patterns' own search then settles.
fn literal_key(literal: &str) -> String {
    let mut key = String::with_capacity(literal.len());
    let mut in_space = false;
    for c in literal.chars() {
        if c.is_whitespace() {
            if !in_space {
                key.push(' ');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        key.push(if matches!(c, '’' | '‘') { '\'' } else { c });
    }
    key
}

/// The distinct first [`PREFIX_BYTES`] of `keys` (a whole key if shorter),
/// in order of first use, and by each the keys that start with it.
fn key_prefixes(keys: &[String]) -> (Vec<Vec<u8>>, Vec<Vec<u32>>) {
    let mut index: HashMap<&[u8], usize> = HashMap::new();
    let (mut prefixes, mut by_prefix): (Vec<Vec<u8>>, Vec<Vec<u32>>) = (Vec::new(), Vec::new());
    for (k, key) in keys.iter().enumerate() {
        let prefix = &key.as_bytes()[..key.len().min(PREFIX_BYTES)];
        let slot = *index.entry(prefix).or_insert_with(|| {
            prefixes.push(prefix.to_vec());
            by_prefix.push(Vec::new());
            prefixes.len() - 1
        });
        by_prefix[slot].push(k as u32);
    }
    (prefixes, by_prefix)
}

/// The automaton of the keys' prefixes (see [`PREFIX_BYTES`]),
/// case-sensitive over lowercase keys; `scan` lowercases the text. An
/// ASCII-case-insensitive automaton finds the same matches but took three
/// times as long to build (26 ms against 8 ms for the 2,906 whole keys of
/// the built-in packs).
fn phrase_automaton(phrases: &[Vec<u8>]) -> Result<Option<Overlapping>, Box<PackError>> {
    if phrases.is_empty() {
        return Ok(None);
    }
    Overlapping::new(phrases, false, false)
        .map(Some)
        .map_err(|e| {
            Box::new(pack_error(
                format!("cannot build the phrase automaton: {e}"),
                "shorten the phrase lists or simplify the patterns",
            ))
        })
}

/// A chapter's hits, with its text kept alive so the pointer key stays
/// unique while the entry exists.
type CacheEntry = (Arc<str>, Arc<Vec<Hit>>);

/// Folds what the engine treats as equal: curly apostrophes to straight
/// ones, runs of whitespace to one space. Case is folded by [`Matcher`].
pub fn normalize_phrase(text: &str) -> String {
    let folded = if text.contains(['’', '‘']) {
        text.replace(['’', '‘'], "'")
    } else {
        text.to_string()
    };
    collapse_whitespace(folded)
}

/// `text` with runs of whitespace as one space, none at either end; the
/// text itself (no copy) when it already is so, as nearly every phrase of
/// the packs is: start-up normalizes thousands of them.
pub fn collapse_whitespace(text: String) -> String {
    let mut previous_space = true;
    let tidy = text.chars().all(|c| {
        let ok = if c == ' ' {
            !previous_space
        } else {
            !c.is_whitespace()
        };
        previous_space = c == ' ';
        ok
    }) && !previous_space;
    if tidy || text.is_empty() {
        return text;
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Matcher {
    /// Indexes every phrase and pattern of `rules`. With `in_background`
    /// (for the built-in packs, which are known to compile) the automaton
    /// and the pattern gate are built on a thread of their own while the
    /// run goes on loading chapters and checking the other rules: they are
    /// much of a one-chapter run's start-up. Otherwise they are built here,
    /// and an automaton too large to build is an error.
    pub fn new(rules: &[RuleSpec], in_background: bool) -> Result<Matcher, Box<PackError>> {
        // The caller vouches that these compile (the built-in packs: `cargo
        // test` builds them), so no error can be lost on the thread.
        let spawned = in_background.then(|| {
            let sources = Sources::of(rules);
            std::thread::Builder::new()
                .name("pack-compile".to_string())
                .spawn(move || sources.compile().expect("the built-in packs compile"))
        });
        let (compiled, building) = match spawned {
            Some(Ok(handle)) => (OnceLock::new(), Some(handle)),
            // Not in the background, or the system would not start a thread.
            _ => (OnceLock::from(Sources::of(rules).compile()?), None),
        };
        Ok(Matcher {
            compiled,
            building: Mutex::new(building),
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// The automaton and pattern gate, waiting for their build if it is
    /// still running. The build runs on plain threads that never touch the
    /// rayon pool, so a pool thread waiting here holds up nothing the build
    /// needs: it cannot deadlock, whatever the thread count.
    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            let handle = crate::text::lock(&self.building).take();
            match handle.map(JoinHandle::join) {
                Some(Ok(compiled)) => compiled,
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => unreachable!("`new` compiles what it does not build in the background"),
            }
        })
    }

    /// Scans every chapter not scanned yet, in parallel: the analysis stage
    /// of the pack rules (see [`crate::rule::Rule::prepare`]).
    pub fn prepare(&self, manuscript: &Manuscript) {
        let missing: Vec<&Chapter> = {
            let mut cache = self.lock_cache();
            // Texts only the cache still holds belong to chapters that are
            // gone (a long-running server sees every edit as a new text).
            cache.retain(|_, (text, _)| Arc::strong_count(text) > 1);
            manuscript
                .chapters
                .iter()
                .filter(|c| !cache.contains_key(&cache_key(c)))
                .collect()
        };
        let bytes = missing.iter().map(|c| c.prose.len()).sum::<usize>();
        let dfa = (bytes >= LARGE_PHRASE_SCAN)
            .then(|| self.compiled().phrase_dfa())
            .flatten();
        let scanned: Vec<(&Chapter, Vec<Hit>)> = missing
            .into_par_iter()
            .map(|chapter| (chapter, self.scan(chapter, dfa.as_ref())))
            .collect();
        let mut cache = self.lock_cache();
        for (chapter, hits) in scanned {
            cache
                .entry(cache_key(chapter))
                .or_insert_with(|| (Arc::clone(&chapter.text), Arc::new(hits)));
        }
    }

    /// Every hit of every rule in one chapter, computed once per run (in
    /// [`Matcher::prepare`]; a chapter not prepared is scanned here, without
    /// waiting on any other thread).
    pub fn hits(&self, chapter: &Chapter) -> Arc<Vec<Hit>> {
        if let Some((_, hits)) = self.lock_cache().get(&cache_key(chapter)) {
            return Arc::clone(hits);
        }
        let hits = Arc::new(self.scan(chapter, None));
        let mut cache = self.lock_cache();
        let entry = cache
            .entry(cache_key(chapter))
            .or_insert_with(|| (Arc::clone(&chapter.text), hits));
        Arc::clone(&entry.1)
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, HashMap<usize, CacheEntry>> {
        crate::text::lock(&self.cache)
    }

    /// `dfa`: the phrase automaton's DFA when built for the scan (see
    /// [`Compiled::phrase_dfa`]).
    fn scan(&self, chapter: &Chapter, dfa: Option<&Overlapping>) -> Vec<Hit> {
        let compiled = self.compiled();
        let (mut hits, mut literals) = (Vec::new(), Vec::new());
        if let Some(automaton) = dfa.or(compiled.automaton.as_ref()) {
            let prose = &chapter.prose;
            compiled.find_phrases(automaton, prose, PHRASE_WINDOW, &mut hits, &mut literals);
        }
        let everything = might_fold_to_ascii(&chapter.prose);
        let empty = &compiled.empty_literals;
        compiled
            .patterns
            .scan(chapter, everything, &mut literals, empty, &mut hits);
        hits.sort_by_key(|h| (h.rule, h.span.start, h.span.end));
        hits
    }
}

/// Whole words: no letter or digit right before or after.
fn is_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    (!word(first) || !word(before)) && (!word(last) || !word(after))
}

/// Chapters are keyed by their text's address: the cache holds the `Arc`,
/// so the address cannot be reused by another text while the entry lives.
fn cache_key(chapter: &Chapter) -> usize {
    Arc::as_ptr(&chapter.text) as *const u8 as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_collapses_and_tidy_text_is_kept() {
        for (text, expected) in [
            ("heart raced", "heart raced"),
            ("  heart \t raced\n", "heart raced"),
            ("heart raced ", "heart raced"),
            (" heart", "heart"),
            ("", ""),
            ("   ", ""),
            ("a\u{a0}b", "a b"),
        ] {
            assert_eq!(collapse_whitespace(text.to_string()), expected, "{text:?}");
        }
        assert_eq!(normalize_phrase("don’t  ‘go’"), "don't 'go'");
    }

    #[test]
    fn built_in_the_background_or_at_load_it_finds_the_same() {
        let taken = crate::rules::Registry::code_rule_ids();
        let set = crate::packs::PackSet::load(&[], &taken).expect("built-in packs load");
        assert!(
            set.matcher.building.lock().unwrap().is_some() || set.matcher.compiled.get().is_some()
        );
        let at_load = Matcher::new(&set.rules, false).expect("built-in packs compile");
        assert!(at_load.compiled.get().is_some());
        let manuscript = crate::testing::manuscript(&[(
            "c.md",
            "# The Setting:\n\nHe came In The Nick Of Time.\n\nCertainly! Here is the revised chapter:\n",
        )]);
        let chapter = manuscript.chapter(0);
        let hits = set.matcher.hits(chapter);
        assert!(
            hits.iter().any(|h| h.pattern) && hits.iter().any(|h| !h.pattern),
            "{hits:?}"
        );
        assert_eq!(*hits, *at_load.hits(chapter));
    }

    /// What running every pattern on every block finds (what the one
    /// pattern set found before the gate): the gate must change nothing.
    fn every_pattern_everywhere(set: &crate::packs::PackSet, chapter: &Chapter) -> Vec<Hit> {
        let patterns = &set.matcher.compiled().patterns;
        let mut hits = Vec::new();
        for block in chapter.blocks.iter().filter(|b| !b.sentences.is_empty()) {
            let raw = chapter.prose_slice(block.span).trim_end();
            let text = raw.trim_start();
            let base = block.span.start as usize + (raw.len() - text.len());
            for (p, pattern) in patterns.patterns.iter().enumerate() {
                if p >= patterns.heading_count || block.is_heading() {
                    patterns.run(pattern, text, base, &mut hits);
                }
            }
        }
        hits.sort_by_key(|h| (h.rule, h.span.start, h.span.end));
        hits
    }

    #[test]
    fn the_gate_loses_no_pattern_match() {
        let taken = crate::rules::Registry::code_rule_ids();
        let set = crate::packs::PackSet::load(&[], &taken).expect("built-in packs load");
        let mut texts: Vec<String> = Vec::new();
        for rule in set.rules.iter().filter(|r| !r.patterns.is_empty()) {
            texts.extend(
                rule.tests
                    .iter()
                    .chain(&rule.allows)
                    .map(|c| c.text.clone()),
            );
        }
        // The same as headings, with a Kelvin sign and a long s (which a
        // case-insensitive pattern takes for `k` and `s`), and as one text.
        let more: Vec<String> = texts
            .iter()
            .flat_map(|t| {
                [
                    format!("# {}", t.replace('\n', " ")),
                    t.replace('k', "\u{212A}").replace('s', "\u{17F}"),
                ]
            })
            .collect();
        texts.extend(more);
        texts.push(texts.join("\n\n"));
        // One line of over a megabyte: one block, checked through the set.
        let line = texts.join(" ").replace(['\n', '\r'], " ");
        texts.push(line.repeat(HUGE_BLOCK / line.len() + 1) + "\n");
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        for book in std::fs::read_dir(&corpus).into_iter().flatten().flatten() {
            if let Ok(text) = std::fs::read_to_string(book.path().join("chapter-01.txt")) {
                texts.push(text);
            }
        }
        let mut found = 0;
        for (i, text) in texts.iter().enumerate() {
            let name = if i % 2 == 0 { "c.md" } else { "c.txt" };
            let manuscript = crate::testing::manuscript(&[(name, text)]);
            let chapter = manuscript.chapter(0);
            let gated: Vec<Hit> = set
                .matcher
                .hits(chapter)
                .iter()
                .filter(|h| h.pattern)
                .copied()
                .collect();
            let everywhere = every_pattern_everywhere(&set, chapter);
            assert_eq!(gated, everywhere, "{text:?}");
            // The literals the phrase DFA for megabytes finds let through
            // the same.
            let dfa = set.matcher.compiled().phrase_dfa().expect("built");
            assert!(dfa.is_dfa());
            let large: Vec<Hit> = set
                .matcher
                .scan(chapter, Some(&dfa))
                .into_iter()
                .filter(|h| h.pattern)
                .collect();
            assert_eq!(large, everywhere, "{text:?}");
            found += gated.len();
        }
        assert!(
            found > 40,
            "{found} pattern hits: the texts should exercise the patterns"
        );
    }

    /// The phrase hits of `prose` by an automaton of the whole keys, in one
    /// window: what the scan found before it read the keys' prefixes.
    fn by_whole_keys(compiled: &Compiled, prose: &str) -> Vec<Hit> {
        let automaton = Overlapping::new(&compiled.keys, false, false).expect("built");
        let mut hits = Vec::new();
        normalized::windows(prose, usize::MAX / 2, 0, |window| {
            let folded = window.text.to_ascii_lowercase();
            automaton.for_each_match(folded.as_bytes(), |key, s, e| {
                if !is_boundary(window.text, s, e) {
                    return;
                }
                let span = Span::new(window.prose_offset(s), window.prose_offset(e));
                for &(rule, item) in &compiled.targets[key] {
                    if let Some(exact) = compiled.exact.get(&(rule, item))
                        && window.text[s..e] != **exact
                    {
                        continue;
                    }
                    let pattern = false;
                    hits.push(Hit {
                        rule,
                        item,
                        pattern,
                        span,
                    });
                }
            });
        });
        hits
    }

    /// A chapter read in windows of any size gets the phrase hits, in the
    /// order, of one pass over it whole.
    #[test]
    fn phrases_read_in_windows_are_those_of_one_pass() {
        let taken = crate::rules::Registry::code_rule_ids();
        let set = crate::packs::PackSet::load(&[], &taken).expect("built-in packs load");
        let compiled = set.matcher.compiled();
        let automaton = compiled.automaton.as_ref().expect("the packs have phrases");
        // Every phrase rule's test cases, with curly apostrophes and runs of
        // whitespace across the windows' edges, and the corpus's chapters.
        let cases: Vec<String> = set
            .rules
            .iter()
            .filter(|r| !r.phrases.is_empty())
            .flat_map(|r| r.tests.iter().chain(&r.allows).map(|c| c.text.clone()))
            .collect();
        let joined = cases.join(" \n\n  ").replace('\'', "’");
        let mut texts = vec![(joined, vec![1, 2, 3, 17, 256])];
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        for book in std::fs::read_dir(&corpus)
            .into_iter()
            .flatten()
            .flatten()
            .take(3)
        {
            if let Ok(text) = std::fs::read_to_string(book.path().join("chapter-01.txt")) {
                texts.push((text, vec![97, 4096]));
            }
        }
        let mut found = 0;
        for (text, sizes) in texts {
            let (mut whole, mut literals) = (Vec::new(), Vec::new());
            compiled.find_phrases(automaton, &text, usize::MAX / 2, &mut whole, &mut literals);
            found += whole.len();
            for size in sizes {
                let (mut windowed, mut windowed_literals) = (Vec::new(), Vec::new());
                let literals_out = &mut windowed_literals;
                compiled.find_phrases(automaton, &text, size, &mut windowed, literals_out);
                assert_eq!(windowed, whole, "windows of {size} bytes");
                assert_eq!(windowed_literals, literals, "windows of {size} bytes");
            }
            // An automaton of the whole keys finds the same, in its order.
            assert_eq!(by_whole_keys(compiled, &text), whole);
            // The DFA for megabytes of text finds the same.
            let dfa = compiled.phrase_dfa().expect("built");
            assert!(dfa.is_dfa());
            let (mut by_dfa, mut dfa_literals) = (Vec::new(), Vec::new());
            compiled.find_phrases(&dfa, &text, PHRASE_WINDOW, &mut by_dfa, &mut dfa_literals);
            assert_eq!(by_dfa, whole);
            assert_eq!(dfa_literals, literals);
        }
        assert!(found > 20, "{found} hits: too few to test the windows");
    }

    /// Keys inside other keys, shorter and longer than the prefixes the
    /// automaton reads, and sharing them: found as an automaton of the
    /// whole keys finds them, in its order (by end, the longest first).
    #[test]
    fn phrases_sharing_prefixes_are_found_as_whole_keys() {
        let phrases = [
            "at the end of the day",
            "at the end of the line",
            "the end",
            "end of the",
            "at the end",
            "day",
            "At The Very End",
        ];
        let sources = Sources {
            phrases: vec![
                (phrases[..6].iter().map(|p| p.to_string()).collect(), true),
                (vec![phrases[6].to_string()], false),
            ],
            patterns: Vec::new(),
            heading_count: 0,
        };
        let compiled = sources.compile().expect("compiles");
        // “at the end” is the prefix of two keys and a key itself.
        assert_eq!(compiled.prefixes.len(), 5);
        assert_eq!(compiled.by_prefix[0], [0, 1, 4]);
        let text = "At the end of the day, at the end of the line, at the very end.";
        let automaton = compiled.automaton.as_ref().expect("built");
        let (mut hits, mut literals) = (Vec::new(), Vec::new());
        compiled.find_phrases(automaton, text, usize::MAX / 2, &mut hits, &mut literals);
        assert_eq!(hits, by_whole_keys(&compiled, text));
        assert!(literals.is_empty());
        let found: Vec<&str> = hits.iter().map(|h| &text[h.span.range()]).collect();
        assert_eq!(
            found,
            [
                "At the end",
                "the end",
                "end of the",
                "At the end of the day",
                "day",
                "at the end",
                "the end",
                "end of the",
                "at the end of the line",
            ]
        );
        // The case-sensitive phrase is not found in lower case.
        assert!(hits.iter().all(|h| h.rule == 0));
    }

    /// The scan's keys of the gate's literals: whitespace runs as one
    /// space (kept at either end), curly apostrophes straight.
    #[test]
    fn literal_keys_read_as_the_scan_reads_the_text() {
        assert_eq!(literal_key("\there’s\t"), " here's ");
        assert_eq!(literal_key("i have  \n"), "i have ");
        assert_eq!(literal_key("‘tk’"), "'tk'");
        assert_eq!(literal_key("dÉnouement"), "dÉnouement");
        assert_eq!(literal_key("\t"), " ");
        assert_eq!(literal_key(""), "");
    }

    #[test]
    fn boundaries() {
        assert!(is_boundary("a gray b", 2, 6));
        assert!(!is_boundary("a grayish b", 2, 6));
        assert!(is_boundary("gray-haired", 0, 4));
    }
}
