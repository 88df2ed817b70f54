use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use super::{
    AFTER_BREAK, Analysis, Common, JOINED, TermKind, Token, claims::Claims, collapse_whitespace,
    phrase_form,
};
use crate::declare_rule;
use crate::diagnostic::{Facts, Finding, Label};
use crate::rule::{
    IndependentAnalysis, Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup,
    non_negative_threshold,
};
use crate::text::{Manuscript, Span, join_sorted_runs};
use crate::word_set::WordSet;

declare_rule! {
    /// ## What it does
    /// Finds a distinctive phrase of two to five words that comes back within
    /// a chapter or across the manuscript: “the faint metallic tang” four
    /// times in a book. A phrase is distinctive when it holds at least two
    /// content words and at least one of them is uncommon in English (by the
    /// background frequency list), so ordinary collocations (“in the room”,
    /// “at the same time”, “for a moment”) never qualify. Overlapping matches
    /// merge into the longest repeated span, so one image is one finding.
    /// Words match without regard to case, plural or possessive endings
    /// (“metallic tang” and “metallic tangs” group). The finding labels every
    /// occurrence and gives the count and the shortest gap in words
    /// between two in one chapter, or, when each is in another chapter,
    /// how many chapters hold it.
    ///
    /// Character and place names (capitalised words that are rarely
    /// lowercase in the text), and the words characters are called by
    /// (“aunt”, “the colonel”), never make a phrase. Possessive pronouns
    /// match each other, so “shook his head” and “shook her head” are one
    /// gesture. Text that the duplicate rules report as a later copy (a
    /// pasted paragraph, a repeated sentence or passage) is skipped: they
    /// report it.
    ///
    /// An image comes back with different words around it: “the faint
    /// metallic tang of rain … the metallic tang of sweat … the faint
    /// metallic tang of diesel exhaust” is one finding, “metallic tang”
    /// repeated 4 times, 3 of them as “faint metallic tang”, with every use
    /// labelled.
    ///
    /// A thing of the story named again is reference, not a repeated image.
    /// The kind of word, what follows it and how often the book uses it
    /// tell them apart; the article alone never does (“the faint metallic
    /// tang” is an image however often it follows “the”):
    /// - an image is built on a sensory noun (a smell, a sound or a
    ///   silence, light or dark, what the skin feels: “tang”, “hum”,
    ///   “hush”, “glow”, “ache”), or on a noun of the sky and weather with
    ///   an uncommon figurative word before it (“the bruised sky”, “a
    ///   pewter sea”; not “the night sky” or “the tropical storm”). Every use of it counts, two uses within
    ///   `near` words are a finding, and it is never taken for reference;
    /// - a description of three content words or more also counts every
    ///   use (“the placid look at the white ceiling”);
    /// - other uses close together in one passage count once (“the chiming
    ///   clock” struck three times in a page);
    /// - a two-word noun phrase pointed back at with “the” or “these”, or
    ///   a possessive (“her red scarf”, not “her heart hammered”), or
    ///   counted (“seventy-two iron stairs”, “3 brass lamps”), and
    ///   named the same way each time (“the stone huts”) is reference;
    ///   one that takes a different complement each time (“the bitter
    ///   arithmetic of grief … of debt”) is not;
    /// - a phrase whose uncommon word the book uses far more often on its
    ///   own is reference (“the yew alley” in a book about a yew alley);
    ///   for a description of three words or more only its head word
    ///   counts (“a crooked tin smile” in a book full of tin pans is still
    ///   an image);
    /// - a phrase that says one of its words twice is a figure or a refrain
    ///   (“rul loo rul too rul loo”);
    /// - a phrase most of whose uses are in sentences in an invented
    ///   language (a chant sung twice: “Kethra mor vael'tharin”; see
    ///   `word-echo`).
    ///
    /// In French, Spanish and German drafts (see `[manuscript] language`)
    /// the language's own word frequencies and function words are used; in
    /// other languages the rule does not run, and says so once per run.
    ///
    /// ## Why
    /// A striking image loses its force the second time, and readers notice
    /// a pet phrase long before the writer does.
    ///
    /// ## Example
    /// ```text
    /// … the faint metallic tang of old film rose into the air …   (ch. 1)
    /// … the room held the faint metallic tang she had smelled …   (ch. 2)
    /// … the faint metallic tang of dust burning off the bulb …    (ch. 3)
    ///   ← “faint metallic tang” is repeated 3 times
    /// ```
    ///
    /// ## Options
    /// - `min-count` (default 3): passages anywhere in the manuscript that
    ///   must hold the phrase to make it a finding.
    /// - `passage` (default 300): a use within this many words of the one
    ///   before (in one chapter) belongs to the same passage.
    /// - `near` (default 150): two occurrences at most this many words apart
    ///   in one chapter are a finding even below `min-count`.
    /// - `near-min-words` (default 3): how many content words a phrase needs
    ///   for the `near` test, unless it is an image (two are enough: “a
    ///   brass hum … a brass hum”). Two close uses of a two-word name for a
    ///   thing (“the milking stool … the milking stool”, “rum and water”)
    ///   are reference, not an echo.
    /// - `min-gap` (default 10): a repeat closer than this many words is
    ///   taken as a deliberate figure (“rags and nightcaps, rags and
    ///   nightcaps”) and counts as one use.
    /// - `topic-ratio` (default 4.0): a phrase (not an image) is left alone
    ///   when one of its uncommon words (for three words or more: its head
    ///   word) is used at least this many times as often as the phrase, in
    ///   narration and dialogue alike. Such a phrase names something the
    ///   story is about (“the yew alley”, “the moor gate”), and naming it
    ///   again is reference, not a repeated image. Set it very high to turn
    ///   this off.
    /// - `uncommon-below` (default 4.4): a word is uncommon when its Zipf
    ///   frequency is below this (3 = once per million words; 4.4 leaves out
    ///   roughly the 3,700 commonest English words, so “shook” (4.05) and
    ///   “slight” (4.2) can make a phrase but “head” and “room” cannot).
    /// - `dialogue` (default false): whether phrases inside quoted speech
    ///   count. Characters repeat each other on purpose.
    /// - `allow` (list): phrases and words used on purpose (a refrain, a
    ///   motif); their occurrences never count.
    /// - `names` (list): extra character and place names to leave out.
    pub static META = {
        id: "repeated-phrase",
        category: Repetition,
        severity: Warning,
        scope: Manuscript,
        summary: "A distinctive phrase or image used again and again",
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

/// Longest n-gram hashed; longer repeats are found by merging.
const MAX_WORDS: usize = 5;

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    min_count: usize,
    near: u32,
    near_min_words: usize,
    min_gap: u32,
    passage: u32,
    topic_ratio: f64,
    uncommon_below: f32,
    dialogue: bool,
    allow: Vec<String>,
    names: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_count: 3,
            near: 150,
            near_min_words: 3,
            min_gap: 10,
            passage: 300,
            topic_ratio: 4.0,
            uncommon_below: 4.4,
            dialogue: false,
            allow: Vec::new(),
            names: Vec::new(),
        }
    }
}

struct RepeatedPhrase {
    options: Options,
    common: Common,
}

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    let options: Options = setup.options()?;
    if options.min_count < 2 {
        return Err("`min-count` must be at least 2".to_string());
    }
    non_negative_threshold("topic-ratio", options.topic_ratio)?;
    non_negative_threshold("uncommon-below", f64::from(options.uncommon_below))?;
    let common = Common::new(&options.allow, &options.names, setup.config);
    Ok(Box::new(RepeatedPhrase { options, common }))
}

/// One occurrence: chapter slot (index into `Analysis::chapters`) and the
/// token range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Occurrence {
    slot: u32,
    start: u32,
    end: u32,
}

#[derive(Debug)]
struct Group {
    occurrences: Vec<Occurrence>,
    /// Set when a shorter phrase took in more uses of the same image with
    /// other words around it (“the metallic tang of sweat” beside three of
    /// “the faint metallic tang”).
    core: Option<Core>,
}

/// The candidate groups of [`Options::find_groups`] before the merge: the
/// occurrences of them all in one list, and each group's range of it. As
/// [`Group`]s they took 64 bytes each beside their own lists, and a small
/// allocation each (431,000 groups in a 100 MB one-line chapter).
#[derive(Default)]
struct Candidates {
    occurrences: Vec<Occurrence>,
    groups: Vec<std::ops::Range<u32>>,
}

impl Candidates {
    /// `parts` as one, in order: added to the first, each let go of once
    /// it is in, rather than all copied into a new list beside them.
    fn join(parts: Vec<Candidates>) -> Candidates {
        let occurrences: usize = parts.iter().map(|p| p.occurrences.len()).sum();
        let groups: usize = parts.iter().map(|p| p.groups.len()).sum();
        let mut parts = parts.into_iter();
        let mut joined = parts.next().unwrap_or_default();
        // Sized once: grown by doubling, the list held up to twice the room.
        joined
            .occurrences
            .reserve_exact(occurrences - joined.occurrences.len());
        joined.groups.reserve_exact(groups - joined.groups.len());
        for part in parts {
            let base = joined.occurrences.len() as u32;
            joined.occurrences.extend_from_slice(&part.occurrences);
            joined
                .groups
                .extend(part.groups.iter().map(|g| g.start + base..g.end + base));
        }
        joined
    }
}

/// The shared core of an image used with varying words around it.
#[derive(Clone, Copy, Debug)]
struct Core {
    /// A use of the shorter phrase (“metallic tang”).
    phrase: Occurrence,
    /// A use of the longer wording (“faint metallic tang”) and how many
    /// uses have it.
    longer: Occurrence,
    longer_count: usize,
}

impl Rule for RepeatedPhrase {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn analysis_family(&self) -> Option<&'static str> {
        Some(crate::rule::family::DUPLICATES)
    }

    fn independent_analyses(&self) -> Vec<IndependentAnalysis<'_>> {
        super::independent_analyses(&self.common)
    }

    fn prepare(&self, manuscript: &Manuscript) {
        if !manuscript.language().has_word_data() {
            return;
        }
        shared_groups(manuscript, &self.common, &self.options);
    }

    fn release_analyses(&self, manuscript: &Manuscript) {
        release_groups(manuscript, &self.common, &self.options);
        super::release_analyses(manuscript, &self.common);
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        if !super::language_served(manuscript, ctx) {
            return;
        }
        let analysis = Analysis::shared(manuscript, &self.common);
        let groups = shared_groups(manuscript, &self.common, &self.options);
        let uses = self.uses_per_key(&analysis);
        for group in groups.iter() {
            // Images are never reference; other phrases may name a thing of
            // the story (see `names_a_topic` and `refers_back`).
            let image = is_image(&analysis, &group.occurrences, self.options.uncommon_below);
            let topic = !image && self.names_a_topic(&analysis, &uses, group);
            let back = !image && refers_back(&analysis, group);
            if !topic && !back {
                self.report(manuscript, &analysis, group, ctx);
            }
        }
    }
}

fn mix(hash: u64, key: u32) -> u64 {
    (hash.rotate_left(5) ^ key as u64).wrapping_mul(0x517c_c1b7_2722_0a95)
}

impl Options {
    /// Counts every qualifying n-gram (by hash), keeps the repeated ones that
    /// pass the thresholds, and merges overlapping ones.
    fn find_groups(&self, analysis: &Analysis) -> Vec<Group> {
        let mut grams = self.all_grams(analysis);
        grams.par_sort_unstable_by_key(|&(hash, o)| (hash, o.slot, o.start, o.end));
        // Runs of one hash seen twice or more, each checked on its own (in
        // reading order: ties in the merge keep it), listed in one list.
        let parts: Vec<Candidates> = grams
            .par_chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run.len() >= 2)
            .fold(Candidates::default, |mut part, run| {
                self.add_run(analysis, run, &mut part);
                part
            })
            .collect();
        // Not held through the merge, beside its claims.
        drop(grams);
        self.merge(analysis, Candidates::join(parts))
    }

    /// Every qualifying n-gram of the manuscript, hashed by phrase keys.
    /// One chapter's list is taken as it is; several are joined into a
    /// list sized once (each grows by doubling, and copying them into a
    /// list that grows too held all three at once: 80 MB of a 100 MB line).
    fn all_grams(&self, analysis: &Analysis) -> Vec<(u64, Occurrence)> {
        let mut by_chapter: Vec<Vec<(u64, Occurrence)>> = (0..analysis.chapters.len())
            .into_par_iter()
            .map(|slot| {
                let mut grams = self.chapter_grams(analysis, slot);
                grams.shrink_to_fit();
                grams
            })
            .collect();
        if by_chapter.len() == 1 {
            return by_chapter.pop().expect("one chapter");
        }
        let mut grams = Vec::with_capacity(by_chapter.iter().map(Vec::len).sum());
        for chapter in by_chapter {
            grams.extend(chapter);
        }
        grams
    }

    /// Every qualifying n-gram of one chapter, hashed by phrase keys.
    fn chapter_grams(&self, analysis: &Analysis, slot: usize) -> Vec<(u64, Occurrence)> {
        let dialogue = self.dialogue;
        let tokens = &analysis.chapters[slot].tokens;
        let mut grams = Vec::new();
        for i in 0..tokens.len() {
            if tokens[i].flags & JOINED != 0 || !analysis.is_countable(&tokens[i], dialogue) {
                continue;
            }
            let first = analysis.term(&tokens[i]);
            let mut hash = mix(0x9e37_79b9_7f4a_7c15, first.phrase_key);
            let mut units = 1;
            let mut uncommon = first.zipf < self.uncommon_below;
            // A phrase that says one of its words twice is a figure or a
            // refrain (“rul loo rul too rul loo”), not a repeated image.
            let mut keys: [u32; MAX_WORDS] = [first.phrase_key; MAX_WORDS];
            for (seen, (j, token)) in
                (1..).zip(tokens.iter().enumerate().skip(i + 1).take(MAX_WORDS - 1))
            {
                let term = analysis.term(token);
                // Every token of another sentence is after a break.
                if token.flags & AFTER_BREAK != 0
                    || term.kind == TermKind::Name
                    || term.kind == TermKind::Other
                {
                    break;
                }
                if keys[..seen].contains(&term.phrase_key) && term.kind == TermKind::Content {
                    break;
                }
                keys[seen] = term.phrase_key;
                hash = mix(hash, term.phrase_key);
                if analysis.is_countable(token, dialogue) {
                    if token.flags & JOINED == 0 {
                        units += 1;
                    }
                    uncommon |= term.zipf < self.uncommon_below;
                    // A phrase holds two separate content words and never
                    // ends inside a compound.
                    let splits_compound = tokens
                        .get(j + 1)
                        .is_some_and(|next| next.flags & JOINED != 0);
                    if uncommon && units >= 2 && !splits_compound {
                        grams.push((
                            hash,
                            Occurrence {
                                slot: slot as u32,
                                start: i as u32,
                                end: j as u32 + 1,
                            },
                        ));
                    }
                } else if term.kind == TermKind::Content {
                    // An allowed word or dialogue ends the phrase.
                    break;
                }
            }
        }
        grams
    }

    /// The occurrences of one hashed n-gram (in reading order), added to
    /// `candidates` as a group when they pass the thresholds.
    fn add_run(&self, analysis: &Analysis, run: &[(u64, Occurrence)], candidates: &mut Candidates) {
        let Some(&(_, first)) = run.first() else {
            return;
        };
        let start = candidates.occurrences.len();
        let occurrences = &mut candidates.occurrences;
        for &(_, o) in run {
            // Guard against hash collisions and self-overlap (“very very
            // very”).
            if !same_words(analysis, first, o) {
                continue;
            }
            // A repeat within `min-gap` words is a deliberate figure (“rags
            // and nightcaps, rags and nightcaps”): one use.
            if let Some(&last) = occurrences[start..].last()
                && last.slot == o.slot
                && (o.start < last.end || gap(analysis, last, o) < self.min_gap)
            {
                continue;
            }
            occurrences.push(o);
        }
        if self.passes(analysis, &occurrences[start..]) {
            candidates
                .groups
                .push(start as u32..occurrences.len() as u32);
        } else {
            occurrences.truncate(start);
        }
    }

    /// Whether occurrences (in reading order) make a finding. Every use of
    /// an image or of a longer description counts; uses of a two-word name
    /// close together in one passage count once (see [`Options::passages`]).
    fn passes(&self, analysis: &Analysis, occurrences: &[Occurrence]) -> bool {
        let Some(&first) = occurrences.first() else {
            return false;
        };
        // An image, or a description of three content words or more, is
        // noticed every time it comes back, however close.
        let every_use = is_image(analysis, occurrences, self.uncommon_below)
            || content_words_in(analysis, first) >= 3;
        let count = if every_use {
            occurrences.len()
        } else {
            self.passages(analysis, occurrences)
        };
        let near_words = if every_use { 2 } else { self.near_min_words };
        count >= self.min_count
            || (content_words_in(analysis, first) >= near_words
                && occurrences
                    .windows(2)
                    .any(|w| w[0].slot == w[1].slot && gap(analysis, w[0], w[1]) <= self.near))
    }

    /// How many separate passages hold the occurrences: one within `passage`
    /// words of the one before belongs to the same passage. A thing named
    /// again and again in one scene (“the chiming clock”, “the rum and
    /// water”) is reference, not a habit of the writer.
    fn passages(&self, analysis: &Analysis, occurrences: &[Occurrence]) -> usize {
        1 + occurrences
            .windows(2)
            .filter(|w| w[0].slot != w[1].slot || gap(analysis, w[0], w[1]) > self.passage)
            .count()
    }

    /// Longest phrases first; a shorter phrase whose every occurrence lies
    /// in an occurrence of a reported one extends it (repeats longer than
    /// five words) or is dropped; occurrences outside any reported phrase
    /// stand on their own if they still pass.
    fn merge(&self, analysis: &Analysis, mut candidates: Candidates) -> Vec<Group> {
        let listed = &candidates.occurrences;
        candidates.groups.sort_by_key(|g| {
            let o = listed[g.start as usize];
            (std::cmp::Reverse(o.end - o.start), o.slot, o.start)
        });
        let mut groups: Vec<Group> = Vec::new();
        let mut claimed = Claims::default();
        for range in &candidates.groups {
            let candidate = &listed[range.start as usize..range.end as usize];
            let overlaps: Vec<Option<(usize, usize)>> = candidate
                .iter()
                .map(|o| claimed.first_in(o.slot, o.start..o.end))
                .collect();
            if let Some(group) = Self::takes_in(&groups, &overlaps) {
                // The same image with other words around it: its other uses
                // join the longer phrase's finding.
                let core = Core {
                    phrase: candidate[0],
                    longer: groups[group].occurrences[0],
                    longer_count: groups[group].occurrences.len(),
                };
                for (o, _) in candidate.iter().zip(&overlaps).filter(|(_, c)| c.is_none()) {
                    let index = groups[group].occurrences.len();
                    claimed.claim(o.slot, o.start..o.end, (group, index));
                    groups[group].occurrences.push(*o);
                }
                groups[group].core = Some(core);
                continue;
            }
            if let Some(Some((group, _))) = overlaps.first()
                && overlaps.iter().all(|c| c.is_some_and(|(g, _)| g == *group))
                && groups[*group].occurrences.len() == candidate.len()
            {
                let mut occurrence_indexes: Vec<usize> =
                    overlaps.iter().flatten().map(|&(_, o)| o).collect();
                occurrence_indexes.dedup();
                if occurrence_indexes.len() == candidate.len() {
                    for (o, index) in candidate.iter().zip(occurrence_indexes) {
                        let target = &mut groups[*group].occurrences[index];
                        target.start = target.start.min(o.start);
                        target.end = target.end.max(o.end);
                        claimed.claim(o.slot, target.start..target.end, (*group, index));
                    }
                }
                continue;
            }
            let free: Vec<Occurrence> = candidate
                .iter()
                .zip(&overlaps)
                .filter(|(_, c)| c.is_none())
                .map(|(o, _)| *o)
                .collect();
            if free.len() >= 2 && self.passes(analysis, &free) {
                let index = groups.len();
                for (n, o) in free.iter().enumerate() {
                    claimed.claim(o.slot, o.start..o.end, (index, n));
                }
                groups.push(Group {
                    occurrences: free,
                    core: None,
                });
            }
        }
        for group in &mut groups {
            group.occurrences.sort_by_key(|o| (o.slot, o.start));
        }
        groups.sort_by_key(|g| (g.occurrences[0].slot, g.occurrences[0].start));
        groups
    }

    /// The group a shorter candidate phrase takes in: every use of that
    /// group lies in a use of the candidate (“metallic tang” in “faint
    /// metallic tang”), and the candidate has uses of its own besides.
    fn takes_in(groups: &[Group], overlaps: &[Option<(usize, usize)>]) -> Option<usize> {
        let (group, _) = overlaps.iter().flatten().next().copied()?;
        let mut hit: Vec<usize> = Vec::new();
        for &(g, index) in overlaps.iter().flatten() {
            if g != group {
                return None;
            }
            hit.push(index);
        }
        hit.sort_unstable();
        hit.dedup();
        let free = overlaps.iter().filter(|c| c.is_none()).count();
        (hit.len() == groups[group].occurrences.len()
            && hit.len() == overlaps.len() - free
            && free > 0)
            .then_some(group)
    }
}

impl RepeatedPhrase {
    /// How often each phrase key is used in the manuscript, speech included:
    /// what the characters talk about is what the story is about.
    fn uses_per_key(&self, analysis: &Analysis) -> Vec<u32> {
        analysis
            .chapters
            .par_iter()
            .fold(
                || vec![0u32; analysis.key_count],
                |mut uses, chapter| {
                    for token in &chapter.tokens {
                        if analysis.is_countable(token, true) {
                            uses[analysis.term(token).phrase_key as usize] += 1;
                        }
                    }
                    uses
                },
            )
            .reduce(
                || vec![0u32; analysis.key_count],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    a
                },
            )
    }

    /// A phrase with an uncommon word the manuscript uses far more often
    /// than the phrase (“the yew alley” in a book that goes up and down the
    /// alley all the time) names a thing of the story: repeating it is
    /// reference, not a repeated image. For a description of three content
    /// words or more only the head word counts: “a crooked tin smile” in a
    /// book full of tin pans is still an image, “the old stone huts” in a
    /// book about huts is not.
    fn names_a_topic(&self, analysis: &Analysis, uses: &[u32], group: &Group) -> bool {
        let first = group.occurrences[0];
        let tokens = &analysis.chapters[first.slot as usize].tokens;
        let candidates: Vec<usize> = if content_words_in(analysis, first) >= 3 {
            head(analysis, first).into_iter().collect()
        } else {
            (first.start as usize..first.end as usize).collect()
        };
        let topic = candidates
            .into_iter()
            .map(|i| &tokens[i])
            .filter(|t| {
                analysis.is_countable(t, true)
                    && analysis.term(t).zipf < self.options.uncommon_below
            })
            .map(|t| uses[analysis.term(t).phrase_key as usize])
            .max()
            .unwrap_or(0);
        topic as f64 >= self.options.topic_ratio * group.occurrences.len() as f64
    }

    fn report(
        &self,
        manuscript: &Manuscript,
        analysis: &Analysis,
        group: &Group,
        ctx: &mut RuleContext,
    ) {
        let count = group.occurrences.len();
        // Gaps are counted inside a chapter: words across a chapter's end
        // are no distance a reader feels.
        let shortest = group
            .occurrences
            .windows(2)
            .filter(|w| w[0].slot == w[1].slot)
            .map(|w| gap(analysis, w[0], w[1]))
            .min();
        let spacing = match shortest {
            Some(1) => "shortest gap: 1 word".to_string(),
            Some(n) => format!("shortest gap: {n} words"),
            None => {
                let mut chapters: Vec<u32> = group.occurrences.iter().map(|o| o.slot).collect();
                chapters.dedup();
                format!("in {} chapters", chapters.len())
            }
        };
        let locate = |o: &Occurrence| {
            let chapter = &analysis.chapters[o.slot as usize];
            let span = chapter
                .span(manuscript, &chapter.tokens[o.start as usize])
                .cover(chapter.span(manuscript, &chapter.tokens[o.end as usize - 1]));
            (chapter.chapter, span)
        };
        let text = |o: &Occurrence| {
            let (chapter, span) = locate(o);
            collapse_whitespace(manuscript.chapter(chapter).slice(span)).to_lowercase()
        };
        let (chapter, span): (usize, Span) = locate(&group.occurrences[0]);
        let (phrase, message) = match group.core {
            Some(core) => {
                let phrase = text(&core.phrase);
                let message = format!(
                    "“{phrase}” is repeated {count} times, {} of them as “{}” ({spacing})",
                    core.longer_count,
                    text(&core.longer)
                );
                (phrase, message)
            }
            None => {
                let phrase = text(&group.occurrences[0]);
                let message = format!("“{phrase}” is repeated {count} times ({spacing})");
                (phrase, message)
            }
        };
        let mut finding = Finding::new(chapter, span, message)
            .label(format!("1 of {count}"))
            .help(
                "keep the strongest use and vary or cut the others; add the phrase to `allow` \
             if it is a deliberate motif",
            )
            .facts(Facts::Repetition {
                text: phrase.clone(),
                count,
            });
        for (n, o) in group.occurrences.iter().enumerate().skip(1) {
            let (chapter, span) = locate(o);
            finding = finding
                .related(Label::new(chapter, span).with_message(format!("{} of {count}", n + 1)));
        }
        if super::invented::is_mostly_invented(manuscript, &finding) {
            return;
        }
        ctx.report(finding);
    }
}

/// The repeated phrases `options` find in the word analysis for `common`,
/// built once per run and shared (the other echo rules ask for the phrases
/// of the default settings: see [`PhraseTokens`]).
fn shared_groups(manuscript: &Manuscript, common: &Common, options: &Options) -> Arc<Vec<Group>> {
    let analysis = Analysis::shared(manuscript, common);
    manuscript.shared(&format!("{common:?}/{options:?}"), |_| {
        options.find_groups(&analysis)
    })
}

/// Lets go of the phrases the default settings found (what
/// [`PhraseTokens`] reads).
pub(super) fn release_default_groups(manuscript: &Manuscript, common: &Common) {
    release_groups(manuscript, common, &Options::default());
}

/// Lets go of the phrases `options` found (see [`shared_groups`]).
fn release_groups(manuscript: &Manuscript, common: &Common, options: &Options) {
    manuscript.release_shared::<Vec<Group>>(&format!("{common:?}/{options:?}"));
}

/// The tokens of every phrase `repeated-phrase` reports with its default
/// settings: other echo rules leave them out so one repeated image is one
/// finding, not four.
///
/// By chapter slot, the runs of covered token indices (`[start, end)`,
/// sorted, apart): a set entry per token was 38 MB on a 100 MB line.
pub(super) struct PhraseTokens(Vec<Vec<(u32, u32)>>);

impl PhraseTokens {
    /// Built once per run for the word analysis of `common`.
    pub(super) fn shared(manuscript: &Manuscript, common: &Common) -> Arc<PhraseTokens> {
        manuscript.shared(&format!("{common:?}"), |m| {
            let groups = shared_groups(m, common, &Options::default());
            let mut runs: Vec<Vec<(u32, u32)>> = vec![Vec::new(); m.chapters.len()];
            for o in groups.iter().flat_map(|g| &g.occurrences) {
                runs[o.slot as usize].push((o.start, o.end));
            }
            for slot in &mut runs {
                *slot = joined(std::mem::take(slot));
            }
            PhraseTokens(runs)
        })
    }

    /// The covered tokens of chapter slot `slot`, asked about in reading
    /// order.
    pub(super) fn in_chapter(&self, slot: usize) -> CoveredTokens<'_> {
        CoveredTokens {
            runs: self.0.get(slot).map_or(&[], Vec::as_slice),
        }
    }
}

/// One chapter's [`PhraseTokens`], read front to back: each question moves
/// past the runs that end before the token, so a chapter costs one pass.
pub(super) struct CoveredTokens<'a> {
    /// The runs not yet passed.
    runs: &'a [(u32, u32)],
}

impl CoveredTokens<'_> {
    /// Whether token `index` is in a reported phrase. Indices must not
    /// decrease from one call to the next.
    pub(super) fn contains(&mut self, index: usize) -> bool {
        let index = index as u32;
        while let Some(&(_, end)) = self.runs.first()
            && end <= index
        {
            self.runs = &self.runs[1..];
        }
        self.runs.first().is_some_and(|&(start, _)| start <= index)
    }
}

/// Runs of token indices sorted and joined where they overlap or touch.
fn joined(mut runs: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    runs.sort_unstable();
    let mut joined = join_sorted_runs(runs, |r| (r.0, &mut r.1));
    joined.shrink_to_fit();
    joined
}

/// A two-word noun phrase that, after its first use, mostly comes after
/// “the”, “this” or “these” (“their gray stone huts … the stone huts …
/// these stone huts”) and is named the same way each time names a thing of
/// the story: the writer is pointing back at it, not repeating an image.
/// What follows tells them apart: an image takes a different complement
/// each time (“the tang of rain … the tang of sweat”), a thing does not.
/// Images are never things, whatever their article (see [`is_image`]), and
/// a longer description (“the old stone huts”) is still reported.
fn refers_back(analysis: &Analysis, group: &Group) -> bool {
    if content_words_in(analysis, group.occurrences[0]) != 2
        || varied_complements(analysis, &group.occurrences)
    {
        return false;
    }
    let later = &group.occurrences[1..];
    let definite = later
        .iter()
        .filter(|o| after_definite_article(analysis, **o))
        .count();
    definite * 2 > later.len()
}

/// Whether a definite article or a demonstrative comes just before the
/// occurrence, or before it and one adjective (“the old stone huts”), or a
/// possessive before a noun phrase (“her red scarf”, “Maeve's red scarf”),
/// or a count (“seventy-two iron stairs”): each points at a thing already
/// known. A possessive before a noun and
/// its verb (“her heart hammered”, “his eyes blazed”) points at no thing:
/// that is an image of what the body does.
fn after_definite_article(analysis: &Analysis, o: Occurrence) -> bool {
    let tokens = &analysis.chapters[o.slot as usize].tokens;
    let at = o.start as usize;
    let definite = |term: &super::Term| {
        matches!(&*term.text, "the" | "this" | "that" | "these" | "those") || is_count(&term.text)
    };
    let possessive = |term: &super::Term| {
        matches!(
            &*term.text,
            "his" | "her" | "their" | "its" | "my" | "our" | "your"
        ) || term.text.ends_with("'s")
            || term.text.ends_with("’s")
    };
    let ends_in_a_verb = is_past_tense(&analysis.term(&tokens[o.end as usize - 1]).text);
    analysis.introduced_by(tokens, at, true, definite)
        || (!ends_in_a_verb && analysis.introduced_by(tokens, at, true, possessive))
}

/// Whether `word` (lowercase) is a count of things from two to ninety-nine,
/// in digits (“72”) or words (“seventy-two”). Not one (“one” is a pronoun
/// as often), nor a hundred, a thousand or a million, which make images
/// (“a thousand tiny needles”, “1000 tiny needles”).
fn is_count(word: &str) -> bool {
    static UNITS: WordSet = WordSet::new(&[
        "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ]);
    static TENS: WordSet = WordSet::new(&[
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ]);
    static TEENS: WordSet = WordSet::new(&[
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ]);
    if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse::<u32>().is_ok_and(|n| (2..=99).contains(&n));
    }
    match word.split_once('-') {
        Some((tens, unit)) => TENS.contains(tens) && (UNITS.contains(unit) || unit == "one"),
        None => UNITS.contains(word) || TEENS.contains(word) || TENS.contains(word),
    }
}

/// Whether `word` (lowercase) reads as a verb in the past tense: a regular
/// one of five letters or more (“hammered”, “blazed”; not “shed”, “bed”,
/// “seed”), or one of the irregular verbs the body's images take (“her
/// heart sank”, “his spirits rose”).
fn is_past_tense(word: &str) -> bool {
    static IRREGULAR: WordSet = WordSet::new(&[
        "sank",
        "leapt",
        "leaped",
        "broke",
        "beat",
        "fell",
        "rose",
        "froze",
        "shook",
        "swelled",
        "stood",
        "ran",
        "bled",
        "fled",
        "sped",
        "burned",
        "burnt",
        "lit",
        "shone",
        "went",
        "grew",
        "shrank",
        "stung",
        "swam",
        "spun",
        "sprang",
        "struck",
        "clenched",
        "tightened",
    ]);
    has_participle_ending(word, &["ed"]) || IRREGULAR.contains(word)
}

/// Whether `word` (lowercase) of five letters or more ends in one of
/// `endings` as a participle does (“hammered”, “leaden”), not as “seed” or
/// “steed” do.
fn has_participle_ending(word: &str, endings: &[&str]) -> bool {
    word.len() >= 5 && endings.iter().any(|e| word.ends_with(e)) && !word.ends_with("eed")
}

/// Head nouns of sensory images: smells and tastes, sounds and silences,
/// light and dark, what the skin feels. A phrase built on one describes how
/// a scene feels rather than naming a thing in it (“the faint metallic
/// tang”, “a thin pewter silence”, “the brittle copper light”), so every use
/// of it again is a repeated image, never reference. Singular phrase forms.
static SENSORY_NOUNS: WordSet = WordSet::new(&[
    // smell and taste
    "smell",
    "scent",
    "odour",
    "odor",
    "stench",
    "stink",
    "reek",
    "tang",
    "taste",
    "aroma",
    "fragrance",
    "perfume",
    "whiff",
    "savour",
    "savor",
    "flavour",
    "flavor",
    "sweetness",
    "bitterness",
    "sourness",
    // sound and silence
    "sound",
    "noise",
    "hum",
    "buzz",
    "drone",
    "murmur",
    "hiss",
    "rustle",
    "roar",
    "rumble",
    "whisper",
    "silence",
    "hush",
    "stillness",
    "quiet",
    "creak",
    "clatter",
    "clang",
    "clink",
    "thud",
    "thump",
    "thrum",
    "throb",
    "chime",
    "echo",
    "whine",
    "patter",
    "crackle",
    "crunch",
    "rattle",
    "din",
    "clamour",
    "clamor",
    // light and dark
    "light",
    "glow",
    "gleam",
    "glimmer",
    "glint",
    "glitter",
    "shimmer",
    "sheen",
    "flicker",
    "glare",
    "radiance",
    "brightness",
    "darkness",
    "gloom",
    "dusk",
    "twilight",
    "haze",
    "mist",
    "shadow",
    "blaze",
    "sparkle",
    "lustre",
    "luster",
    "hue",
    "tint",
    "tinge",
    "pallor",
    // touch
    "ache",
    "chill",
    "warmth",
    "heat",
    "sting",
    "prickle",
    "tingle",
    "itch",
    "texture",
]);

/// Whether the occurrences are an image rather than a name for a thing of
/// the story: the phrase is built on a sensory noun (“the faint metallic
/// tang”, “a thin pewter silence”), or on a noun of the sky and weather
/// with an uncommon word (Zipf below `uncommon_below`) before it: “the
/// bruised sky”, “a leaden sea” are images, “the night sky” and “the grey
/// sea” are how a scene is named. The head must read as a noun (after a
/// modifier, a determiner or a preposition): “began to itch” is not an
/// image.
fn is_image(analysis: &Analysis, occurrences: &[Occurrence], uncommon_below: f32) -> bool {
    let Some(&first) = occurrences.first() else {
        return false;
    };
    let Some(index) = head(analysis, first) else {
        return false;
    };
    let tokens = &analysis.chapters[first.slot as usize].tokens;
    let text = &analysis.term(&tokens[index]).text;
    let in_set = |set: &WordSet| set.contains(text) || set.contains(&phrase_form(text));
    let modifier = (index > first.start as usize)
        .then(|| analysis.term(&tokens[index - 1]))
        .filter(|term| term.kind == TermKind::Content);
    let sensory = in_set(&SENSORY_NOUNS)
        || (in_set(&SKY_NOUNS)
            && modifier
                .is_some_and(|term| term.zipf < uncommon_below && is_figurative(&term.text)));
    let noun = modifier.is_some()
        || analysis.introduced_by(tokens, index, false, |t| t.determiner || t.preposition);
    sensory && noun
}

/// Whether a modifier of a sky noun reads as a figure rather than a kind:
/// a participle or material adjective (“bruised”, “burnished”, “leaden”,
/// “swollen”) or a material, metal or stone for a colour (“pewter”,
/// “slate”). “the tropical storm”, “the harvest moon”, “the midnight sun”,
/// “the prevailing wind” name kinds of weather.
fn is_figurative(modifier: &str) -> bool {
    static MATERIALS: WordSet = WordSet::new(&[
        "pewter",
        "copper",
        "brass",
        "bronze",
        "iron",
        "steel",
        "tin",
        "zinc",
        "lead",
        "slate",
        "ash",
        "bone",
        "ink",
        "milk",
        "blood",
        "pearl",
        "ivory",
        "ochre",
        "rust",
        "bruise",
        "flint",
        "chalk",
        "sulphur",
        "sulfur",
        "mercury",
        "quicksilver",
        "tallow",
        "wax",
        "oyster",
    ]);
    has_participle_ending(modifier, &["ed", "en"]) || MATERIALS.contains(modifier)
}

/// Nouns of the sky and the weather: with an uncommon word before them
/// they make an image (“the bruised sky”, “a pewter sea”, “the keening
/// wind”). Singular phrase forms. Not “air”, which is as often a manner
/// (“with a vacant air”).
static SKY_NOUNS: WordSet = WordSet::new(&[
    "sky", "cloud", "horizon", "dawn", "sunrise", "sunset", "sun", "moon", "sea", "wind", "rain",
    "storm",
]);

/// The phrase's head word, as a token index: the last content word before
/// a preposition inside the phrase (“haze” in “haze of smoke”), else the
/// last content word (“tang” in “faint metallic tang”).
fn head(analysis: &Analysis, o: Occurrence) -> Option<usize> {
    let tokens = &analysis.chapters[o.slot as usize].tokens;
    let range = o.start as usize..o.end as usize;
    let end = range
        .clone()
        .find(|&i| analysis.term(&tokens[i]).preposition)
        .unwrap_or(range.end);
    (range.start..end)
        .rev()
        .find(|&i| analysis.term(&tokens[i]).kind == TermKind::Content)
}

/// The word a use's complement is about: after an “of” that directly
/// follows the phrase, the first content word (“rain” in “the tang of the
/// rain”), in the same run of the sentence.
fn complement(analysis: &Analysis, o: Occurrence) -> Option<u32> {
    let tokens = &analysis.chapters[o.slot as usize].tokens;
    let end = o.end as usize;
    // Read in order from `end`: with no break, each is in the sentence of
    // `end - 1`.
    let joined = |t: &Token| t.flags & AFTER_BREAK == 0;
    let of = tokens.get(end)?;
    if !joined(of) || &*analysis.term(of).text != "of" {
        return None;
    }
    tokens[end + 1..]
        .iter()
        .take(3)
        .take_while(|t| joined(t))
        .find(|t| analysis.term(t).kind != TermKind::Stop)
        .map(|t| analysis.term(t).phrase_key)
}

/// Two or more uses with different complements.
fn varied_complements(analysis: &Analysis, occurrences: &[Occurrence]) -> bool {
    let mut seen: Option<u32> = None;
    for o in occurrences {
        if let Some(key) = complement(analysis, *o) {
            match seen {
                Some(first) if first != key => return true,
                _ => seen = Some(key),
            }
        }
    }
    false
}

/// Content words in an occurrence, a hyphenated compound counting as one.
fn content_words_in(analysis: &Analysis, o: Occurrence) -> usize {
    analysis.chapters[o.slot as usize].tokens[o.start as usize..o.end as usize]
        .iter()
        .filter(|t| t.flags & JOINED == 0 && analysis.term(t).kind == TermKind::Content)
        .count()
}

/// Words strictly between two occurrences, across chapters in reading order.
fn gap(analysis: &Analysis, a: Occurrence, b: Occurrence) -> u32 {
    let (ca, cb) = (
        &analysis.chapters[a.slot as usize],
        &analysis.chapters[b.slot as usize],
    );
    let start = ca.base + ca.tokens[a.end as usize - 1].position + 1;
    let end = cb.base + cb.tokens[b.start as usize].position;
    end.saturating_sub(start)
}

fn same_words(analysis: &Analysis, a: Occurrence, b: Occurrence) -> bool {
    let ta = &analysis.chapters[a.slot as usize].tokens[a.start as usize..a.end as usize];
    let tb = &analysis.chapters[b.slot as usize].tokens[b.start as usize..b.end as usize];
    ta.len() == tb.len()
        && ta
            .iter()
            .zip(tb)
            .all(|(x, y)| analysis.term(x).phrase_key == analysis.term(y).phrase_key)
}

#[cfg(test)]
mod tests {
    use super::{Candidates, Occurrence, PhraseTokens, is_count, joined};
    use crate::rules::echoes::fixture_tests::found;

    /// Candidate groups found side by side are joined in order, each
    /// group's range moved to where its occurrences went.
    #[test]
    fn candidate_parts_join_in_order() {
        let at = |slot, start| Occurrence {
            slot,
            start,
            end: start + 2,
        };
        let part = |occurrences: Vec<Occurrence>, groups| Candidates {
            occurrences,
            groups,
        };
        let joined = Candidates::join(vec![
            part(vec![at(0, 1), at(0, 9), at(1, 4)], vec![0..2, 2..3]),
            part(vec![], vec![]),
            part(vec![at(2, 5), at(3, 7)], std::iter::once(0..2).collect()),
        ]);
        let groups: Vec<Vec<Occurrence>> = joined
            .groups
            .iter()
            .map(|g| joined.occurrences[g.start as usize..g.end as usize].to_vec())
            .collect();
        assert_eq!(
            groups,
            [
                vec![at(0, 1), at(0, 9)],
                vec![at(1, 4)],
                vec![at(2, 5), at(3, 7)]
            ]
        );
        assert_eq!(Candidates::join(vec![]).groups, []);
    }

    #[test]
    fn phrase_tokens_are_runs_joined_where_they_overlap_or_touch() {
        let runs = joined(vec![(10, 12), (3, 5), (11, 15), (5, 7), (20, 20)]);
        assert_eq!(runs, [(3, 7), (10, 15), (20, 20)]);
        let tokens = PhraseTokens(vec![runs, Vec::new()]);
        let mut first = tokens.in_chapter(0);
        let covered: Vec<usize> = (0..25).filter(|&t| first.contains(t)).collect();
        assert_eq!(covered, [3, 4, 5, 6, 10, 11, 12, 13, 14]);
        // Skipping ahead, as the echo rules do past tokens they do not count.
        let mut first = tokens.in_chapter(0);
        assert_eq!(
            [2, 6, 7, 14, 15, 20].map(|t| first.contains(t)),
            [false, true, false, true, false, false]
        );
        assert!(!tokens.in_chapter(1).contains(3));
        assert!(!tokens.in_chapter(2).contains(3));
    }

    fn para(filler: &str, n: usize) -> String {
        vec![filler; n].join(" ")
    }

    #[test]
    fn ordinary_collocations_never_qualify() {
        let text = "She stood in the room for a moment. At the same time he sat down. \
                    He looked at her for a long time.\n\n"
            .repeat(4);
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", &text)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn plural_and_possessive_forms_group_and_longest_span_wins() {
        let filler = para("The day went on and nobody came to the door.", 4);
        let text = format!(
            "The faint metallic tang of old film filled the shop.\n\n{filler}\n\n\
             Again the faint metallic tangs of old film reached her.\n\nAnd {filler}\n\n\
             She knew the faint metallic tang's of old film by now.\n"
        );
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", &text)]),
            vec![
                "a.txt:1:5 “faint metallic tang of old film” is repeated 3 times (shortest gap: 45 words)",
                "  + a.txt:5:11 2 of 3",
                "  + a.txt:9:14 3 of 3",
            ]
        );
    }

    #[test]
    fn compounds_figures_and_dialogue_are_not_phrases() {
        // A hyphenated compound is one word; a repeat within ten words is a
        // figure; quoted speech is left out by default.
        let text = "He was good-humoured. She was good-humoured. All were good-humoured.\n\n\
                    Rags and nightcaps, rags and nightcaps, rags and nightcaps everywhere.\n\n\
                    “The brittle copper light,” she said. “The brittle copper light again.”\n\n\
                    “I mean the brittle copper light,” he said.\n";
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", text)]),
            Vec::<String>::new()
        );
        assert_eq!(
            found("repeated-phrase", "dialogue = true", &[("a.txt", text)]),
            vec![
                // The second use, four words on, is one figure with the first.
                "a.txt:5:6 “brittle copper light” is repeated 2 times (shortest gap: 10 words)",
                "  + a.txt:7:13 2 of 2",
            ]
        );
    }

    #[test]
    fn two_close_uses_of_a_two_word_name_are_reference() {
        let text = "He sat on the milking stool by the wall and waited for the light. \
                    Nobody came, and at last he stood up and kicked the milking stool over.\n";
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", text)]),
            Vec::<String>::new()
        );
        // A striking image is another matter: two close uses of a two-word
        // image built on a sensory noun are found.
        let image = "The lamp gave off a brass hum as it warmed. Nobody came, and \
                     at last the lamp settled into a brass hum again.\n";
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", image)]),
            vec![
                "a.txt:1:21 “brass hum” is repeated 2 times (shortest gap: 13 words)",
                "  + a.txt:1:94 2 of 2",
            ]
        );
    }

    /// A noun of the sky or the weather with an uncommon figurative word
    /// before it is an image, found at two close uses; with a plain word
    /// (“the night sky”) or a kind of weather (“the tropical storm”)
    /// before it, or as “air” (a manner as often), it names the scene.
    #[test]
    fn an_uncommon_word_on_the_sky_makes_an_image() {
        let text = |phrase: &str| {
            format!(
                "Above the harbour {phrase} hung low over the boats. Nobody came down \
                 to the quay, and at last she looked up again at {phrase} and went in.\n"
            )
        };
        assert_eq!(
            found(
                "repeated-phrase",
                "",
                &[("a.txt", &text("the bruised sky"))]
            ),
            vec![
                "a.txt:1:23 “bruised sky” is repeated 2 times (shortest gap: 20 words)",
                "  + a.txt:1:129 2 of 2",
            ]
        );
        for plain in [
            "the night sky",
            "the grey sea",
            "a vacant air",
            "the tropical storm",
            "the harvest moon",
            "the prevailing wind",
        ] {
            assert_eq!(
                found("repeated-phrase", "", &[("a.txt", &text(plain))]),
                Vec::<String>::new(),
                "{plain}"
            );
        }
    }

    #[test]
    fn an_image_pointed_back_at_is_still_an_image() {
        // “the” before every use does not make an image a thing of the
        // story, and every use counts, however close.
        let tang = [
            "The metallic tang hung in the air.",
            "He smelled the metallic tang again.",
            "This metallic tang was everywhere.",
        ];
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", &spaced(tang, 3))]),
            vec![
                "a.txt:1:5 “metallic tang” is repeated 3 times (shortest gap: 35 words)",
                "  + a.txt:5:16 2 of 3",
                "  + a.txt:9:6 3 of 3",
            ]
        );
    }

    #[test]
    fn a_phrase_with_varying_complements_is_not_a_name() {
        // Pointed back at with “the”, but followed by a different
        // complement each time: a figure, not a thing of the story.
        let figure = [
            "She learned the bitter arithmetic of grief.",
            "He knew the bitter arithmetic of debt.",
            "They all knew the bitter arithmetic of hunger.",
        ];
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", &spaced(figure, 40))]),
            vec![
                "a.txt:1:17 “bitter arithmetic” is repeated 3 times (shortest gap: 445 words)",
                "  + a.txt:5:13 2 of 3",
                "  + a.txt:9:19 3 of 3",
            ]
        );
    }

    /// Three paragraphs holding `sentences`, with `filler` paragraphs of
    /// function words between them.
    fn spaced(sentences: [&str; 3], filler: usize) -> String {
        let pad = para("It was so, and so it went on as it had.", filler);
        sentences
            .iter()
            .map(|s| format!("{s}\n\n{pad}\n\n"))
            .collect()
    }

    #[test]
    fn uses_in_one_passage_count_once() {
        let gesture = [
            "He made a slight bow.",
            "She gave a slight bow.",
            "They each made a slight bow.",
        ];
        // Within a page: one passage, like a prop named again in a scene.
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", &spaced(gesture, 3))]),
            Vec::<String>::new()
        );
        // Pages apart: a habit.
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", &spaced(gesture, 40))]),
            vec![
                "a.txt:1:11 “slight bow” is repeated 3 times (shortest gap: 443 words)",
                "  + a.txt:5:12 2 of 3",
                "  + a.txt:9:18 3 of 3",
            ]
        );
        assert_eq!(
            found(
                "repeated-phrase",
                "passage = 500",
                &[("a.txt", &spaced(gesture, 40))]
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_thing_pointed_back_at_is_reference() {
        let huts = [
            "Their gray stone huts stood on the hill.",
            "He hid in one of the stone huts.",
            "These stone huts were older than the moor.",
        ];
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", &spaced(huts, 40))]),
            Vec::<String>::new()
        );
    }

    /// A possessive points back at a thing of the story as “the” does
    /// (“her red scarf”, “Maeve's red scarf”: a prop); before a noun and its
    /// verb (“her heart hammered”) it points at no thing, and the image is
    /// found.
    #[test]
    fn a_possessive_points_back_at_a_thing_but_not_at_an_action() {
        let scarf = [
            "She wore a red scarf that morning.",
            "The wind took her red scarf.",
            "Maeve's red scarf hung on the hook.",
        ];
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", &spaced(scarf, 40))]),
            Vec::<String>::new()
        );
        for verb in ["hammered", "sank"] {
            let heart = [
                format!("Her heart {verb} at the door."),
                format!("At the top her heart {verb} again."),
                format!("Down in the boat her heart {verb}."),
            ];
            let heart = [heart[0].as_str(), heart[1].as_str(), heart[2].as_str()];
            let got = found("repeated-phrase", "", &[("a.txt", &spaced(heart, 40))]);
            assert!(
                got[0].starts_with(&format!("a.txt:1:5 “heart {verb}” is repeated 3 times")),
                "{got:?}"
            );
        }
    }

    /// A count points back at a countable thing as “the” does.
    #[test]
    fn a_count_points_back_at_a_thing() {
        let stairs = [
            "She told him about the iron stairs that rang under her boots.",
            "She ran up all seventy-two iron stairs to the gallery.",
            "Her father went up the iron stairs with the lamp.",
        ];
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", &spaced(stairs, 40))]),
            Vec::<String>::new()
        );
        // A thousand of anything is a figure, not a count.
        let needles = [
            "The rain came down like the tiny needles of ice.",
            "The cold was a thousand tiny needles on her skin.",
            "She felt a thousand tiny needles in her feet.",
        ];
        let got = found("repeated-phrase", "", &[("a.txt", &spaced(needles, 40))]);
        assert!(
            got[0].starts_with("a.txt:1:29 “tiny needles” is repeated 3 times"),
            "{got:?}"
        );
        assert!(is_count("72") && is_count("seventy-two") && is_count("twelve"));
        assert!(
            !is_count("one") && !is_count("thousand") && !is_count("seventy-") && !is_count("")
        );
        for digits in ["0", "1", "100", "1000", "007"] {
            assert_eq!(is_count(digits), digits == "007", "{digits}");
        }
    }

    #[test]
    fn possessive_pronouns_make_one_gesture() {
        let heads = [
            "He shook his head.",
            "She shook her head.",
            "They shook their heads.",
        ];
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", &spaced(heads, 40))]),
            vec![
                "a.txt:1:4 “shook his head” is repeated 3 times (shortest gap: 441 words)",
                "  + a.txt:5:5 2 of 3",
                "  + a.txt:9:6 3 of 3",
            ]
        );
    }

    #[test]
    fn kinship_and_station_words_never_make_a_phrase() {
        let family = [
            "Her eldest daughter came in.",
            "My eldest daughter went out.",
            "The escaped convict ran, and his eldest daughter wept.",
        ];
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", &spaced(family, 40))]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn bad_options_are_reported() {
        let setup_error = crate::rules::Registry::builtin()
            .get("repeated-phrase")
            .map(|r| {
                let config = crate::config::Config::default();
                let options: toml::Table = "min-count = 1".parse().unwrap();
                r.build(&crate::rule::RuleSetup {
                    options: &options,
                    config: &config,
                })
                .err()
            });
        assert_eq!(
            setup_error,
            Some(Some("`min-count` must be at least 2".to_string()))
        );
    }
}
