//! The stop signal every source watches: one trigger, many cheap receivers. A source that sees
//! it stops at the next safe point (between requests, frames or sends) and returns, so that the
//! pipeline can drain and commit within the job's 10-second budget.

use std::time::Duration;
use tokio::sync::watch;

/// Fires the stop signal.
#[derive(Debug)]
pub struct ShutdownTrigger(watch::Sender<bool>);

/// Watches the stop signal. Clone one per task.
#[derive(Debug, Clone)]
pub struct Shutdown(watch::Receiver<bool>);

/// A new trigger and its receiver.
pub fn shutdown_pair() -> (ShutdownTrigger, Shutdown) {
    let (tx, rx) = watch::channel(false);
    (ShutdownTrigger(tx), Shutdown(rx))
}

impl ShutdownTrigger {
    /// Tells every receiver to stop.
    pub fn trigger(&self) {
        self.0.send_replace(true);
    }

    /// Another receiver of this trigger.
    pub fn subscribe(&self) -> Shutdown {
        Shutdown(self.0.subscribe())
    }
}

impl Shutdown {
    /// True once the stop signal fired (or its trigger was dropped).
    pub fn is_triggered(&self) -> bool {
        *self.0.borrow() || self.0.has_changed().is_err()
    }

    /// Waits until the stop signal fires.
    pub async fn triggered(&mut self) {
        // An Err means the trigger is gone: nobody can ever start us again, so stop too.
        let _ = self.0.wait_for(|stop| *stop).await;
    }

    /// Sleeps for `duration` unless stopped first; true when stopped.
    pub async fn sleep(&mut self, duration: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(duration) => self.is_triggered(),
            _ = self.triggered() => true,
        }
    }
}
