//! The server's stdio transport: the LSP base protocol's framing
//! (`Content-Length: N`, a blank line, N bytes of JSON), read and written
//! by threads of our own.
//!
//! `lsp-server`'s own stdio transport ends the session at the first
//! malformed message (bad JSON, a missing or unreadable `Content-Length`,
//! a bare `\n` line ending), and allocates whatever `Content-Length`
//! claims before reading a byte of it. An editor extension with a bug, or
//! a stray `print` in a wrapper script, would then kill the server mid-book
//! with nothing on screen but "connection closed". Here a message that
//! cannot be read is reported and skipped, and the session goes on:
//!
//! - a body that is not JSON is answered with JSON-RPC's `-32700 Parse
//!   error` (id `null`, as the specification asks);
//! - JSON that is not a request, response or notification is answered
//!   with `-32600 Invalid Request` when it carries an id, and logged when
//!   it does not;
//! - a header block without a readable `Content-Length`, bytes that are
//!   not headers, and a message over [`MAX_MESSAGE_BYTES`] (its bytes
//!   thrown away as they arrive, never held) are skipped, and reading
//!   starts again at the next `Content-Length` header.
//!
//! Every problem is written to stderr, which editors show in the server's
//! output panel, naming what was skipped.

use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, bounded, never, select, unbounded};
use lsp_server::{Connection, Message};
use serde_json::{Value, json};

/// The largest message body read, in bytes (256 MiB): four times the
/// longest chapter an editor is likely to send whole, JSON-escaped. A
/// longer one is skipped without being held.
pub const MAX_MESSAGE_BYTES: usize = 256 << 20;

/// How much of a line that is not a header is kept while looking for the
/// next `Content-Length:` in it: the header, if any, ends the line.
const LINE_TAIL_BYTES: usize = 256;

/// The reader and writer threads of [`stdio`].
pub struct IoThreads {
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits until everything sent has been written. The reader thread is
    /// not waited for: it ends at `exit` or at the end of input, and
    /// otherwise with the process.
    ///
    /// Errors: writing to stdout failed (the client has gone).
    pub fn join(self) -> io::Result<()> {
        self.writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer thread panicked")))
    }
}

/// A connection over stdin and stdout, with threads that read and write
/// the framing (see the module docs).
pub fn stdio() -> (Connection, IoThreads) {
    let (to_server, from_client) = bounded::<Message>(0);
    let (to_client, outgoing) = bounded::<Message>(0);
    let (replies, raw_replies) = unbounded::<Value>();
    std::thread::Builder::new()
        .name("manulint-lsp-reader".to_string())
        .spawn(move || {
            let stdin = io::stdin();
            let log = |line: &str| eprintln!("manulint server: {line}");
            if let Err(error) =
                read_messages(stdin.lock(), MAX_MESSAGE_BYTES, &to_server, &replies, log)
            {
                log(&format!("cannot read from the editor: {error}"));
            }
        })
        .expect("start the reader thread");
    let writer = std::thread::Builder::new()
        .name("manulint-lsp-writer".to_string())
        .spawn(move || write_messages(&mut io::stdout().lock(), &outgoing, raw_replies))
        .expect("start the writer thread");
    let connection = Connection {
        sender: to_client,
        receiver: from_client,
    };
    (connection, IoThreads { writer })
}

/// Reads messages from `input` and hands them to the server on `server`,
/// answering (on `replies`) those that cannot be read and passing a line
/// on each to `log`, until the end of input, an `exit` notification, or
/// the server's going away.
///
/// Errors: reading `input` failed.
pub(crate) fn read_messages(
    input: impl BufRead,
    max_body: usize,
    server: &Sender<Message>,
    replies: &Sender<Value>,
    log: impl Fn(&str),
) -> io::Result<()> {
    let mut frames = FrameReader::new(input, max_body);
    loop {
        let body = frames.next_body();
        for problem in frames.problems.drain(..) {
            log(&problem);
        }
        let Some(body) = body? else {
            return Ok(());
        };
        match decode(&body) {
            Ok(message) => {
                let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if server.send(message).is_err() || is_exit {
                    return Ok(());
                }
            }
            Err(refusal) => {
                log(&refusal.message);
                if let Some(reply) = refusal.reply() {
                    let _ = replies.send(reply);
                }
            }
        }
    }
}

/// Writes the server's messages and the reader's error replies to `out`,
/// until the server lets go of its sender.
///
/// Errors: writing failed.
fn write_messages(
    out: &mut impl Write,
    messages: &Receiver<Message>,
    mut replies: Receiver<Value>,
) -> io::Result<()> {
    loop {
        select! {
            recv(messages) -> message => match message {
                Ok(message) => message.write(out)?,
                Err(_) => return Ok(()),
            },
            recv(replies) -> reply => match reply {
                Ok(reply) => write_frame(out, &reply.to_string())?,
                // The reader has ended: only the server's messages are left.
                Err(_) => replies = never(),
            },
        }
    }
}

/// Writes `body` with its header and flushes.
fn write_frame(out: &mut impl Write, body: &str) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

/// Why a body read whole is not a message, and the answer it gets.
#[derive(Debug, PartialEq)]
pub(crate) struct Refusal {
    /// The JSON-RPC error code: -32700 or -32600.
    pub code: i64,
    /// The request's id, when the body had one (`Value::Null` for a parse
    /// error, which gets an answer all the same); `None` when nothing is
    /// answered.
    pub id: Option<Value>,
    pub message: String,
}

impl Refusal {
    /// The error response to send, if any.
    fn reply(&self) -> Option<Value> {
        let id = self.id.as_ref()?;
        Some(json!({
            "jsonrpc": "2.0",
            "id": id,
            "error": {"code": self.code, "message": self.message},
        }))
    }
}

/// The message in `body`, or why there is none.
pub(crate) fn decode(body: &[u8]) -> Result<Message, Refusal> {
    let value: Value = serde_json::from_slice(body).map_err(|error| Refusal {
        code: -32700,
        id: Some(Value::Null),
        message: format!(
            "skipped a message of {} bytes that is not JSON ({error}): {}",
            body.len(),
            excerpt(body)
        ),
    })?;
    // An id is answered only if it is one JSON-RPC allows.
    let id = value
        .get("id")
        .filter(|id| id.is_number() || id.is_string())
        .cloned();
    // An id the protocol's types cannot hold (an object, a fraction, null,
    // a number past 32 bits) would make a request read as a notification,
    // and go unanswered.
    let has_id = value.get("id").is_some();
    match serde_json::from_value::<Message>(value) {
        Ok(Message::Notification(_)) if has_id => Err(Refusal {
            code: -32600,
            message: format!(
                "skipped a request whose id is not a whole number or a string: {}",
                excerpt(body)
            ),
            id: Some(id.unwrap_or(Value::Null)),
        }),
        Ok(message) => Ok(message),
        // serde's reason ("data did not match any variant of untagged
        // enum Message") names Rust types: say what the message lacks.
        Err(_) => Err(Refusal {
            code: -32600,
            message: format!(
                "skipped a message that is not a request, response or notification (a request \
                 needs \"method\" and \"id\", a notification \"method\", a response \"id\" \
                 and \"result\" or \"error\"): {}",
                excerpt(body)
            ),
            id,
        }),
    }
}

/// The start of `body`, for a log line: at most 80 characters.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(320)]);
    let mut short: String = text.chars().take(80).collect();
    if short.len() < text.len() || body.len() > 320 {
        short.push('…');
    }
    short
}

/// Reads message bodies from the framing, skipping what cannot be read
/// (see the module docs); each skip leaves a line in `problems`.
pub(crate) struct FrameReader<R> {
    input: R,
    max_body: usize,
    /// What was skipped since the caller last emptied this, in words.
    pub problems: Vec<String>,
    /// Whether the bytes skipped next are an oversized message's, already
    /// reported.
    quiet_junk: bool,
}

/// A line of input as [`FrameReader`] keeps it.
struct Line {
    /// The line without its line ending: at most its last
    /// [`LINE_TAIL_BYTES`] or so when it is longer.
    text: Vec<u8>,
    /// Bytes it took, line ending included.
    read: usize,
    /// Bytes of its line ending (`\r\n`, `\n`, none at the end of input).
    ending: usize,
}

/// One header line, as far as the framing cares.
enum Header {
    /// `Content-Length` with its value, if the value is a number.
    Length(Result<usize, String>),
    /// Any other well-formed header (`Content-Type`).
    Other,
    /// The blank line that ends the headers.
    End,
}

impl<R: BufRead> FrameReader<R> {
    pub fn new(input: R, max_body: usize) -> FrameReader<R> {
        FrameReader {
            input,
            max_body,
            problems: Vec::new(),
            quiet_junk: false,
        }
    }

    /// The next message body; `None` at the end of input.
    ///
    /// Errors: reading failed.
    pub fn next_body(&mut self) -> io::Result<Option<Vec<u8>>> {
        loop {
            let Some(length) = self.headers()? else {
                return Ok(None);
            };
            let length = match length {
                Ok(length) => length,
                Err(problem) => {
                    self.problems.push(problem);
                    continue;
                }
            };
            if length > self.max_body {
                // Its bytes are skipped as they come, while looking for the
                // next header: a length that lies about a short body then
                // costs one message, not the rest of the session.
                self.problems.push(format!(
                    "skipped a message of {length} bytes, more than the {} a message may have",
                    size_in_words(self.max_body)
                ));
                self.quiet_junk = true;
                continue;
            }
            // Grown as bytes arrive: a claimed length is not allocated
            // until it has been sent.
            let mut body = Vec::new();
            (&mut self.input)
                .take(length as u64)
                .read_to_end(&mut body)?;
            if body.len() < length {
                self.problems.push(format!(
                    "the input ended {} bytes into a message of {length}",
                    body.len()
                ));
                return Ok(None);
            }
            return Ok(Some(body));
        }
    }

    /// Reads one header block; its `Content-Length` (or why there is no
    /// usable one), or `None` at the end of input. Bytes before the block
    /// that are not headers are skipped, with a problem noted.
    fn headers(&mut self) -> io::Result<Option<Result<usize, String>>> {
        let mut length: Option<Result<usize, String>> = None;
        let mut started = false;
        let mut junk = 0usize;
        loop {
            let Some(Line {
                text: line,
                read,
                ending,
            }) = self.line()?
            else {
                if started {
                    self.problems
                        .push("the input ended inside a message's headers".to_string());
                }
                self.note_junk(junk);
                return Ok(None);
            };
            // The end of something that is not a message, then a header:
            // where the framing starts again.
            if let Some(at) = find_length_header(&line).filter(|&at| at > 0) {
                junk += read - ending - (line.len() - at);
                if let Some(Header::Length(value)) = parse_header(&line[at..]) {
                    started = true;
                    length = Some(value);
                }
                continue;
            }
            match parse_header(&line) {
                // Blank lines between messages are tolerated.
                Some(Header::End) if !started => {}
                Some(Header::End) => {
                    self.note_junk(junk);
                    return Ok(Some(length.unwrap_or_else(|| {
                        Err("skipped a message without a Content-Length header".to_string())
                    })));
                }
                Some(Header::Length(value)) => {
                    started = true;
                    length = Some(value);
                }
                Some(Header::Other) => started = true,
                None => junk += read,
            }
        }
    }

    /// Notes `bytes` skipped as not a message, if any.
    fn note_junk(&mut self, bytes: usize) {
        if std::mem::take(&mut self.quiet_junk) {
            return;
        }
        if bytes > 0 {
            self.problems.push(format!(
                "skipped {bytes} bytes that are not a message (each message needs a \
                 `Content-Length: N` header, a blank line, then N bytes of JSON)"
            ));
        }
    }

    /// The next line; `None` at the end of input.
    fn line(&mut self) -> io::Result<Option<Line>> {
        let mut line = Vec::new();
        let mut read = 0usize;
        loop {
            let available = match self.input.fill_buf() {
                Ok(available) => available,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            if available.is_empty() {
                return Ok((read > 0).then_some(Line {
                    text: line,
                    read,
                    ending: 0,
                }));
            }
            let (chunk, done) = match memchr::memchr(b'\n', available) {
                Some(at) => (&available[..=at], true),
                None => (available, false),
            };
            line.extend_from_slice(chunk);
            if line.len() > 2 * LINE_TAIL_BYTES {
                line.drain(..line.len() - LINE_TAIL_BYTES);
            }
            let taken = chunk.len();
            read += taken;
            self.input.consume(taken);
            if done {
                let mut ending = 0;
                while line.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                    line.pop();
                    ending += 1;
                }
                return Ok(Some(Line {
                    text: line,
                    read,
                    ending,
                }));
            }
        }
    }
}

/// What header `line` (without its line ending) is; `None` when it is not
/// one (`Name: value`, the name letters, digits and dashes).
fn parse_header(line: &[u8]) -> Option<Header> {
    if line.is_empty() {
        return Some(Header::End);
    }
    let colon = memchr::memchr(b':', line)?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    if name.is_empty() || !name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-') {
        return None;
    }
    if !name.eq_ignore_ascii_case(b"content-length") {
        return Some(Header::Other);
    }
    let value = String::from_utf8_lossy(value);
    let value = value.trim();
    Some(Header::Length(value.parse::<usize>().map_err(|_| {
        format!(
            "skipped a message whose Content-Length is not a number of bytes: `{}`",
            value.escape_debug()
        )
    })))
}

/// Where the last `Content-Length:` in `line` starts, if any (any case).
fn find_length_header(line: &[u8]) -> Option<usize> {
    const NAME: &[u8] = b"content-length:";
    line.windows(NAME.len())
        .rposition(|w| w.eq_ignore_ascii_case(NAME))
}

/// `bytes` as a size in words: "256 MiB".
fn size_in_words(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every body `input` holds, with the problems noted on the way.
    fn bodies(input: &str, max_body: usize) -> (Vec<String>, Vec<String>) {
        let mut reader = FrameReader::new(input.as_bytes(), max_body);
        let mut bodies = Vec::new();
        while let Some(body) = reader.next_body().unwrap() {
            bodies.push(String::from_utf8(body).unwrap());
        }
        (bodies, reader.problems)
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn well_formed_messages_are_read_in_order() {
        let input = format!(
            "{}{}Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 2\r\n\r\n{{}}",
            frame(r#"{"a":1}"#),
            frame("[]"),
        );
        let (bodies, problems) = bodies(&input, 100);
        assert_eq!(bodies, [r#"{"a":1}"#, "[]", "{}"]);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn bare_newlines_end_headers_too() {
        let (bodies, problems) = bodies("Content-Length: 2\n\n{}", 100);
        assert_eq!(bodies, ["{}"]);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_message_without_a_length_is_skipped_and_reading_goes_on() {
        // The body of the message without a length runs into the next
        // header, which is where reading starts again.
        let input = format!(
            "Content-Type: text/json\r\n\r\n{{\"lost\":true}}{}",
            frame(r#"{"kept":1}"#)
        );
        let (bodies, problems) = bodies(&input, 100);
        assert_eq!(bodies, [r#"{"kept":1}"#]);
        assert_eq!(
            problems,
            [
                "skipped a message without a Content-Length header",
                "skipped 13 bytes that are not a message (each message needs a `Content-Length: N` \
                 header, a blank line, then N bytes of JSON)",
            ]
        );
    }

    #[test]
    fn a_length_that_is_not_a_number_is_skipped() {
        let input = format!("Content-Length: lots\r\n\r\n{}", frame("{}"));
        let (bodies, problems) = bodies(&input, 100);
        assert_eq!(bodies, ["{}"]);
        assert_eq!(
            problems,
            ["skipped a message whose Content-Length is not a number of bytes: `lots`"]
        );
    }

    #[test]
    fn text_that_is_not_framed_is_skipped_up_to_the_next_header() {
        let input = format!("hello from a wrapper script\n{{}}\n\n{}", frame("{}"));
        let (bodies, problems) = bodies(&input, 100);
        assert_eq!(bodies, ["{}"]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("skipped 31 bytes that are not a message"));
    }

    #[test]
    fn an_oversized_message_is_thrown_away_unread() {
        let big = "x".repeat(1000);
        let input = format!("{}{}", frame(&big), frame("{}"));
        let (bodies, problems) = bodies(&input, 999);
        assert_eq!(bodies, ["{}"]);
        assert_eq!(
            problems,
            ["skipped a message of 1000 bytes, more than the 999 bytes a message may have"]
        );
    }

    #[test]
    fn a_claimed_length_is_not_allocated_before_the_bytes_come() {
        // 3 GB claimed, 2 bytes sent: the reader ends with what arrived
        // instead of allocating the claim (a limit above it, so it reads).
        let mut reader = FrameReader::new(&b"Content-Length: 3000000000\r\n\r\n{}"[..], usize::MAX);
        assert_eq!(reader.next_body().unwrap(), None);
        assert_eq!(
            reader.problems,
            ["the input ended 2 bytes into a message of 3000000000"]
        );
    }

    #[test]
    fn a_very_long_line_is_held_only_by_its_tail() {
        let junk = "y".repeat(100_000);
        let input = format!("{junk}{}", frame("{}"));
        let mut reader = FrameReader::new(input.as_bytes(), 100);
        assert_eq!(reader.next_body().unwrap().as_deref(), Some(&b"{}"[..]));
        assert!(reader.problems[0].starts_with("skipped 100000 bytes that are not a message"));
    }

    #[test]
    fn the_input_ending_inside_headers_is_noted() {
        let (bodies, problems) = bodies("Content-Length: 5\r\n", 100);
        assert!(bodies.is_empty());
        assert_eq!(problems, ["the input ended inside a message's headers"]);
    }

    #[test]
    fn bodies_that_are_not_messages_are_refused_with_the_right_code() {
        let not_json = decode(b"{\"id\": 1, ").unwrap_err();
        assert_eq!(not_json.code, -32700);
        assert_eq!(
            not_json.reply().unwrap()["id"],
            Value::Null,
            "a parse error is answered with a null id"
        );
        let no_method = decode(br#"{"jsonrpc":"2.0","id":7,"params":{}}"#).unwrap_err();
        assert_eq!(
            (no_method.code, no_method.id.clone()),
            (-32600, Some(json!(7)))
        );
        assert_eq!(no_method.reply().unwrap()["error"]["code"], -32600);
        let anonymous = decode(br#"[1, 2]"#).unwrap_err();
        assert_eq!((anonymous.code, anonymous.reply()), (-32600, None));
        assert!(matches!(
            decode(br#"{"jsonrpc":"2.0","method":"exit"}"#),
            Ok(Message::Notification(_))
        ));
        // Requests whose id no request can have are refused, not taken
        // for notifications; the id is answered when it is one.
        for (body, answered) in [
            (
                &br#"{"jsonrpc":"2.0","id":{"a":1},"method":"textDocument/hover"}"#[..],
                Value::Null,
            ),
            (
                br#"{"jsonrpc":"2.0","id":null,"method":"shutdown"}"#,
                Value::Null,
            ),
            (
                br#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#,
                json!(1.5),
            ),
            (
                br#"{"jsonrpc":"2.0","id":8589934592,"method":"shutdown"}"#,
                json!(8589934592u64),
            ),
        ] {
            let refusal = decode(body).unwrap_err();
            assert_eq!((refusal.code, refusal.id), (-32600, Some(answered)));
        }
    }

    #[test]
    fn reading_stops_after_exit_and_refusals_are_answered() {
        let input = format!(
            "{}{}{}{}",
            frame("not json"),
            frame(r#"{"jsonrpc":"2.0","id":"a","params":1}"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
            frame(r#"{"jsonrpc":"2.0","method":"after"}"#),
        );
        let (server, received) = unbounded();
        let (replies, answered) = unbounded();
        let logged = std::cell::RefCell::new(Vec::new());
        let log = |line: &str| logged.borrow_mut().push(line.to_string());
        read_messages(input.as_bytes(), 1000, &server, &replies, log).unwrap();
        let logged = logged.into_inner();
        assert_eq!(logged.len(), 2, "{logged:?}");
        assert!(logged[0].starts_with("skipped a message of 8 bytes that is not JSON"));
        let received: Vec<Message> = received.try_iter().collect();
        assert_eq!(received.len(), 1);
        assert!(matches!(&received[0], Message::Notification(n) if n.method == "exit"));
        let answered: Vec<Value> = answered.try_iter().collect();
        assert_eq!(answered.len(), 2);
        assert_eq!(
            (
                answered[0]["id"].clone(),
                answered[0]["error"]["code"].clone()
            ),
            (Value::Null, json!(-32700))
        );
        assert_eq!(
            (
                answered[1]["id"].clone(),
                answered[1]["error"]["code"].clone()
            ),
            (json!("a"), json!(-32600))
        );
    }
}
