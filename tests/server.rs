//! The language server, driven over stdio as an editor drives it:
//! initialize, open and edit chapters, hover, code actions, shutdown.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

/// A running `manulint server` and the messages it sends.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Every message received, in order.
    seen: Vec<Value>,
}

impl Client {
    fn start(root: &Path) -> Client {
        Client::start_with(root, Stdio::inherit())
    }

    /// [`Client::start`], with the server's stderr going to `stderr`.
    fn start_with(root: &Path, stderr: Stdio) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_manulint"))
            .arg("server")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start the server");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().expect("length");
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("JSON message");
                if sender.send(value).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 1,
            seen: Vec::new(),
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        self.send_raw(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    }

    /// Writes `bytes` as they are, framing and all.
    fn send_raw(&mut self, bytes: &str) {
        self.stdin.write_all(bytes.as_bytes()).expect("write");
        self.stdin.flush().expect("flush");
    }

    /// Initializes a session on the workspace folder `root`.
    fn initialize(&mut self, root: &Path) -> Value {
        let init = self.request(
            "initialize",
            json!({
                "processId": null,
                "capabilities": {},
                "workspaceFolders": [{"uri": uri(root), "name": "book"}],
            }),
        );
        self.notify("initialized", json!({}));
        init
    }

    /// Shuts the server down and checks that it exits with success.
    fn shut_down(mut self) {
        let shutdown = self.request("shutdown", json!(null));
        assert_eq!(shutdown["result"], Value::Null);
        self.notify("exit", json!(null));
        assert_eq!(self.exit_code(), Some(0));
    }

    /// The server's exit code, waiting up to 20 s for it to exit.
    fn exit_code(mut self) -> Option<i32> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its response, keeping notifications that
    /// arrive meanwhile for [`Client::diagnostics`].
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The next message `matches` accepts (others are skipped), within 60 s.
    fn wait_for(&mut self, matches: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .messages
                .recv_timeout(left)
                .expect("the server answered in time");
            self.seen.push(message.clone());
            if matches(&message) {
                return message;
            }
        }
    }

    /// The diagnostics last published for `uri` among the messages seen
    /// so far, if any were.
    fn last_published(&self, uri: &str) -> Option<Vec<Value>> {
        self.seen
            .iter()
            .rev()
            .find(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
            .map(|m| {
                m["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
    }

    /// The next diagnostics published for `file`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

fn uri(path: &Path) -> String {
    let path = path.canonicalize().expect("path exists");
    format!("file://{}", path.display())
}

/// The URI of a file that need not exist yet (its folder does).
fn uri_of_new(path: &Path) -> String {
    let folder = path
        .parent()
        .unwrap()
        .canonicalize()
        .expect("folder exists");
    format!(
        "file://{}",
        folder.join(path.file_name().unwrap()).display()
    )
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

const PASSAGE: &str = "The reels lay in a shoebox under the stairs, nine flat tins wrapped in newspaper from the spring of the flood, each one labelled in a careful violet hand.";

#[test]
fn an_editor_session() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let root = dir.path().canonicalize().unwrap();
    fs::write(
        root.join("chapter-01.md"),
        format!("# One\n\nMarisol opened the shop at nine.\n\n{PASSAGE}\n"),
    )
    .unwrap();
    let two = "# Two\n\nTeo swept the floor and counted the till twice.\n";
    fs::write(root.join("chapter-02.md"), two).unwrap();
    fs::write(
        root.join("chapter-03.txt"),
        "Three\n\nShe closed the door door behind her.\n",
    )
    .unwrap();
    let (one_uri, two_uri, three_uri) = (
        uri(&root.join("chapter-01.md")),
        uri(&root.join("chapter-02.md")),
        uri(&root.join("chapter-03.txt")),
    );

    let mut client = Client::start(&root);
    let init = client.initialize(&root);
    assert_eq!(init["result"]["serverInfo"]["name"], "manulint");
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(capabilities["codeActionProvider"], true);
    assert_eq!(capabilities["textDocumentSync"], 1, "full sync");

    // The whole manuscript is checked at start: chapter 3's doubled word.
    let three = client.diagnostics(&three_uri);
    assert_eq!(codes(&three), vec!["doubled-word"]);
    assert_eq!(
        three[0]["range"]["start"],
        json!({"line": 2, "character": 15})
    );
    assert_eq!(three[0]["severity"], 2);
    assert_eq!(three[0]["source"], "manulint");
    assert!(
        three[0]["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("#doubled-word")
    );

    // Paste chapter 1's paragraph into chapter 2: a cross-chapter duplicate.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": two_uri, "languageId": "markdown", "version": 1, "text": two}}),
    );
    let pasted = format!("{two}\n{PASSAGE}\n");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": two_uri, "version": 2}, "contentChanges": [{"text": pasted}]}),
    );
    let found = client.diagnostics(&two_uri);
    assert_eq!(codes(&found), vec!["duplicate-paragraph"], "{found:?}");
    let related = &found[0]["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], one_uri);
    assert_eq!(related["location"]["range"]["start"]["line"], 4);
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": 4, "character": 0})
    );
    // The first copy, in chapter 1, hears of it: a note pointing at the
    // finding, not the error again.
    // (Published just before chapter 2's, in the order of their URIs.)
    let hint = client
        .last_published(&one_uri)
        .expect("chapter 1's diagnostics published");
    assert_eq!(codes(&hint), vec!["duplicate-paragraph"], "{hint:?}");
    assert_eq!(hint[0]["severity"], 3);
    assert_eq!(
        hint[0]["range"]["start"],
        json!({"line": 4, "character": 0})
    );
    assert_eq!(
        hint[0]["message"],
        "this paragraph is copied at chapter-02.md:5:1 (the finding is there)"
    );
    assert_eq!(hint[0]["relatedInformation"][0]["location"]["uri"], two_uri);

    // Hover shows the rule's documentation.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": two_uri}, "position": {"line": 4, "character": 5}}),
    );
    let markdown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        markdown.starts_with("**duplicate-paragraph**"),
        "{markdown}"
    );
    assert!(markdown.contains("## What it does"), "{markdown}");

    // Code actions on the doubled word: the fix, allow, disable.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": three_uri},
            "range": {"start": {"line": 2, "character": 16}, "end": {"line": 2, "character": 16}},
            "context": {"diagnostics": [three[0].clone()]},
        }),
    );
    let actions = actions["result"].as_array().unwrap();
    // Each action names the client's diagnostic it is for.
    for action in actions {
        assert_eq!(action["diagnostics"], json!([three[0].clone()]), "{action}");
    }
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        vec![
            "Fix: delete the second “door”",
            "Allow “door” for doubled-word in manulint.toml",
            "Disable doubled-word for this paragraph",
        ]
    );
    assert_eq!(
        actions[0]["edit"]["changes"][&three_uri],
        json!([{"range": {"start": {"line": 2, "character": 19}, "end": {"line": 2, "character": 24}}, "newText": ""}])
    );
    assert_eq!(actions[0]["isPreferred"], true);
    let create = &actions[1]["edit"]["documentChanges"];
    assert_eq!(create[0]["kind"], "create");
    assert_eq!(
        create[1]["edits"][0]["newText"],
        "[rules.doubled-word]\nalso-allow = [\"door\"]\n"
    );
    assert_eq!(
        actions[2]["edit"]["changes"][&three_uri][0]["newText"],
        "%% manulint-disable-next doubled-word\n"
    );

    // Remove the paste: the duplicate goes away.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": two_uri, "version": 3}, "contentChanges": [{"text": two}]}),
    );
    assert_eq!(client.diagnostics(&two_uri), Vec::<Value>::new());

    // A broken config is a diagnostic on manulint.toml, and the server lives.
    let config = root.join("manulint.toml");
    fs::write(&config, "[rules.doubled-wrod]\nlevel = \"error\"\n").unwrap();
    let config_uri = uri(&config);
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 1}]}),
    );
    let broken = client.diagnostics(&config_uri);
    assert_eq!(broken.len(), 1);
    assert!(
        broken[0]["message"]
            .as_str()
            .unwrap()
            .contains("doubled-wrod"),
        "{broken:?}"
    );
    assert_eq!(broken[0]["range"]["start"]["line"], 0);
    // Fixed: the config error clears and the new level applies.
    fs::write(&config, "[rules.doubled-word]\nlevel = \"error\"\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    assert_eq!(client.diagnostics(&config_uri), Vec::<Value>::new());
    let three = client.diagnostics(&three_uri);
    assert_eq!(three[0]["severity"], 1, "now an error");

    // Unknown requests get the protocol's error.
    let unknown = client.request("manulint/unknown", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);

    client.shut_down();
}

#[test]
fn the_server_asks_the_editor_to_watch_config_packs_and_chapters() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let root = dir.path().canonicalize().unwrap();
    fs::write(root.join("chapter-01.txt"), "One\n\nShe closed the door.\n").unwrap();
    fs::write(
        root.join("manulint.toml"),
        "[manuscript]\nextensions = [\"txt\", \"fountain\"]\n",
    )
    .unwrap();
    let mut client = Client::start(&root);
    client.request(
        "initialize",
        json!({
            "processId": null,
            "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}},
            "workspaceFolders": [{"uri": uri(&root), "name": "book"}],
        }),
    );
    client.notify("initialized", json!({}));
    let register = client.wait_for(|m| m["method"] == "client/registerCapability");
    let registration = &register["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let patterns: Vec<&str> = registration["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert_eq!(patterns, ["**/*.toml", "**/*.txt", "**/*.fountain"]);
    client.send(json!({"jsonrpc": "2.0", "id": register["id"], "result": null}));
    client.shut_down();
}

#[test]
fn a_new_unsaved_chapter_is_checked_and_no_root_follows_the_opened_file() {
    let dir = TempDir::new().unwrap();
    let book = dir.path().join("book");
    fs::create_dir_all(book.join(".git")).unwrap();
    let book = book.canonicalize().unwrap();
    fs::write(
        book.join("chapter-01.txt"),
        "One\n\nShe closed the the door.\n",
    )
    .unwrap();
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    // The folder the editor started in (a home folder, say) holds other
    // text files: they are never read as part of a book.
    fs::write(
        elsewhere.join("notes.txt"),
        "Shopping: TODO the the milk.\n",
    )
    .unwrap();

    // No workspace folder, started in another folder: opening a chapter
    // reads and checks its book, the chapter on disk next to it included.
    let mut client = Client::start(&elsewhere);
    let init = client.request(
        "initialize",
        json!({"processId": null, "capabilities": {}, "rootUri": null, "workspaceFolders": null}),
    );
    assert!(init.get("error").is_none(), "{init}");
    client.notify("initialized", json!({}));
    // A new chapter, open and not saved yet.
    let new = book.join("chapter-02.txt");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri_of_new(&new), "languageId": "plaintext", "version": 1,
            "text": "Two\n\nHe wrote TODO and left.\n"}}),
    );
    // Published in path order, and nothing from the folder it started in.
    assert_eq!(
        codes(&client.diagnostics(&uri(&book.join("chapter-01.txt")))),
        ["doubled-word"]
    );
    assert_eq!(
        codes(&client.diagnostics(&uri_of_new(&new))),
        ["draft-marker"]
    );
    let notes = uri(&elsewhere.join("notes.txt"));
    assert!(
        client
            .seen
            .iter()
            .all(|m| m["params"]["uri"] != notes.as_str()),
        "the start folder was read: {:?}",
        client.seen
    );
    client.shut_down();
}

/// A buffer saved nowhere yet (VS Code's File → New Text File,
/// `untitled:Untitled-1`) is checked as a chapter at the end of the book:
/// its findings are published to its own URI, a paragraph pasted into it
/// from chapter 1 is a duplicate there, and code actions work on it. A
/// buffer of code is not prose and is never checked; closing the buffer
/// clears its findings.
#[test]
fn an_unsaved_untitled_buffer_is_checked_with_the_book() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let root = dir.path().canonicalize().unwrap();
    fs::write(root.join("chapter-01.md"), format!("# One\n\n{PASSAGE}\n")).unwrap();
    let one_uri = uri(&root.join("chapter-01.md"));
    let mut client = Client::start(&root);
    client.initialize(&root);

    let untitled = "untitled:Untitled-1";
    let text = format!("She shut the the gate.\n\n{PASSAGE}\n");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": untitled, "languageId": "plaintext", "version": 1, "text": text}}),
    );
    let found = client.diagnostics(untitled);
    assert_eq!(
        codes(&found),
        ["doubled-word", "duplicate-paragraph"],
        "{found:?}"
    );
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": 0, "character": 9})
    );
    assert_eq!(
        found[1]["relatedInformation"][0]["location"]["uri"],
        one_uri.as_str()
    );
    // The first copy's note names the buffer as the editor does.
    let hint = client
        .last_published(&one_uri)
        .expect("chapter 1's diagnostics published");
    assert_eq!(
        hint[0]["message"],
        "this paragraph is copied at untitled:Untitled-1.txt:3:1 (the finding is there)"
    );
    assert_eq!(
        hint[0]["relatedInformation"][0]["location"]["uri"],
        untitled
    );

    // The fix of the doubled word edits the buffer.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": untitled},
            "range": {"start": {"line": 0, "character": 14}, "end": {"line": 0, "character": 14}},
            "context": {"diagnostics": [found[0].clone()]},
        }),
    );
    let fix = &actions["result"][0];
    assert_eq!(fix["title"], "Fix: delete the second “the”");
    assert_eq!(
        fix["edit"]["changes"][untitled],
        json!([{"range": {"start": {"line": 0, "character": 12}, "end": {"line": 0, "character": 16}}, "newText": ""}])
    );

    // An edit is checked again; a buffer of code never is.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": untitled, "version": 2}, "contentChanges": [{"text": "She shut the gate.\n"}]}),
    );
    assert_eq!(client.diagnostics(untitled), Vec::<Value>::new());
    let code = "untitled:Untitled-2";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": code, "languageId": "rust", "version": 1, "text": "// TODO the the\n"}}),
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": untitled, "version": 3}, "contentChanges": [{"text": "TODO: the end.\n"}]}),
    );
    assert_eq!(codes(&client.diagnostics(untitled)), ["draft-marker"]);
    // Closed: its findings are cleared.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": untitled}}),
    );
    assert_eq!(client.diagnostics(untitled), Vec::<Value>::new());
    assert!(
        client.seen.iter().all(|m| m["params"]["uri"] != code),
        "a buffer of code was checked: {:?}",
        client.seen
    );
    // Two names that are one once extended are two chapters; a buffer
    // opened again as code is no longer checked, and the other still is.
    let (three, three_txt) = ("untitled:Untitled-3", "untitled:Untitled-3.txt");
    for (uri, text) in [
        (three, "TODO one.\n"),
        (three_txt, "She shut the the gate.\n"),
    ] {
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}),
        );
    }
    assert_eq!(codes(&client.diagnostics(three)), ["draft-marker"]);
    assert_eq!(codes(&client.diagnostics(three_txt)), ["doubled-word"]);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": three, "languageId": "rust", "version": 2, "text": "TODO\n"}}),
    );
    assert_eq!(client.diagnostics(three), Vec::<Value>::new());
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": three_txt, "version": 2}, "contentChanges": [{"text": "TODO two.\n"}]}),
    );
    assert_eq!(codes(&client.diagnostics(three_txt)), ["draft-marker"]);
    client.shut_down();
}

/// A change with a range is applied where it says (clients that always
/// sync by increments send them), and a change to a document never opened
/// is ignored and logged: taken as the chapter's whole text, the first
/// made the chapter the fragment "TODO " and the second added a chapter
/// that is not there.
#[test]
fn ranged_changes_apply_in_place_and_changes_to_unopened_documents_are_ignored() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let chapter = dir.path().join("chapter-01.txt");
    let text = "One\n\nShe closed the door. TODO: the hall.\n";
    fs::write(&chapter, text).unwrap();
    let log = dir.path().join("server.log");
    let mut client = Client::start_with(dir.path(), Stdio::from(fs::File::create(&log).unwrap()));
    client.initialize(dir.path());
    let uri = uri(&chapter);
    assert_eq!(codes(&client.diagnostics(&uri)), ["draft-marker"]);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}),
    );
    // “the ” inserted before “the door”: line 2, character 11 (UTF-16).
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 2, "character": 11},
                "end": {"line": 2, "character": 11}}, "text": "the "}]}),
    );
    let found = loop {
        let found = client.diagnostics(&uri);
        if codes(&found) != ["draft-marker"] {
            break found;
        }
    };
    assert_eq!(codes(&found), ["doubled-word", "draft-marker"]);
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": 2, "character": 11})
    );
    assert_eq!(
        found[1]["range"]["start"],
        json!({"line": 2, "character": 25})
    );
    // A document never opened: ignored, and logged.
    let phantom = uri_of_new(&dir.path().join("phantom.txt"));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": phantom, "version": 2},
            "contentChanges": [{"text": "Three\n\nTODO the the end.\n"}]}),
    );
    // A URI with raw non-ASCII characters (the protocol wants them
    // percent-encoded) cannot be read: logged, not ignored in silence.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///tmp/Chapitre 3 – Été.md", "languageId": "markdown",
            "version": 1, "text": "Trois\n"}}),
    );
    client.shut_down();
    let log = fs::read_to_string(&log).unwrap();
    assert!(
        log.contains("ignored a change to ")
            && log.contains("phantom.txt: it was not opened (didOpen comes first)"),
        "{log}"
    );
    assert!(
        log.contains("ignored textDocument/didOpen: its parameters cannot be read ("),
        "{log}"
    );
}

/// A chapter the server cannot read (not UTF-8, no encoding set) gets an
/// error on its file, as `manulint check` reports it, where it was left
/// out of the book without a word; the other chapters are still checked.
#[test]
fn a_chapter_that_cannot_be_read_is_an_error_on_its_file() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    fs::write(
        dir.path().join("a.txt"),
        "One\n\nShe closed the the door.\n",
    )
    .unwrap();
    fs::write(dir.path().join("b.txt"), b"Two\n\n\x93Hi,\x94 he said.\n").unwrap();
    let mut client = Client::start(dir.path());
    client.initialize(dir.path());
    assert_eq!(
        codes(&client.diagnostics(&uri(&dir.path().join("a.txt")))),
        ["doubled-word"]
    );
    let unread = client.diagnostics(&uri(&dir.path().join("b.txt")));
    assert_eq!(codes(&unread), ["not-checked"]);
    assert_eq!(unread[0]["severity"], 1);
    let message = unread[0]["message"].as_str().unwrap();
    assert!(
        message.contains("b.txt: invalid UTF-8 at line 3, column 1 (byte 0x93)"),
        "{message}"
    );
    client.shut_down();
}

#[test]
fn after_shutdown_requests_are_refused_and_exit_codes_follow_the_protocol() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let root = dir.path().canonicalize().unwrap();
    fs::write(root.join("chapter-01.txt"), "One\n\nShe closed the door.\n").unwrap();

    // shutdown, then a request and a notification, then exit: 0.
    let mut client = Client::start(&root);
    client.initialize(&root);
    let shutdown = client.request("shutdown", json!(null));
    assert_eq!(shutdown["result"], Value::Null);
    let refused = client.request(
        "textDocument/hover",
        json!({
            "textDocument": {"uri": uri(&root.join("chapter-01.txt"))},
            "position": {"line": 0, "character": 0},
        }),
    );
    assert_eq!(refused["error"]["code"], -32600);
    assert_eq!(
        refused["error"]["message"],
        "`textDocument/hover` after shutdown: the server is stopping"
    );
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "file:///x.md"}}),
    );
    client.notify("exit", json!(null));
    assert_eq!(client.exit_code(), Some(0));

    // exit without shutdown: 1.
    let mut client = Client::start(&root);
    client.initialize(&root);
    client.notify("exit", json!(null));
    assert_eq!(client.exit_code(), Some(1));
}

#[test]
fn malformed_messages_are_answered_or_skipped_and_the_session_goes_on() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let root = dir.path().canonicalize().unwrap();
    let chapter = root.join("chapter-01.txt");
    fs::write(&chapter, "One\n\nShe closed the the door behind her.\n").unwrap();
    let log = root.join("server.log");
    let mut client = Client::start_with(&root, Stdio::from(fs::File::create(&log).unwrap()));
    client.initialize(&root);
    assert_eq!(codes(&client.diagnostics(&uri(&chapter))), ["doubled-word"]);
    // "the the" is a slip wherever it is: allowing "the" is not offered.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri(&chapter)},
            "range": {"start": {"line": 2, "character": 12}, "end": {"line": 2, "character": 12}},
            "context": {"diagnostics": []},
        }),
    );
    let titles: Vec<&str> = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Fix: delete the second “the”",
            "Disable doubled-word for this paragraph"
        ]
    );

    // A body that is not JSON: JSON-RPC's parse error, with a null id.
    client.send_raw("Content-Length: 9\r\n\r\n{\"id\": 3,");
    let parse_error = client.wait_for(|m| m.get("error").is_some());
    assert_eq!(parse_error["id"], Value::Null);
    assert_eq!(parse_error["error"]["code"], -32700);
    // JSON with an id but no method: an invalid request, answered by id.
    client.send(json!({"jsonrpc": "2.0", "id": 41, "params": {}}));
    let invalid = client.wait_for(|m| m["id"] == 41);
    assert_eq!(invalid["error"]["code"], -32600);
    // A stray line, a message without Content-Length, and a length far
    // over the limit (3 GB claimed, a few bytes sent): skipped, each up to
    // the next header.
    client.send_raw("a stray line from a wrapper script\n");
    client.send_raw("Content-Type: text/plain\r\n\r\nhello");
    client.send_raw("Content-Length: 3000000000\r\n\r\n{\"jsonrpc\":\"2.0\"}");

    // The session goes on: requests are answered and edits checked.
    let unknown = client.request("manulint/unknown", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&chapter), "languageId": "plaintext", "version": 1,
            "text": "One\n\nShe closed the door behind her.\n"}}),
    );
    assert_eq!(client.diagnostics(&uri(&chapter)), Vec::<Value>::new());
    client.shut_down();

    let log = fs::read_to_string(&log).unwrap();
    assert!(!log.contains("untagged enum"), "{log}");
    for expected in [
        "manulint server: skipped a message of 9 bytes that is not JSON",
        "manulint server: skipped a message that is not a request, response or notification \
         (a request needs \"method\" and \"id\", a notification \"method\", a response \
         \"id\" and \"result\" or \"error\"): ",
        "manulint server: skipped a message without a Content-Length header",
        "manulint server: skipped a message of 3000000000 bytes, more than the 256 MiB a message may have",
        "manulint server: skipped 35 bytes that are not a message (each message needs a \
         `Content-Length: N` header, a blank line, then N bytes of JSON)",
        "manulint server: skipped 5 bytes that are not a message",
    ] {
        assert!(
            log.contains(expected),
            "{expected:?} not in the log:\n{log}"
        );
    }
}

#[test]
fn the_opening_refuses_early_requests_by_name_and_keeps_what_comes_before_initialized() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let root = dir.path().canonicalize().unwrap();
    let chapter = root.join("chapter-01.txt");
    fs::write(&chapter, "One\n\nShe closed the door.\n").unwrap();
    let log = root.join("server.log");
    let mut client = Client::start_with(&root, Stdio::from(fs::File::create(&log).unwrap()));

    // A request before `initialize`: refused by name, not with Rust's
    // debug text, and the session goes on; so does a notification.
    let early = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&chapter)}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(early["error"]["code"], -32002);
    assert_eq!(
        early["error"]["message"],
        "`textDocument/hover` before `initialize`: send `initialize` first"
    );
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&chapter)}}),
    );
    // Parameters that are not `initialize`'s: refused with why.
    let bad = client.request("initialize", json!({"capabilities": 7}));
    assert_eq!(bad["error"]["code"], -32602);
    let message = bad["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("`initialize` parameters cannot be read: invalid type: integer `7`"),
        "{message}"
    );

    let init = client.request(
        "initialize",
        json!({"processId": null, "capabilities": {},
               "workspaceFolders": [{"uri": uri(&root), "name": "book"}]}),
    );
    assert_eq!(init["result"]["serverInfo"]["name"], "manulint");
    // An edit sent before `initialized` is kept and served after it.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&chapter), "languageId": "plaintext", "version": 1,
                                "text": "One\n\nShe closed the the door.\n"}}),
    );
    client.notify("initialized", json!({}));
    loop {
        let found = codes(&client.diagnostics(&uri(&chapter)));
        if found == ["doubled-word"] {
            break;
        }
        assert!(found.is_empty(), "{found:?}");
    }
    client.shut_down();
    let log = fs::read_to_string(&log).unwrap();
    assert!(!log.contains("Request {"), "{log}");

    // A client that skips `initialized`: its first request stands for it,
    // and what came before is served; a second `initialize` is refused.
    let mut client = Client::start(&root);
    client.request(
        "initialize",
        json!({"processId": null, "capabilities": {},
               "workspaceFolders": [{"uri": uri(&root), "name": "book"}]}),
    );
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&chapter), "languageId": "plaintext", "version": 1,
                                "text": "One\n\nShe closed the the door.\n"}}),
    );
    let again = client.request("initialize", json!({"processId": null, "capabilities": {}}));
    assert_eq!(again["error"]["code"], -32600);
    assert_eq!(
        again["error"]["message"],
        "`initialize` again: the server is already initialized"
    );
    // The edit was checked before the request was answered.
    let published: Vec<Vec<String>> = client
        .seen
        .iter()
        .filter(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri(&chapter)
        })
        .map(|m| codes(m["params"]["diagnostics"].as_array().unwrap()))
        .collect();
    assert_eq!(
        published.last().map(Vec::as_slice),
        Some(&["doubled-word".to_string()][..])
    );
    client.shut_down();

    // `exit` before `initialize`: the session ends with code 1.
    let mut client = Client::start(&root);
    client.notify("exit", json!(null));
    assert_eq!(client.exit_code(), Some(1));
    // ... and between the result and `initialized`, too.
    let mut client = Client::start(&root);
    client.request("initialize", json!({"processId": null, "capabilities": {}}));
    client.notify("exit", json!(null));
    assert_eq!(client.exit_code(), Some(1));
}
