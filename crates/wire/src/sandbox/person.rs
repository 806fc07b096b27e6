//! The sandbox's data types: persons (a number inside, an external user id once identified),
//! installations (a push registration id linked to one person), their contact details, and the
//! state file's document. Plain data with serde; what happens to them is `store`'s.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// At most this many installations, and twice as many persons, are kept (a bound on memory
/// whatever clients send).
pub(crate) const MAX_INSTALLATIONS: usize = 100_000;
pub(crate) const MAX_PERSONS: usize = 2 * MAX_INSTALLATIONS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gender {
    Male,
    Female,
}

/// Infobip's person type: a lead until personalized as a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PersonType {
    #[default]
    Lead,
    Customer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phone {
    pub number: String,
    #[serde(default)]
    pub preferred: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Email {
    pub address: String,
    #[serde(default)]
    pub preferred: bool,
}

/// One person. `personalized` is true once personalize (or a patch setting externalUserId)
/// has identified it; an anonymous person is one created for a fresh installation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Person {
    pub id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phones: Option<Vec<Phone>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emails: Option<Vec<Email>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_attributes: Option<Map<String, Value>>,
    // `type` is a keyword; the Mobile API's name is kept through serde.
    #[allow(clippy::struct_field_names)]
    #[serde(rename = "type")]
    pub person_type: PersonType,
    #[serde(default)]
    pub personalized: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Installation {
    pub push_reg_id: String,
    pub person_id: u64,
    #[serde(default)]
    pub is_primary: bool,
}

/// The file form of the store (docs/guide/sandbox-and-replay.md describes the format).
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StateDoc {
    pub format: String,
    pub version: u32,
    pub next_person_id: u64,
    pub persons: Vec<Person>,
    pub installations: Vec<Installation>,
}

pub(crate) const STATE_FORMAT: &str = "mmjwt-sandbox-state";
pub(crate) const STATE_VERSION: u32 = 1;
