//! The pseudonym of a value, as an SQL expression computed in the server (so a table is
//! rewritten in one pass, never through this process): a keyed hash of the value, turned into
//! something of the same shape. The key is a per-run random one (or derived from `--seed`),
//! held in a temporary table for the transaction only, never sent back nor logged; without it
//! a pseudonym cannot be traced back to its value, and the same value gives the same pseudonym
//! in every table, so joins and searches still behave.
//!
//! Words are made up from syllables, not taken from real people or places, so that a pseudonym
//! is never a real value by chance (and `--check` can tell a kept value from a new one).

/// The temporary table holding this run's key (one row, one `bytea` column `key`).
pub const KEY_TABLE: &str = "pg_temp.odoodb_pseudonym_key";

/// The shape a pseudonym takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A person's name: "Dalveni Korastor".
    Person,
    /// A company's name: "Velkamor Tradeco".
    Company,
    /// A partner's name: a company's shape when `is_company`, else a person's.
    Partner,
    /// One email address (the first found), at `example.invalid`; the same address in any
    /// column gives the same pseudonym, `email_normalized` included.
    Email,
    /// Every address in a list (`To`, `Cc`, `"Name" <addr>`), each as `Email` would.
    Emails,
    /// A phone number: its `+` and first two digits kept, the rest digits of the hash.
    Phone,
    /// A number in E.164 (`phone_sanitized`, blacklists): as `Phone`, without spaces, so it
    /// stays the sanitized form of the phone's pseudonym.
    PhoneE164,
    /// A street line: "57 Morvalen Street".
    Street,
    /// A second street line: "Unit 12".
    Street2,
    /// A town: "Belkaston".
    City,
    /// A postal code: each digit replaced, letters and layout kept.
    Zip,
    /// A VAT number: its country prefix kept, digits from the hash.
    Vat,
    /// A bank account: an IBAN stays a valid IBAN of its country (check digits computed),
    /// anything else becomes digits.
    BankAccount,
    /// A web address at `example.invalid`.
    Website,
    /// An identifier (passport, social security, badge): hex digits of the hash, the length
    /// kept (12 at least, so unique ones stay unique).
    Identifier,
    /// Digits only, the length kept (a kiosk PIN).
    Digits,
    /// A date moved by 1 to 364 days (never the same date).
    Date,
    /// A short text (a subject, a job title): "Text 3fa2c1d0".
    Text,
    /// Rich text (a message body, a note): one paragraph naming nothing.
    Html,
    /// A login: an email-shaped one as `Email`, else "user-<hash>".
    Login,
    /// A file name: "file-3fa2c1d0" and the extension kept.
    FileName,
    /// Cleared (NULL): tokens, free data no one needs in a copy.
    Clear,
}

const SYLLABLES: [&str; 32] = [
    "bal", "ven", "kor", "das", "mir", "tal", "nor", "vel", "sar", "lon", "dri", "kas", "mel",
    "tor", "fen", "gal", "rin", "zor", "pel", "quin", "lar", "bem", "cor", "dun", "fal", "hes",
    "jor", "kel", "mon", "ros", "tev", "vin",
];
const STREETS: [&str; 8] = ["Street", "Avenue", "Road", "Lane", "Way", "Place", "Drive", "Court"];
const COMPANIES: [&str; 8] =
    ["Tradeco", "Works", "Holdings", "Partners", "Group", "Supplies", "Labs", "Services"];

/// `bytes` bytes of the keyed hash of `value` (an SQL text expression) under `tag`.
fn hash(tag: &str, value: &str) -> String {
    format!("sha256((SELECT key FROM {KEY_TABLE}) || convert_to('{tag}:' || ({value}), 'UTF8'))")
}

/// The hash as hex text.
fn hex(tag: &str, value: &str) -> String {
    format!("encode({}, 'hex')", hash(tag, value))
}

/// The hash as 64 decimal digits (hex digits a–f read as 0–5).
fn digits(tag: &str, value: &str) -> String {
    format!("translate({}, 'abcdef', '012345')", hex(tag, value))
}

/// A word of `count` syllables, capitalised, chosen by bytes `first..` of the hash.
fn word(hash: &str, first: usize, count: usize) -> String {
    let list = format!(
        "ARRAY[{}]",
        SYLLABLES.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(",")
    );
    let parts: Vec<String> = (first..first + count)
        .map(|byte| format!("({list})[1 + get_byte({hash}, {byte}) % {}]", SYLLABLES.len()))
        .collect();
    format!("initcap({})", parts.join(" || "))
}

fn pick(hash: &str, byte: usize, words: &[&str]) -> String {
    let list = words.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(",");
    format!("(ARRAY[{list}])[1 + get_byte({hash}, {byte}) % {}]", words.len())
}

/// The first email address in `value`, lower-cased (the whole text when there is none).
fn address(value: &str) -> String {
    format!(
        "lower(coalesce(substring({value} from '[^[:space:]<>,;\"()]+@[^[:space:]<>,;\"()]+'), btrim({value})))"
    )
}

/// The pseudonym of one email address (already extracted and lower-cased).
fn email_of(address: &str) -> String {
    format!("'user-' || left({}, 16) || '@example.invalid'", hex("email", address))
}

/// The SQL expression of the pseudonym of `column` (a column of any text type, or a date for
/// `Date`; `Partner` reads the row's `is_company`). NULL stays NULL, and an empty text stays
/// empty (it names no one).
pub fn expression(kind: Kind, column: &str) -> String {
    let value = format!("{column}::text");
    let shaped = match kind {
        Kind::Person => person(&value),
        Kind::Company => company(&value),
        Kind::Partner => {
            format!("CASE WHEN is_company THEN {} ELSE {} END", company(&value), person(&value))
        }
        Kind::Email => email_of(&address(&value)),
        // An address as Odoo stores it (lower case, bare) gets the email's pseudonym; anything
        // else is hashed as it is, so two logins Odoo tells apart ("John@x", "john@x") never
        // meet under its UNIQUE constraint.
        Kind::Login => format!(
            "CASE WHEN {value} = {} THEN {} ELSE 'user-' || left({}, 16) END",
            address(&value),
            email_of(&address(&value)),
            hex("login", &value)
        ),
        Kind::Emails => format!(
            "coalesce((SELECT string_agg({}, ', ') FROM regexp_matches({value}, '[^[:space:]<>,;\"()]+@[^[:space:]<>,;\"()]+', 'g') AS found(m)), {})",
            email_of("lower(found.m[1])"),
            email_of(&format!("lower(btrim({value}))"))
        ),
        Kind::Phone | Kind::PhoneE164 => phone(&value, kind == Kind::PhoneE164),
        Kind::Street => {
            let h = hash("street", &format!("lower(btrim({value}))"));
            format!(
                "(1 + get_byte({h}, 0) % 199)::text || ' ' || {} || ' ' || {}",
                word(&h, 1, 3),
                pick(&h, 4, &STREETS)
            )
        }
        Kind::Street2 => {
            let h = hash("street2", &format!("lower(btrim({value}))"));
            format!("'Unit ' || (1 + get_byte({h}, 0) % 99)::text")
        }
        Kind::City => {
            let h = hash("city", &format!("lower(btrim({value}))"));
            format!("{} || 'ton'", word(&h, 0, 2))
        }
        // Each digit replaced; should the replacement give the code back, every digit moves
        // by one instead, so no code stays as it was.
        Kind::Zip => {
            let replaced = format!(
                "translate({value}, '0123456789', left({}, 10))",
                digits("zip", &format!("upper(btrim({value}))"))
            );
            format!(
                "CASE WHEN {replaced} = {value} THEN translate({value}, '0123456789', '1234567890') ELSE {replaced} END"
            )
        }
        Kind::Vat => {
            let clean = format!("upper(regexp_replace({value}, '[^[:alnum:]]', '', 'g'))");
            let d = digits("vat", &clean);
            format!(
                "CASE WHEN {clean} ~ '^[A-Z]{{2}}' THEN left({clean}, 2) || left({d}, greatest(length({clean}) - 2, 8)) ELSE left({d}, greatest(length({clean}), 8)) END"
            )
        }
        Kind::BankAccount => bank_account(&value),
        Kind::Website => format!(
            "'https://site-' || left({}, 12) || '.example.invalid'",
            hex("website", &format!("lower(btrim({value}))"))
        ),
        Kind::Identifier => format!(
            "upper(left({}, greatest(length({value}), 12)))",
            hex("id", &format!("btrim({value})"))
        ),
        Kind::Digits => format!(
            "left({}, greatest(length({value}), 4))",
            digits("digits", &format!("btrim({value})"))
        ),
        Kind::Date => {
            let h = hash("date", &value);
            return format!(
                "CASE WHEN {column} IS NULL THEN NULL ELSE {column} + (1 + (get_byte({h}, 0) * 256 + get_byte({h}, 1)) % 364) END"
            );
        }
        Kind::Text => format!("'Text ' || left({}, 8)", hex("text", &value)),
        Kind::Html => format!("'<p>Pseudonymized ' || left({}, 8) || '</p>'", hex("html", &value)),
        Kind::FileName => format!(
            "'file-' || left({}, 8) || coalesce(substring({value} from '\\.[[:alnum:]]{{1,5}}$'), '')",
            hex("file", &value)
        ),
        Kind::Clear => return "NULL".to_string(),
    };
    format!("CASE WHEN {column} IS NULL OR {column}::text = '' THEN {column} ELSE {shaped} END")
}

fn person(value: &str) -> String {
    let h = hash("name", &format!("lower(btrim({value}))"));
    format!("{} || ' ' || {}", word(&h, 0, 2), word(&h, 2, 3))
}

fn company(value: &str) -> String {
    let h = hash("name", &format!("lower(btrim({value}))"));
    format!("{} || ' ' || {}", word(&h, 2, 3), pick(&h, 5, &COMPANIES))
}

/// The digits of a phone number are hashed (whatever its layout, so `+32 475 12 34 56` and its
/// sanitized `+32475123456` get the same pseudonym); its `+` and two first digits are kept.
fn phone(value: &str, e164: bool) -> String {
    let bare = format!("regexp_replace({value}, '[^0-9]', '', 'g')");
    let d = digits("phone", &bare);
    let gap = if e164 { "" } else { " " };
    format!(
        "CASE WHEN btrim({value}) LIKE '+%' THEN '+' || left({bare}, 2) || '{gap}' || left({d}, greatest(length({bare}) - 2, 6)) \
              WHEN {bare} LIKE '0%' THEN '0' || left({d}, greatest(length({bare}) - 1, 6)) \
              ELSE left({d}, greatest(length({bare}), 6)) END"
    )
}

/// An IBAN (two letters, two digits) stays an IBAN: same country and length, digits from the
/// hash, check digits computed (ISO 13616: 98 minus the number mod 97, letters as 10–35).
fn bank_account(value: &str) -> String {
    let clean = format!("upper(regexp_replace({value}, '[^[:alnum:]]', '', 'g'))");
    let d = digits("bank", &clean);
    let bban = format!("left({d}, greatest(length({clean}) - 4, 8))");
    let country = format!("left({clean}, 2)");
    let letters = format!(
        "(ascii(substr({country}, 1, 1)) - 55)::text || (ascii(substr({country}, 2, 1)) - 55)::text"
    );
    let check =
        format!("lpad((98 - mod(({bban} || {letters} || '00')::numeric, 97))::text, 2, '0')");
    format!(
        "CASE WHEN {clean} ~ '^[A-Z]{{2}}[0-9]{{2}}' THEN {country} || {check} || {bban} \
              ELSE left({d}, greatest(length({clean}), 8)) END"
    )
}
