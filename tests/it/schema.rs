//! The scripting contract: every `--json` output and every body of the page's API is held to
//! its JSON Schema (draft 2020-12) in `docs/schema/`. Each test runs the real binary (or the
//! real sandbox) and validates what it printed; the same output with one member added at any
//! closed object must fail, so a field added without its schema fails here. The schemas'
//! closed vocabularies (problem, warning, audit codes, error kinds, the sandbox's messageIds)
//! are held equal to the lists in the source.

use crate::support::page_api;
use crate::support::sandbox_process::Running;
use crate::support::{REFERENCE_TOKEN, SECRET_HEX, mmjwt, mmjwt_with_creds, test_key};
use boon::{Compiler, SchemaIndex, Schemas};
use mmjwt::sandbox::{Config, Mode, Sandbox};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

const APP: &str = "test-app-code";
const KID: &str = "test-key-id";
const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The name of the member the negative checks add.
const EXTRA: &str = "member_without_a_schema";

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema")
}

/// Every `docs/schema/*.json`: file name and parsed document, sorted by name.
fn schema_files() -> Vec<(String, Value)> {
    let mut files: Vec<(String, Value)> = std::fs::read_dir(schema_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            let doc = serde_json::from_slice(&std::fs::read(&p).unwrap())
                .unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
            (name, doc)
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn url_of(name: &str) -> String {
    format!("file://{}/{name}", schema_dir().display())
}

/// Every schema compiled once (with its `$ref`s to sibling files), by file name.
struct Book {
    schemas: Schemas,
    index: BTreeMap<String, SchemaIndex>,
}

fn book() -> &'static Book {
    static BOOK: OnceLock<Book> = OnceLock::new();
    BOOK.get_or_init(|| {
        let mut compiler = Compiler::new();
        let files = schema_files();
        for (name, doc) in &files {
            compiler.add_resource(&url_of(name), doc.clone()).unwrap();
        }
        let mut schemas = Schemas::new();
        let index = files
            .iter()
            .map(|(name, _)| {
                let i = compiler
                    .compile(&url_of(name), &mut schemas)
                    .unwrap_or_else(|e| panic!("{name} does not compile: {e:#}"));
                (name.clone(), i)
            })
            .collect();
        Book { schemas, index }
    })
}

/// Why `v` does not fit `schema`, or `None` when it does.
fn violation(schema: &str, v: &Value) -> Option<String> {
    let b = book();
    let i = *b
        .index
        .get(schema)
        .unwrap_or_else(|| panic!("no docs/schema/{schema}"));
    b.schemas.validate(v, i).err().map(|e| format!("{e}"))
}

/// Asserts that `v` fits `schema`, and that adding a member to any closed object in it makes
/// it fail (objects under the pointers that end in one of `open` are user data, any members).
#[track_caller]
fn assert_fits(schema: &str, v: &Value, open: &[&str]) {
    if let Some(why) = violation(schema, v) {
        panic!("{schema}: the output does not fit its schema: {why}\n{v:#}");
    }
    for pointer in object_pointers(v, "") {
        if open
            .iter()
            .any(|o| pointer.split('/').any(|segment| segment == *o))
        {
            continue;
        }
        let mut changed = v.clone();
        changed
            .pointer_mut(&pointer)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .insert(EXTRA.into(), json!(true));
        assert!(
            violation(schema, &changed).is_some(),
            "{schema}: a member added at '{pointer}' still fits the schema"
        );
    }
}

/// The JSON pointer of every object in `v` (the root is "").
fn object_pointers(v: &Value, at: &str) -> Vec<String> {
    let mut out = Vec::new();
    match v {
        Value::Object(m) => {
            out.push(at.to_string());
            for (k, child) in m {
                let k = k.replace('~', "~0").replace('/', "~1");
                out.extend(object_pointers(child, &format!("{at}/{k}")));
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                out.extend(object_pointers(child, &format!("{at}/{i}")));
            }
        }
        _ => {}
    }
    out
}

/// Every non-null member of `outputs` as a pointer with array indices as `*`.
fn shapes(outputs: &[Value]) -> std::collections::BTreeSet<String> {
    fn walk(v: &Value, at: &str, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Null => return,
            Value::Object(m) => {
                for (k, child) in m {
                    walk(child, &format!("{at}/{k}"), out);
                }
            }
            Value::Array(a) => {
                for child in a {
                    walk(child, &format!("{at}/*"), out);
                }
            }
            _ => {}
        }
        out.insert(at.to_string());
    }
    let mut out = std::collections::BTreeSet::new();
    for v in outputs {
        walk(v, "", &mut out);
    }
    out
}

/// The optional and nullable parts named in `wanted` occur, non-null, in some output: the
/// tests exercise those parts of the schema, not only the common case.
#[track_caller]
fn assert_covers(outputs: &[Value], wanted: &[&str]) {
    let seen = shapes(outputs);
    let missing: Vec<&&str> = wanted.iter().filter(|w| !seen.contains(**w)).collect();
    assert!(missing.is_empty(), "never produced: {missing:?}");
}

/// Members whose objects belong to the token (`TOKEN_DATA`) or to an HTTP peer (`HTTP_DATA`),
/// not to mmjwt: any members.
const TOKEN_DATA: &[&str] = &["header", "claims"];
const HTTP_DATA: &[&str] = &["body"];

fn lines(out: &std::process::Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not one JSON object: {e}: {l}"))
        })
        .collect()
}

fn one(out: &std::process::Output) -> Value {
    let mut all = lines(out);
    assert_eq!(
        all.len(),
        1,
        "one object: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    all.remove(0)
}

/// The one object of a run that must succeed (its stderr shown when it does not).
fn one_ok(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    one(out)
}

fn signed(header: &str, payload: &str) -> String {
    crate::support::signed(header, payload, &test_key())
}

fn token(iat: i64, exp: i64) -> String {
    signed(
        crate::support::HEADER,
        &crate::support::payload("ext-user-1", iat, exp),
    )
}

// ---------------------------------------------------------------- the schemas themselves

#[test]
fn every_schema_is_a_valid_draft_2020_12_schema_with_closed_objects() {
    let mut compiler = Compiler::new();
    let mut meta_schemas = Schemas::new();
    let meta = compiler.compile(DRAFT, &mut meta_schemas).unwrap();
    let files = schema_files();
    assert!(files.len() >= 10, "{files:?}");
    for (name, doc) in &files {
        assert_eq!(doc["$schema"], DRAFT, "{name}");
        assert_eq!(
            doc["$id"],
            name.as_str(),
            "{name}: a relative $id, its file name"
        );
        for member in ["title", "description"] {
            assert!(doc[member].is_string(), "{name}: {member}");
        }
        if let Err(e) = meta_schemas.validate(doc, meta) {
            panic!("{name} is not a valid 2020-12 schema: {e}");
        }
        // Every object with named members says what else it admits.
        let mut unsaid = Vec::new();
        walk_schemas(doc, "", &mut |at, s| {
            if s.get("type") == Some(&json!("object"))
                && s.get("properties").is_some()
                && s.get("additionalProperties").is_none()
                && s.get("unevaluatedProperties").is_none()
            {
                unsaid.push(at.to_string());
            }
        });
        assert!(
            unsaid.is_empty(),
            "{name}: objects without additionalProperties: {unsaid:?}"
        );
    }
    // And they compile together, with every $ref between files resolved.
    assert_eq!(book().index.len(), files.len());
}

fn walk_schemas(v: &Value, at: &str, f: &mut impl FnMut(&str, &serde_json::Map<String, Value>)) {
    match v {
        Value::Object(m) => {
            f(at, m);
            for (k, child) in m {
                walk_schemas(child, &format!("{at}/{k}"), f);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                walk_schemas(child, &format!("{at}/{i}"), f);
            }
        }
        _ => {}
    }
}

#[test]
fn every_schema_file_is_used_by_a_test_and_listed_in_the_index() {
    let this =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/schema.rs"))
            .unwrap();
    let index = std::fs::read_to_string(schema_dir().join("README.md")).unwrap();
    for (name, _) in schema_files() {
        // An argument of assert_fits, of post (which validates the request it sends), or in
        // the (call, schema, body) table of the unknown-member test.
        let used = regex::Regex::new(&format!(
            r#"(assert_fits\(\s*|post\(\s*&sb,\s*"[a-z]+",\s*|\(\s*"[a-z]+",\s*)"{}""#,
            regex::escape(&name)
        ))
        .unwrap();
        assert!(
            used.is_match(&this),
            "docs/schema/{name} is validated by no test in tests/it/schema.rs"
        );
        assert!(
            index.contains(&format!("[{name}]({name})")),
            "docs/schema/README.md does not list {name}"
        );
    }
}

fn enum_at(schema: &str, pointer: &str) -> Vec<String> {
    let doc = schema_files()
        .into_iter()
        .find(|(n, _)| n == schema)
        .unwrap()
        .1;
    doc.pointer(pointer)
        .and_then(|e| e.get("enum"))
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{schema}#{pointer} has no enum"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_schemas_code_lists_are_the_sources() {
    use mmjwt::problem::{AuditCode, Code, Warn};
    let names = |v: Vec<&str>| v.into_iter().map(String::from).collect::<Vec<_>>();
    assert_eq!(
        enum_at("check.json", "/$defs/problem_code"),
        names(Code::ALL.iter().map(|c| c.as_str()).collect())
    );
    assert_eq!(
        enum_at("check.json", "/$defs/warning_code"),
        names(Warn::ALL.iter().map(|c| c.as_str()).collect())
    );
    assert_eq!(
        enum_at("gen.json", "/$defs/break/properties/kind"),
        names(
            mmjwt::token::breakage::BreakKind::ALL
                .iter()
                .map(|k| k.name())
                .collect()
        )
    );
    assert_eq!(
        enum_at("audit-record.json", "/$defs/audit_code"),
        names(AuditCode::ALL.iter().map(|c| c.as_str()).collect())
    );
    assert_eq!(
        enum_at("error.json", "/$defs/kind"),
        names(
            mmjwt::error::ErrorKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect()
        )
    );
    // The SDK codes are problem codes.
    for c in enum_at("check.json", "/$defs/sdk_code") {
        assert!(Code::from_name(&c).is_some(), "{c}");
    }
    // The sandbox's own messageIds: the constants of `message_id` in crates/wire/src/sandbox/api.rs.
    let api = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/wire/src/sandbox/api.rs"),
    )
    .unwrap();
    let module = api
        .split("pub mod message_id {")
        .nth(1)
        .and_then(|rest| rest.split("\n}\n").next())
        .expect("crates/wire/src/sandbox/api.rs has its message_id module");
    let re = regex::Regex::new(r#"const [A-Z_]+: &str = "([^"]+)";"#).unwrap();
    let in_source: Vec<String> = re.captures_iter(module).map(|c| c[1].to_string()).collect();
    assert!(in_source.len() > 10, "{in_source:?}");
    assert_eq!(
        enum_at("sandbox-log.json", "/$defs/sandbox_message_id"),
        in_source
    );
}

// ---------------------------------------------------------------- check

fn check_json(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut c = mmjwt();
    c.args(["--json", "check", "--now", "1700000030"])
        .args(args);
    if let Some(s) = stdin {
        c.write_stdin(s);
    }
    c.output().unwrap()
}

#[test]
fn check_outputs_fit_check_json() {
    let valid = token(1_700_000_000, 1_700_000_900);
    let expired = token(1_700_000_000, 1_700_000_010);
    let alg_none = format!(
        "{}.{}.",
        crate::support::b64(r#"{"alg":"none","typ":"JWT"}"#),
        crate::support::b64(&crate::support::payload("u", 1_700_000_000, 1_700_000_900))
    );
    let millis = token(1_700_000_000_000, 1_700_000_900_000);
    // nbf, aud, a key reference and an iss that differs: optional times and several warnings.
    let busy = signed(
        r#"{"alg":"HS256","typ":"JWT","kid":"test-key-id","jku":"https://x.example/k"}"#,
        r#"{"typ":"Bearer","sub":"s","infobip-api-key":"test-app-code","iat":1700000000,"exp":1700000050,"jti":"j","nbf":1700000000,"aud":"a","iss":"other"}"#,
    );
    let wrong_secret = SECRET_HEX.replace('0', "1");
    let prefixed = format!("Bearer {valid}");
    let spaced = format!(" {valid}");
    let cases: Vec<(Vec<&str>, u8)> = vec![
        (vec![&valid, "--secret", SECRET_HEX], 0),
        (vec![&valid], 0),
        (
            vec![&expired, "--secret", SECRET_HEX, "--sdk", "android"],
            11,
        ),
        (vec![&expired, "--sdk", "ios", "--plugin", "all"], 11),
        (vec![&expired, "--plugin", "flutter,cordova"], 11),
        (vec!["not-a-token", "--plugin", "react-native"], 10),
        (vec![&alg_none, "--sdk", "both"], 10),
        (vec![&alg_none, "--sdk", "android"], 10),
        (vec![&valid, "--secret", &wrong_secret], 12),
        (vec![&valid, "--require-signature"], 14),
        (
            vec![&valid, "--user-id", "someone-else", "--secret", SECRET_HEX],
            13,
        ),
        (vec![&millis], 13),
        (vec![&prefixed], 0),
        (vec![&spaced, "--exact"], 10),
        (vec![&busy, "--secret", SECRET_HEX], 0),
        // The empty token: both SDKs' verdicts plus each plugin's setter and init paths.
        (vec!["--exact", ""], 10),
        (vec!["--exact", "", "--sdk", "ios"], 10),
    ];
    let mut outputs = Vec::new();
    for (args, exit) in cases {
        let out = check_json(&args, None);
        assert_eq!(out.status.code(), Some(i32::from(exit)), "{args:?}");
        let v = one(&out);
        assert_fits("check.json", &v, TOKEN_DATA);
        outputs.push(v);
    }
    assert_covers(
        &outputs,
        &[
            "/header",
            "/claims",
            "/times/iat/rfc3339",
            "/times/exp/relative",
            "/times/nbf/unix",
            "/sdk/android/code",
            "/sdk/android/message",
            "/sdk/android/legacy_code",
            "/sdk/android/plugins/flutter/message",
            "/sdk/android/plugins/react_native/description",
            "/sdk/android/plugins/cordova/code",
            "/sdk/ios/plugins/flutter/details",
            "/sdk/ios/plugins/react_native/domain",
            "/sdk/ios/plugins/cordova/domain",
            "/sdk/android/empty_token/flutter/setter/older/error/details",
            "/sdk/android/empty_token/react_native/init/error/code",
            "/sdk/ios/empty_token/cordova/setter/since",
            "/sdk/ios/empty_token/react_native/init/outcome",
            "/sdk/ios/empty_token/flutter/init/error/message",
            "/checks/*/detail",
            "/problems/*/source",
            "/warnings/*/code",
            "/input/notes/*",
        ],
    );
}

#[test]
fn batch_check_lines_fit_check_json() {
    let valid = token(1_700_000_000, 1_700_000_900);
    let expired = token(1_700_000_000, 1_700_000_010);
    let input = format!("{valid}\n{expired}\nBearer {valid}\nx.y\n{REFERENCE_TOKEN}\n");
    for extra in [
        &[][..],
        &["--secret", SECRET_HEX][..],
        &["--sdk", "ios"][..],
    ] {
        let mut args = vec!["-"];
        args.extend(extra);
        let out = check_json(&args, Some(&input));
        let all = lines(&out);
        assert_eq!(all.len(), 5, "{args:?}");
        for (i, v) in all.iter().enumerate() {
            assert_eq!(v["input"]["line"], i + 1);
            assert_fits("check.json", v, TOKEN_DATA);
        }
        assert_covers(&all, &["/input/line", "/problems/*/code"]);
    }
}

// ---------------------------------------------------------------- gen, keygen, errors

#[test]
fn gen_outputs_fit_gen_json() {
    let out = mmjwt_with_creds()
        .args(["--json", "gen", "--user-id", "alice"])
        .output()
        .unwrap();
    assert_fits("gen.json", &one_ok(&out), &["claims"]);
    // Custom claims are the user's own members; --no-iss leaves iss out.
    let out = mmjwt_with_creds()
        .args(["--json", "gen", "--user-id", "bob", "--no-iss"])
        .args(["--claim", "plan=gold", "--claim", "nested:={\"a\":[1]}"])
        .output()
        .unwrap();
    let v = one_ok(&out);
    assert!(v["claims"].get("iss").is_none());
    assert_fits("gen.json", &v, &["claims"]);
    // Batch: one object per line.
    gen_batch_fits(&[], "alice\nbob\nŽeljko\n", 3);
}

/// `--json gen --user-id -` plus `extra` over `users`, one a line: `n` lines, each fitting
/// gen.json.
fn gen_batch_fits(extra: &[&str], users: &str, n: usize) {
    let out = mmjwt_with_creds()
        .args(["--json", "gen", "--user-id", "-"])
        .args(extra)
        .write_stdin(users)
        .output()
        .unwrap();
    let all = lines(&out);
    assert_eq!(all.len(), n);
    for v in &all {
        assert_fits("gen.json", v, &["claims"]);
    }
}

#[test]
fn gen_break_outputs_fit_gen_json() {
    use mmjwt::token::breakage::BreakKind;
    for kind in BreakKind::ALL {
        let v = crate::support::gen_break_json(kind.name(), &["--plugin", "all"]);
        assert_fits("gen.json", &v, &["claims"]);
        // Only `structure` may lack jti: the same object without it does not fit otherwise.
        let mut without = v.clone();
        without["claims"]
            .as_object_mut()
            .unwrap()
            .shift_remove("jti");
        assert_eq!(
            violation("gen.json", &without).is_none(),
            kind == BreakKind::Structure,
            "{kind:?}"
        );
    }
    // A batch: one object per line, each with its prediction.
    gen_batch_fits(&["--break", "signature"], "alice\nbob\n", 2);
}

#[test]
fn gen_from_output_fits_gen_from_json() {
    let token = crate::support::signed(
        crate::support::HEADER,
        &crate::support::payload("alice", 1_700_000_000, 4_102_444_800),
        &test_key(),
    );
    // Edits of every kind, a prefix noted, and a problem let through.
    let out = mmjwt()
        .env("MMJWT_SECRET", SECRET_HEX)
        .args(["--json", "gen", "--from", &format!("Bearer {token}")])
        .args(["--key-id", "k2", "--claim", "plan=pro", "--user-id", "bob"])
        .args([
            "--exp",
            "1699999999",
            "--now",
            "1700000000",
            "--allow-expired",
        ])
        .output()
        .unwrap();
    let v = one_ok(&out);
    assert!(!v["notes"].as_array().unwrap().is_empty());
    assert!(!v["problems"].as_array().unwrap().is_empty());
    assert!(v["changes"].as_array().unwrap().len() >= 3);
    assert_fits("gen-from.json", &v, &["header", "claims"]);
    // A token without a usable exp: expires_at is null.
    let token = crate::support::signed(
        crate::support::HEADER,
        r#"{"typ":"Bearer","sub":"a","infobip-api-key":"c","iat":1,"exp":"soon","jti":"j"}"#,
        &test_key(),
    );
    let out = mmjwt()
        .env("MMJWT_SECRET", SECRET_HEX)
        .args(["--json", "gen", "--from", &token, "--exp", "4102444800"])
        .output()
        .unwrap();
    let v = one(&out);
    assert_eq!(v["expires_at"], "2100-01-01T00:00:00Z");
    assert_fits("gen-from.json", &v, &["header", "claims"]);
    // --break: every kind's `break` member, shaped as gen's (one definition in gen.json).
    let token = crate::support::signed(
        crate::support::HEADER,
        &crate::support::payload("alice", 1_700_000_000, 4_102_444_800),
        &test_key(),
    );
    for kind in mmjwt::token::breakage::BreakKind::ALL {
        let out = mmjwt()
            .env("MMJWT_SECRET", SECRET_HEX)
            .args(["--json", "gen", "--from", &token, "--user-id", "bob"])
            .args(["--break", kind.name(), "--plugin", "all"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{kind:?}: {out:?}");
        let v = one(&out);
        assert_eq!(v["break"]["kind"], kind.name());
        assert_fits("gen-from.json", &v, &["header", "claims"]);
        // The member is held to gen.json's definition: a kind that is not one does not fit.
        let mut wrong = v.clone();
        wrong["break"]["kind"] = json!("nope");
        assert!(violation("gen-from.json", &wrong).is_some(), "{kind:?}");
    }
}

#[test]
fn keygen_output_fits_keygen_json() {
    let out = mmjwt().args(["--json", "keygen"]).output().unwrap();
    assert!(out.status.success());
    assert_fits("keygen.json", &one(&out), &[]);
    let out = mmjwt()
        .args(["keygen", "--json", "--prefix", "ci"])
        .output()
        .unwrap();
    assert_fits("keygen.json", &one(&out), &[]);
}

#[test]
fn issuer_list_fits_issuer_list_json() {
    let out = mmjwt().args(["--json", "issuer", "list"]).output().unwrap();
    assert!(out.status.success());
    assert_fits("issuer-list.json", &one(&out), &[]);
}

#[test]
fn man_dir_output_fits_man_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = mmjwt()
        .args(["man", "--json", "--dir"])
        .arg(dir.path().join("man1"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v = one(&out);
    assert_fits("man.json", &v, &[]);
    // Every path it names was written.
    for page in v["pages"].as_array().unwrap() {
        assert!(
            Path::new(page.as_str().unwrap()).is_file(),
            "{page} not written"
        );
    }
}

#[test]
fn error_objects_fit_error_json() {
    let dir = tempfile::tempdir().unwrap();
    let bad_secret = dir.path().join("secret.hex");
    std::fs::write(&bad_secret, "not hex").unwrap();
    let missing = dir.path().join("missing.txt");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["check".into(), "--leeway".into(), "3x".into(), "t".into()],
            "usage",
        ),
        (vec!["gen".into()], "usage"),
        (vec!["no-such-command".into()], "usage"),
        (
            vec![
                "gen".into(),
                "--user-id".into(),
                "a".into(),
                "--app-code".into(),
                "a".into(),
                "--key-id".into(),
                "k".into(),
                "--secret-file".into(),
                bad_secret.display().to_string(),
            ],
            "secret",
        ),
        (
            vec![
                "check".into(),
                REFERENCE_TOKEN.into(),
                "--secret-file".into(),
                missing.display().to_string(),
            ],
            "secret",
        ),
        (
            vec![
                "sandbox".into(),
                "--listen".into(),
                "127.0.0.1:0".into(),
                "--state".into(),
                missing.join("state.json").display().to_string(),
            ],
            "state",
        ),
        (
            // An address of no interface of this machine (TEST-NET-1): the sandbox, not its
            // state, cannot start.
            vec!["sandbox".into(), "--listen".into(), "192.0.2.1:0".into()],
            "sandbox",
        ),
    ];
    for (args, kind) in cases {
        let out = mmjwt_with_creds()
            .arg("--json")
            .args(&args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        let v = one(&out);
        assert_eq!(v["error"]["kind"], kind, "{args:?}");
        assert_eq!(
            v["error"]["exit_code"],
            out.status.code().unwrap(),
            "{args:?}"
        );
        assert_fits("error.json", &v, &[]);
    }
}

// ---------------------------------------------------------------- replay

#[test]
fn replay_outputs_fit_their_schemas() {
    let mut outputs = Vec::new();
    // One call to the embedded sandbox, for each call and SDK.
    for (call, sdk) in [
        ("personalize", "android"),
        ("fetch-user", "ios"),
        ("patch-user", "android"),
    ] {
        let mut c = mmjwt_with_creds();
        c.args(["--json", "replay", call, "--user-id", "alice", "--sdk", sdk]);
        if call == "patch-user" {
            c.args([
                "--data",
                r#"{"firstName":"Alice","customAttributes":{"vip":true}}"#,
            ]);
        }
        let out = c.output().unwrap();
        let v = one(&out);
        assert_eq!(v["sent"], true, "{v}");
        assert_fits("replay.json", &v, HTTP_DATA);
        outputs.push(v);
    }
    // A preflight refusal: nothing sent.
    let out = mmjwt_with_creds()
        .args([
            "--json",
            "replay",
            "personalize",
            "--user-id",
            "alice",
            "--ttl",
            "0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(11));
    let v = one(&out);
    assert_eq!(v["preflight"]["status"], "refused");
    assert_fits("replay.json", &v, HTTP_DATA);
    outputs.push(v);
    // App authorization: no preflight.
    let out = mmjwt_with_creds()
        .args(["--json", "replay", "fetch-user", "--app-auth"])
        .output()
        .unwrap();
    let v = one(&out);
    assert_eq!(v["preflight"]["status"], "not-applicable", "{v}");
    assert_fits("replay.json", &v, HTTP_DATA);
    // Sent past the preflight: the sandbox's error envelope.
    let expired = token(1_700_000_000, 1_700_000_010);
    let out = mmjwt_with_creds()
        .args([
            "--json",
            "replay",
            "fetch-user",
            "--token",
            &expired,
            "--no-preflight",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let v = one(&out);
    assert_eq!(v["preflight"]["status"], "skipped", "{v}");
    assert!(v["response"]["service_exception"].is_object(), "{v}");
    assert_fits("replay.json", &v, HTTP_DATA);
    outputs.push(v);
    // A network failure: a port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let out = mmjwt_with_creds()
        .args(["--json", "replay", "fetch-user", "--user-id", "a"])
        .args([
            "--base-url",
            &base,
            "--push-reg-id",
            "r1",
            "--timeout",
            "2s",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let v = one(&out);
    assert!(v["error"].is_object(), "{v}");
    assert_fits("replay.json", &v, HTTP_DATA);
    outputs.push(v);
    // --dry-run and --curl send nothing.
    let out = mmjwt_with_creds()
        .args([
            "--json",
            "replay",
            "personalize",
            "--user-id",
            "a",
            "--dry-run",
        ])
        .args(["--base-url", &base, "--push-reg-id", "r1"])
        .output()
        .unwrap();
    let v = one(&out);
    assert_eq!(v["sent"], false);
    assert_fits("replay.json", &v, HTTP_DATA);
    outputs.push(v);
    // User-data refusals (exit 15), one per SDK.
    for (call, sdk, data) in [
        (
            "patch-user",
            "android",
            r#"{"middleName":"123456789012345678901234567890123456789012345678901"}"#,
        ),
        (
            "personalize",
            "ios",
            r#"{"userIdentity":{"emails":[{"address":"EMAIL"}]}}"#,
        ),
    ] {
        let out = mmjwt_with_creds()
            .args(["--json", "replay", call, "--user-id", "alice", "--sdk", sdk])
            .args(["--data", &data.replace("EMAIL", &"e".repeat(256))])
            .args(["--plugin", "all"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(15),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v = one(&out);
        assert_eq!(v["preflight"]["check"], "user-data", "{v}");
        assert_fits("replay.json", &v, HTTP_DATA);
        outputs.push(v);
    }
    assert_covers(
        &outputs,
        &[
            "/preflight/code",
            "/preflight/message",
            "/preflight/check",
            "/preflight/problems",
            "/preflight/description",
            "/plugins/flutter/details",
            "/plugins/react_native/code",
            "/plugins/react_native/domain",
            "/plugins/cordova/description",
            "/request/body",
            "/request/headers/Authorization",
            "/response/body",
            "/response/headers/content-type",
            "/response/service_exception/messageId",
            "/response/service_exception/text",
            "/elapsed_ms",
            "/error/kind",
            "/error/message",
        ],
    );
    let out = mmjwt_with_creds()
        .args([
            "--json",
            "replay",
            "personalize",
            "--user-id",
            "a",
            "--curl",
        ])
        .args(["--base-url", &base, "--push-reg-id", "r1"])
        .output()
        .unwrap();
    assert_fits("replay-curl.json", &one(&out), &[]);
}

#[test]
fn replay_batch_lines_and_summary_fit_their_schemas() {
    let out = mmjwt_with_creds()
        .args(["--json", "replay", "personalize", "--users", "-"])
        .args(["--concurrency", "2"])
        .write_stdin("alice\nbob\n\ncarol\n")
        .output()
        .unwrap();
    let mut all = lines(&out);
    assert_eq!(all.len(), 4, "three calls and the summary");
    let summary = all.pop().unwrap();
    for v in &all {
        assert!(v["line"].is_u64() && v["user_id"].is_string(), "{v}");
        assert_fits("replay.json", v, HTTP_DATA);
    }
    assert!(summary["summary"]["latency_ms"].is_object());
    assert_fits("replay-summary.json", &summary, &[]);
    // Refused by the preflight: nothing sent, no latencies, a count by refusal.
    let out = mmjwt_with_creds()
        .args([
            "--json",
            "replay",
            "fetch-user",
            "--users",
            "-",
            "--ttl",
            "0",
        ])
        .write_stdin("alice\nbob\n")
        .output()
        .unwrap();
    let mut all = lines(&out);
    let summary = all.pop().unwrap();
    assert!(summary["summary"]["latency_ms"].is_null(), "{summary}");
    assert_fits("replay-summary.json", &summary, &[]);
    for v in &all {
        assert_fits("replay.json", v, HTTP_DATA);
    }
    let mut summaries = vec![summary];
    // Sent past the preflight (401 with a messageId), and to a port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nobody = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    for where_ in [&[][..], &["--base-url", &nobody, "--push-reg-id", "r1"][..]] {
        let out = mmjwt_with_creds()
            .args(["--json", "replay", "fetch-user", "--users", "-"])
            .args(["--ttl", "0", "--no-preflight", "--timeout", "2s"])
            .args(where_)
            .write_stdin("alice\nbob\n")
            .output()
            .unwrap();
        let mut all = lines(&out);
        let summary = all.pop().unwrap();
        assert_fits("replay-summary.json", &summary, &[]);
        for v in &all {
            assert_fits("replay.json", v, HTTP_DATA);
        }
        summaries.push(summary);
    }
    assert_covers(
        &summaries,
        &[
            "/summary/by_status/401",
            "/summary/by_message_id/JWT_TOKEN_EXPIRED",
            "/summary/network_errors/refused",
            "/summary/preflight_refused/JWT_TOKEN_EXPIRED",
        ],
    );
    // --curl in a batch: {line, curl} lines (no summary: nothing is sent).
    let out = mmjwt_with_creds()
        .args(["--json", "replay", "fetch-user", "--users", "-", "--curl"])
        .args(["--base-url", "http://127.0.0.1:9", "--push-reg-id", "r1"])
        .write_stdin("alice\nbob\n")
        .output()
        .unwrap();
    let all = lines(&out);
    assert_eq!(all.len(), 2);
    for v in &all {
        assert!(v["line"].is_u64(), "{v}");
        assert_fits("replay-curl.json", v, &[]);
    }
}

// ---------------------------------------------------------------- audit

#[test]
fn audit_records_and_summary_fit_their_schemas() {
    let bin = env!("CARGO_BIN_EXE_mmjwt");
    let good = format!("'{bin}' gen --user-id {{user}} --app-code {APP} --key-id {KID}");
    // A short lifetime (an audit finding and a warning), and an issuer that fails.
    let short = format!("'{bin}' gen --ttl 10s --app-code {APP} --key-id {KID} --user-id {{user}}");
    // An HTTP issuer: a 500 for one user, a token with a `Bearer ` prefix (a hint) for the
    // other.
    let now = mmjwt::time::now_unix();
    let prefixed = format!("Bearer {}", token(now, now + 900));
    let server = crate::support::http::Server::start(move |hit| {
        if hit.path.contains("alice") {
            crate::support::http::Reply::json(500, r#"{"error":"boom"}"#)
        } else {
            crate::support::http::Reply::json(200, &json!({ "token": prefixed }).to_string())
        }
    });
    let url = format!("{}/token/{{user}}", server.url);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let unreachable = format!("http://{}/t/{{user}}", closed.local_addr().unwrap());
    drop(closed);
    let cases: Vec<Vec<&str>> = vec![
        vec!["--exec", &good, "--app-code", APP, "--key-id", KID],
        vec!["--exec", &short, "--sdk", "ios"],
        vec!["--exec", "false {user}"],
        vec!["--url", &url],
        vec!["--url", &url, "--json-pointer", "/token"],
        vec!["--url", &unreachable, "--timeout", "2s"],
    ];
    let (mut records, mut summaries) = (Vec::new(), Vec::new());
    for args in cases {
        let out = mmjwt_with_creds()
            .args(["--json", "audit", "--users", "-", "--repeat", "2"])
            .args(&args)
            .write_stdin("alice\nŽeljko Šimić\n")
            .output()
            .unwrap();
        let mut all = lines(&out);
        assert_eq!(all.len(), 5, "{args:?}: four fetches and the summary");
        let summary = all.pop().unwrap();
        assert_eq!(summary["summary"]["exit_code"], out.status.code().unwrap());
        assert_fits("audit-summary.json", &summary, &[]);
        for v in &all {
            assert_fits("audit-record.json", v, TOKEN_DATA);
        }
        records.extend(all);
        summaries.push(summary);
    }
    assert_covers(
        &records,
        &[
            "/issuer/status",
            "/token/origin",
            "/clock_offset_s",
            "/lifetime_s",
            "/check/schema",
            "/findings/*/source",
            "/hints/*",
        ],
    );
    assert!(
        records.iter().any(|r| r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["source"] == "audit" && f["code"] != "ISSUER_FAILED")),
        "an audit rule's finding on a token"
    );
    for origin in ["text", "JSON member token", "JSON pointer /token"] {
        assert!(
            records.iter().any(|r| r["token"]["origin"] == origin),
            "{origin}"
        );
    }
    assert!(
        summaries
            .iter()
            .any(|s| s["summary"]["unreachable"] == true),
        "an unreachable issuer"
    );
    assert_covers(
        &summaries,
        &[
            "/summary/by_code",
            "/summary/warnings_by_code",
            "/summary/rules/*/findings/*/message",
            "/summary/rules/*/findings/*/attempts/*/user",
            "/summary/clock_offset_s/min",
            "/summary/lifetime_s/max",
        ],
    );
}

// ---------------------------------------------------------------- the sandbox's log

#[test]
fn sandbox_json_log_lines_fit_sandbox_log_json() {
    let key = format!("{KID}={SECRET_HEX}");
    // `--json` makes the log JSON too, unless --log-format says otherwise.
    for log in [&["--log-format", "json"][..], &["--json"][..]] {
        let mut args = vec!["--app-code", APP, "--key", &key];
        args.extend(log);
        sandbox_log_fits(&args);
    }
}

fn sandbox_log_fits(args: &[&str]) {
    let run = Running::start(args, &[]);
    let replay = |args: &[&str]| {
        let out = mmjwt_with_creds()
            .arg("replay")
            .args(args)
            .args(["--base-url", &run.url, "--push-reg-id", "r1"])
            .output()
            .unwrap();
        assert!(
            [Some(0), Some(4)].contains(&out.status.code()),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    replay(&["personalize", "--user-id", "ext-user-1"]);
    replay(&["fetch-user", "--user-id", "ext-user-1"]);
    replay(&["fetch-user", "--user-id", "other"]);
    replay(&["fetch-user", "--token", "a.b.c", "--no-preflight"]);
    replay(&["fetch-user", "--app-auth"]);
    run.signal("TERM");
    let (_, stderr) = run.finish();
    let logged: Vec<Value> = stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(logged.len() >= 5, "{args:?}: {stderr}");
    assert_covers(&logged, &["/sub", "/messageId", "/reason"]);
    for v in &logged {
        assert_fits("sandbox-log.json", v, &[]);
    }
}

// ---------------------------------------------------------------- the page's API

async fn start_ui() -> Sandbox {
    let mut c = Config::new(Mode::JwtOnly, APP).with_key(KID, test_key());
    c.extension = Some(mmjwt::ui::routes);
    Sandbox::start(c, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap()
}

fn client() -> reqwest::Client {
    crate::support::http_client()
}

/// POSTs `body` (checked against `request_schema` first) to the API: status and JSON answer.
async fn post(sb: &Sandbox, call: &str, request_schema: &str, body: &Value) -> (u16, Value) {
    if let Some(why) = violation(request_schema, body) {
        panic!("{request_schema}: the request does not fit: {why}\n{body}");
    }
    post_raw(sb, call, "application/json", &body.to_string()).await
}

async fn post_raw(sb: &Sandbox, call: &str, content_type: &str, body: &str) -> (u16, Value) {
    page_api::post_json(sb, call, content_type, None, body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_api_bodies_fit_their_schemas() {
    let sb = start_ui().await;
    let mut events = client()
        .get(format!("{}/_mmjwt/api/events", sb.url()))
        .send()
        .await
        .unwrap();
    // gen
    let (s, g) = post(
        &sb,
        "gen",
        "api-gen-request.json",
        &json!({"user_id": "carol"}),
    )
    .await;
    assert_eq!(s, 200);
    assert_fits("api-gen-response.json", &g, &["claims"]);
    let (s, g2) = post(
        &sb,
        "gen",
        "api-gen-request.json",
        &json!({"user_id": "dave", "secret": SECRET_HEX, "app_code": APP, "key_id": KID,
                "ttl": "30s", "now": 1_700_000_000, "jti": "j-1", "no_iss": true,
                "claims": {"plan": "gold"}, "allow_expired": true}),
    )
    .await;
    assert_eq!(s, 200, "{g2}");
    assert_fits("api-gen-response.json", &g2, &["claims"]);
    // gen with break: the prediction beside gen's members, for every kind
    for kind in [
        "expired",
        "structure",
        "signature",
        "user",
        "app-code",
        "kid",
    ] {
        let (s, b) = post(
            &sb,
            "gen",
            "api-gen-request.json",
            &json!({"user_id": "erin", "break": kind}),
        )
        .await;
        assert_eq!(s, 200, "{kind}: {b}");
        assert_eq!(b["break"]["kind"], kind, "{b}");
        assert_fits("api-gen-response.json", &b, &["claims"]);
    }
    let token = g["token"].as_str().unwrap().to_string();
    // resign: a token, and each way of refusing the texts
    let (s, r) = post(
        &sb,
        "resign",
        "api-resign-request.json",
        &json!({"header": g["header"].to_string(), "claims": g["claims"].to_string(),
                "sandbox_key": true, "secret": null}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert_fits("api-resign-response.json", &r, &[]);
    for (header, claims) in [("{", "{}"), ("{}", "[1]"), ("{}", r#"{"a":1,"a":2}"#)] {
        let (s, e) = post(
            &sb,
            "resign",
            "api-resign-request.json",
            &json!({"header": header, "claims": claims, "secret": SECRET_HEX}),
        )
        .await;
        assert_eq!((s, e["error"]["kind"].as_str()), (400, Some("json")), "{e}");
        assert_fits("api-error.json", &e, &[]);
    }
    // check
    for body in [
        json!({"token": token, "sandbox_key": true, "user_id": "carol"}),
        json!({"token": token, "secret": SECRET_HEX, "app_code": APP, "key_id": KID,
               "now": "2030-01-01T00:00:00Z", "leeway": "1m", "exact": true}),
        json!({"token": "nope"}),
    ] {
        let (s, c) = post(&sb, "check", "api-check-request.json", &body).await;
        assert_eq!(s, 200, "{c}");
        assert_fits("api-check-response.json", &c, TOKEN_DATA);
    }
    // replay
    for body in [
        json!({"call": "personalize", "sdk": "ios", "token": token}),
        json!({"call": "patch-user", "sdk": "android", "token": token,
               "data": {"firstName": "Carol"}, "push_reg_id": "reg-1", "installation_id": "i-1"}),
        json!({"call": "fetch-user", "sdk": "android", "app_auth": true}),
        json!({"call": "personalize", "sdk": "android", "token": token,
               "data": {"userIdentity": {"emails": [{"address": "c@example.com"}],
                                         "phones": [{"number": "41793026727"}]},
                        "userAttributes": {"firstName": "Carol", "tags": ["t"],
                                           "customAttributes": {"vip": true}}},
               "force_depersonalize": true, "keep_as_lead": false,
               "set_device_as_primary": true}),
        json!({"call": "fetch-user", "sdk": "ios", "token": token, "now": 4_000_000_000_i64,
               "preflight": true, "exact": false}),
    ] {
        let (s, r) = post(&sb, "replay", "api-replay-request.json", &body).await;
        assert_eq!(s, 200, "{r}");
        assert_fits("api-replay-response.json", &r, HTTP_DATA);
    }
    // state
    let r = client()
        .get(format!("{}/_mmjwt/api/state", sb.url()))
        .send()
        .await
        .unwrap();
    let state: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_covers(
        std::slice::from_ref(&state),
        &[
            "/persons/*/externalUserId",
            "/persons/*/firstName",
            "/persons/*/emails/*/address",
            "/persons/*/phones/*/number",
            "/persons/*/tags/*",
            "/persons/*/customAttributes",
            "/installations/*/pushRegId",
            "/explain/header/*",
        ],
    );
    assert_fits("api-state-response.json", &state, &["customAttributes"]);
    // errors: unknown member, bad secret, wrong content type, wrong method
    let (s, e) = post_raw(
        &sb,
        "check",
        "application/json",
        r#"{"token":"t","extra":1}"#,
    )
    .await;
    assert_eq!(s, 400);
    assert_fits("api-error.json", &e, &[]);
    let (s, e) = post(
        &sb,
        "check",
        "api-check-request.json",
        &json!({"token": "t", "secret": "zz"}),
    )
    .await;
    assert_eq!((s, e["error"]["kind"].as_str()), (400, Some("secret")));
    assert_fits("api-error.json", &e, &[]);
    let (s, e) = post_raw(&sb, "gen", "text/plain", "{}").await;
    assert_eq!(s, 415);
    assert_fits("api-error.json", &e, &[]);
    let r = client()
        .delete(format!("{}/_mmjwt/api/check", sb.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert_fits(
        "api-error.json",
        &serde_json::from_str(&r.text().await.unwrap()).unwrap(),
        &[],
    );
    // events: each data line is a log line
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !seen.contains("/_mmjwt/api/state") {
        let chunk = tokio::time::timeout_at(deadline, events.chunk())
            .await
            .expect("events within 10 s")
            .unwrap()
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let logged: Vec<Value> = seen
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(logged.len() >= 8, "{seen}");
    for v in &logged {
        assert_fits("sandbox-log.json", v, &[]);
    }
    drop(events);
    sb.shutdown().await.unwrap();
}

/// The request schemas say what the API admits: a member it does not know fails both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_schemas_and_the_api_refuse_the_same_unknown_member() {
    let sb = start_ui().await;
    for (call, schema, body) in [
        ("check", "api-check-request.json", json!({"token": "t"})),
        ("gen", "api-gen-request.json", json!({"user_id": "u"})),
        (
            "resign",
            "api-resign-request.json",
            json!({"header": "{}", "claims": "{}", "sandbox_key": false}),
        ),
        (
            "replay",
            "api-replay-request.json",
            json!({"call": "fetch-user", "sdk": "ios", "app_auth": true}),
        ),
    ] {
        assert_fits(schema, &body, &["data", "claims"]);
        let mut extra = body.clone();
        extra[EXTRA] = json!(true);
        let (s, e) = post_raw(&sb, call, "application/json", &extra.to_string()).await;
        assert_eq!(s, 400, "{call}: {e}");
        assert!(
            e["error"]["message"].as_str().unwrap().contains(EXTRA),
            "{e}"
        );
    }
    sb.shutdown().await.unwrap();
}
