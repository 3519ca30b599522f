//! Safe writes of a user's file: never lost, never half-written, never over someone else's
//! edit. The implementation is the platform's (`src/platform/unix_write.rs` resolves the path
//! once and works relative to a folder handle; `portable_write.rs` is the std-only path for
//! other systems); both offer the same functions.

#[cfg(not(unix))]
pub use crate::platform::portable_write::*;
#[cfg(unix)]
pub use crate::platform::unix_write::*;
