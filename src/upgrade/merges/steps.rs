//! Which of Odoo's own modules an upgrade merges, renames or removes, step by step: facts
//! only, gathered from two published sources (no code of theirs is used).
//!
//! - Odoo's upgrade scripts, `migrations/base/<version>/pre-10-modules.py` of every series from
//!   saas~15.1 to saas~18.5 (their module merges, renames and removals), as published in the
//!   history of github.com/odoo/mail-client-extensions (refs/pull/51/head, commit cac2819f,
//!   2025-09-29). An upgrade runs every script in between: 17.0 → 18.0 runs saas~17.1 to 18.0.
//! - OCA/OpenUpgrade's `openupgrade_scripts/apriori.py` of each branch 16.0 to 19.0 (its
//!   `# odoo` and `# odoo/enterprise` entries): the same changes seen by OpenUpgrade, and 19.0,
//!   whose last script Odoo has not published.
//!
//! Where they disagree, Odoo's scripts win: a module Odoo removes is removed, whatever
//! OpenUpgrade maps it to (often an OCA module, not Odoo's). OCA modules are not listed.

use super::Change;

/// When a step applies: Odoo's scripts do some only with (or without) Enterprise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Only {
    Always,
    /// The module is one of Odoo Enterprise's (its license is OEEL-1): an Enterprise name that
    /// a community database holds is someone's own module.
    EnterpriseModule,
    /// The database runs Enterprise (`web_enterprise` installed).
    WithEnterprise,
    /// The database runs Community only.
    WithoutEnterprise,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Step {
    /// The series whose script makes the change: (17, 2) is saas~17.2, (18, 0) is 18.0.
    pub(super) at: (u32, u32),
    pub(super) module: &'static str,
    pub(super) change: Change,
    /// The successor; empty when removed.
    pub(super) into: &'static str,
    pub(super) only: Only,
    /// Said after the change ("moved to Enterprise").
    pub(super) note: &'static str,
}

const fn step(at: (u32, u32), module: &'static str, change: Change, into: &'static str) -> Step {
    Step { at, module, change, into, only: Only::Always, note: "" }
}

const fn merged(at: (u32, u32), module: &'static str, into: &'static str) -> Step {
    step(at, module, Change::Merged, into)
}

const fn renamed(at: (u32, u32), module: &'static str, into: &'static str) -> Step {
    step(at, module, Change::Renamed, into)
}

const fn removed(at: (u32, u32), module: &'static str) -> Step {
    step(at, module, Change::Removed, "")
}

impl Step {
    const fn ee(self) -> Self {
        Self { only: Only::EnterpriseModule, ..self }
    }

    const fn with_enterprise(self) -> Self {
        Self { only: Only::WithEnterprise, ..self }
    }

    const fn without_enterprise(self) -> Self {
        Self { only: Only::WithoutEnterprise, ..self }
    }

    const fn note(self, note: &'static str) -> Self {
        Self { note, ..self }
    }
}

/// Every step, in the order Odoo's scripts run them (by series, then as each script lists
/// them): a chain (renamed in one step, merged in a later one) is followed by reading once.
#[rustfmt::skip]
pub(super) const STEPS: &[Step] = &[
    // saas~15.1
    renamed((15, 1), "l10n_de_purchase", "l10n_din5008_purchase"),
    renamed((15, 1), "l10n_de_repair", "l10n_din5008_repair"),
    renamed((15, 1), "l10n_de_sale", "l10n_din5008_sale"),
    renamed((15, 1), "l10n_de_stock", "l10n_din5008_stock"),
    removed((15, 1), "note_pad"),
    removed((15, 1), "pad_project"),
    removed((15, 1), "pad"),
    removed((15, 1), "project_account"),
    // saas~15.2
    merged((15, 2), "website_helpdesk_form", "website_helpdesk").ee(),
    merged((15, 2), "l10n_be_hr_payroll_canteen", "l10n_be_hr_contract_salary").ee(),
    merged((15, 2), "l10n_be_hr_payroll_december", "l10n_be_hr_payroll").ee(),
    merged((15, 2), "l10n_be_hr_payroll_holiday_pay_recovery", "l10n_be_hr_payroll").ee(),
    merged((15, 2), "l10n_be_hr_payroll_report_measures", "l10n_be_hr_payroll").ee(),
    merged((15, 2), "l10n_be_hr_contract_salary_group_insurance", "l10n_be_hr_payroll").ee(),
    merged((15, 2), "account_asset_ndt", "account_asset").ee(),
    merged((15, 2), "base_address_city", "base_address_extended"),
    // saas~15.3
    merged((15, 3), "l10n_sa_invoice", "l10n_sa"),
    merged((15, 3), "sale_project_account", "sale_project"),
    merged((15, 3), "account_sale_timesheet", "sale_project"),
    renamed((15, 3), "coupon", "loyalty"),
    merged((15, 3), "gift_card", "loyalty"),
    renamed((15, 3), "sale_coupon", "sale_loyalty"),
    merged((15, 3), "sale_gift_card", "sale_loyalty"),
    renamed((15, 3), "sale_coupon_delivery", "sale_loyalty_delivery"),
    renamed((15, 3), "sale_coupon_taxcloud", "sale_loyalty_taxcloud").ee(),
    renamed((15, 3), "sale_coupon_taxcloud_delivery", "sale_loyalty_taxcloud_delivery").ee(),
    renamed((15, 3), "website_sale_coupon", "website_sale_loyalty"),
    merged((15, 3), "website_sale_gift_card", "website_sale_loyalty"),
    renamed((15, 3), "website_sale_coupon_delivery", "website_sale_loyalty_delivery"),
    merged((15, 3), "website_sale_delivery_giftcard", "website_sale_loyalty_delivery"),
    renamed((15, 3), "helpdesk_sale_coupon", "helpdesk_sale_loyalty").ee(),
    renamed((15, 3), "pos_coupon", "pos_loyalty"),
    merged((15, 3), "pos_gift_card", "pos_loyalty"),
    // saas~15.4
    merged((15, 4), "documents_spreadsheet_bundle", "documents_spreadsheet").ee(),
    merged((15, 4), "sale_amazon_spapi", "sale_amazon").ee(),
    merged((15, 4), "l10n_lu_reports_annual_vat", "l10n_lu_reports").ee(),
    // 16.0
    removed((16, 0), "l10n_be_edi"),
    removed((16, 0), "l10n_nl_edi"),
    removed((16, 0), "l10n_no_edi"),
    merged((16, 0), "account_edi_ubl", "account_edi_ubl_cii"),
    merged((16, 0), "account_edi_ubl_bis3", "account_edi_ubl_cii"),
    merged((16, 0), "account_edi_facturx", "account_edi_ubl_cii"),
    merged((16, 0), "l10n_it_edi_sdicoop", "l10n_it_edi"),
    merged((16, 0), "fetchmail", "mail"),
    merged((16, 0), "fetchmail_gmail", "google_gmail"),
    merged((16, 0), "fetchmail_outlook", "microsoft_outlook"),
    removed((16, 0), "purchase_requisition_stock_dropshipping"),
    removed((16, 0), "google_drive"),
    removed((16, 0), "google_spreadsheet"),
    merged((16, 0), "account_intrastat_expiry", "account_intrastat").ee(),
    merged((16, 0), "l10n_mx_xml_polizas_edi", "l10n_mx_xml_polizas").ee(),
    renamed((16, 0), "payment_test", "payment_demo"),
    renamed((16, 0), "payment_transfer", "payment_custom"),
    removed((16, 0), "pos_sale_gift_card"),
    // saas~16.1
    removed((16, 1), "pos_cache"),
    removed((16, 1), "spreadsheet_dashboard_sale_expense"),
    removed((16, 1), "association"),
    merged((16, 1), "sale_enterprise", "sale").ee(),
    merged((16, 1), "l10n_de_datev_reports", "l10n_de_reports").ee(),
    renamed((16, 1), "l10n_hr", "l10n_hr_kuna"),
    renamed((16, 1), "l10n_hr_euro", "l10n_hr"),
    // saas~16.2
    removed((16, 2), "website_payment_paypal"),
    merged((16, 2), "l10n_generic_coa", "account"),
    merged((16, 2), "l10n_multilang", "account"),
    merged((16, 2), "l10n_in_tcs_tds", "l10n_in"),
    merged((16, 2), "pos_daily_sales_reports", "point_of_sale"),
    merged((16, 2), "account_sequence", "account"),
    merged((16, 2), "l10n_latam_account_sequence", "l10n_latam_invoice_document"),
    merged((16, 2), "website_sale_loyalty_delivery", "website_sale_loyalty"),
    merged((16, 2), "website_sale_delivery", "website_sale"),
    merged((16, 2), "website_sale_taxcloud_delivery", "website_sale_account_taxcloud").ee(),
    merged((16, 2), "website_sale_delivery_avatax", "website_sale_account_avatax").ee(),
    renamed((16, 2), "website_sale_delivery_mondialrelay", "website_sale_mondialrelay"),
    renamed((16, 2), "website_delivery_fedex", "website_sale_fedex").ee(),
    renamed((16, 2), "website_delivery_ups", "website_sale_ups").ee(),
    merged((16, 2), "purchase_price_diff", "purchase_stock"),
    merged((16, 2), "account_payment_invoice_online_payment_patch", "account_payment"),
    merged((16, 2), "l10n_lu_peppol_id", "account_edi_ubl_cii"),
    // saas~16.3
    merged((16, 3), "web_kanban_gauge", "web"),
    merged((16, 3), "pos_epson_printer_restaurant", "pos_epson_printer"),
    merged((16, 3), "pos_restaurant_iot", "pos_iot").ee(),
    merged((16, 3), "l10n_hk_hr_payroll_hsbc_autopay", "l10n_hk_hr_payroll").ee(),
    merged((16, 3), "l10n_mx_edi_stock_extended_40", "l10n_mx_edi_stock_extended").ee(),
    merged((16, 3), "l10n_mx_edi_stock_40", "l10n_mx_edi_stock").ee(),
    merged((16, 3), "l10n_mx_edi_extended_40", "l10n_mx_edi_extended").ee(),
    merged((16, 3), "l10n_mx_edi_40", "l10n_mx_edi").ee(),
    merged((16, 3), "l10n_pe_edi_stock_20", "l10n_pe_edi_stock").ee(),
    merged((16, 3), "website_event_questions", "website_event"),
    merged((16, 3), "website_event_crm_questions", "website_event_crm"),
    merged((16, 3), "account_reconcile_wizard", "account_accountant").ee(),
    renamed((16, 3), "note", "project_todo"),
    // saas~16.4
    merged((16, 4), "l10n_in_upi", "l10n_in"),
    removed((16, 4), "website_sale_stock_product_configurator"),
    merged((16, 4), "l10n_de_skr03", "l10n_de"),
    merged((16, 4), "l10n_de_skr04", "l10n_de"),
    merged((16, 4), "mrp_workorder_hr", "mrp_workorder").ee(),
    // saas~16.5
    merged((16, 5), "l10n_ke_hr_payroll_bik", "l10n_ke_hr_payroll").ee(),
    removed((16, 5), "l10n_ae_pos"),
    merged((16, 5), "loyalty_delivery", "sale_loyalty_delivery"),
    merged((16, 5), "sale_timesheet_account_budget", "project_account_budget").ee(),
    merged((16, 5), "l10n_pl_reports_jpk", "l10n_pl_reports").ee(),
    renamed((16, 5), "account_avatax_sale_subscription", "sale_subscription_external_tax").ee(),
    renamed((16, 5), "website_sale_account_avatax", "website_sale_external_tax").ee(),
    merged((16, 5), "sale_temporal", "sale_renting").ee(),
    removed((16, 5), "website_sale_digital"),
    merged((16, 5), "l10n_it_edi_pa", "l10n_it_edi"),
    removed((16, 5), "sale_quotation_builder"),
    merged((16, 5), "event_barcode", "event").ee(),
    merged((16, 5), "l10n_pl_jpk", "l10n_pl"),
    removed((16, 5), "l10n_pl_sale_stock"),
    merged((16, 5), "account_sepa_pain_001_001_09", "account_sepa").ee(),
    merged((16, 5), "hr_payroll_account_sepa_09", "hr_payroll_account_sepa").ee(),
    merged((16, 5), "l10n_lu_reports_annual_vat_2023", "l10n_lu_reports").ee(),
    // 17.0
    merged((17, 0), "account_sepa_direct_debit_008_001_08", "account_sepa_direct_debit").ee(),
    // saas~17.1
    renamed((17, 1), "mrp_subonctracting_landed_costs", "mrp_subcontracting_landed_costs"),
    renamed((17, 1), "website_form_project", "website_project"),
    merged((17, 1), "l10n_es_edi_facturae_adm_centers", "l10n_es_edi_facturae"),
    merged((17, 1), "account_debit_note_sequence", "account_debit_note"),
    renamed((17, 1), "account_bacs", "l10n_uk_bacs").ee(),
    renamed((17, 1), "l10n_au_keypay", "l10n_employment_hero").ee(),
    merged((17, 1), "l10n_be_codabox_bridge", "l10n_be_codabox").ee(),
    // saas~17.2
    merged((17, 2), "l10n_fr_fec", "l10n_fr"),
    merged((17, 2), "account_payment_term", "account"),
    merged((17, 2), "account_reports_tax_reminder", "account_reports").ee(),
    merged((17, 2), "stock_landed_costs_company", "stock_landed_costs"),
    merged((17, 2), "l10n_es_edi_facturae_invoice_period", "l10n_es_edi_facturae"),
    renamed((17, 2), "l10n_fr", "l10n_fr_account"),
    merged((17, 2), "l10n_dk_audit_trail", "l10n_dk"),
    merged((17, 2), "l10n_be_codabox_bridge_wizard", "l10n_be_codabox").ee(),
    merged((17, 2), "l10n_mx_edi_stock_30", "l10n_mx_edi_stock").ee(),
    merged((17, 2), "l10n_mx_edi_stock_extended_30", "l10n_mx_edi_stock_extended").ee(),
    merged((17, 2), "l10n_br_pix", "l10n_br"),
    // saas~17.3
    merged((17, 3), "sale_product_configurator", "sale"),
    merged((17, 3), "pos_sale_product_configurator", "pos_sale"),
    merged((17, 3), "website_sale_product_configurator", "website_sale"),
    merged((17, 3), "website_sale_renting_product_configurator", "website_sale_renting").ee(),
    removed((17, 3), "l10n_dk_bookkeeping"),
    // saas~17.4
    merged((17, 4), "data_merge", "data_cleaning").ee(),
    merged((17, 4), "im_livechat_mail_bot", "mail_bot"),
    merged((17, 4), "l10n_cl_edi_boletas", "l10n_cl_edi").ee(),
    merged((17, 4), "account_audit_trail", "account"),
    removed((17, 4), "l10n_de_audit_trail"),
    merged((17, 4), "l10n_br_avatax_services", "l10n_br_avatax").ee(),
    merged((17, 4), "l10n_br_edi_services", "l10n_br_edi").ee(),
    merged((17, 4), "l10n_br_edi_sale_services", "l10n_br_edi_sale").ee(),
    merged((17, 4), "l10n_fr_invoice_addr", "l10n_fr_account"),
    merged((17, 4), "l10n_ro_efactura", "l10n_ro_edi"),
    merged((17, 4), "l10n_ch_hr_payroll_elm", "l10n_ch_hr_payroll").ee(),
    // saas~17.5
    removed((17, 5), "account_lock"),
    removed((17, 5), "payment_alipay"),
    removed((17, 5), "payment_payulatam"),
    removed((17, 5), "payment_payumoney"),
    renamed((17, 5), "website_sale_picking", "website_sale_collect"),
    renamed((17, 5), "l10n_es_pos_tbai", "l10n_es_edi_tbai_pos"),
    renamed((17, 5), "payment_ogone", "payment_worldline"),
    removed((17, 5), "payment_sips"),
    merged((17, 5), "l10n_mx_edi_stock_extended_31", "l10n_mx_edi_stock_extended").ee(),
    merged((17, 5), "l10n_mx_edi_stock_extended", "l10n_mx_edi_stock").ee(),
    renamed((17, 5), "account_sepa", "account_iso20022").ee(),
    renamed((17, 5), "hr_payroll_account_sepa", "hr_payroll_account_iso20022").ee(),
    removed((17, 5), "spreadsheet_dashboard_purchase_stock").without_enterprise().note("moved to Enterprise"),
    removed((17, 5), "spreadsheet_dashboard_purchase"),
    // 18.0
    merged((18, 0), "l10n_es_edi_tbai_multi_refund", "l10n_es_edi_tbai"),
    merged((18, 0), "l10n_fr_reports_extended", "l10n_fr_reports").ee(),
    // saas~18.1
    merged((18, 1), "l10n_us_hr_payroll_state_calculation", "l10n_us_hr_payroll").ee(),
    merged((18, 1), "l10n_in_reports_gstr_spreadsheet", "l10n_in_reports_gstr").ee(),
    merged((18, 1), "l10n_in_withholding_payment", "l10n_in_withholding"),
    merged((18, 1), "auth_totp_mail_enforce", "auth_totp_mail"),
    merged((18, 1), "l10n_es_modelo130", "l10n_es"),
    renamed((18, 1), "l10n_in_edi_ewaybill", "l10n_in_ewaybill"),
    merged((18, 1), "l10n_in_ewaybill_port", "l10n_in_ewaybill"),
    merged((18, 1), "l10n_nl_reports_sbr", "l10n_nl_reports").ee(),
    merged((18, 1), "l10n_nl_reports_sbr_ob_nummer", "l10n_nl_reports").ee(),
    merged((18, 1), "l10n_nl_reports_sbr_status_info", "l10n_nl_reports").ee(),
    merged((18, 1), "l10n_nl_reports_sbr_icp", "l10n_nl_reports").ee(),
    renamed((18, 1), "pos_urban_piper_swiggy", "l10n_in_pos_urban_piper").ee(),
    merged((18, 1), "pos_urban_piper_zomato", "l10n_in_pos_urban_piper").ee(),
    merged((18, 1), "l10n_es_reports_modelo130", "l10n_es_reports").ee(),
    merged((18, 1), "l10n_ee_rounding", "l10n_ee_reports").ee(),
    merged((18, 1), "account_intrastat_services", "account_intrastat").ee(),
    merged((18, 1), "l10n_be_intrastat_services", "l10n_be_intrastat").ee(),
    merged((18, 1), "l10n_fr_intrastat_services", "l10n_fr_intrastat").ee(),
    // saas~18.2
    merged((18, 2), "l10n_in_gstin_status", "l10n_in"),
    merged((18, 2), "l10n_in_withholding", "l10n_in"),
    renamed((18, 2), "pos_l10n_se", "l10n_se_pos").ee(),
    merged((18, 2), "l10n_ke_hr_payroll_shif", "l10n_ke_hr_payroll").ee(),
    merged((18, 2), "l10n_in_asset", "l10n_in_reports").ee(),
    merged((18, 2), "l10n_in_enet_batch_payment", "l10n_in_reports").ee(),
    merged((18, 2), "l10n_in_qr_code_bill_scan", "l10n_in_reports").ee(),
    merged((18, 2), "l10n_in_reports_gstr", "l10n_in_reports").ee(),
    merged((18, 2), "l10n_in_reports_tds_tcs", "l10n_in_reports").ee(),
    merged((18, 2), "l10n_cz_reports_2025", "l10n_cz_reports").ee(),
    merged((18, 2), "l10n_mx_hr_payroll_localisation", "l10n_mx_hr_payroll").ee(),
    removed((18, 2), "pos_six"),
    merged((18, 2), "payment_razorpay_oauth", "payment_razorpay"),
    merged((18, 2), "l10n_it_edi_ndd", "l10n_it_edi"),
    merged((18, 2), "product_images", "product_barcodelookup"),
    merged((18, 2), "l10n_my_edi_extended", "l10n_my_edi"),
    merged((18, 2), "l10n_co_edi_website_sale", "l10n_co_edi").ee(),
    renamed((18, 2), "l10n_ec_website_sale", "l10n_ec_sale"),
    merged((18, 2), "l10n_it_edi_website_sale", "l10n_it_edi"),
    merged((18, 2), "l10n_pe_website_sale", "l10n_pe"),
    removed((18, 2), "l10n_uy_website_sale"),
    // saas~18.3
    removed((18, 3), "website_event_jitsi"),
    removed((18, 3), "website_event_meet"),
    removed((18, 3), "website_event_meet_quiz"),
    removed((18, 3), "website_jitsi"),
    removed((18, 3), "l10n_in_purchase"),
    merged((18, 3), "sale_async_emails", "sale"),
    renamed((18, 3), "pos_viva_wallet", "pos_viva_com"),
    merged((18, 3), "pos_preparation_display", "pos_enterprise").ee(),
    renamed((18, 3), "pos_restaurant_appointment", "pos_appointment").ee(),
    merged((18, 3), "sale_commission_linked_achievement", "sale_commission").ee(),
    merged((18, 3), "l10n_be_hr_contract_salary_mobility_budget", "l10n_be_hr_contract_salary").ee(),
    renamed((18, 3), "membership", "partnership"),
    removed((18, 3), "website_membership"),
    // saas~18.4
    renamed((18, 4), "hr_contract_sign", "hr_sign").ee(),
    renamed((18, 4), "base_automation_hr_contract", "base_automation_hr").ee(),
    renamed((18, 4), "hr_work_entry_contract_attendance", "hr_work_entry_attendance").ee(),
    renamed((18, 4), "hr_work_entry_contract_enterprise", "hr_work_entry_enterprise").ee(),
    renamed((18, 4), "hr_work_entry_contract_planning", "hr_work_entry_planning").ee(),
    renamed((18, 4), "hr_work_entry_contract_planning_attendance", "hr_work_entry_planning_attendance").ee(),
    merged((18, 4), "hr_contract", "hr"),
    merged((18, 4), "hr_holidays_contract_gantt", "hr_holidays_gantt").ee(),
    merged((18, 4), "esg_hr_contract", "esg_hr").ee(),
    merged((18, 4), "hr_holidays_contract", "hr_holidays"),
    merged((18, 4), "project_enterprise_hr_contract", "project_enterprise_hr").ee(),
    merged((18, 4), "hr_work_entry_contract", "hr_work_entry"),
    merged((18, 4), "planning_contract", "planning").ee(),
    merged((18, 4), "documents_hr_contract", "documents_hr").ee(),
    merged((18, 4), "hr_appraisal_contract", "hr_appraisal").ee(),
    merged((18, 4), "l10n_ch_hr_payroll_elm_transmission", "l10n_ch_hr_payroll").ee(),
    merged((18, 4), "l10n_ch_hr_payroll_elm_transmission_account", "l10n_ch_hr_payroll_account").ee(),
    merged((18, 4), "l10n_jo_edi_extended", "l10n_jo_edi"),
    merged((18, 4), "l10n_ae_corporate_tax_report", "l10n_ae_reports").ee(),
    merged((18, 4), "l10n_it_edi_ndd_account_dn", "l10n_it_edi"),
    // saas~18.5
    removed((18, 5), "pos_paytm"),
    merged((18, 5), "l10n_be_reports_prorata", "l10n_be_reports").ee(),
    merged((18, 5), "account_edi_ubl_cii_tax_extension", "account_edi_ubl_cii"),
    merged((18, 5), "l10n_be_hr_payroll_dmfa_sftp", "l10n_be_hr_payroll").ee(),
    renamed((18, 5), "l10n_id_efaktur", "l10n_id_efaktur_coretax"),
    merged((18, 5), "l10n_pl_taxable_supply_date", "l10n_pl"),
    merged((18, 5), "l10n_it_edi_withholding", "l10n_it_edi"),
    renamed((18, 5), "account_auto_transfer", "account_transfer").ee(),
    merged((18, 5), "pos_epson_printer", "point_of_sale"),
    merged((18, 5), "pos_self_order_epson_printer", "pos_self_order"),
    merged((18, 5), "l10n_it_edi_withholding_reports", "l10n_it_reports").ee(),
    merged((18, 5), "l10n_in_reports_gstr_document_summary", "l10n_in_reports").ee(),
    removed((18, 5), "website_payment_authorize"),
    merged((18, 5), "l10n_dk_rsu", "l10n_dk_reports").ee(),
    renamed((18, 5), "l10n_mx_hr", "l10n_mx_hr_payroll_account_edi").with_enterprise(),
    removed((18, 5), "l10n_mx_hr").without_enterprise(),
    renamed((18, 5), "account_disallowed_expenses", "account_fiscal_categories").ee(),
    renamed((18, 5), "account_disallowed_expenses_fleet", "account_fiscal_categories_fleet").ee(),
    renamed((18, 5), "l10n_be_disallowed_expenses", "l10n_be_fiscal_categories").ee(),
    renamed((18, 5), "l10n_be_account_disallowed_expenses_fleet", "l10n_be_fiscal_categories_fleet").ee(),
    removed((18, 5), "web_editor"),
    merged((18, 5), "l10n_it_xml_export", "l10n_it_reports").with_enterprise(),
    removed((18, 5), "l10n_it_xml_export").without_enterprise().note("merged into Enterprise's l10n_it_reports"),
    // 19.0
    merged((19, 0), "account_peppol_selfbilling", "account_peppol"),
    merged((19, 0), "l10n_ro_efactura_synchronize", "l10n_ro_edi"),
];
