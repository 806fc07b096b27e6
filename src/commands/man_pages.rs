//! Generated with the pages of `man/` by `SNAPSHOTS=overwrite cargo test --test integration
//! cli::committed_generated_files_are_current`; do not edit.

/// Every page's file name and text, in the order `mmjwt man --dir` writes them.
#[rustfmt::skip]
pub(super) const PAGES: &[(&str, &[u8])] = &[
    ("mmjwt.1", include_bytes!("../../man/mmjwt.1")),
    ("mmjwt-gen.1", include_bytes!("../../man/mmjwt-gen.1")),
    ("mmjwt-check.1", include_bytes!("../../man/mmjwt-check.1")),
    ("mmjwt-keygen.1", include_bytes!("../../man/mmjwt-keygen.1")),
    ("mmjwt-sandbox.1", include_bytes!("../../man/mmjwt-sandbox.1")),
    ("mmjwt-replay.1", include_bytes!("../../man/mmjwt-replay.1")),
    ("mmjwt-replay-fetch-user.1", include_bytes!("../../man/mmjwt-replay-fetch-user.1")),
    ("mmjwt-replay-patch-user.1", include_bytes!("../../man/mmjwt-replay-patch-user.1")),
    ("mmjwt-replay-personalize.1", include_bytes!("../../man/mmjwt-replay-personalize.1")),
    ("mmjwt-audit.1", include_bytes!("../../man/mmjwt-audit.1")),
    ("mmjwt-issuer.1", include_bytes!("../../man/mmjwt-issuer.1")),
    ("mmjwt-issuer-list.1", include_bytes!("../../man/mmjwt-issuer-list.1")),
    ("mmjwt-issuer-code.1", include_bytes!("../../man/mmjwt-issuer-code.1")),
    ("mmjwt-issuer-serve.1", include_bytes!("../../man/mmjwt-issuer-serve.1")),
    ("mmjwt-ui.1", include_bytes!("../../man/mmjwt-ui.1")),
    ("mmjwt-completions.1", include_bytes!("../../man/mmjwt-completions.1")),
    ("mmjwt-man.1", include_bytes!("../../man/mmjwt-man.1")),
];
