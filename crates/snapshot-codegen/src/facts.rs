//! What a client crate's own source says about it, for the places where the model cannot
//! tell: a crate newer than its model may have gained idempotency tokens or auth schemes, and
//! a model newer than its crate names members the crate cannot hold ([`ClientApi`]).

use std::collections::BTreeSet;
use std::path::Path;

use crate::api::ClientApi;

/// Facts read from a client crate's source; unknown when the source could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientFacts {
    config_setters: Option<BTreeSet<String>>,
    api: Option<ClientApi>,
}

impl ClientFacts {
    /// Nothing known: code generation falls back to what the model says.
    pub fn unknown() -> Self {
        ClientFacts::default()
    }

    /// Reads the public methods of the config builder in `<crate_dir>/src/config.rs`.
    pub fn read(crate_dir: &Path) -> Self {
        let Ok(source) = std::fs::read_to_string(crate_dir.join("src").join("config.rs")) else {
            return ClientFacts::unknown();
        };
        ClientFacts::from_config_source(&source)
    }

    /// [`ClientFacts::read`] and the crate's API ([`ClientApi::read_cached`] with `cache_dir`);
    /// when the API cannot be read, the facts without it and why.
    pub fn read_with_api(
        crate_dir: &Path,
        cache_dir: &Path,
    ) -> (Self, Option<crate::api::ApiReadError>) {
        let facts = ClientFacts::read(crate_dir);
        match ClientApi::read_cached(crate_dir, cache_dir) {
            Ok(api) => (facts.with_api(api), None),
            Err(error) => (facts, Some(error)),
        }
    }

    /// Facts from the text of a client's `config.rs`.
    pub fn from_config_source(source: &str) -> Self {
        let setters = source
            .lines()
            .filter_map(|line| line.trim_start().strip_prefix("pub fn "))
            .filter_map(|rest| rest.split(['(', '<']).next())
            .map(str::to_owned)
            .collect();
        ClientFacts {
            config_setters: Some(setters),
            api: None,
        }
    }

    /// These facts with the crate's API.
    pub fn with_api(mut self, api: ClientApi) -> Self {
        self.api = Some(api);
        self
    }

    /// Whether the config builder has `method`, when the source was read.
    pub fn has_config_setter(&self, method: &str) -> Option<bool> {
        self.config_setters
            .as_ref()
            .map(|setters| setters.contains(method))
    }

    /// The crate's API, when it was read.
    pub fn api(&self) -> Option<&ClientApi> {
        self.api.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_config_builder_methods() {
        let facts = ClientFacts::from_config_source(
            "impl Builder {\n    pub fn idempotency_token_provider(\n        mut self,\n    ) -> Self {}\n    pub fn region<T>(self) {}\n}",
        );
        assert_eq!(
            facts.has_config_setter("idempotency_token_provider"),
            Some(true)
        );
        assert_eq!(facts.has_config_setter("region"), Some(true));
        assert_eq!(facts.has_config_setter("token_provider"), Some(false));
        assert_eq!(ClientFacts::unknown().has_config_setter("region"), None);
    }
}
