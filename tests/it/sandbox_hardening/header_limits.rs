//! Header limits: slow senders are cut off, 101 header lines get 431.

use super::*;

/// Reads until the server closes the connection; `false` if it is still open after `within`
/// of quiet.
fn closed_by_server(s: &mut TcpStream, within: Duration) -> bool {
    crate::support::read_until_closed(s, within).1
}

use crate::support::raw_exchange as exchange;

const FETCH: &[u8] = b"GET /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nAuthorization: App test-app-code\r\nConnection: close\r\n\r\n";

/// Slowloris (matrix J6): connections that send nothing, half a request line, or one byte at a
/// time are closed by the header-read timeout, while complete requests are served meanwhile.
#[test]
fn slow_header_senders_are_cut_off_while_others_are_served() {
    let mut cfg = Config::new(Mode::AllowAll, APP);
    cfg.limits.header_read_timeout = Duration::from_millis(500);
    let sb = SandboxThread::spawn(cfg).unwrap();
    let addr = sb.addr();

    let silent = TcpStream::connect(addr).unwrap();
    let mut partial: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET /mobile/1/appinstance/r/user HT").unwrap();
            s
        })
        .collect();
    let mut trickle = TcpStream::connect(addr).unwrap();
    trickle.write_all(&FETCH[..1]).unwrap();

    // With 22 connections stalled, a complete request is still answered at once.
    let reply = exchange(addr, FETCH);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");

    // The trickler sends one more byte every 50 ms (its request would need 5 s); the server
    // must close the connection long before it is complete. Bounded: 60 rounds.
    trickle
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let mut cut_off = false;
    for byte in FETCH[1..].iter().take(60) {
        if trickle.write_all(std::slice::from_ref(byte)).is_err() {
            cut_off = true;
            break;
        }
        let mut buf = [0u8; 256];
        match trickle.read(&mut buf) {
            Ok(0) => {
                cut_off = true;
                break;
            }
            Ok(n) => panic!(
                "answered an incomplete request: {}",
                String::from_utf8_lossy(&buf[..n])
            ),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::Interrupted
                ) => {}
            Err(_) => {
                cut_off = true;
                break;
            }
        }
    }
    assert!(
        cut_off,
        "a client sending one byte per 50 ms was never cut off"
    );

    let mut silent = silent;
    assert!(closed_by_server(&mut silent, Duration::from_secs(3)));
    for s in &mut partial {
        assert!(closed_by_server(s, Duration::from_secs(3)));
    }
    // And the server still serves after all that.
    let reply = exchange(addr, FETCH);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
}

/// Header count limit (matrix J5): 100 header lines are served, 101 get 431.
#[test]
fn one_header_too_many_gets_431() {
    let sb = SandboxThread::spawn(Config::new(Mode::AllowAll, APP)).unwrap();
    let request = |lines: usize| {
        // Host, Authorization and Connection, plus fillers up to `lines`.
        let mut r = String::from(
            "GET /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nAuthorization: App test-app-code\r\nConnection: close\r\n",
        );
        for i in 0..lines - 3 {
            r.push_str("X-Filler: ");
            r.push_str(&i.to_string());
            r.push_str("\r\n");
        }
        r.push_str("\r\n");
        exchange(sb.addr(), r.as_bytes())
    };
    let at_limit = request(100);
    assert!(at_limit.starts_with("HTTP/1.1 200"), "{at_limit}");
    let over = request(101);
    assert!(over.starts_with("HTTP/1.1 431"), "{over}");
}
