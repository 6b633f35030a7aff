//! What pseudonymize rewrites, table by table, for Odoo 15 to 19: every column that holds a
//! person's data, with the shape its pseudonym takes. A table or column a database does not
//! have is skipped (and reported); nothing here depends on a version number. The credentials
//! (passwords, second factors, keys, tokens) are `credentials`' job.

use super::shapes::Kind::{
    self, BankAccount, City, Clear, Company, Date, Digits, Email, Emails, FileName, Html,
    Identifier, Login, Partner, Person, Phone, PhoneE164, Street, Street2, Text, Vat, Website, Zip,
};

/// Which rows of a table are left as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Every row is rewritten.
    Nothing,
    /// The companies' own partners (and, with `--keep-internal`, internal users' partners).
    OwnPartners,
    /// Odoo's technical users (and, with `--keep-admin`, the administrator's login).
    TechnicalUsers,
    /// Attachments of the site's own material (see `site_attachments_sql`).
    SiteAttachments,
}

/// One table's columns and their shapes.
#[derive(Debug)]
pub struct Rule {
    pub table: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    pub keep: Keep,
}

const fn rule(table: &'static str, columns: &'static [(&'static str, Kind)]) -> Rule {
    Rule { table, columns, keep: Keep::Nothing }
}

/// The models whose attachments are the site's own material, not anyone's: assets and
/// website pages, products, the companies' logos, templates. Every other model's attachments,
/// custom ones included, are taken as people's (their names, their files): the safe side.
const SITE_MODELS: &[&str] = &[
    "res.company",
    "res.country",
    "res.currency",
    "res.lang",
    "mail.template",
    "payment.provider",
    "payment.method",
    // Their names before Odoo 16.
    "payment.acquirer",
    "payment.icon",
    "delivery.carrier",
    "pos.config",
    "pos.category",
    "im_livechat.channel",
    "event.event",
    "slide.channel",
    "slide.slide",
    "blog.blog",
    "blog.post",
];

/// Prefixes of the site's own models: Odoo's technical ones, the website's, themes, products,
/// onboarding pictures, the standard dashboards.
const SITE_MODEL_PREFIXES: &[&str] = &[
    "ir.",
    "website",
    "theme.",
    "web_editor.",
    "product.",
    "onboarding.",
    "spreadsheet.dashboard",
];

/// The SQL condition of the attachments that are the site's own (no model: assets, uploads).
pub fn site_attachments_sql() -> String {
    let models = SITE_MODELS.iter().map(|m| format!("'{m}'")).collect::<Vec<_>>().join(", ");
    let prefixes: Vec<String> =
        SITE_MODEL_PREFIXES.iter().map(|p| format!("res_model LIKE '{p}%'")).collect();
    // A visitor of the website is a person, whatever the prefix says; the companies' own
    // partners (their logos) are the site's, as their names are.
    format!(
        "res_model IS NULL OR ((res_model IN ({models}) OR {}) AND res_model <> 'website.visitor') \
         OR (res_model = 'res.partner' \
         AND coalesce(res_id IN (SELECT partner_id FROM res_company), false))",
        prefixes.join(" OR ")
    )
}

/// The built-in rules. `display_name`/`complete_name` and `commercial_company_name` of partners
/// are derived after (see `derived`), as Odoo computes them.
pub const RULES: &[Rule] = &[
    Rule {
        table: "res_partner",
        columns: &[
            ("name", Partner),
            ("company_name", Company),
            ("email", Email),
            ("email_normalized", Email),
            ("phone", Phone),
            ("mobile", Phone),
            ("phone_sanitized", PhoneE164),
            ("street", Street),
            ("street2", Street2),
            ("street_name", Street),
            ("street_number", Digits),
            ("street_number2", Digits),
            ("zip", Zip),
            ("city", City),
            ("vat", Vat),
            ("company_registry", Identifier),
            ("website", Website),
            ("comment", Html),
            ("ref", Identifier),
            ("function", Text),
            ("peppol_endpoint", Identifier),
            ("partner_latitude", Clear),
            ("partner_longitude", Clear),
            ("additional_info", Clear),
            ("invoice_warn_msg", Text),
            ("sale_warn_msg", Text),
            ("purchase_warn_msg", Text),
            ("picking_warn_msg", Text),
        ],
        keep: Keep::OwnPartners,
    },
    Rule {
        table: "res_users",
        columns: &[
            ("login", Login),
            ("signature", Html),
            ("livechat_username", Person),
            ("out_of_office_message", Html),
        ],
        keep: Keep::TechnicalUsers,
    },
    rule(
        "hr_employee",
        &[
            ("name", Person),
            ("legal_name", Person),
            ("work_email", Email),
            ("work_phone", Phone),
            ("mobile_phone", Phone),
            ("private_email", Email),
            ("private_phone", Phone),
            ("private_street", Street),
            ("private_street2", Street2),
            ("private_zip", Zip),
            ("private_city", City),
            ("identification_id", Identifier),
            ("passport_id", Identifier),
            ("ssnid", Identifier),
            ("sinid", Identifier),
            ("birthday", Date),
            ("place_of_birth", City),
            ("emergency_contact", Person),
            ("emergency_phone", Phone),
            ("spouse_complete_name", Person),
            ("spouse_birthdate", Date),
            ("visa_no", Identifier),
            ("permit_no", Identifier),
            ("study_field", Text),
            ("study_school", Text),
            ("private_car_plate", Identifier),
            ("additional_note", Text),
            ("notes", Text),
            ("departure_description", Html),
            ("barcode", Identifier),
            ("pin", Digits),
            ("passport_expiration_date", Date),
            ("gender", Clear),
            ("children", Clear),
            ("km_home_work", Clear),
            ("distance_home_work", Clear),
            ("private_country_id", Clear),
            ("country_of_birth", Clear),
        ],
    ),
    // Odoo 19: the private data of an employee's contract versions.
    rule(
        "hr_version",
        &[
            ("private_street", Street),
            ("private_street2", Street2),
            ("private_zip", Zip),
            ("private_city", City),
            ("identification_id", Identifier),
            ("passport_id", Identifier),
            ("ssnid", Identifier),
            ("spouse_complete_name", Person),
            ("spouse_birthdate", Date),
            ("additional_note", Text),
            ("departure_description", Html),
        ],
    ),
    // An employee's resource bears the employee's name (the same pseudonym).
    rule("resource_resource", &[("name", Person)]),
    rule(
        "res_partner_bank",
        &[
            ("acc_number", BankAccount),
            ("sanitized_acc_number", BankAccount),
            ("acc_holder_name", Person),
            ("proxy_value", Identifier),
            ("clearing_number", Identifier),
            ("aba_routing", Digits),
            ("note", Text),
        ],
    ),
    rule(
        "account_bank_statement_line",
        &[
            ("partner_name", Person),
            ("account_number", BankAccount),
            // The bank's label names the payer ("Transfer from J. Smith"), its details more.
            ("payment_ref", Text),
            ("transaction_details", Clear),
            ("narration", Html),
        ],
    ),
    rule(
        "crm_lead",
        &[
            // Its title often names the customer ("Chairs for Diaz").
            ("name", Text),
            ("contact_name", Person),
            ("partner_name", Company),
            ("email_from", Email),
            ("email_normalized", Email),
            ("email_cc", Emails),
            ("phone", Phone),
            ("mobile", Phone),
            ("phone_sanitized", PhoneE164),
            ("street", Street),
            ("street2", Street2),
            ("zip", Zip),
            ("city", City),
            ("function", Text),
            ("website", Website),
            ("description", Html),
            ("reveal_ip", Clear),
        ],
    ),
    rule(
        "mail_message",
        &[
            ("body", Html),
            ("subject", Text),
            ("email_from", Emails),
            ("reply_to", Emails),
            ("record_name", Person),
            ("incoming_email_to", Emails),
            ("incoming_email_cc", Emails),
            ("outgoing_email_to", Emails),
        ],
    ),
    rule(
        "mail_mail",
        &[
            ("body_html", Html),
            ("email_to", Emails),
            ("email_cc", Emails),
            ("headers", Clear),
            ("failure_reason", Text),
        ],
    ),
    rule(
        "mail_tracking_value",
        &[
            ("old_value_char", Person),
            ("new_value_char", Person),
            ("old_value_text", Text),
            ("new_value_text", Text),
        ],
    ),
    rule(
        "mail_activity",
        &[("note", Html), ("summary", Text), ("res_name", Person), ("feedback", Text)],
    ),
    rule(
        "mail_notification",
        &[("failure_reason", Text), ("sms_number", Phone), ("mail_email_address", Email)],
    ),
    rule("mail_guest", &[("name", Person), ("email", Email)]),
    rule("mail_blacklist", &[("email", Email)]),
    rule("phone_blacklist", &[("number", PhoneE164)]),
    rule("sms_sms", &[("number", Phone), ("body", Text)]),
    rule(
        "mailing_contact",
        &[
            ("name", Person),
            ("first_name", Person),
            ("last_name", Person),
            ("email", Email),
            ("email_normalized", Email),
            ("company_name", Company),
            ("mobile", Phone),
            ("phone_sanitized", PhoneE164),
        ],
    ),
    rule("mailing_trace", &[("email", Email), ("sms_number", Phone)]),
    rule(
        "event_registration",
        &[
            ("name", Person),
            ("email", Email),
            ("phone", Phone),
            ("mobile", Phone),
            ("company_name", Company),
        ],
    ),
    rule(
        "hr_applicant",
        &[
            ("partner_name", Person),
            ("email_from", Email),
            ("email_normalized", Email),
            ("email_cc", Emails),
            ("partner_phone", Phone),
            ("partner_phone_sanitized", PhoneE164),
            ("partner_mobile", Phone),
            ("linkedin_profile", Website),
            ("description", Html),
            ("applicant_notes", Html),
        ],
    ),
    // Odoo 18: the applicants' person data.
    rule(
        "hr_candidate",
        &[
            ("partner_name", Person),
            ("email_from", Email),
            ("email_normalized", Email),
            ("email_cc", Emails),
            ("partner_phone", Phone),
            ("partner_phone_sanitized", PhoneE164),
            ("linkedin_profile", Website),
        ],
    ),
    rule("calendar_attendee", &[("common_name", Person)]),
    rule(
        "calendar_event",
        &[("name", Text), ("location", Text), ("description", Html), ("videocall_location", Clear)],
    ),
    // Channels: a chat's name is its members' names; what was said is in their messages.
    rule(
        "mail_channel",
        &[
            ("name", Person),
            ("description", Text),
            ("anonymous_name", Person),
            ("livechat_note", Html),
        ],
    ),
    rule(
        "discuss_channel",
        &[
            ("name", Person),
            ("description", Text),
            ("anonymous_name", Person),
            ("livechat_note", Html),
        ],
    ),
    rule("mail_channel_member", &[("custom_channel_name", Text)]),
    rule("discuss_channel_member", &[("custom_channel_name", Text)]),
    rule("mail_channel_partner", &[("custom_channel_name", Text)]),
    rule("chatbot_message", &[("user_raw_answer", Html)]),
    rule("res_users_settings", &[("livechat_username", Person)]),
    rule("res_users_log", &[("ip", Clear)]),
    rule(
        "project_task",
        &[
            ("email_from", Emails),
            ("email_cc", Emails),
            ("partner_email", Email),
            ("partner_phone", Phone),
        ],
    ),
    rule("sale_order", &[("signed_by", Person), ("client_order_ref", Identifier)]),
    rule("rating_rating", &[("feedback", Text)]),
    rule("payment_token", &[("payment_details", Digits)]),
    rule(
        "payment_transaction",
        &[
            ("partner_name", Person),
            ("partner_email", Email),
            ("partner_phone", Phone),
            ("partner_address", Street),
            ("partner_zip", Zip),
            ("partner_city", City),
        ],
    ),
    rule(
        "account_move",
        &[("invoice_partner_display_name", Person), ("invoice_source_email", Email)],
    ),
    rule("website_visitor", &[("name", Person)]),
    rule("survey_user_input", &[("email", Email), ("nickname", Person)]),
    rule(
        "res_device_log",
        &[
            ("ip_address", Clear),
            ("city", Clear),
            ("country", Clear),
            ("user_agent", Clear),
            ("browser", Clear),
        ],
    ),
    rule("link_tracker_click", &[("ip", Clear)]),
    // The text Odoo extracted from every uploaded document, for search: CVs, contracts, IDs.
    rule("ir_attachment", &[("index_content", Clear)]),
    Rule {
        table: "ir_attachment",
        columns: &[("name", FileName), ("description", Text)],
        keep: Keep::SiteAttachments,
    },
];
