//! Hover and code actions on findings.
//!
//! Code actions offered for each finding under the cursor:
//!
//! - its fix, when the rule made one (safe fixes first and preferred);
//! - "allow …": add the flagged phrase or word to the rule's `allow` list in
//!   `manulint.toml` (created when missing), for rules that have one;
//! - "disable RULE here": a `manulint-disable-next` directive before the
//!   paragraph (an HTML comment in Markdown, a `%%` line in plain text).

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Hover, HoverContents,
    HoverParams, MarkupContent, MarkupKind, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::Server;
use super::convert::{Lines, uri_of};
use crate::config::CONFIG_FILE_NAME;
use crate::diagnostic::{Applicability, Diagnostic, Facts};
use crate::text::{Chapter, SourceFormat, Span};

/// Rules whose options take an `allow` list of phrases or words.
const RULES_WITH_ALLOW: &[&str] = &[
    "doubled-word",
    "repeated-phrase",
    "word-echo",
    "overused-word",
    "anachronism",
    "cliche",
    "spelling-variant",
    "scaffolding-heading",
    "name-variant",
];

/// The chapter at `uri` and the findings whose primary span touches the
/// byte range `start..end` of it.
fn findings_at<'s>(
    server: &'s Server,
    uri: &Uri,
    range: Range,
) -> Option<(&'s Chapter, Vec<&'s Diagnostic>)> {
    let path = server.known_path(uri)?;
    let chapter = server.manuscript.chapters.iter().find(|c| c.path == path)?;
    let lines = Lines::new(&chapter.text);
    let start = lines.offset(&chapter.text, range.start) as u32;
    let end = lines.offset(&chapter.text, range.end) as u32;
    let found = server
        .diagnostics
        .iter()
        .filter(|d| d.primary.chapter == chapter.index)
        .filter(|d| touches(start, end, d.primary.span.start, d.primary.span.end))
        .collect();
    Some((chapter, found))
}

/// Whether a finding at `[from, to)` is at the request's range
/// `[start, end)`. A cursor (an empty range) is at a finding it touches,
/// its end included (the cursor just after a flagged word); a selection
/// is at the findings it overlaps, ends excluded as the protocol's ranges
/// are (a selection of the emoji after a quotation mark got the mark's
/// actions too); an empty finding is at a selection that holds it.
fn touches(start: u32, end: u32, from: u32, to: u32) -> bool {
    if start == end {
        from <= start && start <= to
    } else if from == to {
        start <= from && from < end
    } else {
        from < end && start < to
    }
}

/// The documentation of the rules of the findings under the cursor, as
/// `manulint explain` prints it.
pub(super) fn hover(server: &Server, params: &HoverParams) -> Option<Hover> {
    let position = params.text_document_position_params.position;
    let uri = &params.text_document_position_params.text_document.uri;
    let (_, found) = findings_at(server, uri, Range::new(position, position))?;
    let workspace = server.workspace.as_ref()?;
    let mut sections = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for diagnostic in found {
        if seen.contains(&diagnostic.rule.as_str()) {
            continue;
        }
        seen.push(&diagnostic.rule);
        let Some(rule) = workspace.registry().get(&diagnostic.rule) else {
            continue;
        };
        let meta = &rule.meta;
        sections.push(format!(
            "**{}** ({} · {})\n\n{}\n\n{}",
            meta.id,
            meta.category,
            diagnostic.severity,
            meta.summary,
            meta.docs_markdown()
        ));
    }
    if sections.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: None,
    })
}

pub(super) fn code_actions(
    server: &Server,
    params: &CodeActionParams,
) -> Option<Vec<CodeActionOrCommand>> {
    let uri = &params.text_document.uri;
    let (chapter, found) = findings_at(server, uri, params.range)?;
    let lines = Lines::new(&chapter.text);
    // The client's own copy of the finding each action is for: editors
    // link a quick fix to its problem by it (VS Code's "Quick Fix" on a
    // squiggle, the lightbulb's count).
    let client_copy = |diagnostic: &Diagnostic| {
        let range = lines.range(&chapter.text, diagnostic.primary.span);
        let code = lsp_types::NumberOrString::String(diagnostic.rule.clone());
        params
            .context
            .diagnostics
            .iter()
            .find(|d| d.range == range && d.code.as_ref() == Some(&code))
            .cloned()
    };
    let for_diagnostic = |mut action: CodeAction, diagnostic: &Diagnostic| {
        action.diagnostics = client_copy(diagnostic).map(|d| vec![d]);
        action
    };
    let mut actions = Vec::new();
    for diagnostic in &found {
        if let Some(action) = fix_action(chapter, &lines, uri, diagnostic) {
            actions.push(for_diagnostic(action, diagnostic));
        }
    }
    for diagnostic in &found {
        if let Some(action) = allow_action(server, chapter, diagnostic) {
            actions.push(for_diagnostic(action, diagnostic));
        }
        if let Some(action) = disable_action(chapter, &lines, uri, diagnostic) {
            actions.push(for_diagnostic(action, diagnostic));
        }
    }
    Some(
        actions
            .into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect(),
    )
}

fn quickfix(title: String, edit: WorkspaceEdit, preferred: bool) -> CodeAction {
    CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        edit: Some(edit),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    }
}

fn edit_of(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// The finding's own fix as text edits.
fn fix_action(
    chapter: &Chapter,
    lines: &Lines,
    uri: &Uri,
    diagnostic: &Diagnostic,
) -> Option<CodeAction> {
    let fix = diagnostic.fix.as_ref()?;
    let edits = fix
        .edits
        .iter()
        .map(|e| TextEdit::new(lines.range(&chapter.text, e.span), e.replacement.clone()))
        .collect();
    let safe = fix.applicability == Applicability::Safe;
    let title = if safe {
        format!("Fix: {}", fix.description)
    } else {
        format!("Fix (check it): {}", fix.description)
    };
    Some(quickfix(title, edit_of(uri, edits), safe))
}

/// Words at least this common (Zipf scale: "the" 7.7, "to" 7.4, "was"
/// 6.8, "with" 6.7) are not offered to `doubled-word`'s allow list.
const EVERYWHERE_ZIPF: f32 = 6.5;

/// What to add to the rule's `allow`: the phrase or words from the
/// finding's facts, else the flagged text.
fn allow_entry(chapter: &Chapter, diagnostic: &Diagnostic) -> Option<String> {
    let entry = match diagnostic.facts.as_deref() {
        Some(Facts::Repetition { text, .. }) => text.clone(),
        Some(Facts::Overuse { words, .. }) => words.first()?.clone(),
        Some(Facts::Anachronism { name, .. }) => name.clone(),
        Some(Facts::Copies { .. }) | None => chapter
            .slice(diagnostic.primary.span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    };
    let entry = match diagnostic.rule.as_str() {
        // A doubled word is allowed by the word, not the pair; never one of
        // the commonest words ("the the", "to to"), whose doubling is a
        // slip wherever it is, so allowing it would turn the rule off where
        // it matters most (the paragraph's Disable action is offered).
        "doubled-word" => {
            let word = entry.split_whitespace().next()?.to_lowercase();
            if crate::wordfreq::zipf(&word) >= EVERYWHERE_ZIPF {
                return None;
            }
            word
        }
        _ => entry,
    };
    (!entry.is_empty() && entry.len() <= 200).then_some(entry)
}

/// Adds the flagged text to `[rules.<id>] allow` in `manulint.toml`.
fn allow_action(server: &Server, chapter: &Chapter, diagnostic: &Diagnostic) -> Option<CodeAction> {
    if !RULES_WITH_ALLOW.contains(&diagnostic.rule.as_str()) {
        return None;
    }
    let entry = allow_entry(chapter, diagnostic)?;
    let workspace = server.workspace.as_ref()?;
    let config_path = workspace
        .config()
        .source
        .as_ref()
        .map_or_else(|| server.root.join(CONFIG_FILE_NAME), |s| s.path.clone());
    let old = server
        .open
        .get(&config_path)
        .map(|t| t.to_string())
        .or_else(|| std::fs::read_to_string(&config_path).ok());
    let new = with_allowed(old.as_deref().unwrap_or(""), &diagnostic.rule, &entry)?;
    let uri = uri_of(&config_path)?;
    let edit = match old {
        Some(old) => edit_of(&uri, vec![changed_lines(&old, &new)]),
        None => create_file(&uri, new),
    };
    Some(quickfix(
        format!("Allow “{entry}” for {} in manulint.toml", diagnostic.rule),
        edit,
        false,
    ))
}

/// The one edit that turns `old` into `new`, over the lines that differ
/// only: an editor applying it to a buffer with unsaved changes elsewhere
/// keeps them (a whole-file edit replaced the buffer with the text on
/// disk). `new` takes `old`'s line endings.
fn changed_lines(old: &str, new: &str) -> TextEdit {
    let new = match old.contains("\r\n") {
        true => new.replace("\r\n", "\n").replace('\n', "\r\n"),
        false => new.to_string(),
    };
    let lines = |text: &str| -> Vec<usize> {
        // Where each line starts, and the end.
        let mut starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        if starts.last() != Some(&text.len()) {
            starts.push(text.len());
        }
        starts
    };
    let (old_lines, new_lines) = (lines(old), lines(&new));
    fn line<'t>(text: &'t str, starts: &[usize], i: usize) -> &'t str {
        &text[starts[i]..starts[i + 1]]
    }
    let (old_count, new_count) = (old_lines.len() - 1, new_lines.len() - 1);
    let mut same_start = 0;
    while same_start < old_count.min(new_count)
        && line(old, &old_lines, same_start) == line(&new, &new_lines, same_start)
    {
        same_start += 1;
    }
    let mut same_end = 0;
    while same_end < (old_count - same_start).min(new_count - same_start)
        && line(old, &old_lines, old_count - 1 - same_end)
            == line(&new, &new_lines, new_count - 1 - same_end)
    {
        same_end += 1;
    }
    let old_range = old_lines[same_start]..old_lines[old_count - same_end];
    let new_range = new_lines[same_start]..new_lines[new_count - same_end];
    let lines_index = Lines::new(old);
    TextEdit::new(
        Range::new(
            lines_index.position(old, old_range.start),
            lines_index.position(old, old_range.end),
        ),
        new[new_range].to_string(),
    )
}

/// A workspace edit creating `uri` with `text`.
fn create_file(uri: &Uri, text: String) -> WorkspaceEdit {
    use lsp_types::{
        CreateFile, DocumentChangeOperation, DocumentChanges, OneOf,
        OptionalVersionedTextDocumentIdentifier, ResourceOp, TextDocumentEdit,
    };
    WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(vec![
            DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                uri: uri.clone(),
                options: None,
                annotation_id: None,
            })),
            DocumentChangeOperation::Edit(TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: None,
                },
                edits: vec![OneOf::Left(TextEdit::new(Range::default(), text))],
            }),
        ])),
        ..WorkspaceEdit::default()
    }
}

/// The option the “Allow” action adds to: `allow`, or for a rule whose
/// `allow` replaces a default list of its own, the option that adds to
/// that list (allowing one word must not drop the others).
fn allow_key(rule: &str) -> &'static str {
    match rule {
        "doubled-word" => "also-allow",
        _ => "allow",
    }
}

/// `config` (TOML text) with `entry` added to `[rules.<rule>] allow` (or
/// `also-allow`, see [`allow_key`]), keeping its comments and layout;
/// `None` when it does not parse or the entry is there already.
pub fn with_allowed(config: &str, rule: &str, entry: &str) -> Option<String> {
    let mut document: toml_edit::DocumentMut = config.parse().ok()?;
    let rules = document
        .entry("rules")
        .or_insert_with(|| {
            let mut table = toml_edit::Table::new();
            table.set_implicit(true);
            toml_edit::Item::Table(table)
        })
        .as_table_mut()?;
    let table = rules
        .entry(rule)
        .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()))
        .as_table_mut()?;
    let allow = table
        .entry(allow_key(rule))
        .or_insert_with(|| toml_edit::value(toml_edit::Array::new()))
        .as_array_mut()?;
    if allow.iter().any(|v| v.as_str() == Some(entry)) {
        return None;
    }
    allow.push(entry);
    Some(document.to_string())
}

/// A `manulint-disable-next RULE` directive on its own line before the
/// block that holds the finding.
fn disable_action(
    chapter: &Chapter,
    lines: &Lines,
    uri: &Uri,
    diagnostic: &Diagnostic,
) -> Option<CodeAction> {
    let block = block_at(chapter, diagnostic.primary.span)?;
    let text = &chapter.text;
    let line_start = text[..block.start as usize]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    // (Word chapters are never opened in an editor; their rendering takes
    // HTML comments like Markdown.)
    let directive = match chapter.format {
        SourceFormat::Markdown | SourceFormat::Docx => {
            format!(
                "{indent}<!-- manulint-disable-next {} -->{newline}",
                diagnostic.rule
            )
        }
        SourceFormat::PlainText => {
            format!(
                "{indent}%% manulint-disable-next {}{newline}",
                diagnostic.rule
            )
        }
    };
    let at = lines.position(text, line_start);
    Some(quickfix(
        format!("Disable {} for this paragraph", diagnostic.rule),
        edit_of(uri, vec![TextEdit::new(Range::new(at, at), directive)]),
        false,
    ))
}

/// The span of the heading or paragraph holding `span`.
fn block_at(chapter: &Chapter, span: Span) -> Option<Span> {
    let i = chapter.blocks.partition_point(|b| b.span.end <= span.start);
    chapter
        .blocks
        .get(i)
        .filter(|b| b.span.start <= span.start)
        .map(|b| b.span)
}

#[cfg(test)]
mod tests {
    use super::{changed_lines, touches, with_allowed};
    use lsp_types::{Position, Range};

    #[test]
    fn a_range_is_at_the_findings_it_overlaps_and_a_cursor_at_those_it_touches() {
        // A quotation mark at [86, 87), an emoji at [87, 89).
        assert!(!touches(87, 89, 86, 87));
        assert!(touches(87, 89, 87, 89));
        assert!(touches(86, 88, 86, 87) && touches(86, 88, 87, 89));
        // A cursor just after the mark, or at its start, is at it.
        assert!(touches(87, 87, 86, 87) && touches(86, 86, 86, 87));
        assert!(!touches(85, 85, 86, 87));
        // An empty finding (a point) inside a selection, not at its end.
        assert!(touches(80, 90, 85, 85) && !touches(80, 85, 85, 85));
    }

    #[test]
    fn allow_entries_are_added_keeping_the_file() {
        let config = "# my book\nfail-on = \"warning\"\n\n[rules.repeated-phrase]\nlevel = \"info\" # quieter\n";
        let new = with_allowed(config, "repeated-phrase", "the metallic tang").unwrap();
        assert_eq!(
            new,
            "# my book\nfail-on = \"warning\"\n\n[rules.repeated-phrase]\nlevel = \"info\" # quieter\nallow = [\"the metallic tang\"]\n"
        );
        let again = with_allowed(&new, "repeated-phrase", "grey light").unwrap();
        assert!(again.contains("allow = [\"the metallic tang\", \"grey light\"]"));
        assert_eq!(with_allowed(&again, "repeated-phrase", "grey light"), None);
        let fresh = with_allowed("", "cliche", "in the nick of time").unwrap();
        assert_eq!(fresh, "[rules.cliche]\nallow = [\"in the nick of time\"]\n");
        assert_eq!(with_allowed("not = [toml", "cliche", "x"), None);
        // doubled-word's `allow` replaces its own list: the action adds to
        // it instead.
        assert_eq!(
            with_allowed("", "doubled-word", "the").unwrap(),
            "[rules.doubled-word]\nalso-allow = [\"the\"]\n"
        );
    }

    #[test]
    fn the_allow_edit_covers_only_the_lines_that_change() {
        let old =
            "# my book\n[rules.word-echo]\nlevel = \"off\"\n\n[rules.cliche]\nlevel = \"info\"\n";
        let new = with_allowed(old, "cliche", "in the nick of time").unwrap();
        let edit = changed_lines(old, &new);
        // An insertion after `level = "info"`, nothing replaced.
        assert_eq!(
            edit.range,
            Range::new(Position::new(6, 0), Position::new(6, 0))
        );
        assert_eq!(edit.new_text, "allow = [\"in the nick of time\"]\n");
        // A second entry: one line replaced.
        let newer = with_allowed(&new, "cliche", "grey light").unwrap();
        let edit = changed_lines(&new, &newer);
        assert_eq!(
            edit.range,
            Range::new(Position::new(6, 0), Position::new(7, 0))
        );
        assert_eq!(
            edit.new_text,
            "allow = [\"in the nick of time\", \"grey light\"]\n"
        );
        // CRLF files keep their line endings.
        let crlf = old.replace('\n', "\r\n");
        let new = with_allowed(&crlf, "cliche", "x").unwrap();
        let edit = changed_lines(&crlf, &new);
        assert_eq!(edit.new_text, "allow = [\"x\"]\r\n");
        assert_eq!(edit.range.start, Position::new(6, 0));
    }
}
