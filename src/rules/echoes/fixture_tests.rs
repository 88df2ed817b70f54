//! The echo rules on the fixtures in `fixtures/echoes/` and
//! `fixtures/sample-novel/`: planted echoes are found with exact locations,
//! controls stay silent.

use crate::diagnostic::Diagnostic;
use crate::testing::{render_human, run_rule_with};
use crate::text::Manuscript;

const PLANTED: &[(&str, &str)] = &[
    (
        "chapter-01.md",
        include_str!("../../../fixtures/echoes/planted/chapter-01.md"),
    ),
    (
        "chapter-02.txt",
        include_str!("../../../fixtures/echoes/planted/chapter-02.txt"),
    ),
    (
        "chapter-03.md",
        include_str!("../../../fixtures/echoes/planted/chapter-03.md"),
    ),
];

const CONTROLS: &[(&str, &str)] = &[(
    "chapter-01.txt",
    include_str!("../../../fixtures/echoes/controls/chapter-01.txt"),
)];

/// The options of `fixtures/echoes/controls/manulint.toml`.
const CONTROL_OPTIONS: &str = "allow = [\"long shingle road\"]\nnames = [\"Wren\"]\n";

/// Images that recur (`fixtures/echoes/images/`), beside things of the
/// story named again (the stone huts, the yew alley).
const IMAGES: &[(&str, &str)] = &[
    (
        "chapter-01.txt",
        include_str!("../../../fixtures/echoes/images/chapter-01.txt"),
    ),
    (
        "chapter-02.txt",
        include_str!("../../../fixtures/echoes/images/chapter-02.txt"),
    ),
];

use crate::testing::SAMPLE_NOVEL;

/// `file:line:col message`, then `  + file:line:col label` per related label.
pub(super) fn describe(manuscript: &Manuscript, diagnostics: &[Diagnostic]) -> Vec<String> {
    let at = |chapter: usize, offset: u32| {
        let ch = manuscript.chapter(chapter);
        let lc = ch.line_col(offset as usize);
        format!("{}:{}:{}", ch.file_name(), lc.line, lc.column)
    };
    let mut out = Vec::new();
    for d in diagnostics {
        out.push(format!(
            "{} {}",
            at(d.primary.chapter, d.primary.span.start),
            d.message
        ));
        for label in &d.related {
            out.push(format!(
                "  + {} {}",
                at(label.chapter, label.span.start),
                label.message.as_deref().unwrap_or("")
            ));
        }
    }
    out
}

pub(super) fn found(rule: &str, options: &str, chapters: &[(&str, &str)]) -> Vec<String> {
    let (manuscript, diagnostics) = run_rule_with(rule, options, chapters);
    describe(&manuscript, &diagnostics)
}

#[test]
fn planted_repeated_phrases_far_apart_and_close_together() {
    assert_eq!(
        found("repeated-phrase", "", PLANTED),
        vec![
            "chapter-01.md:3:85 “brittle copper light” is repeated 3 times (in 3 chapters)",
            "  + chapter-02.txt:7:41 2 of 3",
            "  + chapter-03.md:5:94 3 of 3",
            "chapter-03.md:3:99 “smell of woollen coats” is repeated 2 times (shortest gap: 36 words)",
            "  + chapter-03.md:3:312 2 of 2",
        ]
    );
}

#[test]
fn planted_word_echo_within_a_sentence() {
    assert_eq!(
        found("word-echo", "", PLANTED),
        vec![
            "chapter-01.md:5:43 “rattling” echoes “rattled” 3 words earlier",
            "  + chapter-01.md:5:26 first use",
        ]
    );
}

#[test]
fn planted_crutch_word_at_a_high_rate() {
    assert_eq!(
        found("overused-word", "", PLANTED),
        vec![
            "chapter-02.txt:3:27 “somehow” is used 8 times in this chapter (216.2 per 10,000 words; ordinary prose: 0.3)",
            "  + chapter-02.txt:9:1 2 of 8",
            "  + chapter-02.txt:12:46 3 of 8",
            "  + chapter-02.txt:19:54 4 of 8",
            "  + chapter-02.txt:24:31 5 of 8",
        ]
    );
}

#[test]
fn controls_are_silent_with_their_config() {
    for rule in ["repeated-phrase", "word-echo", "overused-word"] {
        assert_eq!(
            found(rule, CONTROL_OPTIONS, CONTROLS),
            Vec::<String>::new(),
            "{rule}"
        );
    }
}

#[test]
fn controls_fire_without_allow_and_names() {
    // The control chapter is only quiet because of its options: without
    // them the refrain and the name Wren (twice lowercase, the bird) are
    // reported.
    assert_eq!(
        found("repeated-phrase", "", CONTROLS)[0],
        "chapter-01.txt:5:11 “long shingle road” is repeated 3 times (shortest gap: 64 words)"
    );
    assert_eq!(
        found("word-echo", "", CONTROLS)[0],
        "chapter-01.txt:7:24 “Wren” again, 5 words after the last one"
    );
    assert_eq!(
        found(
            "repeated-phrase",
            "allow = [\"long shingle road\"]",
            CONTROLS
        ),
        Vec::<String>::new()
    );
}

#[test]
fn sample_novel_planted_echoes() {
    assert_eq!(
        found("repeated-phrase", "", SAMPLE_NOVEL),
        vec![
            "chapter-01.md:31:237 “faint metallic tang” is repeated 4 times (shortest gap: 417 words)",
            "  + chapter-02.txt:55:10 2 of 4",
            "  + chapter-03.md:14:271 3 of 4",
            "  + chapter-03.md:36:258 4 of 4",
        ]
    );
    assert_eq!(
        found("word-echo", "", SAMPLE_NOVEL),
        vec![
            "chapter-03.md:14:166 “humming” echoes “hum” 3 words earlier",
            "  + chapter-03.md:14:153 first use",
        ]
    );
    let overused = found("overused-word", "", SAMPLE_NOVEL);
    // “seemed” is written 9 times, but one is inside the edited copy of
    // defect #8, which duplicate-paragraph reports.
    assert_eq!(
        overused[0],
        "chapter-02.txt:3:24 “seemed” is used 8 times in this chapter (115.4 per 10,000 words; ordinary prose: 0.7)"
    );
    assert_eq!(overused.len(), 5, "{overused:#?}");
}

#[test]
fn snapshot_repeated_phrase() {
    insta::assert_snapshot!(render_human("repeated-phrase", PLANTED));
}

#[test]
fn snapshot_word_echo() {
    insta::assert_snapshot!(render_human("word-echo", PLANTED));
}

#[test]
fn snapshot_overused_word() {
    insta::assert_snapshot!(render_human("overused-word", PLANTED));
}

#[test]
fn images_recur_and_things_of_the_story_do_not() {
    assert_eq!(
        found("repeated-phrase", "", IMAGES),
        vec![
            // One image with varying complements and one use without
            // “faint”: one finding, all four uses.
            "chapter-01.txt:3:136 “metallic tang” is repeated 4 times, 3 of them as “faint metallic tang” (shortest gap: 73 words)",
            "  + chapter-01.txt:7:252 2 of 4",
            "  + chapter-01.txt:11:104 3 of 4",
            "  + chapter-01.txt:15:288 4 of 4",
            // Three short sentences, each use more than 150 words from the
            // next: every use of an image counts.
            "chapter-02.txt:5:21 “thin pewter silence” is repeated 3 times (shortest gap: 169 words)",
            "  + chapter-02.txt:9:713 2 of 3",
            "  + chapter-02.txt:13:787 3 of 3",
            // A two-word image twice in 34 words.
            "chapter-02.txt:15:144 “copper hum” is repeated 2 times (shortest gap: 34 words)",
            "  + chapter-02.txt:15:328 2 of 2",
        ]
    );
    for rule in ["word-echo", "overused-word"] {
        assert_eq!(found(rule, "", IMAGES), Vec::<String>::new(), "{rule}");
    }
}
