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

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;

use super::rule::Form;
use crate::text::{Manuscript, Span};

static HYPHENATED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\p{L}{2,})-(\p{L}{2,})\b").expect("static regex"));

type Places = Vec<(usize, Span)>;

pub fn learn(manuscript: &Manuscript) -> Vec<Vec<Form>> {
    // Pass 1: hyphenated compounds.
    let hyphenated: Vec<Vec<((String, String), Span)>> = manuscript
        .chapters
        .par_iter()
        .map(|chapter| {
            let prose = &chapter.prose;
            HYPHENATED
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
                .collect()
        })
        .collect();
    let mut hyphen_forms: HashMap<(String, String), Places> = HashMap::new();
    for (c, found) in hyphenated.into_iter().enumerate() {
        for (key, span) in found {
            hyphen_forms.entry(key).or_default().push((c, span));
        }
    }
    // The manuscript's vocabulary, for closed forms of open pairs.
    let vocabulary: HashSet<String> = manuscript
        .chapters
        .par_iter()
        .map(|chapter| {
            chapter
                .words
                .iter()
                .map(|w| chapter.prose_slice(*w))
                .filter(|w| w.len() >= 8 && w.chars().all(char::is_alphabetic))
                .map(str::to_lowercase)
                .collect::<HashSet<String>>()
        })
        .reduce(HashSet::new, |mut a, b| {
            a.extend(b);
            a
        });
    let closed_targets: HashSet<String> = hyphen_forms
        .keys()
        .map(|(a, b)| format!("{a}{b}"))
        .collect();
    let open_targets: HashSet<&(String, String)> = hyphen_forms.keys().collect();

    let closed_targets: HashSet<String> = closed_targets
        .into_iter()
        .chain(vocabulary.iter().cloned())
        .collect();
    // Pass 2: closed and open forms.
    type Found = (Vec<(String, Span)>, Vec<((String, String), Span)>);
    let found: Vec<Found> = manuscript
        .chapters
        .par_iter()
        .map(|chapter| {
            let mut closed = Vec::new();
            let mut open = Vec::new();
            for sentence in &chapter.sentences {
                let words = chapter.sentence_words(sentence);
                let lower: Vec<String> = words
                    .iter()
                    .map(|w| chapter.prose_slice(*w).to_lowercase())
                    .collect();
                for (i, word) in lower.iter().enumerate() {
                    if closed_targets.contains(word) {
                        closed.push((word.clone(), words[i]));
                    }
                    if i + 1 < lower.len() {
                        let gap =
                            &chapter.prose[words[i].end as usize..words[i + 1].start as usize];
                        if !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\n') {
                            let key = (word.clone(), lower[i + 1].clone());
                            let particle = PARTICLES.contains(&lower[i + 1].as_str());
                            if !particle && open_targets.contains(&key)
                                || open_pair(word, &lower[i + 1], &vocabulary)
                            {
                                open.push((
                                    key,
                                    Span::new(words[i].start as usize, words[i + 1].end as usize),
                                ));
                            }
                        }
                    }
                }
            }
            (closed, open)
        })
        .collect();
    let mut closed_forms: HashMap<String, Places> = HashMap::new();
    let mut open_forms: HashMap<(String, String), Places> = HashMap::new();
    for (c, (closed, open)) in found.into_iter().enumerate() {
        for (key, span) in closed {
            closed_forms.entry(key).or_default().push((c, span));
        }
        for (key, span) in open {
            open_forms.entry(key).or_default().push((c, span));
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

/// “look out” (a verb) is not a spelling of “lookout” (a noun).
const PARTICLES: &[&str] = &[
    "out", "up", "down", "off", "over", "back", "away", "in", "on", "by", "about", "through",
];

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

/// Two words that the manuscript also writes closed up: “sound stage” when
/// “soundstage” is used somewhere.
fn open_pair(first: &str, second: &str, vocabulary: &HashSet<String>) -> bool {
    first.len() >= 4
        && second.len() >= 4
        && first.chars().all(char::is_alphabetic)
        && second.chars().all(char::is_alphabetic)
        && !NOT_COMPOUND_PARTS.contains(&first)
        && !NOT_COMPOUND_PARTS.contains(&second)
        && vocabulary.contains(&format!("{first}{second}"))
}
