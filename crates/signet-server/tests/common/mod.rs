//! Test helpers: [`call`] answers a request in memory through the router
//! (`tower::ServiceExt::oneshot`, from `signet_testkit::http`), for tests of the handlers; a server on 127.0.0.1:0 and a
//! minimal HTTP/1.1 client over `TcpStream`, for tests of the wire and the server's life
//! (stalled bodies, shutdown, concurrency).

#![allow(dead_code)]

use signet_server::{serve, Predictor, ServerConfig};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use signet_testkit::http::{call, HttpResponse};

/// A running server; dropping `stop` (or sending on it) shuts it down gracefully.
pub struct Running {
    pub addr: SocketAddr,
    pub stop: oneshot::Sender<()>,
    pub task: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Asks for a graceful shutdown and waits for it.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// Starts `router(predictor, config)` on an ephemeral port.
pub async fn start(predictor: Arc<dyn Predictor>, config: ServerConfig) -> Running {
    start_router(signet_server::router(predictor, config)).await
}

/// Starts a router on an ephemeral port.
pub async fn start_router(router: axum::Router) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, router, async move {
        let _ = rx.await;
    }));
    Running { addr, stop, task }
}

/// A `POST` (or any `method`) request with `Connection: close`.
pub fn request(method: &str, path: &str, content_type: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if let Some(ct) = content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut raw = head.into_bytes();
    raw.extend_from_slice(body);
    raw
}

/// Sends raw bytes and reads the response until the server closes the connection.
pub async fn send_raw(addr: SocketAddr, raw: &[u8]) -> std::io::Result<HttpResponse> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(raw).await?;
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).await?;
    parse_response(&buf, raw.starts_with(b"HEAD ")).ok_or_else(|| {
        std::io::Error::other(format!("bad response: {:?}", String::from_utf8_lossy(&buf)))
    })
}

/// `send_raw(request(...))`.
pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> HttpResponse {
    send_raw(addr, &request(method, path, content_type, body))
        .await
        .expect("request failed")
}

/// Parses a response (`head`: the answer to a `HEAD`, which has no body whatever its headers say).
fn parse_response(buf: &[u8], is_head: bool) -> Option<HttpResponse> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&buf[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut headers = BTreeMap::new();
    for line in lines {
        let (k, v) = line.split_once(':')?;
        headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
    }
    let rest = &buf[end + 4..];
    let body = if is_head {
        Vec::new()
    } else if headers
        .get("transfer-encoding")
        .is_some_and(|t| t == "chunked")
    {
        dechunk(rest)?
    } else if let Some(n) = headers.get("content-length") {
        let n: usize = n.parse().ok()?;
        rest.get(..n)?.to_vec()
    } else {
        rest.to_vec()
    };
    Some(HttpResponse {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = rest.windows(2).position(|w| w == b"\r\n")?;
        let size =
            usize::from_str_radix(std::str::from_utf8(&rest[..eol]).ok()?.trim(), 16).ok()?;
        rest = &rest[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}
