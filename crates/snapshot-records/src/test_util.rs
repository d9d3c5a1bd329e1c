//! Test support (feature `test-util`): short constructors for the records tests build by hand:
//! headers, bodies, requests, responses and case records.

use crate::{Body, Case, CaseRecord, Frame, Header, HttpRequest, HttpResponse, Outcome, RoundTrip};

/// Headers from `(name, value)` pairs, in the order given.
pub fn headers(pairs: &[(&str, &str)]) -> Vec<Header> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

/// A body sent in one piece.
pub fn bytes(data: impl Into<Vec<u8>>) -> Body {
    Body::Bytes { data: data.into() }
}

/// A streamed body of `data` cut into frames of `size` bytes (the last may be shorter).
pub fn streamed(data: &[u8], size: usize) -> Body {
    Body::Streamed {
        frames: data
            .chunks(size.max(1))
            .map(|chunk| Frame::Data {
                data: chunk.to_vec(),
            })
            .collect(),
    }
}

/// A request.
pub fn request(method: &str, uri: &str, headers: Vec<Header>, body: Body) -> HttpRequest {
    HttpRequest {
        method: method.to_owned(),
        uri: uri.to_owned(),
        headers,
        body,
    }
}

/// A response.
pub fn response(status: u16, headers: Vec<Header>, body: Body) -> HttpResponse {
    HttpResponse {
        status,
        headers,
        body,
    }
}

/// The record of one case of `operation` with neither request nor response, which took 0 µs
/// and used no endpoint override; add the messages with [`CaseRecord::with_request`] and
/// [`CaseRecord::with_response`].
pub fn record(operation: &str, case: Case, outcome: Outcome) -> CaseRecord {
    CaseRecord {
        operation: operation.to_owned(),
        case,
        endpoint_override: false,
        request: None,
        response: None,
        outcome,
        round_trip: None,
        micros: 0,
    }
}

impl CaseRecord {
    /// This record with the request the client sent.
    pub fn with_request(mut self, request: HttpRequest) -> Self {
        self.request = Some(request);
        self
    }

    /// This record with the response the client received.
    pub fn with_response(mut self, response: HttpResponse) -> Self {
        self.response = Some(response);
        self
    }

    /// This record with the round trip the harness checked.
    pub fn with_round_trip(mut self, round_trip: RoundTrip) -> Self {
        self.round_trip = Some(round_trip);
        self
    }

    /// This record with its harness time in microseconds.
    pub fn with_micros(mut self, micros: u64) -> Self {
        self.micros = micros;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_bodies_keep_their_bytes_across_frames() {
        let body = streamed(b"abcdefg", 3);
        let Body::Streamed { frames } = &body else {
            panic!("{body:?}");
        };
        assert_eq!(frames.len(), 3);
        assert_eq!(body.data(), b"abcdefg");
    }
}
