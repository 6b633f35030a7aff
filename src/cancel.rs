//! The Ctrl-C / SIGTERM signal as a value the layers can take: they check it between steps and
//! race it against long waits, without knowing about the command line.

use anyhow::Result;
use tokio::sync::watch;

use crate::error::Failure;

#[derive(Debug, Clone)]
pub struct Cancel {
    receiver: watch::Receiver<bool>,
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
        Self { receiver }
    }

    pub fn is_set(&self) -> bool {
        *self.receiver.borrow()
    }

    /// Fails with the interrupted kind (exit 130) once set.
    pub fn check(&self) -> Result<()> {
        if self.is_set() { Err(Failure::interrupted().into()) } else { Ok(()) }
    }

    /// Resolves once set.
    pub async fn wait(&self) {
        let mut receiver = self.receiver.clone();
        let _ = receiver.wait_for(|set| *set).await;
    }
}
