//! Drafts in other languages (issue #18): the fixtures under
//! `fixtures/languages/` are small invented chapters in Spanish, French,
//! German and Italian with defects planted in them. The tests assert the
//! findings exactly (rule, file, line), that rules built on English data
//! say once per run what they skip, that the function words of those
//! languages are never “overused”, and how the language is chosen.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

fn manulint() -> Command {
    let mut cmd = Command::cargo_bin("manulint").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env("CLICOLOR", "0")
        .env("COLUMNS", "300");
    cmd
}

/// `rule file:line` of every finding, the stderr lines and the exit code.
fn check(language: &str, args: &[&str]) -> (Vec<String>, Vec<String>, i32) {
    let out = manulint()
        .args(["check", &format!("fixtures/languages/{language}")])
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    let report: serde_json::Value = if out.stdout.is_empty() {
        serde_json::json!({ "diagnostics": [] })
    } else {
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let found = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap_or("");
            let file = file.rsplit('/').next().unwrap_or(file);
            format!("{} {file}:{}", d["rule"].as_str().unwrap_or(""), d["line"])
        })
        .collect();
    let stderr = String::from_utf8_lossy(&out.stderr)
        .replace("\n      ", " ")
        .lines()
        .map(str::to_string)
        .collect();
    (found, stderr, out.status.code().unwrap_or(-1))
}

fn skip_notices(language: &str) -> Vec<String> {
    vec![
        format!(
            "note: anachronism: in {language} text only names (products, brands, titles) and emoji are checked: its list of modern words is English"
        ),
        format!(
            "note: cliche: skipped {language} text: its phrases are English; turn it off for this manuscript with `[rules.cliche] level = \"off\"`"
        ),
        format!(
            "note: spelling-variant: skipped {language} text: its phrases are English; turn it off for this manuscript with `[rules.spelling-variant] level = \"off\"`"
        ),
    ]
}

#[test]
fn spanish_draft_planted_defects_and_nothing_else() {
    let (found, stderr, code) = check("es", &[]);
    assert_eq!(
        found,
        vec![
            "repeated-phrase capitulo-1.md:3",
            "anachronism capitulo-1.md:11",
            "doubled-word capitulo-2.md:9",
            "draft-marker capitulo-2.md:9",
            "duplicate-paragraph capitulo-2.md:11",
        ]
    );
    // No “de”, “que”, “la” overused; dialogue dashes are no typography
    // finding; the notices come once each, not per chapter.
    assert_eq!(stderr, skip_notices("Spanish"));
    assert_eq!(code, 1);
}

#[test]
fn french_draft_planted_defects_and_nothing_else() {
    let (found, stderr, _) = check("fr", &[]);
    // “Nous nous”, “Vous vous” and « guillemets » are French, not slips.
    assert_eq!(
        found,
        vec![
            "repeated-phrase chapitre-1.md:3",
            "anachronism chapitre-1.md:11",
            "draft-marker chapitre-2.md:11",
            "doubled-word chapitre-2.md:11",
        ]
    );
    assert_eq!(stderr, skip_notices("French"));
}

#[test]
fn german_draft_planted_defects_and_nothing_else() {
    let (found, stderr, _) = check("de", &[]);
    // „Low-high“ and »guillemet« quotes are closed; “die die” is a
    // relative pronoun after an article.
    assert_eq!(
        found,
        vec![
            "repeated-phrase kapitel-1.md:3",
            "anachronism kapitel-1.md:11",
            "doubled-word kapitel-2.md:9",
        ]
    );
    let mut expected = skip_notices("German");
    expected.insert(2, "note: name-variant: in German text capitalised common words (every noun) are not taken for names: only rarer names are compared".to_string());
    assert_eq!(stderr, expected);
}

#[test]
fn italian_has_no_word_data_so_echo_rules_say_they_skip_it() {
    let (found, stderr, code) = check("it", &[]);
    assert_eq!(found, vec!["duplicate-paragraph capitolo-2.md:5"]);
    // The three rules read one analysis: one line names them all.
    let skipped = stderr
        .iter()
        .filter(|l| l.contains("no word frequencies"))
        .collect::<Vec<_>>();
    assert_eq!(
        skipped,
        [
            "note: overused-word, repeated-phrase, word-echo: skipped: manulint has no word frequencies for Italian (it has them for English, French, Spanish and German)"
        ],
        "{stderr:#?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn the_year_is_read_in_each_language() {
    for (language, chapter, note) in [
        (
            "es",
            "capitulo-1.md",
            "story year 1974, inferred from capitulo-1.md:3",
        ),
        (
            "fr",
            "chapitre-1.md",
            "story year 1987, inferred from chapitre-1.md:3",
        ),
        (
            "de",
            "kapitel-1.md",
            "story year 1974, inferred from kapitel-1.md:3",
        ),
    ] {
        let (_, stderr, _) = check(language, &["-v"]);
        let expected = format!("note: anachronism: {chapter}: {note}");
        assert!(stderr.contains(&expected), "{stderr:#?}");
    }
}

#[test]
fn detection_is_said_with_verbose_and_the_config_wins() {
    let (_, stderr, _) = check("es", &["-v"]);
    assert!(
        stderr.iter().any(
            |l| l.starts_with("note: language: Spanish, detected from 7")
                && l.ends_with(
                    "function words; set `[manuscript] language` in manulint.toml to change it"
                )
        ),
        "{stderr:#?}"
    );
    // Declared Italian, the Spanish draft gets no echo rules.
    let dir = TempDir::new().unwrap();
    let config = dir.path().join("manulint.toml");
    fs::write(&config, "[manuscript]\nlanguage = \"it\"\n").unwrap();
    let config = config.display().to_string();
    let (found, stderr, _) = check("es", &["--config", &config, "-v"]);
    assert!(
        !found.iter().any(|f| f.starts_with("repeated-phrase")),
        "{found:?}"
    );
    assert!(
        stderr.contains(
            &"note: language: Italian (it), from manulint.toml [manuscript] language".to_string()
        ),
        "{stderr:#?}"
    );
    // A tag that is no language is a config error (exit 2).
    fs::write(&config, "[manuscript]\nlanguage = \"espanol!\"\n").unwrap();
    let (_, stderr, code) = check("es", &["--config", &config]);
    assert_eq!(code, 2);
    assert!(
        stderr
            .iter()
            .any(|l| l.contains("`espanol!` is not a language tag")),
        "{stderr:#?}"
    );
}

#[test]
fn front_matter_sets_a_chapter_language() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let english = "She walked to the harbour every morning and counted the boats that had been hauled out, and the ones that had been left to the ice, and then she went home.\n";
    fs::write(dir.path().join("one.md"), english.repeat(3)).unwrap();
    fs::write(
        dir.path().join("two.md"),
        "---\nlang: fr-FR\n---\nElle regarda la mer, et le le vent se leva.\n",
    )
    .unwrap();
    let out = manulint()
        .current_dir(dir.path())
        .args([
            "check",
            ".",
            "-v",
            "--format",
            "short",
            "--select",
            "doubled-word,cliche",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).replace("\n      ", " ");
    assert!(
        stderr.contains("note: two.md: written in French (its front matter says so)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: cliche: skipped French text"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("two.md:4:25: warning[doubled-word]"),
        "{stdout}"
    );
}

/// “la la” is the article doubled in French and Spanish, and sung in
/// English; “que que” is a slip in Spanish (“que qué” is not a doubling).
/// Sung runs of three or more are never reported, and `also-allow` still
/// allows “la”.
#[test]
fn la_la_is_a_slip_in_french_and_spanish_but_sung_in_english() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let chapters = [
        (
            "fr.md",
            "---\nlang: fr\n---\nElle prit la la valise et chanta la la la.\n",
        ),
        (
            "es.md",
            "---\nlang: es\n---\nCogió la la maleta. Dijo que que sí, que qué.\n",
        ),
        (
            "en.md",
            "---\nlang: en\n---\nShe sang la la and went home.\n",
        ),
    ];
    for (name, text) in chapters {
        fs::write(dir.path().join(name), text).unwrap();
    }
    let run = |config: &str| {
        fs::write(dir.path().join("manulint.toml"), config).unwrap();
        let out = manulint()
            .current_dir(dir.path())
            .args([
                "check",
                ".",
                "--format",
                "short",
                "--select",
                "doubled-word",
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let stdout = run("");
    let found: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("[doubled-word]"))
        .collect();
    assert_eq!(
        found,
        [
            "es.md:4:7: warning[doubled-word] “la” is written twice in a row",
            "es.md:4:26: warning[doubled-word] “que” is written twice in a row",
            "fr.md:4:11: warning[doubled-word] “la” is written twice in a row",
        ],
        "{stdout}"
    );
    let stdout = run("[rules.doubled-word]\nalso-allow = [\"la\"]\n");
    let found: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("[doubled-word]"))
        .collect();
    assert_eq!(
        found,
        ["es.md:4:26: warning[doubled-word] “que” is written twice in a row"],
        "{stdout}"
    );
}

/// A French book and a Spanish one checked together: without `lang` tags
/// no language leads, and the run says so without `-v` (the chapters are
/// read as English); with them, the echo rules read the French chapters
/// (the manuscript's language) and leave the Spanish ones out, saying so,
/// where Spanish “el” and “que” were “overused” against French frequencies.
#[test]
fn chapters_in_two_languages_are_said_and_kept_apart() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let fixture = |language: &str, name: &str| {
        fs::read_to_string(format!(
            "{}/fixtures/languages/{language}/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let spanish = "Dijo que el pueblo era el de siempre, que el río y el puente y el molino \
                   seguían allí, que el cura y el alcalde y el médico vivían aún, que el \
                   mercado abría el lunes y el jueves, y que el tren pasaba por el valle. "
        .repeat(4);
    let write = |tagged: bool| {
        for name in ["chapitre-1.md", "chapitre-2.md"] {
            fs::write(dir.path().join(name), fixture("fr", name)).unwrap();
        }
        let tag = if tagged { "---\nlang: es\n---\n" } else { "" };
        fs::write(
            dir.path().join("zz-capitulo.md"),
            format!("{tag}{spanish}\n"),
        )
        .unwrap();
    };
    let run = || {
        let out = manulint()
            .current_dir(dir.path())
            .args(["check", ".", "--format", "short"])
            .output()
            .unwrap();
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).replace("\n      ", " "),
        )
    };
    write(true);
    let (stdout, stderr) = run();
    let echoes: Vec<&str> = stdout
        .lines()
        .filter(|l| {
            l.starts_with("zz-capitulo.md")
                && (l.contains("[overused-word]")
                    || l.contains("[word-echo]")
                    || l.contains("[repeated-phrase]"))
        })
        .collect();
    assert_eq!(echoes, Vec::<&str>::new(), "{stdout}");
    assert!(
        stderr.contains("note: overused-word, repeated-phrase, word-echo: left out 1 chapter in another language than the manuscript's French (zz-capitulo.md in Spanish): check it as a book of its own"),
        "{stderr}"
    );
    assert!(!stderr.contains("the chapters mix"), "{stderr}");

    // Without the tag: the Spanish chapter is as long as the French ones.
    write(false);
    let (_, stderr) = run();
    assert!(
        stderr.contains("note: language: English, assumed: the chapters mix Spanish and French (")
            && stderr.contains("function words), so each is read as English"),
        "{stderr}"
    );
}

#[test]
fn many_threads_give_the_same_output() {
    for language in ["es", "fr", "de", "it"] {
        let run = |threads: &str| {
            manulint()
                .env("RAYON_NUM_THREADS", threads)
                .args([
                    "check",
                    &format!("fixtures/languages/{language}"),
                    "--format",
                    "json",
                ])
                .output()
                .unwrap()
                .stdout
        };
        assert_eq!(run("1"), run("16"), "{language}");
    }
    let layouts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/layouts");
    for layout in ["leanpub", "obsidian", "mdbook"] {
        let run = |threads: &str| {
            manulint()
                .current_dir(layouts.join(layout))
                .env("RAYON_NUM_THREADS", threads)
                .args(["check", ".", "--format", "json"])
                .output()
                .unwrap()
                .stdout
        };
        assert_eq!(run("1"), run("16"), "{layout}");
    }
}

#[test]
fn init_writes_the_detected_language() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/languages/fr");
    for name in ["chapitre-1.md", "chapitre-2.md"] {
        fs::copy(source.join(name), dir.path().join(name)).unwrap();
    }
    let out = manulint()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Language: French, detected from ") && stdout.contains(" French and "),
        "{stdout}"
    );
    let config = fs::read_to_string(dir.path().join("manulint.toml")).unwrap();
    assert!(
        config.contains("[manuscript]\n# Detected from the text; rules that need English data say what they skip.\nlanguage = \"fr\"\n"),
        "{config}"
    );
    // The written config is valid and keeps the language.
    let out = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "-v", "--format", "short"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).replace("\n      ", " ");
    assert!(
        stderr.contains("note: language: French (fr), from manulint.toml [manuscript] language"),
        "{stderr}"
    );
}

/// German capitalises nouns, so name-variant says it compares only
/// names that are not common German words.
#[test]
fn german_name_variant_says_how_it_reads_capitals() {
    let (_, stderr, _) = check("de", &["--select", "name-variant"]);
    assert_eq!(
        stderr,
        vec![
            "note: name-variant: in German text capitalised common words (every noun) are not taken for names: only rarer names are compared"
        ]
    );
    let (_, stderr, _) = check("fr", &["--select", "name-variant"]);
    assert!(stderr.is_empty(), "{stderr:#?}");
}
