//! End-to-end tests of the `anachronism` rule: the examples of issue #11,
//! `--year`, `[story]`, user entity files, the notice for chapters without a
//! story year, `--verbose` notes, bad entity files and the corpus.

use std::fs;

use predicates::prelude::*;
use tempfile::TempDir;

mod common;
use common::manulint;

#[test]
fn user_entity_file_named_in_manulint_toml() {
    let output = manulint()
        .current_dir("fixtures/anachronisms/user-entities")
        .args(["check", ".", "--select", "anachronism", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "chapter-01.md:3:52: error[anachronism] “Zorbatron” (product, 1971) is later than the story year 1962, from manulint.toml [story]"
    );
    // skyrail (1958) existed in 1962.
    assert_eq!(lines.len(), 2, "{stdout}");
}

#[test]
fn year_flag_wins_and_is_named() {
    manulint()
        .args([
            "check",
            "fixtures/anachronisms/front-matter-1987",
            "--select",
            "anachronism",
            "--format",
            "short",
            "--year",
            "1995",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "chapter-03.md:7:18: error[anachronism] “smartphone” (technology, 1997) is later than the story year 1995, from --year",
        ))
        .stdout(predicate::str::contains("texting").not());
}

#[test]
fn verbose_says_when_a_chapter_has_no_year() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    fs::write(dir.path().join("a.txt"), "She checked her smartphone.\n").unwrap();
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--select", "anachronism", "--verbose"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "note: anachronism: a.txt: no story year (no --year, front matter `year`",
        ));
}

#[test]
fn verbose_notes_come_in_natural_order() {
    let text = "It was 1990 and she walked home.\n";
    let dir = manuscript(&[
        ("chapter-1.txt", text),
        ("chapter-10.txt", text),
        ("chapter-2.txt", text),
    ]);
    let chapters: Vec<String> = notices(&dir, &["--verbose"])
        .iter()
        .filter_map(|l| l.strip_prefix("note: anachronism: chapter-"))
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    assert_eq!(chapters, ["1.txt", "2.txt", "10.txt"]);
}

/// A folder of plain-text chapters in a fresh directory (with `.git`, so no
/// `manulint.toml` above is found).
fn manuscript(chapters: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    for (name, text) in chapters {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// The anachronism findings of a run (short format, unwrapped) and its
/// exit code.
fn findings(dir: &TempDir) -> (String, Option<i32>) {
    findings_with(dir, &[])
}

/// [`findings`] with more arguments.
fn findings_with(dir: &TempDir, extra: &[&str]) -> (String, Option<i32>) {
    let output = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--select", "anachronism", "--format", "short"])
        .args(["--width", "400"])
        .args(extra)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        output.status.code(),
    )
}

/// The anachronism findings of a run, one short-format line each.
fn anachronism_lines(dir: &TempDir) -> Vec<String> {
    findings(dir)
        .0
        .lines()
        .filter(|l| l.contains("[anachronism]"))
        .map(String::from)
        .collect()
}

/// The `note: anachronism: …` lines of a run's stderr.
fn notices(dir: &TempDir, extra: &[&str]) -> Vec<String> {
    let output = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--select", "anachronism", "--format", "short"])
        // Wide enough that the note is not wrapped.
        .args(["--width", "400"])
        .args(extra)
        .output()
        .unwrap();
    String::from_utf8(output.stderr)
        .unwrap()
        .lines()
        .filter(|l| l.contains("anachronism"))
        .map(String::from)
        .collect()
}

const HOW: &str =
    "set it with --year, `year: …` in the front matter, or `[story] year = …` in manulint.toml";

/// The end of the no-year note when no chapter has a year: the story may
/// be set in none.
const NO_YEAR: &str =
    "a story set in no year turns the rule off with `level = \"off\"` under `[rules.anachronism]`";

#[test]
fn one_notice_names_the_chapter_without_a_year() {
    let dir = manuscript(&[
        ("ch1.txt", "She checked her smartphone.\n"),
        ("ch2.txt", "It was 1996.\n\nShe checked her smartphone.\n"),
        ("ch3.txt", "Rain again.\n"),
    ]);
    assert_eq!(
        notices(&dir, &[]),
        vec![format!(
            "note: anachronism: no story year in ch1.txt, so it was not checked for anachronisms; {HOW}"
        )]
    );
    // --year checks everything, and the notice goes.
    assert_eq!(notices(&dir, &["--year", "1990"]), Vec::<String>::new());
}

/// A story year that is likely a typo says so: one later than anything
/// dated made every run clean without a word, and `'43` in the front
/// matter was read as the year 43 with no hint that 1943 was meant.
#[test]
fn an_unlikely_story_year_gets_a_notice() {
    let dir = manuscript(&[
        ("ch1.txt", "She googled the address.\n"),
        ("ch2.md", "---\nyear: '43\n---\n\nShe googled it.\n"),
    ]);
    assert_eq!(
        notices(&dir, &["--year", "19433"]),
        [
            "note: anachronism: the story year 19433 (from --year) is later than anything manulint dates, so no anachronism can be found; is it a typo?"
        ]
    );
    let (found, code) = findings(&dir);
    assert_eq!(code, Some(1), "{found}");
    assert!(
        found.contains(
            "ch2.md:5:5: error[anachronism] “googled” (word, 1998) is later than the story year 43"
        ),
        "{found}"
    );
    assert!(
        notices(&dir, &[]).contains(&"note: anachronism: the story year 43 (from the front matter of ch2.md:2) is read as the year 43; write the year in full (1943) if that is what you meant, or \"AD 43\" to say so".to_string()),
        "{:?}",
        notices(&dir, &[])
    );
    // A negative year is a year before the common era, which may be
    // meant (a story of ancient Egypt) or a stray minus sign.
    assert_eq!(
        notices(&dir, &["--year=-1943"]),
        [
            "note: anachronism: the story year -1943 (from --year) is read as 1943 BC, from its minus sign; write 1943 if that is what you meant, or \"1943 BC\" to say so"
        ]
    );
    let egypt = manuscript(&[
        ("manulint.toml", "[story]\nyears = [-1300, -1250]\n"),
        ("ch1.txt", "The Nile rose.\n"),
    ]);
    assert_eq!(
        notices(&egypt, &[]),
        [
            "note: anachronism: the story years 1300 BC–1250 BC (from manulint.toml [story]) are read as years before the common era where they have a minus sign; drop the minus signs if that is not what you meant"
        ]
    );
    // A year in full, far back or not, says nothing more.
    assert!(
        notices(&dir, &["--year", "1943"]).is_empty(),
        "{:?}",
        notices(&dir, &["--year", "1943"])
    );
}

/// A story before the common era is written as a writer writes it, “44
/// BC”, in the front matter, `[story]` and `--year` (where only `-44` was
/// read, and “44 BC” was an error), and findings name it so; a year
/// written with its era draws no note that it may be a typo, where a
/// minus sign or two digits alone do. There is no year 0.
#[test]
fn a_year_with_its_era_is_read_as_written() {
    let rome = "Caesar looked at his smartphone.\n";
    let smartphone = |year: &str, source: &str| {
        format!(
            "error[anachronism] “smartphone” (technology, 1997) is later than the story year {year}, {source}"
        )
    };
    for written in ["44 BC", "44 bce", "44 B.C.", "44BC", "44 B.C.E."] {
        let dir = manuscript(&[("ch.md", &format!("---\nyear: {written}\n---\n{rome}"))]);
        let (found, code) = findings(&dir);
        assert_eq!(code, Some(1), "{written}: {found}");
        assert!(
            found.contains(&format!(
                "ch.md:4:22: {}",
                smartphone("44 BC", "from the front matter of ch.md:2")
            )),
            "{written}: {found}"
        );
        assert!(
            notices(&dir, &[]).is_empty(),
            "{written}: {:?}",
            notices(&dir, &[])
        );
    }
    let dir = manuscript(&[
        ("manulint.toml", "[story]\nyear = \"1300 BC\"\n"),
        ("ch.txt", rome),
    ]);
    let (found, _) = findings(&dir);
    assert!(
        found.contains(&smartphone("1300 BC", "from manulint.toml [story]")),
        "{found}"
    );
    assert!(notices(&dir, &[]).is_empty(), "{:?}", notices(&dir, &[]));
    // `--year` takes the same forms; AD years are the plain number.
    let (found, _) = findings_with(&dir, &["--year", "50 BC"]);
    assert!(
        found.contains(&smartphone("50 BC", "from --year")),
        "{found}"
    );
    assert!(notices(&dir, &["--year", "50 BC"]).is_empty());
    let (found, _) = findings_with(&dir, &["--year", "AD 43"]);
    assert!(found.contains(&smartphone("43", "from --year")), "{found}");
    assert!(notices(&dir, &["--year", "AD 43"]).is_empty());
    let (found, _) = findings_with(&dir, &["--year", "43"]);
    assert!(found.contains(&smartphone("43", "from --year")), "{found}");
    assert_eq!(notices(&dir, &["--year", "43"]).len(), 1);
    assert_eq!(
        notices(&dir, &["--year", "0"]),
        [
            "note: anachronism: the story year 0 (from --year) is no year: 1 BC is followed by AD 1; write the year the story is set in (-1 or \"1 BC\" for 1 BC)"
        ]
    );
    // What is not a year is a usage error (exit 2) in `--year` and a
    // configuration error in `[story]`, each saying what to write.
    let output = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--year", "0 BC"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(
            "invalid value '0 BC' for '--year <YEAR>': not a year: there is no year 0: 1 BC is followed by AD 1; write \"1 BC\" or \"AD 1\""
        ),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--year", "O BC"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(
            "invalid value 'O BC' for '--year <YEAR>': not a year: write a whole number such as 1887, or a year with its era such as \"44 BC\" or \"AD 14\""
        ),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A span that starts at 0 says so in words that fit a span.
    fs::write(
        dir.path().join("manulint.toml"),
        "[story]\nyears = [0, 5]\n",
    )
    .unwrap();
    assert_eq!(
        notices(&dir, &[]),
        [
            "note: anachronism: the story years 0–5 (from manulint.toml [story]) start at 0, which is no year: 1 BC is followed by AD 1; start them at the year the story begins (-1 for 1 BC, 1 for AD 1)"
        ]
    );
    fs::write(
        dir.path().join("manulint.toml"),
        "[story]\nyear = \"forty BC\"\n",
    )
    .unwrap();
    let output = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--width", "400"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(
            "“forty BC” is not a year: write a whole number such as 1887, or a year with its era such as \"44 BC\""
        ),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The records a story's characters play are dated: famous albums and
/// songs were missing (the base's albums are a random sample), so
/// *Sgt. Pepper's Lonely Hearts Club Band* by the Beatles went unflagged in
/// 1962; a song needs a cue (“hummed Bohemian Rhapsody” is left alone).
#[test]
fn famous_albums_are_dated() {
    let dir = manuscript(&[(
        "ch.md",
        "# One\n\nIt was 1962. They listened to Sgt. Pepper's Lonely Hearts Club Band by the Beatles.\n\n\
         Later she put on the album Pet Sounds, and then Rubber Soul.\n\n\
         He hummed Bohemian Rhapsody under his breath.\n\n\
         Her brother played the record Born in the U.S.A. twice.\n",
    )]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "ch.md:3:31: error[anachronism] *Sgt. Pepper's Lonely Hearts Club Band* (album, 1967) is later than the story year 1962, inferred from ch.md:3",
            "ch.md:5:28: error[anachronism] *Pet Sounds* (album, 1966) is later than the story year 1962, inferred from ch.md:3",
            "ch.md:5:49: error[anachronism] *Rubber Soul* (album, 1965) is later than the story year 1962, inferred from ch.md:3",
            "ch.md:9:31: error[anachronism] *Born in the U.S.A.* (album, 1984) is later than the story year 1962, inferred from ch.md:3",
        ]
    );
}

/// A famous record whose only entry was a later work of the same name was
/// dated by it: the Beatles' *Revolver* (1966) by another band's album of
/// 2004, so a story of 1980 that plays it was flagged, and one of 1962 was
/// told the wrong year; the same for *The Dark Side of the Moon* (a film
/// of 1990). Songs the base lacked (*Hey Jude*) are dated too. A record
/// is known as one on something that plays it (“Rubber Soul on the
/// turntable”), as “a record of” one, or, for a distinctive name, with a
/// record player nearby; all three were missed.
#[test]
fn a_famous_record_is_dated_by_its_own_year() {
    let dir = manuscript(&[
        (
            "a.md",
            "---\nyear: 1980\n---\n\nShe put on the album Revolver, then the album The Dark Side of the Moon.\n",
        ),
        (
            "b.md",
            "---\nyear: 1962\n---\n\nShe put on the album Revolver. They sang Hey Jude by the fire.\n",
        ),
        (
            "c.md",
            "---\nyear: 1962\n---\n\nShe put Rubber Soul on the turntable. He found a record of Pet Sounds.\n\n\
             On the record player, Tubular Bells turned. She played Revolver on the record player.\n\n\
             He put the ledger on the table, and Rubber Soul on the shelf.\n",
        ),
    ]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "b.md:5:22: error[anachronism] *Revolver* (album, 1966) is later than the story year 1962, from the front matter of b.md:2",
            "b.md:5:42: error[anachronism] *Hey Jude* (song, 1968) is later than the story year 1962, from the front matter of b.md:2",
            "c.md:5:9: error[anachronism] *Rubber Soul* (album, 1965) is later than the story year 1962, from the front matter of c.md:2",
            "c.md:5:60: error[anachronism] *Pet Sounds* (album, 1966) is later than the story year 1962, from the front matter of c.md:2",
            "c.md:7:23: error[anachronism] *Tubular Bells* (album, 1973) is later than the story year 1962, from the front matter of c.md:2",
            "c.md:7:56: error[anachronism] *Revolver* (album, 1966) is later than the story year 1962, from the front matter of c.md:2",
        ]
    );
}

/// A song that a later film took the name of is no film where the
/// context is music or books: “played The Sound of Silence on the radio”
/// in 1970 was reported as the film of 2019, and “read” it too; “watched”
/// it still means the film. A band's plural possessive is its mark
/// (“the Beatles' Rubber Soul”, straight or curly), as “King's” is; a 45
/// of a song and a record on the Dansette are records; a band is a band,
/// not a brand.
#[test]
fn a_songs_name_is_not_a_later_films_in_a_music_context() {
    let dir = manuscript(&[
        (
            "a.md",
            "---\nyear: 1970\n---\n\nHe played The Sound of Silence on the radio. She hummed The Sound of Silence.\n\n\
             She put The Last Waltz on the record player. She read The Sound of Silence in bed.\n\n\
             They watched The Sound of Silence at the cinema.\n",
        ),
        (
            "b.md",
            "---\nyear: 1962\n---\n\nShe left the Beatles' Rubber Soul on the sofa, and the Beach Boys’ Pet Sounds.\n\n\
             The album Thriller was loud. She put Sgt Pepper on the turntable. He read a thriller.\n\n\
             He had a 45 of Hey Jude. They spun Rubber Soul on the Dansette. The Beatles played on.\n",
        ),
        (
            "c.md",
            "---\nyear: 1955\n---\n\nShe had tickets for the Rolling Stones.\n",
        ),
    ]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "a.md:9:14: error[anachronism] *The Sound of Silence* (film, 2019) is later than the story year 1970, from the front matter of a.md:2",
            "b.md:5:23: error[anachronism] *Rubber Soul* (album, 1965) is later than the story year 1962, from the front matter of b.md:2",
            "b.md:5:68: error[anachronism] *Pet Sounds* (album, 1966) is later than the story year 1962, from the front matter of b.md:2",
            "b.md:7:11: error[anachronism] *Thriller* (album, 1982) is later than the story year 1962, from the front matter of b.md:2",
            "b.md:7:38: error[anachronism] *Sgt Pepper* (album, 1967) is later than the story year 1962, from the front matter of b.md:2",
            "b.md:9:16: error[anachronism] *Hey Jude* (song, 1968) is later than the story year 1962, from the front matter of b.md:2",
            "b.md:9:36: error[anachronism] *Rubber Soul* (album, 1965) is later than the story year 1962, from the front matter of b.md:2",
            "c.md:5:21: error[anachronism] “the Rolling Stones” (band, 1962) is later than the story year 1955, from the front matter of c.md:2",
        ]
    );
}

/// “Mobile phone” needs a cue only where its older sense (car
/// radio-telephones, 1946) fits the story year: before 1946 it is later in
/// either sense, and was missed without “handbag” or “battery” beside it.
#[test]
fn a_mobile_phone_before_any_of_its_senses_needs_no_cue() {
    let dir = manuscript(&[
        (
            "a.md",
            "---\nyear: 1943\n---\n\nShe checked her mobile phone for a message.\n",
        ),
        (
            "b.md",
            "---\nyear: 1975\n---\n\nShe checked her mobile phone for a message.\n\nHis mobile phone had a flat battery.\n",
        ),
    ]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "a.md:5:17: error[anachronism] “mobile phone” (device, 1946) is later than the story year 1943, from the front matter of a.md:2",
            "b.md:7:5: error[anachronism] “mobile phone” (device, 1983) is later than the story year 1975, from the front matter of b.md:2",
        ]
    );
}

/// Every form of Google made a verb is found, the capitalised “Googling”
/// too, while Huckleberry Finn's lowercase dialect word needs a cue; and
/// `allow = ["Google"]` silences the verb's forms with the name.
#[test]
fn google_as_a_verb_in_every_form_and_allowed_with_the_name() {
    let text = "---\nyear: 1943\n---\n\nShe googled it. He was Googling the address. They google things.\n\nA jug was googling out buttermilk.\n";
    let dir = manuscript(&[("a.md", text)]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "a.md:5:5: error[anachronism] “googled” (word, 1998) is later than the story year 1943, from the front matter of a.md:2",
            "a.md:5:24: error[anachronism] “Googling” (word, 1998) is later than the story year 1943, from the front matter of a.md:2",
            "a.md:5:51: error[anachronism] “google” (word, 1998) is later than the story year 1943, from the front matter of a.md:2",
        ]
    );
    fs::write(
        dir.path().join("manulint.toml"),
        "[rules.anachronism]\nallow = [\"Google\"]\n",
    )
    .unwrap();
    assert_eq!(anachronism_lines(&dir), Vec::<String>::new());
    // The allowed name's forms only: a name it merely starts is still found.
    fs::write(
        dir.path().join("manulint.toml"),
        "[rules.anachronism]\nallow = [\"goo\"]\n",
    )
    .unwrap();
    assert_eq!(anachronism_lines(&dir).len(), 3);
}

/// *The Third Man* premiered in London in 1949 (the film list has the
/// American release of 1950), and the NHS began in 1948, where its name was
/// in print from 1944: a 1949 story has both, a 1947 one may name the
/// service but not see the film or use the initials.
#[test]
fn the_third_man_and_the_nhs_by_their_british_dates() {
    let text = "They watched The Third Man at the Odeon. The National Health Service was new. The NHS paid.\n";
    let dir = manuscript(&[
        ("a.md", &format!("---\nyear: 1949\n---\n\n{text}")),
        ("b.md", &format!("---\nyear: 1947\n---\n\n{text}")),
    ]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "b.md:5:14: error[anachronism] *The Third Man* (film, 1949) is later than the story year 1947, from the front matter of b.md:2",
            "b.md:5:83: error[anachronism] “NHS” (organisation, 1948) is later than the story year 1947, from the front matter of b.md:2",
        ]
    );
}

/// The post-war bodies are dated by their full names too: UNESCO, the
/// World Health Organization and the North Atlantic Treaty Organisation
/// went unflagged in 1940 where NATO was found; “WHO” in capitals is a
/// shouted word, not the initials. “Nato” and “Unesco”, as British
/// newspapers write them, are dated; “nato” in lower case is not the body.
#[test]
fn post_war_organisations_are_dated_by_their_full_names() {
    let dir = manuscript(&[(
        "ch.md",
        "# One\n\nIt was 1940. He wrote to UNESCO and to the World Health Organization, \
         and read of the North Atlantic Treaty Organisation. “WHO is there?” she cried.\n\n\
         The Nato planes and the Unesco letter were in the paper; the nato of the tale is a word.\n",
    )]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "ch.md:3:26: error[anachronism] “UNESCO” (organisation, 1945) is later than the story year 1940, inferred from ch.md:3",
            "ch.md:3:44: error[anachronism] “World Health Organization” (organisation, 1946) is later than the story year 1940, inferred from ch.md:3",
            "ch.md:3:87: error[anachronism] “North Atlantic Treaty Organisation” (organisation, 1949) is later than the story year 1940, inferred from ch.md:3",
            "ch.md:5:5: error[anachronism] “Nato” (organisation, 1949) is later than the story year 1940, inferred from ch.md:3",
            "ch.md:5:25: error[anachronism] “Unesco” (organisation, 1945) is later than the story year 1940, inferred from ch.md:3",
        ]
    );
}

/// Rudolph the Red-Nosed Reindeer dates from the 1939 booklet, not the
/// 1958 picture book the book list has: a story of 1943 that reads it is
/// fine, one of 1935 is not.
#[test]
fn a_title_is_dated_by_its_first_form() {
    let dir = manuscript(&[
        (
            "a.md",
            "---\nyear: 1943\n---\n\nShe read Rudolph the Red-Nosed Reindeer to the children.\n",
        ),
        (
            "b.md",
            "---\nyear: 1935\n---\n\nShe read Rudolph the Red-Nosed Reindeer to the children.\n",
        ),
    ]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "b.md:5:10: error[anachronism] *Rudolph the Red-Nosed Reindeer* (poem, 1939) is later than the story year 1935, from the front matter of b.md:2"
        ]
    );
}

/// Year 0 with an era (`year: 0 BC`) is no year, and the help says why
/// and what to write, where it offered `year: 1887`.
#[test]
fn year_zero_in_the_front_matter_is_explained() {
    let dir = manuscript(&[(
        "ch.md",
        "---\nyear: 0 BC\n---\n\nShe walked to the forum.\n",
    )]);
    let output = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--width", "400", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("the front matter's year “0 BC” is not a year, so it is ignored"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "help: there is no year 0: 1 BC is followed by AD 1; write `year: 1 BC` or `year: AD 1`"
        ),
        "{stdout}"
    );
}

/// A mistyped front-matter year fails the run (exit 1) where it stood as a
/// note with exit 0, and its help names the year it seems to hold; under
/// `--year` the front matter is not read, and nothing is reported.
#[test]
fn a_front_matter_year_that_is_no_year_is_a_finding() {
    let dir = manuscript(&[("ch.md", "---\nyear: 1943-08-15\n---\n\nShe walked home.\n")]);
    let output = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found = &report["diagnostics"][0];
    assert_eq!(found["rule"], "anachronism");
    assert_eq!(
        (found["line"].as_u64(), found["column"].as_u64()),
        (Some(2), Some(7))
    );
    assert_eq!(found["help"], "write one number: `year: 1943`");
    let (stdout, code) = {
        let output = manulint()
            .current_dir(dir.path())
            .args(["check", ".", "--format", "short", "--year", "1943"])
            .output()
            .unwrap();
        (
            String::from_utf8(output.stdout).unwrap(),
            output.status.code(),
        )
    };
    assert!(!stdout.contains("not a year"), "{stdout}");
    assert_eq!(code, Some(0));
    // A year with its era is a year (see
    // `a_year_with_its_era_is_read_as_written`); one that is not whole is
    // still none.
    fs::write(
        dir.path().join("ch.md"),
        "---\nyear: c. 44 BC\n---\n\nShe walked home.\n",
    )
    .unwrap();
    let (stdout, code) = findings(&dir);
    assert!(
        stdout.contains(
            "ch.md:2:7: error[anachronism] the front matter's year “c. 44 BC” is not a year"
        ),
        "{stdout}"
    );
    assert_eq!(code, Some(1));
    // A blank template field sets nothing and is no finding.
    for blank in ["year:\ntitle: x", "year: ~", "year: null"] {
        fs::write(
            dir.path().join("ch.md"),
            format!("---\n{blank}\n---\n\nShe walked home.\n"),
        )
        .unwrap();
        let (stdout, code) = findings(&dir);
        assert!(!stdout.contains("not a year"), "{blank:?}: {stdout}");
        assert_eq!(code, Some(0), "{blank:?}");
    }
}

#[test]
fn front_matter_years_with_comments_count_and_non_years_are_named() {
    let dir = manuscript(&[
        (
            "a.md",
            "---\nyear: 1887 # autumn\n---\n\n# One\n\nShe had an iPhone.\n",
        ),
        (
            "b.md",
            "+++\nyear = 1887 # autumn\n+++\n\nShe had an iPhone.\n",
        ),
        ("c.md", "---\nyear: eighteen\n---\n\nShe had an iPhone.\n"),
    ]);
    let (stdout, code) = findings(&dir);
    let found: Vec<&str> = stdout.lines().filter(|l| l.contains("iPhone")).collect();
    assert_eq!(found.len(), 3, "{stdout}");
    assert!(found[0].starts_with("a.md:7:12: "), "{stdout}");
    assert!(found[1].starts_with("b.md:5:12: "), "{stdout}");
    // c.md's year is no year: its text says nothing, so the year carried
    // from b.md checks it, and the value itself is a finding.
    assert!(found[2].starts_with("c.md:5:12: "), "{stdout}");
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("not a year"))
            .collect::<Vec<_>>(),
        [
            "c.md:2:7: error[anachronism] the front matter's year “eighteen” is not a year, so it is ignored"
        ]
    );
    assert_eq!(notices(&dir, &[]), Vec::<String>::new());
    assert_eq!(code, Some(1));
}

#[test]
fn everyday_period_items_in_an_1887_story() {
    let text = "It was August of 1887.\n\nThe teenager wrote with a ballpoint pen. They went to the movies, then the cinema, and saw the Eiffel Tower. She drank instant coffee and listened to the radio; the radio announcer spoke of the atom bomb.\n";
    let dir = manuscript(&[("a.txt", text)]);
    let (stdout, _) = findings(&dir);
    let named: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split('“').nth(1)?.split('”').next())
        .collect();
    assert_eq!(
        named,
        [
            "teenager",
            "ballpoint pen",
            "movies",
            "cinema",
            "Eiffel Tower",
            "instant coffee",
            "listened to the radio",
            "radio announcer",
            "atom bomb"
        ],
        "{stdout}"
    );
    assert!(stdout.contains("a.txt:3:5: error[anachronism] “teenager” (word, 1938) is later than the story year 1887, inferred from a.txt:1"), "{stdout}");
}

#[test]
fn a_manuscript_with_no_year_at_all_gets_one_line() {
    let dir = manuscript(&[
        ("ch1.txt", "She checked her smartphone.\n"),
        ("ch2.txt", "Rain.\n"),
        ("ch3.txt", "More rain.\n"),
    ]);
    assert_eq!(
        notices(&dir, &[]),
        vec![format!(
            "note: anachronism: no story year in any of the 3 chapters, so none was checked for anachronisms; {HOW}; {NO_YEAR}"
        )]
    );
    let dir = manuscript(&[("only.txt", "She checked her smartphone.\n")]);
    assert_eq!(
        notices(&dir, &[]),
        vec![format!(
            "note: anachronism: no story year in only.txt, so it was not checked for anachronisms; {HOW}; {NO_YEAR}"
        )]
    );
}

#[test]
fn the_notice_lists_several_chapters_and_shortens_long_runs() {
    let dated = "It was 1996.\n";
    let dir = manuscript(&[
        ("ch1.txt", "Rain.\n"),
        ("ch2.txt", "Rain.\n"),
        ("ch3.txt", dated),
        ("ch4.txt", "Sun.\n"),
    ]);
    assert_eq!(
        notices(&dir, &[]),
        vec![format!(
            "note: anachronism: no story year in ch1.txt, ch2.txt (2 of 4 chapters), so they were not checked for anachronisms; {HOW}"
        )]
    );
    let mut chapters: Vec<(String, &str)> =
        (1..=6).map(|i| (format!("ch{i}.txt"), "Rain.\n")).collect();
    chapters.push(("ch7.txt".to_string(), dated));
    let chapters: Vec<(&str, &str)> = chapters.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    let dir = manuscript(&chapters);
    assert_eq!(
        notices(&dir, &[]),
        vec![format!(
            "note: anachronism: no story year in ch1.txt … ch6.txt (6 of 7 chapters), so they were not checked for anachronisms; {HOW}"
        )]
    );
}

/// Every example of issue #11, as plain text without italics, through the
/// CLI: one finding each, naming the thing, its kind, its year, the story
/// year and where it came from; the quiet ones quiet.
#[test]
fn issue_examples_end_to_end() {
    let run = |threads: &str| {
        manulint()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "check",
                "fixtures/anachronisms/issue-11",
                "--select",
                "anachronism",
                "--format",
                "short",
            ])
            .output()
            .unwrap()
    };
    let output = run("1");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let dir = "fixtures/anachronisms/issue-11";
    let expected = [
        "bestsellers-1996.txt:5:95: error[anachronism] *Altered Carbon* (book, 2002) is later than the story year 1996, inferred from bestsellers-1996.txt:3",
        "bestsellers-1996.txt:5:111: error[anachronism] “The Expansive”: did you mean *The Expanse* (book series, 2011)? It is later than the story year 1996, inferred from bestsellers-1996.txt:3",
        "bestsellers-1996.txt:5:126: error[anachronism] *Mortal Engines* (book, 2001) is later than the story year 1996, inferred from bestsellers-1996.txt:3",
        "bestsellers-1996.txt:5:205: error[anachronism] *Mistborn* (book, 2006) is later than the story year 1996, inferred from bestsellers-1996.txt:3",
        "heat-1987.txt:3:5: error[anachronism] “texted” (word, 1992) is later than the story year 1987, inferred from heat-1987.txt:1",
        "remembered-1974.txt:3:18: error[anachronism] “smartphone” (technology, 1997) is later than the story year 1974, inferred from remembered-1974.txt:1",
        "sofa-1999.txt:3:32: error[anachronism] *The Girl with the Dragon Tattoo* (book, 2005) is later than the story year 1999, inferred from sofa-1999.txt:1",
        "sundays-1994.txt:3:27: error[anachronism] *The Sopranos* (TV series, 1999) is later than the story year 1994, inferred from sundays-1994.txt:1",
    ]
    .map(|line| format!("{dir}/{line}"));
    let findings = |stdout: &str| -> Vec<String> {
        stdout
            .lines()
            .filter(|l| l.contains("error[anachronism]"))
            .map(String::from)
            .collect()
    };
    assert_eq!(findings(&stdout), expected, "{stdout}");
    // boy-1905.txt (everyday one-word titles in quotes, older works, a
    // ship, a pub and a horse) has none; the output is the same on 16
    // threads.
    let sixteen = String::from_utf8(run("16").stdout).unwrap();
    assert_eq!(findings(&sixteen), expected);
}

#[test]
fn bad_entity_file_is_a_config_error_naming_file_and_line() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    fs::write(
        dir.path().join("manulint.toml"),
        "[rules.anachronism]\nentities = [\"mine.toml\"]\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("mine.toml"),
        "[[entity]]\nname = \"Zorb\"\nkind = \"product\"\nyear = \"soon\"\n",
    )
    .unwrap();
    fs::write(dir.path().join("a.txt"), "Text.\n").unwrap();
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--color", "never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid options for rule `anachronism`",
        ))
        .stderr(predicate::str::contains("mine.toml:4"));
    fs::remove_file(dir.path().join("mine.toml")).unwrap();
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--color", "never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read entity file"));
}

/// Every corpus novel, checked with `--year` = its first publication year,
/// must be quiet: everything it names existed when it was written.
#[test]
fn corpus_novels_are_quiet_at_their_publication_year() {
    let corpus = std::path::Path::new("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("SKIP: ../shared/corpus not found");
        return;
    }
    let mut novels: Vec<_> = fs::read_dir(corpus)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("META.toml").is_file())
        .collect();
    novels.sort();
    assert!(!novels.is_empty());
    for novel in novels {
        let meta: toml::Table = fs::read_to_string(novel.join("META.toml"))
            .unwrap()
            .parse()
            .unwrap();
        let year = meta["year_first_published"].as_integer().unwrap();
        let output = manulint()
            .args(["check", "--select", "anachronism", "--format", "short"])
            .arg(&novel)
            .args(["--year", &year.to_string()])
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}:\n{stdout}",
            novel.display()
        );
    }
}

/// The books of a series checked together name the config their year
/// came from: each said “from manulint.toml [story]”, the sequel's 1962
/// and the first book's 1943 alike.
#[test]
fn a_series_names_each_books_config() {
    let dir = manuscript(&[
        ("manulint.toml", "[story]\nyear = 1943\n"),
        ("ch1.txt", "She checked her smartphone.\n"),
    ]);
    fs::create_dir(dir.path().join("sequel")).unwrap();
    fs::write(
        dir.path().join("sequel/manulint.toml"),
        "[story.chapters]\n\"ch*\" = 1962\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("sequel/ch1.txt"),
        "She checked her smartphone.\n",
    )
    .unwrap();
    assert_eq!(
        anachronism_lines(&dir),
        [
            "ch1.txt:1:17: error[anachronism] “smartphone” (technology, 1997) is later than the story year 1943, from manulint.toml [story]",
            "sequel/ch1.txt:1:17: error[anachronism] “smartphone” (technology, 1997) is later than the story year 1962, from sequel/manulint.toml [story.chapters] \"ch*\"",
        ]
    );
}

/// A name wrapped onto the next line of a paragraph is found and shown on
/// one line (hard-wrapped chapters missed every name of two words or more
/// that a line break split); a blank line between two words is no space
/// of a name.
#[test]
fn a_name_wrapped_onto_the_next_line_is_found() {
    let dir = manuscript(&[(
        "a.txt",
        "It was 1940.\n\nShe had a copy of The Catcher in\nthe Rye and sent a text\nmessage.\n\nShe sent a text\n\nmessage to nobody.\n",
    )]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "a.txt:3:19: error[anachronism] *The Catcher in the Rye* (book, 1951) is later than the story year 1940, inferred from a.txt:1",
            "a.txt:4:20: error[anachronism] “text message” (technology, 1992) is later than the story year 1940, inferred from a.txt:1",
        ]
    );
}

/// A name wrapped with spaces around the break is found too: after a
/// Markdown hard break (two trailing spaces), and on a block quote's next
/// line (`> `), in Markdown saved with `\r\n` as with line feeds; the
/// message shows the name as a reader sees it.
#[test]
fn a_name_wrapped_in_a_block_quote_or_after_a_hard_break_is_found() {
    let text = "# One\n\nIt was 1960.\n\n> She wrote: \"We watched Star\n> Wars last night.\"\n\n\
                They sent a text  \nmessage.\n";
    for (name, text) in [
        ("a.md", text.to_string()),
        ("b.md", text.replace('\n', "\r\n")),
    ] {
        let dir = manuscript(&[(name, &text)]);
        assert_eq!(
            anachronism_lines(&dir),
            [
                format!(
                    "{name}:5:26: error[anachronism] *Star Wars* (film, 1977) is later than the story year 1960, inferred from {name}:3"
                ),
                format!(
                    "{name}:8:13: error[anachronism] “text message” (technology, 1992) is later than the story year 1960, inferred from {name}:3"
                ),
            ]
        );
    }
}

/// A year stated across a line break (“It was August of⏎1947”) is read,
/// with line feeds or `\r\n`, where the chapter took the previous
/// chapter's year: every finding of a hard-wrapped chapter was measured
/// against the wrong year.
#[test]
fn a_story_year_stated_across_a_line_break_is_read() {
    let one = "## March 1944\n\nShe sent an email.\n";
    let two = "It was August of\n1947, and she sent an email.\n";
    for (a, b) in [
        (one.to_string(), two.to_string()),
        (one.replace('\n', "\r\n"), two.replace('\n', "\r\n")),
    ] {
        let dir = manuscript(&[("ch1.md", &a), ("ch2.md", &b)]);
        assert_eq!(
            anachronism_lines(&dir),
            [
                "ch1.md:3:13: error[anachronism] “email” (technology, 1971) is later than the story year 1944, inferred from ch1.md:1",
                "ch2.md:2:23: error[anachronism] “email” (technology, 1971) is later than the story year 1947, inferred from ch2.md:1",
            ]
        );
    }
}

/// The same in a file with Windows line ends: `\r\n` inside a paragraph
/// is one space too (the line feed alone was read as one, so every
/// wrapped name of a Windows file was missed), and the findings are at the
/// same lines and columns as in the file with line feeds.
#[test]
fn a_name_wrapped_in_a_windows_file_is_found() {
    let text = "It was 1940.\n\nShe had a copy of The Catcher in\nthe Rye and sent a text\nmessage.\n\nShe sent a text\n\nmessage to nobody. A smart\nphone.\n";
    let dir = manuscript(&[("a.txt", &text.replace('\n', "\r\n"))]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "a.txt:3:19: error[anachronism] *The Catcher in the Rye* (book, 1951) is later than the story year 1940, inferred from a.txt:1",
            "a.txt:4:20: error[anachronism] “text message” (technology, 1992) is later than the story year 1940, inferred from a.txt:1",
            "a.txt:9:22: error[anachronism] “smart phone” (technology, 1997) is later than the story year 1940, inferred from a.txt:1",
        ]
    );
}

/// A science-fiction book: its chapters in 2187 state their year in the
/// text, as a dateline, a log header or “It was 2187.”, and draw no
/// finding, where a year after 2099 was not read and the 1969 prologue's
/// year carried over made their present an anachronism. The prologue is
/// still checked, and no note suggests turning the rule off.
#[test]
fn a_story_in_the_future_states_its_year() {
    let dir = manuscript(&[
        (
            "00-prologue.md",
            "# Houston\n\nIt was July 1969. She checked her smartphone.\n",
        ),
        (
            "01-gate.md",
            "# One\n\n**LOG 2187.04.12 — 0600**\n\nHer ancestor's smartphone sat on the shelf.\n",
        ),
        (
            "02-ceres.md",
            "## Ceres Station, 2187\n\nShe emailed the captain.\n",
        ),
        ("03-drift.md", "It was 2187. She texted the bridge.\n"),
    ]);
    let (found, code) = findings(&dir);
    assert_eq!(
        found
            .lines()
            .filter(|l| l.contains("[anachronism]"))
            .collect::<Vec<_>>(),
        [
            "00-prologue.md:3:35: error[anachronism] “smartphone” (technology, 1997) is later than the story year 1969, inferred from 00-prologue.md:3"
        ]
    );
    assert_eq!(code, Some(1));
    assert_eq!(notices(&dir, &[]), Vec::<String>::new());
    // A book wholly in the future is told the rule can find nothing.
    assert_eq!(
        notices(&dir, &["--year", "2187"]),
        [
            "note: anachronism: the story year 2187 (from --year) is later than anything manulint dates, so no anachronism can be found; a story set in the future turns the rule off with `level = \"off\"` under `[rules.anachronism]`"
        ]
    );
    // So is one whose other chapters have no year yet.
    let dir = manuscript(&[
        (
            "00-prologue.md",
            "# Before\n\nShe checked her smartphone.\n",
        ),
        ("01-drift.md", "It was 2187. She texted the bridge.\n"),
    ]);
    assert!(
        notices(&dir, &[]).iter().any(|n| n.starts_with(
            "note: anachronism: the story year 2187 (inferred from 01-drift.md:1) is later than anything manulint dates"
        )),
        "{:?}",
        notices(&dir, &[])
    );
}

/// `[story.chapters]` globs are read from the config file's folder, as
/// `[[overrides]]` are: run from inside `book/`, “book/00-prologue.md”
/// still names the prologue (it fell to `[story]`'s 2187, and its
/// anachronism went unreported).
#[test]
fn story_chapter_globs_are_relative_to_the_config() {
    let dir = manuscript(&[(
        "manulint.toml",
        "[story]\nyear = 2187\n\n[story.chapters]\n\"book/00-prologue.md\" = 1969\n",
    )]);
    fs::create_dir(dir.path().join("book")).unwrap();
    fs::write(
        dir.path().join("book/00-prologue.md"),
        "She checked her smartphone.\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("book/01.md"),
        "She checked her smartphone.\n",
    )
    .unwrap();
    for (folder, shown) in [("", "book/00-prologue.md"), ("book", "00-prologue.md")] {
        let output = manulint()
            .current_dir(dir.path().join(folder))
            .args(["check", "--select", "anachronism", "--format", "short"])
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let lines: Vec<&str> = stdout
            .lines()
            .filter(|l| l.contains("[anachronism]"))
            .collect();
        assert_eq!(lines.len(), 1, "from {folder:?}: {stdout}");
        assert!(
            lines[0].starts_with(&format!(
                "{shown}:1:17: error[anachronism] “smartphone” (technology, 1997) is later than the story year 1969"
            )),
            "from {folder:?}: {stdout}"
        );
    }
}

/// A two-digit year in a chapter with no four-digit ones is read near the
/// years an earlier chapter mentions, when no year is carried into it:
/// Holmes's “summer of '89” after his 1880s dates is 1889, not 1989.
#[test]
fn a_two_digit_year_is_read_near_earlier_chapters_years() {
    let dir = manuscript(&[
        (
            "ch1.txt",
            "We met in 1887, and the case of 1888 came after.\n",
        ),
        (
            "ch2.txt",
            "It was in the summer of '89, not long after my marriage.\n",
        ),
    ]);
    let lines = notices(&dir, &["--verbose"]);
    assert!(
        lines.contains(
            &"note: anachronism: ch2.txt: story year 1889, inferred from ch2.txt:1".to_string()
        ),
        "{lines:?}"
    );
}

/// A film “seen”: a name of three words or more of the sound era, or any
/// with a word of the screen nearby. Places are seen too, and plays, whose
/// names early films share, and musicals on stage (Fiddler on the Roof,
/// 1964, before its film of 1971); “went to see” with a screen nearby is
/// the film, not the book.
#[test]
fn films_seen_are_films() {
    let dir = manuscript(&[(
        "ch.md",
        "It was 1969.\n\n\
         Jack had seen Raiders of the Lost Ark four times.\n\n\
         She saw Apocalypse Now twice at the drive-in.\n\n\
         She saw Apocalypse Now from the boat.\n\n\
         They saw Times Square at dawn.\n\n\
         We went to see The Godfather at the drive-in.\n\n\
         We went to see Hamlet at the Old Vic.\n\n\
         Aunt Rose had seen Fiddler on the Roof three times on Broadway.\n",
    )]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "ch.md:3:15: error[anachronism] *Raiders of the Lost Ark* (film, 1981) is later than the story year 1969, inferred from ch.md:1",
            "ch.md:5:9: error[anachronism] *Apocalypse Now* (film, 1979) is later than the story year 1969, inferred from ch.md:1",
            "ch.md:11:16: error[anachronism] *The Godfather* (film, 1972) is later than the story year 1969, inferred from ch.md:1",
        ]
    );
    // The 1910s' plays: “seen” without a screen is no film of 1919.
    let dir = manuscript(&[(
        "ch.md",
        "It was 1913.\n\nMURIEL: Have you seen \"Peg o' My Heart\"?\n\nMAURY: No, I haven't.\n",
    )]);
    assert_eq!(anachronism_lines(&dir), Vec::<String>::new());
}

/// A chapter's dated section has its own year: a Walkman in the 1962
/// flashback of a 1981 chapter is an anachronism, the one of 1981 is not,
/// and the verbose note names both years.
#[test]
fn a_dated_section_has_its_own_year() {
    let dir = manuscript(&[(
        "ch08.md",
        "# Eight\n\n## Summer, 1981\n\nJack had a Walkman on his head all summer.\n\n## 1962\n\nJohnny had a Walkman clipped to his belt.\n\n## Home\n\nHe kept the Walkman.\n",
    )]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "ch08.md:9:14: error[anachronism] “Walkman” (device, 1979) is later than the story year 1962, inferred from ch08.md:7"
        ]
    );
    assert!(
        notices(&dir, &["--verbose"]).contains(
            &"note: anachronism: ch08.md: story year 1981, inferred from ch08.md:3; from line 7, story year 1962, inferred from ch08.md:7; from line 11, the chapter's year again".to_string()
        ),
        "{:?}",
        notices(&dir, &["--verbose"])
    );
}

/// “E.T.”, as everyone writes it, is the 1982 film in a title context;
/// Eastern Time after a clock time is not.
#[test]
fn e_t_is_the_film_by_its_short_name() {
    let dir = manuscript(&[(
        "ch.md",
        "It was 1979.\n\nHe had seen E.T. three times at the cinema. The call came at 3 p.m. E.T. on Monday.\n",
    )]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "ch.md:3:13: error[anachronism] *E.T.* (film, 1982) is later than the story year 1979, inferred from ch.md:1"
        ]
    );
}

/// British title cues and 2016-17 names a 2015 novel reaches for: “the
/// second series of …”, “the box set of …”, an Instagram story, a song.
#[test]
fn a_2015_novel_s_later_shows_stories_and_songs() {
    let dir = manuscript(&[(
        "ch.md",
        "It was December 2015.\n\nThey watched the second series of Stranger Things and bought the box set of Killing Eve. She posted an Instagram story of the cake, and they danced to Despacito by Luis Fonsi.\n",
    )]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "ch.md:3:35: error[anachronism] *Stranger Things* (TV series, 2016) is later than the story year 2015, inferred from ch.md:1",
            "ch.md:3:77: error[anachronism] *Killing Eve* (TV series, 2018) is later than the story year 2015, inferred from ch.md:1",
            "ch.md:3:104: error[anachronism] “Instagram story” (service, 2016) is later than the story year 2015, inferred from ch.md:1",
            "ch.md:3:152: error[anachronism] *Despacito* (song, 2017) is later than the story year 2015, inferred from ch.md:1",
        ]
    );
}

/// “microwave” is the oven when soup is heated in it, and the radiation
/// beside radar.
#[test]
fn a_microwave_heating_soup_is_the_oven() {
    let dir = manuscript(&[(
        "ch.md",
        "It was 1951.\n\nShe heated the soup in the microwave and sat down.\n\nThe microwave radiation of the radar sets was a secret.\n",
    )]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "ch.md:3:28: error[anachronism] “microwave” (device, 1967) is later than the story year 1951, inferred from ch.md:1"
        ]
    );
}

/// A chapter that ends in a dated section hands that year on: after
/// “## 1962 … ## 1981”, the next chapter, which states none, is in 1981.
#[test]
fn the_year_a_chapter_ends_in_is_carried() {
    let dir = manuscript(&[
        (
            "ch1.md",
            "# One\n\n## 1962\n\nHe had a Walkman.\n\n## 1981\n\nShe had a Walkman too.\n",
        ),
        ("ch2.md", "# Two\n\nThey played Pac-Man all night.\n"),
    ]);
    assert_eq!(
        anachronism_lines(&dir),
        [
            "ch1.md:5:10: error[anachronism] “Walkman” (device, 1979) is later than the story year 1962, inferred from ch1.md:3"
        ]
    );
}
