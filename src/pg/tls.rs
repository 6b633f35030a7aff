//! TLS for PostgreSQL as libpq sets it up: which CAs are trusted (a root certificate file is
//! the only one when given), when the chain and the host name are verified, and the client
//! certificate, whose key others must not read.

use std::path::Path;

use anyhow::{Context as _, Result};

use super::params::{ConnectParams, RootCert, SslMode};
use crate::error::Failure;

pub(super) fn tls_connector(
    params: &ConnectParams,
) -> Result<postgres_native_tls::MakeTlsConnector> {
    let mut builder = native_tls::TlsConnector::builder();
    // libpq verifies the chain in every mode once a root certificate file is there.
    let root_file = match &params.root_cert {
        Some(RootCert::File(path)) if path.is_file() || params.sslmode.verifies() => Some(path),
        _ => None,
    };
    let verify_chain = params.sslmode.verifies() || root_file.is_some();
    if !verify_chain {
        builder.danger_accept_invalid_certs(true);
    }
    if params.sslmode != SslMode::VerifyFull {
        builder.danger_accept_invalid_hostnames(true);
    }
    if let Some(path) = root_file {
        if !path.is_file() {
            return Err(Failure::failed(format!(
                "root certificate file {} does not exist",
                path.display()
            ))
            .hint(format!(
                "give the CA that signed the server's certificate there (or in PGSSLROOTCERT), \
                 use PGSSLROOTCERT=system for the system's CAs, or sslmode=require to skip \
                 verification (sslmode is {})",
                params.sslmode.as_str()
            ))
            .into());
        }
        let pem = std::fs::read(path)
            .with_context(|| format!("cannot read root certificate {}", path.display()))?;
        let certificates = native_tls::Certificate::stack_from_pem(&pem)
            .ok()
            .filter(|certificates| !certificates.is_empty())
            .ok_or_else(|| {
                Failure::failed(format!("{} holds no PEM certificate", path.display()))
                    .hint("sslrootcert must be the CA certificate(s) in PEM form")
            })?;
        // Only the given CA: not the system's store as well, as libpq.
        builder.disable_built_in_roots(true);
        for certificate in certificates {
            builder.add_root_certificate(certificate);
        }
    }
    if let Some(cert) = params.client_cert.as_ref().filter(|p| p.is_file()) {
        builder.identity(client_identity(cert, params.client_key.as_deref())?);
    }
    let connector = builder.build().context("cannot set up TLS")?;
    Ok(postgres_native_tls::MakeTlsConnector::new(connector))
}

/// The client certificate and its key, which (as libpq requires) others must not read.
fn client_identity(cert: &Path, key: Option<&Path>) -> Result<native_tls::Identity> {
    use std::os::unix::fs::MetadataExt as _;
    let key = key.ok_or_else(|| {
        Failure::failed(format!("client certificate {} has no key file", cert.display()))
            .hint("set PGSSLKEY to its private key")
    })?;
    let metadata = std::fs::metadata(key).map_err(|e| {
        Failure::failed(format!(
            "cannot read the key {} of client certificate {}: {e}",
            key.display(),
            cert.display()
        ))
        .hint("set PGSSLKEY to the certificate's private key")
    })?;
    let mode = metadata.mode();
    #[allow(clippy::verbose_bit_mask, reason = "the permission bits read as libpq's check")]
    let root_owned_group_readable = metadata.uid() == 0 && mode & 0o037 == 0;
    if mode & 0o077 != 0 && !root_owned_group_readable {
        return Err(Failure::failed(format!(
            "private key file {} has group or world access",
            key.display()
        ))
        .hint(format!("chmod 600 {}", key.display()))
        .into());
    }
    let cert_pem = std::fs::read(cert)
        .with_context(|| format!("cannot read client certificate {}", cert.display()))?;
    let key_pem =
        std::fs::read(key).with_context(|| format!("cannot read private key {}", key.display()))?;
    native_tls::Identity::from_pkcs8(&cert_pem, &key_pem).map_err(|e| {
        Failure::failed(format!(
            "cannot use client certificate {} with key {}: {e}",
            cert.display(),
            key.display()
        ))
        .hint(format!(
            "both must be PEM, the key unencrypted PKCS#8 (openssl pkcs8 -topk8 -nocrypt -in {} \
             -out new.key)",
            key.display()
        ))
        .into()
    })
}
