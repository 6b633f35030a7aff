//! The Ctrl-C / SIGTERM signal as a value the layers can take: they check it between steps and
//! race it against long waits, without knowing about the command line.

use anyhow::Result;
use tokio::sync::watch;

use crate::error::Failure;

#[derive(Debug, Clone)]
pub struct Cancel {
    receiver: watch::Receiver<bool>,
    /// Set by the `Abort` of this handle and of each handle it was linked from (see `linked`),
    /// besides the signals.
    aborts: Vec<watch::Receiver<bool>>,
}

/// Stops the work that holds a `linked` handle, without it counting as Ctrl-C: one half of
/// concurrent work stopping the other when it fails.
#[derive(Debug)]
pub struct Abort {
    sender: watch::Sender<bool>,
}

impl Abort {
    pub fn set(&self) {
        let _ = self.sender.send(true);
    }
}

impl Cancel {
    /// A handle set by the first SIGINT or SIGTERM the process receives.
    pub fn on_signals() -> Self {
        let (sender, receiver) = watch::channel(false);
        tokio::spawn(async move {
            let terminate = async {
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(mut signal) => {
                        signal.recv().await;
                    }
                    Err(_) => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                () = terminate => {}
            }
            let _ = sender.send(true);
            // Keep the sender alive so receivers still see the flag.
            std::future::pending::<()>().await;
        });
        Self { receiver, aborts: Vec::new() }
    }

    /// A handle set whenever this one is (the signals, and the aborts this one was linked from),
    /// or by the `Abort` that comes with it. Cheap: blocking code may poll `is_set` often.
    pub fn linked(&self) -> (Self, Abort) {
        let (sender, receiver) = watch::channel(false);
        let mut aborts = self.aborts.clone();
        aborts.push(receiver);
        (Self { receiver: self.receiver.clone(), aborts }, Abort { sender })
    }

    /// Whether set; synchronous, for blocking code to poll between writes or files.
    pub fn is_set(&self) -> bool {
        *self.receiver.borrow() || self.aborts.iter().any(|abort| *abort.borrow())
    }

    /// Fails with the interrupted kind (exit 130) once set.
    pub fn check(&self) -> Result<()> {
        if self.is_set() { Err(Failure::interrupted().into()) } else { Ok(()) }
    }

    /// Resolves once set.
    pub async fn wait(&self) {
        let mut receiver = self.receiver.clone();
        let signals = async {
            let _ = receiver.wait_for(|set| *set).await;
        };
        if self.aborts.is_empty() {
            return signals.await;
        }
        let aborted = self.aborts.iter().cloned().map(|mut abort| {
            Box::pin(async move {
                // A dropped `Abort` never fires.
                if abort.wait_for(|set| *set).await.is_err() {
                    std::future::pending::<()>().await;
                }
            })
        });
        tokio::select! {
            () = signals => {}
            _ = futures_util::future::select_all(aborted) => {}
        }
    }
}

#[cfg(test)]
impl Cancel {
    /// A handle no signal sets (unit tests run without the runtime that watches signals).
    pub fn never() -> Self {
        let (sender, receiver) = watch::channel(false);
        std::mem::forget(sender);
        Self { receiver, aborts: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linked_handle_is_set_by_its_abort_and_not_the_other_way() {
        let parent = Cancel::never();
        let (linked, abort) = parent.linked();
        assert!(!linked.is_set());
        abort.set();
        assert!(linked.is_set());
        assert!(linked.check().is_err());
        assert!(!parent.is_set());
    }

    #[test]
    fn a_handle_linked_from_a_linked_one_keeps_its_parents_abort() {
        let (parent, abort) = Cancel::never().linked();
        let (child, _child_abort) = parent.linked();
        abort.set();
        assert!(child.is_set());
    }
}
