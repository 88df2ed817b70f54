use super::{
    DuplicatePair, MatchKind, ParagraphRef, Params, Settings, configured_settings, diff,
    list_places, shared_duplicates, word_hash,
};
use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;

use crate::declare_rule;
use crate::diagnostic::{Facts, Finding, Label};
use crate::rule::{IndependentAnalysis, Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::suppress::Silenced;
use crate::text::{Manuscript, Span};

declare_rule! {
    /// ## What it does
    /// Finds paragraphs that repeat another paragraph anywhere in the
    /// manuscript, in the same chapter or another one:
    /// - exact copies (ignoring case, line breaks, straight or curly quotes,
    ///   dashes and other punctuation);
    /// - edited copies, with up to about 30% of the words changed, inserted
    ///   or deleted;
    /// - a paragraph that sits (nearly) whole inside a longer one;
    /// - two paragraphs that share a run of two or more sentences.
    ///
    /// The finding points at the later copy and shows the earlier one (with
    /// its own snippet when it is in another file). The help lists what
    /// differs, sentence by sentence: `[-old words-] {+new words+}`, with
    /// `+`/`-` for a sentence only one copy has. Three or more copies of one
    /// paragraph are one finding that lists every copy, however many there
    /// are (“this paragraph appears 25 times”).
    ///
    /// Short or plain paragraphs never count: “Yes.”, “She nodded.”, scene
    /// breaks and headings are below the minimum size, and a 3-word phrase
    /// found in many paragraphs (“at the same time”) is no evidence of
    /// copying. Nor is a block quote set as a few short lines, each opening
    /// with a capital, a digit or a mark, that end no sentence but the last
    /// (`> Regards,⏎> Martin Feld⏎> Partner, …`): a
    /// letter's or an email's sign-off, letterhead or address, or a quoted
    /// stanza, which a story quoting its documents repeats on purpose.
    ///
    /// ## Why
    /// Revising leaves old versions behind: a paragraph rewritten while the
    /// first version stayed in, a passage pasted into two chapters. Readers
    /// notice at once; spell and grammar checkers never do.
    ///
    /// ## Example
    /// ```text
    /// chapter-02.txt:  The estate sale sign was still stapled to a telephone pole …
    /// chapter-02.txt:  The estate sale sign was still stapled to a utility pole …
    ///                  ← flagged: 86% of this paragraph repeats chapter-02.txt:5
    /// ```
    ///
    /// ## Options
    /// - `min-words` (default 15): shorter paragraphs are never compared.
    /// - `min-rare-words` (default 2): paragraphs with fewer rare words
    ///   (words less common than about 30 per million in English, names and
    ///   invented words included) are never compared.
    /// - `min-similarity` (default 0.66): word-level similarity, 0–1, from
    ///   which two paragraphs are copies (0.66 ≈ a third of the words edited).
    /// - `min-containment` (default 0.8): share of the shorter paragraph that
    ///   must sit in the longer one.
    /// - `max-shingle-paragraphs` (default 20): a run of three words found in
    ///   more paragraphs than this is a stock phrase and ignored. (Exact
    ///   copies of one paragraph count once here, so pasting a paragraph
    ///   many times never hides it.)
    /// - `allow` (list): paragraphs or sentences repeated on purpose (an
    ///   epigraph at the head of each part, a refrain); a copy whose words
    ///   all lie inside an entry is not reported, nor two paragraphs that
    ///   are copies only by the entries they share (a refrain closing two
    ///   short paragraphs is taken out of both, and the rest compared).
    ///   Compared as copies are: case, quotes and punctuation aside.
    ///
    /// A directive that turns the rule off on any copy of a repeat
    /// (`manulint-disable-next duplicate-paragraph` before the first
    /// epigraph) marks the whole repeat deliberate: none of its copies is
    /// reported.
    pub static META = {
        id: "duplicate-paragraph",
        category: Repetition,
        severity: Error,
        scope: Manuscript,
        summary: "A paragraph that repeats another one, exactly or nearly",
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

struct DuplicateParagraph {
    /// Both duplicate rules' settings: the shared detection's key.
    settings: Settings,
}

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    let params: Params = setup.options()?;
    if !(0.0..=1.0).contains(&params.min_similarity)
        || !(0.0..=1.0).contains(&params.min_containment)
    {
        return Err("`min-similarity` and `min-containment` must be between 0 and 1".to_string());
    }
    let settings = Settings {
        paragraphs: params,
        ..configured_settings(setup.config)
    };
    Ok(Box::new(DuplicateParagraph { settings }))
}

/// `chapter-03.md:41` (`book.docx:¶214 (Chapter 7)` in a Word chapter).
fn place(manuscript: &Manuscript, chapter: usize, span: Span) -> String {
    manuscript.chapter(chapter).place(span.start as usize)
}

fn percent(share: f64) -> u32 {
    (share * 100.0).floor().clamp(0.0, 100.0) as u32
}

impl Rule for DuplicateParagraph {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn analysis_family(&self) -> Option<&'static str> {
        Some(crate::rule::family::DUPLICATES)
    }

    fn independent_analyses(&self) -> Vec<IndependentAnalysis<'_>> {
        vec![super::detection_analysis(&self.settings)]
    }

    fn prepare(&self, manuscript: &Manuscript) {
        shared_duplicates(manuscript, &self.settings);
    }

    fn release_analyses(&self, manuscript: &Manuscript) {
        super::release_duplicates(manuscript, &self.settings);
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        let detection = shared_duplicates(manuscript, &self.settings);
        let found = &detection.found;
        let params = &self.settings.paragraphs;
        let deliberate = Deliberate::new(manuscript, &params.allow);
        // One finding per later paragraph: its strongest match is the
        // message, other earlier paragraphs it repeats are extra labels.
        let mut rest = found.pairs.as_slice();
        while let Some(first) = rest.first() {
            let n = rest.iter().take_while(|p| p.later == first.later).count();
            let (same, tail) = rest.split_at(n);
            rest = tail;
            let same: Vec<&DuplicatePair> = same
                .iter()
                .filter(|p| {
                    let copies = [
                        (p.earlier.chapter, p.earlier_shared),
                        (p.later.chapter, p.later_shared),
                    ];
                    !deliberate.any(manuscript, &copies)
                        && !deliberate.only_by_refrains(manuscript, &copies, params)
                })
                .collect();
            let Some(&first) = same.first() else {
                continue;
            };
            let main = same
                .iter()
                .min_by_key(|p| (strength(p.kind), p.earlier))
                .copied()
                .unwrap_or(first);
            let mut finding = pair_finding(manuscript, main);
            for other in same.iter().filter(|p| p.earlier != main.earlier) {
                let at = place(manuscript, other.earlier.chapter, other.earlier_shared);
                finding.message.push_str(&format!(
                    "; {}% of it also repeats {at}",
                    percent(other.later_share)
                ));
                finding = finding.related(
                    Label::new(other.earlier.chapter, other.earlier_shared)
                        .with_message("also written here"),
                );
            }
            ctx.report(finding);
        }
        for group in &found.groups {
            let copies: Vec<(usize, Span)> =
                group.members.iter().map(|m| (m.chapter, m.span)).collect();
            if deliberate.any(manuscript, &copies) {
                continue;
            }
            let Some((last, earlier)) = group.members.split_last() else {
                continue;
            };
            ctx.report(group_finding(manuscript, *last, earlier, group.similarity));
        }
    }
}

/// What marks a repeat as deliberate: a directive turning the rule off on
/// any of its copies (on the first epigraph as well as the last), or every
/// word of a copy lying inside an `allow` entry.
struct Deliberate {
    silenced: Silenced,
    /// The `allow` entries as word hashes, compared as the detection
    /// compares words (case, quotes and punctuation aside).
    refrains: Vec<Vec<u64>>,
}

impl Deliberate {
    fn new(manuscript: &Manuscript, allow: &[String]) -> Deliberate {
        Deliberate {
            silenced: Silenced::new(manuscript, &META.id),
            refrains: allow
                .iter()
                .map(|entry| entry.unicode_words().map(word_hash).collect::<Vec<u64>>())
                .filter(|words| !words.is_empty())
                .collect(),
        }
    }

    /// Whether the repeat with these copies (chapter index, repeated text)
    /// was made on purpose.
    fn any(&self, manuscript: &Manuscript, copies: &[(usize, Span)]) -> bool {
        copies
            .iter()
            .any(|&(chapter, span)| self.silenced.at(chapter, span.start))
            || copies.iter().any(|&(chapter, span)| {
                self.is_refrain(manuscript.chapter(chapter).prose_slice(span))
            })
    }

    /// Whether two paragraphs are copies only by the `allow` entries they
    /// share: with every run of an entry's words taken out of both (a
    /// refrain closing a paragraph), the rest is no copy by the rule's
    /// measures (`params`), the word-level similarity and the share of the
    /// shorter in the longer, each counted on a diff of the words left.
    fn only_by_refrains(
        &self,
        manuscript: &Manuscript,
        [(chapter_a, a), (chapter_b, b)]: &[(usize, Span); 2],
        params: &Params,
    ) -> bool {
        if self.refrains.is_empty() {
            return false;
        }
        let words = |chapter: usize, span: Span| -> Vec<u64> {
            let text = manuscript.chapter(chapter).prose_slice(span);
            text.unicode_words().map(word_hash).collect()
        };
        let (a, b) = (words(*chapter_a, *a), words(*chapter_b, *b));
        let (rest_a, rest_b) = (self.without_refrains(&a), self.without_refrains(&b));
        if rest_a.len() == a.len() && rest_b.len() == b.len() {
            return false;
        }
        let (la, lb) = (rest_a.len(), rest_b.len());
        if la == 0 || lb == 0 {
            return true;
        }
        let matched: usize =
            similar::capture_diff_slices(similar::Algorithm::Myers, &rest_a, &rest_b)
                .iter()
                .filter(|op| op.tag() == similar::DiffTag::Equal)
                .map(|op| op.old_range().len())
                .sum();
        let similarity = 2.0 * matched as f64 / (la + lb) as f64;
        similarity < params.min_similarity
            && (matched as f64) < params.min_containment * la.min(lb) as f64
    }

    /// `words` with every run of an `allow` entry's words taken out.
    fn without_refrains(&self, words: &[u64]) -> Vec<u64> {
        let mut rest = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            let refrain = self
                .refrains
                .iter()
                .filter(|r| words[i..].starts_with(r))
                .map(Vec::len)
                .max();
            match refrain {
                Some(len) => i += len,
                None => {
                    rest.push(words[i]);
                    i += 1;
                }
            }
        }
        rest
    }

    /// Whether every word of `text` lies, in order, inside an `allow` entry.
    fn is_refrain(&self, text: &str) -> bool {
        if self.refrains.is_empty() {
            return false;
        }
        let words: Vec<u64> = text.unicode_words().map(word_hash).collect();
        !words.is_empty()
            && self.refrains.iter().any(|refrain| {
                words.len() <= refrain.len()
                    && refrain.windows(words.len()).any(|w| w == words.as_slice())
            })
    }
}

/// Lower is stronger.
fn strength(kind: MatchKind) -> u8 {
    match kind {
        MatchKind::Exact => 0,
        MatchKind::Edited => 1,
        MatchKind::Contained => 2,
        MatchKind::SharedSentences => 3,
    }
}

fn pair_finding(manuscript: &Manuscript, pair: &DuplicatePair) -> Finding {
    let earlier = place(manuscript, pair.earlier.chapter, pair.earlier_shared);
    let (message, label) = match pair.kind {
        MatchKind::Exact => (
            format!("100% of this paragraph repeats {earlier} (an exact copy)"),
            "copy",
        ),
        MatchKind::Edited => (
            format!(
                "{}% of this paragraph repeats {earlier} (an edited copy)",
                percent(pair.similarity)
            ),
            "edited copy",
        ),
        MatchKind::Contained if pair.later_share >= pair.earlier_share => (
            format!(
                "{}% of this paragraph repeats {earlier}, inside a longer paragraph",
                percent(pair.later_share)
            ),
            "contained in the earlier paragraph",
        ),
        MatchKind::Contained => (
            format!(
                "{}% of this paragraph repeats {earlier}, which it contains",
                percent(pair.later_share)
            ),
            "the earlier paragraph again",
        ),
        MatchKind::SharedSentences => (
            format!(
                "{}% of this paragraph repeats {earlier}: the same sentences in a row",
                percent(pair.later_share)
            ),
            "repeated sentences",
        ),
    };
    let old = manuscript.chapter(pair.earlier.chapter);
    let new = manuscript.chapter(pair.later.chapter);
    let changes = diff::describe(old, pair.earlier_shared, new, pair.later_shared);
    const EXACT: &str = "the copies are the same word for word; delete one of them, or mark the repeat as deliberate (an epigraph, a refrain): list it under `allow` in `[rules.duplicate-paragraph]`, or put `manulint-disable-next duplicate-paragraph` before any copy";
    let mut help: Cow<'static, str> = match pair.kind {
        MatchKind::Exact => EXACT.into(),
        MatchKind::SharedSentences => {
            "the marked sentences appear in both paragraphs; keep them in one".into()
        }
        _ => {
            // Word diffs read as git's; the key is given, for writers who
            // have not met them.
            format!(
                "keep one version; what changed since {earlier}, sentence by sentence (words [-cut-] and {{+added+}}; a line marked + or - is a sentence only one copy has, ~ one changed):"
            )
            .into()
        }
    };
    if changes.is_empty() {
        help = match pair.kind {
            MatchKind::Contained => format!(
                "the shorter paragraph sits word for word inside the longer one ({earlier} is the first); delete one of the copies"
            ).into(),
            MatchKind::SharedSentences => help,
            _ => EXACT.into(),
        };
    }
    for line in changes {
        let help = help.to_mut();
        help.push_str("\n  ");
        help.push_str(&line);
    }
    Finding::new(pair.later.chapter, pair.later_shared, message)
        .label(label)
        .help(help)
        .related(
            Label::new(pair.earlier.chapter, pair.earlier_shared)
                .with_message("first written here"),
        )
        .facts(Facts::Copies { count: 2 })
}

fn group_finding(
    manuscript: &Manuscript,
    last: ParagraphRef,
    earlier: &[ParagraphRef],
    similarity: f64,
) -> Finding {
    let places: Vec<String> = earlier
        .iter()
        .map(|r| place(manuscript, r.chapter, r.span))
        .collect();
    let message = format!(
        "this paragraph appears {} times: {}% of it repeats {}",
        earlier.len() + 1,
        percent(similarity),
        list_places(&places)
    );
    let mut help = "keep one copy and delete the others, or mark the repeat as deliberate (an epigraph, a refrain): list it under `allow` in `[rules.duplicate-paragraph]`, or put `manulint-disable-next duplicate-paragraph` before any copy".to_string();
    let new = manuscript.chapter(last.chapter);
    for (r, at) in earlier.iter().zip(&places) {
        let changes = diff::describe(manuscript.chapter(r.chapter), r.span, new, last.span);
        if !changes.is_empty() {
            help.push_str(&format!("\nwhat changed since {at}:"));
            for line in changes {
                help.push_str("\n  ");
                help.push_str(&line);
            }
        }
    }
    let mut finding = Finding::new(last.chapter, last.span, message)
        .label("copy")
        .help(help)
        .facts(Facts::Copies {
            count: earlier.len() + 1,
        });
    for (i, r) in earlier.iter().enumerate() {
        let text = if i == 0 {
            "first written here"
        } else {
            "another copy"
        };
        finding = finding.related(Label::new(r.chapter, r.span).with_message(text));
    }
    finding
}
