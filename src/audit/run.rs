//! Fetching every user's token `repeat` times with at most `concurrency` fetches in flight.
//! Round by round: every user's first attempt, and only when all are done every second one,
//! so two fetches for the same user never overlap, as in an app that asks again later.

use super::AttemptRef;
use super::issuer::{Fetch, Issuer, Scrub};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What to fetch.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub issuer: Arc<Issuer>,
    pub users: Arc<Vec<String>>,
    pub repeat: u32,
    pub concurrency: usize,
    pub scrub: Arc<Scrub>,
}

impl Plan {
    /// The fetches in the order they are started.
    pub(crate) fn jobs(&self) -> Vec<AttemptRef> {
        (1..=self.repeat)
            .flat_map(|attempt| (0..self.users.len()).map(move |user| AttemptRef { user, attempt }))
            .collect()
    }
}

/// Runs every fetch of `plan`; `on_done` is called after each (a progress bar). Must be called
/// inside a Tokio runtime. The results come back in no particular order.
pub(crate) async fn fetch_all(
    plan: &Plan,
    on_done: Arc<dyn Fn() + Send + Sync>,
) -> Vec<(AttemptRef, Fetch)> {
    let jobs = plan.jobs();
    let mut all = Vec::with_capacity(jobs.len());
    for attempt in 1..=plan.repeat {
        let round: Vec<AttemptRef> = jobs
            .iter()
            .copied()
            .filter(|a| a.attempt == attempt)
            .collect();
        all.extend(fetch_round(plan, Arc::new(round), &on_done).await);
    }
    all
}

async fn fetch_round(
    plan: &Plan,
    jobs: Arc<Vec<AttemptRef>>,
    on_done: &Arc<dyn Fn() + Send + Sync>,
) -> Vec<(AttemptRef, Fetch)> {
    let next = Arc::new(AtomicUsize::new(0));
    let workers = plan.concurrency.clamp(1, jobs.len().max(1));
    let mut handles = Vec::with_capacity(workers);
    for _ in 0..workers {
        let (jobs, next, plan, on_done) = (
            Arc::clone(&jobs),
            Arc::clone(&next),
            plan.clone(),
            Arc::clone(on_done),
        );
        handles.push(tokio::spawn(async move {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&at) = jobs.get(i) else { break };
                let fetch = plan.issuer.fetch(&plan.users[at.user], &plan.scrub).await;
                done.push((at, fetch));
                on_done();
            }
            done
        }));
    }
    let mut all = Vec::with_capacity(jobs.len());
    for h in handles {
        // A worker only ends by finishing its loop; a panic inside it is a bug worth surfacing.
        match h.await {
            Ok(done) => all.extend(done),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => {}
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_go_user_by_user() {
        let plan = Plan {
            issuer: Arc::new(Issuer::Exec {
                template: super::super::template::ExecTemplate::parse("true").unwrap(),
                timeout: std::time::Duration::from_secs(1),
            }),
            users: Arc::new(vec!["a".into(), "b".into()]),
            repeat: 2,
            concurrency: 4,
            scrub: Arc::new(Scrub::default()),
        };
        let j: Vec<(usize, u32)> = plan.jobs().iter().map(|a| (a.user, a.attempt)).collect();
        assert_eq!(j, vec![(0, 1), (1, 1), (0, 2), (1, 2)]);
    }
}
