//! Recall of the repetition rules on real prose: repeated images, verbatim
//! sentences and shared runs of words are planted, with a fixed seed, into
//! in-memory copies of novels from `../shared/corpus/`, and the findings of
//! `repeated-phrase` and `repeated-sentence` must point at both (or all)
//! places. Prints the recall per kind; skipped with a message when the
//! corpus is absent.
//!
//! Targets (issue #12): images ≥ 95%, verbatim sentences 100%, shared runs
//! ≥ 95%.

use std::path::Path;

use manulint::diagnostic::Diagnostic;
use manulint::text::{Manuscript, Span};

mod common;
use common::{Rng, corpus, parse_plain as parse, read_novel, run_rules as run};

/// Novels with much narration outside quotes (The Time Machine, told almost
/// all in quoted speech, has too little: speech is left out by default).
const NOVELS: &[&str] = &[
    "emma",
    "frankenstein",
    "adventures-of-huckleberry-finn",
    "the-war-of-the-worlds",
];

/// Invented images: a sensory noun with two modifiers (the common case),
/// with one, and images on other nouns.
const SENSORY_IMAGES: &[&str] = &[
    "thin pewter silence",
    "faint metallic tang",
    "brittle copper light",
    "sour electric hum",
    "cold mineral smell",
    "soft ochre glow",
    "dull tin ache",
    "sweet rotting scent",
    "low brassy drone",
    "pale milky haze",
    "green underwater gloom",
    "sharp resinous tang",
    "slow honeyed warmth",
    "hard white glare",
    "thick velvet darkness",
    "faint sulphurous reek",
    "dry papery rustle",
    "wet iron chill",
    "dusty amber light",
    "bitter almond taste",
    "pewter hush",
    "tallow glow",
    "ozone tang",
    "cinder smell",
];

const OTHER_IMAGES: &[&str] = &[
    "bruised violet sky",
    "crooked tin smile",
    "ragged pewter clouds",
    "small cold knot",
];

/// Sentences that carry an image: `{a}` is the indefinite article, `{the}`
/// the definite one, each capitalised at the start of a sentence.
const CARRIERS: &[&str] = &[
    "There was {a} {img} about the place that evening.",
    "Nobody else seemed to notice {the} {img}.",
    "Beneath it all lay {a} {img}.",
    "{The} {img} did not leave for a long while.",
    "Long afterwards the memory of {the} {img} came back.",
    "For a moment {a} {img} filled the room.",
    "It was {the} {img} again, as before.",
    "Somewhere near at hand hung {a} {img}.",
];

/// Words around a planted run, so that it sits inside a different sentence.
const RUN_PREFIXES: &[&str] = &[
    "Much later, when it was all over,",
    "She thought about it again:",
    "Nobody believed me at first, but",
    "In the end the answer was simply that",
];
const RUN_SUFFIXES: &[&str] = &[
    "and that was the end of it.",
    "or so the story went afterwards.",
    "which surprised nobody at all.",
    "as everybody had known from the start.",
];

const IMAGES_PER_NOVEL: usize = 15;
const SENTENCES_PER_NOVEL: usize = 15;
const RUNS_PER_NOVEL: usize = 15;

/// Text inserted into a chapter at a byte offset; `marks` are the byte
/// ranges (relative to the inserted text) a finding must point at.
struct Insertion {
    chapter: usize,
    at: usize,
    text: String,
    marks: Vec<(usize, usize)>,
}

/// What was planted, by kind: the places each finding must label, as
/// (chapter, span) after planting.
#[derive(Default)]
struct Planted {
    images: Vec<(bool, Vec<(usize, Span)>)>,
    sentences: Vec<Vec<(usize, Span)>>,
    runs: Vec<Vec<(usize, Span)>>,
}

/// Places where a sentence can be added: the end of a narration paragraph
/// of 20 words or more that ends a sentence (its last word not in quoted
/// speech, its last mark `.`, `!` or `?`, perhaps before a closing quote).
fn insertion_points(manuscript: &Manuscript) -> Vec<(usize, usize)> {
    let mut points = Vec::new();
    for chapter in &manuscript.chapters {
        for block in chapter.paragraphs() {
            let words = chapter.block_words(block);
            let ends_sentence = chapter
                .slice(block.span)
                .trim_end()
                .trim_end_matches(['”', '"', '’', '\'', ')'])
                .ends_with(['.', '!', '?']);
            if let Some(&last) = words.last()
                && words.len() >= 20
                && ends_sentence
                && !chapter.in_dialogue(last)
            {
                points.push((chapter.index, block.span.end as usize));
            }
        }
    }
    points
}

/// Sentences of `min..=max` words inside paragraphs, as (chapter, sentence
/// index).
fn sentences(manuscript: &Manuscript, min: usize, max: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for chapter in &manuscript.chapters {
        for (i, sentence) in chapter.sentences.iter().enumerate() {
            let block = &chapter.blocks[sentence.block as usize];
            let n = sentence.words.len();
            if block.is_paragraph() && (min..=max).contains(&n) {
                out.push((chapter.index, i));
            }
        }
    }
    out
}

/// A carrier sentence for `image`; returns the sentence and the byte range
/// of the image in it.
fn carry(template: &str, image: &str) -> (String, (usize, usize)) {
    let a = if image.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    let text = template
        .replace("{a}", a)
        .replace("{the}", "the")
        .replace("{The}", "The");
    let at = text.find("{img}").expect("template holds {img}");
    let sentence = text.replacen("{img}", image, 1);
    (sentence, (at, at + image.len()))
}

/// Plants every kind into the novel's chapters and returns the new texts
/// and the places findings must label.
fn plant(rng: &mut Rng, chapters: &[(String, String)]) -> (Vec<(String, String)>, Planted) {
    let manuscript = parse(chapters);
    let mut points = insertion_points(&manuscript);
    let mut insertions: Vec<Insertion> = Vec::new();
    let take_point = |points: &mut Vec<(usize, usize)>,
                      rng: &mut Rng,
                      chapter: Option<usize>|
     -> Option<(usize, usize)> {
        let candidates: Vec<usize> = (0..points.len())
            .filter(|&i| chapter.is_none_or(|c| points[i].0 == c))
            .collect();
        if candidates.is_empty() {
            return None;
        }
        Some(points.swap_remove(candidates[rng.below(candidates.len())]))
    };

    // Images: three uses in one chapter, in different carrier sentences.
    let mut pool: Vec<(&str, bool)> = SENSORY_IMAGES
        .iter()
        .map(|i| (*i, true))
        .chain(OTHER_IMAGES.iter().map(|i| (*i, false)))
        .collect();
    let mut image_plants: Vec<(bool, Vec<usize>)> = Vec::new();
    let mut ends_used: Vec<&str> = Vec::new();
    for _ in 0..IMAGES_PER_NOVEL {
        // Images of one novel share no first or last word, or the carrier
        // sentences would make phrases of their own across images (“tang
        // about the place” after three different tangs).
        let ends = |image: &'static str| {
            [
                image.split(' ').next().unwrap_or(image),
                image.rsplit(' ').next().unwrap_or(image),
            ]
        };
        let fitting: Vec<usize> = (0..pool.len())
            .filter(|&i| !ends(pool[i].0).iter().any(|e| ends_used.contains(e)))
            .collect();
        let Some(&pick) = fitting.get(rng.below(fitting.len())) else {
            break;
        };
        let (image, sensory) = pool.swap_remove(pick);
        ends_used.extend(ends(image));
        // A chapter with three places left.
        let mut roomy: Vec<usize> = points.iter().map(|p| p.0).collect();
        roomy.sort_unstable();
        let roomy: Vec<usize> = roomy
            .chunk_by(|a, b| a == b)
            .filter(|run| run.len() >= 3)
            .map(|run| run[0])
            .collect();
        let chapter = roomy[rng.below(roomy.len())];
        let mut templates: Vec<&str> = CARRIERS.to_vec();
        let mut ids = Vec::new();
        for _ in 0..3 {
            let Some((c, at)) = take_point(&mut points, rng, Some(chapter)) else {
                break;
            };
            let template = templates.swap_remove(rng.below(templates.len()));
            let (sentence, mark) = carry(template, image);
            ids.push(insertions.len());
            insertions.push(Insertion {
                chapter: c,
                at,
                text: format!(" {sentence}"),
                marks: vec![(mark.0 + 1, mark.1 + 1)],
            });
        }
        image_plants.push((sensory, ids));
    }

    // Verbatim sentences of 10–40 words, copied elsewhere in the book.
    let mut sentence_plants: Vec<(usize, Span, usize)> = Vec::new();
    let long = sentences(&manuscript, 10, 40);
    for _ in 0..SENTENCES_PER_NOVEL {
        let (c, s) = long[rng.below(long.len())];
        let chapter = manuscript.chapter(c);
        let sentence = &chapter.sentences[s];
        let words = chapter.sentence_words(sentence);
        let span = words[0].cover(words[words.len() - 1]);
        let copy = chapter.slice(sentence.span).replace(['\n', '\r'], " ");
        let Some((target, at)) = take_point(&mut points, rng, None) else {
            continue;
        };
        let start = copy.find(chapter.slice(words[0])).unwrap_or(0);
        let end = copy.len() - (sentence.span.end - span.end) as usize;
        sentence_plants.push((c, span, insertions.len()));
        insertions.push(Insertion {
            chapter: target,
            at,
            text: format!(" {copy}"),
            marks: vec![(start + 1, end + 1)],
        });
    }

    // Runs of 12–30 words lifted from inside a longer sentence and set
    // inside a new one.
    let mut run_plants: Vec<(usize, Span, usize)> = Vec::new();
    let longer = sentences(&manuscript, 16, 200);
    for _ in 0..RUNS_PER_NOVEL {
        let mut chosen = None;
        for _ in 0..100 {
            let len = 12 + rng.below(19);
            let (c, s) = longer[rng.below(longer.len())];
            let words = manuscript
                .chapter(c)
                .sentence_words(&manuscript.chapter(c).sentences[s]);
            if words.len() >= len + 2 {
                let first = 1 + rng.below(words.len() - len - 1);
                chosen = Some((c, words[first].cover(words[first + len - 1])));
                break;
            }
        }
        let Some((c, span)) = chosen else {
            continue;
        };
        let run = manuscript.chapter(c).slice(span).replace(['\n', '\r'], " ");
        let Some((target, at)) = take_point(&mut points, rng, None) else {
            continue;
        };
        let prefix = RUN_PREFIXES[rng.below(RUN_PREFIXES.len())];
        let suffix = RUN_SUFFIXES[rng.below(RUN_SUFFIXES.len())];
        let text = format!(" {prefix} {run} {suffix}");
        let start = 2 + prefix.len();
        run_plants.push((c, span, insertions.len()));
        insertions.push(Insertion {
            chapter: target,
            at,
            text,
            marks: vec![(start, start + run.len())],
        });
    }

    // Apply: in each chapter, from the last offset back; then find where
    // each insertion ended up (earlier insertions shift later ones).
    let mut texts: Vec<(String, String)> = chapters.to_vec();
    let mut order: Vec<usize> = (0..insertions.len()).collect();
    order.sort_by_key(|&i| (insertions[i].chapter, std::cmp::Reverse(insertions[i].at)));
    for &i in &order {
        let ins = &insertions[i];
        texts[ins.chapter].1.insert_str(ins.at, &ins.text);
    }
    let mut final_at = vec![0usize; insertions.len()];
    let mut ascending: Vec<usize> = (0..insertions.len()).collect();
    ascending.sort_by_key(|&i| (insertions[i].chapter, insertions[i].at));
    let mut shift = 0;
    let mut current = usize::MAX;
    for &i in &ascending {
        if insertions[i].chapter != current {
            current = insertions[i].chapter;
            shift = 0;
        }
        final_at[i] = insertions[i].at + shift;
        shift += insertions[i].text.len();
    }
    // A place in the original text moves by the insertions before it.
    let moved = |chapter: usize, span: Span| -> Span {
        let before: usize = insertions
            .iter()
            .filter(|ins| ins.chapter == chapter && ins.at <= span.start as usize)
            .map(|ins| ins.text.len())
            .sum();
        Span::new(span.start as usize + before, span.end as usize + before)
    };
    let mark = |i: usize| -> (usize, Span) {
        let (a, b) = insertions[i].marks[0];
        (
            insertions[i].chapter,
            Span::new(final_at[i] + a, final_at[i] + b),
        )
    };
    let planted = Planted {
        images: image_plants
            .into_iter()
            .map(|(sensory, ids)| (sensory, ids.into_iter().map(mark).collect()))
            .collect(),
        sentences: sentence_plants
            .into_iter()
            .map(|(c, span, i)| vec![(c, moved(c, span)), mark(i)])
            .collect(),
        runs: run_plants
            .into_iter()
            .map(|(c, span, i)| vec![(c, moved(c, span)), mark(i)])
            .collect(),
    };
    (texts, planted)
}

/// Whether one finding of `rule` labels every place.
fn found(diagnostics: &[Diagnostic], rule: &str, places: &[(usize, Span)]) -> bool {
    diagnostics.iter().filter(|d| d.rule == rule).any(|d| {
        let labels: Vec<(usize, Span)> = std::iter::once(&d.primary)
            .chain(&d.related)
            .map(|l| (l.chapter, l.span))
            .collect();
        places.iter().all(|&(c, span)| {
            labels
                .iter()
                .any(|&(lc, ls)| lc == c && ls.start < span.end && span.start < ls.end)
        })
    })
}

#[test]
fn planted_images_sentences_and_runs_are_found() {
    let Some(corpus) = corpus() else {
        return;
    };
    // MANULINT_RECALL_SEED=n plants elsewhere (to check that the figures
    // hold beyond the fixed seed).
    let seed = std::env::var("MANULINT_RECALL_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(0x1234_5678_9abc_def1);
    let mut rng = Rng(seed.max(1));
    // (found, planted) per kind.
    let (mut sensory, mut other, mut verbatim, mut runs) = ((0, 0), (0, 0), (0, 0), (0, 0));
    let mut missed: Vec<String> = Vec::new();
    for novel in NOVELS {
        let chapters = read_novel(&corpus.join(novel));
        assert!(!chapters.is_empty(), "no chapters in {novel}");
        let (texts, planted) = plant(&mut rng, &chapters);
        // MANULINT_RECALL_DUMP=dir writes the planted copies there, to run
        // the binary on them when a plant is missed.
        if let Some(dump) = std::env::var_os("MANULINT_RECALL_DUMP") {
            let dir = Path::new(&dump).join(novel);
            std::fs::create_dir_all(&dir).expect("dump folder");
            for (name, text) in &texts {
                std::fs::write(dir.join(name), text).expect("dump file");
            }
        }
        let manuscript = parse(&texts);
        let diagnostics = run(
            &manuscript,
            &[
                "duplicate-paragraph",
                "repeated-sentence",
                "repeated-phrase",
            ],
        );
        let show = |places: &[(usize, Span)]| -> String {
            let (c, span) = places[places.len() - 1];
            let chapter = manuscript.chapter(c);
            format!(
                "{novel}/{}:{}: {}",
                chapter.file_name(),
                chapter.line_col(span.start as usize).line,
                chapter.slice(span)
            )
        };
        for (is_sensory, places) in &planted.images {
            let ok = found(&diagnostics, "repeated-phrase", places);
            let tally = if *is_sensory {
                &mut sensory
            } else {
                &mut other
            };
            tally.0 += usize::from(ok);
            tally.1 += 1;
            if !ok {
                missed.push(format!("image {}", show(places)));
            }
        }
        for (kind, list, tally) in [
            ("sentence", &planted.sentences, &mut verbatim),
            ("run", &planted.runs, &mut runs),
        ] {
            for places in list {
                // A copied sentence that is a paragraph of its own (or
                // lands in one) is a contained copy: one finding, by
                // duplicate-paragraph.
                let ok = found(&diagnostics, "repeated-sentence", places)
                    || found(&diagnostics, "duplicate-paragraph", places);
                tally.0 += usize::from(ok);
                tally.1 += 1;
                if !ok {
                    missed.push(format!("{kind} {}", show(places)));
                }
            }
        }
    }
    let images = (sensory.0 + other.0, sensory.1 + other.1);
    let percent = |(f, p): (usize, usize)| 100.0 * f as f64 / p.max(1) as f64;
    eprintln!(
        "recall: images {}/{} ({:.1}%: sensory {}/{}, other {}/{}), verbatim sentences {}/{} ({:.1}%), shared runs {}/{} ({:.1}%)",
        images.0,
        images.1,
        percent(images),
        sensory.0,
        sensory.1,
        other.0,
        other.1,
        verbatim.0,
        verbatim.1,
        percent(verbatim),
        runs.0,
        runs.1,
        percent(runs),
    );
    for line in &missed {
        eprintln!("missed: {line}");
    }
    assert_eq!(images.1, NOVELS.len() * IMAGES_PER_NOVEL);
    assert_eq!(verbatim.1, NOVELS.len() * SENTENCES_PER_NOVEL);
    assert_eq!(runs.1, NOVELS.len() * RUNS_PER_NOVEL);
    assert!(percent(images) >= 95.0, "image recall {images:?}");
    assert_eq!(verbatim.0, verbatim.1, "verbatim sentence recall");
    assert!(percent(runs) >= 95.0, "shared run recall {runs:?}");
}
