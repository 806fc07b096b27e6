//! The one integration-test binary.

mod replay;
