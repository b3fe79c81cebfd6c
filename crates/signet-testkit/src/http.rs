//! Requests answered in memory by an axum router (`tower::ServiceExt::oneshot`): the
//! handlers and middleware as served, without a socket. For tests of `signet-server`'s routes
//! and of models served through them.

use http_body_util::BodyExt;
use std::collections::BTreeMap;
use tower::ServiceExt;

/// A parsed HTTP response.
#[derive(Debug)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names lower-cased; the last value wins.
    pub headers: BTreeMap<String, String>,
    /// The body's bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A header's value (`name` lower-cased).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Answers one request through `router` in memory (`tower::ServiceExt::oneshot`): the
/// handlers and middleware as served, without a socket. The request carries the headers
/// `signet-server`'s socket tests write (`Host: 127.0.0.1`, `Content-Length`, the content type if given).
pub async fn call(
    router: &axum::Router,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> HttpResponse {
    let mut req = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1")
        .header("content-length", body.len());
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let req = req
        .body(axum::body::Body::from(body.to_vec()))
        .expect("a valid request");
    let resp = match router.clone().oneshot(req).await {
        Ok(resp) => resp,
        Err(never) => match never {},
    };
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
            (k.as_str().to_ascii_lowercase(), value)
        })
        .collect();
    let body = resp
        .into_body()
        .collect()
        .await
        .expect("the response body")
        .to_bytes()
        .to_vec();
    HttpResponse {
        status,
        headers,
        body,
    }
}
