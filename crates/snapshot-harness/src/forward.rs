//! Live runs: the captured request sent to a real endpoint over HTTP/1.1, and the real
//! response recorded.
//!
//! Plain `http://` only: live runs target emulators (moto, LocalStack) on loopback or another
//! implementation of the service on a test host. Each request gets a fresh connection, so a
//! server that closes idle keep-alive connections cannot make a case fail at random.

use std::convert::Infallible;
use std::fmt;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use snapshot_records::{Body, Frame, HttpRequest as RecordedRequest, HttpResponse};

type OutgoingBody = BoxBody<Bytes, Infallible>;

/// Why a request could not be forwarded or its response not read.
#[derive(Debug)]
pub enum ForwardError {
    /// The recorded request is not a valid HTTP request (method, URI or a header).
    Request(http::Error),
    /// The endpoint could not be reached (connection refused, unknown host, ...).
    Connect(hyper_util::client::legacy::Error),
    /// The exchange failed after connecting (the server closed the connection, ...).
    Exchange(hyper_util::client::legacy::Error),
    /// The response body could not be read completely.
    Body(hyper::Error),
}

impl fmt::Display for ForwardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ForwardError::Request(error) => write!(f, "cannot forward the request: {error}"),
            ForwardError::Connect(error) => {
                write!(f, "cannot connect to the live endpoint: {error}")?;
                if let Some(source) = std::error::Error::source(error) {
                    write!(f, ": {source}")?;
                }
                Ok(())
            }
            ForwardError::Exchange(error) => write!(f, "the live endpoint failed: {error}"),
            ForwardError::Body(error) => {
                write!(f, "cannot read the live endpoint's response: {error}")
            }
        }
    }
}

impl std::error::Error for ForwardError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ForwardError::Request(error) => Some(error),
            ForwardError::Connect(error) | ForwardError::Exchange(error) => Some(error),
            ForwardError::Body(error) => Some(error),
        }
    }
}

impl ForwardError {
    /// Whether the endpoint was never reached (the client reports these as I/O errors).
    pub fn is_connect(&self) -> bool {
        matches!(self, ForwardError::Connect(_))
    }
}

/// Sends recorded requests to where their URI points and records the responses.
#[derive(Clone)]
pub struct Forwarder {
    client: Client<HttpConnector, OutgoingBody>,
}

impl fmt::Debug for Forwarder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Forwarder").finish_non_exhaustive()
    }
}

impl Default for Forwarder {
    fn default() -> Self {
        Self::new()
    }
}

impl Forwarder {
    /// A plain-HTTP/1.1 forwarder without connection reuse.
    pub fn new() -> Self {
        let mut connector = HttpConnector::new();
        connector.enforce_http(true);
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(0)
            .build(connector);
        Forwarder { client }
    }

    /// Sends `request` as recorded (method, URI, headers in order, body frame by frame) and
    /// returns the response with its whole body.
    pub async fn send(&self, request: &RecordedRequest) -> Result<HttpResponse, ForwardError> {
        let mut builder = http::Request::builder()
            .method(request.method.as_str())
            .uri(request.uri.as_str());
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let outgoing = builder
            .body(outgoing_body(&request.body))
            .map_err(ForwardError::Request)?;
        let response = self.client.request(outgoing).await.map_err(|error| {
            if error.is_connect() {
                ForwardError::Connect(error)
            } else {
                ForwardError::Exchange(error)
            }
        })?;
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.map_err(ForwardError::Body)?.to_bytes();
        Ok(HttpResponse {
            status: parts.status.as_u16(),
            headers: parts
                .headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: if bytes.is_empty() {
                Body::Empty
            } else {
                Body::Bytes {
                    data: bytes.to_vec(),
                }
            },
        })
    }
}

/// The recorded body as the client produced it: one piece, or the same frames in order.
fn outgoing_body(body: &Body) -> OutgoingBody {
    match body {
        Body::Empty => Full::new(Bytes::new()).boxed(),
        Body::Bytes { data } => Full::new(Bytes::from(data.clone())).boxed(),
        Body::Streamed { frames } => {
            let frames: Vec<Result<http_body::Frame<Bytes>, Infallible>> = frames
                .iter()
                .map(|frame| match frame {
                    Frame::Data { data } => Ok(http_body::Frame::data(Bytes::from(data.clone()))),
                    Frame::Trailers { headers } => {
                        let mut map = http::HeaderMap::new();
                        for (name, value) in headers {
                            // Trailers come from the client's own encoder; one it cannot
                            // express in HTTP would be a client bug, and is left out.
                            if let (Ok(name), Ok(value)) = (
                                http::HeaderName::try_from(name.as_str()),
                                http::HeaderValue::try_from(value.as_str()),
                            ) {
                                map.append(name, value);
                            }
                        }
                        Ok(http_body::Frame::trailers(map))
                    }
                })
                .collect();
            StreamBody::new(futures_util::stream::iter(frames)).boxed()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;

    use super::*;

    /// A one-shot HTTP server on loopback: reads one request, answers `response`, and hands
    /// the raw request text back.
    fn serve_once(response: &'static str) -> (String, std::thread::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut seen = Vec::new();
            let mut buffer = [0u8; 4096];
            // Headers, then the body by its content-length.
            loop {
                let read = stream.read(&mut buffer).unwrap();
                seen.extend_from_slice(&buffer[..read]);
                let text = String::from_utf8_lossy(&seen).into_owned();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text
                        .lines()
                        .find_map(|line| line.strip_prefix("content-length: "))
                        .map_or(0, |n| n.trim().parse::<usize>().unwrap());
                    if seen.len() >= end + 4 + length {
                        break;
                    }
                }
                if read == 0 {
                    break;
                }
            }
            stream.write_all(response.as_bytes()).unwrap();
            String::from_utf8_lossy(&seen).into_owned()
        });
        (url, handle)
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn forwards_the_request_as_recorded_and_records_the_real_response() {
        let (url, server) = serve_once(
            "HTTP/1.1 400 Bad Request\r\ncontent-type: application/x-amz-json-1.0\r\nx-amzn-requestid: abc\r\ncontent-length: 17\r\nconnection: close\r\n\r\n{\"__type\":\"Nope\"}",
        );
        let request = RecordedRequest {
            method: "POST".into(),
            uri: format!("{url}/path?x=1"),
            headers: vec![
                ("content-type".into(), "application/x-amz-json-1.0".into()),
                ("x-amz-target".into(), "DynamoDB_20120810.ListTables".into()),
                ("content-length".into(), "2".into()),
            ],
            body: Body::Bytes {
                data: b"{}".to_vec(),
            },
        };
        let response = runtime().block_on(Forwarder::new().send(&request)).unwrap();
        let seen = server.join().unwrap();
        assert!(seen.starts_with("POST /path?x=1 HTTP/1.1\r\n"), "{seen}");
        assert!(
            seen.contains("x-amz-target: DynamoDB_20120810.ListTables\r\n"),
            "{seen}"
        );
        assert!(seen.ends_with("\r\n\r\n{}"), "{seen}");
        assert_eq!(response.status, 400);
        assert!(response
            .headers
            .contains(&("x-amzn-requestid".to_owned(), "abc".to_owned())));
        assert_eq!(response.body.data(), b"{\"__type\":\"Nope\"}");
    }

    #[test]
    fn an_endpoint_that_is_not_listening_is_a_connect_error() {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let request = RecordedRequest {
            method: "GET".into(),
            uri: format!("http://127.0.0.1:{port}/"),
            headers: Vec::new(),
            body: Body::Empty,
        };
        let error = runtime()
            .block_on(Forwarder::new().send(&request))
            .unwrap_err();
        assert!(error.is_connect(), "{error:?}");
        assert!(
            error
                .to_string()
                .starts_with("cannot connect to the live endpoint"),
            "{error}"
        );
    }
}
