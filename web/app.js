// The mmjwt token debugger. Every verdict on this page comes from the sandbox's JSON API
// (/_mmjwt/api/): this file only sends what the fields hold and shows what comes back. It
// never judges a token itself, stores nothing (no storage, no cookies) and never puts a
// secret in a URL. All text is inserted with textContent, never as HTML.
"use strict";

const API = "/_mmjwt/api/";
const $ = (id) => document.getElementById(id);

let explain = { header: {}, claims: {} };
let lastReport = null;
let checkSeq = 0;
let checkTimer = 0;
let countdownTimer = 0;
let lastGen = null;
let sandboxState = { app_code: "", key_ids: [] };
let resignSeq = 0;
let resignTimer = 0;
// The token the editor made last: while the decoder shows it, the editor keeps its text.
let resigned = null;

// ---- helpers ----

async function post(path, body) {
  const res = await fetch(API + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    cache: "no-store",
    credentials: "omit",
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const msg = data && data.error ? data.error.message : `HTTP ${res.status}`;
    const err = new Error(msg);
    err.detail = data && data.error ? data.error : null;
    throw err;
  }
  return data;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    const td = document.createElement("td");
    if (c instanceof Node) td.append(c);
    else td.textContent = c === undefined || c === null ? "" : String(c);
    tr.append(td);
  }
  return tr;
}

function fill(tbody, rows) {
  tbody.replaceChildren(...rows);
}

function show(id, on) {
  $(id).hidden = !on;
}

function showError(id, err) {
  const box = $(id);
  box.textContent = err ? `Error: ${err.message || err}` : "";
  box.hidden = !err;
}

function value(v) {
  return typeof v === "string" ? v : JSON.stringify(v);
}

// A badge says its meaning in words and a symbol, so colour is never the only cue.
function badge(kind, text) {
  const symbol = { ok: "✓", bad: "✗", skip: "–", warn: "!" }[kind] || "";
  return el("span", `${symbol} ${text}`, `badge ${kind}`);
}

// ---- decode and judge ----

function checkInputs() {
  const body = { token: $("token").value };
  const secret = $("secret").value;
  if (secret.trim() !== "") body.secret = secret;
  body.sandbox_key = $("sandbox-key").checked;
  for (const [id, key] of [["user-id", "user_id"], ["app-code", "app_code"], ["key-id", "key_id"]]) {
    if ($(id).value !== "") body[key] = $(id).value;
  }
  if ($("leeway").value.trim() !== "") body.leeway = $("leeway").value.trim();
  if ($("exact").checked) body.exact = true;
  return body;
}

function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(runCheck, 120);
}

async function runCheck() {
  const body = checkInputs();
  const seq = ++checkSeq;
  if (body.token.trim() === "" && !body.exact) {
    show("report", false);
    showError("check-error", null);
    clearInterval(countdownTimer);
    return;
  }
  try {
    const report = await post("check", body);
    if (seq !== checkSeq) return; // a newer keystroke is on its way
    showError("check-error", null);
    renderReport(report, body.exact ? body.token : null);
  } catch (e) {
    if (seq !== checkSeq) return;
    showError("check-error", e);
  }
}

function renderReport(r, exactToken) {
  lastReport = r;
  show("report", true);
  if (editorOpen() && $("token").value !== resigned) fillEditor();
  const verdict = $("verdict");
  verdict.replaceChildren();
  if (r.valid && r.verified) {
    verdict.append(badge("ok", "Valid: every check passed and the signature is verified"));
  } else if (r.valid) {
    verdict.append(badge("warn", "No problem found, but the signature was NOT verified (give the secret)"));
  } else {
    const codes = [...new Set(r.problems.map((p) => p.code))].join(", ");
    verdict.append(badge("bad", `Refused: ${codes}`));
  }
  verdict.append(el("span", ` exit code ${r.exit_code}`, "hint"));

  fill($("notes"), r.input.notes.map((n) => el("li", `Input: ${n}`)));

  // What was pasted, split at its dots (the notes above say what the judge removed first).
  const token = exactToken !== null ? exactToken : $("token").value;
  const parts = $("parts");
  parts.replaceChildren();
  token.split(".").forEach((p, i, all) => {
    parts.append(el("span", p, ["p-header", "p-payload", "p-signature"][i] || "p-extra"));
    if (i < all.length - 1) parts.append(el("span", ".", "p-dot"));
  });

  memberTable($("header-table"), r.header, explain.header);
  memberTable($("claims-table"), r.claims, explain.claims);
  timesTable(r.times);
  sdkCard($("sdk-android"), "Android SDK", r.sdk.android);
  sdkCard($("sdk-ios"), "iOS SDK", r.sdk.ios);

  fill($("checks-table").tBodies[0], r.checks.map((c) => {
    const kind = c.outcome === "pass" ? "ok" : c.outcome === "fail" ? "bad" : "skip";
    return row([c.name, badge(kind, c.outcome), c.detail || ""]);
  }));
  fill($("problems"), r.problems.length
    ? r.problems.map((p) => {
      const li = el("li");
      li.append(el("code", p.code), ` (${p.source}): ${p.message}`);
      return li;
    })
    : [el("li", "none")]);
  fill($("warnings"), r.warnings.length
    ? r.warnings.map((w) => {
      if (typeof w === "string") return el("li", w);
      const li = el("li");
      li.append(el("code", w.code), `: ${w.message}`);
      return li;
    })
    : [el("li", "none")]);
}

// ---- edit and re-sign ----

function editorOpen() {
  return !$("edit-panel").hidden;
}

function toggleEditor() {
  const open = !editorOpen();
  $("edit-panel").hidden = !open;
  $("edit-toggle").setAttribute("aria-expanded", String(open));
  if (open) fillEditor();
}

// The header or payload text as the token spells it, to edit (display only: what it means is
// judged by the API). Empty when the segment is not base64url text.
function segmentText(token, i) {
  const part = token.split(".")[i];
  if (!part) return "";
  try {
    const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return "";
  }
}

function isObjectText(text) {
  try {
    const v = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v);
  } catch {
    return false;
  }
}

// Fills the editor from the decoder's token: its own text where it decodes (order, numbers and
// escapes as written), else the report's view of it (a pasted prefix, say).
function fillEditor() {
  const token = $("token").value.trim();
  for (const [i, id, member] of [[0, "edit-header", "header"], [1, "edit-claims", "claims"]]) {
    const text = segmentText(token, i);
    const fromReport = lastReport && lastReport[member] ? JSON.stringify(lastReport[member]) : "";
    $(id).value = isObjectText(text) ? text : fromReport;
    segmentError(id, null);
  }
  resigned = null;
  $("edit-status").textContent = "";
}

function segmentError(id, message) {
  const box = $(`${id}-error`);
  box.textContent = message || "";
  box.hidden = !message;
  if (message) $(id).setAttribute("aria-invalid", "true");
  else $(id).removeAttribute("aria-invalid");
}

function scheduleResign() {
  clearTimeout(resignTimer);
  resignTimer = setTimeout(resign, 200);
}

async function resign() {
  const body = { header: $("edit-header").value, claims: $("edit-claims").value };
  const secret = $("secret").value;
  if (secret.trim() !== "") body.secret = secret;
  else body.sandbox_key = $("sandbox-key").checked;
  const seq = ++resignSeq;
  const status = $("edit-status");
  try {
    const r = await post("resign", body);
    if (seq !== resignSeq) return; // a newer keystroke is on its way
    segmentError("edit-header", null);
    segmentError("edit-claims", null);
    resigned = r.token;
    $("token").value = r.token;
    status.textContent = body.secret !== undefined
      ? "Re-signed with the secret; the report is for the new token."
      : "Re-signed with the sandbox's key; the report is for the new token.";
    runCheck();
  } catch (e) {
    if (seq !== resignSeq) return;
    const d = e.detail;
    const where = d && d.segment ? (d.segment === "header" ? "edit-header" : "edit-claims") : null;
    // The reader's message says where the text stops being JSON (line and column).
    segmentError("edit-header", where === "edit-header" ? d.message : null);
    segmentError("edit-claims", where === "edit-claims" ? d.message : null);
    status.textContent = where
      ? "Not re-signed: the token above is the last one that was made."
      : `Not re-signed: ${e.message}`;
  }
}


function memberTable(table, members, meanings) {
  const body = table.tBodies[0];
  if (!members) {
    fill(body, [row(["(not readable)", "", ""])]);
    return;
  }
  fill(body, Object.entries(members).map(([k, v]) =>
    row([el("code", k), value(v), meanings[k] || meanings["*"] || ""])));
}

function timesTable(times) {
  const rows = [];
  for (const name of ["iat", "exp", "nbf"]) {
    const t = times[name];
    if (!t) continue;
    const local = new Date(t.unix * 1000);
    rows.push(row([el("code", name), t.rfc3339 || String(t.unix),
      isNaN(local) ? "" : local.toLocaleString(), t.relative]));
  }
  fill($("times-table").tBodies[0], rows.length ? rows : [row(["(no times)", "", "", ""])]);
  startCountdown(times);
}

function startCountdown(times) {
  clearInterval(countdownTimer);
  const out = $("countdown");
  if (!times.exp) {
    out.textContent = "";
    return;
  }
  // Display only: when the countdown reaches zero the token is judged again by the API.
  const offset = times.now - Math.floor(Date.now() / 1000);
  const tick = () => {
    const left = times.exp.unix - (Math.floor(Date.now() / 1000) + offset);
    if (left > 0) {
      const h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      out.textContent = `Expires in ${h > 0 ? h + "h " : ""}${m}m ${String(s).padStart(2, "0")}s`;
    } else {
      out.textContent = "Expired (judged again)";
      clearInterval(countdownTimer);
      if (lastReport && lastReport.times.exp && lastReport.times.exp.unix > lastReport.times.now) runCheck();
    }
  };
  tick();
  countdownTimer = setInterval(tick, 1000);
}

function sdkCard(box, title, v) {
  box.replaceChildren(el("h4", title));
  if (!v) {
    box.append(el("p", "not judged"));
    return;
  }
  if (v.accepted) {
    box.append(badge("ok", "accepts the token"));
  } else {
    const p = el("p");
    p.append(badge("bad", "refuses"), " ", el("code", v.code || ""));
    box.append(p, el("p", v.message || "", "message"));
  }
  if (v.legacy_code) {
    box.append(el("p", `Android SDK 13.22.0 and older (Flutter plugin 8.4.0–8.5.0) give code "${v.legacy_code}"`, "hint"));
  }
  if (v.plugins) {
    box.append(el("h5", "What the app's code receives"));
    const dl = el("dl", null, "plugins");
    const f = v.plugins.flutter;
    if (f) {
      dl.append(el("dt", "Flutter"), el("dd", `PlatformException(${f.code}, ${f.message === null ? "null" : f.message}, ${f.details === null ? "null" : f.details}, null)`, "mono"));
    }
    for (const [key, name] of [["react_native", "React Native"], ["cordova", "Cordova"]]) {
      const o = v.plugins[key];
      if (o) dl.append(el("dt", name), el("dd", JSON.stringify(o), "mono"));
    }
    box.append(dl);
  }
}

// ---- make a token ----

async function generate() {
  showError("gen-error", null);
  const body = { user_id: $("gen-user-id").value };
  if ($("gen-app-code").value !== "") body.app_code = $("gen-app-code").value;
  if ($("gen-key-id").value !== "") body.key_id = $("gen-key-id").value;
  if ($("gen-secret").value.trim() !== "") body.secret = $("gen-secret").value;
  if ($("gen-ttl").value.trim() !== "") body.ttl = $("gen-ttl").value.trim();
  const claimsText = $("gen-claims").value.trim();
  if (claimsText !== "") {
    try {
      body.claims = JSON.parse(claimsText);
    } catch (e) {
      showError("gen-error", new Error("Extra claims are not JSON: " + e.message));
      return;
    }
  }
  const kind = $("gen-break").value;
  if (kind !== "") body.break = kind;
  try {
    const g = await post("gen", body);
    lastGen = { g, request: body, usedSandboxKey: body.secret === undefined, claims: body.claims || {} };
    $("gen-token").textContent = g.token;
    $("gen-command").textContent = genCommand(g, lastGen.claims, lastGen.usedSandboxKey);
    $("copy-status").textContent = "";
    show("gen-result", true);
    if (g.break) {
      renderPrediction(g.break);
    } else {
      // An unbroken token: what check says of it with the inputs it was made for.
      const c = g.claims;
      const judge = { token: g.token, user_id: c.sub, app_code: c["infobip-api-key"], key_id: g.header.kid };
      if (body.secret !== undefined) judge.secret = body.secret;
      else judge.sandbox_key = true;
      renderAccepted(await post("check", judge));
    }
  } catch (e) {
    show("gen-result", false);
    showError("gen-error", e);
  }
}

// What the app sees, per SDK (with what each plugin hands the app) and from the server: the
// `break` member of the gen answer, as Rust predicted it.
function renderPrediction(p) {
  $("gen-sees-summary").replaceChildren(`Made to fail as ${p.kind}: ${p.change}.`);
  sdkCards(p.sdk);
  const s = p.server;
  const server = $("gen-sees-server");
  if (!s.reached) {
    const would = s.accepted ? "would accept it" : `would answer ${s.status} ${s.message_id}`;
    server.replaceChildren(badge("skip", "Server: not reached"), ` (it ${would})`);
  } else if (s.accepted) {
    server.replaceChildren(badge("ok", "Server accepts it"));
  } else {
    server.replaceChildren(badge("bad", `Server answers ${s.status} ${s.message_id}`), ` ${s.text}`);
  }
  server.hidden = false;
  const rows = [];
  for (const [key, name] of [["android", "Android"], ["ios", "iOS"]]) {
    if (!(key in p.branch)) continue;
    const b = p.branch[key];
    rows.push(el("dt", name), el("dd", b === null ? "none: no error" : b === "default" ? "default: (the server's refusal)" : `case '${b}':`, "mono"));
  }
  $("gen-sees-branch").replaceChildren(...rows);
  $("gen-sees-catch").hidden = false;
}

// An unbroken token: each SDK's verdict from the check report, and whether it passes.
function renderAccepted(r) {
  $("gen-sees-summary").replaceChildren(r.valid && r.verified
    ? badge("ok", "Both SDKs send it and the sandbox accepts it")
    : badge("bad", `Refused: ${[...new Set(r.problems.map((x) => x.code))].join(", ")}`));
  sdkCards(r.sdk);
  $("gen-sees-server").hidden = true;
  $("gen-sees-catch").hidden = true;
}

function sdkCards(sdk) {
  sdkCard($("gen-sees-android"), "Android SDK", sdk.android);
  sdkCard($("gen-sees-ios"), "iOS SDK", sdk.ios);
}

function shellQuote(s) {
  return /^[A-Za-z0-9_.:\/=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// The command that makes this very token (same iat and jti), without the secret. A broken
// token's command names the inputs as typed (the kind changes them itself); an expired one's
// times are relative to when the command runs.
function genCommand(g, extra, sandboxKey) {
  const c = g.claims;
  const typed = lastGen.request;
  const brk = g.break ? g.break.kind : null;
  const args = ["mmjwt", "gen",
    "--user-id", brk ? typed.user_id : c.sub,
    "--app-code", brk ? typed.app_code ?? sandboxState.app_code : c["infobip-api-key"],
    "--key-id", brk ? typed.key_id ?? sandboxState.key_ids[0] : g.header.kid];
  if (brk === "expired") args.push("--ttl", String(c.exp - c.iat));
  else args.push("--now", String(c.iat), "--exp", String(c.exp));
  if ("jti" in c) args.push("--jti", c.jti);
  if (!("iss" in c)) args.push("--no-iss");
  if (brk) args.push("--break", brk);
  for (const [k, v] of Object.entries(extra)) {
    args.push("--claim", typeof v === "string" ? `${k}=${v}` : `${k}:=${JSON.stringify(v)}`);
  }
  const where = sandboxKey ? "# the secret: the sandbox's key (MMJWT_SECRET or --secret-file)\n" : "# the secret: MMJWT_SECRET or --secret-file\n";
  return where + args.map(shellQuote).join(" ");
}

// The kinds of "Make it fail as", as the API names and explains them (filled once).
function breakKinds(kinds) {
  const select = $("gen-break");
  if (select.options.length > 1) return;
  for (const k of kinds) {
    const o = el("option", `${k.kind}: ${k.summary}`);
    o.value = k.kind;
    select.append(o);
  }
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    $("copy-status").textContent = "Copied.";
  } catch (e) {
    $("copy-status").textContent = "Copying is not allowed here; select the text and copy it.";
  }
}

function openInDecoder() {
  if (!lastGen) return;
  $("token").value = lastGen.g.token;
  $("user-id").value = lastGen.g.claims.sub;
  location.hash = "";
  $("token").focus();
  runCheck();
  $("decode").scrollIntoView();
}

// ---- talk to the sandbox ----

async function send(call) {
  showError("replay-error", null);
  const token = $("token").value;
  if (token.trim() === "") {
    showError("replay-error", new Error("put a token in the decoder first (or make one)"));
    return;
  }
  const body = { call, sdk: $("replay-sdk").value, token, push_reg_id: $("replay-reg").value };
  if ($("exact").checked) body.exact = true;
  if (call === "patch-user") {
    try {
      body.data = JSON.parse($("replay-data").value);
    } catch (e) {
      showError("replay-error", new Error("the saveUser body is not JSON: " + e.message));
      return;
    }
  }
  try {
    const r = await post("replay", body);
    renderReplay(r);
    refreshState();
  } catch (e) {
    show("replay-result", false);
    showError("replay-error", e);
  }
}

function renderReplay(r) {
  show("replay-result", true);
  const s = $("replay-summary");
  s.replaceChildren();
  const name = `${r.call} as the ${r.sdk === "ios" ? "iOS" : "Android"} SDK sends it`;
  if (r.preflight.status === "refused" && r.preflight.check === "user-data") {
    // The SDKs check the user data before they look at the token.
    const code = r.sdk === "ios" ? `NSError code ${r.preflight.code}` : `code ${r.preflight.code}`;
    s.append(badge("bad", `Not sent: the SDK refuses the user data (${code})`));
    if (r.preflight.description) s.append(" ", r.preflight.description);
    const m = el("pre", r.preflight.message || "");
    m.id = "replay-refusal";
    s.append(m);
  } else if (r.preflight.status === "refused") {
    s.append(badge("bad", `Not sent: the SDK refuses the token (${r.preflight.code})`), ` ${r.preflight.message || ""}`);
  } else if (r.response) {
    const ok = r.response.status >= 200 && r.response.status < 300;
    s.append(badge(ok ? "ok" : "bad", `${r.response.status} ${r.response.reason}`), ` ${name}`);
    const se = r.response.service_exception;
    if (se) s.append(" · messageId ", el("code", se.messageId), `: ${se.text}`);
  } else if (r.error) {
    s.append(badge("bad", `network error (${r.error.kind})`), ` ${r.error.message}`);
  }
  const q = r.request;
  const head = [`${q.method} ${q.url}`, ...Object.entries(q.headers).map(([k, v]) => `${k}: ${v}`)];
  $("replay-request").textContent = head.join("\n") + (q.body !== null ? `\n\n${JSON.stringify(q.body, null, 2)}` : "");
  $("replay-response").textContent = r.response
    ? `HTTP ${r.response.status} ${r.response.reason}\n\n${r.response.body === null ? "" : JSON.stringify(r.response.body, null, 2)}`
    : "(nothing was sent)";
}

async function refreshState() {
  try {
    const res = await fetch(API + "state", { cache: "no-store", credentials: "omit" });
    const st = await res.json();
    if (!res.ok) throw new Error(st.error ? st.error.message : `HTTP ${res.status}`);
    explain = st.explain || explain;
    sandboxState = st;
    breakKinds(st.break_kinds || []);
    const info = $("sandbox-info");
    info.replaceChildren();
    for (const [k, v] of [["Mode", st.mode], ["App code", st.app_code], ["Key ids", st.key_ids.join(", ")],
      ["Persons", st.counts.persons], ["Installations", st.counts.installations]]) {
      info.append(el("dt", k), el("dd", v));
    }
    $("gen-app-code").placeholder = st.app_code;
    $("gen-key-id").placeholder = st.key_ids[0] || "";
    fill($("persons-table").tBodies[0], st.persons.map((p) => {
      const { id, externalUserId, type, personalized, ...rest } = p;
      return row([id, externalUserId || "(anonymous)", type, Object.keys(rest).length ? JSON.stringify(rest) : ""]);
    }));
    fill($("installations-table").tBodies[0], st.installations.map((i) =>
      row([i.pushRegId, i.personId, i.isPrimary ? "yes" : "no"])));
    return st;
  } catch (e) {
    $("sandbox-info").replaceChildren(el("dt", "Sandbox"), el("dd", `not reachable: ${e.message}`));
    return null;
  }
}

function followLog() {
  const status = $("log-status");
  const events = new EventSource(API + "events");
  events.onopen = () => { status.textContent = "Following the sandbox's request log."; };
  events.onerror = () => { status.textContent = "The log stream is interrupted; reconnecting…"; };
  events.onmessage = (m) => {
    let e;
    try { e = JSON.parse(m.data); } catch { return; }
    const own = e.path === "/" || e.path.startsWith("/_mmjwt/");
    const tr = row([
      e.time.slice(11, 23),
      `${e.method} ${e.path}`,
      e.sub !== undefined ? `${e.auth} sub=${JSON.stringify(e.sub)}` : e.auth,
      badge(e.status < 400 ? "ok" : "bad", String(e.status)),
      [e.messageId, e.reason].filter(Boolean).join(": "),
    ]);
    if (own) tr.className = "own";
    tr.hidden = own && !$("log-own").checked;
    const body = $("log-table").tBodies[0];
    body.prepend(tr);
    while (body.rows.length > 200) body.deleteRow(body.rows.length - 1);
  };
}

// ---- start ----

function preloadFromFragment() {
  // #token=... never reaches a server or a log; it is read here and removed from the address.
  const h = location.hash;
  if (h.startsWith("#token=")) {
    $("token").value = decodeURIComponent(h.slice(7));
    history.replaceState(null, "", location.pathname);
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  for (const id of ["token", "user-id", "app-code", "key-id", "leeway"]) {
    $(id).addEventListener("input", scheduleCheck);
  }
  // While the decoder shows the editor's token, another key re-signs it.
  const editing = () => editorOpen() && resigned !== null && $("token").value === resigned;
  $("secret").addEventListener("input", () => (editing() ? scheduleResign() : scheduleCheck()));
  $("sandbox-key").addEventListener("change", () => (editing() ? resign() : runCheck()));
  $("edit-toggle").addEventListener("click", toggleEditor);
  $("edit-header").addEventListener("input", scheduleResign);
  $("edit-claims").addEventListener("input", scheduleResign);
  $("exact").addEventListener("change", runCheck);
  $("gen-button").addEventListener("click", generate);
  $("copy-token").addEventListener("click", () => lastGen && copy(lastGen.g.token));
  $("copy-command").addEventListener("click", () => lastGen && copy($("gen-command").textContent));
  $("open-decoder").addEventListener("click", openInDecoder);
  $("send-fetch").addEventListener("click", () => send("fetch-user"));
  $("send-save").addEventListener("click", () => send("patch-user"));
  $("send-personalize").addEventListener("click", () => send("personalize"));
  $("refresh-state").addEventListener("click", refreshState);
  $("log-own").addEventListener("change", () => {
    for (const tr of $("log-table").tBodies[0].rows) {
      if (tr.className === "own") tr.hidden = !$("log-own").checked;
    }
  });
  window.addEventListener("hashchange", () => { preloadFromFragment(); runCheck(); });
  followLog();
  preloadFromFragment();
  await refreshState();
  runCheck();
});
