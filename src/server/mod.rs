//! `manulint server`: a language server over stdio, with the whole
//! manuscript as context.
//!
//! The server opens a [`Workspace`] for the editor's workspace folder (the
//! `manulint.toml` found from there, or defaults), reads every chapter from
//! disk, and keeps the manuscript in memory: an open buffer replaces its
//! file's text. After an edit (debounced), the whole manuscript is checked
//! again — only changed chapters are parsed and analysed again; the rest
//! keep what rules derived from them ([`Chapter::memo`]), so a re-check
//! costs the edited chapter plus the manuscript-wide merging — and the
//! diagnostics of
//! every chapter whose findings changed are published, so a paragraph
//! pasted into chapter 5 shows as a duplicate in chapter 5 *and* the
//! earlier copy's chapter hears of it.
//!
//! Requests: hover (a finding's rule documentation) and code actions (the
//! finding's fix, "allow this" in `manulint.toml`, a disable directive).
//! Changes to `manulint.toml` and rule packs reload the workspace; a broken
//! config is a diagnostic on the file, and the last good one stays in use.

mod actions;
pub mod convert;
mod handshake;
pub mod transport;

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeActionProviderCapability, Diagnostic as LspDiagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, HoverProviderCapability, InitializeParams, Location as LspLocation,
    NumberOrString, PublishDiagnosticsParams, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, Uri,
};

use crate::config::CONFIG_FILE_NAME;
use crate::diagnostic::{Diagnostic, Severity};
use crate::layout::LayoutKind;
use crate::load;
use crate::text::{Analyses, Chapter, Manuscript, SourceFormat};
use crate::workspace::{Settings, Workspace};
use convert::{Lines, path_of, uri_of};

/// How long the server waits after the last edit before checking again.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Runs the server on stdin/stdout until the client says `exit`. A
/// message that cannot be read is answered or logged and skipped (see
/// [`transport`]). `Ok(true)` when `shutdown` came before `exit`,
/// `Ok(false)` when it did not (the protocol then asks for exit code 1).
///
/// Errors: the session ended badly (stdin closed before `shutdown`,
/// stdout gone), as a message for stderr.
pub fn run_stdio() -> Result<bool, String> {
    let (connection, io_threads) = transport::stdio();
    let result = serve(&connection);
    drop(connection);
    io_threads.join().map_err(|e| e.to_string())?;
    result
}

/// The server's capabilities: full-text sync, hover, code actions.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// Initializes, then serves `connection` until `exit`; whether `shutdown`
/// came first (see [`run_stdio`]).
pub fn serve(connection: &Connection) -> Result<bool, String> {
    let (id, params) = match handshake::await_initialize(connection)? {
        handshake::Opening::Initialize(id, params) => (id, params),
        handshake::Opening::Exit => return Ok(false),
    };
    let result = lsp_types::InitializeResult {
        capabilities: capabilities(),
        server_info: Some(lsp_types::ServerInfo {
            name: "manulint".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    let early = handshake::finish(connection, id, result)?;
    if early.exit {
        return Ok(false);
    }
    let given = workspace_root(&params);
    let root_given = given.is_some();
    let root = given
        .or_else(|| std::env::current_dir().ok())
        .ok_or("no workspace folder and no current folder")?;
    let mut server = Server::new(connection, root, root_given);
    server.pending.extend(early.messages);
    // Without a workspace folder nothing is read until a chapter is opened:
    // the current folder may be the home folder, and every text file under
    // it would be one book.
    if root_given {
        server.reload_workspace();
    } else {
        log("no workspace folder: waiting for the first chapter opened to find its book");
    }
    if can_register_watchers(&params) {
        server.register_watchers();
    }
    server.check_and_publish();
    server.main_loop()
}

/// The book a chapter file belongs to when the editor named no workspace
/// folder: the nearest folder above it with a `manulint.toml` or a `.git`,
/// else its own folder (as `manulint check` finds its config).
fn root_for(file: &Path) -> PathBuf {
    let folder = file.parent().unwrap_or(file);
    folder
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE_NAME).exists() || dir.join(".git").exists())
        .unwrap_or(folder)
        .to_path_buf()
}

/// Whether the client lets the server ask it to watch files (VS Code,
/// Neovim and Helix do; without it they send no file events at all).
fn can_register_watchers(params: &InitializeParams) -> bool {
    params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false)
}

/// The first workspace folder, or the deprecated root URI.
#[allow(deprecated)] // root_uri: older clients send only that
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .and_then(|folder| path_of(&folder.uri))
        .or_else(|| params.root_uri.as_ref().and_then(path_of))
}

/// One chapter's findings as last published.
type Published = HashMap<String, Vec<LspDiagnostic>>;

struct Server<'a> {
    connection: &'a Connection,
    /// The workspace folder.
    root: PathBuf,
    /// Whether the client named the workspace folder. When it did not, the
    /// server reads nothing until a chapter is opened, then takes that
    /// chapter's book (see [`root_for`]).
    root_given: bool,
    /// The last workspace that opened (a broken config keeps the old one).
    workspace: Option<Workspace>,
    /// The manuscript as last checked, with its findings.
    manuscript: Manuscript,
    /// What each check keeps for the next (see [`Manuscript::with_kept`]).
    kept: Arc<Analyses>,
    diagnostics: Vec<Diagnostic>,
    /// Open buffers by absolute path: they win over the files on disk.
    open: HashMap<PathBuf, Arc<str>>,
    /// Buffers saved nowhere yet (`untitled:Untitled-1`), by the path they
    /// are kept under in [`Server::open`] (see [`untitled_path`]): their
    /// URIs, which their findings are published to.
    untitled: HashMap<PathBuf, Uri>,
    /// Texts read from disk, kept until the file changes.
    disk: HashMap<PathBuf, Arc<str>>,
    /// Chapter files the last check could not read (undecodable, too
    /// large), with why: each gets an error on the file, as `manulint
    /// check` reports it, not silence.
    unreadable: Vec<(PathBuf, load::LoadProblem)>,
    /// What the client was last sent, by URI.
    published: Published,
    /// When to check again (after the debounce), if something changed.
    due: Option<Instant>,
    /// Messages received during the opening, served before any other.
    pending: VecDeque<Message>,
}

impl<'a> Server<'a> {
    fn new(connection: &'a Connection, root: PathBuf, root_given: bool) -> Self {
        Server {
            connection,
            root,
            root_given,
            workspace: None,
            manuscript: Manuscript::default(),
            kept: Arc::default(),
            diagnostics: Vec::new(),
            open: HashMap::new(),
            untitled: HashMap::new(),
            disk: HashMap::new(),
            unreadable: Vec::new(),
            published: HashMap::new(),
            due: None,
            pending: VecDeque::new(),
        }
    }

    /// Serves until `exit`. `Ok(true)` when `shutdown` came first (exit
    /// code 0), `Ok(false)` when it did not (the protocol's exit code 1).
    fn main_loop(&mut self) -> Result<bool, String> {
        loop {
            let Some(message) = self.next_message()? else {
                continue;
            };
            match message {
                Message::Request(request) if request.method == "shutdown" => {
                    self.send(Response::new_ok(request.id, ()).into());
                    return self.shut_down();
                }
                Message::Request(request) => self.request(request),
                Message::Notification(notification) if notification.method == "exit" => {
                    return Ok(false);
                }
                Message::Notification(notification) => self.notification(notification),
                Message::Response(_) => {}
            }
        }
    }

    /// The next message, or `None` when the debounce ran out first (and
    /// the manuscript was checked).
    ///
    /// Errors: the client closed the connection.
    fn next_message(&mut self) -> Result<Option<Message>, String> {
        let closed = || "the client closed the connection".to_string();
        if let Some(message) = self.pending.pop_front() {
            return Ok(Some(message));
        }
        let Some(due) = self.due else {
            return self
                .connection
                .receiver
                .recv()
                .map(Some)
                .map_err(|_| closed());
        };
        let wait = due.saturating_duration_since(Instant::now());
        match self.connection.receiver.recv_timeout(wait) {
            Ok(message) => Ok(Some(message)),
            Err(RecvTimeoutError::Timeout) => {
                self.due = None;
                self.check_and_publish();
                Ok(None)
            }
            Err(RecvTimeoutError::Disconnected) => Err(closed()),
        }
    }

    /// After `shutdown`: requests are refused as the protocol asks, other
    /// notifications ignored, until `exit` (or the client closing the
    /// connection, which after `shutdown` is as good as `exit`).
    fn shut_down(&mut self) -> Result<bool, String> {
        while let Ok(message) = self.connection.receiver.recv() {
            match message {
                Message::Notification(notification) if notification.method == "exit" => break,
                Message::Request(request) => self.send(
                    Response::new_err(
                        request.id,
                        ErrorCode::InvalidRequest as i32,
                        format!(
                            "`{}` after shutdown: the server is stopping",
                            request.method
                        ),
                    )
                    .into(),
                ),
                Message::Notification(_) | Message::Response(_) => {}
            }
        }
        Ok(true)
    }

    fn request(&mut self, request: Request) {
        // Answer with up-to-date findings.
        if self.due.take().is_some() {
            self.check_and_publish();
        }
        let id = request.id.clone();
        let response = match request.method.as_str() {
            HoverRequest::METHOD => match request.extract(HoverRequest::METHOD) {
                Ok((_, params)) => Response::new_ok(id, actions::hover(self, &params)),
                Err(e) => invalid_params(id, e),
            },
            CodeActionRequest::METHOD => match request.extract(CodeActionRequest::METHOD) {
                Ok((_, params)) => Response::new_ok(id, actions::code_actions(self, &params)),
                Err(e) => invalid_params(id, e),
            },
            "initialize" => Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "`initialize` again: the server is already initialized".to_string(),
            ),
            method => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("manulint does not handle `{method}`"),
            ),
        };
        self.send(response.into());
    }

    fn notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Some(params) =
                    read_params::<lsp_types::DidOpenTextDocumentParams>(notification)
                    && let Some(path) = self
                        .opened_path(&params.text_document.uri, &params.text_document.language_id)
                {
                    if !self.untitled.contains_key(&path) {
                        self.follow_to_book(&path);
                    }
                    self.open
                        .insert(path.clone(), Arc::from(params.text_document.text));
                    self.changed(&path);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(params) =
                    read_params::<lsp_types::DidChangeTextDocumentParams>(notification)
                    && let Some(path) = self.known_path(&params.text_document.uri)
                {
                    let Some(text) = self.open.get(&path) else {
                        // Taken as the chapter's whole text, a change to a
                        // document never opened added a chapter that is
                        // not there, or replaced one with a fragment.
                        log(&format!(
                            "ignored a change to {}: it was not opened (didOpen comes first)",
                            path.display()
                        ));
                        return;
                    };
                    let text = apply_changes(text, params.content_changes);
                    self.open.insert(path.clone(), Arc::from(text));
                    self.changed(&path);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Some(params) =
                    read_params::<lsp_types::DidSaveTextDocumentParams>(notification)
                    && let Some(path) = self.known_path(&params.text_document.uri)
                {
                    self.disk.remove(&path);
                    self.changed(&path);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(params) =
                    read_params::<lsp_types::DidCloseTextDocumentParams>(notification)
                    && let Some(path) = self.known_path(&params.text_document.uri)
                {
                    self.open.remove(&path);
                    self.untitled.remove(&path);
                    self.disk.remove(&path);
                    self.changed(&path);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Some(params) =
                    read_params::<lsp_types::DidChangeWatchedFilesParams>(notification)
                {
                    for change in params.changes {
                        if let Some(path) = path_of(&change.uri) {
                            self.disk.remove(&path);
                            self.changed(&path);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Asks the client to tell the server of changes on disk to
    /// `manulint.toml`, rule packs and chapter files, so that a config
    /// saved outside the editor, a `git checkout` or a chapter edited
    /// elsewhere is picked up without a restart. Editors send these events
    /// only for what a server registered.
    fn register_watchers(&mut self) {
        let extensions = match &self.workspace {
            Some(workspace) => workspace.load_options().extensions.clone(),
            None => crate::config::DEFAULT_EXTENSIONS
                .iter()
                .map(|e| e.to_string())
                .collect(),
        };
        let mut patterns = vec!["**/*.toml".to_string()];
        patterns.extend(extensions.iter().map(|e| format!("**/*.{e}")));
        let options = lsp_types::DidChangeWatchedFilesRegistrationOptions {
            watchers: patterns
                .into_iter()
                .map(|pattern| lsp_types::FileSystemWatcher {
                    glob_pattern: lsp_types::GlobPattern::String(pattern),
                    kind: None,
                })
                .collect(),
        };
        let params = lsp_types::RegistrationParams {
            registrations: vec![lsp_types::Registration {
                id: "manulint/watch-files".to_string(),
                method: DidChangeWatchedFiles::METHOD.to_string(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        let request = Request::new(
            lsp_server::RequestId::from("manulint/watch-files".to_string()),
            lsp_types::request::RegisterCapability::METHOD.to_string(),
            params,
        );
        self.send(request.into());
    }

    /// With no workspace folder from the editor (Neovim started outside
    /// any project), the first chapter opened sets the server's book (see
    /// [`root_for`]), and a chapter opened outside that book moves the
    /// server to its own, which is read and checked instead.
    fn follow_to_book(&mut self, opened: &Path) {
        if self.root_given {
            return;
        }
        let Some(workspace) = &self.workspace else {
            self.root = root_for(opened);
            self.reload_workspace();
            return;
        };
        if opened.starts_with(&self.root) || !workspace.load_options().would_collect(opened) {
            return;
        }
        self.root = root_for(opened);
        self.disk.clear();
        self.reload_workspace();
    }

    /// Something changed at `path`: a config or pack reloads the workspace
    /// at once; anything else schedules a check after the debounce.
    fn changed(&mut self, path: &Path) {
        if !self.root_given && self.workspace.is_none() {
            return; // no book yet: the first chapter opened chooses it
        }
        let is_toml = path.extension().is_some_and(|e| e == "toml");
        if is_toml {
            self.reload_workspace();
        }
        self.due = Some(Instant::now() + DEBOUNCE);
    }

    fn send(&self, message: Message) {
        // A send fails only when the client has gone; the main loop then
        // sees the closed channel.
        let _ = self.connection.sender.send(message);
    }

    /// Opens the workspace again (config, packs, rules). On failure the
    /// error is published on the file it points into and the last good
    /// workspace stays in use.
    fn reload_workspace(&mut self) {
        match Workspace::open(&Settings::default(), &self.root) {
            Ok(workspace) => {
                self.workspace = Some(workspace);
                // What rules derived from each chapter was built with the
                // old settings: every chapter is parsed again.
                self.manuscript = Manuscript::default();
                self.kept = Arc::default();
                let stale: Vec<String> = self
                    .published
                    .keys()
                    .filter(|uri| uri.ends_with(".toml"))
                    .cloned()
                    .collect();
                for uri in stale {
                    self.publish(&uri, Vec::new());
                }
            }
            Err(error) => {
                let (uri, diagnostic) = self.setup_diagnostic(&*error);
                if let Some(uri) = uri {
                    self.publish(uri.as_str(), vec![diagnostic]);
                }
            }
        }
    }

    /// A setup error as a diagnostic on the TOML file it points into.
    fn setup_diagnostic(
        &self,
        error: &(dyn miette::Diagnostic + Send + Sync),
    ) -> (Option<Uri>, LspDiagnostic) {
        let label = error.labels().and_then(|mut l| l.next());
        let file = label.as_ref().and_then(|l| {
            let contents = error.source_code()?.read_span(l.inner(), 0, 0).ok()?;
            contents.name().map(PathBuf::from)
        });
        let file = file.map_or_else(|| self.root.join(CONFIG_FILE_NAME), |f| self.root.join(f));
        let text = self
            .open
            .get(&file)
            .map(|t| t.to_string())
            .or_else(|| std::fs::read_to_string(&file).ok())
            .unwrap_or_default();
        let lines = Lines::new(&text);
        let range = match &label {
            Some(l) => lines.range(
                &text,
                crate::text::Span::new(l.offset(), l.offset() + l.len()),
            ),
            None => lsp_types::Range::default(),
        };
        let mut message = error.to_string();
        if let Some(help) = error.help() {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let diagnostic = LspDiagnostic {
            range,
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String("config".to_string())),
            source: Some("manulint".to_string()),
            message,
            ..LspDiagnostic::default()
        };
        (uri_of(&file), diagnostic)
    }

    /// The path the server keeps the document opened at `uri` under (see
    /// [`Server::known_path`]). A buffer saved nowhere yet (`untitled:`)
    /// is registered here when `language` (its language id) is prose,
    /// under a path of its own (see [`untitled_path`]); opened again in
    /// another language, it is no longer checked. `None` for a document
    /// that is not checked.
    fn opened_path(&mut self, uri: &Uri, language: &str) -> Option<PathBuf> {
        if let Some(path) = path_of(uri) {
            return Some(path);
        }
        if let Some(old) = self.known_path(uri) {
            self.untitled.remove(&old);
            self.open.remove(&old);
            self.changed(&old);
        }
        let mut path = untitled_path(uri, language, 1)?;
        // Two names the same once extended (`Untitled-1` in plain text and
        // `Untitled-1.txt`) get a number each.
        let mut copy = 1;
        while self.untitled.contains_key(&path) {
            copy += 1;
            path = untitled_path(uri, language, copy)?;
        }
        if self.workspace.is_none() {
            log(&format!(
                "{} will be checked once a chapter of a book is opened (no workspace folder)",
                uri.as_str()
            ));
        }
        self.untitled.insert(path.clone(), uri.clone());
        Some(path)
    }

    /// The path the server keeps a known document under: a file's own, or
    /// the one an unsaved buffer was given when opened.
    fn known_path(&self, uri: &Uri) -> Option<PathBuf> {
        path_of(uri).or_else(|| {
            self.untitled
                .iter()
                .find(|(_, known)| known.as_str() == uri.as_str())
                .map(|(path, _)| path.clone())
        })
    }

    /// The text of a chapter file: its open buffer, or the file on disk.
    /// `Err` with why it cannot be read; `Ok(None)` with no workspace.
    fn text_of(&mut self, path: &Path) -> Result<Option<Arc<str>>, load::LoadProblem> {
        if let Some(text) = self.open.get(path) {
            return Ok(Some(Arc::clone(text)));
        }
        if let Some(text) = self.disk.get(path) {
            return Ok(Some(Arc::clone(text)));
        }
        let Some(workspace) = self.workspace.as_ref() else {
            return Ok(None);
        };
        let (text, _, _) = load::read_chapter(path, workspace.load_options())?;
        // Chapters read from disk, not edits, count toward huge pages: a
        // large book gets them for its first check, a writer's keystrokes
        // never bring them in.
        crate::memory::note_text_read(text.len());
        self.disk.insert(path.to_path_buf(), Arc::clone(&text));
        Ok(Some(text))
    }

    /// The chapter files of the manuscript, in reading order, absolute,
    /// each with the layout it was found through (an Obsidian vault …).
    fn chapter_paths(&self) -> Vec<(PathBuf, Option<LayoutKind>)> {
        let Some(workspace) = &self.workspace else {
            return Vec::new();
        };
        let base = workspace
            .config()
            .root()
            .map_or_else(|| self.root.clone(), Path::to_path_buf);
        let collected = load::collect(std::slice::from_ref(&base), workspace.load_options());
        let kinds: Vec<Option<LayoutKind>> = collected
            .file_layouts
            .iter()
            .map(|l| l.map(|i| collected.layouts[i].kind))
            .collect();
        let no_layout = collected.layouts.is_empty();
        let mut paths: Vec<(PathBuf, Option<LayoutKind>)> = collected
            .files
            .into_iter()
            .zip(kinds)
            // Word documents are not edited in an editor (`manulint check`
            // reads them).
            .filter(|(f, _)| !crate::docx::is_docx_path(f))
            .collect();
        // A new chapter open in the editor and not saved yet is part of the
        // book too (after the others: a layout's own list of chapters, an
        // mdBook's SUMMARY.md, does not name it yet, so it is left out).
        if no_layout {
            let options = workspace.load_options();
            let mut unsaved: Vec<&PathBuf> = self
                .open
                .keys()
                .filter(|p| !self.untitled.contains_key(*p))
                .filter(|p| p.starts_with(&base) && !p.exists() && options.would_collect(p))
                .filter(|p| !crate::docx::is_docx_path(p))
                .collect();
            unsaved.sort_by(|a, b| load::natural_path_order(a, b));
            paths.extend(unsaved.into_iter().map(|p| (p.clone(), None)));
        }
        // Buffers saved nowhere yet come last, in the order of their
        // names, whatever the layout or `include` say: no list of files
        // can name them, and the writer opened them as prose.
        let mut untitled: Vec<&PathBuf> = self.untitled.keys().collect();
        untitled.sort_by(|a, b| load::natural_path_order(a, b));
        paths.extend(untitled.into_iter().map(|p| (p.clone(), None)));
        paths
    }

    /// Re-reads what changed, checks the whole manuscript and publishes the
    /// findings of every chapter whose findings changed.
    fn check_and_publish(&mut self) {
        let Some(paths) = self.workspace.is_some().then(|| self.chapter_paths()) else {
            return;
        };
        let (chapters, analyses) = std::mem::take(&mut self.manuscript).into_parts();
        // Freed while the re-check runs, not before it. Should no thread be
        // had, `spawn` drops them here.
        let _ = std::thread::Builder::new()
            .name("free-analyses".to_string())
            .spawn(move || drop(analyses));
        let mut previous: HashMap<PathBuf, Chapter> =
            chapters.into_iter().map(|c| (c.path.clone(), c)).collect();
        let mut chapters = Vec::with_capacity(paths.len());
        let mut unreadable = Vec::new();
        for (path, layout) in paths {
            let text = match self.text_of(&path) {
                Ok(Some(text)) => text,
                Ok(None) => continue,
                Err(problem) => {
                    if !self.unreadable.iter().any(|(p, _)| *p == path) {
                        log(&problem.message);
                    }
                    unreadable.push((path, problem));
                    continue;
                }
            };
            let index = chapters.len();
            let chapter = match previous.remove(&path) {
                Some(mut chapter) if Arc::ptr_eq(&chapter.text, &text) => {
                    chapter.index = index;
                    chapter
                }
                _ => {
                    let format = SourceFormat::from_extension(
                        path.extension().and_then(|e| e.to_str()).unwrap_or(""),
                    );
                    let mut chapter = Chapter::parse(index, path, format, text);
                    chapter.layout = layout;
                    chapter.keep_analyses();
                    chapter
                }
            };
            chapters.push(chapter);
        }
        if let Some(workspace) = &self.workspace {
            workspace.set_languages(&mut chapters);
        }
        self.unreadable = unreadable;
        self.manuscript = Manuscript::with_kept(chapters, Arc::clone(&self.kept));
        let Some(workspace) = &self.workspace else {
            return;
        };
        self.diagnostics = workspace.findings(&self.manuscript, None);
        self.publish_all();
    }

    fn publish_all(&mut self) {
        let mut by_uri: Published = HashMap::new();
        let untitled = &self.untitled;
        let uri_of = |path: &Path| untitled.get(path).cloned().or_else(|| uri_of(path));
        for chapter in &self.manuscript.chapters {
            if let Some(uri) = uri_of(&chapter.path) {
                by_uri.insert(uri.as_str().to_string(), Vec::new());
            }
        }
        let lines: Vec<Arc<Lines>> = self
            .manuscript
            .chapters
            .iter()
            // Kept with the chapter: an edit re-counts the lines of the
            // edited chapter only.
            .map(|c| c.memo("server/lines", |c| Lines::new(&c.text)))
            .collect();
        for diagnostic in &self.diagnostics {
            let chapter = &self.manuscript.chapters[diagnostic.primary.chapter];
            let Some(uri) = uri_of(&chapter.path) else {
                continue;
            };
            let lsp = to_lsp(&self.manuscript, &lines, diagnostic, &uri_of);
            by_uri
                .entry(uri.as_str().to_string())
                .or_default()
                .push(lsp);
            for (other, lsp) in copy_hints(&self.manuscript, &lines, diagnostic, &uri_of) {
                by_uri.entry(other).or_default().push(lsp);
            }
        }
        // A chapter that cannot be read is not checked: said on its file.
        for (path, problem) in &self.unreadable {
            if let Some(uri) = uri_of(path) {
                let mut message = problem.message.clone();
                if let Some(help) = &problem.help {
                    message.push_str(&format!("\nhelp: {help}"));
                }
                by_uri.insert(
                    uri.as_str().to_string(),
                    vec![LspDiagnostic {
                        range: lsp_types::Range::default(),
                        severity: Some(DiagnosticSeverity::ERROR),
                        code: Some(NumberOrString::String("not-checked".to_string())),
                        source: Some("manulint".to_string()),
                        message,
                        ..LspDiagnostic::default()
                    }],
                );
            }
        }
        // Chapters that left the manuscript lose their findings.
        let gone: Vec<String> = self
            .published
            .keys()
            .filter(|uri| !by_uri.contains_key(*uri) && !uri.ends_with(".toml"))
            .cloned()
            .collect();
        for uri in gone {
            by_uri.insert(uri, Vec::new());
        }
        let mut uris: Vec<String> = by_uri.keys().cloned().collect();
        uris.sort();
        for uri in uris {
            let diagnostics = by_uri.remove(&uri).unwrap_or_default();
            self.publish(&uri, diagnostics);
        }
    }

    /// Sends the findings of `uri` unless the client has them already.
    fn publish(&mut self, uri: &str, diagnostics: Vec<LspDiagnostic>) {
        let unchanged = match self.published.get(uri) {
            Some(old) => *old == diagnostics,
            None => diagnostics.is_empty(),
        };
        if unchanged {
            return;
        }
        let Ok(parsed) = uri.parse::<Uri>() else {
            return;
        };
        let params = PublishDiagnosticsParams {
            uri: parsed,
            diagnostics: diagnostics.clone(),
            version: None,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.to_string(), params).into());
        if diagnostics.is_empty() {
            self.published.remove(uri);
        } else {
            self.published.insert(uri.to_string(), diagnostics);
        }
    }
}

fn invalid_params(id: lsp_server::RequestId, error: lsp_server::ExtractError<Request>) -> Response {
    Response::new_err(
        id,
        ErrorCode::InvalidParams as i32,
        format!("invalid parameters: {error}"),
    )
}

/// Where `manulint explain RULE` lives on the web, for `codeDescription`.
pub fn rule_docs_uri(rule: &str) -> Option<Uri> {
    format!("https://github.com/manulint/manulint/blob/main/docs/rules.md#{rule}")
        .parse()
        .ok()
}

/// A manulint diagnostic as the protocol's: rule id as `code`, a link to the
/// rule's docs, the help after the message, and the other places as related
/// information.
/// `uri_of` gives the URI of a chapter's path.
fn to_lsp(
    manuscript: &Manuscript,
    lines: &[Arc<Lines>],
    diagnostic: &Diagnostic,
    uri_of: &dyn Fn(&Path) -> Option<Uri>,
) -> LspDiagnostic {
    let chapter = &manuscript.chapters[diagnostic.primary.chapter];
    let range = lines[chapter.index].range(&chapter.text, diagnostic.primary.span);
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .filter_map(|label| {
            let other = manuscript.chapters.get(label.chapter)?;
            Some(DiagnosticRelatedInformation {
                location: LspLocation {
                    uri: uri_of(&other.path)?,
                    range: lines[other.index].range(&other.text, label.span),
                },
                message: label
                    .message
                    .as_deref()
                    .unwrap_or("related place")
                    .to_string(),
            })
        })
        .collect();
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    LspDiagnostic {
        range,
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(diagnostic.rule.clone())),
        code_description: rule_docs_uri(&diagnostic.rule)
            .map(|href| lsp_types::CodeDescription { href }),
        source: Some("manulint".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}
/// For a duplicated paragraph, a note on each earlier copy, by URI: the
/// finding is the later copy's, and a writer editing the first copy saw
/// no sign that it is copied elsewhere. Information, not the error again:
/// the finding is one, and its code actions are at the later copy.
/// `uri_of` gives the URI of a chapter's path.
fn copy_hints(
    manuscript: &Manuscript,
    lines: &[Arc<Lines>],
    diagnostic: &Diagnostic,
    uri_of: &dyn Fn(&Path) -> Option<Uri>,
) -> Vec<(String, LspDiagnostic)> {
    if !matches!(
        diagnostic.facts.as_deref(),
        Some(crate::diagnostic::Facts::Copies { .. })
    ) {
        return Vec::new();
    }
    let chapter = &manuscript.chapters[diagnostic.primary.chapter];
    let Some(primary) = uri_of(&chapter.path) else {
        return Vec::new();
    };
    // Named as findings name other chapters ("repeats 01.md:5"), not by
    // the absolute path the server holds.
    let at = crate::report::Location::of(manuscript, &diagnostic.primary);
    let place = match at.display.strip_prefix(at.file.as_str()) {
        Some(rest) => format!("{}{rest}", chapter.shown_name()),
        None => at.display.clone(),
    };
    diagnostic
        .related
        .iter()
        .filter_map(|label| {
            let other = manuscript.chapters.get(label.chapter)?;
            let uri = uri_of(&other.path)?;
            let lsp = LspDiagnostic {
                range: lines[other.index].range(&other.text, label.span),
                severity: Some(DiagnosticSeverity::INFORMATION),
                code: Some(NumberOrString::String(diagnostic.rule.clone())),
                code_description: rule_docs_uri(&diagnostic.rule)
                    .map(|href| lsp_types::CodeDescription { href }),
                source: Some("manulint".to_string()),
                message: format!("this paragraph is copied at {place} (the finding is there)"),
                related_information: Some(vec![DiagnosticRelatedInformation {
                    location: LspLocation {
                        uri: primary.clone(),
                        range: lines[chapter.index].range(&chapter.text, diagnostic.primary.span),
                    },
                    message: diagnostic.message.clone(),
                }]),
                tags: None,
                data: None,
            };
            Some((uri.as_str().to_string(), lsp))
        })
        .collect()
}

/// The path a buffer saved nowhere yet is checked under: its URI with the
/// extension of its language added, `.md` for Markdown, `.txt` for plain
/// text (`untitled:Untitled-1.txt`: relative, never read from disk, and
/// never one of the `.toml` files that reload the workspace); for the
/// `copy`th buffer of one name from the second on, with its number before
/// the extension (`untitled:Untitled-1 (2).txt`). `None` for another
/// scheme or language (code is not prose).
fn untitled_path(uri: &Uri, language: &str, copy: usize) -> Option<PathBuf> {
    let name = uri.as_str();
    name.strip_prefix("untitled:")?;
    let extension = match language {
        "markdown" => "md",
        "plaintext" | "text" => "txt",
        _ => return None,
    };
    Some(PathBuf::from(match copy {
        1 => format!("{name}.{extension}"),
        n => format!("{name} ({n}).{extension}"),
    }))
}

/// A line on stderr, which editors keep as the server's log.
fn log(line: &str) {
    eprintln!("manulint server: {line}");
}

/// A notification's parameters, or `None` after logging why they cannot
/// be read (a URI with raw non-ASCII characters, which the protocol wants
/// percent-encoded): an edit the server ignored said nothing.
fn read_params<T: serde::de::DeserializeOwned>(notification: Notification) -> Option<T> {
    let method = notification.method.clone();
    match notification.extract::<T>(&method) {
        Ok(params) => Some(params),
        Err(error) => {
            log(&format!(
                "ignored {method}: its parameters cannot be read ({error})"
            ));
            None
        }
    }
}

/// `text` after the `changes` of one `didChange`, in order. The server asks
/// for whole texts (full sync), but a change with a range (as clients that
/// always sync by increments send) is applied where it says, not taken for
/// the whole chapter. Positions count UTF-16 units, as the protocol's do.
fn apply_changes(text: &str, changes: Vec<lsp_types::TextDocumentContentChangeEvent>) -> String {
    let mut text = text.to_string();
    for change in changes {
        match change.range {
            None => text = change.text,
            Some(range) => {
                let lines = Lines::new(&text);
                let start = lines.offset(&text, range.start);
                let end = lines.offset(&text, range.end).max(start);
                text.replace_range(start..end, &change.text);
            }
        }
    }
    text
}
