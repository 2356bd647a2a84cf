/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-case-query.h"
#include "dd-database.h"

G_BEGIN_DECLS

/*
 * The audience of a campaign: the cases of a DdCaseQuery (a saved filter or ad-hoc
 * filters) turned into recipients, one per phone number. Closed cases, opted-out debtors,
 * numbers marked invalid and numbers an HLR look-up found dead or unreachable are left out
 * and counted by reason, so the wizard can say why the audience is smaller than the list.
 */

typedef enum
{
  DD_AUDIENCE_MOBILE_ONLY = 1 << 0,   /* only numbers known to be mobile (or of unknown kind) */
  DD_AUDIENCE_ALL_PHONES  = 1 << 1,   /* every eligible number of the debtor, not the first */
} DdAudienceFlags;

typedef struct
{
  gint64  case_id;
  gint64  debtor_id;
  gint64  phone_id;
  char   *e164;
  char   *name;
  char   *language;        /* "pl", "ru", "en" or NULL */
  char   *creditor;
  gint64  balance_minor;
  char   *currency;
  char   *invoice;         /* the oldest unpaid invoice, or NULL */
  char   *due_on;          /* its due date "YYYY-MM-DD", or NULL */
  gint64  invoice_minor;   /* its amount */
} DdRecipient;

void dd_recipient_free (DdRecipient *recipient);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdRecipient, dd_recipient_free)

/* Fills the invoice fields of @recipient with the oldest unpaid invoice of its case (left
 * as they are where it has none). */
gboolean dd_recipient_read_invoice (DdDatabase   *database,
                                    DdRecipient  *recipient,
                                    GError      **error);

typedef struct
{
  guint cases;             /* cases the query matched */
  guint recipients;        /* messages that would be sent */
  guint closed;            /* closed cases */
  guint opted_out;         /* debtors who asked not to be contacted */
  guint no_phone;          /* no usable number at all */
  guint not_mobile;        /* only landlines (with DD_AUDIENCE_MOBILE_ONLY) */
  guint invalid;           /* numbers marked invalid or found dead / unreachable by HLR */
  guint duplicate;         /* a number already messaged for another case of this campaign */
  guint paid;              /* open cases that owe nothing (balance zero or less) */
} DdAudienceCounts;

/* Whether an HLR status ("invalid", "unreachable", "absent"…) rules a number out. */
gboolean    dd_hlr_status_is_dead          (const char             *hlr_status);

/* Collects the recipients (a GPtrArray of DdRecipient, in case id order); @out_counts may be
 * NULL. With @recipients_wanted FALSE only counts (for a live count in the wizard). */
GPtrArray  *dd_campaign_audience_collect   (DdDatabase             *database,
                                            const DdCaseQuery      *query,
                                            DdAudienceFlags         flags,
                                            gboolean                recipients_wanted,
                                            DdAudienceCounts       *out_counts,
                                            GError                **error);

G_END_DECLS
