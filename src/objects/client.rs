//! Reaching object storage: the endpoint, region and credentials read the way every S3 tool
//! reads them (`AWS_*`, then `AWS_PROFILE` in `~/.aws/credentials` and `~/.aws/config`), then
//! `[backup.s3]` in the settings, then the default profile; and a client built on them. The
//! client library signs every request; nothing here does.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::{BackoffConfig, ClientOptions, RetryConfig};

use crate::config::Environment;
use crate::config::S3Settings;
use crate::error::Failure;
use crate::secret::Secret;

const DEFAULT_REGION: &str = "us-east-1";
const DEFAULT_TIMEOUT: Duration = Duration::from_mins(2);

/// Where and as whom requests go.
#[derive(Debug, Clone)]
pub struct Reach {
    /// `None`: AWS itself.
    pub endpoint: Option<String>,
    pub region: String,
    pub key_id: String,
    pub secret: Secret,
    pub token: Option<Secret>,
    /// Where the credentials came from, for messages.
    pub source: String,
    pub timeout: Duration,
}

/// A client for one bucket.
#[derive(Debug, Clone)]
pub struct Store {
    pub s3: Arc<AmazonS3>,
    pub bucket: String,
    pub reach: Reach,
}

/// Reads the endpoint, region and credentials. `endpoint` and `region`, when given, are a
/// pending upload's own (an abort goes where the upload went).
pub fn reach(env: &dyn Environment, settings: &S3Settings) -> Result<Reach> {
    let profile_named = env.var("AWS_PROFILE").or_else(|| settings.profile.clone());
    let profile = Profile::read(env, profile_named.as_deref().unwrap_or("default"))?;
    if let Some(named) = &profile_named
        && profile.is_none()
    {
        return Err(Failure::failed(format!(
            "the AWS profile {named:?} is in neither {} nor {}",
            credentials_file(env).display(),
            config_file(env).display()
        ))
        .hint("add it there, or name another with AWS_PROFILE or [backup.s3] profile")
        .into());
    }
    let profile = profile.unwrap_or_default();
    let endpoint = env
        .var("AWS_ENDPOINT_URL_S3")
        .or_else(|| env.var("AWS_ENDPOINT_URL"))
        .or_else(|| settings.endpoint.clone())
        .or_else(|| profile.get("endpoint_url"));
    let region = env
        .var("AWS_REGION")
        .or_else(|| env.var("AWS_DEFAULT_REGION"))
        .or_else(|| settings.region.clone())
        .or_else(|| profile.get("region"))
        .unwrap_or_else(|| DEFAULT_REGION.to_string());
    let from_env =
        env.var("AWS_ACCESS_KEY_ID").zip(env.var("AWS_SECRET_ACCESS_KEY")).map(|(id, secret)| {
            (
                id,
                Secret::new(secret),
                env.var("AWS_SESSION_TOKEN").map(Secret::new),
                "AWS_ACCESS_KEY_ID".to_string(),
            )
        });
    let from_named_profile =
        || env.var("AWS_PROFILE").and_then(|name| profile.credentials(&format!("profile {name}")));
    let from_settings = || {
        let id = settings.access_key_id.clone()?;
        let secret = settings.secret_access_key.clone()?;
        Some((id, secret, settings.session_token.clone(), "[backup.s3] in the settings".into()))
    };
    let from_profile = || {
        profile.credentials(&format!("profile {}", profile_named.as_deref().unwrap_or("default")))
    };
    let Some((key_id, secret, token, source)) =
        from_env.or_else(from_named_profile).or_else(from_settings).or_else(from_profile)
    else {
        return Err(Failure::failed("no credentials for object storage")
            .hint(
                "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (~/.aws/credentials), or access_key_id and secret_access_key in [backup.s3] of the settings",
            )
            .into());
    };
    let timeout = settings.timeout.map_or(DEFAULT_TIMEOUT, |s| Duration::from_secs(s.get()));
    Ok(Reach { endpoint, region, key_id, secret, token, source, timeout })
}

impl Store {
    pub fn new(reach: &Reach, bucket: &str) -> Result<Self> {
        let agent =
            object_store::HeaderValue::from_static(concat!("odoodb/", env!("CARGO_PKG_VERSION")));
        let options = ClientOptions::new()
            .with_user_agent(agent)
            .with_connect_timeout(Duration::from_secs(30).min(reach.timeout))
            .with_timeout(reach.timeout)
            .with_allow_http(reach.endpoint.as_deref().is_some_and(|e| e.starts_with("http://")));
        // A few quick retries for what fails now and then (a dropped connection, a 503); a
        // server that stays silent fails the run within about (retries + 1) × timeout.
        let retry = RetryConfig {
            backoff: BackoffConfig {
                init_backoff: Duration::from_millis(200),
                max_backoff: Duration::from_secs(5),
                base: 2.0,
            },
            max_retries: 2,
            retry_timeout: reach.timeout * 2,
        };
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_region(&reach.region)
            .with_access_key_id(&reach.key_id)
            .with_secret_access_key(reach.secret.expose())
            .with_client_options(options)
            .with_retry(retry);
        if let Some(token) = &reach.token {
            builder = builder.with_token(token.expose());
        }
        if let Some(endpoint) = &reach.endpoint {
            // MinIO, Ceph and Garage want the bucket in the path, not in the host name.
            builder = builder.with_endpoint(endpoint).with_virtual_hosted_style_request(false);
        }
        let s3 = builder.build().map_err(|error| {
            Failure::failed(format!(
                "cannot set up the object-storage client: {}",
                crate::error::one_line(&error.into())
            ))
            .hint("check AWS_ENDPOINT_URL (or [backup.s3] endpoint) and AWS_REGION")
        })?;
        Ok(Self { s3: Arc::new(s3), bucket: bucket.to_string(), reach: reach.clone() })
    }

    /// Where requests go, for messages: the endpoint, or AWS's region.
    pub fn server(&self) -> String {
        self.reach.endpoint.clone().unwrap_or_else(|| format!("AWS S3 ({})", self.reach.region))
    }
}

fn credentials_file(env: &dyn Environment) -> PathBuf {
    env.var("AWS_SHARED_CREDENTIALS_FILE")
        .map_or_else(|| env.home().unwrap_or_default().join(".aws/credentials"), PathBuf::from)
}

fn config_file(env: &dyn Environment) -> PathBuf {
    env.var("AWS_CONFIG_FILE")
        .map_or_else(|| env.home().unwrap_or_default().join(".aws/config"), PathBuf::from)
}

/// One profile's lines from `~/.aws/credentials` (`[name]`) and `~/.aws/config`
/// (`[profile name]`, or `[default]`), credentials file first.
#[derive(Debug, Default)]
struct Profile {
    values: Vec<(String, String)>,
}

impl Profile {
    /// `None` when neither file has the profile.
    fn read(env: &dyn Environment, name: &str) -> Result<Option<Self>> {
        let mut values = Vec::new();
        let mut found = false;
        // The config file names the default profile `[default]` or `[profile default]`.
        let profile_section = format!("profile {name}");
        let config_sections: &[&str] =
            if name == "default" { &["default", "profile default"] } else { &[&profile_section] };
        let places = std::iter::once((credentials_file(env), name))
            .chain(config_sections.iter().map(|section| (config_file(env), *section)));
        for (path, section) in places {
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
                Err(error) => {
                    return Err(Failure::failed(format!(
                        "cannot read {}: {error}",
                        path.display()
                    ))
                    .into());
                }
            };
            if let Some(lines) = ini_section(&text, section) {
                found = true;
                values.extend(lines);
            }
        }
        Ok(found.then_some(Self { values }))
    }

    fn get(&self, key: &str) -> Option<String> {
        self.values.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).filter(|v| !v.is_empty())
    }

    fn credentials(&self, source: &str) -> Option<(String, Secret, Option<Secret>, String)> {
        Some((
            self.get("aws_access_key_id")?,
            Secret::new(self.get("aws_secret_access_key")?),
            self.get("aws_session_token").map(Secret::new),
            format!("[{source}] of ~/.aws"),
        ))
    }
}

/// The `key = value` lines of `[section]` in an INI text, if it has that section.
fn ini_section(text: &str, section: &str) -> Option<Vec<(String, String)>> {
    let mut inside = false;
    let mut found = None::<Vec<(String, String)>>;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = name.trim() == section;
            if inside && found.is_none() {
                found = Some(Vec::new());
            }
            continue;
        }
        if inside
            && let Some((key, value)) = line.split_once('=')
            && let Some(found) = found.as_mut()
        {
            found.push((key.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Env(HashMap<&'static str, String>, PathBuf);

    impl Environment for Env {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).cloned()
        }
        fn home(&self) -> Option<PathBuf> {
            Some(self.1.clone())
        }
        fn os_user(&self) -> Option<String> {
            None
        }
    }

    fn home_with(credentials: &str, config: &str) -> Result<tempfile::TempDir> {
        let home = tempfile::tempdir()?;
        std::fs::create_dir(home.path().join(".aws"))?;
        std::fs::write(home.path().join(".aws/credentials"), credentials)?;
        std::fs::write(home.path().join(".aws/config"), config)?;
        Ok(home)
    }

    #[test]
    fn the_environment_wins_then_the_named_profile_then_the_settings() -> Result<()> {
        let home = home_with(
            "[default]\naws_access_key_id = D\naws_secret_access_key = ds\n[ops]\naws_access_key_id = O\naws_secret_access_key = os\n",
            "[profile ops]\nregion = eu-west-3\nendpoint_url = http://127.0.0.1:9000\n",
        )?;
        let settings = S3Settings {
            access_key_id: Some("S".into()),
            secret_access_key: Some(Secret::new("ss")),
            ..S3Settings::default()
        };
        let mut vars = HashMap::new();
        vars.insert("AWS_ACCESS_KEY_ID", "E".to_string());
        vars.insert("AWS_SECRET_ACCESS_KEY", "es".to_string());
        let env = Env(vars.clone(), home.path().to_path_buf());
        assert_eq!(reach(&env, &settings)?.key_id, "E");
        vars.clear();
        vars.insert("AWS_PROFILE", "ops".to_string());
        let env = Env(vars.clone(), home.path().to_path_buf());
        let ops = reach(&env, &settings)?;
        assert_eq!((ops.key_id.as_str(), ops.region.as_str()), ("O", "eu-west-3"));
        assert_eq!(ops.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        vars.clear();
        let env = Env(vars.clone(), home.path().to_path_buf());
        assert_eq!(reach(&env, &settings)?.key_id, "S");
        assert_eq!(reach(&env, &S3Settings::default())?.key_id, "D");
        vars.insert("AWS_PROFILE", "nope".to_string());
        let env = Env(vars, home.path().to_path_buf());
        assert!(reach(&env, &settings).is_err());
        Ok(())
    }

    #[test]
    fn the_config_file_may_name_the_default_profile_either_way() -> Result<()> {
        let settings = S3Settings::default();
        for section in ["[default]", "[profile default]"] {
            let home = home_with(
                "",
                &format!(
                    "{section}\nregion = eu-north-1\naws_access_key_id = C\naws_secret_access_key = cs\n"
                ),
            )?;
            let env = Env(HashMap::new(), home.path().to_path_buf());
            let reached = reach(&env, &settings)?;
            assert_eq!((reached.key_id.as_str(), reached.region.as_str()), ("C", "eu-north-1"));
        }
        Ok(())
    }

    #[test]
    fn no_credentials_is_one_clear_error() -> Result<()> {
        let home = tempfile::tempdir()?;
        let env = Env(HashMap::new(), home.path().to_path_buf());
        let Err(error) = reach(&env, &S3Settings::default()) else {
            anyhow::bail!("credentials out of nothing");
        };
        assert!(error.to_string().contains("no credentials"), "{error}");
        Ok(())
    }
}
