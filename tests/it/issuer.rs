//! `mmjwt issuer`: the stack table and its files (`list`, `code`), the local token endpoint
//! (`serve`: `audit --url` passes against it, every refusal, a log without tokens or secrets),
//! and each stack verified with its real library: the files `issuer code --out` writes, built
//! as the stack says, audited with `mmjwt audit --exec` over the built-in battery and generated
//! ids, and refusing malformed hex.
//!
//! The stacks' toolchains and libraries come from `.ci/issuers-setup` (Debian packages, and a
//! cache of the PyPI, npm and crates.io installs at `$MMJWT_ISSUERS_CACHE`, default
//! `/var/cache/mmjwt-ci/issuers`). A stack whose toolchain is missing prints SKIPPED with the
//! way to install it and passes, except under `CI=true`, where it fails.

use crate::support::{SECRET_HEX, mmjwt, raw_exchange, sandbox_process::Running};
use std::path::{Path, PathBuf};
use std::process::Command;

const APP_CODE: &str = "issuer-test-app";
const KEY_ID: &str = "issuer-test-kid";

// ---------------------------------------------------------------------------------------------
// list and code

#[test]
fn list_json_names_every_stack_with_its_version_and_commands() {
    let out = mmjwt().args(["--json", "issuer", "list"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let stacks = v["stacks"].as_array().unwrap();
    let ids: Vec<&str> = stacks
        .iter()
        .map(|s| s["stack"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        mmjwt::issuer::STACKS
            .iter()
            .map(|s| s.stack)
            .collect::<Vec<_>>()
    );
    for s in stacks {
        for key in ["language", "library", "version", "main", "run"] {
            assert!(!s[key].as_str().unwrap().is_empty(), "{s}: {key}");
        }
        assert!(s["run"].as_str().unwrap().contains("{user}"));
        assert_eq!(s["files"][0], s["main"]);
        let keys: Vec<&String> = s.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "stack", "language", "library", "version", "note", "main", "files", "install",
                "run"
            ]
        );
    }
    let text = mmjwt().args(["issuer", "list"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("go-golang-jwt") && text.contains("4.4.3"),
        "{text}"
    );
}

#[test]
fn the_list_schema_holds_what_list_json_writes() {
    // The schema file names every member list --json writes, and requires them all.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema/issuer-list.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let stack = &schema["$defs"]["stack"];
    assert_eq!(stack["additionalProperties"], false);
    let out = mmjwt().args(["--json", "issuer", "list"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let written: Vec<String> = v["stacks"][0]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let mut declared: Vec<String> = stack["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let mut required: Vec<String> = stack["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    let mut sorted = written.clone();
    sorted.sort();
    declared.sort();
    required.sort();
    assert_eq!(declared, sorted);
    assert_eq!(required, sorted);
}

#[test]
fn code_prints_the_main_file_and_refuses_unknown_stacks() {
    let out = mmjwt().args(["issuer", "code", "php"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        mmjwt::issuer::find("php").unwrap().main_contents()
    );
    let out = mmjwt().args(["issuer", "code", "cobol"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("mmjwt: error: unknown stack \"cobol\""),
        "{err}"
    );
}

#[test]
fn code_out_writes_every_file_and_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("issuer");
    let stack = mmjwt::issuer::find("rust-jsonwebtoken").unwrap();
    let run = |force: bool| {
        let mut c = mmjwt();
        c.args(["issuer", "code", "rust-jsonwebtoken", "--out"])
            .arg(&out_dir);
        if force {
            c.arg("--force");
        }
        c.output().unwrap()
    };
    assert!(run(false).status.success());
    for f in stack.files {
        assert_eq!(
            std::fs::read_to_string(out_dir.join(f.path)).unwrap(),
            f.contents
        );
    }
    // One file changed by hand, one removed: a second write refuses and writes nothing.
    std::fs::write(out_dir.join("Cargo.toml"), "mine").unwrap();
    std::fs::remove_file(out_dir.join("src/main.rs")).unwrap();
    let again = run(false);
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8(again.stderr).unwrap();
    assert!(
        err.contains("exists; nothing was written (pass --force"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(out_dir.join("Cargo.toml")).unwrap(),
        "mine"
    );
    assert!(!out_dir.join("src/main.rs").exists());
    assert!(run(true).status.success());
    assert_eq!(
        std::fs::read_to_string(out_dir.join("Cargo.toml")).unwrap(),
        stack.files[1].contents
    );
    let names: Vec<String> = walk(&out_dir);
    assert_eq!(
        names.len(),
        stack.files.len(),
        "no temporary file is left: {names:?}"
    );
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// serve

fn creds() -> [(&'static str, &'static str); 3] {
    [
        ("MMJWT_APP_CODE", APP_CODE),
        ("MMJWT_KEY_ID", KEY_ID),
        ("MMJWT_SECRET", SECRET_HEX),
    ]
}

fn serve() -> (Running, u16) {
    let run = Running::spawn(
        &["issuer", "serve", "--listen", "127.0.0.1:0"],
        &creds(),
        |l| l.starts_with("mmjwt: issuer serve: listening on "),
    );
    let port = run
        .url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|r| r.strip_suffix("/token?user="))
        .unwrap_or_else(|| panic!("the first line is the token URL: {}", run.url))
        .parse()
        .unwrap();
    (run, port)
}

fn get(port: u16, target: &str, extra: &str) -> String {
    raw_exchange(
        ([127, 0, 0, 1], port).into(),
        format!(
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}Connection: close\r\n\r\n"
        )
        .as_bytes(),
    )
}

fn status_of(reply: &str) -> u16 {
    reply.split(' ').nth(1).unwrap().parse().unwrap()
}

fn body_of(reply: &str) -> serde_json::Value {
    serde_json::from_str(reply.split("\r\n\r\n").nth(1).unwrap()).unwrap()
}

#[test]
fn serve_passes_the_audit_and_refuses_what_it_must_without_logging_tokens() {
    let (run, port) = serve();
    let audit = mmjwt()
        .envs(creds())
        .args(["audit", "--require-signature", "--url"])
        .arg(format!("http://127.0.0.1:{port}/token?user={{user}}"))
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&audit.stdout);
    assert!(audit.status.success(), "{report}");
    assert!(report.contains("verdict  PASS"), "{report}");

    let ok = get(port, "/token?user=Jos%C3%A9", "");
    assert_eq!(status_of(&ok), 200, "{ok}");
    assert!(
        ok.to_ascii_lowercase()
            .contains("content-type: application/json")
    );
    assert!(
        !ok.to_ascii_lowercase().contains("access-control-"),
        "no CORS: {ok}"
    );
    let body = body_of(&ok);
    let token = body["token"].as_str().unwrap().to_string();
    assert!(body["exp"].is_i64());
    let check = mmjwt()
        .envs(creds())
        .args(["check", "--require-signature", "--user-id", "José", &token])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    let long = format!("/token?user={}", "x".repeat(257));
    let refusals = [
        (raw_exchange(
            ([127, 0, 0, 1], port).into(),
            format!("GET /token?user=a HTTP/1.1\r\nHost: rebound.example:{port}\r\nConnection: close\r\n\r\n").as_bytes(),
        ), 421, "host"),
        (get(port, "/token?user=a", "Origin: http://evil.example\r\n"), 403, "origin"),
        (raw_exchange(
            ([127, 0, 0, 1], port).into(),
            format!("POST /token?user=a HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes(),
        ), 405, "method"),
        (get(port, "/", ""), 404, "not-found"),
        (get(port, "/token", ""), 400, "user"),
        (get(port, "/token?user=", ""), 400, "user"),
        (get(port, &long, ""), 400, "user"),
    ];
    for (reply, status, kind) in &refusals {
        assert_eq!(status_of(reply), *status, "{reply}");
        assert_eq!(body_of(reply)["error"]["kind"], *kind, "{reply}");
        assert!(
            !reply.to_ascii_lowercase().contains("access-control-"),
            "{reply}"
        );
    }
    // HEAD is not GET here: the 405 of any other method, its length stated, no body.
    let head = raw_exchange(
        ([127, 0, 0, 1], port).into(),
        format!(
            "HEAD /token?user=a HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    );
    let post = &refusals[2].0;
    assert_eq!(status_of(&head), 405, "{head}");
    assert!(head.ends_with("\r\n\r\n"), "no body: {head}");
    let length = |reply: &str| {
        reply
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .map(str::to_owned)
    };
    let post_body = post.split("\r\n\r\n").nth(1).unwrap();
    assert_eq!(length(post), Some(post_body.len().to_string()), "{post}");
    // The text names the method; HEAD is as long as POST.
    assert_eq!(length(&head), length(post), "{head}");
    assert!(head.contains("\r\nallow: GET\r\n"), "{head}");
    run.signal("TERM");
    let (status, stderr) = run.finish();
    assert!(status.success(), "{stderr}");
    let requests: Vec<&str> = stderr
        .lines()
        .filter(|l| {
            l.starts_with("mmjwt: issuer serve: GET ")
                || l.starts_with("mmjwt: issuer serve: POST ")
        })
        .collect();
    // The audit's fetches (12 ids, twice), the good request and every refusal.
    assert_eq!(requests.len(), 24 + 1 + refusals.len(), "{stderr}");
    assert!(
        requests.contains(&"mmjwt: issuer serve: GET /token user=\"José\" 200"),
        "{stderr}"
    );
    assert!(
        requests.contains(&"mmjwt: issuer serve: GET /token user=- 421"),
        "{stderr}"
    );
    assert!(!stderr.contains(&token) && !stderr.contains(token.split('.').nth(2).unwrap()));
    assert!(!stderr.contains(SECRET_HEX), "{stderr}");
}

#[test]
fn serve_refuses_a_non_loopback_address_without_allow_remote() {
    let out = mmjwt()
        .envs(creds())
        .args(["issuer", "serve", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--allow-remote"), "{err}");
    let out = mmjwt()
        .args(["issuer", "serve", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "no credentials");
}

// ---------------------------------------------------------------------------------------------
// the stacks, verified with their real libraries

/// Where `.ci/issuers-setup` keeps the PyPI, npm and crates.io installs.
fn cache() -> PathBuf {
    std::env::var_os("MMJWT_ISSUERS_CACHE").map_or_else(
        || PathBuf::from("/var/cache/mmjwt-ci/issuers"),
        PathBuf::from,
    )
}

/// Generated user ids past the battery's: every Unicode plane, combining marks, right-to-left
/// text, leading and trailing spaces, 256-character ids. Deterministic (a fixed-seed
/// xorshift), so a failure names an id that comes back.
fn generated_ids(count: usize) -> Vec<String> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut ids: Vec<String> = vec![
        " leading".into(),
        "trailing ".into(),
        "  both  ".into(),
        "e\u{301}\u{302}\u{303} stacked marks".into(),
        "\u{5e9}\u{5dc}\u{5d5}\u{5dd} mixed \u{645}\u{631}\u{62d}\u{628}\u{627}".into(),
        "\u{202e}override\u{202c}".into(),
        "\u{200f}rlm\u{200e}lrm\u{feff}bom".into(),
        "x".repeat(256),
        "\u{e9}".repeat(256),
        "\u{1f600}".repeat(256),
        "\u{10ffff}\u{fffe}\u{ffff}".into(),
        "tab\tinside".into(),
    ];
    let mut plane = 0u32;
    while ids.len() < count {
        let len = 1 + (next() % 24) as usize;
        let mut s = String::new();
        while s.chars().count() < len {
            let c = plane * 0x1_0000 + (next() % 0x1_0000) as u32;
            // No C0 control (a line break would split the id) and no surrogate.
            if let Some(ch) = char::from_u32(c).filter(|c| *c >= ' ') {
                s.push(ch);
                if next() % 5 == 0 {
                    s.push('\u{301}');
                }
            }
        }
        if next() % 7 == 0 {
            s = format!(" {s} ");
        }
        ids.push(s);
        plane = (plane + 1) % 17;
    }
    ids
}

#[test]
fn the_generated_ids_cover_every_plane() {
    let ids = generated_ids(200);
    assert_eq!(ids.len(), 200);
    for plane in 0..17u32 {
        assert!(
            ids.iter()
                .any(|i| i.chars().any(|c| c as u32 >> 16 == plane)),
            "plane {plane}"
        );
    }
    assert!(
        ids.iter()
            .all(|i| !i.contains('\n') && !i.contains('\r') && !i.is_empty())
    );
}

/// Generated ids per stack beyond the built-in battery: enough to cover every plane several
/// times, few enough that the JVM and Ruby starts (one per id) keep all nine stacks within a
/// few minutes of CI on two cores.
const GENERATED: usize = 200;

/// How a stack is prepared and checked here.
struct Verify {
    stack: &'static str,
    /// The programs it needs.
    tools: &'static [&'static str],
    /// How to install what is missing.
    install: &'static str,
}

const VERIFY: &[Verify] = &[
    Verify {
        stack: "python-pyjwt",
        tools: &["python3"],
        install: ".ci/issuers-setup (a venv with PyJWT in the cache)",
    },
    Verify {
        stack: "node-jsonwebtoken",
        tools: &["node"],
        install: ".ci/issuers-setup (npm install into the cache)",
    },
    Verify {
        stack: "node-jose",
        tools: &["node"],
        install: ".ci/issuers-setup (npm install into the cache)",
    },
    Verify {
        stack: "php",
        tools: &["php"],
        install: "apt-get install php-cli",
    },
    Verify {
        stack: "java",
        tools: &["javac", "java"],
        install: "apt-get install openjdk-17-jdk-headless",
    },
    Verify {
        stack: "go-golang-jwt",
        tools: &["go", "dpkg"],
        install: "apt-get install golang-go golang-github-golang-jwt-jwt-dev",
    },
    Verify {
        stack: "ruby-jwt",
        tools: &["ruby"],
        install: "apt-get install ruby ruby-jwt",
    },
    Verify {
        stack: "csharp",
        tools: &["mcs", "mono", "env"],
        install: "apt-get install mono-mcs mono-runtime",
    },
    Verify {
        stack: "rust-jsonwebtoken",
        tools: &["cargo"],
        install: ".ci/issuers-setup (the crate built into the cache)",
    },
];

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
}

/// Runs a preparation step; `Err` with its output when it fails.
fn step(
    dir: &Path,
    env: &[(String, String)],
    program: &str,
    args: &[&str],
) -> Result<String, String> {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr))
    } else {
        Err(format!(
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Makes `dir` (the files `issuer code --out` wrote) runnable with the stack's `run`, and
/// checks the library is the version the table names. `Ok(env)` for the runs; `Err(Missing)`
/// when something is not installed; `Err(Broken)` when a step fails.
enum NotReady {
    Missing(String),
    Broken(String),
}

fn prepare(stack: &mmjwt::issuer::Stack, dir: &Path) -> Result<Vec<(String, String)>, NotReady> {
    use NotReady::{Broken, Missing};
    let cache = cache();
    let path = std::env::var("PATH").unwrap_or_default();
    let mut env: Vec<(String, String)> = vec![("LC_ALL".into(), "C.UTF-8".into())];
    let version_is = |found: &str, what: &str| {
        if found.trim().starts_with(stack.version) || found.contains(stack.version) {
            Ok(())
        } else {
            Err(Missing(format!(
                "{what} is {}, the code is verified with {}",
                found.trim(),
                stack.version
            )))
        }
    };
    match stack.stack {
        "python-pyjwt" => {
            let venv = cache.join("python-pyjwt/venv/bin");
            if !venv.join("python3").exists() {
                return Err(Missing(format!("no PyJWT venv at {}", venv.display())));
            }
            env.push(("PATH".into(), format!("{}:{path}", venv.display())));
            let v = step(
                dir,
                &env,
                "python3",
                &["-c", "import jwt; print(jwt.__version__)"],
            )
            .map_err(Broken)?;
            version_is(&v, "PyJWT")?;
        }
        "node-jsonwebtoken" | "node-jose" => {
            let lib = if stack.stack == "node-jose" {
                "jose"
            } else {
                "jsonwebtoken"
            };
            let modules = cache.join(stack.stack).join("node_modules");
            let manifest = modules.join(lib).join("package.json");
            let text = std::fs::read_to_string(&manifest)
                .map_err(|_| Missing(format!("no {lib} at {}", manifest.display())))?;
            let v: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| Broken(e.to_string()))?;
            version_is(v["version"].as_str().unwrap_or_default(), lib)?;
            std::os::unix::fs::symlink(&modules, dir.join("node_modules"))
                .map_err(|e| Broken(e.to_string()))?;
        }
        "php" => {
            let v = step(
                dir,
                &env,
                "php",
                &[
                    "-r",
                    "echo 'PHP ', PHP_MAJOR_VERSION, '.', PHP_MINOR_VERSION;",
                ],
            )
            .map_err(Broken)?;
            version_is(&v, "PHP")?;
        }
        "java" => {
            let v = step(dir, &env, "javac", &["-version"]).map_err(Broken)?;
            if !v.contains("javac 17") && !v.contains("javac 2") {
                return Err(Missing(format!("{} (JDK 17 or later needed)", v.trim())));
            }
            step(dir, &env, "javac", &["-d", "classes", "InfobipJwt.java"]).map_err(Broken)?;
        }
        "go-golang-jwt" => {
            let v = step(
                dir,
                &env,
                "dpkg-query",
                &["-W", "-f=${Version}", "golang-github-golang-jwt-jwt-dev"],
            )
            .map_err(|_| Missing("golang-github-golang-jwt-jwt-dev is not installed".into()))?;
            version_is(&v, "golang-jwt")?;
            let files = step(
                dir,
                &env,
                "dpkg",
                &["-L", "golang-github-golang-jwt-jwt-dev"],
            )
            .map_err(Broken)?;
            let module = files
                .lines()
                .find(|l| l.ends_with("/golang-jwt/jwt/go.mod"))
                .and_then(|l| l.strip_suffix("/go.mod"))
                .ok_or_else(|| Broken("the Debian package has no go.mod".into()))?;
            // The scratch copy only: the written go.mod names the real module.
            let go_mod = dir.join("go.mod");
            let text = std::fs::read_to_string(&go_mod).map_err(|e| Broken(e.to_string()))?;
            std::fs::write(
                &go_mod,
                format!("{text}\nreplace github.com/golang-jwt/jwt/v4 => {module}\n"),
            )
            .map_err(|e| Broken(e.to_string()))?;
            env.push(("GOFLAGS".into(), "-mod=mod".into()));
            env.push(("GOPROXY".into(), "off".into()));
            step(dir, &env, "go", &["build", "-o", "infobip-jwt", "."]).map_err(Broken)?;
        }
        "ruby-jwt" => {
            let v = step(
                dir,
                &env,
                "ruby",
                &["-e", "require 'jwt'; print JWT::VERSION::STRING"],
            )
            .map_err(|_| Missing("the jwt gem is not installed".into()))?;
            version_is(&v, "ruby-jwt")?;
        }
        "csharp" => {
            let v = step(dir, &env, "mono", &["--version"]).map_err(Broken)?;
            version_is(&v.replace("version 6.8", "Mono 6.8"), "Mono")?;
            step(dir, &env, "mcs", &["-out:InfobipJwt.exe", "InfobipJwt.cs"]).map_err(Broken)?;
        }
        "rust-jsonwebtoken" => {
            let built = cache.join("rust-jsonwebtoken");
            let lock = std::fs::read_to_string(built.join("Cargo.lock"))
                .map_err(|_| Missing(format!("the crate is not built in {}", built.display())))?;
            version_is(
                lock.split("name = \"jsonwebtoken\"\nversion = \"")
                    .nth(1)
                    .unwrap_or_default(),
                "jsonwebtoken",
            )?;
            std::fs::write(dir.join("Cargo.lock"), lock).map_err(|e| Broken(e.to_string()))?;
            let target = cache.join("rust-target");
            env.push(("CARGO_TARGET_DIR".into(), target.display().to_string()));
            step(
                dir,
                &env,
                "cargo",
                &["build", "--release", "--offline", "--quiet"],
            )
            .map_err(Broken)?;
            std::os::unix::fs::symlink(&target, dir.join("target"))
                .map_err(|e| Broken(e.to_string()))?;
        }
        other => return Err(Broken(format!("no preparation for {other}"))),
    }
    Ok(env)
}

fn verify(id: &str) {
    let v = VERIFY.iter().find(|v| v.stack == id).unwrap();
    let stack = mmjwt::issuer::find(id).unwrap();
    let ci = std::env::var("CI").is_ok_and(|c| c == "true");
    let skip = |why: &str| {
        assert!(
            !ci,
            "issuer::{id}: {why}; install with {} (CI=true: a missing toolchain fails)",
            v.install
        );
        eprintln!("SKIPPED: {id}: {why}; install with {}", v.install);
    };
    if let Some(tool) = v.tools.iter().find(|t| !on_path(t)) {
        return skip(&format!("{tool} is not on PATH"));
    }
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join(id);
    let wrote = mmjwt()
        .args(["issuer", "code", id, "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        wrote.status.success(),
        "{}",
        String::from_utf8_lossy(&wrote.stderr)
    );
    let env = match prepare(stack, &dir) {
        Ok(env) => env,
        Err(NotReady::Missing(why)) => return skip(&why),
        Err(NotReady::Broken(why)) => panic!("issuer::{id}: {why}"),
    };
    let issuer_env = [
        ("INFOBIP_APP_CODE", APP_CODE),
        ("INFOBIP_JWT_KEY_ID", KEY_ID),
        ("INFOBIP_JWT_SECRET", SECRET_HEX),
    ];
    let users = scratch.path().join("users.txt");
    std::fs::write(&users, generated_ids(GENERATED).join("\n")).unwrap();
    // The built-in battery, twice per id (the jti must differ), then the generated ids once.
    for extra in [
        &[][..],
        &[
            "--users".into(),
            users.display().to_string(),
            "--repeat".into(),
            "1".into(),
        ][..],
    ] {
        let out = mmjwt()
            .current_dir(&dir)
            .envs(creds())
            .envs(issuer_env)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .args([
                "audit",
                "--require-signature",
                "--timeout",
                "60s",
                "--exec",
                stack.run,
            ])
            .args(extra)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && report.contains("verdict  PASS"),
            "issuer::{id}: mmjwt audit --exec '{}' {extra:?} failed:\n{report}\n{}",
            stack.run,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Malformed hex is refused with a message, a non-zero exit and nothing on stdout.
    let words: Vec<&str> = stack
        .run
        .split(' ')
        .map(|w| if w == "{user}" { "alice" } else { w })
        .collect();
    for bad in ["", "abc", "0g", "00 11", "xyz!"] {
        let out = Command::new(words[0])
            .args(&words[1..])
            .current_dir(&dir)
            .envs(issuer_env)
            .env("INFOBIP_JWT_SECRET", bad)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "issuer::{id}: secret {bad:?} was accepted"
        );
        assert!(
            out.stdout.is_empty(),
            "issuer::{id}: secret {bad:?}: a token was printed"
        );
        assert!(
            err.contains("INFOBIP_JWT_SECRET") && err.contains("hex"),
            "issuer::{id}: {err}"
        );
        assert!(
            bad.len() < 3 || !err.contains(bad),
            "issuer::{id}: the secret is echoed: {err}"
        );
    }
    // A good run prints the token only, and never the secret.
    let out = Command::new(words[0])
        .args(&words[1..])
        .current_dir(&dir)
        .envs(issuer_env)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.ends_with('\n') && stdout.matches('.').count() == 2,
        "{stdout}"
    );
    assert!(
        !stdout.contains(SECRET_HEX) && !String::from_utf8_lossy(&out.stderr).contains(SECRET_HEX)
    );
    eprintln!(
        "issuer::{id}: verified with {} {}",
        stack.library, stack.version
    );
}

#[test]
fn every_stack_has_a_verification() {
    let ids: Vec<&str> = VERIFY.iter().map(|v| v.stack).collect();
    assert_eq!(
        ids,
        mmjwt::issuer::STACKS
            .iter()
            .map(|s| s.stack)
            .collect::<Vec<_>>()
    );
}

#[test]
fn stack_python_pyjwt() {
    verify("python-pyjwt");
}

#[test]
fn stack_node_jsonwebtoken() {
    verify("node-jsonwebtoken");
}

#[test]
fn stack_node_jose() {
    verify("node-jose");
}

#[test]
fn stack_php() {
    verify("php");
}

#[test]
fn stack_java() {
    verify("java");
}

#[test]
fn stack_go_golang_jwt() {
    verify("go-golang-jwt");
}

#[test]
fn stack_ruby_jwt() {
    verify("ruby-jwt");
}

#[test]
fn stack_csharp() {
    verify("csharp");
}

#[test]
fn stack_rust_jsonwebtoken() {
    verify("rust-jsonwebtoken");
}
