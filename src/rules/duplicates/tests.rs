use std::path::{Path, PathBuf};

use super::*;
use crate::testing::{read_novel, render_human, run_rule_on};

const PLANTED: &[(&str, &str)] = &[
    (
        "chapter-01.md",
        include_str!("../../../fixtures/duplicates/planted/chapter-01.md"),
    ),
    (
        "chapter-02.md",
        include_str!("../../../fixtures/duplicates/planted/chapter-02.md"),
    ),
    (
        "chapter-03.md",
        include_str!("../../../fixtures/duplicates/planted/chapter-03.md"),
    ),
    (
        "chapter-04.md",
        include_str!("../../../fixtures/duplicates/planted/chapter-04.md"),
    ),
];

const REPEATS: &[(&str, &str)] = &[
    (
        "chapter-01.md",
        include_str!("../../../fixtures/duplicates/repeats/chapter-01.md"),
    ),
    (
        "chapter-02.md",
        include_str!("../../../fixtures/duplicates/repeats/chapter-02.md"),
    ),
];

const SAMPLE: &[(&str, &str)] = crate::testing::SAMPLE_NOVEL;

/// `(file, line, column, message, related "file:line" list)` per finding.
fn findings(
    rule: &str,
    chapters: &[(&str, &str)],
) -> Vec<(String, usize, usize, String, Vec<String>)> {
    let (manuscript, diagnostics) = run_rule_on(rule, chapters);
    let at = |label: &crate::diagnostic::Label| {
        let chapter = manuscript.chapter(label.chapter);
        let lc = chapter.line_col(label.span.start as usize);
        (chapter.file_name(), lc.line, lc.column)
    };
    diagnostics
        .iter()
        .map(|d| {
            let (file, line, column) = at(&d.primary);
            let related = d
                .related
                .iter()
                .map(|r| {
                    let (f, l, _) = at(r);
                    format!("{f}:{l}")
                })
                .collect();
            (file, line, column, d.message.clone(), related)
        })
        .collect()
}

fn f(
    file: &str,
    line: usize,
    column: usize,
    message: &str,
    related: &[&str],
) -> (String, usize, usize, String, Vec<String>) {
    (
        file.to_string(),
        line,
        column,
        message.to_string(),
        related.iter().map(|s| s.to_string()).collect(),
    )
}

#[test]
fn planted_duplicate_paragraphs_are_found_exactly() {
    assert_eq!(
        findings("duplicate-paragraph", PLANTED),
        vec![
            // 5 of 48 words edited (10%).
            f(
                "chapter-02.md",
                5,
                1,
                "89% of this paragraph repeats chapter-01.md:5 (an edited copy)",
                &["chapter-01.md:5"]
            ),
            // Exact copy across chapters: case, `--` for a comma and
            // `harbour-master` for `harbour master` are normalised away.
            f(
                "chapter-02.md",
                7,
                1,
                "100% of this paragraph repeats chapter-01.md:3 (an exact copy)",
                &["chapter-01.md:3"]
            ),
            // 9 of 47 words edited (20%).
            f(
                "chapter-02.md",
                9,
                1,
                "80% of this paragraph repeats chapter-01.md:7 (an edited copy)",
                &["chapter-01.md:7"]
            ),
            // A short paragraph contained in a long one.
            f(
                "chapter-02.md",
                11,
                1,
                "100% of this paragraph repeats chapter-01.md:9, inside a longer paragraph",
                &["chapter-01.md:9"]
            ),
            // Two paragraphs sharing their first two sentences.
            f(
                "chapter-02.md",
                15,
                1,
                "54% of this paragraph repeats chapter-01.md:11: the same sentences in a row",
                &["chapter-01.md:11"]
            ),
            // 15 of 48 words edited (30%).
            f(
                "chapter-03.md",
                5,
                1,
                "68% of this paragraph repeats chapter-01.md:17 (an edited copy)",
                &["chapter-01.md:17"]
            ),
            // One paragraph three times: one finding with every copy.
            f(
                "chapter-03.md",
                9,
                1,
                "this paragraph appears 3 times: 97% of it repeats chapter-01.md:15, chapter-02.md:13",
                &["chapter-01.md:15", "chapter-02.md:13"]
            ),
        ]
    );
}

#[test]
fn planted_repeated_sentence_is_found_once() {
    // The 15-word sentence; the sentences of the duplicated paragraphs
    // above are left to `duplicate-paragraph`.
    assert_eq!(
        findings("repeated-sentence", PLANTED),
        vec![f(
            "chapter-03.md",
            3,
            62,
            "this sentence repeats chapter-01.md:13 word for word",
            &["chapter-01.md:13"]
        )]
    );
}

#[test]
fn a_short_sentence_written_twice_in_a_row_is_found_whatever_its_words() {
    let text = "Chapter 1\n\nIt was a long walk. It was a long walk. Then we sat.\n\n\
                He was tired and he said so to me. He was tired and he said so to me.\n\n\
                He waited. He waited. What have I done now! What have I done now!\n\n\
                Why did you go there? Why did you go there? We ate the bread.\n\n\
                It was a long walk.\n";
    assert_eq!(
        findings("repeated-sentence", &[("a.md", text)]),
        vec![
            f(
                "a.md",
                3,
                21,
                "this sentence is written twice in a row",
                &["a.md:3"]
            ),
            f(
                "a.md",
                5,
                36,
                "this sentence is written twice in a row",
                &["a.md:5"]
            ),
        ]
    );
}

/// Copies one after another are counted: three or four copies of a
/// sentence in a row are one finding with every copy, where the run that
/// overlaps its own copy was refused (a short sentence three times in a row
/// went unreported, a long one four times was “2 sentences twice”).
#[test]
fn a_sentence_pasted_several_times_in_a_row_is_one_finding_counting_them() {
    let long = "The lamp on the desk flickered twice and went out for good.";
    let text = format!(
        "Chapter 1\n\nIt was a long walk. It was a long walk. It was a long walk.\n\n\
         {long} {long} {long} {long}\n\n\
         She stood. {long}\n"
    );
    let found = findings("repeated-sentence", &[("a.md", &text)]);
    assert_eq!(
        found,
        vec![
            f(
                "a.md",
                3,
                41,
                "this sentence is written 3 times in a row",
                &["a.md:3"]
            ),
            f(
                "a.md",
                7,
                12,
                "this sentence appears 5 times word for word: a.md:5:1, a.md:5:61, a.md:5:121, a.md:5:181",
                &["a.md:5", "a.md:5", "a.md:5", "a.md:5"]
            ),
        ]
    );
    // Without the copy in the last paragraph: one finding in a row, on
    // the last copy, with the first.
    let text = format!("Chapter 1\n\n{long} {long} {long} {long}\n");
    assert_eq!(
        findings("repeated-sentence", &[("a.md", &text)]),
        vec![f(
            "a.md",
            3,
            181,
            "this sentence is written 4 times in a row",
            &["a.md:3"]
        )]
    );
}

#[test]
fn places_on_one_line_are_told_apart_by_their_columns() {
    let one = "Chapter 1\n\nThe beam swept the dark harbour water once more. She counted. \
               The beam swept the dark harbour water once more.\n";
    let two =
        "Chapter 2\n\nOn the cliff she waited. The beam swept the dark harbour water once more.\n";
    let found = findings("repeated-sentence", &[("a.txt", one), ("b.txt", two)]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].3,
        "this sentence appears 3 times word for word: a.txt:3:1, a.txt:3:63"
    );
}

#[test]
fn short_dialogue_scene_breaks_and_stock_phrases_stay_quiet() {
    let quiet = &PLANTED[3..];
    assert!(quiet[0].1.contains("“Yes.”") && quiet[0].1.contains("* * *"));
    assert_eq!(findings("duplicate-paragraph", quiet), vec![]);
    assert_eq!(findings("repeated-sentence", quiet), vec![]);
    // Also when the whole chapter is pasted twice: every line is too short.
    let twice = [quiet[0], ("chapter-05.md", quiet[0].1)];
    let (_, diagnostics) = run_rule_on("duplicate-paragraph", &twice);
    // Only the two long stock-phrase paragraphs are copies.
    assert_eq!(diagnostics.len(), 2);
    let (_, diagnostics) = run_rule_on("repeated-sentence", &twice);
    assert_eq!(diagnostics.len(), 0);
}

#[test]
fn sample_novel_planted_duplicates() {
    assert_eq!(
        findings("duplicate-paragraph", SAMPLE),
        vec![
            // #8: near-duplicate in the same file.
            f(
                "chapter-02.txt",
                76,
                1,
                "80% of this paragraph repeats chapter-02.txt:13 (an edited copy)",
                &["chapter-02.txt:13"]
            ),
            // #7: exact copy across files.
            f(
                "chapter-03.md",
                20,
                1,
                "100% of this paragraph repeats chapter-01.md:13 (an exact copy)",
                &["chapter-01.md:13"]
            ),
            // #9: contained in a longer, hard-wrapped paragraph.
            f(
                "chapter-04.txt",
                15,
                1,
                "100% of this paragraph repeats chapter-02.txt:38, inside a longer paragraph",
                &["chapter-02.txt:38"]
            ),
        ]
    );
    // #10, and not the paragraphs around it.
    assert_eq!(
        findings("repeated-sentence", SAMPLE),
        vec![f(
            "chapter-04.txt",
            23,
            79,
            "this sentence repeats chapter-01.md:17 word for word",
            &["chapter-01.md:17"]
        )]
    );
}

#[test]
fn snapshot_of_rendered_duplicates() {
    let mut out = render_human("duplicate-paragraph", PLANTED);
    out.push_str(&render_human("repeated-sentence", PLANTED));
    insta::assert_snapshot!(out);
}

#[test]
fn normalisation_ignores_case_quotes_and_apostrophes() {
    assert_eq!(word_hash("Don’t"), word_hash("don't"));
    assert_eq!(word_hash("ÉTÉ"), word_hash("été"));
    assert_eq!(word_hash("Salt"), word_hash("sALT"));
    assert_eq!(word_hash("don`t"), word_hash("Don’t"));
    assert_eq!(word_hash("naïve"), word_hash("NAÏVE"));
    assert_ne!(word_hash("dont"), word_hash("don't"));
}

/// [`crate::testing::manuscript`] of owned `(file name, text)` chapters.
fn parse(chapters: &[(String, String)]) -> Manuscript {
    let chapters: Vec<(&str, &str)> = chapters
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    crate::testing::manuscript(&chapters)
}

#[test]
fn stock_shingles_found_in_many_paragraphs_are_no_evidence() {
    // 30 paragraphs that share one stock sentence and nothing else.
    let text: String = (0..30)
        .map(|i| {
            format!(
                "For a moment at the same time as ever. Zarkon{i} quibbled with Velloran{i} over \
                 marmalade{i} and parsnips{i} beside the aqueduct{i}.\n\n"
            )
        })
        .collect();
    let manuscript = parse(&[("a.txt".to_string(), text)]);
    let params = Params::default();
    let paras = paragraphs(&manuscript, &params);
    assert_eq!(paras.iter().filter(|p| p.eligible).count(), 30);
    let first_copy = exact_classes(&paras);
    let mut prepared = prepare(&manuscript, &params);
    let (paras, vocabulary) = flatten(&manuscript, &mut prepared);
    let chapters = chapter_ranges(&first_paragraphs(&prepared, paras.len()), paras.len());
    assert_eq!(
        candidate_pairs(&paras, &vocabulary, &chapters, &first_copy, &params),
        vec![]
    );
    assert_eq!(find_duplicates(&manuscript, &params), Duplicates::default());
}

#[test]
fn covered_spans_merge_every_occurrence() {
    let (manuscript, _) = run_rule_on("duplicate-paragraph", PLANTED);
    let found = find_duplicates(&manuscript, &Params::default());
    assert_eq!(found.pairs.len(), 6);
    assert_eq!(found.groups.len(), 1);
    assert_eq!(found.repeats.len(), 1);
    let first = manuscript.chapter(0);
    let covered = found.covered_spans(0);
    // Chapter 1: the exact copy, three edited, the long paragraph's
    // contained part, the shared sentences, the repeated sentence and the
    // tripled paragraph.
    assert_eq!(covered.len(), 8);
    assert!(
        first
            .slice(covered[0])
            .starts_with("The lighthouse at Carrow Point")
    );
    assert!(first.slice(covered[3]).starts_with("Nobody in the village"));
    assert!(first.slice(covered[3]).ends_with("forty years of salt"));
}

#[test]
fn sentences_of_common_words_and_shared_runs_are_found() {
    assert_eq!(
        findings("repeated-sentence", REPEATS),
        vec![
            // 14 common words; the first place goes on with a dialogue tag,
            // so the repeat is a run, not a whole sentence in both places.
            f(
                "chapter-02.md",
                3,
                194,
                "these 14 words repeat chapter-01.md:3 word for word",
                &["chapter-01.md:3"]
            ),
            // The carts: 19 words inside a longer sentence.
            f(
                "chapter-02.md",
                5,
                188,
                "these 19 words repeat chapter-01.md:5 word for word",
                &["chapter-01.md:5"]
            ),
            // Eleven common words, a whole sentence in both places. The
            // nine-word “She put the cup down and looked at him.” is a
            // formulaic line: too short to count without rare words.
            f(
                "chapter-02.md",
                7,
                36,
                "this sentence repeats chapter-01.md:9 word for word",
                &["chapter-01.md:9"]
            ),
        ]
    );
}

#[test]
fn an_exact_copy_in_the_same_chapter_is_one_finding() {
    // The soup paragraph (line 7) is pasted again two paragraphs later.
    assert_eq!(
        findings("duplicate-paragraph", REPEATS),
        vec![f(
            "chapter-01.md",
            11,
            1,
            "100% of this paragraph repeats chapter-01.md:7 (an exact copy)",
            &["chapter-01.md:7"]
        )]
    );
    // Nothing inside the copy is reported again by another rule.
    for rule in ["repeated-phrase", "word-echo", "overused-word"] {
        assert_eq!(findings(rule, REPEATS), vec![], "{rule}");
    }
}

#[test]
fn repeated_sentence_and_duplicate_paragraph_never_report_one_pair_twice() {
    for chapters in [PLANTED, REPEATS, SAMPLE] {
        let (_, sentences) = run_rule_on("repeated-sentence", chapters);
        let (_, copies) = run_rule_on("duplicate-paragraph", chapters);
        assert!(!sentences.is_empty() && !copies.is_empty());
        // No sentence finding has all its places inside the places of one
        // duplicate-paragraph finding.
        for s in &sentences {
            for d in &copies {
                let inside = |label: &crate::diagnostic::Label| {
                    std::iter::once(&d.primary)
                        .chain(&d.related)
                        .any(|c| c.chapter == label.chapter && c.span.contains(label.span))
                };
                assert!(
                    !std::iter::once(&s.primary).chain(&s.related).all(inside),
                    "{} is also reported by duplicate-paragraph: {}",
                    s.message,
                    d.message
                );
            }
        }
    }
}

/// A paragraph pasted 21, 25 or 60 times: once, with the count, however
/// often its 3-word shingles occur (the cut-off for stock phrases used to
/// silence exactly this case).
#[test]
fn a_paragraph_pasted_many_times_is_one_finding_with_the_count() {
    let pasted = "The lighthouse keeper's logbook lay open at the page for the night of the wreck, \
                  and somebody had torn out the lower half with a careful, steady hand.";
    for copies in [21, 25, 60] {
        let mut text = String::from("Gulls wheeled over the harbour wall all morning.\n\n");
        for i in 0..copies {
            text.push_str(pasted);
            text.push_str(&format!("\n\nInterlude {i} went by without a word.\n\n"));
        }
        let (_, diagnostics) = run_rule_on("duplicate-paragraph", &[("a.txt", &text)]);
        assert_eq!(diagnostics.len(), 1, "{copies} copies");
        let message = &diagnostics[0].message;
        assert!(
            message.starts_with(&format!(
                "this paragraph appears {copies} times: 100% of it repeats a.txt:3, a.txt:7,"
            )),
            "{message}"
        );
        assert_eq!(diagnostics[0].related.len(), copies - 1);
        // Ten places in the message, the rest counted; labels for all.
        assert!(
            message.ends_with(&format!("a.txt:39 and {} more", copies - 11)),
            "{message}"
        );
        // Nor does repeated-sentence report the copies' sentences.
        let (_, sentences) = run_rule_on("repeated-sentence", &[("a.txt", &text)]);
        assert_eq!(sentences, vec![], "{copies} copies");
    }
}

#[test]
fn a_sentence_written_three_times_is_one_finding() {
    let line = "Every lamp along the quay had been lit by the time the boats came in.";
    // Paragraphs different enough not to be edited copies of each other.
    let text = format!(
        "{line} The gulls were quiet, and the harbour master went home early with \
         his collar up against the drizzle.\n\n\
         Nobody spoke at supper that night.\n\n\
         The cook burned the bread and blamed the new oven, which smoked whenever \
         the wind came from the east. {line}\n\n\
         Later, much later, when the children were asleep and the dishes stacked, \
         she said it again. {line}\n"
    );
    let (manuscript, diagnostics) = run_rule_on("repeated-sentence", &[("a.txt", &text)]);
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert_eq!(
        d.message,
        "this sentence appears 3 times word for word: a.txt:1, a.txt:5"
    );
    assert_eq!(manuscript.chapter(0).slice(d.primary.span), line);
    assert_eq!(d.related.len(), 2);
    assert_eq!(
        d.facts.as_deref(),
        Some(&crate::diagnostic::Facts::Repetition {
            text: line.to_string(),
            count: 3
        })
    );
}

#[test]
fn allowed_refrains_and_short_plain_lines_are_not_reported() {
    let refrain = "And still the river ran on down to the sea without us.";
    let text = format!(
        "{refrain} Nobody answered.\n\nShe nodded and went in.\n\nThe day was long. {refrain}\n\n\
         Yes, she said.\n\nShe nodded and went in.\n"
    );
    let chapters = [("a.txt", text.as_str())];
    assert_eq!(
        crate::testing::run_rule_with("repeated-sentence", "", &chapters)
            .1
            .len(),
        1
    );
    let allow = "allow = [\"the river ran on down to the sea without us\"]";
    assert_eq!(
        crate::testing::run_rule_with("repeated-sentence", allow, &chapters).1,
        vec![]
    );
}

/// An epigraph repeated at the head of three chapters is one finding, at
/// the last copy; a directive on any copy (the first, here), or the
/// epigraph listed in `allow`, marks the repeat deliberate and nothing is
/// reported. A pasted paragraph beside it is still found.
#[test]
fn deliberate_repeats_are_marked_on_any_copy_or_allowed() {
    let epigraph = "Keep the lamp trimmed and the glass clean, and let the sea do as it likes with the boats and the men who sail them.";
    let pasted = "The ferry came in late that night, its one good lamp swinging above the deck as the harbour master shouted at the boys on the quay.";
    let chapter = |n: usize, first: &str| {
        format!(
            "{first}{epigraph}\n\nChapter {n} began with rain over the island and a letter for the keeper.\n\n{pasted}\n"
        )
    };
    let plain = [chapter(1, ""), chapter(2, ""), chapter(3, "")];
    let found = |texts: &[String], options: &str| -> Vec<(usize, String)> {
        let chapters: Vec<(String, &str)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("c{}.md", i + 1), t.as_str()))
            .collect();
        let chapters: Vec<(&str, &str)> = chapters.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        crate::testing::run_rule_with("duplicate-paragraph", options, &chapters)
            .1
            .into_iter()
            .map(|d| (d.primary.chapter, d.message))
            .collect()
    };
    let both = found(&plain, "");
    assert_eq!(both.len(), 2, "{both:?}");
    assert!(both.iter().all(|(chapter, _)| *chapter == 2), "{both:?}");
    let pasted_only = |line: usize| {
        vec![(
            2,
            format!("this paragraph appears 3 times: 100% of it repeats c1.md:{line}, c2.md:5"),
        )]
    };
    // A directive before the first copy.
    let marked = [
        chapter(1, "<!-- manulint-disable-next duplicate-paragraph -->\n\n"),
        chapter(2, ""),
        chapter(3, ""),
    ];
    assert_eq!(found(&marked, ""), pasted_only(7));
    // The epigraph allowed, with other capitals and punctuation.
    let allow = "allow = [\"keep the lamp trimmed and the glass clean and let the sea do as it likes with the boats and the men who sail them\"]";
    assert_eq!(found(&plain, allow), pasted_only(5));
}

/// A sentence that comes back later in its own paragraph, on one line, is
/// placed by its column: “repeats c.md:1” at c.md:1 would point at itself.
#[test]
fn a_repeat_on_the_findings_own_line_gives_its_column() {
    let line = "The lamp on the quay went out at nine every night of the year.";
    let text =
        format!("{line} Nobody knew who put it out, and nobody asked the harbour master. {line}\n");
    let messages: Vec<String> =
        crate::testing::run_rule_with("repeated-sentence", "", &[("c.md", &text)])
            .1
            .into_iter()
            .map(|d| d.message)
            .collect();
    assert_eq!(messages, ["this sentence repeats c.md:1:1 word for word"]);
}

/// A line of a song sung again on the next line is a refrain when markup
/// sets it as verse (a block quote). The same sentence twice in a row in
/// prose, or on two short lines ending with full stops, is still a slip.
#[test]
fn a_verse_line_sung_again_is_no_sentence_written_twice() {
    let prose = "Maelis brought out her pipe and played the river song, and the drovers sang along with her until the fire burned low.";
    let messages = |text: &str| -> Vec<String> {
        crate::testing::run_rule_with("repeated-sentence", "", &[("c.md", text)])
            .1
            .into_iter()
            .map(|d| d.message)
            .collect()
    };
    let quoted = format!(
        "{prose}\n\n> *The river runs to Ithrë.*\n> *The river runs to Ithrë.*\n> *And none who follow come home again.*\n"
    );
    assert_eq!(messages(&quoted), Vec::<String>::new());
    let short_lines = format!(
        "{prose}\n\nThe river runs to Ithrë.\nThe river runs to Ithrë.\nAnd none who follow come home again.\n"
    );
    // Lines ending with full stops may be prose written a sentence to a
    // line: without markup, a sentence twice is still reported.
    assert_eq!(
        messages(&short_lines),
        ["this sentence is written twice in a row"]
    );
    let in_prose =
        format!("{prose}\n\nThe river runs to Ithrë. The river runs to Ithrë. None come home.\n");
    assert_eq!(
        messages(&in_prose),
        ["this sentence is written twice in a row"]
    );
}

/// A refrain listed in `allow` closing two short paragraphs is taken out
/// of both before they are compared: what is left is no copy, so nothing
/// is reported. Two paragraphs that are edited copies beside the refrain
/// still are.
#[test]
fn an_allowed_refrain_inside_paragraphs_is_taken_out_before_comparing() {
    let refrain = "And the water kept its counsel, as the water always had.";
    let one = format!("Morag made the tea.\n\nBelow the window the tide was turning. {refrain}\n");
    let two = format!(
        "Loretta patted her hand.\n\nOutside, the gulls were shouting over the bins. The tide was coming in. {refrain}\n"
    );
    let found = |two: &str, options: &str| -> Vec<String> {
        crate::testing::run_rule_with(
            "duplicate-paragraph",
            options,
            &[("1.md", &one), ("2.md", two)],
        )
        .1
        .into_iter()
        .map(|d| d.message)
        .collect()
    };
    let allow = format!("allow = [\"{refrain}\"]");
    assert_eq!(
        found(&two, ""),
        ["71% of this paragraph repeats 1.md:3 (an edited copy)"]
    );
    assert_eq!(found(&two, &allow), Vec::<String>::new());
    // The scene sentence copied with one word changed, beside the refrain.
    let edited =
        format!("Loretta patted her hand.\n\nBelow the window the tide was rising. {refrain}\n");
    assert_eq!(
        found(&edited, &allow),
        ["94% of this paragraph repeats 1.md:3 (an edited copy)"]
    );
}

/// A sentence of six or seven words with rare words, shorter than
/// `min-words`, counts when the narration of two chapters writes it; said
/// in speech, or twice in one chapter, it is left alone.
#[test]
fn short_distinctive_sentences_count_in_the_narration_of_two_chapters() {
    let line = "Her father smelled of kerosene and tobacco.";
    let one =
        format!("The boat came in late.\n\n{line} He never said where he had been all day.\n");
    let two = format!("The winter was long.\n\nShe remembered the kitchen at dawn. {line}\n");
    let places = |chapters: &[(&str, &str)]| -> Vec<(usize, u32)> {
        crate::testing::run_rule_with("repeated-sentence", "", chapters)
            .1
            .iter()
            .map(|d| (d.primary.chapter, d.primary.span.start))
            .collect()
    };
    let at = two.find(line).unwrap() as u32;
    assert_eq!(places(&[("1.txt", &one), ("2.txt", &two)]), [(1, at)]);
    // In speech in the second chapter: a voice.
    let said = format!("The winter was long.\n\n“{line}” she said, and laughed.\n");
    assert_eq!(places(&[("1.txt", &one), ("2.txt", &said)]), []);
    // Twice in one chapter's narration.
    let both =
        format!("{one}\nThe winter was long.\n\nShe remembered the kitchen at dawn. {line}\n");
    assert_eq!(places(&[("1.txt", &both)]), []);
    // Five words, or plain words: never.
    let five = |text: &str| text.replace(line, "Father smelled of kerosene then.");
    assert_eq!(
        places(&[("1.txt", &five(&one)), ("2.txt", &five(&two))]),
        []
    );
    let plain = |text: &str| text.replace(line, "Her father was in the other room.");
    assert_eq!(
        places(&[("1.txt", &plain(&one)), ("2.txt", &plain(&two))]),
        []
    );
}

/// A tiny deterministic random number generator (xorshift), so the recall
/// test is repeatable without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const FILLER: &[&str] = &[
    "window", "quietly", "river", "lantern", "bitter", "across", "morning", "stone", "letter",
    "carriage", "hollow", "remember", "garden", "silver", "distant", "promise", "shadow",
    "kitchen", "wander", "narrow", "however", "bright", "valley", "whisper", "copper", "harbour",
    "ribbon",
];

/// Applies `edits` random word edits (substitute, delete or insert).
fn mutate(rng: &mut Rng, text: &str, rate: f64) -> String {
    let mut tokens: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    let edits = (rate * tokens.len() as f64).round() as usize;
    for _ in 0..edits {
        let at = rng.below(tokens.len());
        let word = FILLER[rng.below(FILLER.len())].to_string();
        match rng.below(3) {
            0 => tokens[at] = word,
            1 if tokens.len() > 3 => {
                tokens.remove(at);
            }
            _ => tokens.insert(at, word),
        }
    }
    tokens.join(" ")
}

#[test]
fn recall_on_edited_copies_of_real_paragraphs() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!(
            "SKIPPED: {} is absent; the recall test needs the corpus",
            corpus.display()
        );
        return;
    }
    let params = Params::default();
    let mut rng = Rng(0x5eed_d00d_cafe_f00d);
    // (edit rate, found, planted)
    let mut tally: Vec<(f64, usize, usize)> = Vec::new();
    for novel in ["emma", "the-time-machine", "adventures-of-huckleberry-finn"] {
        let mut chapters = read_novel(&corpus.join(novel));
        assert!(!chapters.is_empty(), "no chapters in {novel}");
        let manuscript = parse(&chapters);
        // Paragraphs the rule considers at all (at least the minimums),
        // 40 of them at random, each copied with 5–30% of words edited
        // into a new last chapter.
        let paras = paragraphs(&manuscript, &params);
        let candidates: Vec<&Para> = paras.iter().filter(|p| p.eligible).collect();
        let mut inserted = String::new();
        let mut planted = Vec::new();
        for k in 0..40 {
            let source = candidates[rng.below(candidates.len())];
            let rate = [0.05, 0.10, 0.15, 0.20, 0.25, 0.30][k % 6];
            let text = manuscript.chapter(source.r.chapter).slice(source.r.span);
            let copy = mutate(&mut rng, text, rate);
            let start = inserted.len();
            inserted.push_str(&copy);
            planted.push((source.r, start, rate));
            inserted.push_str("\n\n");
        }
        chapters.push(("zz-inserted.txt".to_string(), inserted));
        let manuscript = parse(&chapters);
        let last = manuscript.chapters.len() - 1;
        let found = find_duplicates(&manuscript, &params);
        for (source, start, rate) in planted {
            let hit = |r: &ParagraphRef| r.chapter == last && r.span.start as usize == start;
            let ok = found
                .pairs
                .iter()
                .any(|p| hit(&p.later) && p.earlier == source)
                || found
                    .groups
                    .iter()
                    .any(|g| g.members.contains(&source) && g.members.iter().any(hit));
            match tally.iter_mut().find(|t| t.0 == rate) {
                Some(t) => {
                    t.1 += ok as usize;
                    t.2 += 1;
                }
                None => tally.push((rate, ok as usize, 1)),
            }
        }
    }
    let (found, planted) = tally
        .iter()
        .filter(|t| t.0 <= 0.25)
        .fold((0, 0), |acc, t| (acc.0 + t.1, acc.1 + t.2));
    eprintln!("recall by edit rate (rate, found, planted): {tally:?}");
    assert!(
        found * 100 >= planted * 95,
        "recall at ≤25% edits is {found}/{planted}: {tally:?}"
    );
}

#[test]
fn degenerate_inputs_are_quiet_and_do_not_panic() {
    for text in [
        "",
        "\n\n\n",
        "* * *\n\n~\n\n#\n",
        "Chapter 1\n\nChapter 1\n",
    ] {
        let twice = [("a.md", text), ("b.md", text)];
        assert_eq!(
            run_rule_on("duplicate-paragraph", &twice).1,
            vec![],
            "{text:?}"
        );
        assert_eq!(
            run_rule_on("repeated-sentence", &twice).1,
            vec![],
            "{text:?}"
        );
    }
    // One huge paragraph pasted twice, with a one-word change: found, once.
    let long: String = (0..3000)
        .map(|i| format!("Quillon{} marched past the harbour", i % 97))
        .collect::<Vec<_>>()
        .join(" ");
    let changed = long.replacen("marched", "walked", 1);
    let text = format!("{long}.\n\n{changed}.\n");
    let (_, diagnostics) = run_rule_on("duplicate-paragraph", &[("a.txt", &text)]);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics[0].message,
        "99% of this paragraph repeats a.txt:1 (an edited copy)"
    );
}

/// The whole corpus as one manuscript: every finding, each judged by hand
/// to be a real repeat in the source (see docs/duplicates.md). A new
/// finding here is most likely a false alarm.
#[test]
#[ignore = "reads the whole corpus (about 20 s in a debug build): cargo test -- --ignored"]
fn corpus_findings_are_the_known_real_repeats() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!(
            "SKIPPED: {} is absent; the corpus test needs it",
            corpus.display()
        );
        return;
    }
    let mut novels: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    novels.retain(|p| p.is_dir());
    novels.sort();
    let mut chapters = Vec::new();
    for novel in &novels {
        let name = novel.file_name().map(|n| n.to_string_lossy().into_owned());
        for (file, text) in read_novel(novel) {
            chapters.push((format!("{}/{file}", name.clone().unwrap_or_default()), text));
        }
    }
    let manuscript = parse(&chapters);
    let at = |r: &ParagraphRef, span: Span| {
        let chapter = manuscript.chapter(r.chapter);
        format!(
            "{}:{}",
            chapter.path.display(),
            chapter.line_col(span.start as usize).line
        )
    };
    let found = find_duplicates(&manuscript, &Params::default());
    let mut got: Vec<String> = found
        .pairs
        .iter()
        .map(|p| {
            format!(
                "{} <- {} {:?}",
                at(&p.later, p.later_shared),
                at(&p.earlier, p.earlier_shared),
                p.kind
            )
        })
        .collect();
    got.extend(
        found
            .groups
            .iter()
            .map(|g| format!("group of {}", g.members.len())),
    );
    assert_eq!(
        got,
        vec![
            "a-tale-of-two-cities/chapter-05.txt:217 <- a-tale-of-two-cities/chapter-05.txt:207 Edited",
            "a-tale-of-two-cities/chapter-39.txt:383 <- a-tale-of-two-cities/chapter-39.txt:349 Contained",
            "a-tale-of-two-cities/chapter-45.txt:193 <- a-tale-of-two-cities/chapter-39.txt:349 Contained",
            "a-tale-of-two-cities/chapter-45.txt:193 <- a-tale-of-two-cities/chapter-39.txt:383 Exact",
            "emma/chapter-09.txt:166 <- emma/chapter-09.txt:103 Edited",
            "emma/chapter-09.txt:171 <- emma/chapter-09.txt:105 Contained",
            "emma/chapter-09.txt:176 <- emma/chapter-09.txt:108 Edited",
            "great-expectations/chapter-18.txt:327 <- great-expectations/chapter-18.txt:321 Edited",
            "great-expectations/chapter-38.txt:243 <- great-expectations/chapter-38.txt:238 Edited",
            "the-adventures-of-sherlock-holmes/chapter-01.txt:619 <- the-adventures-of-sherlock-holmes/chapter-01.txt:612 Contained",
            "the-house-of-mirth/chapter-14.txt:374 <- the-house-of-mirth/chapter-06.txt:280 Edited",
        ]
    );
}

/// Word windows taken in passes over ranges of their hashes find what one
/// pass finds: the same repeats, in the same order, whatever the pass size.
#[test]
fn windows_taken_in_passes_find_the_repeats_of_one_pass() {
    let mut chapters: Vec<(&str, &str)> = REPEATS.to_vec();
    chapters.extend(PLANTED);
    chapters.extend(SAMPLE);
    let names: Vec<String> = (0..chapters.len()).map(|i| format!("c{i:02}.md")).collect();
    let renamed: Vec<(&str, &str)> = names
        .iter()
        .zip(&chapters)
        .map(|(name, &(_, text))| (name.as_str(), text))
        .collect();
    let manuscript = crate::testing::manuscript(&renamed);
    let settings = Settings {
        paragraphs: Params::default(),
        sentences: SentenceParams::default(),
    };
    let one_pass = Detection::build_in_passes(&manuscript, &settings, usize::MAX).found;
    assert!(
        one_pass.repeats.len() >= 5,
        "{} repeats: too few to test the passes",
        one_pass.repeats.len()
    );
    for per_pass in [1, 7, 100, 1000] {
        let found = Detection::build_in_passes(&manuscript, &settings, per_pass).found;
        assert_eq!(found.repeats, one_pass.repeats, "{per_pass} windows a pass");
        assert_eq!(found.pairs, one_pass.pairs);
    }
}

/// A sentence said twice inside one paragraph is a repeat even when the
/// whole paragraph is copied into a group elsewhere: the group reports the
/// copies, not what each copy repeats within itself.
#[test]
fn a_repeat_inside_a_grouped_paragraph_is_still_found() {
    let sentence = "The lighthouse keeper counted every ship that passed the rocks before dawn.";
    let paragraph = format!(
        "{sentence} Nobody on the quay believed him, and the gulls laughed at the whole idea. {sentence}"
    );
    let chapters: Vec<String> = (0..3)
        .map(|i| format!("# Part {i}\n\nA different opening paragraph for part {i} of the tale.\n\n{paragraph}\n"))
        .collect();
    let names = ["a.md", "b.md", "c.md"];
    let files: Vec<(&str, &str)> = names
        .iter()
        .copied()
        .zip(chapters.iter().map(String::as_str))
        .collect();
    let manuscript = crate::testing::manuscript(&files);
    let found = find_duplicates(&manuscript, &Params::default());
    assert_eq!(found.groups.len(), 1, "{:?}", found.groups);
    assert_eq!(found.groups[0].members.len(), 3);
    let within: Vec<&Repeat> = found
        .repeats
        .iter()
        .filter(|r| r.places.windows(2).any(|w| w[0].chapter == w[1].chapter))
        .collect();
    assert_eq!(within.len(), 1, "{:?}", found.repeats);
    let text = &chapters[0];
    let place = within[0].places[0];
    assert_eq!(&text[place.span.range()], sentence);
}

/// A paragraph's shingles listed in passes over ranges of their hashes are
/// the shingles listed at once, sorted and without repeats.
#[test]
fn shingles_listed_in_passes_are_those_listed_at_once() {
    // Words drawn from a few forms, so that shingles repeat.
    let mut seed = 0x9e37_79b9_u64;
    let hashes: Vec<u64> = (0..5_000)
        .map(|_| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            word_hash(["the", "sea", "a", "grey", "sky", "over", "it"][(seed >> 33) as usize % 7])
        })
        .collect();
    let mut vocabulary = Vocabulary::default();
    let words: Vec<u32> = hashes.iter().map(|&h| vocabulary.id(h)).collect();
    assert_eq!(vocabulary.hashes.len(), 7);
    // Shingles of ids are those of the words' hashes.
    let mut expected: Vec<u64> = hashes
        .windows(3)
        .map(|w| {
            (w[0].rotate_left(1) ^ w[1].rotate_left(17) ^ w[2].rotate_left(41))
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        })
        .collect();
    expected.sort_unstable();
    expected.dedup();
    assert!(
        expected.len() > 100 && expected.len() < 4_998,
        "{}",
        expected.len()
    );
    for per_pass in [1, 7, 1000, 4_998, usize::MAX] {
        assert_eq!(
            {
                let mut distinct = Vec::new();
                let left_out = distinct_shingles_in_passes(
                    &words,
                    &vocabulary.hashes,
                    per_pass,
                    |_| true,
                    &mut distinct,
                );
                assert_eq!(left_out, 0);
                distinct
            },
            expected,
            "{per_pass} a pass"
        );
    }
    // Kept or left out, each 3-gram is counted: the left out ones with
    // their repeats.
    let odd = |s: u64| s % 2 == 1;
    for per_pass in [1, 1000, usize::MAX] {
        let mut kept = Vec::new();
        let left_out =
            distinct_shingles_in_passes(&words, &vocabulary.hashes, per_pass, odd, &mut kept);
        let expected_kept: Vec<u64> = expected.iter().copied().filter(|&s| odd(s)).collect();
        assert_eq!(kept, expected_kept, "{per_pass} a pass");
        let all: Vec<u64> = words
            .windows(3)
            .map(|w| shingle(w, &vocabulary.hashes))
            .collect();
        assert_eq!(left_out, all.iter().filter(|&&s| !odd(s)).count());
    }
    let mut none = Vec::new();
    assert_eq!(
        distinct_shingles_in_passes(&words[..2], &vocabulary.hashes, 1, |_| true, &mut none),
        0
    );
    assert!(none.is_empty());
}

/// Whether the chapters number their words in the book's vocabulary (a
/// run) or each in its own (a language server, which keeps each chapter's
/// lists), put together every paragraph's ids are the manuscript's,
/// standing for the words' hashes: copies that share one list included.
#[test]
fn paragraph_words_are_renumbered_into_one_vocabulary() {
    let pasted = "The lighthouse keeper counted the gulls on the railing every \
                  morning before the ferry came in from the mainland.";
    let first = format!("Salt and tar.\n\n{pasted}\n\nRain fell on the harbour.\n");
    let second = format!("Gulls wheeled.\n\n{pasted}\n\n{pasted}\n\nSalt again, and tar.\n");
    let files = [("one.txt", first.as_str()), ("two.txt", second.as_str())];
    for manuscript in [
        crate::testing::manuscript(&files),
        crate::testing::kept_manuscript(&files),
    ] {
        let (paras, vocabulary) =
            flatten(&manuscript, &mut prepare(&manuscript, &Params::default()));
        assert_eq!(paras.len(), 7);
        for para in &paras {
            let chapter = manuscript.chapter(para.r.chapter);
            let hashes: Vec<u64> = para
                .word_spans(chapter)
                .iter()
                .map(|&w| word_hash(chapter.slice(w)))
                .collect();
            let by_id: Vec<u64> = para
                .words
                .iter()
                .map(|&id| vocabulary[id as usize])
                .collect();
            assert_eq!(by_id, hashes, "{}", chapter.slice(para.r.span));
        }
        // One id a word: "salt" and "the" are in both chapters.
        let mut distinct = vocabulary.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), vocabulary.len());
        // The pasted paragraph has one list of words in all three places.
        assert_eq!(paras[1].words, paras[4].words);
        assert_eq!(paras[4].words, paras[5].words);
    }
}

/// The shingle index lists, for each eligible first copy, its distinct
/// shingles that another paragraph may share, each once, and counts all its
/// distinct shingles: a paragraph that repeats a phrase within itself,
/// later exact copies in its chapter and in another (not indexed), one too
/// short to compare (none), and a paragraph of another chapter sharing
/// shingles with both chapters' paragraphs.
#[test]
fn the_shingle_index_lists_shared_shingles_once_and_counts_them_all() {
    let refrain = "The tide came in and the tide went out and the tide came in \
                   again over the shingle below the harbour wall, said Mrs Pellow.";
    let other = "Mrs Pellow mended nets by the harbour wall while the tide came \
                 in over the shingle, and the gulls argued on the slipway.";
    let third = "Below the harbour wall Mrs Pellow counted the gulls while the \
                 tide came in over the shingle again, said the ferryman.";
    let one = format!("{refrain}\n\nShort one.\n\n{other}\n\n{refrain}\n");
    let two = format!("{other}\n\n{third}\n");
    let manuscript =
        crate::testing::manuscript(&[("one.txt", one.as_str()), ("two.txt", two.as_str())]);
    let params = Params::default();
    let mut prepared = prepare(&manuscript, &params);
    let (paras, vocabulary) = flatten(&manuscript, &mut prepared);
    assert_eq!(paras.len(), 6);
    let first_copy = exact_classes(&paras);
    assert_eq!(first_copy, [0, 1, 2, 0, 2, 5]);
    let bases = first_paragraphs(&prepared, paras.len());
    assert_eq!(bases, [0, 4]);
    let indexed = |id: usize| paras[id].eligible && first_copy[id] as usize == id;
    let chapters = chapter_ranges(&bases, paras.len());
    let index = ShingleIndex::build(&paras, &vocabulary, &chapters, indexed);
    let distinct: Vec<Vec<u64>> = paras
        .iter()
        .map(|p| distinct_shingles(&p.words, &vocabulary))
        .collect();
    let count = |id: usize| distinct[id].len() as u32;
    assert_eq!(index.counts, [count(0), 0, count(2), 0, 0, count(5)]);
    // The refrain says "the tide came in" twice.
    assert!(index.counts[0] < paras[0].words.len() as u32 - 2);
    let mut listed: Vec<(u64, u32)> = index.runs.concat();
    listed.sort_unstable();
    let all = listed.len();
    listed.dedup();
    assert_eq!(
        listed.len(),
        all,
        "a shingle listed twice for one paragraph"
    );
    // Everything listed is a shingle of an indexed paragraph.
    assert!(
        listed
            .iter()
            .all(|&(s, id)| indexed(id as usize) && distinct[id as usize].contains(&s))
    );
    // Whatever two indexed paragraphs share is listed for both, within a
    // chapter and across them, and so is the refrain's own repeat.
    for (a, b) in [(0, 2), (0, 5), (2, 5)] {
        let shared: Vec<u64> = distinct[a]
            .iter()
            .copied()
            .filter(|s| distinct[b].contains(s))
            .collect();
        assert!(shared.len() >= 3, "{a} and {b}: {shared:?}");
        for s in shared {
            assert!(listed.contains(&(s, a as u32)) && listed.contains(&(s, b as u32)));
        }
    }
    let tide_came_in = shingle(&paras[0].words[1..4], &vocabulary);
    assert!(listed.contains(&(tide_came_in, 0)));
}

/// The bound that lets `verify` skip the diff is never below what the diff
/// matches (or a pair that is a copy could be missed), and is reached.
#[test]
fn common_words_bound_is_never_below_what_a_diff_matches() {
    assert_eq!(common_words_bound(&[1, 2, 2, 3], &[2, 2, 2, 4, 1]), 3);
    assert_eq!(common_words_bound(&[], &[1]), 0);
    // Pseudo-random pairs of short sequences over a small vocabulary, the
    // same on every run.
    let mut next = crate::testing::pseudo_random(12345);
    for _ in 0..2_000 {
        let a: Vec<u32> = (0..next(12)).map(|_| next(5)).collect();
        let b: Vec<u32> = (0..next(12)).map(|_| next(5)).collect();
        let matched: usize = capture_diff_slices_deadline(Algorithm::Myers, &a, &b, None)
            .iter()
            .filter(|op| op.tag() == DiffTag::Equal)
            .map(|op| op.old_range().len())
            .sum();
        let bound = common_words_bound(&a, &b);
        assert!(matched <= bound, "{a:?} {b:?}: {matched} > {bound}");
        if a.iter().all(|w| a[0] == *w) && b.iter().all(|w| a.first() == Some(w)) {
            assert_eq!(matched, bound, "{a:?} {b:?}");
        }
    }
}

/// Each paragraph's word hashes, sentence hashes, eligibility and shingle
/// count, in reading order.
fn prepared(manuscript: &Manuscript) -> Vec<(Vec<u64>, Vec<u64>, bool, u32)> {
    let params = Params::default();
    let mut chapters = prepare(manuscript, &params);
    let (paras, vocabulary) = flatten(manuscript, &mut chapters);
    paras
        .iter()
        .map(|p| {
            let words = p.words.iter().map(|&w| vocabulary[w as usize]).collect();
            let sentences = p.sentences.iter().map(|(_, hash)| *hash).collect();
            let shingles = if p.eligible {
                distinct_shingles(&p.words, &vocabulary).len() as u32
            } else {
                0
            };
            (words, sentences, p.eligible, shingles)
        })
        .collect()
}

/// Hashes and rarity read from the book's texts prepare the paragraphs the
/// chapters prepare with their own: with every chapter numbered, with one
/// that keeps no ids, and in a language server's manuscript.
#[test]
fn the_books_word_facts_prepare_the_chapters_paragraphs() {
    let paragraph = "The harbour-master’s Quillon sloop rode at anchor while Maud \
                     counted the barrels twice and wrote the tally in her ledger.";
    let chapters = [
        ("a.txt", format!("{paragraph}\n\nA short one.\n")),
        (
            "b.txt",
            format!("Elsewhere entirely.\n\n{}\n", paragraph.to_uppercase()),
        ),
        ("c.txt", format!("{paragraph} Then she slept.\n")),
    ];
    let chapters: Vec<(&str, &str)> = chapters.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let book = crate::testing::manuscript(&chapters);
    assert!(book.texts().is_some());
    let found = prepared(&book);
    let eligible: Vec<(bool, u32)> = found.iter().map(|p| (p.2, p.3)).collect();
    // 21 words: 19 shingles, and 3 more with “Then she slept”.
    assert_eq!(
        eligible,
        [(true, 19), (false, 0), (false, 0), (true, 19), (true, 22)]
    );
    // Case and apostrophes aside, the same words hash alike.
    assert_eq!(found[0].0, found[3].0);
    let kept = crate::testing::kept_manuscript(&chapters);
    assert_eq!(prepared(&kept), found);
    let mut partly = crate::testing::manuscript(&chapters);
    partly.chapters[1].word_texts = crate::text::WordTexts::none();
    assert_eq!(prepared(&partly), found);
    // Which vocabulary each chapter numbered its words in: the book's
    // wherever its words have text ids.
    let in_book = |manuscript: &Manuscript| -> Vec<bool> {
        prepare(manuscript, &Params::default())
            .iter()
            .map(|p| matches!(p.numbering, Numbering::Book(_)))
            .collect()
    };
    assert_eq!(in_book(&book), [true, true, true]);
    assert_eq!(in_book(&partly), [true, false, true]);
    assert_eq!(in_book(&kept), [false, false, false]);
}

/// A firm's emails quoted in two chapters end with one sign-off: a
/// block-quoted set of short lines (name, firm, address, telephone) is a
/// document's furniture, repeated on purpose, and was an "exact copy"
/// error that failed a CI run (a newcomer's try as a copy-editor), then a
/// repeated sentence. A quoted email's wrapped sentences pasted twice are
/// still a copy.
#[test]
fn a_quoted_sign_off_is_not_compared() {
    let sign_off = "> Regards,\n> Martin Feld\n> Partner, Hollis Greaves LLP\n\
                    > 10 Fleet Place, London EC4M 7RB\n> T: +44 (0)20 7946 0321\n";
    let body = "> We should talk about the Riga accounts before the auditors arrive on\n\
                > Monday, because the numbers Hollis sent over last week do not match\n\
                > anything the bank has shown us, and somebody will have to explain it.\n";
    let one = format!("The email came in overnight.\n\n{body}\n{sign_off}\nHe read it twice.\n");
    let two =
        format!("Another email arrived at noon.\n\n> Call me.\n\n{sign_off}\nShe deleted it.\n");
    // Wrapped narrow, a letter's sentences run on in lowercase: still
    // compared (a reviewer's read).
    let narrow = "> I write to you from the house at Kelso, where\n\
                  > the rain has not stopped for a week, and the\n\
                  > river has come up over the lower field again\n\
                  > so that the sheep stand on the bank and cry.\n";
    let three = format!("The printout lay on the desk.\n\n{body}\n{narrow}\nHe put it away.\n");
    let four = format!("Her letter came.\n\n{narrow}\nHe folded it.\n");
    let chapters = [
        ("02.md", one.as_str()),
        ("05.md", two.as_str()),
        ("06.md", three.as_str()),
        ("07.md", four.as_str()),
    ];
    // Nor is the sign-off a sentence repeated.
    assert_eq!(
        findings("repeated-sentence", &chapters),
        Vec::<(String, usize, usize, String, Vec<String>)>::new()
    );
    assert_eq!(
        findings("duplicate-paragraph", &chapters),
        vec![
            f(
                "06.md",
                3,
                3,
                "100% of this paragraph repeats 02.md:3 (an exact copy)",
                &["02.md:3"]
            ),
            f(
                "07.md",
                3,
                3,
                "100% of this paragraph repeats 06.md:7 (an exact copy)",
                &["06.md:7"]
            )
        ]
    );
}
