/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-call-bridge"

#include "config.h"

#include "dd-call-bridge.h"

struct _DdCallBridge
{
  DdCall      *a;        /* unowned */
  DdCall      *b;        /* unowned */
  DdMediaLink *a_link;
  DdMediaLink *b_link;
};

/* What one side says goes to the other side's microphone (the engine's thread). */
static void
relay_to (const gint16 *samples,
          gsize         n_samples,
          gpointer      user_data)
{
  dd_media_link_put_microphone (user_data, samples, n_samples);
}

DdCallBridge *
dd_call_bridge_new (DdCall *a,
                    DdCall *b)
{
  DdCallBridge *bridge;

  g_return_val_if_fail (DD_IS_CALL (a) && DD_IS_CALL (b), NULL);

  bridge = g_new0 (DdCallBridge, 1);
  bridge->a = a;
  bridge->b = b;
  bridge->a_link = dd_media_link_new ();
  bridge->b_link = dd_media_link_new ();
  dd_media_link_set_speaker (bridge->a_link, relay_to, bridge->b_link);
  dd_media_link_set_speaker (bridge->b_link, relay_to, bridge->a_link);
  dd_call_set_media_link (a, bridge->a_link);
  dd_call_set_media_link (b, bridge->b_link);
  return bridge;
}

void
dd_call_bridge_free (DdCallBridge *bridge)
{
  if (bridge == NULL)
    return;
  dd_call_set_media_link (bridge->a, NULL);
  dd_call_set_media_link (bridge->b, NULL);
  /* each link's speaker points at the other link without a reference: cut both relays
   * (set_speaker returns once no relay is under way) before either link can go, else the
   * call still up would speak into a link its ended partner freed */
  dd_media_link_set_speaker (bridge->a_link, NULL, NULL);
  dd_media_link_set_speaker (bridge->b_link, NULL, NULL);
  dd_media_link_unref (bridge->a_link);
  dd_media_link_unref (bridge->b_link);
  g_free (bridge);
}
