//! Sharing independent pieces of work among the cores: the one mechanism that reading the
//! index, tracking platforms and fetching samples all use, so that each of them stays a plain
//! loop body.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `work(&mut state, i)` for every `i` in `0..n`, spread over the available cores (at most
/// 8, at most `n`), each thread with its own `state` made by `init`; returns the states, one
/// per thread. Pieces go to whichever thread is free, so give each piece its index if the
/// result must not depend on that. A panic in `work` is raised again in the caller.
pub fn share_work<S: Send>(
    n: usize,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) + Sync,
) -> Vec<S> {
    let threads = threads_for(n);
    if threads == 1 {
        let mut state = init();
        (0..n).for_each(|i| work(&mut state, i));
        return vec![state];
    }
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut state = init();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            return state;
                        }
                        work(&mut state, i);
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// How many threads [`share_work`] uses for `n` pieces: the available cores, at most 8, at
/// most `n`, at least 1. Work split into this many groups keeps every thread busy.
pub fn threads_for(n: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .clamp(1, 8)
        .min(n.max(1))
}

/// `f(i)` for every `i` in `0..n`, computed on the available cores, in index order.
pub fn map_in_order<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let mut done: Vec<(usize, T)> = share_work(n, Vec::new, |out, i| out.push((i, f(i))))
        .into_iter()
        .flatten()
        .collect();
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_piece_is_done_once_and_results_keep_their_order() {
        for n in [0, 1, 2, 7, 100] {
            let squares = map_in_order(n, |i| i * i);
            assert_eq!(squares, (0..n).map(|i| i * i).collect::<Vec<_>>());
            let states = share_work(n, Vec::new, |seen, i| seen.push(i));
            let mut all: Vec<usize> = states.into_iter().flatten().collect();
            all.sort_unstable();
            assert_eq!(all, (0..n).collect::<Vec<_>>());
        }
    }

    #[test]
    #[should_panic(expected = "piece 3")]
    fn a_panic_reaches_the_caller() {
        map_in_order(5, |i| {
            assert!(i != 3, "piece 3");
            i
        });
    }
}
