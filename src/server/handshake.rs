//! The protocol's opening: `initialize`, its result, `initialized`.
//!
//! `lsp-server`'s own handshake answers a request sent too early with the
//! request's Rust `Debug` text, and ends the session on any message
//! between the result and `initialized`, printing that message's `Debug`
//! text. Here an early request is refused by its method's name (the
//! protocol's `ServerNotInitialized`), `initialize` parameters that cannot
//! be read are refused with why (the client may try again), `exit` ends
//! the session at any point, and what a hasty client sends before
//! `initialized` is kept and served after it.

use lsp_server::{Connection, ErrorCode, Message, RequestId, Response};
use lsp_types::InitializeParams;

/// How the opening ended.
pub enum Opening {
    /// `initialize` came, with its request id and parameters.
    Initialize(RequestId, Box<InitializeParams>),
    /// `exit` came first: the session is over (exit code 1, no shutdown).
    Exit,
}

/// Waits for `initialize`. Requests before it are refused with
/// `ServerNotInitialized`, naming the method; notifications are dropped,
/// as the protocol asks, but for `exit`; responses are ignored. An
/// `initialize` whose parameters are not `InitializeParams` is refused with
/// `InvalidParams` and serde's reason, and the wait goes on.
///
/// Errors: the client closed the connection first.
pub fn await_initialize(connection: &Connection) -> Result<Opening, String> {
    loop {
        let message = connection
            .receiver
            .recv()
            .map_err(|_| "the client closed the connection before `initialize`".to_string())?;
        match message {
            Message::Request(request) if request.method == "initialize" => {
                match serde_json::from_value::<InitializeParams>(request.params) {
                    Ok(params) => return Ok(Opening::Initialize(request.id, Box::new(params))),
                    Err(e) => send(
                        connection,
                        Response::new_err(
                            request.id,
                            ErrorCode::InvalidParams as i32,
                            format!("`initialize` parameters cannot be read: {e}"),
                        ),
                    ),
                }
            }
            Message::Request(request) => send(
                connection,
                Response::new_err(
                    request.id,
                    ErrorCode::ServerNotInitialized as i32,
                    format!(
                        "`{}` before `initialize`: send `initialize` first",
                        request.method
                    ),
                ),
            ),
            Message::Notification(notification) if notification.method == "exit" => {
                return Ok(Opening::Exit);
            }
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
}

/// What came after the `initialize` result, up to `initialized`.
pub struct Early {
    /// Messages to serve first, in the order they came (a client that
    /// opens a document before `initialized` still has it checked).
    pub messages: Vec<Message>,
    /// Whether `exit` came among them: the session ends there.
    pub exit: bool,
}

/// Sends `result` for `initialize` (request `id`) and waits for
/// `initialized`. What comes first is kept in [`Early`], not an error; a
/// request stands for `initialized` (a client that skips it is served from
/// its first request on; notifications alone wait for one), and `exit`
/// stops the wait.
///
/// Errors: the client closed the connection first.
pub fn finish(
    connection: &Connection,
    id: RequestId,
    result: serde_json::Value,
) -> Result<Early, String> {
    send(connection, Response::new_ok(id, result));
    let mut early = Early {
        messages: Vec::new(),
        exit: false,
    };
    loop {
        let message = connection
            .receiver
            .recv()
            .map_err(|_| "the client closed the connection before `initialized`".to_string())?;
        match message {
            Message::Notification(notification) if notification.method == "initialized" => {
                return Ok(early);
            }
            Message::Notification(notification) if notification.method == "exit" => {
                early.exit = true;
                return Ok(early);
            }
            Message::Request(_) => {
                early.messages.push(message);
                return Ok(early);
            }
            message => early.messages.push(message),
        }
    }
}

fn send(connection: &Connection, response: Response) {
    // A send fails only when the client has gone; the next receive sees
    // the closed channel and says so.
    let _ = connection.sender.send(response.into());
}
