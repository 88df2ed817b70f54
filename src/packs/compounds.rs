//! Compound words the manuscript itself spells more than one way: “sound
//! stage”, “sound-stage”, “soundstage”. Learned from the text: every
//! hyphenated compound is a candidate, and its closed (“soundstage”) and
//! open (“sound stage”) forms are looked up in the same manuscript.
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
    if hyphen_forms.is_empty() {
        return Vec::new();
    }
    let closed_targets: HashSet<String> = hyphen_forms
        .keys()
        .map(|(a, b)| format!("{a}{b}"))
        .collect();
    let open_targets: HashSet<&(String, String)> = hyphen_forms.keys().collect();

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
                            if open_targets.contains(&key) {
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
    let mut keys: Vec<&(String, String)> = hyphen_forms.keys().collect();
    keys.sort();
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
                places: hyphen_forms[key].clone(),
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
