//! The help text of a duplicate: what differs between two copies, sentence
//! by sentence. Sentences are paired first (equal ones by a diff of the
//! sentence sequence, changed ones in order inside each replaced stretch),
//! then each pair gets a word-level diff. A flat diff of two paragraphs would
//! pair words across sentence boundaries and read as noise.

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::{sequence_hash, word_hash};
use crate::text::{Chapter, Span};

/// One sentence of a copy, limited to the part inside the shared span.
struct Sent<'c> {
    words: Vec<&'c str>,
    hashes: Vec<u64>,
}

/// The sentences overlapping `span`. Sentences are in text order, so a
/// binary search finds the first; the cost is that of the copy, not of the
/// chapter.
fn sentences_in<'c>(chapter: &'c Chapter, span: Span) -> Vec<Sent<'c>> {
    let first = chapter
        .sentences
        .partition_point(|s| s.span.end <= span.start);
    chapter.sentences[first..]
        .iter()
        .take_while(|s| s.span.start < span.end)
        .filter_map(|s| {
            let words: Vec<&str> = chapter
                .sentence_words(s)
                .iter()
                .filter(|w| w.start >= span.start && w.end <= span.end)
                .map(|&w| chapter.slice(w))
                .collect();
            let hashes: Vec<u64> = words.iter().map(|w| word_hash(w)).collect();
            (!words.is_empty()).then_some(Sent { words, hashes })
        })
        .collect()
}

/// Word similarity of two sentences (0–1).
fn ratio(a: &Sent, b: &Sent) -> f64 {
    let matched: usize = capture_diff_slices(Algorithm::Myers, &a.hashes, &b.hashes)
        .iter()
        .map(|op| op.as_tag_tuple())
        .filter(|(tag, _, _)| *tag == DiffTag::Equal)
        .map(|(_, old, _)| old.len())
        .sum();
    2.0 * matched as f64 / (a.words.len() + b.words.len()) as f64
}

/// Unchanged stretches longer than this are shortened to their ends.
const CONTEXT: usize = 3;

fn push_equal(out: &mut Vec<String>, words: &[&str], first: bool, last: bool) {
    if words.len() <= 2 * CONTEXT + 1 {
        out.extend(words.iter().map(|w| w.to_string()));
        return;
    }
    if !first {
        out.extend(words[..CONTEXT].iter().map(|w| w.to_string()));
    }
    out.push("…".to_string());
    if !last {
        out.extend(words[words.len() - CONTEXT..].iter().map(|w| w.to_string()));
    }
}

/// `old` → `new` as one line: `a [-telephone-] {+utility+} pole`.
fn word_diff(old: &Sent, new: &Sent) -> String {
    let ops = capture_diff_slices(Algorithm::Myers, &old.hashes, &new.hashes);
    let mut out = Vec::new();
    let count = ops.len();
    for (i, op) in ops.iter().enumerate() {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => push_equal(&mut out, &new.words[n], i == 0, i + 1 == count),
            DiffTag::Delete => out.push(format!("[-{}-]", old.words[o].join(" "))),
            DiffTag::Insert => out.push(format!("{{+{}+}}", new.words[n].join(" "))),
            DiffTag::Replace => {
                out.push(format!("[-{}-]", old.words[o].join(" ")));
                out.push(format!("{{+{}+}}", new.words[n].join(" ")));
            }
        }
    }
    out.join(" ")
}

/// The lines of the help text describing how `new` differs from `old`.
/// Empty when every word is the same.
pub fn describe(old_chapter: &Chapter, old: Span, new_chapter: &Chapter, new: Span) -> Vec<String> {
    let old = sentences_in(old_chapter, old);
    let new = sentences_in(new_chapter, new);
    let old_keys: Vec<u64> = old.iter().map(|s| sequence_hash(&s.hashes)).collect();
    let new_keys: Vec<u64> = new.iter().map(|s| sequence_hash(&s.hashes)).collect();
    let mut lines = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        let (olds, news) = (&old[o], &new[n]);
        // Pair each new sentence with the most similar old one still
        // unpaired after the last pair, keeping the order of both.
        let mut next_old = 0;
        for b in news {
            let best = (next_old..olds.len())
                .map(|k| (k, ratio(&olds[k], b)))
                .max_by(|x, y| x.1.total_cmp(&y.1))
                .filter(|&(_, r)| r >= 0.3);
            match best {
                Some((k, _)) => {
                    for a in &olds[next_old..k] {
                        lines.push(format!("- {}", a.words.join(" ")));
                    }
                    lines.push(format!("~ {}", word_diff(&olds[k], b)));
                    next_old = k + 1;
                }
                None => lines.push(format!("+ {}", b.words.join(" "))),
            }
        }
        for a in &olds[next_old..] {
            lines.push(format!("- {}", a.words.join(" ")));
        }
    }
    lines
}

#[cfg(test)]
mod tests {

    use super::*;

    use crate::testing::plain_chapter as chapter;

    #[test]
    fn pairs_sentences_then_diffs_words() {
        let old = chapter(
            "The red door stood open all night long. Nobody came. She waited by the window until dawn broke over the hills.",
        );
        let new = chapter(
            "The blue door stood open all night long. Nobody came. A cat slept. She waited by the window until dawn broke over the town.",
        );
        let all = |c: &Chapter| Span::new(0, c.text.len());
        assert_eq!(
            describe(&old, all(&old), &new, all(&new)),
            vec![
                "~ The [-red-] {+blue+} door stood open all night long".to_string(),
                "+ A cat slept".to_string(),
                "~ … broke over the [-hills-] {+town+}".to_string(),
            ]
        );
    }
}
