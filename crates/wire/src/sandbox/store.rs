//! The store of persons and installations and the operations the endpoints perform on it.
//! Pure and synchronous: no I/O, no clock; the HTTP layer decides who may call what, this
//! module decides what the data becomes.
//!
//! Operations validate everything before they change anything, so a refused request leaves the
//! store exactly as it was.

use super::api::{ApiError, message_id};
use super::body::{Attributes, Field, Identity, PersonalizeBody, UserPatch};
use super::person::{
    Installation, MAX_INSTALLATIONS, MAX_PERSONS, Person, PersonType, STATE_FORMAT, STATE_VERSION,
    StateDoc,
};
use crate::problem::Code;
use http::StatusCode;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the caller proved, as far as the data is concerned.
#[derive(Debug, Clone, Copy, Default)]
pub struct Access<'a> {
    /// A verified Bearer token's `sub`: the person must have this external user id.
    pub bearer_sub: Option<&'a str>,
    /// jwt-only mode with App authorization: only anonymous persons may be reached.
    pub anonymous_only: bool,
    /// jwt-only mode: a patch may not change externalUserId.
    pub external_id_frozen: bool,
}

/// personalize's query flags. `keep_as_lead: None` (repersonalize) leaves the type alone.
#[derive(Debug, Clone, Copy, Default)]
pub struct PersonalizeFlags {
    pub force_depersonalize: bool,
    pub keep_as_lead: Option<bool>,
    pub set_device_as_primary: bool,
}

/// All persons and installations, with the indexes that make lookups cheap.
#[derive(Debug, Clone)]
pub struct Store {
    persons: BTreeMap<u64, Person>,
    installations: BTreeMap<String, Installation>,
    by_external: HashMap<String, u64>,
    installs_of: HashMap<u64, BTreeSet<String>>,
    next_id: u64,
    strict: bool,
    dirty: bool,
}

impl Store {
    /// An empty store. With `strict`, unknown push registration ids are refused instead of
    /// created.
    pub fn new(strict: bool) -> Store {
        Store {
            persons: BTreeMap::new(),
            installations: BTreeMap::new(),
            by_external: HashMap::new(),
            installs_of: HashMap::new(),
            next_id: 1,
            strict,
            dirty: false,
        }
    }

    /// Rebuilds a store from its file form, refusing anything inconsistent.
    pub fn from_doc(doc: StateDoc, strict: bool) -> Result<Store, String> {
        if doc.format != STATE_FORMAT {
            return Err(format!("format is {:?}, not {STATE_FORMAT:?}", doc.format));
        }
        if doc.version != STATE_VERSION {
            return Err(format!(
                "version {} is not supported (this mmjwt reads version {STATE_VERSION})",
                doc.version
            ));
        }
        let mut s = Store::new(strict);
        s.next_id = doc.next_person_id;
        for p in doc.persons {
            if p.id == 0 || p.id >= s.next_id {
                return Err(format!(
                    "person id {} is not between 1 and nextPersonId",
                    p.id
                ));
            }
            if let Some(e) = &p.external_user_id
                && s.by_external.insert(e.clone(), p.id).is_some()
            {
                return Err(format!("two persons have externalUserId {e:?}"));
            }
            let id = p.id;
            if s.persons.insert(id, p).is_some() {
                return Err(format!("person id {id} appears twice"));
            }
        }
        for i in doc.installations {
            if !s.persons.contains_key(&i.person_id) {
                return Err(format!(
                    "installation {:?} belongs to person {}, which does not exist",
                    i.push_reg_id, i.person_id
                ));
            }
            let reg = i.push_reg_id.clone();
            s.installs_of
                .entry(i.person_id)
                .or_default()
                .insert(reg.clone());
            if s.installations.insert(reg.clone(), i).is_some() {
                return Err(format!("installation {reg:?} appears twice"));
            }
        }
        if s.installations.len() > MAX_INSTALLATIONS || s.persons.len() > MAX_PERSONS {
            return Err("more installations or persons than the sandbox keeps".into());
        }
        Ok(s)
    }

    /// The file form.
    pub fn to_doc(&self) -> StateDoc {
        StateDoc {
            format: STATE_FORMAT.into(),
            version: STATE_VERSION,
            next_person_id: self.next_id,
            persons: self.persons.values().cloned().collect(),
            installations: self.installations.values().cloned().collect(),
        }
    }

    /// True once after any change (the caller saves the state then).
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    pub fn has_installation(&self, push_reg_id: &str) -> bool {
        self.installations.contains_key(push_reg_id)
    }

    pub fn installation_count(&self) -> usize {
        self.installations.len()
    }

    pub fn person_count(&self) -> usize {
        self.persons.len()
    }

    /// Registers an installation (`--installation`) with a fresh anonymous person, if unknown.
    pub fn register(&mut self, push_reg_id: &str) -> Result<(), ApiError> {
        if !self.installations.contains_key(push_reg_id) {
            self.check_room(1, 1)?;
            self.create_installation(push_reg_id);
        }
        Ok(())
    }

    /// fetchUser: the user JSON of the installation's person.
    pub fn fetch(
        &mut self,
        push_reg_id: &str,
        access: &Access<'_>,
        instances: bool,
    ) -> Result<Value, ApiError> {
        let id = self.reach(push_reg_id, access)?;
        Ok(self.user_json(id, instances))
    }

    /// saveUser: merges the patch into the installation's person; `null` deletes.
    pub fn patch(
        &mut self,
        push_reg_id: &str,
        access: &Access<'_>,
        patch: &UserPatch,
        instances: bool,
    ) -> Result<Value, ApiError> {
        // Everything is checked against the current (or would-be) person before any change.
        let current = self.person_of(push_reg_id)?;
        Self::check_access(current, access)?;
        let current_ext = current.and_then(|p| p.external_user_id.as_deref());
        let new_ext = match &patch.external_user_id {
            Field::Absent => None,
            Field::Null => Some(None),
            Field::Set(e) => Some(Some(e.as_str())),
        };
        if let Some(new_ext) = new_ext
            && new_ext != current_ext
        {
            if access.external_id_frozen {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    message_id::EXTERNAL_USER_ID_CHANGE_FORBIDDEN,
                    "externalUserId cannot be changed by saving the user when JWT authorization is required; personalize instead",
                ));
            }
            if let Some(e) = new_ext
                && self.by_external.contains_key(e)
            {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    message_id::USER_MERGE_INTERRUPTED,
                    format!(
                        "another person already has externalUserId {}; personalize to join it",
                        Value::String(e.to_owned())
                    ),
                ));
            }
        }
        let id = self.reach(push_reg_id, access)?;
        self.apply_ext_id(id, &patch.external_user_id);
        let p = self.person_mut(id);
        set_field(&mut p.phones, &patch.phones);
        set_field(&mut p.emails, &patch.emails);
        apply_attributes(p, &patch.attributes);
        self.dirty = true;
        Ok(self.user_json(id, instances))
    }

    /// personalize / repersonalize: links the installation to the person the identity names,
    /// creating it from the installation's anonymous person or merging that one into it.
    pub fn personalize(
        &mut self,
        push_reg_id: &str,
        body: &PersonalizeBody,
        flags: PersonalizeFlags,
    ) -> Result<Value, ApiError> {
        let target = self.candidate(&body.identity)?;
        let current = self.person_of(push_reg_id)?;
        if let Some(cur) = current
            && Some(cur.id) != target
            && cur.personalized
            && !flags.force_depersonalize
        {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                message_id::PERSONALIZATION_IMPOSSIBLE,
                "this installation is personalized with another person; depersonalize first or set forceDepersonalize=true",
            ));
        }
        let new_persons = usize::from(target.is_none());
        self.check_room(
            usize::from(current.is_none()),
            usize::from(current.is_none()) + new_persons,
        )?;

        let cur = self.ensure_installation(push_reg_id);
        let cur_personalized = self.persons[&cur].personalized;
        let id = match target {
            Some(t) if t == cur => t,
            Some(t) => {
                if !cur_personalized {
                    self.merge_into(cur, t);
                }
                self.link(push_reg_id, t);
                t
            }
            None if cur_personalized => {
                let fresh = self.new_person();
                self.link(push_reg_id, fresh);
                fresh
            }
            None => cur,
        };
        self.remove_if_orphaned_anonymous(cur);

        let newly = !self.persons[&id].personalized;
        if let Some(e) = &body.identity.external_user_id {
            self.apply_ext_id(id, &Field::Set(e.clone()));
        }
        let p = self.person_mut(id);
        union_into(&mut p.phones, &body.identity.phones, |x| &x.number);
        union_into(&mut p.emails, &body.identity.emails, |x| &x.address);
        apply_attributes(p, &body.attributes);
        p.person_type = match flags.keep_as_lead {
            Some(true) => PersonType::Lead,
            Some(false) => PersonType::Customer,
            None if newly => PersonType::Customer,
            None => p.person_type,
        };
        p.personalized = true;
        if flags.set_device_as_primary {
            let regs: Vec<String> = self.installs_of[&id].iter().cloned().collect();
            for r in regs {
                if let Some(i) = self.installations.get_mut(&r) {
                    i.is_primary = r == push_reg_id;
                }
            }
        }
        self.dirty = true;
        Ok(self.user_json(id, true))
    }

    /// depersonalize: the installation leaves its person (who keeps the data) and gets a fresh
    /// anonymous one.
    pub fn depersonalize(&mut self, push_reg_id: &str) -> Result<(), ApiError> {
        let current = self.person_of(push_reg_id)?;
        let personalized = current.is_some_and(|p| p.personalized);
        self.check_room(usize::from(current.is_none()), 1)?;
        let cur = self.ensure_installation(push_reg_id);
        if personalized {
            let fresh = self.new_person();
            self.link(push_reg_id, fresh);
            if let Some(i) = self.installations.get_mut(push_reg_id) {
                i.is_primary = false;
            }
            self.remove_if_orphaned_anonymous(cur);
            self.dirty = true;
        }
        Ok(())
    }

    /// The user JSON the endpoints answer with (field names as the SDKs read them).
    pub fn user_json(&self, id: u64, instances: bool) -> Value {
        let p = &self.persons[&id];
        let mut m = Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                m.insert(k.to_owned(), v);
            }
        };
        let s = |o: &Option<String>| o.clone().map(Value::String);
        put("externalUserId", s(&p.external_user_id));
        put("firstName", s(&p.first_name));
        put("lastName", s(&p.last_name));
        put("middleName", s(&p.middle_name));
        put("gender", p.gender.map(|g| json!(g)));
        put("birthday", s(&p.birthday));
        put("type", Some(json!(p.person_type)));
        put("phones", p.phones.as_ref().map(|v| json!(v)));
        put("emails", p.emails.as_ref().map(|v| json!(v)));
        put("tags", p.tags.as_ref().map(|v| json!(v)));
        put(
            "customAttributes",
            p.custom_attributes.clone().map(Value::Object),
        );
        if instances {
            let list: Vec<Value> = self
                .installs_of
                .get(&id)
                .into_iter()
                .flatten()
                .filter_map(|r| self.installations.get(r))
                .map(|i| json!({"pushRegId": i.push_reg_id, "regEnabled": true, "isPrimary": i.is_primary}))
                .collect();
            put("instances", Some(Value::Array(list)));
        }
        Value::Object(m)
    }

    // ---- internals ----

    /// The installation's person, `None` when the installation would be created; refuses
    /// unknown ids in strict mode.
    fn person_of(&self, push_reg_id: &str) -> Result<Option<&Person>, ApiError> {
        match self.installations.get(push_reg_id) {
            Some(i) => Ok(Some(&self.persons[&i.person_id])),
            None if self.strict => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                message_id::NO_REGISTRATION,
                "no installation has this push registration id (the sandbox runs with --strict-installations)",
            )),
            None => Ok(None),
        }
    }

    fn check_access(person: Option<&Person>, access: &Access<'_>) -> Result<(), ApiError> {
        let ext = person.and_then(|p| p.external_user_id.as_deref());
        if let Some(sub) = access.bearer_sub
            && ext != Some(sub)
        {
            let whose = match ext {
                Some(e) => format!("the person's externalUserId {}", Value::String(e.into())),
                None => "the person, who has no externalUserId".to_string(),
            };
            return Err(ApiError::unauthorized(
                Code::SubMismatch.as_str(),
                format!(
                    "the token's sub {} does not identify {whose}",
                    Value::String(sub.into())
                ),
            ));
        }
        if access.anonymous_only && person.is_some_and(|p| p.personalized) {
            return Err(ApiError::unauthorized(
                message_id::JWT_REQUIRED,
                "this installation belongs to a personalized person; with JWT authorization required, its data needs a Bearer token",
            ));
        }
        Ok(())
    }

    /// Checks access, then creates the installation if needed; returns the person id.
    fn reach(&mut self, push_reg_id: &str, access: &Access<'_>) -> Result<u64, ApiError> {
        let current = self.person_of(push_reg_id)?;
        Self::check_access(current, access)?;
        if current.is_none() {
            self.check_room(1, 1)?;
        }
        Ok(self.ensure_installation(push_reg_id))
    }

    fn check_room(&self, installations: usize, persons: usize) -> Result<(), ApiError> {
        if self.installations.len() + installations > MAX_INSTALLATIONS
            || self.persons.len() + persons > MAX_PERSONS
        {
            return Err(ApiError::new(
                StatusCode::INSUFFICIENT_STORAGE,
                message_id::SANDBOX_FULL,
                format!(
                    "the sandbox keeps at most {MAX_INSTALLATIONS} installations and {MAX_PERSONS} persons"
                ),
            ));
        }
        Ok(())
    }

    fn ensure_installation(&mut self, push_reg_id: &str) -> u64 {
        match self.installations.get(push_reg_id) {
            Some(i) => i.person_id,
            None => self.create_installation(push_reg_id),
        }
    }

    fn create_installation(&mut self, push_reg_id: &str) -> u64 {
        let id = self.new_person();
        self.installations.insert(
            push_reg_id.to_owned(),
            Installation {
                push_reg_id: push_reg_id.to_owned(),
                person_id: id,
                is_primary: false,
            },
        );
        self.installs_of
            .entry(id)
            .or_default()
            .insert(push_reg_id.to_owned());
        self.dirty = true;
        id
    }

    fn new_person(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.persons.insert(
            id,
            Person {
                id,
                ..Person::default()
            },
        );
        self.dirty = true;
        id
    }

    fn person_mut(&mut self, id: u64) -> &mut Person {
        self.persons
            .get_mut(&id)
            .expect("person ids come from the store itself")
    }

    fn link(&mut self, push_reg_id: &str, person: u64) {
        let Some(i) = self.installations.get_mut(push_reg_id) else {
            return;
        };
        let old = std::mem::replace(&mut i.person_id, person);
        if let Some(set) = self.installs_of.get_mut(&old) {
            set.remove(push_reg_id);
        }
        self.installs_of
            .entry(person)
            .or_default()
            .insert(push_reg_id.to_owned());
    }

    /// An anonymous person nobody's installation points to any more is gone for good.
    fn remove_if_orphaned_anonymous(&mut self, id: u64) {
        let orphan = self.installs_of.get(&id).is_none_or(BTreeSet::is_empty);
        if orphan && self.persons.get(&id).is_some_and(|p| !p.personalized) {
            self.persons.remove(&id);
            self.installs_of.remove(&id);
        }
    }

    fn apply_ext_id(&mut self, id: u64, f: &Field<String>) {
        let p = self.persons.get_mut(&id).expect("known person");
        match f {
            Field::Absent => {}
            Field::Null => {
                if let Some(old) = p.external_user_id.take() {
                    self.by_external.remove(&old);
                }
            }
            Field::Set(e) => {
                if let Some(old) = p.external_user_id.replace(e.clone()) {
                    self.by_external.remove(&old);
                }
                p.personalized = true;
                self.by_external.insert(e.clone(), id);
            }
        }
    }

    /// The existing person the identity names: by externalUserId if given, otherwise the one
    /// person owning any of its emails or phones.
    fn candidate(&self, identity: &Identity) -> Result<Option<u64>, ApiError> {
        if let Some(e) = &identity.external_user_id {
            return Ok(self.by_external.get(e).copied());
        }
        let matches: BTreeSet<u64> = self
            .persons
            .values()
            .filter(|p| {
                p.personalized
                    && (p
                        .emails
                        .iter()
                        .flatten()
                        .any(|m| identity.emails.iter().any(|x| x.address == m.address))
                        || p.phones
                            .iter()
                            .flatten()
                            .any(|m| identity.phones.iter().any(|x| x.number == m.number)))
            })
            .map(|p| p.id)
            .collect();
        match matches.len() {
            0 => Ok(None),
            1 => Ok(matches.first().copied()),
            n => Err(ApiError::new(
                StatusCode::CONFLICT,
                message_id::AMBIGUOUS_PERSONALIZE_CANDIDATES,
                format!("{n} persons own these emails or phones; add an externalUserId to choose"),
            )),
        }
    }

    /// Folds anonymous person `from` into `into`: `into` keeps what it has, `from` fills gaps.
    fn merge_into(&mut self, from: u64, into: u64) {
        let Some(src) = self.persons.get(&from).cloned() else {
            return;
        };
        let dst = self.person_mut(into);
        fill(&mut dst.first_name, src.first_name);
        fill(&mut dst.last_name, src.last_name);
        fill(&mut dst.middle_name, src.middle_name);
        fill(&mut dst.gender, src.gender);
        fill(&mut dst.birthday, src.birthday);
        union_into(&mut dst.phones, &src.phones.unwrap_or_default(), |x| {
            &x.number
        });
        union_into(&mut dst.emails, &src.emails.unwrap_or_default(), |x| {
            &x.address
        });
        union_into(&mut dst.tags, &src.tags.unwrap_or_default(), |x| x);
        if let Some(src_attrs) = src.custom_attributes {
            let d = dst.custom_attributes.get_or_insert_with(Map::new);
            for (k, v) in src_attrs {
                d.entry(k).or_insert(v);
            }
        }
    }
}

fn set_field<T: Clone>(slot: &mut Option<T>, f: &Field<T>) {
    match f {
        Field::Absent => {}
        Field::Null => *slot = None,
        Field::Set(v) => *slot = Some(v.clone()),
    }
}

fn fill<T>(slot: &mut Option<T>, v: Option<T>) {
    if slot.is_none() {
        *slot = v;
    }
}

/// Adds the items of `extra` not already in `slot` (compared by `key`).
fn union_into<T: Clone, K: PartialEq + ?Sized>(
    slot: &mut Option<Vec<T>>,
    extra: &[T],
    key: impl Fn(&T) -> &K,
) {
    if extra.is_empty() {
        return;
    }
    let list = slot.get_or_insert_with(Vec::new);
    for x in extra {
        if !list.iter().any(|y| key(y) == key(x)) {
            list.push(x.clone());
        }
    }
}

fn apply_attributes(p: &mut Person, a: &Attributes) {
    set_field(&mut p.first_name, &a.first_name);
    set_field(&mut p.last_name, &a.last_name);
    set_field(&mut p.middle_name, &a.middle_name);
    set_field(&mut p.gender, &a.gender);
    set_field(&mut p.birthday, &a.birthday);
    set_field(&mut p.tags, &a.tags);
    match &a.custom_attributes {
        Field::Absent => {}
        Field::Null => p.custom_attributes = None,
        Field::Set(m) => {
            let cur = p.custom_attributes.get_or_insert_with(Map::new);
            for (k, v) in m {
                if v.is_null() {
                    cur.remove(k);
                } else {
                    cur.insert(k.clone(), v.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::body;

    fn patch(v: Value) -> UserPatch {
        body::user_patch(v.as_object().unwrap()).unwrap()
    }

    fn pers(v: Value) -> PersonalizeBody {
        body::personalize(v.as_object().unwrap()).unwrap()
    }

    /// Personalizes installation `r` as the person with external user id "a".
    fn personalize_as_a(s: &mut Store) -> Value {
        s.personalize(
            "r",
            &pers(json!({"userIdentity": {"externalUserId": "a"}})),
            PersonalizeFlags::default(),
        )
        .unwrap()
    }

    const OPEN: Access<'static> = Access {
        bearer_sub: None,
        anonymous_only: false,
        external_id_frozen: false,
    };

    #[test]
    fn fetch_creates_an_anonymous_person() {
        let mut s = Store::new(false);
        let u = s.fetch("r1", &OPEN, true).unwrap();
        assert_eq!(
            u,
            json!({"type": "LEAD", "instances": [{"pushRegId": "r1", "regEnabled": true, "isPrimary": false}]})
        );
        assert!(s.take_dirty());
        s.fetch("r1", &OPEN, false).unwrap();
        assert!(!s.take_dirty(), "a second fetch changes nothing");
        assert_eq!(
            s.fetch("r1", &OPEN, false).unwrap(),
            json!({"type": "LEAD"})
        );
    }

    #[test]
    fn strict_store_refuses_unknown_installations() {
        let mut s = Store::new(true);
        let e = s.fetch("nope", &OPEN, false).unwrap_err();
        assert_eq!(e.message_id, message_id::NO_REGISTRATION);
        assert_eq!(s.installation_count(), 0);
        s.register("known").unwrap();
        assert!(s.fetch("known", &OPEN, false).is_ok());
    }

    #[test]
    fn patch_merges_and_null_deletes() {
        let mut s = Store::new(false);
        s.patch(
            "r",
            &OPEN,
            &patch(
                json!({"firstName": "A", "lastName": "B", "customAttributes": {"x": 1, "y": 2}}),
            ),
            false,
        )
        .unwrap();
        let u = s
            .patch(
                "r",
                &OPEN,
                &patch(json!({"lastName": null, "customAttributes": {"x": null, "z": true}})),
                false,
            )
            .unwrap();
        assert_eq!(
            u,
            json!({"firstName": "A", "type": "LEAD", "customAttributes": {"y": 2, "z": true}})
        );
    }

    #[test]
    fn personalize_creates_then_merges_and_conflicts() {
        let mut s = Store::new(false);
        s.patch(
            "r1",
            &OPEN,
            &patch(json!({"firstName": "Anon", "tags": ["t1"]})),
            false,
        )
        .unwrap();
        let u = s
            .personalize(
                "r1",
                &pers(json!({"userIdentity": {"externalUserId": "alice"}})),
                PersonalizeFlags::default(),
            )
            .unwrap();
        assert_eq!(u["externalUserId"], "alice");
        assert_eq!(u["firstName"], "Anon", "the anonymous person became alice");
        assert_eq!(u["type"], "CUSTOMER");
        let before = s.person_count();

        // A second device, anonymous with its own data, joins alice: alice's values win.
        s.patch(
            "r2",
            &OPEN,
            &patch(json!({"firstName": "Other", "tags": ["t2"]})),
            false,
        )
        .unwrap();
        let flags = PersonalizeFlags {
            set_device_as_primary: true,
            ..PersonalizeFlags::default()
        };
        let u = s
            .personalize(
                "r2",
                &pers(json!({"userIdentity": {"externalUserId": "alice"}})),
                flags,
            )
            .unwrap();
        assert_eq!(u["firstName"], "Anon");
        assert_eq!(u["tags"], json!(["t1", "t2"]));
        assert_eq!(u["instances"].as_array().unwrap().len(), 2);
        assert_eq!(
            s.person_count(),
            before,
            "the merged anonymous person is gone"
        );
        let primary: Vec<bool> = u["instances"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["isPrimary"].as_bool().unwrap())
            .collect();
        assert_eq!(primary, vec![false, true]);

        // r1 belongs to alice: personalizing it as bob needs forceDepersonalize.
        let bob = pers(json!({"userIdentity": {"externalUserId": "bob"}}));
        let e = s
            .personalize("r1", &bob, PersonalizeFlags::default())
            .unwrap_err();
        assert_eq!(e.message_id, message_id::PERSONALIZATION_IMPOSSIBLE);
        let force = PersonalizeFlags {
            force_depersonalize: true,
            keep_as_lead: Some(true),
            ..PersonalizeFlags::default()
        };
        let u = s.personalize("r1", &bob, force).unwrap();
        assert_eq!(u["externalUserId"], "bob");
        assert_eq!(u["type"], "LEAD");
        assert!(u.get("firstName").is_none(), "bob starts empty");
    }

    #[test]
    fn depersonalize_leaves_the_person_behind() {
        let mut s = Store::new(false);
        personalize_as_a(&mut s);
        s.depersonalize("r").unwrap();
        assert_eq!(s.fetch("r", &OPEN, false).unwrap(), json!({"type": "LEAD"}));
        // alice still exists: personalizing again finds her.
        let u = personalize_as_a(&mut s);
        assert_eq!(u["externalUserId"], "a");
    }

    #[test]
    fn access_rules() {
        let mut s = Store::new(false);
        personalize_as_a(&mut s);
        let bearer_b = Access {
            bearer_sub: Some("b"),
            ..OPEN
        };
        assert_eq!(
            s.fetch("r", &bearer_b, false).unwrap_err().message_id,
            Code::SubMismatch.as_str()
        );
        let app_jwt_only = Access {
            anonymous_only: true,
            external_id_frozen: true,
            ..OPEN
        };
        assert_eq!(
            s.fetch("r", &app_jwt_only, false).unwrap_err().message_id,
            message_id::JWT_REQUIRED
        );
        assert!(s.fetch("anon", &app_jwt_only, false).is_ok());
        let e = s
            .patch(
                "anon",
                &app_jwt_only,
                &patch(json!({"externalUserId": "x"})),
                false,
            )
            .unwrap_err();
        assert_eq!(e.message_id, message_id::EXTERNAL_USER_ID_CHANGE_FORBIDDEN);
        let bearer_a = Access {
            bearer_sub: Some("a"),
            external_id_frozen: true,
            ..OPEN
        };
        // Repeating the same externalUserId is not a change.
        assert!(
            s.patch(
                "r",
                &bearer_a,
                &patch(json!({"externalUserId": "a", "firstName": "A"})),
                false
            )
            .is_ok()
        );
        let e = s
            .patch("anon", &OPEN, &patch(json!({"externalUserId": "a"})), false)
            .unwrap_err();
        assert_eq!(e.message_id, message_id::USER_MERGE_INTERRUPTED);
    }

    #[test]
    fn doc_round_trip_and_refusals() {
        let mut s = Store::new(false);
        s.personalize(
            "r",
            &pers(
                json!({"userIdentity": {"externalUserId": "a", "emails": [{"address": "a@b.c"}]}}),
            ),
            PersonalizeFlags::default(),
        )
        .unwrap();
        s.fetch("r2", &OPEN, false).unwrap();
        let text = serde_json::to_string(&s.to_doc()).unwrap();
        let back = Store::from_doc(serde_json::from_str(&text).unwrap(), false).unwrap();
        assert_eq!(back.user_json(1, true), s.user_json(1, true));
        assert_eq!(serde_json::to_string(&back.to_doc()).unwrap(), text);

        let mut doc = s.to_doc();
        doc.installations[0].person_id = 99;
        assert!(Store::from_doc(doc, false).is_err());
        let mut doc = s.to_doc();
        doc.version = 2;
        assert!(Store::from_doc(doc, false).is_err());
    }
}
