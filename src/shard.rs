//! Shards: one run's inputs split into N parts, so that a CI matrix or a batch runner audits
//! them on several machines; `mtaudit report merge` joins the parts' JSON reports again.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The most shards a run may be split into: far more than any CI matrix, and small enough
/// that a count read from a report never makes a large allocation.
pub const MAX_SHARDS: usize = 10_000;

/// Part `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shard {
    pub count: usize,
    pub index: usize,
}

impl Shard {
    /// Part `index` of `count`, if that is a part: 1 <= index <= count <= [`MAX_SHARDS`].
    pub fn new(index: usize, count: usize) -> Option<Shard> {
        (1..=count).contains(&index).then_some(())?;
        (count <= MAX_SHARDS).then_some(Shard { count, index })
    }

    /// This shard's part of `items`: contiguous, so that the shards' reports, concatenated in
    /// order, list the inputs in the order of one run; sizes differ by at most one.
    pub fn select<T>(&self, items: Vec<T>) -> Vec<T> {
        let len = items.len();
        let start = (self.index - 1) * len / self.count;
        let end = self.index * len / self.count;
        items.into_iter().skip(start).take(end - start).collect()
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let invalid = || {
            format!("`{s}` is not a shard: write K/N, with 1 <= K <= N <= {MAX_SHARDS} (e.g. 2/4)")
        };
        let (index, count) = s.split_once('/').ok_or_else(invalid)?;
        let index: usize = index.trim().parse().map_err(|_| invalid())?;
        let count: usize = count.trim().parse().map_err(|_| invalid())?;
        Shard::new(index, count).ok_or_else(invalid)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n_and_refuses_the_rest() {
        assert_eq!("2/4".parse(), Ok(Shard { count: 4, index: 2 }));
        assert_eq!(
            "1/10000".parse(),
            Ok(Shard {
                count: 10000,
                index: 1
            })
        );
        for bad in [
            "0/4",
            "5/4",
            "2",
            "a/b",
            "1/0",
            "-1/3",
            "1/10001",
            "1/18446744073709551615",
        ] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_cover_every_item_once_in_order() {
        for len in [0, 1, 2, 7, 10, 101] {
            for count in 1..=6 {
                let items: Vec<usize> = (0..len).collect();
                let mut joined = Vec::new();
                let mut sizes = Vec::new();
                for index in 1..=count {
                    let part = Shard { count, index }.select(items.clone());
                    sizes.push(part.len());
                    joined.extend(part);
                }
                assert_eq!(joined, items, "{len} items in {count} shards");
                let (min, max) = (sizes.iter().min(), sizes.iter().max());
                assert!(max.unwrap() - min.unwrap() <= 1, "{sizes:?}");
            }
        }
    }
}
