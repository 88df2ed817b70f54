use std::cell::OnceCell;
use std::collections::HashMap;

use super::{
    Passage, Repeat, SentenceParams, Settings, configured_settings, list_places, shared_duplicates,
};
use crate::declare_rule;
use crate::diagnostic::{Facts, Finding, Label};
use crate::rule::{IndependentAnalysis, Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::text::{Manuscript, verse};

declare_rule! {
    /// ## What it does
    /// Finds text written again word for word somewhere else in the
    /// manuscript (ignoring case, line breaks, quote style, dashes and other
    /// punctuation):
    /// - a sentence of `always-words` (10) words or more, whatever its words
    ///   (“I have walked this road a hundred times and never once seen it
    ///   empty.”);
    /// - a shorter sentence, from `min-words` (8) words, when it holds
    ///   `min-rare-words` rare words;
    /// - a run of `min-run-words` (12) words or more that two different
    ///   sentences share (“She counted the carts that still tried to get
    ///   through …” and “She stood at the window and counted the carts that
    ///   still tried to get through …”).
    ///
    /// A repeat is one finding, on its last place, listing every earlier
    /// one; each repeat is found at its full length, so a passage that
    /// shares two sentences and the start of a third is one finding, not
    /// three. Copies one after another are counted as copies: a sentence
    /// pasted three times in a row is “written 3 times in a row”, not two
    /// sentences written twice. Text inside paragraphs that `duplicate-paragraph` reports as
    /// copies is left to that rule.
    ///
    /// Exempt on purpose (formulaic lines): a line shorter than
    /// `always-words` made of common words, such as a greeting or a bare
    /// dialogue tag (“Good morning, Mr. Bennet,” said she.), since it needs
    /// `min-rare-words` rare words to count; and anything listed in `allow`
    /// (a refrain). Everything else counts, speech included: a sentence
    /// pasted twice in a row is as much a slip as a doubled word, and is
    /// found from four words whatever they are (“It was a long walk. It
    /// was a long walk.”), unless it is an exclamation or a question
    /// (“What have I done! What have I done!” is a voice), or a line of
    /// verse sung again on the next line (a song's refrain in a block
    /// quote, with hard breaks, or typed as lines much shorter than the
    /// chapter's). A quoted sign-off, letterhead or address (see
    /// `duplicate-paragraph`) repeated under two letters counts neither.
    ///
    /// ## Why
    /// A striking sentence used twice reads as a slip, and a pasted-in
    /// sentence or half-sentence is easy to miss when the paragraphs around
    /// it differ.
    ///
    /// ## Example
    /// ```text
    /// chapter-01.md:   In Echo Park the afternoons went on forever, and nobody …
    /// chapter-04.txt:  In Echo Park the afternoons went on forever, and nobody …
    ///                  ← flagged: this sentence repeats chapter-01.md:14
    /// ```
    ///
    /// ## Options
    /// - `always-words` (default 10): a sentence this long is compared
    ///   whatever its words.
    /// - `min-words` (default 8): shorter sentences are compared only with
    ///   the next one (a sentence twice in a row, from four words), except
    ///   a sentence of six words or more with `min-rare-words` rare words
    ///   that the narration of two chapters or more writes (“Her father
    ///   smelled of kerosene and tobacco.”): its narration places are
    ///   reported, its places in speech are a voice.
    /// - `min-rare-words` (default 2): a sentence shorter than
    ///   `always-words` needs this many rare words (less common than about
    ///   30 per million in English; names and invented words included).
    /// - `min-run-words` (default 12): a run of this many words shared by
    ///   two different sentences is a repeated passage.
    /// - `allow` (list): sentences and passages repeated on purpose; a
    ///   repeat that holds one, or lies inside one, is not reported. A
    ///   paragraph of `duplicate-paragraph`'s `min-words` (15) or more
    ///   repeated whole (an epigraph) is that rule's: list it in its
    ///   `allow`; a shorter one is this rule's.
    pub static META = {
        id: "repeated-sentence",
        category: Repetition,
        severity: Warning,
        scope: Manuscript,
        summary: "A sentence written again word for word elsewhere",
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

struct RepeatedSentence {
    /// Both duplicate rules' settings: the shared detection's key.
    settings: Settings,
}

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    let sentences: SentenceParams = setup.options()?;
    if sentences.min_run_words < 2 {
        return Err("`min-run-words` must be at least 2".to_string());
    }
    let settings = Settings {
        sentences,
        ..configured_settings(setup.config)
    };
    Ok(Box::new(RepeatedSentence { settings }))
}

impl Rule for RepeatedSentence {
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
        // Each chapter's wrap width, worked out once for all its repeats.
        let widths: Vec<OnceCell<usize>> = manuscript
            .chapters
            .iter()
            .map(|_| OnceCell::new())
            .collect();
        for repeat in &detection.found.repeats {
            if let Some(finding) = repeat_finding(manuscript, repeat, &widths) {
                ctx.report(finding);
            }
        }
    }
}

/// `chapter-03.md:41` (`book.docx:¶214 (Chapter 7)` in a Word chapter).
fn place(manuscript: &Manuscript, passage: &Passage) -> String {
    manuscript
        .chapter(passage.chapter)
        .place(passage.span.start as usize)
}

/// Whether `after`, right after `before` in its paragraph, starts a new
/// line of verse ([`verse::breaks_a_verse_line`]).
fn is_sung_again(
    manuscript: &Manuscript,
    before: &Passage,
    after: &Passage,
    widths: &[OnceCell<usize>],
) -> bool {
    let chapter = manuscript.chapter(after.chapter);
    let first_word = chapter
        .words
        .partition_point(|w| w.start < after.span.start);
    chapter.words.get(first_word).is_some_and(|&word| {
        verse::breaks_a_verse_line(
            chapter,
            before.span.end as usize,
            word,
            &widths[after.chapter],
        )
    })
}

/// Whether `passage` lies in a block quote set as a document's lines (a
/// sign-off, an address: [`super::is_quoted_document_lines`]).
fn in_quoted_document(manuscript: &Manuscript, passage: &Passage) -> bool {
    let chapter = manuscript.chapter(passage.chapter);
    let block = chapter
        .blocks
        .partition_point(|b| b.span.end <= passage.span.start);
    chapter.blocks.get(block).is_some_and(|b| {
        b.span.start <= passage.span.start && super::is_quoted_document_lines(chapter, b.span)
    })
}

/// One finding for a repeat: on its last place, with every earlier one.
/// `widths` holds each chapter's wrap width once asked for (see
/// [`verse::wrap_width`]).
fn repeat_finding(
    manuscript: &Manuscript,
    repeat: &Repeat,
    widths: &[OnceCell<usize>],
) -> Option<Finding> {
    let (last, earlier) = repeat.places.split_last()?;
    let first = earlier.first()?;
    // A quoted sign-off or letterhead (see `is_quoted_document_lines`) is
    // repeated on purpose, and no more a repeated sentence than a copied
    // paragraph.
    if repeat
        .places
        .iter()
        .all(|p| in_quoted_document(manuscript, p))
    {
        return None;
    }
    let what = match repeat.sentences {
        Some(1) => "this sentence".to_string(),
        Some(n) => format!("these {n} sentences"),
        None => format!("these {} words", repeat.words),
    };
    // “this sentence repeats”, “these 19 words repeat”.
    let singular = repeat.sentences == Some(1);
    // Each place after the one before with nothing but punctuation and
    // spaces between, in one paragraph: at most one line break between
    // (two are a blank line, `\n\n`, `\r\n\r\n` or a quote's `>` line).
    let in_a_row = repeat.places.windows(2).all(|w| {
        let (before, after) = (&w[0], &w[1]);
        before.chapter == after.chapter && {
            let prose = &manuscript.chapter(after.chapter).prose;
            let between = prose.get(before.span.end as usize..after.span.start as usize);
            between.is_some_and(|b| {
                !b.chars().any(char::is_alphanumeric) && b.matches('\n').count() < 2
            })
        }
    });
    // A line of a song or a poem sung again on the next line is a refrain
    // (“The river runs to Ithrë.⏎The river runs to Ithrë.”).
    if in_a_row
        && repeat
            .places
            .windows(2)
            .all(|w| is_sung_again(manuscript, &w[0], &w[1], widths))
    {
        return None;
    }
    let message = if in_a_row {
        let verb = if singular { "is" } else { "are" };
        let times = match repeat.places.len() {
            2 => "twice".to_string(),
            n => format!("{} times", crate::report::thousands(n)),
        };
        format!("{what} {verb} written {times} in a row")
    } else if earlier.len() == 1 {
        let verb = if singular { "repeats" } else { "repeat" };
        // On the finding's own line (a long paragraph), the column tells
        // the two apart.
        let mut at = place(manuscript, first);
        if at == place(manuscript, last) {
            at = manuscript
                .chapter(first.chapter)
                .place_and_column(first.span.start as usize);
        }
        format!("{what} {verb} {at} word for word")
    } else {
        let verb = if singular { "appears" } else { "appear" };
        let mut places: Vec<String> = earlier.iter().map(|p| place(manuscript, p)).collect();
        // Two on one line (a refrain said twice in a paragraph, or on the
        // finding's own line) are told apart by their columns.
        let on_the_line_of_the_last = place(manuscript, last);
        // Counted once: asking each place whether another shares its line
        // was quadratic (a sentence pasted 40,000 times took 4 s).
        let mut on_line: HashMap<&str, usize> = HashMap::with_capacity(places.len());
        for p in &places {
            *on_line.entry(p.as_str()).or_default() += 1;
        }
        let columns: Vec<bool> = places
            .iter()
            .map(|p| on_line[p.as_str()] > 1 || *p == on_the_line_of_the_last)
            .collect();
        for (i, with_column) in columns.into_iter().enumerate() {
            if with_column {
                let p = &earlier[i];
                places[i] = manuscript
                    .chapter(p.chapter)
                    .place_and_column(p.span.start as usize);
            }
        }
        format!(
            "{what} {verb} {} times word for word: {}",
            repeat.places.len(),
            list_places(&places)
        )
    };
    let label = if repeat.sentences.is_some() {
        "repeated sentence"
    } else {
        "repeated passage"
    };
    let text = fact_text(manuscript.chapter(first.chapter).slice(first.span));
    let mut finding = Finding::new(last.chapter, last.span, message)
        .label(label)
        .help(
            "delete or reword all but one; if the repeat is a deliberate refrain, add it to \
             `allow` or suppress this finding",
        )
        .facts(Facts::Repetition {
            text,
            count: repeat.places.len(),
        });
    // Copies in a row are one stretch of text: its first copy says where
    // it starts (a sentence pasted a thousand times is not a thousand
    // labels).
    let labelled = if in_a_row { &earlier[..1] } else { earlier };
    for (i, p) in labelled.iter().enumerate() {
        let text = if i == 0 {
            "first written here"
        } else {
            "also written here"
        };
        finding = finding.related(Label::new(p.chapter, p.span).with_message(text));
    }
    Some(finding)
}

/// The most of a repeat's text its facts carry, in bytes: any sentence or
/// refrain a writer would add to `allow`. A passage pasted whole (in a file
/// of one line, a book's worth, once per finding) is given by its start.
pub(super) const MAX_FACT_TEXT: usize = 1000;

/// `text` with runs of whitespace (hard wraps) collapsed to one space, cut
/// after the last whole word that fits in [`MAX_FACT_TEXT`] bytes, with
/// “…” where it was cut.
fn fact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_FACT_TEXT + '…'.len_utf8()));
    for word in text.split_whitespace() {
        let space = usize::from(!out.is_empty());
        if out.len() + space + word.len() > MAX_FACT_TEXT {
            if out.is_empty() {
                // One word longer than the limit: cut inside it.
                let mut end = MAX_FACT_TEXT;
                while !word.is_char_boundary(end) {
                    end -= 1;
                }
                out.push_str(&word[..end]);
            }
            out.push('…');
            break;
        }
        if space == 1 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod fact_text_tests {
    use super::{MAX_FACT_TEXT, fact_text};

    #[test]
    fn short_text_is_collapsed_whole() {
        assert_eq!(fact_text("She  went\n  home.\n"), "She went home.");
        assert_eq!(fact_text(""), "");
    }

    #[test]
    fn long_text_is_cut_after_a_whole_word() {
        let text = "word ".repeat(400); // 2,000 bytes
        let cut = fact_text(&text);
        assert_eq!(cut.len(), 999 + '…'.len_utf8());
        assert!(cut.starts_with("word word "));
        assert!(cut.ends_with("word…"), "{}", &cut[cut.len() - 20..]);
        // Exactly at the limit: nothing cut.
        let fits = "abcd ".repeat(200);
        assert_eq!(fact_text(&fits).len(), MAX_FACT_TEXT - 1);
        assert!(!fact_text(&fits).ends_with('…'));
    }

    #[test]
    fn one_overlong_word_is_cut_on_a_character_boundary() {
        let word = "é".repeat(600); // 1,200 bytes
        let cut = fact_text(&word);
        assert_eq!(cut, format!("{}…", "é".repeat(500)));
    }
}
