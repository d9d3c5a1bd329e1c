//! Partitions: splitting the services of a run across the jobs of a CI matrix.
//!
//! The syntax and the two strategies follow cargo-nextest's `--partition`:
//!
//! * `count:K/N`: the services, sorted by name, are dealt out in turn; the service at
//!   (0-based) position `i` goes to partition `i % N + 1`. Partitions differ in size by at most
//!   one service, but adding a service can move the ones after it.
//! * `hash:K/N`: a service goes to partition `xxh3_64(name) % N + 1`. A service keeps its
//!   partition when others are added or removed; sizes are only even on average.
//!
//! Either way each service lands in exactly one of the `N` partitions, on every machine and
//! in every run (xxh3 is a fixed function, unlike std's `DefaultHasher`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How services are assigned to partitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// Round robin over the services sorted by name.
    Count,
    /// By a stable hash of the service name.
    Hash,
}

/// One partition of `N`: `count:K/N` or `hash:K/N`, with `1 <= K <= N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Partition {
    /// How services are assigned.
    pub strategy: Strategy,
    /// This partition, 1-based.
    pub shard: u64,
    /// Number of partitions.
    pub total: u64,
}

/// A `--partition` value that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid partition `{value}`: {problem}; expected `count:K/N` or `hash:K/N` with 1 <= K <= N (e.g. `count:2/4`)"
)]
pub struct PartitionError {
    /// The value as given.
    pub value: String,
    /// What is wrong with it.
    pub problem: String,
}

impl Partition {
    /// Whether the service `name`, at `position_in_sorted` among all names sorted, belongs to
    /// this partition.
    fn owns(&self, position_in_sorted: usize, name: &str) -> bool {
        let bucket = match self.strategy {
            Strategy::Count => position_in_sorted as u64 % self.total,
            Strategy::Hash => xxhash_rust::xxh3::xxh3_64(name.as_bytes()) % self.total,
        };
        bucket + 1 == self.shard
    }

    /// The items of `items` (named by `name`) that belong to this partition, in their
    /// original order.
    pub fn select<T>(&self, items: Vec<T>, name: impl Fn(&T) -> &str) -> Vec<T> {
        let mut sorted: Vec<&str> = items.iter().map(&name).collect();
        sorted.sort_unstable();
        let positions: std::collections::HashMap<&str, usize> = sorted
            .iter()
            .enumerate()
            .map(|(position, name)| (*name, position))
            .collect();
        let keep: Vec<bool> = items
            .iter()
            .map(|item| {
                let name = name(item);
                self.owns(positions.get(name).copied().unwrap_or(0), name)
            })
            .collect();
        items
            .into_iter()
            .zip(keep)
            .filter_map(|(item, keep)| keep.then_some(item))
            .collect()
    }

    /// The other partitions of the same split, with this one: `1/N` to `N/N`.
    pub fn siblings(&self) -> impl Iterator<Item = Partition> + '_ {
        (1..=self.total).map(|shard| Partition { shard, ..*self })
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Strategy::Count => "count",
            Strategy::Hash => "hash",
        })
    }
}

impl fmt::Display for Partition {
    /// `count:K/N` or `hash:K/N`, the form [`FromStr`] reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}/{}", self.strategy, self.shard, self.total)
    }
}

impl FromStr for Partition {
    type Err = PartitionError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let error = |problem: &str| PartitionError {
            value: value.to_owned(),
            problem: problem.to_owned(),
        };
        let (strategy, fraction) = value.split_once(':').ok_or_else(|| error("no strategy"))?;
        let strategy = match strategy {
            "count" => Strategy::Count,
            "hash" => Strategy::Hash,
            _ => return Err(error("the strategy is neither `count` nor `hash`")),
        };
        let (shard, total) = fraction
            .split_once('/')
            .ok_or_else(|| error("no `/` between K and N"))?;
        let number = |text: &str, what: &str| {
            text.parse::<u64>()
                .map_err(|_| error(&format!("{what} `{text}` is not a whole number")))
        };
        let shard = number(shard, "K")?;
        let total = number(total, "N")?;
        if total == 0 {
            return Err(error("N is 0"));
        }
        if shard == 0 || shard > total {
            return Err(error("K is outside 1..=N"));
        }
        Ok(Partition {
            strategy,
            shard,
            total,
        })
    }
}

impl Serialize for Partition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Partition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(count: usize) -> Vec<String> {
        (0..count)
            .map(|index| format!("service{index:03}"))
            .collect()
    }

    #[test]
    fn reads_and_prints_the_nextest_forms() {
        for text in ["count:1/1", "count:2/4", "hash:3/3"] {
            let partition: Partition = text.parse().unwrap();
            assert_eq!(partition.to_string(), text);
        }
        for bad in [
            "2/4",
            "count:0/4",
            "count:5/4",
            "count:1/0",
            "slice:1/2",
            "hash:a/2",
        ] {
            let error = bad.parse::<Partition>().unwrap_err();
            assert!(
                error.to_string().contains("count:K/N"),
                "{bad}: the message says the expected form: {error}"
            );
        }
    }

    #[test]
    fn every_service_is_in_exactly_one_partition() {
        let services = names(37);
        for strategy in ["count", "hash"] {
            for total in [1, 2, 3, 7, 40] {
                let mut seen: Vec<String> = Vec::new();
                let first: Partition = format!("{strategy}:1/{total}").parse().unwrap();
                for partition in first.siblings() {
                    seen.extend(partition.select(services.clone(), String::as_str));
                }
                seen.sort();
                assert_eq!(seen, services, "{strategy} with {total} partitions");
            }
        }
    }

    #[test]
    fn count_deals_sorted_names_in_turn_and_ignores_input_order() {
        let mut services = names(7);
        services.reverse();
        let second: Partition = "count:2/3".parse().unwrap();
        assert_eq!(
            second.select(services, String::as_str),
            ["service004", "service001"],
            "positions 1 and 4 of the sorted names, kept in input order"
        );
    }

    #[test]
    fn hash_keeps_a_service_in_its_partition_when_others_are_added() {
        let partition: Partition = "hash:2/4".parse().unwrap();
        let before = partition.select(names(20), String::as_str);
        let after = partition.select(names(60), String::as_str);
        assert!(before.iter().all(|name| after.contains(name)));
    }
}
