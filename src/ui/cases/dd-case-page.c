/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-case-page"

#include "config.h"

#include "dd-case-page.h"
#include "dd-case-page-private.h"

#include "dd-payment-store.h"

#include "dd-number-checks.h"
#include "dd-number-look-up.h"
#include "dd-inline-error.h"
#include "dd-question.h"
#include "dd-time-zones.h"
#include "dd-campaign-audience.h"

#include "dd-case-store.h"
#include "dd-dates.h"
#include "dd-demand-letters.h"
#include "dd-manager-unlock.h"
#include "dd-money.h"

#include <glib/gi18n.h>
#include <stdio.h>

struct _DdCasePage
{
  AdwBin         parent_instance;

  DdContext     *context;
  DdCaseStore   *store;
  gint64         case_id;
  DdCaseDetails *details;

  /* template children */
  GtkScrolledWindow *scrolled_window;
  GtkLabel      *name_label;
  GtkLabel      *summary_label;
  GtkButton     *add_note_button;
  GtkButton     *set_status_button;
  GtkButton     *record_payment_button;
  GtkButton     *assign_button;
  GtkButton     *next_contact_button;
  GtkButton     *close_button;
  GtkButton     *check_numbers_button;
  DdNumberLookUp checking;      /* number look-ups */
  GtkListBox    *debtor_list;
  GtkListBox    *liabilities_list;
  GtkListBox    *declarations_list;
  GtkListBox    *balance_list;
  GtkListBox    *timeline_list;

  /* Demand Letter… */
  GCancellable  *letter_cancellable;
  gboolean       making_letter;
  AdwToast      *letter_toast;     /* weak */
  char          *letter_message;   /* what the last letter came to, for the tests */
};

G_DEFINE_FINAL_TYPE (DdCasePage, dd_case_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_CASE_ID,
  N_PROPS
};

enum {
  CASE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Shared helpers */

void
_dd_show_toast (GtkWidget  *widget,
                const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL)
    {
      g_debug ("No toast overlay for: %s", text);
      return;
    }

  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

typedef struct
{
  GWeakRef    context;   /* a toast may outlive the window */
  DdCaseUndo *undo;
} UndoData;

static void
undo_data_free (gpointer data)
{
  UndoData *undo_data = data;

  g_weak_ref_clear (&undo_data->context);
  g_clear_pointer (&undo_data->undo, dd_case_undo_free);
  g_free (undo_data);
}

static void
on_undo_clicked (AdwToast *toast,
                 UndoData *undo_data)
{
  g_autoptr(DdContext) context = g_weak_ref_get (&undo_data->context);
  g_autoptr(DdCaseStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (context == NULL)
    return;
  store = dd_case_store_new (dd_context_get_database (context));
  if (!dd_case_store_undo (store, dd_context_get_agent_id (context), undo_data->undo, &error))
    {
      GtkWidget *widget = g_object_get_data (G_OBJECT (toast), "dd-widget");

      if (widget != NULL)
        _dd_show_toast (widget, error->message);
      else
        g_warning ("Undo failed: %s", error->message);
      return;
    }
  dd_context_cases_changed (context);
}

void
_dd_show_undo_toast (GtkWidget  *widget,
                     const char *text,
                     DdContext  *context,
                     DdCaseUndo *undo)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  UndoData *undo_data;
  AdwToast *toast;

  if (overlay == NULL || undo == NULL)
    {
      dd_case_undo_free (undo);
      _dd_show_toast (widget, text);
      return;
    }

  undo_data = g_new0 (UndoData, 1);
  g_weak_ref_init (&undo_data->context, context);
  undo_data->undo = undo;
  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "dd-undo", undo_data, undo_data_free);
  g_object_set_data (G_OBJECT (toast), "dd-widget", overlay);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (on_undo_clicked), undo_data);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

char *
_dd_format_timestamp (const char *iso)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso == NULL || *iso == '\0')
    return g_strdup ("");

  utc = g_date_time_new_from_iso8601 (iso, NULL);
  if (utc == NULL)
    return g_strdup (iso);

  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

char *
_dd_parse_local_time (const char  *text,
                      GError     **error)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) utc = NULL;
  int year, month, day, hour, minute;
  char rest;

  if (text == NULL
      || sscanf (text, " %d-%d-%d %d:%d %c", &year, &month, &day, &hour, &minute, &rest) != 5
      || (local = g_date_time_new_local (year, month, day, hour, minute, 0)) == NULL)
    {
      g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID,
                           _("Enter the date and time as YYYY-MM-DD HH:MM."));
      return NULL;
    }

  utc = g_date_time_to_utc (local);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

DdCaseStore *
_dd_case_store_for_context (DdContext *context)
{
  DdCaseStore *store = dd_case_store_new (dd_context_get_database (context));
  GSettings *settings = dd_context_get_settings (context);

  if (settings != NULL)
    dd_case_store_set_max_promise_days (store, g_settings_get_uint (settings,
                                                                    "declaration-max-days"));
  return store;
}

GtkStringList *
_dd_agent_model_new (DdDatabase  *database,
                     GArray     **out_ids,
                     GError     **error)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) local_error = NULL;
  DdStatement *stmt;
  gint64 nobody = 0;

  stmt = dd_database_cached (database, "SELECT id, name FROM agent WHERE active = 1"
                                       " ORDER BY name, id", error);
  if (stmt == NULL)
    return NULL;

  /* Translators: in the list of agents a case can be assigned to */
  gtk_string_list_append (names, _("Nobody"));
  g_array_append_val (ids, nobody);
  while (dd_statement_step (stmt, &local_error))
    {
      gint64 id = dd_statement_get_int64 (stmt, 0);

      gtk_string_list_append (names, dd_statement_get_text (stmt, 1));
      g_array_append_val (ids, id);
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  *out_ids = g_steal_pointer (&ids);
  return g_steal_pointer (&names);
}

/* Inline validation: an entry with its message below it */

static GtkEntry *
add_checked_entry (GtkBox     *box,
                   const char *placeholder,
                   GtkLabel  **out_message)
{
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *message = gtk_label_new (NULL);
  GtkWidget *caption = gtk_label_new (placeholder);

  /* the placeholder goes when something is typed: the caption above says what the entry is */
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_widget_add_css_class (caption, "caption-heading");
  gtk_box_append (box, caption);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  caption, NULL, -1);
  gtk_box_append (box, entry);
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (message), 40);
  gtk_widget_add_css_class (message, "caption");
  gtk_widget_add_css_class (message, "error");
  gtk_widget_set_visible (message, FALSE);
  gtk_box_append (box, message);
  *out_message = GTK_LABEL (message);
  return GTK_ENTRY (entry);
}

/* Marks @entry as wrong with @error's message under it, or as right when @error is NULL. */
static void
show_entry_error (GtkEntry     *entry,
                  GtkLabel     *message,
                  const GError *error)
{
  dd_mark_wrong (GTK_WIDGET (entry), error != NULL);
  dd_show_message (message, error != NULL ? error->message : NULL);
}

/* The status form */

typedef struct
{
  DdCaseStore    *store;
  GArray         *case_ids;         /* gint64 */
  char           *currency;
  GWeakRef        dialog;           /* the AdwMessageDialog whose "ok" it enables */
  GtkDropDown    *status;
  GtkWidget      *call_box;
  GtkEntry       *call_at;
  GtkLabel       *call_at_message;
  GtkWidget      *declaration_box;
  GtkEntry       *amount;
  GtkLabel       *amount_message;
  GtkCheckButton *above_balance;
  GtkEntry       *promised_on;
  GtkLabel       *promised_on_message;
  GtkEntry       *note;
} StatusForm;

static void
status_form_free (gpointer data)
{
  StatusForm *form = data;

  g_clear_object (&form->store);
  g_clear_pointer (&form->case_ids, g_array_unref);
  g_free (form->currency);
  g_weak_ref_clear (&form->dialog);
  g_free (form);
}

static const DdCaseStatus form_statuses[] = {
  DD_CASE_STATUS_NEW,
  DD_CASE_STATUS_CALL_LATER,
  DD_CASE_STATUS_NO_ANSWER,
  DD_CASE_STATUS_PAYMENT_DECLARATION,
};

static DdCaseStatus
status_form_status (StatusForm *form)
{
  guint selected = gtk_drop_down_get_selected (form->status);

  return selected < G_N_ELEMENTS (form_statuses) ? form_statuses[selected] : DD_CASE_STATUS_NEW;
}

/* The form's amount in minor units, or FALSE with the reason. */
static gboolean
status_form_amount (StatusForm  *form,
                    gint64      *out_minor,
                    GError     **error)
{
  char parsed_currency[4] = "";

  if (!dd_money_parse (gtk_editable_get_text (GTK_EDITABLE (form->amount)), form->currency,
                       out_minor, parsed_currency, NULL, error))
    return FALSE;
  if (form->currency != NULL && g_strcmp0 (parsed_currency, form->currency) != 0)
    {
      g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID,
                           _("The amount must be in the case’s currency."));
      return FALSE;
    }
  return TRUE;
}

/* The promised date as YYYY-MM-DD, or NULL with the reason. */
static char *
status_form_promised_on (StatusForm  *form,
                         GError     **error)
{
  GDate date;

  if (!dd_date_parse (gtk_editable_get_text (GTK_EDITABLE (form->promised_on)), &date, error))
    return NULL;
  return dd_date_to_iso (&date);
}

/* Checks what the form shows, marks the wrong entries and enables the dialog's "ok" only
 * when everything is right. */
static gboolean
status_form_validate (StatusForm *form)
{
  g_autoptr(AdwMessageDialog) dialog = g_weak_ref_get (&form->dialog);
  DdCaseStatus status = status_form_status (form);
  gboolean valid = TRUE;
  gboolean above_balance = FALSE;

  if (status == DD_CASE_STATUS_CALL_LATER)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *at = _dd_parse_local_time (gtk_editable_get_text (GTK_EDITABLE (form->call_at)),
                                                  &error);

      if (at != NULL)
        dd_case_store_check_contact_time (form->store, at, &error);
      show_entry_error (form->call_at, form->call_at_message, error);
      valid = valid && error == NULL;
    }
  if (status == DD_CASE_STATUS_PAYMENT_DECLARATION)
    {
      g_autoptr(GError) amount_error = NULL;
      g_autoptr(GError) date_error = NULL;
      g_autofree char *promised_on = NULL;
      gint64 minor = 0;

      if (status_form_amount (form, &minor, &amount_error)
          && !dd_case_store_check_amount (form->store, (const gint64 *) form->case_ids->data,
                                          form->case_ids->len, minor, form->currency, FALSE,
                                          &amount_error)
          && g_error_matches (amount_error, DD_CASE_STORE_ERROR,
                              DD_CASE_STORE_ERROR_ABOVE_BALANCE))
        {
          /* more than owed is possible (interest, costs): confirmed by the check button */
          above_balance = TRUE;
          if (gtk_check_button_get_active (form->above_balance))
            g_clear_error (&amount_error);
        }
      show_entry_error (form->amount, form->amount_message, amount_error);
      if (above_balance && amount_error == NULL)
        {
          /* still say why the button is there */
          gtk_label_set_text (form->amount_message, _("The amount is more than the balance."));
          gtk_widget_set_visible (GTK_WIDGET (form->amount_message), TRUE);
        }

      promised_on = status_form_promised_on (form, &date_error);
      if (promised_on != NULL)
        dd_case_store_check_promised_on (form->store, promised_on, &date_error);
      show_entry_error (form->promised_on, form->promised_on_message, date_error);
      valid = valid && amount_error == NULL && date_error == NULL;
    }
  gtk_widget_set_visible (GTK_WIDGET (form->above_balance), above_balance);

  if (dialog != NULL)
    adw_message_dialog_set_response_enabled (dialog, "ok", valid);
  return valid;
}

static void
on_status_form_changed (StatusForm *form)
{
  status_form_validate (form);
}

static void
on_status_form_selected (GtkDropDown *drop_down,
                         GParamSpec  *pspec,
                         StatusForm  *form)
{
  DdCaseStatus status = status_form_status (form);

  gtk_widget_set_visible (form->call_box, status == DD_CASE_STATUS_CALL_LATER);
  gtk_widget_set_visible (form->declaration_box, status == DD_CASE_STATUS_PAYMENT_DECLARATION);
  status_form_validate (form);
}

static GtkEntry *
add_entry (GtkBox     *box,
           const char *placeholder)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_box_append (box, entry);
  return GTK_ENTRY (entry);
}

GtkWidget *
_dd_status_form_new (DdCaseStore  *store,
                     const gint64 *case_ids,
                     guint         n_case_ids,
                     const char   *currency)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  StatusForm *form = g_new0 (StatusForm, 1);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *call_at = g_date_time_format (tomorrow, "%Y-%m-%d 09:00");
  g_autofree char *promised_on = g_date_time_format (tomorrow, "%Y-%m-%d");

  form->store = g_object_ref (store);
  form->case_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_vals (form->case_ids, case_ids, n_case_ids);
  form->currency = g_strdup (currency);
  g_weak_ref_init (&form->dialog, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (form_statuses); i++)
    gtk_string_list_append (labels, dd_case_status_to_label (form_statuses[i]));

  form->status = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)),
                                                   NULL));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (form->status));

  form->call_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  /* Translators: placeholder of the date and time to call back; keep YYYY-MM-DD HH:MM */
  form->call_at = add_checked_entry (GTK_BOX (form->call_box), _("Call at (YYYY-MM-DD HH:MM)"),
                                     &form->call_at_message);
  gtk_editable_set_text (GTK_EDITABLE (form->call_at), call_at);
  gtk_box_append (GTK_BOX (box), form->call_box);

  form->declaration_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  form->amount = add_checked_entry (GTK_BOX (form->declaration_box), _("Amount declared"),
                                    &form->amount_message);
  form->above_balance = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (
    _("_Record the amount above the balance")));
  gtk_widget_set_visible (GTK_WIDGET (form->above_balance), FALSE);
  gtk_box_append (GTK_BOX (form->declaration_box), GTK_WIDGET (form->above_balance));
  form->promised_on = add_checked_entry (GTK_BOX (form->declaration_box),
                                         _("Promised payment date"),
                                         &form->promised_on_message);
  gtk_editable_set_text (GTK_EDITABLE (form->promised_on), promised_on);
  gtk_box_append (GTK_BOX (box), form->declaration_box);

  form->note = add_entry (GTK_BOX (box), _("Comment (optional)"));

  g_object_set_data_full (G_OBJECT (box), "dd-status-form", form, status_form_free);
  g_signal_connect (form->status, "notify::selected", G_CALLBACK (on_status_form_selected), form);
  g_signal_connect_swapped (form->call_at, "changed", G_CALLBACK (on_status_form_changed), form);
  g_signal_connect_swapped (form->amount, "changed", G_CALLBACK (on_status_form_changed), form);
  g_signal_connect_swapped (form->promised_on, "changed", G_CALLBACK (on_status_form_changed),
                            form);
  g_signal_connect_swapped (form->above_balance, "toggled", G_CALLBACK (on_status_form_changed),
                            form);
  on_status_form_selected (form->status, NULL, form);

  return box;
}

void
_dd_status_form_attach (GtkWidget        *widget,
                        AdwMessageDialog *dialog)
{
  StatusForm *form = g_object_get_data (G_OBJECT (widget), "dd-status-form");

  g_return_if_fail (form != NULL);

  g_weak_ref_set (&form->dialog, dialog);
  status_form_validate (form);
}

gboolean
_dd_status_form_read (GtkWidget       *widget,
                      DdStatusChange  *change,
                      char           **out_call_at,
                      char           **out_promised_on,
                      GError         **error)
{
  StatusForm *form = g_object_get_data (G_OBJECT (widget), "dd-status-form");
  const char *note;

  g_return_val_if_fail (form != NULL, FALSE);

  *out_call_at = NULL;
  *out_promised_on = NULL;
  memset (change, 0, sizeof *change);

  change->status = status_form_status (form);
  note = gtk_editable_get_text (GTK_EDITABLE (form->note));
  change->note = *note != '\0' ? note : NULL;

  if (change->status == DD_CASE_STATUS_CALL_LATER)
    {
      *out_call_at = _dd_parse_local_time (gtk_editable_get_text (GTK_EDITABLE (form->call_at)),
                                           error);
      if (*out_call_at == NULL)
        return FALSE;
      change->call_at = *out_call_at;
    }
  else if (change->status == DD_CASE_STATUS_PAYMENT_DECLARATION)
    {
      if (!status_form_amount (form, &change->amount_minor, error))
        return FALSE;
      change->above_balance_confirmed = gtk_widget_get_visible (GTK_WIDGET (form->above_balance))
                                        && gtk_check_button_get_active (form->above_balance);
      *out_promised_on = status_form_promised_on (form, error);
      if (*out_promised_on == NULL)
        return FALSE;
      change->promised_on = *out_promised_on;
    }

  return TRUE;
}

/* Showing the case */

static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  /* the rows only: the placeholder ("No payment declarations") is a child too */
  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static void
set_placeholder (GtkListBox *list,
                 const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_list_box_set_placeholder (list, label);
}

static GtkWidget *
add_row (GtkListBox *list,
         const char *title,
         const char *subtitle,
         const char *icon_name,
         const char *suffix)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped_title = g_markup_escape_text (title != NULL ? title : "", -1);
  g_autofree char *escaped_subtitle = g_markup_escape_text (subtitle != NULL ? subtitle : "", -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  if (icon_name != NULL)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon_name));
  if (suffix != NULL)
    {
      GtkWidget *label = gtk_label_new (suffix);

      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  gtk_list_box_append (list, row);

  return row;
}

static void
add_badge (GtkWidget  *row,
           const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "badge");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
}

static void
add_field (GtkListBox *list,
           const char *title,
           const char *value)
{
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return;

  row = add_row (list, title, NULL, NULL, value);
  gtk_widget_set_tooltip_text (row, value);
}

static const char *
phone_kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "mobile") == 0)
    return _("Mobile");
  if (g_strcmp0 (kind, "landline") == 0)
    return _("Landline");
  if (g_strcmp0 (kind, "other") == 0)
    return _("Other");
  return _("Unknown kind");
}

static const char *
activity_icon_name (const char *kind)
{
  static const struct { const char *kind; const char *icon; } icons[] = {
    { "note", "document-edit-symbolic" },
    { "status", "emblem-system-symbolic" },
    { "assign", "avatar-default-symbolic" },
    { "next-contact", "alarm-symbolic" },
    { "declaration", "mail-send-symbolic" },
    { "declaration-settled", "mail-send-symbolic" },
    { "undo", "edit-undo-symbolic" },
    { "close", "object-select-symbolic" },
    { "sms", "mail-unread-symbolic" },
    { "email", "mail-unread-symbolic" },
    { "call", "call-start-symbolic" },
    { "payment", "emblem-ok-symbolic" },
    { "import", "document-open-symbolic" },
    { "letter", "x-office-document-symbolic" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    if (g_strcmp0 (kind, icons[i].kind) == 0)
      return icons[i].icon;

  return "dialog-information-symbolic";
}

static const char *
activity_kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "note") == 0)
    return _("Note");
  if (g_strcmp0 (kind, "status") == 0)
    return _("Status changed");
  if (g_strcmp0 (kind, "assign") == 0)
    return _("Assigned");
  if (g_strcmp0 (kind, "next-contact") == 0)
    return _("Next contact");
  if (g_strcmp0 (kind, "declaration") == 0)
    return _("Payment declaration");
  if (g_strcmp0 (kind, "close") == 0)
    return _("Closed");
  if (g_strcmp0 (kind, "sms") == 0)
    return _("Text message");
  if (g_strcmp0 (kind, "call") == 0)
    return _("Call");
  if (g_strcmp0 (kind, "payment") == 0)
    return _("Payment");
  if (g_strcmp0 (kind, "letter") == 0)
    return _("Demand letter");
  return kind;
}

/* The role the actions are taken with ("manager", "consultant"), or NULL without an agent. */
static const char *
acting_role (DdCasePage *self)
{
  if (dd_context_get_agent_id (self->context) <= 0)
    return NULL;
  return dd_context_get_is_manager (self->context) ? "manager" : "consultant";
}

/* Shows @button, but insensitive with @refusal as its tooltip when it would be refused. */
static void
set_allowed (GtkButton  *button,
             const char *refusal,
             const char *tooltip)
{
  gtk_widget_set_sensitive (GTK_WIDGET (button), refusal == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), refusal != NULL ? refusal : tooltip);
}

/* The refusal of a manager's action at a consultant's desk, where a manager's password can
 * unlock it: none (the button asks for the password when clicked). */
static const char *
unless_unlockable (DdCasePage *self,
                   const char *refusal,
                   DdCaseStatus from,
                   DdCaseStatus to)
{
  if (refusal != NULL && dd_case_store_refusal ("manager", from, to) == NULL
      && dd_manager_unlock_can_ask (self->context))
    return NULL;
  return refusal;
}

/* What the agent at the desk may do with the case: the buttons of what the case store would
 * refuse are insensitive, with the reason in the tooltip (not hidden: the agent sees that the
 * action exists and why it is not theirs). */
static void
update_actions (DdCasePage *self)
{
  DdCaseDetails *d = self->details;
  const char *role = acting_role (self);
  const char *no_agent = dd_case_store_refusal (NULL, DD_CASE_STATUS_NEW, DD_CASE_STATUS_NEW);

  gtk_widget_set_visible (GTK_WIDGET (self->close_button),
                          d != NULL && d->status != DD_CASE_STATUS_CLOSED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case-page.demand-letter",
                                 d != NULL && !self->making_letter);
  if (d == NULL)
    return;
  set_allowed (self->close_button,
               unless_unlockable (self, dd_case_store_refusal (role, d->status,
                                                               DD_CASE_STATUS_CLOSED),
                                  d->status, DD_CASE_STATUS_CLOSED), NULL);
  /* from a closed case every status is a reopening */
  {
    DdCaseStatus to = d->status == DD_CASE_STATUS_CLOSED ? DD_CASE_STATUS_NEW : d->status;

    set_allowed (self->set_status_button,
                 unless_unlockable (self, dd_case_store_refusal (role, d->status, to),
                                    d->status, to),
                 NULL);
  }
  set_allowed (self->add_note_button, role == NULL ? no_agent : NULL, NULL);
  set_allowed (self->assign_button, role == NULL ? no_agent : NULL, NULL);
  set_allowed (self->next_contact_button, role == NULL ? no_agent : NULL, NULL);
}

static void
on_context_agent_changed (DdCasePage *self)
{
  if (self->context != NULL)
    update_actions (self);
}

static void
show_details (DdCasePage *self)
{
  DdCaseDetails *d = self->details;
  g_autofree char *balance = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *next_contact = NULL;
  const char *language = g_get_language_names ()[0];

  clear_list (self->debtor_list);
  clear_list (self->liabilities_list);
  clear_list (self->declarations_list);
  clear_list (self->balance_list);
  clear_list (self->timeline_list);

  gtk_widget_set_sensitive (GTK_WIDGET (self), d != NULL);
  update_actions (self);
  if (d == NULL)
    {
      gtk_label_set_text (self->name_label, "");
      gtk_label_set_text (self->summary_label, "");
      return;
    }

  balance = dd_money_format (d->balance_minor, d->currency, language);
  next_contact = _dd_format_timestamp (d->next_contact_at);
  gtk_label_set_text (self->name_label, d->debtor_name != NULL ? d->debtor_name : "");
  /* Translators: below the debtor's name on the case page: creditor, status, balance
   * and the agent the case is assigned to */
  summary = g_strdup_printf (_("%s · %s · %s · Assigned to %s"),
                             d->creditor_name != NULL ? d->creditor_name : "",
                             dd_case_status_to_label (d->status), balance,
                             d->agent_name != NULL ? d->agent_name : _("nobody"));
  if (*next_contact != '\0')
    {
      /* Translators: appended to the case summary; %s is a date and time */
      g_autofree char *more = g_strdup_printf (_("%s · Next contact %s"), summary, next_contact);

      g_free (summary);
      summary = g_steal_pointer (&more);
    }
  gtk_label_set_text (self->summary_label, summary);

  add_field (self->debtor_list, _("Tax ID"), d->tax_id);
  add_field (self->debtor_list, _("Address"), d->address);
  add_field (self->debtor_list, _("E-mail"), d->email);
  add_field (self->debtor_list, _("Birthday"), d->birthday);
  {
    /* the contact policy's hours are the debtor's own */
    GtkWidget *row = add_row (self->debtor_list, _("Time Zone"),
                              d->time_zone != NULL ? d->time_zone : _("The office’s"),
                              "preferences-system-time-symbolic", NULL);
    GtkWidget *button = gtk_button_new_with_mnemonic (_("C_hange…"));

    gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
    gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "case-page.time-zone");
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  }
  for (guint i = 0; d->phones != NULL && i < d->phones->len; i++)
    {
      DdCasePhone *phone = g_ptr_array_index (d->phones, i);
      GtkWidget *row = add_row (self->debtor_list, phone->e164, phone_kind_label (phone->kind),
                                "phone-symbolic", NULL);

      add_badge (row, phone->valid ? _("Valid") : _("Invalid"),
                 phone->valid ? "success" : "error");
      if (phone->hlr_status != NULL)
        {
          g_autofree char *checked = _dd_format_timestamp (phone->hlr_checked_at);
          g_autofree char *badge = *checked != '\0'
                                   /* Translators: an HLR badge: the result and when it was
                                    * checked ("Unreachable · 2026-11-23 10:00") */
                                   ? g_strdup_printf (C_("hlr badge", "%s · %s"),
                                                      dd_hlr_status_to_label (phone->hlr_status),
                                                      checked)
                                   : g_strdup (dd_hlr_status_to_label (phone->hlr_status));

          add_badge (row, badge, dd_hlr_status_is_dead (phone->hlr_status) ? "error" : NULL);
        }
    }

  for (guint i = 0; i < d->liabilities->len; i++)
    {
      DdCaseLiability *l = g_ptr_array_index (d->liabilities, i);
      g_autofree char *amount = dd_money_format (l->amount_minor, l->currency, language);
      /* Translators: an invoice's dates on the case page */
      g_autofree char *dates = g_strdup_printf (_("Issued %s · Due %s"),
                                                l->issued_on != NULL ? l->issued_on : "—",
                                                l->due_on != NULL ? l->due_on : "—");
      GtkWidget *row = add_row (self->liabilities_list, l->invoice_no, dates, NULL, amount);

      if (l->paid_at != NULL)
        add_badge (row, _("Paid"), "success");
    }

  for (guint i = 0; i < d->declarations->len; i++)
    {
      DdCaseDeclaration *decl = g_ptr_array_index (d->declarations, i);
      g_autofree char *amount = dd_money_format (decl->amount_minor, decl->currency, language);
      /* Translators: a payment declaration on the case page: date promised and its state */
      g_autofree char *title = g_strdup_printf (_("Promised for %s"), decl->promised_on);
      g_autofree char *created = _dd_format_timestamp (decl->created_at);
      GtkWidget *row = add_row (self->declarations_list, title, created, NULL, amount);

      add_badge (row, dd_declaration_state_to_label (decl->state),
                 g_strcmp0 (decl->state, "broken") == 0 ? "error"
                 : g_strcmp0 (decl->state, "kept") == 0 ? "success" : NULL);
    }

  for (guint i = 0; i < d->balance_history->len; i++)
    {
      DdCaseBalanceEntry *entry = g_ptr_array_index (d->balance_history, i);
      g_autofree char *amount = dd_money_format (entry->balance_minor, entry->currency, language);
      g_autofree char *when = _dd_format_timestamp (entry->recorded_at);

      add_row (self->balance_list, when, entry->reason, NULL, amount);
    }

  for (guint i = 0; i < d->timeline->len; i++)
    {
      DdCaseActivity *a = g_ptr_array_index (d->timeline, i);
      g_autofree char *when = _dd_format_timestamp (a->created_at);
      g_autofree char *amount = a->currency != NULL
                                ? dd_money_format (a->amount_minor, a->currency, language)
                                : NULL;
      g_autofree char *subtitle = a->agent_name != NULL
                                  ? g_strdup_printf ("%s · %s", when, a->agent_name)
                                  : g_strdup (when);
      /* a change says what changed (from → to); its comment goes under it */
      g_autofree char *change = dd_case_activity_describe (a);
      gboolean has_body = a->body != NULL && *a->body != '\0';
      const char *title = change != NULL ? change
                          : has_body ? a->body : activity_kind_label (a->kind);

      if (change != NULL && has_body)
        {
          g_autofree char *with_comment = g_strdup_printf ("%s\n%s", a->body, subtitle);

          g_free (subtitle);
          subtitle = g_steal_pointer (&with_comment);
        }
      add_row (self->timeline_list, title, subtitle, activity_icon_name (a->kind), amount);
    }
}

static void
load_case (DdCasePage *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->details, dd_case_details_free);
  if (self->case_id != 0)
    {
      self->details = dd_case_store_get_details (self->store, self->case_id, &error);
      if (self->details == NULL)
        _dd_show_toast (GTK_WIDGET (self), error->message);
    }
  show_details (self);
}

/* After an action: toast, refresh, signal; or the error as a toast. */
static gboolean
finish_action (DdCasePage  *self,
               gboolean     ok,
               GError      *local_error,
               const char  *done_text,
               DdCaseUndo  *undo,
               GError     **error)
{
  if (!ok)
    {
      dd_case_undo_free (undo);
      _dd_show_toast (GTK_WIDGET (self), local_error->message);
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (undo != NULL)
    _dd_show_undo_toast (GTK_WIDGET (self), done_text, self->context, undo);
  else
    _dd_show_toast (GTK_WIDGET (self), done_text);
  load_case (self);
  g_signal_emit (self, signals[CASE_CHANGED], 0, self->case_id);
  return TRUE;
}

/* Dialogs */

typedef void (*DialogFunc) (DdCasePage *self,
                            GtkWidget  *extra);

static void
on_dialog_response (AdwMessageDialog *dialog,
                    const char       *response,
                    DdCasePage       *self)
{
  DialogFunc func = (DialogFunc) g_object_get_data (G_OBJECT (dialog), "dd-dialog-func");

  if (g_strcmp0 (response, "ok") == 0)
    func (self, adw_message_dialog_get_extra_child (dialog));
}

static AdwMessageDialog *
run_dialog (DdCasePage *self,
            const char *heading,
            const char *ok_label,
            GtkWidget  *extra,
            DialogFunc  func,
            gboolean    destructive)
{
  GtkWidget *dialog = GTK_WIDGET (dd_question_new (GTK_WIDGET (self), heading, NULL, "ok",
                                                   ok_label,
                                                   destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                               : ADW_RESPONSE_SUGGESTED,
                                                   TRUE));

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), extra);
  g_object_set_data (G_OBJECT (dialog), "dd-dialog-func", func);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
}

static GtkWidget *
new_text_entry (const char *placeholder)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  return entry;
}

static void
add_note_response (DdCasePage *self,
                   GtkWidget  *extra)
{
  _dd_case_page_add_note (self, gtk_editable_get_text (GTK_EDITABLE (extra)), NULL);
}

static void
on_numbers_checked (GtkWidget                  *owner,
                    const DdNumberChecksResult *outcome,
                    const GError               *error)
{
  DdCasePage *self = DD_CASE_PAGE (owner);

  if (outcome == NULL)
    {
      _dd_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  {
    /* Translators: after looking the debtor's numbers up */
    g_autofree char *text = outcome->dead > 0
                            ? g_strdup_printf (ngettext ("%u number checked: %u not reachable",
                                                         "%u numbers checked: %u not reachable",
                                                         outcome->checked),
                                               outcome->checked, outcome->dead)
                            : g_strdup_printf (ngettext ("%u number checked: in service",
                                                         "%u numbers checked: all in service",
                                                         outcome->checked),
                                               outcome->checked);

    _dd_show_toast (GTK_WIDGET (self), text);
  }
  if (self->store != NULL)
    load_case (self);
  g_signal_emit (self, signals[CASE_CHANGED], 0);
}

static void
on_check_numbers_clicked (DdCasePage *self)
{
  g_autoptr(GPtrArray) numbers = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  if (self->details == NULL || self->checking.running != NULL)
    return;
  for (guint i = 0; self->details->phones != NULL && i < self->details->phones->len; i++)
    g_ptr_array_add (numbers, ((DdCasePhone *) g_ptr_array_index (self->details->phones, i))->e164);
  g_ptr_array_add (numbers, NULL);
  if (!dd_number_look_up_start (&self->checking, GTK_WIDGET (self), self->context,
                                (const char *const *) numbers->pdata, &error))
    _dd_show_toast (GTK_WIDGET (self), error->message);
}

static void
on_note_changed (GtkEditable      *entry,
                 AdwMessageDialog *dialog)
{
  const char *text = gtk_editable_get_text (entry);
  gboolean blank = TRUE;

  for (const char *p = text; *p != '\0' && blank; p = g_utf8_next_char (p))
    blank = g_unichar_isspace (g_utf8_get_char (p));
  adw_message_dialog_set_response_enabled (dialog, "ok", !blank);
}

static void
on_add_note_clicked (DdCasePage *self)
{
  GtkWidget *entry = new_text_entry (_("Note"));
  AdwMessageDialog *dialog = run_dialog (self, _("Add Note"), _("_Add"), entry,
                                         add_note_response, FALSE);

  /* an empty note is nothing to add */
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_note_changed), dialog, 0);
  on_note_changed (GTK_EDITABLE (entry), dialog);
}

static void
set_status_response (DdCasePage *self,
                     GtkWidget  *extra)
{
  g_autofree char *call_at = NULL;
  g_autofree char *promised_on = NULL;
  g_autoptr(GError) error = NULL;
  DdStatusChange change;

  if (!_dd_status_form_read (extra, &change, &call_at, &promised_on, &error))
    {
      _dd_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  _dd_case_page_set_status (self, &change, NULL);
}

static void on_set_status_clicked (DdCasePage *self);

static void
set_status_unlocked (GtkWidget *widget)
{
  on_set_status_clicked (DD_CASE_PAGE (widget));
}

static void
on_set_status_clicked (DdCasePage *self)
{
  GtkWidget *form;

  /* reopening a closed case is the manager's: asked once at a consultant's desk */
  if (self->details != NULL && self->details->status == DD_CASE_STATUS_CLOSED
      && !dd_manager_unlock_allows (self->context))
    {
      dd_manager_unlock_run (GTK_WIDGET (self), self->context, set_status_unlocked);
      return;
    }
  form = _dd_status_form_new (self->store, &self->case_id, 1,
                              self->details != NULL ? self->details->currency : NULL);

  _dd_status_form_attach (form, run_dialog (self, _("Set Status"), _("_Set"), form,
                                            set_status_response, FALSE));
}

static void
close_response (DdCasePage *self,
                GtkWidget  *extra)
{
  const char *note = gtk_editable_get_text (GTK_EDITABLE (extra));

  _dd_case_page_close (self, *note != '\0' ? note : NULL, NULL);
}

static void on_close_clicked (DdCasePage *self);

static void
close_unlocked (GtkWidget *widget)
{
  on_close_clicked (DD_CASE_PAGE (widget));
}

static void
on_close_clicked (DdCasePage *self)
{
  /* closing is the manager's: asked once at a consultant's desk */
  if (!dd_manager_unlock_allows (self->context))
    {
      dd_manager_unlock_run (GTK_WIDGET (self), self->context, close_unlocked);
      return;
    }
  run_dialog (self, _("Close Case?"), _("_Close Case"),
              new_text_entry (_("Comment (optional)")), close_response, TRUE);
}

static void
time_zone_response (DdCasePage *self,
                    GtkWidget  *extra)
{
  GPtrArray *zones = g_object_get_data (G_OBJECT (extra), "dd-zones");
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (extra));

  if (zones != NULL && selected < zones->len)
    _dd_case_page_set_time_zone (self, g_ptr_array_index (zones, selected), NULL);
}

static void
time_zone_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DdCasePage *self = DD_CASE_PAGE (widget);
  const char *current = self->details != NULL ? self->details->time_zone : NULL;
  GPtrArray *zones = dd_time_zone_names (current);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GtkExpression) expression = NULL;
  GtkWidget *drop_down;

  for (guint i = 0; i < zones->len; i++)
    {
      const char *name = g_ptr_array_index (zones, i);

      /* Translators: the debtor lives where the office is */
      gtk_string_list_append (names, *name == '\0' ? _("The office’s") : name);
    }
  drop_down = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (GTK_DROP_DOWN (drop_down), expression);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (drop_down), TRUE);
  for (guint i = 0; i < zones->len; i++)
    if (g_strcmp0 (g_ptr_array_index (zones, i), current != NULL ? current : "") == 0)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), i);
  g_object_set_data_full (G_OBJECT (drop_down), "dd-zones", zones,
                          (GDestroyNotify) g_ptr_array_unref);
  run_dialog (self, _("Debtor’s Time Zone"), _("_Set"), drop_down, time_zone_response, FALSE);
}

static void
assign_response (DdCasePage *self,
                 GtkWidget  *extra)
{
  GArray *ids = g_object_get_data (G_OBJECT (extra), "dd-agent-ids");
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (extra));

  if (ids != NULL && selected < ids->len)
    _dd_case_page_assign (self, g_array_index (ids, gint64, selected), NULL);
}

static void
on_assign_clicked (DdCasePage *self)
{
  g_autoptr(GError) error = NULL;
  GArray *ids = NULL;
  GtkStringList *names = _dd_agent_model_new (dd_context_get_database (self->context), &ids,
                                              &error);
  GtkWidget *drop_down;

  if (names == NULL)
    {
      _dd_show_toast (GTK_WIDGET (self), error->message);
      return;
    }

  drop_down = gtk_drop_down_new (G_LIST_MODEL (names), NULL);
  g_object_set_data_full (G_OBJECT (drop_down), "dd-agent-ids", ids,
                          (GDestroyNotify) g_array_unref);
  for (guint i = 0; self->details != NULL && i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == self->details->agent_id)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), i);

  run_dialog (self, _("Assign Case"), _("_Assign"), drop_down, assign_response, FALSE);
}

static void
next_contact_response (DdCasePage *self,
                       GtkWidget  *extra)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (extra), "dd-entry");
  const char *text = gtk_editable_get_text (entry);
  g_autofree char *at = NULL;
  g_autoptr(GError) error = NULL;

  if (*text != '\0' && (at = _dd_parse_local_time (text, &error)) == NULL)
    {
      _dd_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  _dd_case_page_set_next_contact (self, at, NULL);
}

/* The next contact as typed: empty (none) or a time from now on; else the reason under the
 * entry, and Set is off. */
static void
on_next_contact_changed (GtkEditable *entry,
                         GtkWidget   *box)
{
  DdCaseStore *store = g_object_get_data (G_OBJECT (box), "dd-store");
  GtkLabel *message = g_object_get_data (G_OBJECT (box), "dd-message");
  GtkWidget *dialog = gtk_widget_get_ancestor (box, ADW_TYPE_MESSAGE_DIALOG);
  const char *text = gtk_editable_get_text (entry);
  g_autoptr(GError) error = NULL;
  g_autofree char *at = NULL;

  if (*text != '\0' && (at = _dd_parse_local_time (text, &error)) != NULL)
    dd_case_store_check_contact_time (store, at, &error);
  show_entry_error (GTK_ENTRY (entry), message, error);
  if (dialog != NULL)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "ok", error == NULL);
}

static void
on_next_contact_clicked (DdCasePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkLabel *message = NULL;
  GtkEntry *entry = add_checked_entry (GTK_BOX (box), _("YYYY-MM-DD HH:MM (empty: none)"),
                                       &message);
  g_autofree char *current = self->details != NULL
                             ? _dd_format_timestamp (self->details->next_contact_at)
                             : NULL;

  g_object_set_data (G_OBJECT (box), "dd-entry", entry);
  g_object_set_data (G_OBJECT (box), "dd-message", message);
  g_object_set_data_full (G_OBJECT (box), "dd-store", g_object_ref (self->store),
                          g_object_unref);
  if (current != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), current);
  run_dialog (self, _("Next Contact"), _("_Set"), box, next_contact_response, FALSE);
  g_signal_connect (entry, "changed", G_CALLBACK (on_next_contact_changed), box);
  on_next_contact_changed (GTK_EDITABLE (entry), box);
}

/* Record Payment…: amount and date checked as they are typed (the payment store's rules),
 * Record enabled only when both are right. */

typedef struct
{
  DdPaymentStore *payments;
  char           *currency;
  GtkEntry       *amount;
  GtkLabel       *amount_message;
  GtkEntry       *paid_on;
  GtkLabel       *paid_on_message;
  GtkEntry       *note;
} PaymentForm;

static void
payment_form_free (PaymentForm *form)
{
  g_clear_object (&form->payments);
  g_free (form->currency);
  g_free (form);
}

static gboolean
payment_form_read (PaymentForm  *form,
                   gint64       *out_minor,
                   char        **out_paid_on,
                   GError      **amount_error,
                   GError      **date_error)
{
  char parsed_currency[4] = "";
  gboolean amount_ok, date_ok;
  GDate date;
  const char *date_text = gtk_editable_get_text (GTK_EDITABLE (form->paid_on));

  amount_ok = dd_money_parse (gtk_editable_get_text (GTK_EDITABLE (form->amount)), form->currency,
                              out_minor, parsed_currency, NULL, amount_error);
  if (amount_ok && g_strcmp0 (parsed_currency, form->currency) != 0)
    {
      g_set_error_literal (amount_error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_INVALID,
                           _("The amount must be in the case’s currency."));
      amount_ok = FALSE;
    }
  amount_ok = amount_ok && dd_payment_store_check_amount (form->payments, *out_minor,
                                                          amount_error);
  *out_paid_on = NULL;
  date_ok = dd_date_parse (date_text, &date, date_error);
  if (date_ok)
    {
      *out_paid_on = dd_date_to_iso (&date);
      date_ok = dd_payment_store_check_paid_on (form->payments, *out_paid_on, date_error);
    }
  return amount_ok && date_ok;
}

static void
on_payment_form_changed (GtkEditable *editable,
                         GtkWidget   *box)
{
  PaymentForm *form = g_object_get_data (G_OBJECT (box), "dd-payment-form");
  GtkWidget *dialog = gtk_widget_get_ancestor (box, ADW_TYPE_MESSAGE_DIALOG);
  g_autoptr(GError) amount_error = NULL;
  g_autoptr(GError) date_error = NULL;
  g_autofree char *paid_on = NULL;
  gint64 minor = 0;
  gboolean valid;

  valid = payment_form_read (form, &minor, &paid_on, &amount_error, &date_error);
  /* an untouched entry is not wrong yet */
  show_entry_error (form->amount, form->amount_message,
                    *gtk_editable_get_text (GTK_EDITABLE (form->amount)) != '\0'
                    ? amount_error : NULL);
  show_entry_error (form->paid_on, form->paid_on_message, date_error);
  if (dialog != NULL)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "ok", valid);
}

static void
record_payment_response (DdCasePage *self,
                         GtkWidget  *extra)
{
  PaymentForm *form = g_object_get_data (G_OBJECT (extra), "dd-payment-form");
  g_autoptr(GError) amount_error = NULL;
  g_autoptr(GError) date_error = NULL;
  g_autofree char *paid_on = NULL;
  const char *note = gtk_editable_get_text (GTK_EDITABLE (form->note));
  gint64 minor = 0;

  if (!payment_form_read (form, &minor, &paid_on, &amount_error, &date_error))
    {
      _dd_show_toast (GTK_WIDGET (self), amount_error ? amount_error->message
                                                      : date_error->message);
      return;
    }
  _dd_case_page_record_payment (self, minor, paid_on, *note != '\0' ? note : NULL, NULL);
}

static void
on_record_payment_clicked (DdCasePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  PaymentForm *form = g_new0 (PaymentForm, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  GSettings *settings = dd_context_get_settings (self->context);
  g_autofree char *amount_caption = NULL;

  form->payments = dd_payment_store_new (dd_context_get_database (self->context));
  if (settings != NULL)
    dd_payment_store_set_grace_days (form->payments,
                                     g_settings_get_uint (settings, "payment-grace-days"));
  form->currency = g_strdup (self->details != NULL ? self->details->currency : NULL);
  amount_caption = g_strdup_printf (_("Amount paid (%s)"), form->currency != NULL ? form->currency
                                                                               : "");
  form->amount = add_checked_entry (GTK_BOX (box), amount_caption, &form->amount_message);
  form->paid_on = add_checked_entry (GTK_BOX (box), _("Paid on (YYYY-MM-DD)"),
                                     &form->paid_on_message);
  gtk_editable_set_text (GTK_EDITABLE (form->paid_on), today);
  form->note = GTK_ENTRY (new_text_entry (_("Comment (optional)")));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (form->note));
  g_object_set_data_full (G_OBJECT (box), "dd-payment-form", form,
                          (GDestroyNotify) payment_form_free);
  run_dialog (self, _("Record Payment"), _("_Record"), box, record_payment_response, FALSE);
  g_signal_connect (form->amount, "changed", G_CALLBACK (on_payment_form_changed), box);
  g_signal_connect (form->paid_on, "changed", G_CALLBACK (on_payment_form_changed), box);
  on_payment_form_changed (NULL, box);
}

/* Demand Letter…: the letter of this case as `dunning-desk-cli letters --case N` makes it
 * (dd_demand_letters_build, then _write), built and written in a worker thread over a
 * connection of its own; the window asks where to save it between the two steps, once it is
 * known that something is owed. */

static GFile *letter_file_for_tests;

typedef struct
{
  DdDatabase *database;
  char       *office[4];     /* name, address, tax id, bank account */
  char       *signature;
  guint       days;
  gint64      case_id;
  char       *debtor_name;   /* for the file name: the page may show another case by then */
  GDate       date;
  GPtrArray  *letters;       /* DdLetter, once built */
  char       *path;          /* where to save, once chosen */
  char       *saved_path;    /* the absolute path recorded */
} LetterJob;

static void
letter_job_free (LetterJob *job)
{
  g_clear_object (&job->database);
  for (guint i = 0; i < G_N_ELEMENTS (job->office); i++)
    g_free (job->office[i]);
  g_free (job->signature);
  g_free (job->debtor_name);
  g_clear_pointer (&job->letters, g_ptr_array_unref);
  g_free (job->path);
  g_free (job->saved_path);
  g_free (job);
}

static void
set_letter_busy (DdCasePage *self,
                 gboolean    busy)
{
  self->making_letter = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case-page.demand-letter",
                                 !busy && self->details != NULL);
}

/* Says @text as a toast (with a button when @button_label), in place of the previous letter's
 * toast, and keeps it for the tests. */
static AdwToast *
letter_message (DdCasePage *self,
                const char *text,
                const char *button_label,
                const char *action_name)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  g_free (self->letter_message);
  self->letter_message = g_strdup (text);
  if (overlay == NULL)
    {
      _dd_show_toast (GTK_WIDGET (self), text);
      return NULL;
    }
  if (self->letter_toast != NULL)
    adw_toast_dismiss (self->letter_toast);
  toast = adw_toast_new (text);
  if (button_label != NULL)
    {
      adw_toast_set_button_label (toast, button_label);
      adw_toast_set_action_name (toast, action_name);
      adw_toast_set_timeout (toast, 10);
    }
  g_set_weak_pointer (&self->letter_toast, toast);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return toast;
}

/* the saved letter's Open button: the PDF in the desktop's viewer */
static void
on_open_letter_clicked (AdwToast   *toast,
                        DdCasePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                g_object_get_data (G_OBJECT (toast), "dd-letter-uri"), GDK_CURRENT_TIME);
}

static void
build_letter_in_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  LetterJob *job = task_data;
  DdLetterOffice office = { job->office[0], job->office[1], job->office[2], job->office[3] };
  g_autoptr(GArray) case_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GError *error = NULL;

  g_array_append_val (case_ids, job->case_id);
  job->letters = dd_demand_letters_build (job->database, &office, case_ids, FALSE, &job->date,
                                          job->days, job->signature, &error);
  if (job->letters == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
write_letter_in_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  LetterJob *job = task_data;
  GError *error = NULL;

  if (dd_demand_letters_write (job->database, job->letters, job->path, NULL, TRUE, NULL,
                               &job->saved_path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_letter_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DdCasePage *self = DD_CASE_PAGE (source);
  LetterJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_letter_busy (self, FALSE);
      /* Translators: %s says why (the file system's or the database's message) */
      text = g_strdup_printf (_("The letter could not be saved: %s"), error->message);
      letter_message (self, text, NULL, NULL);
      return;
    }
  set_letter_busy (self, FALSE);
  {
    g_autofree char *uri = g_filename_to_uri (job->saved_path, NULL, NULL);

    AdwToast *toast = letter_message (self, _("Demand letter saved and recorded in the timeline"),
                                      NULL, NULL);

    if (toast != NULL && uri != NULL)
      {
        adw_toast_set_button_label (toast, _("_Open"));
        g_object_set_data_full (G_OBJECT (toast), "dd-letter-uri", g_steal_pointer (&uri),
                                g_free);
        g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_open_letter_clicked),
                                 self, 0);
      }
  }
  load_case (self);
  g_signal_emit (self, signals[CASE_CHANGED], 0, self->case_id);
}

static void
write_letter (DdCasePage *self,
              GTask      *built,
              GFile      *file)
{
  LetterJob *job = g_task_get_task_data (built);
  GTask *task = g_task_new (self, self->letter_cancellable, on_letter_written, NULL);

  job->path = g_file_get_path (file);
  if (job->path == NULL)
    job->path = g_strdup (g_file_peek_path (file));
  g_task_set_source_tag (task, write_letter);
  /* the job passes from the first task to the second */
  g_task_set_task_data (task, g_object_steal_data (G_OBJECT (built), "dd-letter-job-owned"),
                        (GDestroyNotify) letter_job_free);
  g_task_run_in_thread (task, write_letter_in_thread);
  g_object_unref (task);
}

static void
on_letter_file_chosen (GtkNativeDialog *chooser,
                       int              response,
                       DdCasePage      *self)
{
  GTask *built = g_object_get_data (G_OBJECT (chooser), "dd-letter-task");
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    write_letter (self, built, file);
  else
    set_letter_busy (self, FALSE);
  g_object_set_data (G_OBJECT (chooser), "dd-letter-task", NULL);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/* "Demand letter – Jan Kowalski – 2026-12-07.pdf", without what a file name may not hold */
static char *
letter_file_name (const LetterJob *job)
{
  g_autofree char *debtor = g_strdup (job->debtor_name != NULL ? job->debtor_name : "");
  char date[16];

  g_strdelimit (debtor, "/\\:*?\"<>|", ' ');
  g_snprintf (date, sizeof date, "%04u-%02u-%02u", g_date_get_year (&job->date),
              g_date_get_month (&job->date), g_date_get_day (&job->date));
  /* Translators: the suggested file name of a case's demand letter: %1$s the debtor's name,
   * %2$s the letter's date (YYYY-MM-DD) */
  return g_strdup_printf (_("Demand letter – %1$s – %2$s.pdf"), g_strstrip (debtor), date);
}

static void
on_letter_built (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DdCasePage *self = DD_CASE_PAGE (source);
  LetterJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_letter_busy (self, FALSE);
      if (g_error_matches (error, DD_DEMAND_LETTERS_ERROR, DD_DEMAND_LETTERS_ERROR_NO_OFFICE))
        /* a toast shows one line: short, the button beside it leads there */
        letter_message (self, _("Enter the office’s name first: Preferences › General"),
                        _("_Preferences"), "win.preferences");
      else
        letter_message (self, error->message, NULL, NULL);
      return;
    }
  if (job->letters->len == 0)
    {
      set_letter_busy (self, FALSE);
      letter_message (self, _("Nothing is owed on this case: no letter"), NULL, NULL);
      return;
    }
  if (letter_file_for_tests != NULL)
    {
      write_letter (self, G_TASK (result), letter_file_for_tests);
      return;
    }
  name = letter_file_name (job);
  chooser = gtk_file_chooser_native_new (_("Save Demand Letter"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  {
    g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

    gtk_file_filter_set_name (filter, _("PDF documents"));
    gtk_file_filter_add_mime_type (filter, "application/pdf");
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  }
  g_object_set_data_full (G_OBJECT (chooser), "dd-letter-task", g_object_ref (result),
                          g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_letter_file_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
demand_letter_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DdCasePage *self = DD_CASE_PAGE (widget);
  GSettings *settings = dd_context_get_settings (self->context);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  LetterJob *job;

  if (self->making_letter || self->details == NULL)
    return;
  job = g_new0 (LetterJob, 1);
  job->case_id = self->case_id;
  job->debtor_name = g_strdup (self->details->debtor_name);
  job->days = 7;
  g_date_clear (&job->date, 1);
  g_date_set_dmy (&job->date, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
  if (settings != NULL)
    {
      static const char * const keys[] = { "office-name", "office-address", "office-tax-id",
                                           "office-bank-account" };

      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        job->office[i] = g_settings_get_string (settings, keys[i]);
      job->signature = g_settings_get_string (settings, "letter-signature");
      job->days = g_settings_get_uint (settings, "letter-deadline-days");
    }
  job->database = dd_database_open_another (dd_context_get_database (self->context), &error);
  if (job->database == NULL)
    {
      letter_job_free (job);
      letter_message (self, error->message, NULL, NULL);
      return;
    }

  set_letter_busy (self, TRUE);
  if (self->letter_cancellable == NULL)
    self->letter_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->letter_cancellable, on_letter_built, NULL);
  g_task_set_source_tag (task, demand_letter_action);
  g_task_set_task_data (task, job, NULL);
  /* owned by the task object until the writing task takes it over */
  g_object_set_data_full (G_OBJECT (task), "dd-letter-job-owned", job,
                          (GDestroyNotify) letter_job_free);
  g_task_run_in_thread (task, build_letter_in_thread);
}

void
_dd_case_page_set_letter_file (GFile *file)
{
  g_set_object (&letter_file_for_tests, file);
}

gboolean
_dd_case_page_is_making_letter (DdCasePage *self)
{
  return self->making_letter;
}

const char *
_dd_case_page_get_letter_message (DdCasePage *self)
{
  return self->letter_message;
}

/* GObject */

static void
dd_case_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DdCasePage *self = DD_CASE_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_CASE_ID:
      g_value_set_int64 (value, self->case_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_case_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DdCasePage *self = DD_CASE_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_CASE_ID:
      dd_case_page_set_case_id (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_case_page_constructed (GObject *object)
{
  DdCasePage *self = DD_CASE_PAGE (object);

  G_OBJECT_CLASS (dd_case_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  self->store = _dd_case_store_for_context (self->context);
  /* another agent at the desk (or a new role) may do other things */
  g_signal_connect_object (self->context, "notify::agent-id",
                           G_CALLBACK (on_context_agent_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::is-manager",
                           G_CALLBACK (on_context_agent_changed), self, G_CONNECT_SWAPPED);
  show_details (self);
}

static void
dd_case_page_dispose (GObject *object)
{
  DdCasePage *self = DD_CASE_PAGE (object);

  dd_number_look_up_cancel (&self->checking);
  g_cancellable_cancel (self->letter_cancellable);
  g_clear_object (&self->letter_cancellable);
  g_clear_weak_pointer (&self->letter_toast);
  /* the bin's child is a template child (scrolled_window): let the bin drop it first */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_CASE_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (dd_case_page_parent_class)->dispose (object);
}

static void
dd_case_page_finalize (GObject *object)
{
  DdCasePage *self = DD_CASE_PAGE (object);

  g_clear_pointer (&self->details, dd_case_details_free);
  g_free (self->letter_message);

  G_OBJECT_CLASS (dd_case_page_parent_class)->finalize (object);
}

static void
dd_case_page_class_init (DdCasePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = dd_case_page_get_property;
  object_class->set_property = dd_case_page_set_property;
  object_class->constructed = dd_case_page_constructed;
  object_class->dispose = dd_case_page_dispose;
  object_class->finalize = dd_case_page_finalize;

  properties[PROP_CONTEXT] = dd_context_param_spec (0);
  properties[PROP_CASE_ID] =
    g_param_spec_int64 ("case-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DdCasePage::case-changed:
   * @case_id: the case an action changed
   */
  signals[CASE_CHANGED] =
    g_signal_new ("case-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-case-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, name_label);
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, add_note_button);
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, set_status_button);
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, record_payment_button);
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, assign_button);
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, next_contact_button);
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, close_button);
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, debtor_list);
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, liabilities_list);
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, declarations_list);
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, balance_list);
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, timeline_list);
  gtk_widget_class_bind_template_callback (widget_class, on_add_note_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_check_numbers_clicked);
  gtk_widget_class_install_action (widget_class, "case-page.time-zone", NULL, time_zone_action);
  gtk_widget_class_install_action (widget_class, "case-page.demand-letter", NULL,
                                   demand_letter_action);
  gtk_widget_class_bind_template_child (widget_class, DdCasePage, check_numbers_button);
  gtk_widget_class_bind_template_callback (widget_class, on_set_status_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_record_payment_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_assign_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_next_contact_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
}

static void
dd_case_page_init (DdCasePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->checking.button = GTK_WIDGET (self->check_numbers_button);
  self->checking.done = on_numbers_checked;

  set_placeholder (self->debtor_list, _("No contact details"));
  set_placeholder (self->liabilities_list, _("No invoices"));
  set_placeholder (self->declarations_list, _("No payment declarations"));
  set_placeholder (self->balance_list, _("No balance history"));
  set_placeholder (self->timeline_list, _("No activities yet"));
}

GtkWidget *
dd_case_page_new (DdContext *context)
{
  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  return g_object_new (DD_TYPE_CASE_PAGE, "context", context, NULL);
}

void
dd_case_page_set_case_id (DdCasePage *self,
                          gint64      case_id)
{
  gboolean other;

  g_return_if_fail (DD_IS_CASE_PAGE (self));

  other = self->case_id != case_id;
  if (other)
    {
      self->case_id = case_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_ID]);
    }
  if (self->store != NULL)
    load_case (self);
  /* another case opens at its top, not where the previous one was scrolled to */
  if (other)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
}

gint64
dd_case_page_get_case_id (DdCasePage *self)
{
  g_return_val_if_fail (DD_IS_CASE_PAGE (self), 0);

  return self->case_id;
}

void
dd_case_page_refresh (DdCasePage *self)
{
  g_return_if_fail (DD_IS_CASE_PAGE (self));

  load_case (self);
}

/* Action paths */

gboolean
_dd_case_page_record_payment (DdCasePage  *self,
                              gint64       amount_minor,
                              const char  *paid_on,
                              const char  *note,
                              GError     **error)
{
  g_autoptr(DdPaymentStore) payments = dd_payment_store_new (dd_context_get_database (self->context));
  GSettings *settings = dd_context_get_settings (self->context);
  GError *local_error = NULL;
  gboolean ok;

  if (settings != NULL)
    dd_payment_store_set_grace_days (payments,
                                     g_settings_get_uint (settings, "payment-grace-days"));
  ok = dd_payment_store_record (payments, dd_context_get_agent_id (self->context), self->case_id,
                                amount_minor, NULL, paid_on, note, NULL, &local_error);
  return finish_action (self, ok, local_error, _("Payment recorded"), NULL, error);
}

gboolean
_dd_case_page_add_note (DdCasePage  *self,
                        const char  *text,
                        GError     **error)
{
  GError *local_error = NULL;
  gboolean ok = dd_case_store_add_note (self->store, dd_context_get_agent_id (self->context),
                                        self->case_id, text, &local_error);

  return finish_action (self, ok, local_error, _("Note added"), NULL, error);
}

gboolean
_dd_case_page_set_status (DdCasePage           *self,
                          const DdStatusChange *change,
                          GError              **error)
{
  g_autoptr(DdCaseUndo) undo = dd_case_store_snapshot (self->store, &self->case_id, 1, NULL);
  GError *local_error = NULL;
  /* closing or reopening is the manager's: at an unlocked desk, the manager who unlocked it */
  gboolean managers = change->status == DD_CASE_STATUS_CLOSED ||
                      (self->details != NULL && self->details->status == DD_CASE_STATUS_CLOSED);
  gboolean ok = dd_case_store_set_status (self->store,
                                          managers ? dd_manager_unlock_acting_agent (self->context)
                                                   : dd_context_get_agent_id (self->context),
                                          self->case_id, change, &local_error);

  return finish_action (self, ok, local_error, _("Status changed"), g_steal_pointer (&undo),
                        error);
}

gboolean
_dd_case_page_close (DdCasePage  *self,
                     const char  *note,
                     GError     **error)
{
  g_autoptr(DdCaseUndo) undo = dd_case_store_snapshot (self->store, &self->case_id, 1, NULL);
  GError *local_error = NULL;
  /* closing is the manager's: at an unlocked desk, the manager who unlocked it closes */
  gboolean ok = dd_case_store_close (self->store, dd_manager_unlock_acting_agent (self->context),
                                     self->case_id, note, &local_error);

  return finish_action (self, ok, local_error, _("Case closed"), g_steal_pointer (&undo), error);
}

gboolean
_dd_case_page_assign (DdCasePage  *self,
                      gint64       assignee_id,
                      GError     **error)
{
  g_autoptr(DdCaseUndo) undo = dd_case_store_snapshot (self->store, &self->case_id, 1, NULL);
  GError *local_error = NULL;
  gboolean ok = dd_case_store_assign (self->store, dd_context_get_agent_id (self->context),
                                      self->case_id, assignee_id, &local_error);

  return finish_action (self, ok, local_error, _("Case assigned"), g_steal_pointer (&undo),
                        error);
}

gboolean
_dd_case_page_set_time_zone (DdCasePage  *self,
                             const char  *zone,
                             GError     **error)
{
  GError *local_error = NULL;
  gboolean ok = dd_case_store_set_time_zone (self->store, self->case_id, zone,
                                             dd_context_get_agent_id (self->context),
                                             &local_error);

  return finish_action (self, ok, local_error, _("Time zone set"), NULL, error);
}

gboolean
_dd_case_page_set_next_contact (DdCasePage  *self,
                                const char  *at,
                                GError     **error)
{
  g_autoptr(DdCaseUndo) undo = dd_case_store_snapshot (self->store, &self->case_id, 1, NULL);
  GError *local_error = NULL;
  gboolean ok = dd_case_store_set_next_contact (self->store,
                                                dd_context_get_agent_id (self->context),
                                                self->case_id, at, &local_error);

  return finish_action (self, ok, local_error, _("Next contact set"), g_steal_pointer (&undo),
                        error);
}

GtkWidget *
_dd_case_page_get_close_button (DdCasePage *self)
{
  return GTK_WIDGET (self->close_button);
}

const char *
_dd_case_page_get_debtor_name (DdCasePage *self)
{
  return self->details != NULL ? self->details->debtor_name : NULL;
}
