//! The sandbox judges every corpus token exactly as check does.

use super::*;

/// check ↔ sandbox parity (matrix J3): every corpus token, sent as `Bearer` to personalize and
/// fetch-user, gets 200 exactly when the corpus calls it valid for a key ring, and otherwise
/// 401 with the corpus's primary problem as `messageId`. Cases meant for `check` without a key
/// (the sandbox always verifies) must be refused by a sandbox that has no key.
#[tokio::test(flavor = "current_thread")]
async fn every_corpus_token_gets_the_same_verdict_from_the_sandbox() {
    let all = corpus::cases();
    let mut groups: BTreeMap<Group, Vec<&Case>> = BTreeMap::new();
    for c in &all {
        groups
            .entry((c.now, c.leeway, c.kid.clone(), c.key.clone()))
            .or_default()
            .push(c);
    }
    let mut bad = Vec::new();
    let (mut compared, mut keyless, mut unsendable, mut accepted) = (0, 0, 0, 0);
    for ((now, leeway, kid, key), cases) in &groups {
        let app = router(*now, *leeway, key.as_deref().map(|k| (kid.as_str(), k)));
        let verdicts: HashMap<&str, Option<Code>> = cases
            .iter()
            .map(|c| (c.token.as_str(), c.ring_primary))
            .collect();
        for (i, case) in cases.iter().enumerate() {
            let reg = format!("reg-{i}");
            let Some(answers) = personalize_then_fetch(&app, &reg, &case.token).await else {
                // Bytes no HTTP client can put in a header (control characters): the corpus
                // must call such a token invalid.
                unsendable += 1;
                if case.valid {
                    bad.push(format!("{}: valid but not sendable", case.id));
                }
                continue;
            };
            for a in &answers {
                // A refusal never repeats the token (matrix J2).
                if a.status == 401 && case.token.len() >= 16 {
                    let text = a.body.to_string();
                    if text.contains(case.token.as_str()) {
                        bad.push(format!("{}: the refusal repeats the token", case.id));
                    }
                }
                let ok = if key.is_none() {
                    a.status == 401
                } else if !case
                    .token
                    .bytes()
                    .all(|b| b == b'\t' || (32..127).contains(&b))
                {
                    // Bytes past ASCII: the header is not text, so the token is never read.
                    a.status == 401 && a.message_id() == Some("AUTHORIZATION_INVALID")
                } else if let Some(rest) = case.token.strip_prefix(' ') {
                    // Spaces after the scheme separate it from the credential (RFC 9110
                    // §11.4), so the sandbox reads the token without them: its verdict is the
                    // corpus's for that token.
                    match verdicts.get(rest.trim_start_matches(' ')) {
                        Some(v) => agrees(a, *v),
                        None => false,
                    }
                } else {
                    agrees(a, case.ring_primary)
                };
                if !ok {
                    bad.push(format!(
                        "{}: sandbox {} {}, corpus {:?}",
                        case.id,
                        a.status,
                        a.message_id().unwrap_or("-"),
                        case.ring_primary.map(Code::as_str)
                    ));
                }
            }
            if key.is_none() {
                keyless += 1;
            } else {
                compared += 1;
            }
            if answers[1].status == 200 {
                accepted += 1;
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} disagreements:\n{}",
        bad.len(),
        bad.join("\n")
    );
    assert_eq!(compared + keyless + unsendable, all.len());
    eprintln!(
        "{} cases in {} sandboxes: {compared} compared, {keyless} keyless, {unsendable} unsendable, {accepted} accepted",
        all.len(),
        groups.len()
    );
    assert!(compared >= 380, "{compared} compared");
    assert_eq!(keyless, 15);
    assert!(accepted >= 10, "{accepted} accepted");
    // Few sandboxes: cases share their instant, leeway and key.
    assert!(groups.len() < 40, "{} groups", groups.len());
}
