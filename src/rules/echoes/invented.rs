//! Sentences in an invented language: a chant, a spell, a line of a
//! fantasy novel's conlang (“Vael'tharin osse, vael'tharin dun.”). Their
//! words are not the book's prose, and their repetition is the language's
//! or the ritual's, not the writer's slip: the echo rules report no echo,
//! repeated phrase or overused word with a place in one.
//!
//! A sentence is taken for one when it has at least [`MIN_WORDS`] words,
//! none of them an everyday word of the chapter's language (Zipf
//! [`EVERYDAY_ZIPF`] or more: “the”, “and”, “of”, “she”; every sentence of
//! prose has some), and at least half of them are words the language's
//! frequency table does not hold at all. Rare English words are often
//! missing from the table too (“clanked”, “pauldrons”), but a sentence of
//! them has its “the” or “as”. Names (a capital after the sentence's
//! first word) count for neither side. Inside a sentence of prose, an
//! italic run or a quotation is read the same way on its own (“*Kethra
//! mor vael'tharin, kethra mor dun*, she sang”). Only English chapters are read this
//! way (see [`in_invented_text`]), and a finding is left out only when
//! most of its places are in such sentences ([`is_mostly_invented`]): a
//! list of rare nouns reads like one, and a phrase used in prose too is
//! still the writer's.

use crate::diagnostic::Finding;
use crate::language::Language;
use crate::text::{Chapter, Manuscript, Span};
use crate::wordfreq;

/// The fewest words a sentence needs to be told apart: “Kethra mor!” could
/// be a name and a cry.
const MIN_WORDS: usize = 3;

/// How far (bytes) before or after its sentence an italic run's mark may
/// stand (“*Kethra mor.*”, “.*”) and still be the run's.
const MARK_REACH: u32 = 2;

/// The Zipf frequency from which a word is an everyday one (about 1 in
/// 10,000 words: “she” is 6.6, “gate” 4.5).
const EVERYDAY_ZIPF: f32 = 5.0;

/// Whether `span` of `chapter` lies in text in an invented language (see
/// the module docs): its sentence, or, inside a sentence of prose, the
/// italic run or the quotation that holds it (“*Kethra mor vael'tharin,
/// kethra mor dun*, she sang”). Reads only those words: the echo rules ask
/// it of the few places they report.
pub(super) fn in_invented_text(chapter: &Chapter, span: Span) -> bool {
    // The French, Spanish and German lists hold 30,000 words, too few to
    // tell a verbless sentence of prose (“Brouillard épais, réverbères
    // blafards.”) from an invented language; the English one 100,000.
    if chapter.language != Language::English {
        return false;
    }
    let at = chapter
        .sentences
        .partition_point(|s| s.span.end <= span.start);
    let Some(sentence) = chapter.sentences.get(at) else {
        return false;
    };
    if !sentence.span.contains(span) {
        return false;
    }
    if is_invented(chapter, chapter.sentence_words(sentence)) {
        return true;
    }
    // The quotations are in text order: one look-up, not a scan (a long
    // paragraph can hold thousands of them and of findings).
    let quoted = chapter
        .dialogue
        .get(chapter.dialogue.partition_point(|d| d.end <= span.start))
        .filter(|d| d.contains(span))
        .map(|d| {
            Span::new(
                d.start.max(sentence.span.start) as usize,
                d.end.min(sentence.span.end) as usize,
            )
        });
    // Marks just outside the sentence are its own (“*Kethra mor.*”); the
    // run is looked for no further, so that a place in a paragraph of
    // thousands of sentences reads its own sentence only.
    let block = chapter.blocks[sentence.block as usize].span;
    let near = Span::new(
        (sentence.span.start.saturating_sub(MARK_REACH)).max(block.start) as usize,
        (sentence.span.end + MARK_REACH).min(block.end) as usize,
    );
    [italic_run(chapter, near, span), quoted]
        .into_iter()
        .flatten()
        .any(|unit| is_invented(chapter, words_in(chapter, unit)))
}

/// The words of `chapter` inside `unit`.
fn words_in(chapter: &Chapter, unit: Span) -> &[Span] {
    let from = chapter.words.partition_point(|w| w.start < unit.start);
    let to = chapter.words.partition_point(|w| w.end <= unit.end);
    &chapter.words[from..to.max(from)]
}

/// The run between the nearest `*` or `_` before `span` and the same mark
/// after it, inside `near` (a sentence and the marks beside it), when
/// `span` is inside it: italics in Markdown and in plain text (`_like
/// this_`).
fn italic_run(chapter: &Chapter, near: Span, span: Span) -> Option<Span> {
    let text = chapter.text.as_bytes();
    let before = &text[near.start as usize..span.start as usize];
    let open = before.iter().rposition(|&b| b == b'*' || b == b'_')?;
    let mark = before[open];
    // Inside a run only after an odd number of its marks: after
    // “*The Times*” the next `*` opens another run.
    if before.iter().filter(|&&b| b == mark).count() % 2 == 0 {
        return None;
    }
    let after = &text[span.end as usize..near.end as usize];
    let close = after.iter().position(|&b| b == mark)?;
    Some(Span::new(
        near.start as usize + open + 1,
        span.end as usize + close,
    ))
}

/// Whether `words` (a sentence, or a run of one) are in an invented
/// language: at least [`MIN_WORDS`] counted, none everyday, half or more
/// unknown; a capital after the first word is a name, not counted.
fn is_invented(chapter: &Chapter, words: &[Span]) -> bool {
    let (mut counted, mut unknown) = (0usize, 0usize);
    for (i, &word) in words.iter().enumerate() {
        let text = chapter.slice(word);
        if !text.chars().any(char::is_alphabetic) {
            continue;
        }
        if i > 0 && text.starts_with(char::is_uppercase) {
            continue; // a name
        }
        let zipf = wordfreq::zipf_of_in(&chapter.language, text);
        if zipf >= EVERYDAY_ZIPF {
            return false;
        }
        counted += 1;
        if zipf == 0.0 {
            unknown += 1;
        }
    }
    counted >= MIN_WORDS && 2 * unknown >= counted
}

/// Whether most of the places of `finding` (its primary span and the
/// related ones; both of a pair) lie in sentences in an invented language:
/// the echo rules leave such a finding out. A phrase used three times in
/// prose and once in a list of rare nouns (“Gamboge, smalt, orpiment,
/// coppery tang.”, which reads like one) is still reported.
pub(super) fn is_mostly_invented(manuscript: &Manuscript, finding: &Finding) -> bool {
    let places = std::iter::once(&finding.primary).chain(&finding.related);
    let (mut all, mut invented) = (0, 0);
    for label in places {
        all += 1;
        if in_invented_text(manuscript.chapter(label.chapter), label.span) {
            invented += 1;
        }
    }
    2 * invented > all
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::plain_chapter as chapter;

    /// Whether the sentence holding `word` is taken for an invented one.
    fn invented(text: &str, word: &str) -> bool {
        let chapter = chapter(text);
        let start = text.find(word).expect("the word is in the text");
        in_invented_text(&chapter, Span::new(start, start + word.len()))
    }

    #[test]
    fn a_chant_is_invented_and_prose_with_rare_words_is_not() {
        let text = "The priestess began the chant. Vael'tharin osse, vael'tharin dun. \
                    Kethra mor vael'tharin, kethra mor dun. Pauldrons clanked as halberdiers \
                    trudged past. Mira Kethra waited.";
        assert!(invented(text, "osse"));
        assert!(invented(text, "kethra mor dun"));
        assert!(!invented(text, "chant"), "an everyday word");
        assert!(!invented(text, "clanked"), "“as” is everyday");
        assert!(!invented(text, "waited"), "two words, one a name");
    }

    #[test]
    fn names_count_for_neither_side_and_short_sentences_are_left_alone() {
        // Every word but the names unknown, and too few of them.
        assert!(!invented("Osse Kethra Vaelor dun.", "dun"));
        assert!(!invented("Osse dun!", "dun"));
        // A place outside any sentence (a heading's) is not in one.
        let text = "Osse kethra, osse mor dun.";
        let chapter = chapter(text);
        assert!(!in_invented_text(
            &chapter,
            Span::new(text.len(), text.len())
        ));
    }

    #[test]
    fn an_italic_run_or_a_quotation_inside_a_sentence_of_prose_is_read_on_its_own() {
        let text = "*Kethra mor vael'tharin, kethra mor dun*, she sang. \
                    “Osse kethra, osse mor vael'tharin,” the acolytes answered. \
                    She read *The Times* and then kethra mor vael'tharin dun *was* said.";
        assert!(invented(text, "mor vael'tharin, kethra"));
        assert!(invented(text, "osse mor"));
        assert!(!invented(text, "sang"), "prose around the run");
        // Between two runs is no run.
        assert!(!invented(text, "mor vael'tharin dun"));
    }

    #[test]
    fn only_english_chapters_are_read_as_invented() {
        for language in [Language::French, Language::Other("fi".into())] {
            let mut chapter = chapter("Osse kethra, osse mor vael'tharin dun.");
            chapter.language = language;
            assert!(!in_invented_text(&chapter, Span::new(0, 4)));
        }
    }
}
