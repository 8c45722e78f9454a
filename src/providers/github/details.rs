//! GitHub's own facts about an item, kept as typed [`Details`]: which
//! repositories a grant reaches, and how a webhook delivers. In JSON v1 they
//! are the `repository_selection` and `webhook` fields every item has.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::Details;

/// A GitHub item's details: a PAT's or installation's repository selection,
/// or a webhook's delivery settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GithubDetails {
    /// Which repositories a grant reaches (GitHub `repository_selection`).
    #[serde(default)]
    pub repository_selection: Option<RepositorySelection>,
    /// A webhook's delivery settings.
    #[serde(default)]
    pub webhook: Option<WebhookSettings>,
}

crate::impl_details!(GithubDetails);

/// Which repositories a GitHub grant reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RepositorySelection {
    /// Every repository of the organization, including future ones.
    All,
    /// A chosen list (`selected`, or `subset` for PATs).
    Selected,
    /// No repositories (organization permissions only).
    None,
}

/// How a webhook delivers. The secret itself is never read or kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSettings {
    /// Scheme and host of the delivery URL only: paths and queries can hold
    /// tokens. Reduced again when read back or written, whatever a saved file says.
    #[serde(
        default,
        serialize_with = "origin::write",
        deserialize_with = "origin::read"
    )]
    pub url: Option<String>,
    /// Whether deliveries are signed with a shared secret.
    pub secret: bool,
    /// Whether TLS certificate checks are off (`insecure_ssl: "1"`).
    pub insecure_ssl: bool,
    pub events: Vec<String>,
}

impl GithubDetails {
    /// The details as an item carries them: `None` when there is nothing to say.
    pub fn boxed(self) -> Option<Box<dyn Details>> {
        (self != GithubDetails::default()).then(|| Box::new(self) as Box<dyn Details>)
    }

    /// The details back from the fields of a JSON v1 item (other fields are ignored).
    pub fn from_wire(fields: &Map<String, Value>) -> Result<Option<Box<dyn Details>>, String> {
        let mine: Map<String, Value> = ["repository_selection", "webhook"]
            .into_iter()
            .filter_map(|k| Some((k.to_string(), fields.get(k)?.clone())))
            .collect();
        let details: GithubDetails =
            serde_json::from_value(Value::Object(mine)).map_err(|e| e.to_string())?;
        Ok(details.boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_fields_keep_their_v1_names_and_come_back() {
        let d = GithubDetails {
            repository_selection: Some(RepositorySelection::All),
            webhook: Some(WebhookSettings {
                url: Some("https://hooks.example".into()),
                secret: false,
                insecure_ssl: true,
                events: vec!["push".into()],
            }),
        };
        let wire = Details::wire(&d);
        assert_eq!(wire["repository_selection"], json!("all"));
        assert_eq!(wire["webhook"]["insecure_ssl"], json!(true));
        let mut fields = wire.clone();
        fields.insert("path".into(), json!("/ignored/"));
        let back = GithubDetails::from_wire(&fields).unwrap().unwrap();
        assert!(back.dyn_eq(&d));
        let empty = Map::from_iter([
            ("repository_selection".to_string(), Value::Null),
            ("webhook".to_string(), Value::Null),
        ]);
        assert!(GithubDetails::from_wire(&empty).unwrap().is_none());
        let bad = Map::from_iter([("repository_selection".to_string(), json!("some"))]);
        assert!(GithubDetails::from_wire(&bad).is_err());
    }
}

/// A webhook URL reduced to its origin on the way in and out.
mod origin {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::providers::github::model::Origin;

    pub fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(|u| Origin::of(&u).0))
    }

    pub fn write<S: Serializer>(url: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        match url {
            Some(u) => s.serialize_some(&Origin::of(u).0),
            None => s.serialize_none(),
        }
    }
}
