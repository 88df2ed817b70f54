//! Compound words the manuscript itself spells more than one way: “sound
//! stage”, “sound-stage”, “soundstage”. Learned from the text: every
//! hyphenated compound is a candidate, and its closed (“soundstage”) and
//! open (“sound stage”) forms are looked up in the same manuscript.
//!
//! Open and closed forms are also paired without a hyphenated one (“sound
//! stage” / “soundstage”) when both parts have four letters or more and
//! neither is a function word (“some time” / “sometime”, “every one” /
//! “everyone” differ in meaning).
//!
//! A group counts only when the closed form is among the spellings used:
//! “a well-known man” / “he is well known” is correct hyphenation of a
//! modifier, not a spelling variant, and “wellknown” is never written.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock};

use rayon::prelude::*;
use regex::Regex;

use super::rule::Form;
use crate::text::{Chapter, Manuscript, Span};

static HYPHENATED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\p{L}{2,})-(\p{L}{2,})\b").expect("static regex"));

type Places = Vec<(usize, Span)>;

/// What [`learn`] needs from one chapter, derived from it alone and kept
/// with it (see [`Chapter::memo`]), so that re-learning after an edit in a
/// language server reads the edited chapter again and only merges the rest.
struct ChapterWords {
    /// Hyphenated compounds: the two parts in lower case, and where.
    hyphenated: Vec<((String, String), Span)>,
    /// Lower-cased word → its indices in [`Chapter::words`], ascending.
    index: HashMap<Box<str>, Vec<u32>>,
    /// For each word: whether it and the next are in one sentence with only
    /// spaces or line breaks between them (an open compound's shape).
    joins_next: Vec<bool>,
    /// The words `i` (with `i + 1`) that could be an open form of a closed
    /// word: both parts four letters or more, neither a function word.
    open_candidates: Vec<u32>,
}

impl ChapterWords {
    fn build(chapter: &Chapter) -> ChapterWords {
        let prose = &chapter.prose;
        let hyphenated = HYPHENATED
            .captures_iter(prose)
            .filter_map(|caps| {
                let whole = caps.get(0)?;
                let before = prose[..whole.start()].chars().next_back();
                let after = prose[whole.end()..].chars().next();
                if before == Some('-') || after == Some('-') {
                    return None; // three-part compound or a `--` dash
                }
                let key = (caps[1].to_lowercase(), caps[2].to_lowercase());
                Some((key, Span::new(whole.start(), whole.end())))
            })
            .collect();
        let lower: Vec<Cow<str>> = chapter
            .words
            .iter()
            .map(|w| lowercase(chapter.prose_slice(*w)))
            .collect();
        let mut index: HashMap<Box<str>, Vec<u32>> = HashMap::new();
        for (i, word) in lower.iter().enumerate() {
            match index.get_mut(word.as_ref()) {
                Some(places) => places.push(i as u32),
                None => {
                    index.insert(Box::from(word.as_ref()), vec![i as u32]);
                }
            }
        }
        let mut joins_next = vec![false; lower.len()];
        for sentence in &chapter.sentences {
            let (start, end) = (sentence.words.start as usize, sentence.words.end as usize);
            for i in start..end.saturating_sub(1) {
                let gap =
                    &prose[chapter.words[i].end as usize..chapter.words[i + 1].start as usize];
                joins_next[i] = !gap.is_empty() && gap.bytes().all(|c| c == b' ' || c == b'\n');
            }
        }
        let open_candidates = (0..lower.len().saturating_sub(1))
            .filter(|&i| joins_next[i] && open_shape(&lower[i], &lower[i + 1]))
            .map(|i| i as u32)
            .collect();
        ChapterWords {
            hyphenated,
            index,
            joins_next,
            open_candidates,
        }
    }
}

/// Groups of spellings of one compound (open, hyphenated, closed: the ones
/// the manuscript uses, at least two with the closed one among them), each
/// with its places as (chapter index, span), in reading order.
pub fn learn(manuscript: &Manuscript) -> Vec<Vec<Form>> {
    let words: Vec<Arc<ChapterWords>> = manuscript
        .chapters
        .par_iter()
        .map(|chapter| chapter.memo("compounds/words", ChapterWords::build))
        .collect();
    // Pass 1: hyphenated compounds.
    let mut hyphen_forms: HashMap<(String, String), Places> = HashMap::new();
    for (c, found) in words.iter().enumerate() {
        for (key, span) in &found.hyphenated {
            hyphen_forms
                .entry(key.clone())
                .or_default()
                .push((c, *span));
        }
    }
    // The manuscript's vocabulary, for closed forms of open pairs.
    let mut vocabulary: HashSet<&str> = HashSet::new();
    for found in &words {
        vocabulary.extend(
            found
                .index
                .keys()
                .filter(|w| w.len() >= 8 && w.chars().all(char::is_alphabetic))
                .map(|w| &**w),
        );
    }

    // Pass 2: open forms — of the hyphenated compounds, and of closed words
    // the manuscript uses.
    let found: Vec<Vec<((String, String), Span)>> = manuscript
        .chapters
        .par_iter()
        .zip(&words)
        .map(|(chapter, found)| {
            let mut at: Vec<u32> = Vec::new();
            for (first, second) in hyphen_forms.keys() {
                if PARTICLES.contains(&second.as_str()) {
                    continue;
                }
                for &i in found
                    .index
                    .get(first.as_str())
                    .map_or(&[][..], Vec::as_slice)
                {
                    let i = i as usize;
                    if found.joins_next[i]
                        && lowercase(chapter.prose_slice(chapter.words[i + 1])) == second.as_str()
                    {
                        at.push(i as u32);
                    }
                }
            }
            let mut joined = String::new();
            for &i in &found.open_candidates {
                let (first, second) = pair_at(chapter, i as usize);
                joined.clear();
                joined.push_str(&first);
                joined.push_str(&second);
                if vocabulary.contains(joined.as_str()) {
                    at.push(i);
                }
            }
            at.sort_unstable();
            at.dedup();
            at.into_iter()
                .map(|i| {
                    let i = i as usize;
                    let (first, second) = pair_at(chapter, i);
                    let span = Span::new(
                        chapter.words[i].start as usize,
                        chapter.words[i + 1].end as usize,
                    );
                    ((first.into_owned(), second.into_owned()), span)
                })
                .collect()
        })
        .collect();
    let mut open_forms: HashMap<(String, String), Places> = HashMap::new();
    for (c, open) in found.into_iter().enumerate() {
        for (key, span) in open {
            open_forms.entry(key).or_default().push((c, span));
        }
    }

    // Pass 3: closed forms, of the hyphenated and open pairs only.
    let closed_targets: HashSet<String> = hyphen_forms
        .keys()
        .chain(open_forms.keys())
        .map(|(a, b)| format!("{a}{b}"))
        .collect();
    let mut closed_forms: HashMap<String, Places> = HashMap::new();
    for (c, (chapter, found)) in manuscript.chapters.iter().zip(&words).enumerate() {
        for target in &closed_targets {
            for &i in found
                .index
                .get(target.as_str())
                .map_or(&[][..], Vec::as_slice)
            {
                closed_forms
                    .entry(target.clone())
                    .or_default()
                    .push((c, chapter.words[i as usize]));
            }
        }
    }

    let mut groups = Vec::new();
    let mut keys: Vec<&(String, String)> = hyphen_forms.keys().chain(open_forms.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let (a, b) = key;
        let closed_key = format!("{a}{b}");
        let Some(closed) = closed_forms.get(&closed_key) else {
            continue;
        };
        let mut forms = vec![
            Form {
                key: 0,
                text: format!("{a} {b}"),
                places: open_forms.get(key).cloned().unwrap_or_default(),
            },
            Form {
                key: 1,
                text: format!("{a}-{b}"),
                places: hyphen_forms.get(key).cloned().unwrap_or_default(),
            },
            Form {
                key: 2,
                text: closed_key,
                places: closed.clone(),
            },
        ];
        forms.retain(|f| !f.places.is_empty());
        groups.push(forms);
    }
    groups
}

/// Word `i` and the next, in lower case.
fn pair_at(chapter: &Chapter, i: usize) -> (Cow<'_, str>, Cow<'_, str>) {
    (
        lowercase(chapter.prose_slice(chapter.words[i])),
        lowercase(chapter.prose_slice(chapter.words[i + 1])),
    )
}

/// “look out” (a verb) is not a spelling of “lookout” (a noun).
const PARTICLES: &[&str] = &[
    "out", "up", "down", "off", "over", "back", "away", "in", "on", "by", "about", "through",
];

/// `word` in lower case, borrowed when it already is (most words are).
fn lowercase(word: &str) -> Cow<'_, str> {
    let has_upper = match word.is_ascii() {
        true => word.bytes().any(|b| b.is_ascii_uppercase()),
        false => word.chars().any(char::is_uppercase),
    };
    match has_upper {
        true => Cow::Owned(word.to_lowercase()),
        false => Cow::Borrowed(word),
    }
}

/// [`NOT_COMPOUND_PARTS`] as a set: it is asked about most word pairs.
static NOT_COMPOUND: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| NOT_COMPOUND_PARTS.iter().copied().collect());

/// Function words whose open and closed forms differ in meaning.
#[rustfmt::skip]
const NOT_COMPOUND_PARTS: &[&str] = &[
    "some", "every", "each", "none", "what", "when", "where", "there", "here", "over", "under",
    "with", "into", "onto", "upon", "down", "back", "ever", "never", "more", "most", "such",
    "your", "their", "them", "they", "this", "that", "these", "those", "than", "then", "else",
    "other", "self", "selves", "time", "times", "thing", "things", "body", "while", "ways",
    "wise", "side", "less", "after", "before", "fore", "ward", "wards", "about", "along",
    "anything", "nothing", "something", "everything", "where", "whom", "whose", "which",
    "within", "without", "from", "have", "been", "were", "will", "would", "could", "should",
    "shall", "might", "must", "also", "only", "just", "very", "much", "many", "long", "good",
    "well", "ever", "evermore", "more", "less", "once", "twice", "half", "whole", "like",
];

/// Two words that could be an open form of one closed word: four letters
/// or more each, letters only, neither a function word. (“sound stage” is
/// one when the manuscript also writes “soundstage”.)
fn open_shape(first: &str, second: &str) -> bool {
    first.len() >= 4
        && second.len() >= 4
        && first.chars().all(char::is_alphabetic)
        && second.chars().all(char::is_alphabetic)
        && !NOT_COMPOUND.contains(first)
        && !NOT_COMPOUND.contains(second)
}
