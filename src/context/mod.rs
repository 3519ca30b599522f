//! The context model: what an n-gram model of English says about a sentence.

pub mod spinning;
pub mod suspicion;
pub mod swap;
pub mod words;
