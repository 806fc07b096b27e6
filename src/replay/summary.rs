//! The batch summary: counts by status, by `messageId`, by network failure and by preflight
//! refusal, latency percentiles and throughput, and the batch's exit code (its calls' codes
//! merged as calls are, [`crate::error::Merge::Calls`]: the highest). Pure: calls are added as they finish; the caller measures wall time.

use super::client::Outcome;
use super::render::{Exchange, Preflight};
use crate::color::Painter;
use crate::error::Merge;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

/// Accumulated results of a batch.
/// The `preflight_refused` key of calls refused for their user data.
const USER_DATA_KEY: &str = "USER_DATA_LIMITS";

#[derive(Debug, Clone, Default)]
pub(crate) struct Summary {
    pub calls: usize,
    pub sent: usize,
    pub by_status: BTreeMap<u16, usize>,
    pub by_message_id: BTreeMap<String, usize>,
    pub network_errors: BTreeMap<&'static str, usize>,
    pub preflight_refused: BTreeMap<&'static str, usize>,
    /// Input lines that could not be used (not UTF-8).
    pub skipped_lines: usize,
    /// Milliseconds, of the calls that got a response.
    latencies: Vec<f64>,
    pub exit: u8,
}

impl Summary {
    pub(crate) fn add(&mut self, ex: &Exchange) {
        self.calls += 1;
        self.exit = Merge::Calls.merge(self.exit, ex.exit_code());
        match &ex.preflight {
            Preflight::Refused(v) => {
                *self
                    .preflight_refused
                    .entry(v.code.map_or("?", |c| c.as_str()))
                    .or_default() += 1;
            }
            Preflight::UserDataRefused(_) => {
                *self.preflight_refused.entry(USER_DATA_KEY).or_default() += 1;
            }
            _ => {}
        }
        match &ex.outcome {
            None => {}
            Some(Outcome::Failed(f)) => {
                self.sent += 1;
                *self.network_errors.entry(f.kind.name()).or_default() += 1;
            }
            Some(Outcome::Response(r)) => {
                self.sent += 1;
                *self.by_status.entry(r.status).or_default() += 1;
                if let Some(se) = ex.service_exception() {
                    *self.by_message_id.entry(se.message_id).or_default() += 1;
                }
                self.latencies.push(r.elapsed.as_secs_f64() * 1000.0);
            }
        }
    }

    /// A line of input that was skipped; the batch then exits with at least 1.
    pub(crate) fn skip_line(&mut self) {
        self.skipped_lines += 1;
        self.exit = Merge::Calls.merge(self.exit, crate::error::exit::RUNTIME);
    }

    /// The nearest-rank percentile `p` (0–100) of the latencies, in milliseconds.
    pub(crate) fn percentile(&self, p: f64) -> Option<f64> {
        percentile(&self.latencies, p)
    }

    /// The `--json` summary line.
    pub(crate) fn json(&self, wall: Duration, concurrency: usize) -> Value {
        let latency = if self.latencies.is_empty() {
            Value::Null
        } else {
            json!({
                "p50": round1(self.percentile(50.0)),
                "p95": round1(self.percentile(95.0)),
                "p99": round1(self.percentile(99.0)),
                "max": round1(self.percentile(100.0)),
            })
        };
        let by_status: BTreeMap<String, usize> = self
            .by_status
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect();
        json!({"summary": {
            "calls": self.calls,
            "sent": self.sent,
            "by_status": by_status,
            "by_message_id": self.by_message_id,
            "network_errors": self.network_errors,
            "preflight_refused": self.preflight_refused,
            "skipped_lines": self.skipped_lines,
            "latency_ms": latency,
            "elapsed_ms": wall.as_millis() as u64,
            "requests_per_second": round1(Some(self.rate(wall))),
            "concurrency": concurrency,
            "exit_code": self.exit,
        }})
    }

    /// The human summary.
    pub(crate) fn text(&self, wall: Duration, concurrency: usize, p: Painter) -> String {
        let counts = |m: Vec<(String, usize)>| {
            if m.is_empty() {
                "none".to_string()
            } else {
                m.into_iter()
                    .map(|(k, v)| format!("{k} × {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let mut s = format!(
            "{} {} calls, {} sent in {:.2} s ({:.1} requests/s, {} at a time)\n",
            p.label("summary:"),
            self.calls,
            self.sent,
            wall.as_secs_f64(),
            self.rate(wall),
            concurrency
        );
        let _ = writeln!(
            s,
            "  status:     {}",
            counts(
                self.by_status
                    .iter()
                    .map(|(k, v)| (k.to_string(), *v))
                    .collect()
            )
        );
        let _ = writeln!(
            s,
            "  messageId:  {}",
            counts(
                self.by_message_id
                    .iter()
                    .map(|(k, v)| (k.clone(), *v))
                    .collect()
            )
        );
        if !self.network_errors.is_empty() {
            let _ = writeln!(
                s,
                "  network:    {}",
                counts(
                    self.network_errors
                        .iter()
                        .map(|(k, v)| ((*k).to_string(), *v))
                        .collect()
                )
            );
        }
        if !self.preflight_refused.is_empty() {
            let _ = writeln!(
                s,
                "  not sent:   {}",
                counts(
                    self.preflight_refused
                        .iter()
                        .map(|(k, v)| ((*k).to_string(), *v))
                        .collect()
                )
            );
        }
        if self.skipped_lines > 0 {
            let _ = writeln!(s, "  skipped:    {} input line(s)", self.skipped_lines);
        }
        if let (Some(p50), Some(p95), Some(p99)) = (
            self.percentile(50.0),
            self.percentile(95.0),
            self.percentile(99.0),
        ) {
            let _ = writeln!(
                s,
                "  latency:    p50 {p50:.1} ms, p95 {p95:.1} ms, p99 {p99:.1} ms"
            );
        }
        s
    }

    fn rate(&self, wall: Duration) -> f64 {
        let secs = wall.as_secs_f64();
        if secs > 0.0 {
            self.sent as f64 / secs
        } else {
            0.0
        }
    }
}

/// Nearest-rank percentile: the smallest value with at least `p`% of values at or below it.
pub(crate) fn percentile(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    Some(v[rank.clamp(1, v.len()) - 1])
}

fn round1(x: Option<f64>) -> Value {
    x.map_or(Value::Null, |x| Value::from((x * 10.0).round() / 10.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), Some(50.0));
        assert_eq!(percentile(&v, 95.0), Some(95.0));
        assert_eq!(percentile(&v, 99.0), Some(99.0));
        assert_eq!(percentile(&v, 100.0), Some(100.0));
        assert_eq!(percentile(&[7.0], 50.0), Some(7.0));
        assert_eq!(percentile(&[3.0, 1.0, 2.0], 0.0), Some(1.0));
        assert_eq!(percentile(&[], 50.0), None);
    }
}
