//! The case loop: read a plan, run every case in isolation, write one JSON line per case.

use std::any::Any;
use std::cell::RefCell;
use std::future::Future;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use aws_smithy_async::time::SharedTimeSource;
use futures_util::FutureExt;
use snapshot_records::{CaseRecord, InputVariant, Outcome, Plan, PlannedCase, RejectedHeader};

use crate::capture::CaptureClient;
use crate::forward::Forwarder;
use crate::outcome::Called;
use crate::{round_trip, setup};

/// What a generated operation function receives: the HTTP client to use, whether to set an
/// explicit endpoint because resolution failed for the generated input, the live endpoint of
/// a live run, and which generated input to send.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The capturing/replaying (or, live, forwarding) client for this case.
    pub http: CaptureClient,
    /// Set `endpoint_url(MOCK_ENDPOINT)` on the client config.
    pub endpoint_override: bool,
    /// The live endpoint, in a live run.
    pub live: Option<Live>,
    /// The input variant to build and send.
    pub variant: InputVariant,
    /// For a rejected-header case, the member to set to a value the client must refuse.
    pub rejected_header: Option<RejectedHeader>,
}

/// The live endpoint of a live run and the credentials that sign for it.
#[derive(Debug, Clone)]
pub struct Live {
    /// The endpoint URL every client is configured with.
    pub url: String,
    /// Mock or environment keys.
    pub credentials: Credentials,
}

impl Setup {
    /// The endpoint URL to configure, if any: the live endpoint, else the mock one when
    /// resolution failed for the generated input.
    pub fn endpoint_url(&self) -> Option<&str> {
        match &self.live {
            Some(live) => Some(live.url.as_str()),
            None => self.endpoint_override.then_some(setup::MOCK_ENDPOINT),
        }
    }

    /// Whether this is a live run (S3 clients then address buckets path-style, which
    /// emulators on an IP address need).
    pub fn is_live(&self) -> bool {
        self.live.is_some()
    }

    /// The credentials that sign requests.
    pub fn credentials(&self) -> Credentials {
        match &self.live {
            Some(live) => live.credentials.clone(),
            None => setup::credentials(),
        }
    }

    /// The clock: fixed, or the system's in a live run.
    pub fn time_source(&self) -> SharedTimeSource {
        match &self.live {
            Some(_) => setup::live_time_source(),
            None => SharedTimeSource::new(setup::time_source()),
        }
    }
}

thread_local! {
    /// The SDK clients built so far on this thread, by the HTTP client and endpoint URL they
    /// were configured with (see [`cached_client`]).
    static CLIENTS: RefCell<Vec<CachedClient>> = const { RefCell::new(Vec::new()) };
}

struct CachedClient {
    http: CaptureClient,
    endpoint_url: Option<String>,
    client: Box<dyn Any>,
}

/// The SDK client for `setup`, built by `build` the first time and reused afterwards.
///
/// Building a client (its config, runtime plugins and interceptors) took about a tenth of a
/// case's time, and every case of a harness configures it identically but for the endpoint
/// URL: the HTTP client is the process's one [`CaptureClient`], whose exchange
/// [`CaptureClient::start_case`] resets between cases, and the credentials and clock are
/// fixed. What a client keeps between calls (the identity cache of static credentials) does
/// not show in a request or an output. After a case that panicked or timed out the clients
/// are built again ([`forget_clients`]), in case one was left in a broken state.
pub fn cached_client<C: Clone + 'static>(setup: &Setup, build: impl FnOnce(&Setup) -> C) -> C {
    let endpoint_url = setup.endpoint_url();
    let found = CLIENTS.with_borrow(|clients| {
        clients
            .iter()
            .filter(|cached| cached.http.same_as(&setup.http))
            .filter(|cached| cached.endpoint_url.as_deref() == endpoint_url)
            .find_map(|cached| cached.client.downcast_ref::<C>().cloned())
    });
    if let Some(client) = found {
        return client;
    }
    let client = build(setup);
    let cached = CachedClient {
        http: setup.http.clone(),
        endpoint_url: endpoint_url.map(str::to_owned),
        client: Box::new(client.clone()),
    };
    CLIENTS.with_borrow_mut(|clients| clients.push(cached));
    client
}

/// Drops every client [`cached_client`] kept.
fn forget_clients() {
    CLIENTS.with_borrow_mut(Vec::clear);
}

/// A boxed operation call.
pub type CallFuture = Pin<Box<dyn Future<Output = Called>>>;

/// One operation the harness can call.
#[derive(Debug, Clone, Copy)]
pub struct OperationEntry {
    /// The operation name as in the model.
    pub name: &'static str,
    /// Builds the generated input and calls the client.
    pub call: fn(Setup) -> CallFuture,
}

static PANIC_MESSAGE: Mutex<Option<String>> = Mutex::new(None);

/// Entry point of a generated harness: `harness <plan.json> <records.jsonl>`.
///
/// Exits with 2 when the plan cannot be read or names an operation the harness lacks,
/// and with 3 when records cannot be written; case failures are records, not exits.
pub fn main(operations: &[OperationEntry]) {
    let args: Vec<String> = std::env::args().collect();
    let (Some(plan_path), Some(out_path)) = (args.get(1), args.get(2)) else {
        eprintln!(
            "usage: {} <plan.json> <records.jsonl>",
            args.first().map_or("harness", String::as_str)
        );
        std::process::exit(2);
    };
    let plan: Plan = match std::fs::read(plan_path)
        .map_err(|error| error.to_string())
        .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|error| error.to_string()))
    {
        Ok(plan) => plan,
        Err(error) => {
            eprintln!("harness: cannot read plan {plan_path}: {error}");
            std::process::exit(2);
        }
    };
    let mut out = match std::fs::File::create(out_path) {
        Ok(file) => std::io::BufWriter::new(file),
        Err(error) => {
            eprintln!("harness: cannot create {out_path}: {error}");
            std::process::exit(3);
        }
    };
    std::panic::set_hook(Box::new(|info| {
        let message = match info.payload().downcast_ref::<&str>() {
            Some(text) => (*text).to_owned(),
            None => info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "panic with a non-string payload".to_owned()),
        };
        let location = info
            .location()
            .map(|location| format!(" at {}:{}", location.file(), location.line()))
            .unwrap_or_default();
        if let Ok(mut slot) = PANIC_MESSAGE.lock() {
            *slot = Some(format!("{message}{location}"));
        }
    }));
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("harness: cannot start the async runtime: {error}");
            std::process::exit(3);
        }
    };
    let timeout = Duration::from_millis(plan.timeout_millis.max(1));
    let live = match &plan.live {
        Some(target) => match setup::live_credentials(target.credentials) {
            Ok(credentials) => Some(Live {
                url: target.url.clone(),
                credentials,
            }),
            Err(error) => {
                eprintln!("harness: {error}");
                std::process::exit(2);
            }
        },
        None => None,
    };
    let forwarder = live.as_ref().map(|_| Forwarder::new());
    let http = match &forwarder {
        Some(forwarder) => CaptureClient::forwarding(forwarder.clone()),
        None => CaptureClient::new(None),
    };
    for planned in plan.cases {
        let Some(entry) = operations
            .iter()
            .find(|entry| entry.name == planned.operation)
        else {
            eprintln!(
                "harness: the plan names `{}`, which this harness does not contain",
                planned.operation
            );
            std::process::exit(2);
        };
        let record = runtime.block_on(run_case(entry, planned, &http, timeout, live.as_ref()));
        let written = serde_json::to_string(&record)
            .map_err(std::io::Error::other)
            .and_then(|line| writeln!(out, "{line}"))
            .and_then(|()| out.flush());
        if let Err(error) = written {
            eprintln!("harness: cannot write {out_path}: {error}");
            std::process::exit(3);
        }
    }
}

async fn run_case(
    entry: &OperationEntry,
    planned: PlannedCase,
    http: &CaptureClient,
    timeout: Duration,
    live: Option<&Live>,
) -> CaseRecord {
    let started = Instant::now();
    let mut called = attempt(entry, &planned, http, false, timeout, live).await;
    let mut endpoint_override = false;
    // A live run already sets an explicit endpoint; retrying would fail the same way.
    if live.is_none() && http.request_count() == 0 && is_endpoint_failure(&called.outcome) {
        endpoint_override = true;
        called = attempt(entry, &planned, http, true, timeout, live).await;
    }
    let round_trip = planned
        .expected
        .as_ref()
        .map(|expected| round_trip::check(expected, called.received.as_ref()));
    let response = if http.is_forwarding() {
        http.first_received()
    } else {
        planned.response
    };
    CaseRecord {
        operation: planned.operation,
        case: planned.case,
        endpoint_override,
        request: http.first_request(),
        response,
        outcome: called.outcome,
        round_trip,
        micros: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
    }
}

/// Calls the operation once; what it sent and received is then in `http`.
async fn attempt(
    entry: &OperationEntry,
    planned: &PlannedCase,
    http: &CaptureClient,
    endpoint_override: bool,
    timeout: Duration,
    live: Option<&Live>,
) -> Called {
    http.start_case(planned.response.clone());
    let setup = Setup {
        http: http.clone(),
        endpoint_override,
        live: live.cloned(),
        variant: planned.case.input_variant(),
        rejected_header: planned.case.rejected_header().cloned(),
    };
    let call = AssertUnwindSafe((entry.call)(setup)).catch_unwind();
    let called = match tokio::time::timeout(timeout, call).await {
        Ok(Ok(called)) => called,
        Ok(Err(_)) => Called::failed(Outcome::Panicked {
            message: PANIC_MESSAGE
                .lock()
                .ok()
                .and_then(|mut slot| slot.take())
                .unwrap_or_else(|| "unknown panic".to_owned()),
        }),
        Err(_) => Called::failed(Outcome::TimedOut {
            millis: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
        }),
    };
    if matches!(
        called.outcome,
        Outcome::Panicked { .. } | Outcome::TimedOut { .. }
    ) {
        forget_clients();
    }
    called
}

/// Endpoint rules reject some generated inputs (e.g. an ARN member that does not parse);
/// SPEC §5 says to retry those with an explicit endpoint. Depending on the orchestrator
/// phase, resolution errors surface as construction or dispatch failures.
fn is_endpoint_failure(outcome: &Outcome) -> bool {
    match outcome {
        Outcome::ClientError { kind, display } => {
            (kind == "ConstructionFailure" || kind == "DispatchFailure")
                && (display.contains("ResolveEndpointError")
                    || display.contains("InvalidEndpointError"))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use aws_smithy_runtime_api::client::http::HttpConnector;
    use aws_smithy_runtime_api::client::orchestrator::HttpRequest;

    use super::*;

    fn setup(http: &CaptureClient, endpoint_override: bool) -> Setup {
        Setup {
            http: http.clone(),
            endpoint_override,
            live: None,
            variant: InputVariant::Max,
            rejected_header: None,
        }
    }

    #[test]
    fn a_client_is_built_once_per_http_client_and_endpoint_and_again_after_a_failed_case() {
        forget_clients();
        let built = Cell::new(0);
        let build = |_: &Setup| {
            built.set(built.get() + 1);
            Rc::new(built.get())
        };
        let http = CaptureClient::new(None);
        let first = cached_client(&setup(&http, false), build);
        assert_eq!(*cached_client(&setup(&http, false), build), *first);
        assert_eq!(built.get(), 1, "the same setup reuses the client");
        cached_client(&setup(&http, true), build);
        assert_eq!(built.get(), 2, "another endpoint URL gets its own client");
        cached_client(&setup(&CaptureClient::new(None), false), build);
        assert_eq!(built.get(), 3, "another HTTP client gets its own client");
        forget_clients();
        cached_client(&setup(&http, false), build);
        assert_eq!(built.get(), 4, "after forgetting, clients are built again");
    }

    #[test]
    fn a_new_case_forgets_what_the_last_one_sent() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let http = CaptureClient::new(None);
        let sent_by_clone = http.clone();
        runtime
            .block_on(sent_by_clone.call(HttpRequest::get("https://example.com/").unwrap()))
            .unwrap();
        assert_eq!(http.request_count(), 1, "a clone shares the exchange");
        http.start_case(None);
        assert_eq!(http.request_count(), 0);
        assert!(http.first_request().is_none());
    }
}
