//! The endpoint of a live run (`--endpoint URL`) and the credentials that sign for it.

use std::fmt;
use std::str::FromStr;

use snapshot_records::{LiveCredentials, LiveTarget};

/// The endpoint of a live run, parsed from `--endpoint`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEndpoint {
    url: String,
    authority: String,
    /// Which credentials sign the requests.
    pub credentials: LiveCredentials,
}

/// Why an `--endpoint` value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// Not a URL at all.
    #[error("`{url}` is not a URL ({reason}); expected e.g. http://127.0.0.1:5000")]
    NotAUrl {
        /// The value given.
        url: String,
        /// What the parser said.
        reason: String,
    },
    /// `https://`, which the forwarding client does not speak.
    #[error("`{url}`: https endpoints are not supported yet, the harness forwards over plain HTTP/1.1; use the endpoint's http:// address (emulators such as moto and LocalStack serve both)")]
    Https {
        /// The value given.
        url: String,
    },
    /// Another scheme, or none.
    #[error("`{url}` must start with http://, e.g. http://127.0.0.1:5000")]
    Scheme {
        /// The value given.
        url: String,
    },
    /// A query string or fragment, which clients cannot append paths to.
    #[error("`{url}` must not have a query string or fragment")]
    Query {
        /// The value given.
        url: String,
    },
}

impl LiveEndpoint {
    /// Parses an `http://host[:port][/path]` URL; signs with the mock credentials.
    pub fn parse(text: &str) -> Result<Self, EndpointError> {
        let url = text.trim().trim_end_matches('/').to_owned();
        if url.contains(['?', '#']) {
            return Err(EndpointError::Query { url });
        }
        let uri: http::Uri =
            url.parse()
                .map_err(|error: http::uri::InvalidUri| EndpointError::NotAUrl {
                    url: url.clone(),
                    reason: error.to_string(),
                })?;
        match uri.scheme_str() {
            Some("http") => {}
            Some("https") => return Err(EndpointError::Https { url }),
            _ => return Err(EndpointError::Scheme { url }),
        }
        let Some(authority) = uri
            .authority()
            .map(|authority| authority.as_str().to_owned())
        else {
            return Err(EndpointError::NotAUrl {
                url,
                reason: "it names no host".to_owned(),
            });
        };
        Ok(LiveEndpoint {
            url,
            authority,
            credentials: LiveCredentials::Mock,
        })
    }

    /// Signs with static keys from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (and
    /// `AWS_SESSION_TOKEN`) when both keys are set in this process's environment.
    pub fn with_credentials_from_env(mut self) -> Self {
        let set = |name: &str| std::env::var_os(name).is_some_and(|value| !value.is_empty());
        if set("AWS_ACCESS_KEY_ID") && set("AWS_SECRET_ACCESS_KEY") {
            self.credentials = LiveCredentials::Environment;
        }
        self
    }

    /// The URL clients are configured with (no trailing `/`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `host[:port]`.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// Whether something accepts TCP connections at the endpoint (port 80 when the URL names
    /// none), within `timeout`: a live run against a server that is not there would record
    /// every operation's connection error as the endpoint's answer.
    ///
    /// # Errors
    /// The reason when no address of the host accepts a connection (name resolution failed,
    /// connection refused, timed out).
    pub fn check_reachable(&self, timeout: std::time::Duration) -> Result<(), String> {
        use std::net::ToSocketAddrs;
        let address = if self.authority.rsplit_once(':').is_some_and(|(_, port)| {
            !port.is_empty() && port.bytes().all(|byte| byte.is_ascii_digit())
        }) {
            self.authority.clone()
        } else {
            format!("{}:80", self.authority)
        };
        let addresses = address
            .to_socket_addrs()
            .map_err(|error| format!("cannot resolve `{address}`: {error}"))?;
        let mut last = format!("`{address}` resolves to no address");
        for socket in addresses {
            match std::net::TcpStream::connect_timeout(&socket, timeout) {
                Ok(_) => return Ok(()),
                Err(error) => last = format!("{socket}: {error}"),
            }
        }
        Err(last)
    }

    pub(crate) fn target(&self) -> LiveTarget {
        LiveTarget {
            url: self.url.clone(),
            credentials: self.credentials,
        }
    }
}

impl FromStr for LiveEndpoint {
    type Err = EndpointError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        LiveEndpoint::parse(text)
    }
}

impl fmt::Display for LiveEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_endpoint_is_reachable_only_while_something_listens_there() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let endpoint = LiveEndpoint::parse(&format!("http://127.0.0.1:{port}")).unwrap();
        let timeout = std::time::Duration::from_secs(2);
        assert_eq!(endpoint.check_reachable(timeout), Ok(()));
        drop(listener);
        let reason = endpoint.check_reachable(timeout).unwrap_err();
        assert!(reason.contains(&format!("127.0.0.1:{port}")), "{reason}");
    }

    use super::*;

    #[test]
    fn endpoints_parse_and_unusable_ones_say_why() {
        let endpoint = LiveEndpoint::parse("http://127.0.0.1:5000/").unwrap();
        assert_eq!(endpoint.url(), "http://127.0.0.1:5000");
        assert_eq!(endpoint.authority(), "127.0.0.1:5000");
        assert_eq!(endpoint.credentials, LiveCredentials::Mock);
        assert!(matches!(
            LiveEndpoint::parse("https://sqs.us-east-1.amazonaws.com"),
            Err(EndpointError::Https { .. })
        ));
        assert!(matches!(
            LiveEndpoint::parse("127.0.0.1:5000"),
            Err(EndpointError::Scheme { .. })
        ));
        assert!(matches!(
            LiveEndpoint::parse("http://h/?a=1"),
            Err(EndpointError::Query { .. })
        ));
        let error = LiveEndpoint::parse("http://exa mple").unwrap_err();
        assert!(error.to_string().contains("is not a URL"), "{error}");
    }
}
