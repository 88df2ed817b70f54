use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use super::{AFTER_BREAK, Analysis, Common, JOINED, TermKind, collapse_whitespace};
use crate::declare_rule;
use crate::diagnostic::{Facts, Finding, Label};
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::text::{Manuscript, Span};

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
    /// occurrence and gives the count and the shortest gap in words.
    ///
    /// Character and place names (capitalised words that are rarely
    /// lowercase in the text), and the words characters are called by
    /// (“aunt”, “the colonel”), never make a phrase. Possessive pronouns
    /// match each other, so “shook his head” and “shook her head” are one
    /// gesture. Paragraphs that repeat earlier text are skipped: the
    /// duplicate rules report them.
    ///
    /// A thing of the story named again is reference, not a repeated image,
    /// so three kinds of repeat are left alone: uses close together in one
    /// passage count once (“the chiming clock” struck three times in a
    /// page); a two-word noun phrase pointed back at with “the” or “these”
    /// (“the stone huts”); and a phrase whose uncommon word the book uses
    /// far more often on its own (“the yew alley” in a book about a yew
    /// alley).
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
    ///   for the `near` test. Two close uses of a two-word name for a thing
    ///   (“the milking stool … the milking stool”, “rum and water”) are
    ///   reference, not an echo.
    /// - `min-gap` (default 10): a repeat closer than this many words is
    ///   taken as a deliberate figure (“rags and nightcaps, rags and
    ///   nightcaps”) and counts as one use.
    /// - `topic-ratio` (default 4.0): a phrase is left alone when one of its
    ///   uncommon words is used at least this many times as often as the
    ///   phrase itself, in narration and dialogue alike. Such a phrase names
    ///   something the story is about (“the yew alley”, “the moor gate”),
    ///   and naming it again is reference, not a repeated image. Set it very
    ///   high to turn this off.
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

#[derive(Deserialize)]
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
}

impl Rule for RepeatedPhrase {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn prepare(&self, manuscript: &Manuscript) {
        Analysis::shared(manuscript, &self.common);
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        let analysis = Analysis::shared(manuscript, &self.common);
        let groups = self.find_groups(&analysis);
        let uses = self.uses_per_key(&analysis);
        for group in groups {
            if !self.names_a_topic(&analysis, &uses, &group) && !refers_back(&analysis, &group) {
                self.report(manuscript, &analysis, &group, ctx);
            }
        }
    }
}

fn mix(hash: u64, key: u32) -> u64 {
    (hash.rotate_left(5) ^ key as u64).wrapping_mul(0x517c_c1b7_2722_0a95)
}

impl RepeatedPhrase {
    /// Counts every qualifying n-gram (by hash), keeps the repeated ones that
    /// pass the thresholds, and merges overlapping ones.
    fn find_groups(&self, analysis: &Analysis) -> Vec<Group> {
        let dialogue = self.options.dialogue;
        let mut grams: Vec<(u64, Occurrence)> = Vec::new();
        for (slot, chapter) in analysis.chapters.iter().enumerate() {
            let tokens = &chapter.tokens;
            for i in 0..tokens.len() {
                if !analysis.is_countable(&tokens[i], dialogue) || tokens[i].flags & JOINED != 0 {
                    continue;
                }
                let first = analysis.term(&tokens[i]);
                let mut hash = mix(0x9e37_79b9_7f4a_7c15, first.phrase_key);
                let mut units = 1;
                let mut uncommon = first.zipf < self.options.uncommon_below;
                for (j, token) in tokens.iter().enumerate().skip(i + 1).take(MAX_WORDS - 1) {
                    let term = analysis.term(token);
                    if token.sentence != tokens[i].sentence
                        || token.flags & AFTER_BREAK != 0
                        || term.kind == TermKind::Name
                        || term.kind == TermKind::Other
                    {
                        break;
                    }
                    hash = mix(hash, term.phrase_key);
                    if analysis.is_countable(token, dialogue) {
                        if token.flags & JOINED == 0 {
                            units += 1;
                        }
                        uncommon |= term.zipf < self.options.uncommon_below;
                        // A phrase holds two separate content words and
                        // never ends inside a compound.
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
        }
        grams.sort_unstable_by_key(|&(hash, o)| (hash, o.slot, o.start));

        let mut candidates: Vec<Group> = Vec::new();
        let mut i = 0;
        while i < grams.len() {
            let mut j = i + 1;
            while j < grams.len() && grams[j].0 == grams[i].0 {
                j += 1;
            }
            if j - i >= 2 {
                let first = grams[i].1;
                let mut occurrences: Vec<Occurrence> = Vec::with_capacity(j - i);
                for &(_, o) in &grams[i..j] {
                    // Guard against hash collisions and self-overlap
                    // (“very very very”).
                    if !same_words(analysis, first, o) {
                        continue;
                    }
                    // A repeat within `min-gap` words is a deliberate figure
                    // (“rags and nightcaps, rags and nightcaps”): one use.
                    if let Some(&last) = occurrences.last()
                        && last.slot == o.slot
                        && (o.start < last.end || gap(analysis, last, o) < self.options.min_gap)
                    {
                        continue;
                    }
                    occurrences.push(o);
                }
                if self.passes(analysis, &occurrences) {
                    candidates.push(Group { occurrences });
                }
            }
            i = j;
        }
        self.merge(analysis, candidates)
    }

    /// Whether occurrences (in reading order) make a finding.
    fn passes(&self, analysis: &Analysis, occurrences: &[Occurrence]) -> bool {
        self.passages(analysis, occurrences) >= self.options.min_count
            || (content_words_in(analysis, occurrences[0]) >= self.options.near_min_words
                && occurrences.windows(2).any(|w| {
                    w[0].slot == w[1].slot && gap(analysis, w[0], w[1]) <= self.options.near
                }))
    }

    /// How many separate passages hold the occurrences: one within `passage`
    /// words of the one before belongs to the same passage. A thing named
    /// again and again in one scene (“the chiming clock”, “the rum and
    /// water”) is reference, not a habit of the writer.
    fn passages(&self, analysis: &Analysis, occurrences: &[Occurrence]) -> usize {
        1 + occurrences
            .windows(2)
            .filter(|w| w[0].slot != w[1].slot || gap(analysis, w[0], w[1]) > self.options.passage)
            .count()
    }

    /// Longest phrases first; a shorter phrase whose every occurrence lies
    /// in an occurrence of a reported one extends it (repeats longer than
    /// five words) or is dropped; occurrences outside any reported phrase
    /// stand on their own if they still pass.
    fn merge(&self, analysis: &Analysis, mut candidates: Vec<Group>) -> Vec<Group> {
        candidates.sort_by_key(|g| {
            let o = g.occurrences[0];
            (std::cmp::Reverse(o.end - o.start), o.slot, o.start)
        });
        let mut groups: Vec<Group> = Vec::new();
        let mut claimed: FxHashMap<(u32, u32), (usize, usize)> = FxHashMap::default();
        for candidate in candidates {
            let overlaps: Vec<Option<(usize, usize)>> = candidate
                .occurrences
                .iter()
                .map(|o| (o.start..o.end).find_map(|t| claimed.get(&(o.slot, t)).copied()))
                .collect();
            if let Some(Some((group, _))) = overlaps.first()
                && overlaps.iter().all(|c| c.is_some_and(|(g, _)| g == *group))
                && groups[*group].occurrences.len() == candidate.occurrences.len()
            {
                let mut occurrence_indexes: Vec<usize> =
                    overlaps.iter().flatten().map(|&(_, o)| o).collect();
                occurrence_indexes.dedup();
                if occurrence_indexes.len() == candidate.occurrences.len() {
                    for (o, index) in candidate.occurrences.iter().zip(occurrence_indexes) {
                        let target = &mut groups[*group].occurrences[index];
                        target.start = target.start.min(o.start);
                        target.end = target.end.max(o.end);
                        for t in target.start..target.end {
                            claimed.insert((o.slot, t), (*group, index));
                        }
                    }
                }
                continue;
            }
            let free: Vec<Occurrence> = candidate
                .occurrences
                .iter()
                .zip(&overlaps)
                .filter(|(_, c)| c.is_none())
                .map(|(o, _)| *o)
                .collect();
            if free.len() >= 2 && self.passes(analysis, &free) {
                let index = groups.len();
                for (n, o) in free.iter().enumerate() {
                    for t in o.start..o.end {
                        claimed.insert((o.slot, t), (index, n));
                    }
                }
                groups.push(Group { occurrences: free });
            }
        }
        groups.sort_by_key(|g| (g.occurrences[0].slot, g.occurrences[0].start));
        groups
    }

    /// How often each phrase key is used in the manuscript, speech included:
    /// what the characters talk about is what the story is about.
    fn uses_per_key(&self, analysis: &Analysis) -> Vec<u32> {
        let mut uses = vec![0u32; analysis.key_count];
        for chapter in &analysis.chapters {
            for token in &chapter.tokens {
                if analysis.is_countable(token, true) {
                    uses[analysis.term(token).phrase_key as usize] += 1;
                }
            }
        }
        uses
    }

    /// A phrase with an uncommon word the manuscript uses far more often
    /// than the phrase (“the yew alley” in a book about a yew alley) names a
    /// thing of the story;
    /// repeating it is reference, not a repeated image.
    fn names_a_topic(&self, analysis: &Analysis, uses: &[u32], group: &Group) -> bool {
        let first = group.occurrences[0];
        let tokens = &analysis.chapters[first.slot as usize].tokens
            [first.start as usize..first.end as usize];
        let topic = tokens
            .iter()
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
        let shortest = group
            .occurrences
            .windows(2)
            .map(|w| gap(analysis, w[0], w[1]))
            .min()
            .unwrap_or(0);
        let locate = |o: &Occurrence| {
            let chapter = &analysis.chapters[o.slot as usize];
            let span = chapter.tokens[o.start as usize]
                .span
                .cover(chapter.tokens[o.end as usize - 1].span);
            (chapter.chapter, span)
        };
        let (chapter, span): (usize, Span) = locate(&group.occurrences[0]);
        let phrase = collapse_whitespace(manuscript.chapter(chapter).slice(span)).to_lowercase();
        let words = if shortest == 1 { "word" } else { "words" };
        let mut finding = Finding::new(
            chapter,
            span,
            format!("“{phrase}” is repeated {count} times (shortest gap: {shortest} {words})"),
        )
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
        ctx.report(finding);
    }
}

/// The tokens of every phrase `repeated-phrase` reports with its default
/// settings, as (chapter slot, token index): other echo rules leave them out
/// so one repeated image is one finding, not four.
pub(super) fn repeated_phrase_tokens(analysis: &Analysis) -> FxHashSet<(u32, u32)> {
    let rule = RepeatedPhrase {
        options: Options::default(),
        common: Common::default(),
    };
    let mut covered = FxHashSet::default();
    for group in rule.find_groups(analysis) {
        for o in &group.occurrences {
            covered.extend((o.start..o.end).map(|t| (o.slot, t)));
        }
    }
    covered
}

/// A two-word noun phrase that, after its first use, mostly comes after
/// “the”, “this” or “these” (“their gray stone huts … the stone huts …
/// these stone huts”) names a thing of the story: the writer is pointing
/// back at it, not repeating an image. A longer image (“the faint metallic
/// tang”) is still reported.
fn refers_back(analysis: &Analysis, group: &Group) -> bool {
    if content_words_in(analysis, group.occurrences[0]) != 2 {
        return false;
    }
    let later = &group.occurrences[1..];
    let definite = later
        .iter()
        .filter(|o| after_definite_article(analysis, **o))
        .count();
    definite * 2 > later.len()
}

/// Whether a definite article or demonstrative comes just before the
/// occurrence, or before it and one adjective (“the old stone huts”).
fn after_definite_article(analysis: &Analysis, o: Occurrence) -> bool {
    let tokens = &analysis.chapters[o.slot as usize].tokens;
    analysis.introduced_by(tokens, o.start as usize, true, |term| {
        matches!(&*term.text, "the" | "this" | "that" | "these" | "those")
    })
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
    let start = analysis.chapters[a.slot as usize].base + a.end;
    let end = analysis.chapters[b.slot as usize].base + b.start;
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
    use crate::rules::echoes::fixture_tests::found;

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
        // Two close uses of a two-word image are found once the `near` test
        // takes two-word phrases.
        let image = "The lamp gave off a brass hum as it warmed. Nobody came, and \
                     at last the lamp settled into a brass hum again.\n";
        assert_eq!(
            found("repeated-phrase", "", &[("a.txt", image)]),
            Vec::<String>::new()
        );
        assert_eq!(
            found("repeated-phrase", "near-min-words = 2", &[("a.txt", image)]),
            vec![
                "a.txt:1:21 “brass hum” is repeated 2 times (shortest gap: 13 words)",
                "  + a.txt:1:94 2 of 2",
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
