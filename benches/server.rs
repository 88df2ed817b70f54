//! How fast the language server republishes after an edit: a copy of a
//! corpus novel (about 150k words) is the workspace; the bench opens one
//! chapter, changes a word in it again and again, and measures from the
//! end of the debounce to the `publishDiagnostics` for that chapter.
//! Run with `cargo bench --bench server`; skips when `../shared/corpus` is
//! absent. Prints min, median, 90th percentile and max over the edits.

use std::path::Path;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;

const NOVEL: &str = "emma";
/// Edits measured; `EDITS=200` in the environment for a longer run (to
/// profile the re-check).
fn edits() -> usize {
    std::env::var("EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(15)
}

fn main() {
    let corpus = Path::new("../shared/corpus").join(NOVEL);
    if !corpus.is_dir() {
        eprintln!("skipping: no corpus at {}", corpus.display());
        return;
    }
    let dir = tempfile::TempDir::new().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("repo root");
    let mut words = 0;
    for entry in std::fs::read_dir(&corpus).expect("novel folder") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("chapter");
        words += text.split_whitespace().count();
        std::fs::write(dir.path().join(path.file_name().expect("name")), text).expect("copy");
    }
    let root = dir.path().canonicalize().expect("root");
    let (server, client) = Connection::memory();
    let thread = std::thread::spawn(move || manulint::server::serve(&server));
    let root_uri = format!("file://{}", root.display());
    client
        .sender
        .send(
            Request::new(
                RequestId::from(1),
                "initialize".to_string(),
                json!({"processId": null, "capabilities": {}, "rootUri": root_uri}),
            )
            .into(),
        )
        .expect("send");
    wait(&client, |m| matches!(m, Message::Response(_)));
    notify(&client, "initialized", json!({}));
    // The first check of the whole manuscript.
    let started = Instant::now();
    wait(&client, |m| is_publish(m, None));
    while client
        .receiver
        .recv_timeout(Duration::from_millis(500))
        .is_ok()
    {}
    println!(
        "{NOVEL}: {words} words; first check and publish: {} ms",
        started.elapsed().as_millis()
    );

    let mut chapters: Vec<_> = std::fs::read_dir(&root)
        .expect("copy")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    chapters.sort();
    let chapter = &chapters[chapters.len() / 2];
    let uri = format!("file://{}", chapter.display());
    let text = std::fs::read_to_string(chapter).expect("chapter");
    notify(
        &client,
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 0, "text": text}}),
    );
    let mut times = Vec::new();
    let edits = edits();
    for edit in 0..edits {
        // Alternate a doubled word in and out, so the findings change each time.
        let changed = if edit % 2 == 0 {
            text.replacen(" the ", " the the ", 1)
        } else {
            text.clone()
        };
        let sent = Instant::now();
        notify(
            &client,
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": edit + 1}, "contentChanges": [{"text": changed}]}),
        );
        wait(&client, |m| is_publish(m, Some(&uri)));
        let after_debounce = sent.elapsed().saturating_sub(manulint::server::DEBOUNCE);
        times.push(after_debounce.as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "republish after an edit, beyond the {} ms debounce: min {:.0} ms, median {:.0} ms, 90th percentile {:.0} ms, max {:.0} ms ({edits} edits)",
        manulint::server::DEBOUNCE.as_millis(),
        times[0],
        times[times.len() / 2],
        times[times.len() * 9 / 10],
        times[times.len() - 1]
    );
    client
        .sender
        .send(Request::new(RequestId::from(2), "shutdown".to_string(), json!(null)).into())
        .expect("send");
    wait(&client, |m| matches!(m, Message::Response(_)));
    notify(&client, "exit", json!(null));
    let _ = thread.join();
}

fn notify(client: &Connection, method: &str, params: serde_json::Value) {
    client
        .sender
        .send(Notification::new(method.to_string(), params).into())
        .expect("send");
}

fn is_publish(message: &Message, uri: Option<&str>) -> bool {
    match message {
        Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
            uri.is_none_or(|u| n.params["uri"] == u)
        }
        _ => false,
    }
}

fn wait(client: &Connection, matches: impl Fn(&Message) -> bool) {
    loop {
        let message = client
            .receiver
            .recv_timeout(Duration::from_secs(120))
            .expect("the server answers");
        if matches(&message) {
            return;
        }
    }
}
