//! What only the per-user and per-account list calls give, put into the
//! inventory: key and certificate ids (matched to the credential report's
//! slots), certificate expiry, SSH public keys, service-specific credentials,
//! server certificates and identity providers.

use std::collections::BTreeMap;

use aws_sdk_iam::primitives::DateTime;
use aws_sdk_iam::types::{
    AccessKeyMetadata, ServerCertificateMetadata, ServiceSpecificCredentialMetadata,
    SigningCertificate, SshPublicKeyMetadata, StatusType, Tag,
};
use jiff::Timestamp;

use super::{cert, timestamp};
use crate::model::{Credential, Identity, Item, Kind, Status};
use crate::providers::aws::details::{self, IdentityDetails};
use crate::providers::aws::policy::{wildcard_match, Effect, PolicyDocument, Statement};
use crate::providers::aws::{
    ACCESS_KEY, CERTIFICATE, ID, SERVER_CERTIFICATE, SERVICE_SPECIFIC_CREDENTIAL, SSH_PUBLIC_KEY,
};

/// The Git actions an IAM SSH public key is good for: it authenticates only to CodeCommit.
const CODECOMMIT_GIT: [&str; 2] = ["codecommit:GitPull", "codecommit:GitPush"];

/// Whether `user`'s policies may let it use CodeCommit over Git, so its SSH
/// public keys are worth listing. Unknown policies count as "may".
pub fn may_use_codecommit(user: &Identity) -> bool {
    let allows = |s: &Statement, action: &str| {
        if s.not_action.is_empty() {
            s.action.iter().any(|a| wildcard_match(a, action))
        } else {
            !s.not_action.iter().any(|a| wildcard_match(a, action))
        }
    };
    let d = details::of(user);
    !d.policies_known
        || d.policies
            .iter()
            .any(|p| match p.document.as_deref().map(PolicyDocument::parse) {
                Some(Ok(doc)) => doc.statements.iter().any(|s| {
                    s.effect == Effect::Allow && CODECOMMIT_GIT.iter().any(|a| allows(s, a))
                }),
                _ => true,
            })
}

/// Adds key ids (and the current status) to `user`'s access keys.
pub fn access_keys(user: &mut Identity, keys: &[AccessKeyMetadata]) {
    for key in keys {
        let Some(id) = key.access_key_id() else {
            continue;
        };
        let c = slot(user, ACCESS_KEY, id, key.create_date());
        c.item.status = status(key.status());
    }
}

/// Adds certificate ids, status and expiry (from the certificate body) to `user`'s signing certificates.
pub fn signing_certificates(user: &mut Identity, certs: &[SigningCertificate]) {
    for sc in certs {
        let c = slot(user, CERTIFICATE, sc.certificate_id(), sc.upload_date());
        c.item.status = status(Some(sc.status()));
        c.item.expires_at = cert::not_after(sc.certificate_body());
    }
}

/// Adds `user`'s SSH public keys.
pub fn ssh_public_keys(user: &mut Identity, keys: &[SshPublicKeyMetadata]) {
    for key in keys {
        let c = slot(
            user,
            SSH_PUBLIC_KEY,
            key.ssh_public_key_id(),
            Some(key.upload_date()),
        );
        c.item.status = status(Some(key.status()));
    }
}

/// Adds a service-specific credential (CodeCommit or Keyspaces password, Bedrock API key) to its user.
pub fn service_specific_credential(user: &mut Identity, m: &ServiceSpecificCredentialMetadata) {
    let c = slot(
        user,
        SERVICE_SPECIFIC_CREDENTIAL,
        m.service_specific_credential_id(),
        Some(m.create_date()),
    );
    c.item.name = format!("{}/{}", SERVICE_SPECIFIC_CREDENTIAL, m.service_name());
    c.item.status = status(Some(m.status()));
    c.item.expires_at = m.expiration_date().and_then(timestamp);
}

/// A server certificate as an identity of the account.
pub fn server_certificate(
    account: &str,
    m: &ServerCertificateMetadata,
    tag_list: &[Tag],
) -> Identity {
    let mut i = provider_identity(
        account,
        m.arn(),
        SERVER_CERTIFICATE,
        m.server_certificate_name(),
    );
    i.item.native_id = Some(m.server_certificate_id().to_string());
    i.item.details = Some(Box::new(IdentityDetails {
        path: Some(m.path().to_string()),
        ..IdentityDetails::default()
    }));
    i.item.created_at = m.upload_date().and_then(timestamp);
    i.item.expires_at = m.expiration().and_then(timestamp);
    i.tags = tags(tag_list);
    i
}

/// An OIDC or SAML identity provider as an identity of the account.
pub fn provider_identity(account: &str, arn: &str, kind: Kind, name: &str) -> Identity {
    Identity::new(Item::new(
        arn.to_string(),
        ID,
        account.to_string(),
        kind,
        name.to_string(),
    ))
}

/// Tags as a map.
pub fn tags(list: &[Tag]) -> BTreeMap<String, String> {
    list.iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect()
}

/// The credential of `kind` on `user` that `native_id` names: the report slot
/// created in the same second, else a slot whose date the report left out,
/// else a new credential `<kind>/<native id>`. Its native id is set.
fn slot<'a>(
    user: &'a mut Identity,
    kind: Kind,
    native_id: &str,
    created: Option<&DateTime>,
) -> &'a mut Credential {
    let created = created.and_then(timestamp);
    let second = |t: Option<Timestamp>| t.map(Timestamp::as_second);
    let free = |c: &Credential| c.item.kind == kind && c.item.native_id.is_none();
    let found = user
        .credentials
        .iter()
        .position(|c| free(c) && second(c.item.created_at) == second(created))
        .or_else(|| {
            user.credentials
                .iter()
                .position(|c| free(c) && c.item.created_at.is_none())
        });
    let index = found.unwrap_or_else(|| {
        let suffix = format!("{kind}/{native_id}");
        let mut item = Item::new(
            format!("{}/{suffix}", user.item.id),
            user.item.provider,
            user.item.scope.clone(),
            kind,
            suffix,
        );
        item.created_at = created;
        user.credentials.push(Credential {
            item,
            parent_id: user.item.id.clone(),
        });
        user.credentials.len() - 1
    });
    let c = &mut user.credentials[index];
    c.item.native_id = Some(native_id.to_string());
    c.item.created_at = c.item.created_at.or(created);
    c
}

fn status(s: Option<&StatusType>) -> Status {
    match s {
        Some(StatusType::Inactive) => Status::Inactive,
        Some(StatusType::Expired) => Status::Expired,
        _ => Status::Active,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LastUsed;
    use crate::providers::aws::details::{of_mut, AttachedPolicy};
    use crate::providers::aws::USER;
    use serde_json::json;
    use std::sync::Arc;

    fn user() -> Identity {
        let mut u = Identity::new(Item::new(
            "arn:aws:iam::111122223333:user/ci".into(),
            ID,
            "111122223333".into(),
            USER,
            "ci".into(),
        ));
        of_mut(&mut u).policies_known = true;
        u
    }

    fn report_key(u: &mut Identity, slot: u8, created: &str) {
        let mut item = Item::new(
            format!("{}/access-key/{slot}", u.item.id),
            ID,
            u.item.scope.clone(),
            ACCESS_KEY,
            format!("access-key/{slot}"),
        );
        item.created_at = Some(created.parse().unwrap());
        item.last_used = LastUsed::Never;
        u.credentials.push(Credential {
            item,
            parent_id: u.item.id.clone(),
        });
    }

    fn key(id: &str, created: &str, status: StatusType) -> AccessKeyMetadata {
        let t: Timestamp = created.parse().unwrap();
        AccessKeyMetadata::builder()
            .access_key_id(id)
            .status(status)
            .create_date(DateTime::from_secs(t.as_second()))
            .build()
    }

    #[test]
    fn key_ids_go_to_the_slot_created_in_the_same_second() {
        let mut u = user();
        report_key(&mut u, 1, "2025-01-01T00:00:00Z");
        report_key(&mut u, 2, "2025-06-01T00:00:00Z");
        access_keys(
            &mut u,
            &[
                key("AKIASECOND", "2025-06-01T00:00:00Z", StatusType::Inactive),
                key("AKIAFIRST", "2025-01-01T00:00:00Z", StatusType::Active),
                key("AKIANEWER", "2025-07-01T00:00:00Z", StatusType::Active),
            ],
        );
        let got: Vec<(&str, Option<&str>, Status)> = u
            .credentials
            .iter()
            .map(|c| {
                (
                    c.item.name.as_str(),
                    c.item.native_id.as_deref(),
                    c.item.status,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("access-key/1", Some("AKIAFIRST"), Status::Active),
                ("access-key/2", Some("AKIASECOND"), Status::Inactive),
                // Created after the report: its own credential, last use unknown.
                ("access-key/AKIANEWER", Some("AKIANEWER"), Status::Active),
            ]
        );
        assert_eq!(u.credentials[2].item.last_used, LastUsed::Unknown);
        assert_eq!(
            u.credentials[2].item.id,
            "arn:aws:iam::111122223333:user/ci/access-key/AKIANEWER"
        );
    }

    #[test]
    fn codecommit_access_decides_ssh_key_listing() {
        let with = |doc: Option<serde_json::Value>| {
            let mut u = user();
            of_mut(&mut u).policies.push(AttachedPolicy {
                name: "p".into(),
                arn: None,
                via: "inline".into(),
                document: doc.map(Arc::new),
            });
            may_use_codecommit(&u)
        };
        let allow = |action: &str| {
            Some(json!({"Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}))
        };
        assert!(with(allow("codecommit:Git*")));
        assert!(with(allow("*")));
        assert!(!with(allow("s3:GetObject")));
        assert!(!with(Some(
            json!({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}})
        )));
        assert!(with(Some(
            json!({"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}})
        )));
        assert!(!with(Some(
            json!({"Statement": {"Effect": "Allow", "NotAction": "codecommit:*", "Resource": "*"}})
        )));
        assert!(with(None), "a policy without its document may allow it");
        assert!(!may_use_codecommit(&user()), "no policies");
        let mut unknown = user();
        of_mut(&mut unknown).policies_known = false;
        assert!(may_use_codecommit(&unknown));
    }
}
