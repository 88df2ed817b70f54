use crate::declare_rule;
use crate::diagnostic::{Applicability, Edit};
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::rules::echoes::STOP_WORD_SET;
use crate::rules::mixed_style::{Majority, StyleUse, first_wins, places_by_style, report_minority};
use crate::text::{Chapter, Manuscript, Span};

declare_rule! {
    /// ## What it does
    /// Counts the abbreviated titles before a name that English writes
    /// with a full stop in American style and without one in British style
    /// (“Mr. Hubble”, “Mr Hubble”): Mr, Mrs, Ms, Mx, Messrs, Dr, St (a
    /// saint), Sgt, Lt, Mme and Mlle. When the manuscript writes both,
    /// every paragraph with the less common style is flagged (once per
    /// paragraph), pointing at where the usual style is used. A manuscript
    /// that keeps to one style is never flagged, whichever it is.
    ///
    /// Only a title before a capitalised word counts (across a line break
    /// or emphasis too: `*Mr.* Smith`). Abbreviations that keep their full
    /// stop in both styles (Prof., Capt., Col., Gen., Rev.: the word cut
    /// short, not contracted) are not counted, nor are “St” and “Dr” after
    /// a capitalised word or a number (“Baker St.”, “42nd St.”, “Mulholland
    /// Dr.”: Street and Drive), a title before a function word (“the Dr.
    /// Then she left”: the sentence ends there), names of works and brands
    /// that keep their own form (“Sgt. Pepper”, “Dr Pepper”, “Dr. Seuss”),
    /// nor chapters in another language than English.
    ///
    /// ## Why
    /// Whether contractions take a full stop is a house-style decision a
    /// copy-editor makes once for the whole book; a mix usually comes from
    /// pasting or from two machines' autocorrect.
    ///
    /// ## Example
    /// ```text
    /// Mr. Pumblechook came to dinner.      (chapter 4)
    /// “Very well,” said Mr Jaggers.        ← flagged: the book writes “Mr.”
    /// ```
    ///
    /// ## Fix
    /// Adding the full stops is safe. Taking them away is unsafe: a title
    /// that ends a sentence (“she sent for the Dr. Then …”) would lose the
    /// sentence's full stop.
    ///
    /// ## Options
    /// None. Turn the rule off with `[rules.abbreviation-style] level = "off"`.
    pub static META = {
        id: "abbreviation-style",
        category: Typography,
        severity: Info,
        scope: Manuscript,
        summary: "Titles before names (“Mr.”, “Mr”) written both with and without a full stop",
        fix: Safe,
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    setup.no_options()?;
    Ok(Box::new(AbbreviationStyle))
}

struct AbbreviationStyle;

/// Contracted titles: their last letter is the word's own, so British
/// style writes them without a full stop.
const TITLES: [&str; 11] = [
    "Mr", "Mrs", "Ms", "Mx", "Messrs", "Dr", "St", "Sgt", "Lt", "Mme", "Mlle",
];

/// Names of works, characters and brands with a title in them, which keep
/// their owners' form whatever the house style (“Sgt. Pepper”, “Dr
/// Pepper”, “Dr. Seuss”): not counted either way.
const FIXED_NAMES: [(&str, &str); 13] = [
    ("Sgt", "Pepper"),
    ("Dr", "Pepper"),
    ("Dr", "Seuss"),
    ("Dr", "Dre"),
    ("Dr", "Strangelove"),
    ("Dr", "Martens"),
    ("Mr", "Bean"),
    ("Mr", "T"),
    ("Mr", "Potato"),
    ("Mr", "Kipling"),
    ("Mr", "Men"),
    ("Mrs", "Doubtfire"),
    ("Mrs", "Dalloway"),
];

/// Style index of a title with a full stop (`Mr.`).
const WITH_STOP: usize = 0;
/// Style index of a title without one (`Mr`).
const WITHOUT_STOP: usize = 1;

/// The titles before a name in one chapter, in reading order: the title's
/// span (with its full stop, if any) and its style. Found by their first
/// letters in the prose (a walk over every word took three times as long).
fn titles(chapter: &Chapter) -> Vec<(Span, usize)> {
    let prose = chapter.prose.as_bytes();
    let mut starts: Vec<usize> = memchr::memchr3_iter(b'M', b'D', b'S', prose).collect();
    let lieutenants = memchr::memmem::find_iter(prose, b"Lt");
    let sorted = starts.len();
    starts.extend(lieutenants);
    if starts.len() > sorted {
        starts.sort_unstable();
    }
    starts
        .into_iter()
        .filter_map(|start| title_at(chapter, start))
        .collect()
}

/// The title before a name that starts at byte `start` of the prose, if
/// one does.
fn title_at(chapter: &Chapter, start: usize) -> Option<(Span, usize)> {
    let prose = chapter.prose.as_bytes();
    if start > 0 && prose[start - 1].is_ascii_alphanumeric() {
        return None;
    }
    let end = start
        + prose[start..]
            .iter()
            .take(7)
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
    let text = &chapter.prose[start..end];
    if !TITLES.contains(&text) {
        return None;
    }
    let stop = prose.get(end) == Some(&b'.');
    let after = end + usize::from(stop);
    // Then the name: a capitalised word after spaces or a line break (or
    // emphasis markup, which the prose shows as spaces: `*Mr.* Smith`).
    let gap = prose[after..]
        .iter()
        .take(4)
        .take_while(|b| b.is_ascii_whitespace())
        .count();
    let name = &chapter.prose[after + gap..];
    // Apostrophes inside it: “O’Brien”, “D’Arcy” (read as “O”, a word
    // the stop-word test below takes for an interjection, every such
    // title was missed).
    let next_word = name
        .split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '’'))
        .next()
        .unwrap_or("");
    // “Sgt. Pepper's band” is Sgt. Pepper's.
    let next_word = ["'s", "’s"]
        .iter()
        .find_map(|s| next_word.strip_suffix(s))
        .unwrap_or(next_word);
    let before_name = gap > 0
        && prose[after..after + gap].iter().filter(|&&b| b == b'\n').count() <= 1
        && next_word.chars().next().is_some_and(char::is_uppercase)
        // “the Dr. Then she waited”: a sentence ends at the abbreviation,
        // and so before a contraction of one (“the Dr. I’m not joking”).
        && !STOP_WORD_SET.contains_ascii_lowercased(uncontracted(next_word));
    if !before_name
        || names_a_road(text, &chapter.prose[..start])
        || FIXED_NAMES.contains(&(text, next_word))
    {
        return None;
    }
    let style = if stop { WITH_STOP } else { WITHOUT_STOP };
    Some((Span::new(start, after), style))
}

/// The word a contraction is made on (“I’m” → “I”, “Don’t” → “Do”,
/// “We’re” → “We”); any other word as it is (“O’Brien”).
fn uncontracted(word: &str) -> &str {
    const ENDINGS: [&str; 14] = [
        "n't", "n’t", "'m", "’m", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'s", "’s",
    ];
    ENDINGS
        .iter()
        .find_map(|ending| word.strip_suffix(ending))
        .unwrap_or(word)
}

/// Whether the `St` or `Dr` after the text `before` is part of an address:
/// after a capitalised word or a number (`Baker St.`, `Mulholland Dr.`,
/// `42nd St.`), it is Street or Drive, not Saint or Doctor.
fn names_a_road(title: &str, before: &str) -> bool {
    if !matches!(title, "St" | "Dr") {
        return false;
    }
    let Some(word) = before.strip_suffix(' ') else {
        return false;
    };
    let length = word.len() - word.trim_end_matches(char::is_alphanumeric).len();
    let last = &word[word.len() - length..];
    last.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
}

/// The title at `span` in the majority's style: its full stop added or
/// taken away.
fn mend(chapter: &Chapter, span: Span, _majority: &StyleUse) -> Option<Edit> {
    Some(match chapter.slice(span).ends_with('.') {
        true => Edit::delete(Span::new(span.end as usize - 1, span.end as usize)),
        false => Edit::replace(Span::new(span.end as usize, span.end as usize), "."),
    })
}

impl Rule for AbbreviationStyle {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        // The titles of English chapters: other languages write theirs
        // their own way.
        let places = places_by_style(
            manuscript,
            "abbreviation-style",
            "abbreviation-style",
            2,
            |chapter| match chapter.language.is_english() {
                true => titles(chapter),
                false => Vec::new(),
            },
        );
        let [with_stop, without_stop]: [Vec<(usize, Span)>; 2] =
            places.try_into().unwrap_or_default();
        // Toward a full stop is safe; away from one, a sentence's own stop
        // may go with it.
        let applicability = match first_wins(&with_stop, &without_stop) {
            true => Applicability::Safe,
            false => Applicability::Unsafe,
        };
        report_minority(
            manuscript,
            ctx,
            StyleUse {
                name: "titles with a full stop (Mr., Dr. …)",
                places: with_stop,
            },
            StyleUse {
                name: "titles without a full stop (Mr, Dr …)",
                places: without_stop,
            },
            Majority::ByCount,
            "pick one style for titles such as Mr, Mrs and Dr (with a full stop in American style, without in British) and keep to it",
            Some((&mend, applicability)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{assert_quiet, check_rule, fixed_texts, run_rule_on};

    #[test]
    fn titles_are_found_before_names_only() {
        let text = "Mr. Hubble and Mrs. Joe came. Dr Lyle, St. Paul's and Sgt. Pell.\n\n\
                    He lived on Baker St. Then he left. Mr. and mr. Prof. Jones. Drs. Ann.\n\n\
                    MrSmith. Mr.Smith. The Mr. is. Mrs Joe.\n\n\
                    Sgt. Pepper's band, a Dr Pepper and Dr. Seuss.\n\n\
                    Mr Kipling cakes, Dr Martens boots and Mrs Dalloway.\n";
        let manuscript = crate::testing::manuscript(&[("c.txt", text)]);
        let chapter = manuscript.chapter(0);
        let found: Vec<(&str, usize)> = super::titles(chapter)
            .into_iter()
            .map(|(span, style)| (chapter.slice(span), style))
            .collect();
        assert_eq!(
            found,
            [
                ("Mr.", 0),
                ("Mrs.", 0),
                ("Dr", 1),
                ("St.", 0),
                ("Sgt.", 0),
                ("Mrs", 1)
            ]
        );
    }

    #[test]
    fn the_minority_style_is_flagged_once_per_paragraph() {
        let text = "Mr. Hubble and Mrs. Hubble came.\n\n\
                    Mr. Wopsle read. Dr. Lyle slept.\n\n\
                    “Very well,” said Mr Jaggers to Mr Wemmick.\n";
        assert_eq!(
            check_rule("abbreviation-style", "c.txt", text),
            vec![(
                5,
                19,
                "titles without a full stop (Mr, Dr …) in a manuscript that otherwise uses titles with a full stop (Mr., Dr. …, 4×)"
                    .to_string()
            )]
        );
        let (_, found) = run_rule_on("abbreviation-style", &[("c.txt", text)]);
        assert_eq!(
            found[0].primary.message.as_deref(),
            Some("minority style (2× in this paragraph)")
        );
        assert_eq!(
            found[0].fix.as_ref().map(|f| f.applicability),
            Some(crate::diagnostic::Applicability::Safe)
        );
        let fixed = fixed_texts("abbreviation-style", &[("c.txt", text)], false);
        assert!(
            fixed[0].ends_with("said Mr. Jaggers to Mr. Wemmick.\n"),
            "{}",
            fixed[0]
        );
    }

    /// Toward the British style the fix is unsafe: it is applied only with
    /// `--unsafe-fixes`.
    #[test]
    fn taking_stops_away_is_unsafe() {
        let text = "Mr Hubble and Mrs Hubble came. Dr Lyle slept.\n\nThen Mr. Jaggers spoke.\n";
        let safe = fixed_texts("abbreviation-style", &[("c.txt", text)], false);
        assert_eq!(safe[0], text);
        let fixed = fixed_texts("abbreviation-style", &[("c.txt", text)], true);
        assert_eq!(
            fixed[0],
            "Mr Hubble and Mrs Hubble came. Dr Lyle slept.\n\nThen Mr Jaggers spoke.\n"
        );
    }

    /// Roads and sentence ends are not titles: `St` and `Dr` after a
    /// capitalised word or a number are Street and Drive, and a title
    /// before a function word ends its sentence. A line break or emphasis
    /// between a title and its name does not hide it.
    #[test]
    fn roads_and_sentence_ends_are_not_titles() {
        let text = "We met at 42nd St. Sarah was late. They drove along Mulholland Dr. Nobody spoke.\n\n\
                    She sent for the Dr. Then she waited on Ocean Dr Miami.\n\n\
                    It was addressed to Mr\nBennet. She wrote *Mr.* Smith.\n";
        let manuscript = crate::testing::manuscript(&[("c.md", text)]);
        let chapter = manuscript.chapter(0);
        let found: Vec<(&str, usize)> = super::titles(chapter)
            .into_iter()
            .map(|(span, style)| (chapter.slice(span), style))
            .collect();
        assert_eq!(found, [("Mr", 1), ("Mr.", 0)]);
        // A tie: the style met first (no stop) is kept, with an unsafe fix.
        let fixed = fixed_texts("abbreviation-style", &[("c.md", text)], true);
        assert!(
            fixed[0].ends_with("It was addressed to Mr\nBennet. She wrote *Mr* Smith.\n"),
            "{}",
            fixed[0]
        );
    }

    /// A name with an apostrophe after its first letter is a name: every
    /// “Mrs O’Brien” and “Mr D'Arcy” was read as a title before “O”.
    #[test]
    fn titles_before_names_with_apostrophes_are_found() {
        let text =
            "Mrs. O’Brien came down. Mr D'Arcy bowed. Mr. McGee left. He asked the Dr. I’m fine.\n";
        let manuscript = crate::testing::manuscript(&[("c.md", text)]);
        let chapter = manuscript.chapter(0);
        let found: Vec<(&str, usize)> = super::titles(chapter)
            .into_iter()
            .map(|(span, style)| (chapter.slice(span), style))
            .collect();
        assert_eq!(found, [("Mrs.", 0), ("Mr", 1), ("Mr.", 0)]);
    }

    #[test]
    fn one_style_is_never_flagged() {
        assert_quiet(
            "abbreviation-style",
            "c.txt",
            &[
                "Mr. Hubble and Mrs. Joe came. Prof. Jones and Capt. Cuttle too.\n",
                "Mr Hubble and Mrs Joe came. Prof. Jones and Capt. Cuttle too.\n",
                "He lived on Baker St. Mr Holmes did.\n",
            ],
        );
    }
}
