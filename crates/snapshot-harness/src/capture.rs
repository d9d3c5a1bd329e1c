//! An HTTP client that records the request the SDK sends and replays a scripted response,
//! or, in a live run, forwards it to the endpoint and records the real response.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;
use http_body_util::BodyExt;
use snapshot_records::{
    Body, Frame, HttpRequest as RecordedRequest, HttpResponse as ScriptedResponse,
};

use crate::forward::Forwarder;

/// The shared state of one case: what to answer and what was sent.
#[derive(Debug, Default)]
struct Exchange {
    response: Option<ScriptedResponse>,
    requests: Vec<RecordedRequest>,
    /// Live runs: what the endpoint answered, in order.
    received: Vec<ScriptedResponse>,
}

/// Records every request and answers each with the scripted response.
///
/// Request bodies are drained completely before answering, frame by frame, so streaming
/// blobs, `aws-chunked` bodies with trailers and input event streams are captured whole.
#[derive(Debug, Clone, Default)]
pub struct CaptureClient {
    exchange: Arc<Mutex<Exchange>>,
    forwarder: Option<Forwarder>,
}

impl CaptureClient {
    /// A client that answers with `response` (or a bare `200` when `None`).
    pub fn new(response: Option<ScriptedResponse>) -> Self {
        CaptureClient {
            exchange: Arc::new(Mutex::new(Exchange {
                response,
                ..Exchange::default()
            })),
            forwarder: None,
        }
    }

    /// A client that records each request, sends it on with `forwarder` and answers with
    /// what the endpoint returned.
    pub fn forwarding(forwarder: Forwarder) -> Self {
        CaptureClient {
            exchange: Arc::default(),
            forwarder: Some(forwarder),
        }
    }

    /// Starts a new case on this client (and on every SDK client configured with it): what
    /// earlier cases sent and received is forgotten, and requests are answered with
    /// `response` (or a bare `200` when `None`; a forwarding client ignores it).
    pub fn start_case(&self, response: Option<ScriptedResponse>) {
        *self.lock() = Exchange {
            response,
            ..Exchange::default()
        };
    }

    /// Whether `other` is this client or a clone of it (they share their exchange).
    pub fn same_as(&self, other: &CaptureClient) -> bool {
        Arc::ptr_eq(&self.exchange, &other.exchange)
    }

    /// Whether requests go to a live endpoint.
    pub fn is_forwarding(&self) -> bool {
        self.forwarder.is_some()
    }

    /// The first response a live endpoint sent, if any.
    pub fn first_received(&self) -> Option<ScriptedResponse> {
        self.lock().received.first().cloned()
    }

    /// The first request the SDK sent, if any.
    pub fn first_request(&self) -> Option<RecordedRequest> {
        self.lock().requests.first().cloned()
    }

    /// The number of requests the SDK sent (more than one means a retry happened).
    pub fn request_count(&self) -> usize {
        self.lock().requests.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Exchange> {
        // A panic while holding the lock leaves plain data behind; keep using it.
        self.exchange
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl HttpClient for CaptureClient {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for CaptureClient {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let this = self.clone();
        HttpConnectorFuture::new(async move {
            let recorded = record_request(request)
                .await
                .map_err(|error| ConnectorError::other(error, None))?;
            if let Some(forwarder) = &this.forwarder {
                this.lock().requests.push(recorded.clone());
                let received = forwarder.send(&recorded).await.map_err(|error| {
                    if error.is_connect() {
                        ConnectorError::io(error.into())
                    } else {
                        ConnectorError::other(error.into(), None)
                    }
                })?;
                this.lock().received.push(received.clone());
                return Ok(build_response(Some(received)));
            }
            let response = {
                let mut exchange = this.lock();
                exchange.requests.push(recorded);
                exchange.response.clone()
            };
            Ok(build_response(response))
        })
    }
}

async fn record_request(
    request: HttpRequest,
) -> Result<RecordedRequest, Box<dyn std::error::Error + Send + Sync>> {
    let method = request.method().to_owned();
    let uri = request.uri().to_owned();
    let headers = request
        .headers()
        .iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    let mut body = request.into_body();
    let body = match body.bytes() {
        // An in-memory body is sent in one piece.
        Some([]) => Body::Empty,
        Some(bytes) => Body::Bytes {
            data: bytes.to_vec(),
        },
        None => {
            let mut frames = Vec::new();
            while let Some(frame) = body.frame().await {
                let frame = frame?;
                match frame.into_data() {
                    Ok(data) => frames.push(Frame::Data {
                        data: data.to_vec(),
                    }),
                    Err(frame) => {
                        if let Ok(trailers) = frame.into_trailers() {
                            frames.push(Frame::Trailers {
                                headers: trailers
                                    .iter()
                                    .map(|(name, value)| {
                                        (
                                            name.as_str().to_owned(),
                                            String::from_utf8_lossy(value.as_bytes()).into_owned(),
                                        )
                                    })
                                    .collect(),
                            });
                        }
                    }
                }
            }
            Body::Streamed { frames }
        }
    };
    Ok(RecordedRequest {
        method,
        uri,
        headers,
        body,
    })
}

fn build_response(scripted: Option<ScriptedResponse>) -> HttpResponse {
    let Some(scripted) = scripted else {
        return HttpResponse::new(
            StatusCode::try_from(200).unwrap_or_else(|_| unreachable!()),
            SdkBody::empty(),
        );
    };
    let body = match scripted.body {
        Body::Empty => SdkBody::empty(),
        Body::Bytes { data } => SdkBody::from(data),
        Body::Streamed { frames } => streamed_body(frames),
    };
    let status = StatusCode::try_from(scripted.status)
        .unwrap_or_else(|_| StatusCode::try_from(500).unwrap_or_else(|_| unreachable!()));
    let mut response = HttpResponse::new(status, body);
    for (name, value) in scripted.headers {
        // Names and values come from our own serializers; a bad one is dropped rather than
        // failing the case, and shows up as a difference in the snapshot.
        let _ = response.headers_mut().try_append(name, value);
    }
    response
}

/// A body that yields each data frame separately, as an event stream arrives on the wire.
fn streamed_body(frames: Vec<Frame>) -> SdkBody {
    let data: Vec<Result<http_body::Frame<Bytes>, std::convert::Infallible>> = frames
        .into_iter()
        .filter_map(|frame| match frame {
            Frame::Data { data } => Some(Ok(http_body::Frame::data(Bytes::from(data)))),
            Frame::Trailers { .. } => None,
        })
        .collect();
    let stream = futures_util::stream::iter(data);
    SdkBody::from_body_1_x(http_body_util::StreamBody::new(stream))
}
