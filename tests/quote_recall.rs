//! Recall of `quote-style`'s dialogue-tag check on real prose: in in-memory
//! copies of the novels of `../shared/corpus/`, the closing quote before a
//! dialogue tag that ends its sentence (`“Come here,” she said. “Sit …`) is
//! deleted, the slip a writer makes when an edit splits a speech; every
//! planted slip must be flagged at its opening quote. The novels as they
//! are must give no such finding (none of their tags is a slip). Prints
//! the figures; skipped with a message when the corpus is absent.

use manulint::diagnostic::Diagnostic;
use regex::Regex;

mod common;
use common::{corpus, novels, parse_plain, read_novel, run_rules};

/// A quote closed after a comma, `!` or `?`, a short tag with a speech
/// verb and a full stop, and the next quote of the same kind: the closing
/// mark (group `close`) is what a slip leaves out.
const TAGGED: &str = r#"[,!?](?P<close>[”"]) (?:he|she|I|they|[A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:said|asked|cried|replied|whispered|added|answered|continued)\. [“"][A-Z]"#;

const MESSAGE: &str = "quotation opened here is not closed before the dialogue tag";

fn quote_findings(chapters: &[(String, String)]) -> Vec<Diagnostic> {
    run_rules(&parse_plain(chapters), &["quote-style"])
        .into_iter()
        .filter(|d| d.message.starts_with(MESSAGE))
        .collect()
}

/// Where the quote a slip leaves open begins: the last opening mark of the
/// paragraph before byte `close` of `text`.
fn opening_quote(text: &str, close: usize) -> usize {
    let paragraph = text[..close].rfind("\n\n").map_or(0, |at| at + 2);
    // A curly quote's opening mark is `“`; a straight one's is the last
    // straight mark before it.
    let opening = if text[close..].starts_with('”') {
        '“'
    } else {
        '"'
    };
    paragraph
        + text[paragraph..close]
            .rfind(opening)
            .expect("an opening quote")
}

#[test]
fn quotes_left_open_before_a_dialogue_tag_are_found() {
    let Some(corpus) = corpus() else {
        return;
    };
    let tagged = Regex::new(TAGGED).unwrap();
    let (mut planted, mut found, mut false_alarms) = (0, 0, 0);
    for novel in novels(&corpus) {
        let chapters = read_novel(&novel);
        false_alarms += quote_findings(&chapters).len();
        // Each chapter's first slip only, so that one slip never hides
        // another in its paragraph.
        let mut slipped = chapters.clone();
        let mut expected = Vec::new();
        for (i, (_, text)) in slipped.iter_mut().enumerate() {
            let Some(caps) = tagged.captures(text) else {
                continue;
            };
            let close = caps.name("close").unwrap();
            let open = opening_quote(text, close.start());
            text.replace_range(close.range(), "");
            expected.push((i, open));
        }
        let findings = quote_findings(&slipped);
        planted += expected.len();
        found += expected
            .iter()
            .filter(|&&(chapter, open)| {
                findings
                    .iter()
                    .any(|d| d.primary.chapter == chapter && d.primary.span.start as usize == open)
            })
            .count();
    }
    eprintln!(
        "quote left open before a dialogue tag: {found} of {planted} planted slips found; {false_alarms} findings on the corpus as it is"
    );
    assert!(planted >= 40, "only {planted} tags to plant in");
    assert_eq!(found, planted, "recall");
    assert_eq!(false_alarms, 0, "false alarms");
}
