use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::repeated_phrase::PhraseTokens;
use super::{Analysis, ChapterTokens, Common, JOINED, Token};
use crate::declare_rule;
use crate::diagnostic::{Facts, Finding, Label};
use crate::rule::{
    IndependentAnalysis, Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup,
    non_negative_threshold,
};
use crate::text::Manuscript;
use crate::wordfreq::per_million;

declare_rule! {
    /// ## What it does
    /// Finds words the manuscript uses far more often than ordinary English
    /// prose does: a crutch word (“seemed”, “faint”, “suddenly”) or a motif
    /// word that has spread everywhere. Function words never count (“just”,
    /// “very”, “still”, “even”, “like”, “well”): ordinary prose uses them
    /// so often (“just” 27 times in 10,000 words) that no habit is
    /// eight times that rate; neither do dialects' function words, which a
    /// narrator in dialect says as often (“dinnae”, “aye”, “nowt”,
    /// “y’all”, “gonna”). Each word's rate is compared with its
    /// background frequency; a word is reported only when the difference is
    /// both significant (Dunning's log-likelihood) and large (a ratio of
    /// rates), and it is used at least `min-count` times. Forms of one word
    /// count together (“seem”, “seems”, “seemed”).
    ///
    /// Uses bunched in one passage are damped: the busiest stretch of
    /// `clump-window` words counts once, so a prop that belongs to one scene
    /// is not taken for a tic. Words spread over the book are reported once
    /// for the whole manuscript; a word that spikes in one chapter is
    /// reported for that chapter. Each finding gives the rate per 10,000
    /// words beside the rate in ordinary prose, and the strongest findings
    /// come first up to `max-per-chapter` and `max-manuscript`.
    /// Parts of a hyphenated compound (“handling-machine”) are not uses of
    /// the word. Character and place names never count (nor a capitalised word
    /// written beside a name: “Mire” in “Grimpen Mire”), nor the words
    /// characters are called by (“aunt”, “the colonel”), nor the words of
    /// phrases that `repeated-phrase` reports (with its default settings).
    /// A word most of whose marked uses are in sentences in an invented
    /// language (a chant, a spell; see `word-echo`) is not reported.
    ///
    /// In French, Spanish and German drafts (see `[manuscript] language`)
    /// the language's own word frequencies and function words are used; in
    /// other languages the rule does not run, and says so once per run.
    ///
    /// ## Why
    /// Every writer has words they cannot see. Readers can: the ninth
    /// “seemed” in a chapter is the one they notice.
    ///
    /// ## Example
    /// ```text
    /// The house seemed smaller … It seemed easier … It seemed like a joke …
    ///   ← “seemed” is used 9 times in this chapter
    ///     (106.3 per 10,000 words; ordinary prose: 0.7)
    /// ```
    ///
    /// ## Options
    /// - `min-count` (default 4): fewest uses (after damping) to report.
    /// - `min-count-manuscript` (default 10): fewest uses for a finding on
    ///   the whole manuscript.
    /// - `min-ratio` (default 8.0): how many times its ordinary rate a word
    ///   must be used.
    /// - `min-log-likelihood` (default 30.0): how significant the excess
    ///   must be (Dunning's G²; 15 is p < 0.0001).
    /// - `clump-window` (default 150): uses within this many words of each
    ///   other count as one passage for damping.
    /// - `max-per-chapter` (default 3) and `max-manuscript` (default 8): how
    ///   many findings to show, strongest first.
    /// - `nouns` (default false): whether words used mostly as nouns count.
    ///   A word is noun-like when at least a third of its uses follow “the”,
    ///   “a”, a possessive or a preposition (perhaps with one adjective
    ///   between) and end a phrase (“the moor.”, “her mother said”, “of
    ///   black granite”) or, as a plural, come before a verb's “-ed” or
    ///   “-ing” form (“the drovers shouted”, “the boys running”): in a
    ///   novel those are the things the story is about, not habits. Set it to report motif nouns too (“the hum”).
    /// - `dialogue` (default false): whether words inside quoted speech count.
    /// - `allow` (list): words used on purpose; they never count.
    /// - `names` (list): extra character and place names to leave out.
    pub static META = {
        id: "overused-word",
        category: Repetition,
        severity: Info,
        scope: Manuscript,
        summary: "A word used far more often than in ordinary prose",
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

/// Background rate for words outside the frequency table (per million).
const FLOOR_PER_MILLION: f64 = 0.05;
/// Related labels shown besides the first use.
const MAX_LABELS: usize = 4;

#[derive(Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    min_count: usize,
    min_count_manuscript: usize,
    min_ratio: f64,
    min_log_likelihood: f64,
    clump_window: u32,
    max_per_chapter: usize,
    max_manuscript: usize,
    nouns: bool,
    dialogue: bool,
    allow: Vec<String>,
    names: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_count: 4,
            min_count_manuscript: 10,
            min_ratio: 8.0,
            min_log_likelihood: 30.0,
            clump_window: 150,
            max_per_chapter: 3,
            max_manuscript: 8,
            nouns: false,
            dialogue: false,
            allow: Vec::new(),
            names: Vec::new(),
        }
    }
}

struct OverusedWord {
    options: Options,
    common: Common,
}

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    let options: Options = setup.options()?;
    if options.min_count < 1 {
        return Err("`min-count` must be at least 1".to_string());
    }
    non_negative_threshold("min-ratio", options.min_ratio)?;
    non_negative_threshold("min-log-likelihood", options.min_log_likelihood)?;
    let common = Common::new(&options.allow, &options.names, setup.config);
    Ok(Box::new(OverusedWord { options, common }))
}

/// A chapter's countable uses as (stem, token index), sorted: each word's
/// uses are one run of it. Eight bytes a use, where a map of [`Uses`] per
/// chapter took several times that.
type ChapterUses = Vec<(u32, u32)>;

/// The uses of one word (all its forms) in one scope, summed up for the
/// tests: built for one word at a time, from where its uses are.
struct Uses {
    /// (chapter slot, token index), in reading order.
    at: Vec<(u32, u32)>,
    /// Term ids and how often each form occurs.
    forms: Vec<(u32, u32)>,
}

/// A word that passed the tests.
struct Candidate {
    stem: u32,
    count: usize,
    rate: f64,
    background: f64,
    log_likelihood: f64,
}

impl Uses {
    /// The uses at `at` ((chapter slot, token index), in reading order).
    fn of(analysis: &Analysis, at: Vec<(u32, u32)>) -> Uses {
        let mut forms: Vec<(u32, u32)> = Vec::new();
        for &(slot, index) in &at {
            let term = analysis.chapters[slot as usize].tokens[index as usize].term;
            match forms.iter_mut().find(|(t, _)| *t == term) {
                Some((_, n)) => *n += 1,
                None => forms.push((term, 1)),
            }
        }
        Uses { at, forms }
    }

    /// How many of the uses look like a noun: after a determiner, ending a
    /// phrase. Each use reads its neighbours' terms, scattered through
    /// memory: [`OverusedWord::test`] asks last, of the few words that pass
    /// its other tests.
    fn noun_like(&self, analysis: &Analysis) -> usize {
        self.at
            .iter()
            .filter(|&&(slot, index)| {
                let tokens = &analysis.chapters[slot as usize].tokens;
                analysis.looks_like_noun(tokens, index as usize)
            })
            .count()
    }

    /// The uses of `stem` among a chapter's `uses`, in chapter slot `slot`.
    fn in_chapter(analysis: &Analysis, uses: &[(u32, u32)], slot: usize, stem: u32) -> Uses {
        let start = uses.partition_point(|&(s, _)| s < stem);
        let end = uses.partition_point(|&(s, _)| s <= stem);
        let at = uses[start..end]
            .iter()
            .map(|&(_, index)| (slot as u32, index))
            .collect();
        Uses::of(analysis, at)
    }
}

impl Rule for OverusedWord {
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
        super::repeated_phrase::PhraseTokens::shared(manuscript, &self.common);
    }

    fn release_analyses(&self, manuscript: &Manuscript) {
        super::release_analyses(manuscript, &self.common);
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        if !super::language_served(manuscript, ctx) {
            return;
        }
        let analysis = Analysis::shared(manuscript, &self.common);
        let in_phrases = super::repeated_phrase::PhraseTokens::shared(manuscript, &self.common);
        // Each chapter's counts in parallel, then the whole manuscript's,
        // merged in reading order (so uses and forms keep their order).
        let (per_chapter, chapter_words): (Vec<ChapterUses>, Vec<usize>) =
            (0..analysis.chapters.len())
                .into_par_iter()
                .map(|slot| self.chapter_uses(&analysis, &in_phrases, slot))
                .unzip();
        // A word's uses are gathered for the whole book only when it has
        // enough of them, spread over the chapters.
        let mut spread: FxHashMap<u32, Spread> = FxHashMap::default();
        for uses in &per_chapter {
            for run in uses.chunk_by(|a, b| a.0 == b.0) {
                spread.entry(run[0].0).or_default().add(run.len());
            }
        }
        let min_count = self.options.min_count_manuscript;
        let mut whole_at: FxHashMap<u32, Vec<(u32, u32)>> = FxHashMap::default();
        for (slot, uses) in per_chapter.iter().enumerate() {
            for run in uses.chunk_by(|a, b| a.0 == b.0) {
                let stem = run[0].0;
                if spread[&stem].is_whole_book(min_count) {
                    let at = whole_at.entry(stem).or_default();
                    at.extend(run.iter().map(|&(_, index)| (slot as u32, index)));
                }
            }
        }
        // The tests below run on every core: this check comes last in a run,
        // and on one core its tail left the others idle. `rank` orders the
        // candidates whatever order they are found in.
        let total_words: usize = chapter_words.iter().sum();
        let whole: FxHashMap<u32, Uses> = whole_at
            .into_par_iter()
            .filter(|(_, at)| {
                let (slot, index) = at[0];
                let term = analysis.chapters[slot as usize].tokens[index as usize].term;
                self.may_be_frequent_enough(&analysis, term, at.len(), total_words)
            })
            .map(|(stem, at)| (stem, Uses::of(&analysis, at)))
            .collect();

        let several_chapters = analysis.chapters.len() > 1;
        let mut reported_whole: Vec<u32> = Vec::new();
        if several_chapters {
            let mut found: Vec<Candidate> = whole
                .par_iter()
                .filter_map(|(&stem, uses)| self.test(&analysis, stem, uses, total_words))
                .collect();
            rank(&mut found);
            found.truncate(self.options.max_manuscript);
            for candidate in &found {
                reported_whole.push(candidate.stem);
                self.report(
                    manuscript,
                    &analysis,
                    &whole[&candidate.stem],
                    candidate,
                    None,
                    ctx,
                );
            }
        }
        let found_by_chapter: Vec<Vec<Candidate>> = per_chapter
            .par_iter()
            .enumerate()
            .map(|(slot, uses)| {
                let mut found: Vec<Candidate> = uses
                    .chunk_by(|a, b| a.0 == b.0)
                    // The first tests, before the uses are summed up.
                    .filter(|run| run.len() >= self.options.min_count)
                    .filter(|run| {
                        let term = analysis.chapters[slot].tokens[run[0].1 as usize].term;
                        self.may_be_frequent_enough(&analysis, term, run.len(), chapter_words[slot])
                    })
                    .map(|run| run[0].0)
                    .filter(|stem| !reported_whole.contains(stem))
                    .filter_map(|stem| {
                        let uses = Uses::in_chapter(&analysis, uses, slot, stem);
                        self.test(&analysis, stem, &uses, chapter_words[slot])
                    })
                    .collect();
                rank(&mut found);
                found.truncate(self.options.max_per_chapter);
                found
            })
            .collect();
        for (slot, (uses, found)) in per_chapter.iter().zip(&found_by_chapter).enumerate() {
            for candidate in found {
                let chapter = &analysis.chapters[slot];
                let stem_uses = Uses::in_chapter(&analysis, uses, slot, candidate.stem);
                self.report(
                    manuscript,
                    &analysis,
                    &stem_uses,
                    candidate,
                    Some(chapter),
                    ctx,
                );
            }
        }
    }
}

/// Strongest first; ties by stem id keep the order stable.
fn rank(found: &mut [Candidate]) {
    found.sort_by(|a, b| {
        b.log_likelihood
            .total_cmp(&a.log_likelihood)
            .then(a.stem.cmp(&b.stem))
    });
}

/// How one word's uses fall over the chapters.
#[derive(Default)]
struct Spread {
    uses: usize,
    chapters: usize,
    /// The uses in the chapter that has most.
    most_in_one: usize,
}

impl Spread {
    /// Counts a chapter's `uses` (more than none) of the word.
    fn add(&mut self, uses: usize) {
        self.uses += uses;
        self.chapters += 1;
        self.most_in_one = self.most_in_one.max(uses);
    }

    /// A word that belongs to the whole book: at least `min_count` uses in
    /// at least two chapters, with no chapter holding more than half.
    fn is_whole_book(&self, min_count: usize) -> bool {
        self.uses >= min_count && self.chapters >= 2 && self.most_in_one * 2 <= self.uses
    }
}

/// Dunning's log-likelihood (G²) of `observed` uses in `words` words when
/// the expected rate is `p` per word.
fn log_likelihood(observed: f64, words: f64, p: f64) -> f64 {
    let expected = words * p;
    let term = |o: f64, e: f64| if o > 0.0 { o * (o / e).ln() } else { 0.0 };
    2.0 * (term(observed, expected) + term(words - observed, words - expected))
}

/// How often `term` is used in general English, per million words (the
/// frequency table's, or a floor for words it does not know).
fn background_per_million(analysis: &Analysis, term: u32) -> f64 {
    let zipf = analysis.terms[term as usize].zipf;
    if zipf > 0.0 {
        per_million(zipf)
    } else {
        FLOOR_PER_MILLION
    }
}

impl OverusedWord {
    /// Whether a word used `uses` times in `words` words, one of its forms
    /// `term`, may pass [`OverusedWord::test`]'s rate test: the count tested
    /// there is at most `uses` and the background at least this form's, so
    /// a word that fails here fails there. Most words used often enough
    /// are common words, and gathering their uses first was most of the
    /// check's time.
    fn may_be_frequent_enough(
        &self,
        analysis: &Analysis,
        term: u32,
        uses: usize,
        words: usize,
    ) -> bool {
        let background_at_least = background_per_million(analysis, term) / 1e6;
        let ratio_at_most = uses as f64 / words as f64 / background_at_least;
        // The full test's `<` turned about, to the letter: a ratio that
        // compares with nothing (NaN) is not turned away there either.
        ratio_at_most.partial_cmp(&self.options.min_ratio) != Some(std::cmp::Ordering::Less)
    }

    /// The countable uses in chapter slot `slot`, by word (stem), and the
    /// chapter's word count (narration only unless `dialogue`).
    fn chapter_uses(
        &self,
        analysis: &Analysis,
        in_phrases: &PhraseTokens,
        slot: usize,
    ) -> (ChapterUses, usize) {
        let dialogue = self.options.dialogue;
        let chapter = &analysis.chapters[slot];
        let mut uses: ChapterUses = Vec::new();
        let mut words = 0;
        let mut covered = in_phrases.in_chapter(slot);
        for (index, token) in chapter.tokens.iter().enumerate() {
            if !dialogue && token.flags & super::IN_DIALOGUE != 0 {
                continue;
            }
            words += 1;
            if !analysis.is_countable(token, dialogue)
                || covered.contains(index)
                || in_compound(&chapter.tokens, index)
            {
                continue;
            }
            uses.push((analysis.term(token).stem_key, index as u32));
        }
        // Token indexes are unique: an unstable sort keeps each word's uses
        // in reading order. Compared as one `u64` (stem, then index), the
        // order of the pairs, for one comparison in place of two.
        uses.sort_unstable_by_key(|&(stem, index)| u64::from(stem) << 32 | u64::from(index));
        uses.shrink_to_fit();
        (uses, words)
    }

    fn test(&self, analysis: &Analysis, stem: u32, uses: &Uses, words: usize) -> Option<Candidate> {
        if uses.at.len() < self.options.min_count || words == 0 {
            return None;
        }
        let count = uses.at.len() - (self.busiest_stretch(analysis, uses) - 1);
        if count < self.options.min_count {
            return None;
        }
        let background_per_million: f64 = uses
            .forms
            .iter()
            .map(|&(term, _)| background_per_million(analysis, term))
            .sum();
        let p = background_per_million / 1e6;
        if count as f64 / words as f64 / p < self.options.min_ratio {
            return None;
        }
        let log_likelihood = log_likelihood(count as f64, words as f64, p);
        let candidate =
            (log_likelihood >= self.options.min_log_likelihood).then_some(Candidate {
                stem,
                count: uses.at.len(),
                rate: uses.at.len() as f64 / words as f64,
                background: p,
                log_likelihood,
            })?;
        // Last: the costliest test (see [`Uses::noun_like`]); the order of
        // the tests changes nothing but their cost.
        if !self.options.nouns && uses.noun_like(analysis) * 3 >= uses.at.len() {
            return None;
        }
        Some(candidate)
    }

    /// The most uses within any stretch of `clump-window` words.
    fn busiest_stretch(&self, analysis: &Analysis, uses: &Uses) -> usize {
        let position = |n: usize| {
            let (slot, index) = uses.at[n];
            let chapter = &analysis.chapters[slot as usize];
            chapter.base + chapter.tokens[index as usize].position
        };
        let mut best = 1;
        let mut first = 0;
        for last in 0..uses.at.len() {
            while position(last) - position(first) > self.options.clump_window {
                first += 1;
            }
            best = best.max(last - first + 1);
        }
        best
    }

    fn report(
        &self,
        manuscript: &Manuscript,
        analysis: &Analysis,
        uses: &Uses,
        candidate: &Candidate,
        chapter: Option<&ChapterTokens>,
        ctx: &mut RuleContext,
    ) {
        let mut forms = uses.forms.clone();
        forms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let shown: Vec<String> = forms
            .iter()
            .take(3)
            .map(|&(term, _)| format!("“{}”", analysis.terms[term as usize].text))
            .collect();
        let word = shown.join("/");
        let scope = if chapter.is_some() {
            "this chapter"
        } else {
            "the manuscript"
        };
        let message = format!(
            "{word} is used {} times in {scope} ({} per 10,000 words; ordinary prose: {})",
            candidate.count,
            per_10k(candidate.rate),
            per_10k(candidate.background),
        );
        let locate = |&(slot, index): &(u32, u32)| {
            let ch = &analysis.chapters[slot as usize];
            (ch.chapter, ch.span(manuscript, &ch.tokens[index as usize]))
        };
        let (first_chapter, first_span) = locate(&uses.at[0]);
        let facts = Facts::Overuse {
            words: forms
                .iter()
                .map(|&(term, _)| analysis.terms[term as usize].text.to_string())
                .collect(),
            count: candidate.count,
            per_10k: candidate.rate * 10_000.0,
            ordinary_per_10k: candidate.background * 10_000.0,
            chapter: chapter.is_some(),
        };
        let mut finding = Finding::new(first_chapter, first_span, message)
            .facts(facts)
            .label(format!("1 of {}", candidate.count));
        // Label the next uses: in a chapter, the following ones; in the
        // manuscript, the first use in each following chapter.
        let mut labelled = 0;
        let mut last_slot = uses.at[0].0;
        for (n, at) in uses.at.iter().enumerate().skip(1) {
            if labelled == MAX_LABELS {
                break;
            }
            if chapter.is_none() && at.0 == last_slot {
                continue;
            }
            last_slot = at.0;
            let (ch, span) = locate(at);
            finding = finding.related(Label::new(ch, span).with_message(format!(
                "{} of {}",
                n + 1,
                candidate.count
            )));
            labelled += 1;
        }
        // The uses not marked are counted, so none seems to be missing.
        let unmarked = candidate.count.saturating_sub(labelled + 1);
        let help = "cut it where it adds nothing and vary it elsewhere; add the word to `allow` \
                    if it is a deliberate motif";
        finding = match unmarked {
            0 => finding.help(help),
            1 => finding.help(format!("{help}; 1 more use is not marked here")),
            n => finding.help(format!("{help}; {n} more uses are not marked here")),
        };
        if super::invented::is_mostly_invented(manuscript, &finding) {
            return;
        }
        ctx.report(finding);
    }
}

/// Part of a hyphenated compound (“handling-machine”, “good-humoured”): the
/// compound names one thing, so its parts are not uses of the word.
fn in_compound(tokens: &[Token], index: usize) -> bool {
    tokens[index].flags & JOINED != 0
        || tokens
            .get(index + 1)
            .is_some_and(|next| next.flags & JOINED != 0)
}

/// A rate per word as a rate per 10,000 words, one decimal (two below 0.1,
/// and “<0.01” for rarer words than that).
fn per_10k(rate: f64) -> String {
    let value = rate * 10_000.0;
    if value >= 0.1 {
        format!("{value:.1}")
    } else if value >= 0.005 {
        format!("{value:.2}")
    } else {
        "<0.01".to_string()
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::echoes::fixture_tests::found;

    /// A chapter of `paragraphs` paragraphs of function words, with
    /// `sentence` added to every `every`-th one; `first` numbers them.
    fn chapter(first: usize, paragraphs: usize, every: usize, sentence: &str) -> String {
        (first..first + paragraphs)
            .map(|i| {
                // The number ends the first sentence, so that no run of
                // twelve words repeats (that would be a repeated passage,
                // left to repeated-sentence).
                if i % every == 0 {
                    format!("It was so, and it went to {i}. {sentence}\n\n")
                } else {
                    format!("It was {i}, and so it went on as it had.\n\n")
                }
            })
            .collect()
    }

    #[test]
    fn flags_a_crutch_word_spread_through_a_chapter() {
        let text = chapter(0, 40, 5, "It seemed to go on for ever.");
        let got = found("overused-word", "", &[("a.txt", &text)]);
        assert_eq!(
            got[0],
            "a.txt:1:33 “seemed” is used 8 times in this chapter (169.5 per 10,000 words; ordinary prose: 0.7)"
        );
        assert_eq!(got.len(), 5, "{got:#?}");
    }

    /// A narrator in dialect says its function words as often as any
    /// narrator says “did not” and “yes”: “dinnae”, “aye” and “nowt” are
    /// no crutch words.
    #[test]
    fn function_words_of_a_dialect_are_not_overused() {
        let lines = [
            "Aye, the bus was late again.",
            "I dinnae ken why she waited.",
            "Mam said nowt about it, aye.",
            "The driver dinnae look at us.",
            "Aye, and the rain came on.",
            "We dinnae have the fare home.",
            "She said nowt, and I said aye.",
            "They dinnae stop at the school.",
        ];
        let text: String = (0..40)
            .map(|i| match i % 4 {
                0 => format!("It was so, and it went to {i}. {}\n\n", lines[i / 4 % 8]),
                _ => format!("It was {i}, and so it went on as it had.\n\n"),
            })
            .collect();
        assert_eq!(
            found("overused-word", "", &[("a.txt", &text)]),
            Vec::<String>::new()
        );
    }

    /// The rate test at its edge: eight times the background is the
    /// default. The quick test before a word's uses are gathered
    /// (`may_be_frequent_enough`) must let the first through.
    #[test]
    fn the_rate_ratio_decides_at_its_edge() {
        // 20 uses in 18,980 words: 8.1 times the background.
        let text = chapter(0, 1720, 86, "He looked up at the sky.");
        let got = found("overused-word", "", &[("a.txt", &text)]);
        assert_eq!(
            got[0],
            "a.txt:1:33 “looked” is used 20 times in this chapter (10.5 per 10,000 words; ordinary prose: 1.3)"
        );
        assert_eq!(got.len(), 5, "{got:#?}");
        // 19 uses in 18,977 words: 7.8 times.
        let text = chapter(0, 1720, 91, "He looked up at the sky.");
        assert_eq!(
            found("overused-word", "", &[("a.txt", &text)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn thresholds_that_compare_with_nothing_are_refused() {
        let registry = crate::rules::Registry::builtin();
        let refused = |id: &str, options: &str| {
            let rule = registry.get(id).expect("a rule");
            let config = crate::config::Config::default();
            let options: toml::Table = options.parse().expect("TOML");
            rule.build(&crate::rule::RuleSetup {
                options: &options,
                config: &config,
            })
            .err()
        };
        let cases = [
            ("overused-word", "min-ratio = nan", "`min-ratio`", "NaN"),
            ("overused-word", "min-ratio = -1.0", "`min-ratio`", "-1"),
            (
                "overused-word",
                "min-log-likelihood = -inf",
                "`min-log-likelihood`",
                "-inf",
            ),
            (
                "repeated-phrase",
                "topic-ratio = -inf",
                "`topic-ratio`",
                "-inf",
            ),
            (
                "repeated-phrase",
                "uncommon-below = nan",
                "`uncommon-below`",
                "NaN",
            ),
            (
                "word-echo",
                "uncommon-below = -0.5",
                "`uncommon-below`",
                "-0.5",
            ),
        ];
        for (id, options, option, value) in cases {
            assert_eq!(
                refused(id, options),
                Some(format!(
                    "{option} must be a number of 0 or more, not {value}"
                )),
                "{id}: {options}"
            );
        }
        for (id, options) in [
            ("overused-word", "min-ratio = 0.0\nmin-log-likelihood = inf"),
            ("repeated-phrase", "topic-ratio = inf\nuncommon-below = 5.0"),
            ("word-echo", "uncommon-below = 0.0"),
        ] {
            assert_eq!(refused(id, options), None, "{id}: {options}");
        }
    }

    #[test]
    fn damps_a_word_bunched_in_one_passage() {
        let mut text = chapter(0, 40, 100, "It seemed so.");
        text.push_str(
            "It seemed odd. It seemed wrong. It seemed late. It seemed cold. It seemed over.\n",
        );
        assert_eq!(
            found("overused-word", "", &[("a.txt", &text)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn nouns_only_when_asked() {
        let text = chapter(0, 40, 5, "It was the lantern.");
        assert_eq!(
            found("overused-word", "", &[("a.txt", &text)]),
            Vec::<String>::new()
        );
        let got = found("overused-word", "nouns = true", &[("a.txt", &text)]);
        assert_eq!(
            got[0],
            "a.txt:1:41 “lantern” is used 8 times in this chapter (178.6 per 10,000 words; ordinary prose: 0.04)"
        );
    }

    #[test]
    fn setting_nouns_after_prepositions_are_not_tics() {
        // “granite” is mostly the object of a preposition: the stuff of the
        // setting, a noun, not a habit.
        let text = chapter(0, 40, 5, "It was all of granite.");
        assert_eq!(
            found("overused-word", "", &[("a.txt", &text)]),
            Vec::<String>::new()
        );
        assert_eq!(
            found("overused-word", "nouns = true", &[("a.txt", &text)])[0],
            "a.txt:1:44 “granite” is used 8 times in this chapter (175.4 per 10,000 words; ordinary prose: 0.07)"
        );
    }

    /// A plural before its verb is the clause's subject, a noun (“the
    /// drovers shouted”, “the drovers stamping”): what the scene is about.
    #[test]
    fn subjects_before_their_verbs_are_nouns() {
        let text = chapter(0, 40, 5, "It was the drovers shouting.");
        assert_eq!(
            found("overused-word", "", &[("a.txt", &text)]),
            Vec::<String>::new()
        );
        let got = found("overused-word", "nouns = true", &[("a.txt", &text)]);
        assert!(
            got[0].contains("“drovers” is used 8 times in this chapter"),
            "{got:?}"
        );
    }

    #[test]
    fn words_of_a_place_name_are_not_tics() {
        // “Mire” in “Grimpen Mire” belongs to the name, though “mire” is
        // an ordinary word elsewhere in the book.
        let sentences = [
            "We walked out to the Grimpen Mire at dawn.",
            "Fog had hidden the Grimpen Mire from view.",
            "Nobody crosses the Grimpen Mire by night.",
            "A bittern called over the Grimpen Mire then.",
            "He had mapped the Grimpen Mire himself.",
            "She feared the Grimpen Mire more than anything.",
            "Rain swelled the Grimpen Mire that week.",
            "They skirted the Grimpen Mire with care.",
        ];
        let mut text: String = sentences
            .iter()
            .map(|s| format!("{s}\n\n{}\n\n", chapter(0, 4, 100, "")))
            .collect();
        text.push_str("It was only mire. All of it was mire.\n");
        assert_eq!(
            found("overused-word", "nouns = true", &[("a.txt", &text)]),
            Vec::<String>::new()
        );
    }

    /// A word that opens a sentence before a name (“Somehow Siobhan
    /// knew”) is no part of the name when the book writes it in lowercase
    /// and never capitalises it inside a sentence: every use counts.
    #[test]
    fn a_sentence_opener_before_a_name_still_counts() {
        let mut text = chapter(0, 40, 5, "Somehow it went on for ever.");
        text.push_str(
            "Somehow Siobhan knew it then.\n\nSiobhan went home, somehow.\n\n\
             Later Siobhan slept. Siobhan woke.\n",
        );
        let got = found("overused-word", "", &[("a.txt", &text)]);
        assert!(
            got[0].starts_with("a.txt:1:30 “somehow” is used 10 times in this chapter"),
            "{got:#?}"
        );
    }

    #[test]
    fn parts_of_compounds_are_not_uses() {
        let text = chapter(0, 40, 5, "It was a handling-machine at work.");
        assert_eq!(
            found("overused-word", "", &[("a.txt", &text)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn rates_per_ten_thousand_words() {
        assert_eq!(super::per_10k(0.0016), "16.0");
        assert_eq!(super::per_10k(0.000_006), "0.06");
        assert_eq!(super::per_10k(0.000_000_1), "<0.01");
    }

    #[test]
    fn spread_words_are_reported_once_for_the_manuscript() {
        let one = chapter(0, 30, 3, "It seemed to go on for ever.");
        let two = chapter(30, 30, 3, "It seemed to go on for ever.");
        let chapters = [("1.txt", one.as_str()), ("2.txt", two.as_str())];
        let got = found("overused-word", "", &chapters);
        assert_eq!(
            got[0],
            "1.txt:1:33 “seemed” is used 20 times in the manuscript (270.3 per 10,000 words; ordinary prose: 0.7)"
        );
        assert_eq!(got[1], "  + 2.txt:1:34 11 of 20");
        assert_eq!(got.len(), 2);
    }
}
