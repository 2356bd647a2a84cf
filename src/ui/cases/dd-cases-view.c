/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-cases-view"

#include "config.h"

#include "dd-cases-view.h"
#include "dd-manager-unlock.h"
#include "dd-cases-view-private.h"

#include "dd-case-list.h"
#include "dd-case-page-private.h"
#include "dd-case-store.h"
#include "dd-money.h"
#include "dd-question.h"
#include "dd-saved-filter-store.h"

#include <glib/gi18n.h>
#include <inttypes.h>

/*
 * Sorting: every column has a DdColumnSorter, so that GtkColumnView shows the sort
 * arrows and keeps the user's choice in its GtkColumnViewSorter. Nothing is ever sorted by
 * GTK (there is no GtkSortListModel): when the column view's sorter changes we ask it to
 * compare two dummies; the first column sorter it consults is the primary column and the
 * sign of the answer its direction (GTK 4.8 has no getter for either). That becomes the
 * DdCaseQuery sort, and the database sorts.
 */

#define DD_TYPE_COLUMN_SORTER (dd_column_sorter_get_type ())
G_DECLARE_FINAL_TYPE (DdColumnSorter, dd_column_sorter, DD, COLUMN_SORTER, GtkSorter)

struct _DdColumnSorter
{
  GtkSorter         parent_instance;
  DdCaseSortColumn  column;
  int              *probe;   /* set to the column when compared, while probing */
};

G_DEFINE_FINAL_TYPE (DdColumnSorter, dd_column_sorter, GTK_TYPE_SORTER)

static GtkOrdering
dd_column_sorter_compare (GtkSorter *sorter,
                          gpointer   item1,
                          gpointer   item2)
{
  DdColumnSorter *self = DD_COLUMN_SORTER (sorter);

  if (self->probe != NULL && *self->probe < 0)
    *self->probe = (int) self->column;

  return GTK_ORDERING_SMALLER;
}

static GtkSorterOrder
dd_column_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
dd_column_sorter_class_init (DdColumnSorterClass *klass)
{
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  sorter_class->compare = dd_column_sorter_compare;
  sorter_class->get_order = dd_column_sorter_get_order;
}

static void
dd_column_sorter_init (DdColumnSorter *self)
{
}

#define N_COLUMNS 8   /* the sort columns shown, DD_CASE_SORT_DEBTOR…_DAYS_OVERDUE */
#define N_STATUSES 5

struct _DdCasesView
{
  AdwBin              parent_instance;

  DdContext          *context;
  DdCaseStore        *store;
  DdCaseList         *list;
  GtkMultiSelection  *selection;
  DdCaseQuery        *query;
  DdCasePage         *case_page;
  GtkCheckButton     *status_checks[N_STATUSES];
  GtkColumnViewColumn *columns[N_COLUMNS];
  int                 column_needs[N_COLUMNS];  /* the list's width with a column given way */
  guint               fit_columns_id;
  int                 sort_probe;
  gboolean            updating;
  gulong              cases_changed_id;
  gint64              n_shown;      /* the counts of the title; -1 before the first */
  gint64              n_open;

  /* template children */
  AdwToastOverlay    *toast_overlay;
  AdwLeaflet         *leaflet;
  GtkBox             *toolbar;
  GtkSearchEntry     *search_entry;
  GtkMenuButton      *filter_button;
  GtkBox             *status_box;
  GtkSpinButton      *balance_min_spin;
  GtkSpinButton      *balance_max_spin;
  GtkSpinButton      *no_contact_spin;
  GtkCheckButton     *overdue_check;
  GtkCheckButton     *birthdays_check;
  GtkButton          *save_filter_button;
  GtkStack           *stack;
  GtkColumnView      *column_view;
  AdwStatusPage      *empty_page;
  AdwStatusPage      *no_match_page;
  GtkActionBar       *action_bar;
  GtkLabel           *selection_label;
  GtkButton          *bulk_status_button;
  GtkBox             *case_box;
  GtkButton          *back_button;
};

G_DEFINE_FINAL_TYPE (DdCasesView, dd_cases_view, ADW_TYPE_BIN)

enum {
  FILTER_SAVED,
  COUNTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static const char *
ui_language (void)
{
  return g_get_language_names ()[0];
}

static void
show_toast (DdCasesView *self,
            const char  *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
update_stack (DdCasesView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));

  if (n > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (dd_case_query_is_filtered (self->query))
    gtk_stack_set_visible_child_name (self->stack, "no-match");
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");

  /* nothing to search or filter in an empty office */
  gtk_widget_set_sensitive (GTK_WIDGET (self->toolbar),
                            n > 0 || dd_case_query_is_filtered (self->query));
}

/* The list's count and the office's open cases, for the window's title. The open cases are
 * counted again only when cases changed (@recount), not while the user types a search: at a
 * million cases that count is a scan of the status index. */
static void
update_counts (DdCasesView *self,
               gboolean     recount)
{
  g_autoptr(GError) error = NULL;
  gint64 shown = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  gint64 open = self->n_open;

  if ((recount || self->n_open < 0)
      && !dd_case_store_count (self->store, NULL, &open, &error))
    g_warning ("Could not count the open cases: %s", error->message);
  if (shown == self->n_shown && open == self->n_open)
    return;
  self->n_shown = shown;
  self->n_open = open;
  g_signal_emit (self, signals[COUNTS_CHANGED], 0);
}

/* An active filter shows on the button also while its popover is closed: highlighted, with
 * the number of filters on. */
static void
update_filter_button (DdCasesView *self)
{
  guint n = dd_case_query_get_n_filters (self->query);
  g_autofree char *label = NULL;
  g_autofree char *tooltip = NULL;

  if (n > 0)
    {
      /* Translators: the filter button when filters are on; %u is how many ("Filters (2)") */
      label = g_strdup_printf (_("_Filters (%u)"), n);
      tooltip = g_strdup_printf (ngettext ("%u filter is on", "%u filters are on", n), n);
      gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "suggested-action");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "suggested-action");
  gtk_menu_button_set_label (self->filter_button, label != NULL ? label : _("_Filters"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_button),
                               tooltip != NULL ? tooltip : _("Filter the cases"));
}

static void
run_query (DdCasesView *self)
{
  g_autoptr(GError) error = NULL;

  if (!dd_case_list_set_query (self->list, self->query, &error))
    show_toast (self, error->message);
  update_stack (self);
  update_filter_button (self);
  update_counts (self, FALSE);
}

/* The query from the widgets (search, filters); the sort and the filters that have no
 * widget (creditor, agent, campaign) stay as they are. */
static void
read_widgets (DdCasesView *self)
{
  double min = gtk_spin_button_get_value (self->balance_min_spin);
  double max = gtk_spin_button_get_value (self->balance_max_spin);

  dd_case_query_set_search (self->query, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  self->query->statuses = 0;
  for (guint i = 0; i < N_STATUSES; i++)
    if (gtk_check_button_get_active (self->status_checks[i]))
      dd_case_query_add_status (self->query, (DdCaseStatus) i);
  self->query->has_balance_min = min > 0;
  self->query->balance_min = (gint64) (min * 100 + 0.5);
  self->query->has_balance_max = max > 0;
  self->query->balance_max = (gint64) (max * 100 + 0.5);
  self->query->overdue_declarations = gtk_check_button_get_active (self->overdue_check);
  self->query->birthdays_today = gtk_check_button_get_active (self->birthdays_check);
  self->query->no_contact_days = (guint) gtk_spin_button_get_value_as_int (self->no_contact_spin);
}

/* The column view's sort arrows as the query sorts: one column. GtkColumnViewSorter (4.8)
 * keeps the columns clicked before as secondary sorts and, when another column becomes the
 * primary one, does not redraw their titles, so their arrows stayed: the sorter is set to
 * the one column, and each other title is redrawn by giving its column its sorter again.
 * Call with self->updating set (the sorter changes). */
static void
show_sort (DdCasesView *self)
{
  const DdCaseQuery *q = self->query;

  gtk_column_view_sort_by_column (self->column_view, NULL, GTK_SORT_ASCENDING);
  for (guint i = 0; i < N_COLUMNS; i++)
    if (i != q->sort)
      {
        g_autoptr(GtkSorter) sorter = g_object_ref (gtk_column_view_column_get_sorter (
                                                      self->columns[i]));

        gtk_column_view_column_set_sorter (self->columns[i], NULL);
        gtk_column_view_column_set_sorter (self->columns[i], sorter);
      }
  if (q->sort < N_COLUMNS)
    gtk_column_view_sort_by_column (self->column_view, self->columns[q->sort],
                                    q->descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

static void
write_widgets (DdCasesView *self)
{
  const DdCaseQuery *q = self->query;

  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), q->search != NULL ? q->search : "");
  for (guint i = 0; i < N_STATUSES; i++)
    gtk_check_button_set_active (self->status_checks[i], (q->statuses & (1u << i)) != 0);
  gtk_spin_button_set_value (self->balance_min_spin,
                             q->has_balance_min ? q->balance_min / 100.0 : 0);
  gtk_spin_button_set_value (self->balance_max_spin,
                             q->has_balance_max ? q->balance_max / 100.0 : 0);
  gtk_check_button_set_active (self->overdue_check, q->overdue_declarations);
  gtk_check_button_set_active (self->birthdays_check, q->birthdays_today);
  gtk_spin_button_set_value (self->no_contact_spin, q->no_contact_days);
  show_sort (self);
  self->updating = FALSE;
}

static GArray *
get_selected_ids (DdCasesView *self)
{
  GtkSelectionModel *model = GTK_SELECTION_MODEL (self->selection);
  g_autoptr(GtkBitset) bitset = gtk_selection_model_get_selection (model);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, bitset, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      gint64 id = dd_case_list_get_case_id (self->list, position);

      if (id != 0)
        g_array_append_val (ids, id);
    }

  return ids;
}

/* Selections up to this size are checked for closed cases a consultant may not reopen;
 * larger ones are left to the case store to refuse. */
#define MAX_CHECKED_SELECTION 5000

/* Why the agent at the desk may not set the status of the selected cases (closed ones are
 * reopened, for managers), or NULL. */
static const char *
bulk_status_refusal (DdCasesView *self,
                     guint64      n_selected)
{
  const char *role = NULL;
  g_autoptr(GArray) ids = NULL;
  DdStatement *stmt;

  if (dd_context_get_agent_id (self->context) > 0)
    role = dd_context_get_is_manager (self->context) ? "manager" : "consultant";
  if (role == NULL || g_str_equal (role, "manager") || n_selected > MAX_CHECKED_SELECTION)
    return dd_case_store_refusal (role, DD_CASE_STATUS_NEW, DD_CASE_STATUS_NEW);

  stmt = dd_database_cached (dd_context_get_database (self->context),
                             "SELECT status = 'closed' FROM debt_case WHERE id = ?", NULL);
  if (stmt == NULL)
    return NULL;
  ids = get_selected_ids (self);
  for (guint i = 0; i < ids->len; i++)
    {
      gboolean closed;

      dd_statement_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      closed = dd_statement_step (stmt, NULL) && dd_statement_get_int64 (stmt, 0) != 0;
      dd_statement_reset (stmt);
      if (closed)
        return dd_case_store_refusal (role, DD_CASE_STATUS_CLOSED, DD_CASE_STATUS_NEW);
    }
  return NULL;
}

static void
update_action_bar (DdCasesView *self)
{
  GtkSelectionModel *model = GTK_SELECTION_MODEL (self->selection);
  g_autoptr(GtkBitset) bitset = gtk_selection_model_get_selection (model);
  guint64 n = gtk_bitset_get_size (bitset);
  g_autofree char *text = NULL;

  /* Translators: in the bar of the bulk actions */
  text = g_strdup_printf (ngettext ("%" PRIu64 " case selected",
                                    "%" PRIu64 " cases selected",
                                    (gulong) MIN (n, G_MAXLONG)), n);
  gtk_label_set_text (self->selection_label, text);
  gtk_action_bar_set_revealed (self->action_bar, n > 1);
  if (n > 1)
    {
      const char *refusal = bulk_status_refusal (self, n);
      /* closed cases among them: a manager's password lets the consultant go on */
      gboolean can_ask = refusal != NULL && dd_manager_unlock_can_ask (self->context);

      gtk_widget_set_sensitive (GTK_WIDGET (self->bulk_status_button),
                                refusal == NULL || can_ask);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->bulk_status_button),
                                   can_ask ? NULL : refusal);
    }
}

static void
on_context_agent_changed (DdCasesView *self)
{
  if (self->selection != NULL)
    update_action_bar (self);
}

/* Cells */

static void
on_cell_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  DdCaseSortColumn column = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_label_new (NULL);
  gboolean number = column == DD_CASE_SORT_BALANCE || column == DD_CASE_SORT_DAYS_OVERDUE;

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);

  gtk_label_set_xalign (GTK_LABEL (label), number ? 1.0 : 0.0);
  if (number)
    gtk_widget_add_css_class (label, "numeric");
  /* room for what the column shows: names are the point of the list, an amount or a date
   * cut short is useless */
  switch (column)
    {
    case DD_CASE_SORT_DEBTOR:
      gtk_label_set_width_chars (GTK_LABEL (label), 22);
      break;
    case DD_CASE_SORT_CREDITOR:
      gtk_label_set_width_chars (GTK_LABEL (label), 14);
      break;
    case DD_CASE_SORT_BALANCE:
      gtk_label_set_width_chars (GTK_LABEL (label), 13);
      break;
    case DD_CASE_SORT_OLDEST_DUE:
      gtk_label_set_width_chars (GTK_LABEL (label), 10);
      break;
    case DD_CASE_SORT_DAYS_OVERDUE:
      gtk_label_set_width_chars (GTK_LABEL (label), 5);
      break;
    default:
      break;
    }
  gtk_list_item_set_child (item, label);
}

static void
on_cell_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  DdCaseSortColumn column = GPOINTER_TO_UINT (user_data);
  DdCaseRow *row = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *owned = NULL;
  const char *text = NULL;

  if (row == NULL || !dd_case_row_get_loaded (row))
    {
      gtk_label_set_text (label, "");
      return;
    }

  switch (column)
    {
    case DD_CASE_SORT_DEBTOR:
      text = dd_case_row_get_debtor_name (row);
      break;
    case DD_CASE_SORT_CREDITOR:
      text = dd_case_row_get_creditor_name (row);
      break;
    case DD_CASE_SORT_BALANCE:
      text = owned = dd_money_format (dd_case_row_get_balance_minor (row),
                                      dd_case_row_get_currency (row), ui_language ());
      break;
    case DD_CASE_SORT_OLDEST_DUE:
      text = dd_case_row_get_oldest_due_on (row);
      break;
    case DD_CASE_SORT_STATUS:
      {
        DdCaseStatus status;

        if (dd_case_status_from_string (dd_case_row_get_status (row), &status))
          text = dd_case_status_to_label (status);
        else
          text = dd_case_row_get_status (row);
      }
      break;
    case DD_CASE_SORT_NEXT_CONTACT:
      text = owned = _dd_format_timestamp (dd_case_row_get_next_contact_at (row));
      break;
    case DD_CASE_SORT_LAST_ACTIVITY:
      text = owned = _dd_format_timestamp (dd_case_row_get_last_activity_at (row));
      break;
    case DD_CASE_SORT_DAYS_OVERDUE:
      {
        guint days = dd_case_row_get_days_overdue (row, NULL);

        /* nothing for a case not overdue: the column is about the ones that are */
        if (days > 0)
          text = owned = g_strdup_printf ("%u", days);
      }
      break;
    case DD_CASE_SORT_ID:
    default:
      break;
    }

  gtk_label_set_text (label, text != NULL ? text : "");
}

/* In a narrow window the columns of least use give way, rightmost first, rather than the list
 * scrolling sideways (which hid Status); each comes back when there is room for it again. */
static const DdCaseSortColumn columns_giving_way[] = {
  DD_CASE_SORT_LAST_ACTIVITY,
  DD_CASE_SORT_NEXT_CONTACT,
  DD_CASE_SORT_OLDEST_DUE,
  DD_CASE_SORT_CREDITOR,
};

static gboolean
fit_columns (gpointer user_data)
{
  DdCasesView *self = user_data;
  GtkWidget *view = GTK_WIDGET (self->column_view);
  GtkWidget *scroller = gtk_widget_get_parent (view);
  int available;
  int needed = 0;

  self->fit_columns_id = 0;
  if (scroller == NULL || !gtk_widget_get_mapped (scroller))
    return G_SOURCE_REMOVE;
  available = gtk_widget_get_width (scroller);
  if (available <= 0)
    return G_SOURCE_REMOVE;
  gtk_widget_measure (view, GTK_ORIENTATION_HORIZONTAL, -1, &needed, NULL, NULL, NULL);

  /* columns give way one at a time: the view measures the new set of columns once it was
   * laid out again, which configures its adjustment anew and brings us back here */
  if (needed > available)
    {
      /* too wide: the next column gives way */
      for (guint i = 0; i < G_N_ELEMENTS (columns_giving_way); i++)
        {
          DdCaseSortColumn c = columns_giving_way[i];

          if (gtk_column_view_column_get_visible (self->columns[c]))
            {
              self->column_needs[c] = needed;
              gtk_column_view_column_set_visible (self->columns[c], FALSE);
              break;
            }
        }
    }
  else
    {
      /* the last to go comes back first, each when the list fitted with it (what it needed
       * then is known: no measuring needed) */
      for (guint i = G_N_ELEMENTS (columns_giving_way); i > 0; i--)
        {
          DdCaseSortColumn c = columns_giving_way[i - 1];

          if (gtk_column_view_column_get_visible (self->columns[c]))
            continue;
          if (available < self->column_needs[c])
            break;
          gtk_column_view_column_set_visible (self->columns[c], TRUE);
        }
    }
  return G_SOURCE_REMOVE;
}

/* The list's width changed (its horizontal adjustment was configured anew). */
static void
on_list_width_changed (DdCasesView *self)
{
  /* not while allocating: a column shown or hidden changes the sizes */
  if (self->fit_columns_id == 0)
    self->fit_columns_id = g_idle_add (fit_columns, self);
}

static void
add_columns (DdCasesView *self)
{
  const char *titles[N_COLUMNS] = {
    [DD_CASE_SORT_DEBTOR] = _("Debtor"),
    [DD_CASE_SORT_CREDITOR] = _("Creditor"),
    [DD_CASE_SORT_BALANCE] = _("Balance"),
    [DD_CASE_SORT_OLDEST_DUE] = _("Oldest Due"),
    /* Translators: a column of the cases list: days since the oldest unpaid due date */
    [DD_CASE_SORT_DAYS_OVERDUE] = _("Days Overdue"),
    [DD_CASE_SORT_STATUS] = _("Status"),
    [DD_CASE_SORT_NEXT_CONTACT] = _("Next Contact"),
    [DD_CASE_SORT_LAST_ACTIVITY] = _("Last Activity"),
  };
  /* the order on screen: the days next to the date they count from */
  const DdCaseSortColumn order[N_COLUMNS] = {
    DD_CASE_SORT_DEBTOR, DD_CASE_SORT_CREDITOR, DD_CASE_SORT_BALANCE, DD_CASE_SORT_OLDEST_DUE,
    DD_CASE_SORT_DAYS_OVERDUE, DD_CASE_SORT_STATUS, DD_CASE_SORT_NEXT_CONTACT,
    DD_CASE_SORT_LAST_ACTIVITY,
  };

  for (guint n = 0; n < N_COLUMNS; n++)
    {
      guint i = order[n];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      DdColumnSorter *sorter = g_object_new (DD_TYPE_COLUMN_SORTER, NULL);
      GtkColumnViewColumn *column;

      sorter->column = i;
      sorter->probe = &self->sort_probe;
      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (titles[i], factory);
      gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, i == DD_CASE_SORT_DEBTOR
                                                 || i == DD_CASE_SORT_CREDITOR);
      gtk_column_view_append_column (self->column_view, column);
      self->columns[i] = column;
      g_object_unref (sorter);
      g_object_unref (column);
    }
  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->column_view)),
                           "changed", G_CALLBACK (on_list_width_changed), self,
                           G_CONNECT_SWAPPED);
}

/* Callbacks */

static void
on_search_changed (DdCasesView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  /* search-changed comes a moment after the text changed: also after the text was set
   * from a query (a saved filter), which has run already */
  if (self->updating || g_strcmp0 (text, self->query->search != NULL ? self->query->search : "") == 0)
    return;

  read_widgets (self);
  run_query (self);
}

static void
on_filter_changed (DdCasesView *self)
{
  if (self->updating)
    return;

  read_widgets (self);
  run_query (self);
}

static void
on_reset_clicked (DdCasesView *self)
{
  g_autofree char *search = g_strdup (self->query->search);
  DdCaseSortColumn sort = self->query->sort;
  gboolean descending = self->query->descending;

  dd_case_query_free (self->query);
  self->query = dd_case_query_new ();
  dd_case_query_set_search (self->query, search);
  self->query->sort = sort;
  self->query->descending = descending;
  write_widgets (self);
  run_query (self);
}

static void
on_sorter_changed (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   DdCasesView     *self)
{
  GtkOrdering order;

  if (self->updating)
    return;

  self->sort_probe = -1;
  /* two distinct dummies: gtk_sorter_compare() calls an item equal to itself */
  order = gtk_sorter_compare (sorter, self, self->list);
  if (self->sort_probe < 0)
    {
      self->query->sort = DD_CASE_SORT_DEBTOR;
      self->query->descending = FALSE;
    }
  else
    {
      self->query->sort = (DdCaseSortColumn) self->sort_probe;
      self->query->descending = order == GTK_ORDERING_LARGER;
    }
  self->sort_probe = -1;
  self->updating = TRUE;
  show_sort (self);
  self->updating = FALSE;
  run_query (self);
}

static void
on_selection_changed (DdCasesView *self)
{
  update_action_bar (self);
}

static void
on_items_changed (DdCasesView *self)
{
  update_action_bar (self);
}

static void
on_column_view_activate (DdCasesView *self,
                         guint        position)
{
  _dd_cases_view_activate (self, position);
}

static void
on_back_clicked (DdCasesView *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static gboolean
focus_search (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  DdCasesView *self = DD_CASES_VIEW (user_data);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return TRUE;
}

static void
on_case_changed (DdCasePage  *page,
                 gint64       case_id,
                 DdCasesView *self)
{
  dd_case_list_invalidate (self->list, &case_id, 1);
  update_counts (self, TRUE);
}

static void
on_cases_changed (DdContext   *context,
                  DdCasesView *self)
{
  g_autoptr(GError) error = NULL;

  if (!dd_case_list_reload (self->list, &error))
    show_toast (self, error->message);
  update_stack (self);
  update_counts (self, TRUE);
  if (dd_case_page_get_case_id (self->case_page) != 0)
    dd_case_page_refresh (self->case_page);
}

/* Saving the filter */

static void
on_save_filter_response (AdwMessageDialog *dialog,
                         const char       *response,
                         DdCasesView      *self)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "save") != 0)
    return;

  if (!_dd_cases_view_save_filter (self, gtk_editable_get_text (GTK_EDITABLE (entry)), &error))
    show_toast (self, error->message);
}

static GtkWindow *
parent_window (DdCasesView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
on_save_filter_clicked (DdCasesView *self)
{
  GtkWidget *dialog = GTK_WIDGET (dd_question_new (GTK_WIDGET (self), _("Save Filter"),
                                                   _("The filter appears in the sidebar under "
                                                     "this name."),
                                                   "save", _("_Save"), ADW_RESPONSE_SUGGESTED,
                                                   TRUE));
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_filter_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Bulk actions */

static void
after_bulk_action (DdCasesView *self,
                   const char  *text,
                   DdCaseUndo  *undo)
{
  g_autoptr(GError) error = NULL;

  if (!dd_case_list_reload (self->list, &error))
    {
      dd_case_undo_free (undo);
      show_toast (self, error->message);
    }
  else
    _dd_show_undo_toast (GTK_WIDGET (self->toast_overlay), text, self->context, undo);
  update_stack (self);
  update_counts (self, TRUE);
  if (dd_case_page_get_case_id (self->case_page) != 0)
    dd_case_page_refresh (self->case_page);
}

static void
on_bulk_status_response (AdwMessageDialog *dialog,
                         const char       *response,
                         DdCasesView      *self)
{
  GtkWidget *form = adw_message_dialog_get_extra_child (dialog);
  g_autoptr(GArray) ids = NULL;
  g_autofree char *call_at = NULL;
  g_autofree char *promised_on = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCaseUndo) undo = NULL;
  DdStatusChange change;

  if (g_strcmp0 (response, "ok") != 0)
    return;

  ids = get_selected_ids (self);
  if (ids->len == 0)
    return;
  if (!_dd_status_form_read (form, &change, &call_at, &promised_on, &error)
      || (undo = dd_case_store_snapshot (self->store, (const gint64 *) ids->data, ids->len,
                                         &error)) == NULL
      || !dd_case_store_bulk_set_status (self->store,
                                         dd_manager_unlock_acting_agent (self->context),
                                         (const gint64 *) ids->data, ids->len, &change, &error))
    {
      show_toast (self, error->message);
      return;
    }

  after_bulk_action (self, _("Status changed"), g_steal_pointer (&undo));
}

static GtkWidget *
new_bulk_dialog (DdCasesView *self,
                 const char  *heading,
                 const char  *ok_label,
                 GtkWidget   *extra,
                 GCallback    response)
{
  GtkWidget *dialog = GTK_WIDGET (dd_question_new (GTK_WIDGET (self), heading, NULL, "ok",
                                                   ok_label, ADW_RESPONSE_SUGGESTED, TRUE));

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), extra);
  g_signal_connect_object (dialog, "response", response, self, 0);
  return dialog;
}

static void on_bulk_status_clicked (DdCasesView *self);

static void
bulk_status_unlocked (GtkWidget *widget)
{
  on_bulk_status_clicked (DD_CASES_VIEW (widget));
}

static void
on_bulk_status_clicked (DdCasesView *self)
{
  g_autoptr(GArray) ids = get_selected_ids (self);
  g_autoptr(DdCaseRow) first = NULL;
  GtkWidget *form;
  GtkWidget *dialog;

  if (ids->len == 0)
    return;
  /* closed cases among them are reopened: the manager's, asked once at a consultant's desk */
  if (bulk_status_refusal (self, ids->len) != NULL && !dd_manager_unlock_allows (self->context))
    {
      dd_manager_unlock_run (GTK_WIDGET (self), self->context, bulk_status_unlocked);
      return;
    }
  first = g_list_model_get_item (G_LIST_MODEL (self->list),
                                 dd_case_list_find (self->list, g_array_index (ids, gint64, 0)));
  form = _dd_status_form_new (self->store, (const gint64 *) ids->data, ids->len,
                              first != NULL ? dd_case_row_get_currency (first) : NULL);
  dialog = new_bulk_dialog (self, _("Set Status of the Selected Cases"), _("_Set"), form,
                            G_CALLBACK (on_bulk_status_response));
  _dd_status_form_attach (form, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_bulk_assign_response (AdwMessageDialog *dialog,
                         const char       *response,
                         DdCasesView      *self)
{
  GtkWidget *drop_down = adw_message_dialog_get_extra_child (dialog);
  GArray *agent_ids = g_object_get_data (G_OBJECT (drop_down), "dd-agent-ids");
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (drop_down));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "ok") != 0 || agent_ids == NULL || selected >= agent_ids->len)
    return;

  if (!_dd_cases_view_bulk_assign (self, g_array_index (agent_ids, gint64, selected), &error))
    show_toast (self, error->message);
}

static void
on_bulk_assign_clicked (DdCasesView *self)
{
  g_autoptr(GError) error = NULL;
  GArray *agent_ids = NULL;
  GtkStringList *names = _dd_agent_model_new (dd_context_get_database (self->context),
                                              &agent_ids, &error);
  GtkWidget *drop_down;

  if (names == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  drop_down = gtk_drop_down_new (G_LIST_MODEL (names), NULL);
  g_object_set_data_full (G_OBJECT (drop_down), "dd-agent-ids", agent_ids,
                          (GDestroyNotify) g_array_unref);
  gtk_window_present (GTK_WINDOW (new_bulk_dialog (self, _("Assign the Selected Cases"),
                                                   _("_Assign"), drop_down,
                                                   G_CALLBACK (on_bulk_assign_response))));
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    DdCasesView     *self)
{
  gboolean selected_only = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser),
                                                               "dd-selected-only"));
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (!_dd_cases_view_export_to_file (self, file, selected_only, &error))
        show_toast (self, error->message);
      else
        show_toast (self, _("Cases exported"));
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
on_export_clicked (DdCasesView *self)
{
  dd_cases_view_export (self, TRUE);
}

/* GObject */

static void
dd_cases_view_constructed (GObject *object)
{
  DdCasesView *self = DD_CASES_VIEW (object);
  DdDatabase *database;

  G_OBJECT_CLASS (dd_cases_view_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  database = dd_context_get_database (self->context);
  self->store = _dd_case_store_for_context (self->context);
  self->list = dd_case_list_new (database);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->list)));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  self->case_page = DD_CASE_PAGE (dd_case_page_new (self->context));
  gtk_widget_set_vexpand (GTK_WIDGET (self->case_page), TRUE);
  gtk_box_append (self->case_box, GTK_WIDGET (self->case_page));
  g_signal_connect_object (self->case_page, "case-changed", G_CALLBACK (on_case_changed), self, 0);

  self->cases_changed_id = g_signal_connect_object (self->context, "cases-changed",
                                                    G_CALLBACK (on_cases_changed), self, 0);
  g_signal_connect_object (self->context, "notify::is-manager",
                           G_CALLBACK (on_context_agent_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::agent-id",
                           G_CALLBACK (on_context_agent_changed), self, G_CONNECT_SWAPPED);

  write_widgets (self);
  run_query (self);
}

static void
dd_cases_view_dispose (GObject *object)
{
  DdCasesView *self = DD_CASES_VIEW (object);

  /* removing the columns changes the sorter: nothing more to query */
  self->updating = TRUE;
  g_clear_handle_id (&self->fit_columns_id, g_source_remove);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->context != NULL)
    g_clear_signal_handler (&self->cases_changed_id, self->context);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  /* the bin's child is a template child: let the bin drop it first */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_CASES_VIEW);
  self->case_page = NULL;
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->store);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (dd_cases_view_parent_class)->dispose (object);
}

static void
dd_cases_view_finalize (GObject *object)
{
  DdCasesView *self = DD_CASES_VIEW (object);

  g_clear_pointer (&self->query, dd_case_query_free);

  G_OBJECT_CLASS (dd_cases_view_parent_class)->finalize (object);
}

static void
dd_cases_view_class_init (DdCasesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dd_cases_view_constructed;
  object_class->dispose = dd_cases_view_dispose;
  object_class->finalize = dd_cases_view_finalize;

  dd_context_install_property (object_class, G_STRUCT_OFFSET (DdCasesView, context), 0);

  /**
   * DdCasesView::filter-saved:
   * @filter_id: the saved filter's id
   *
   * The user saved the current query as a filter (the sidebar lists it).
   */
  signals[FILTER_SAVED] =
    g_signal_new ("filter-saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * DdCasesView::counts-changed:
   *
   * The number of cases the list shows, or of the office's open cases, changed (see
   * dd_cases_view_get_counts()).
   */
  signals[COUNTS_CHANGED] =
    g_signal_new ("counts-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-cases-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, filter_button);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, status_box);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, balance_min_spin);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, balance_max_spin);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, no_contact_spin);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, overdue_check);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, birthdays_check);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, save_filter_button);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, stack);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, column_view);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, no_match_page);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, action_bar);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, selection_label);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, bulk_status_button);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, case_box);
  gtk_widget_class_bind_template_child (widget_class, DdCasesView, back_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_filter_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_bulk_status_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_bulk_assign_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
}

static void
dd_cases_view_init (DdCasesView *self)
{
  GtkEventController *shortcuts;

  self->query = dd_case_query_new ();
  self->sort_probe = -1;
  self->n_shown = -1;
  self->n_open = -1;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_STATUSES; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (dd_case_status_to_label (i));

      g_signal_connect_object (check, "toggled", G_CALLBACK (on_filter_changed), self,
                               G_CONNECT_SWAPPED);
      gtk_box_append (self->status_box, check);
      self->status_checks[i] = GTK_CHECK_BUTTON (check);
    }

  add_columns (self);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed), self, 0);

  /* Ctrl+F from anywhere in the window */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (
                                                            "<Control>f"),
                                                          gtk_callback_action_new (focus_search,
                                                                                   self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

GtkWidget *
dd_cases_view_new (DdContext *context)
{
  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  return g_object_new (DD_TYPE_CASES_VIEW, "context", context, NULL);
}

DdContext *
dd_cases_view_get_context (DdCasesView *self)
{
  g_return_val_if_fail (DD_IS_CASES_VIEW (self), NULL);

  return self->context;
}

void
dd_cases_view_set_query (DdCasesView       *self,
                         const DdCaseQuery *query)
{
  g_return_if_fail (DD_IS_CASES_VIEW (self));
  g_return_if_fail (query != NULL);

  dd_case_query_free (self->query);
  self->query = dd_case_query_copy (query);
  write_widgets (self);
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  run_query (self);
}

void
dd_cases_view_get_counts (DdCasesView *self,
                          gint64      *out_shown,
                          gint64      *out_open)
{
  g_return_if_fail (DD_IS_CASES_VIEW (self));

  if (out_shown != NULL)
    *out_shown = MAX (self->n_shown, 0);
  if (out_open != NULL)
    *out_open = MAX (self->n_open, 0);
}

const DdCaseQuery *
dd_cases_view_get_query (DdCasesView *self)
{
  g_return_val_if_fail (DD_IS_CASES_VIEW (self), NULL);

  return self->query;
}

void
dd_cases_view_open_case (DdCasesView *self,
                         gint64       case_id)
{
  g_return_if_fail (DD_IS_CASES_VIEW (self));

  dd_case_page_set_case_id (self->case_page, case_id);
  adw_leaflet_set_visible_child_name (self->leaflet, "case");
}

/* Private */

DdCaseList *
_dd_cases_view_get_list (DdCasesView *self)
{
  return self->list;
}

DdCasePage *
_dd_cases_view_get_case_page (DdCasesView *self)
{
  return self->case_page;
}

void
_dd_cases_view_activate (DdCasesView *self,
                         guint        position)
{
  gint64 case_id = dd_case_list_get_case_id (self->list, position);

  if (case_id != 0)
    dd_cases_view_open_case (self, case_id);
}

void
_dd_cases_view_set_status_filter (DdCasesView *self,
                                  guint        status,
                                  gboolean     active)
{
  g_return_if_fail (status < N_STATUSES);

  gtk_check_button_set_active (self->status_checks[status], active);
}

gboolean
_dd_cases_view_export_to_file (DdCasesView  *self,
                               GFile        *file,
                               gboolean      selected_only,
                               GError      **error)
{
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GArray) ids = selected_only ? get_selected_ids (self) : NULL;

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (out == NULL)
    return FALSE;

  if (!dd_case_store_export_csv_selected (self->store, self->query,
                                          ids != NULL ? (const gint64 *) ids->data : NULL,
                                          ids != NULL ? ids->len : 0,
                                          G_OUTPUT_STREAM (out), NULL, error))
    return FALSE;

  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

/**
 * dd_cases_view_export:
 * @selected_only: only the selected cases, else all the cases the list shows
 *
 * Asks for a file and writes the cases to it as CSV, saying how it went in a toast.
 */
void
dd_cases_view_export (DdCasesView *self,
                      gboolean     selected_only)
{
  GtkFileChooserNative *chooser;

  g_return_if_fail (DD_IS_CASES_VIEW (self));

  chooser = gtk_file_chooser_native_new (selected_only ? _("Export Selected Cases")
                                                       : _("Export Cases"),
                                         parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: the suggested file name of a cases export */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("cases.csv"));
  g_object_set_data (G_OBJECT (chooser), "dd-selected-only", GINT_TO_POINTER (selected_only));
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

gboolean
_dd_cases_view_save_filter (DdCasesView  *self,
                            const char   *name,
                            GError      **error)
{
  g_autoptr(DdSavedFilterStore) filters = NULL;
  gint64 id = 0;

  filters = dd_saved_filter_store_new (dd_context_get_database (self->context));
  if (!dd_saved_filter_store_save (filters, name, self->query, &id, error))
    return FALSE;

  show_toast (self, _("Filter saved"));
  g_signal_emit (self, signals[FILTER_SAVED], 0, id);
  return TRUE;
}

gboolean
_dd_cases_view_bulk_assign (DdCasesView  *self,
                            gint64        assignee_id,
                            GError      **error)
{
  g_autoptr(GArray) ids = get_selected_ids (self);
  g_autoptr(DdCaseUndo) undo = dd_case_store_snapshot (self->store, (const gint64 *) ids->data,
                                                       ids->len, error);

  if (undo == NULL ||
      !dd_case_store_bulk_assign (self->store, dd_context_get_agent_id (self->context),
                                  (const gint64 *) ids->data, ids->len, assignee_id, error))
    return FALSE;

  after_bulk_action (self, _("Cases assigned"), g_steal_pointer (&undo));
  return TRUE;
}
