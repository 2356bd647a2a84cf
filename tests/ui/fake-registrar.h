/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For the UI tests: a SIP registrar that refuses, in a few lines over real UDP. */
#pragma once

#include <gio/gio.h>
#include <string.h>

/* A registrar in a few lines: answers every REGISTER on a UDP socket with 403, echoing the
 * headers a SIP response must carry. */
static gboolean
on_register (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  guint *registers = user_data;
  char buffer[4096];
  g_autoptr(GSocketAddress) from = NULL;
  gssize n = g_socket_receive_from (socket, &from, buffer, sizeof buffer - 1, NULL, NULL);
  g_autoptr(GString) reply = g_string_new ("SIP/2.0 403 Forbidden\r\n");
  g_auto(GStrv) lines = NULL;

  if (n <= 0)
    return G_SOURCE_CONTINUE;
  buffer[n] = '\0';
  if (!g_str_has_prefix (buffer, "REGISTER "))
    return G_SOURCE_CONTINUE;
  (*registers)++;
  lines = g_strsplit (buffer, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      const char *line = lines[i];

      if (g_ascii_strncasecmp (line, "Via:", 4) == 0 ||
          g_ascii_strncasecmp (line, "From:", 5) == 0 ||
          g_ascii_strncasecmp (line, "Call-ID:", 8) == 0 ||
          g_ascii_strncasecmp (line, "CSeq:", 5) == 0)
        g_string_append_printf (reply, "%s\r\n", line);
      else if (g_ascii_strncasecmp (line, "To:", 3) == 0)
        g_string_append_printf (reply, "%s;tag=registrar\r\n", line);
    }
  g_string_append (reply, "Content-Length: 0\r\n\r\n");
  g_socket_send_to (socket, from, reply->str, reply->len, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

/* Binds the registrar on 127.0.0.1 (any port); its sip: URI; @registers counts REGISTERs. */
static GSource *
refusing_registrar_start (GSocket **socket_out,
                          guint    *registers,
                          char    **uri)
{
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                  G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSource *source;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, TRUE, &error));
  bound = g_socket_get_local_address (socket, &error);
  *uri = g_strdup_printf ("sip:127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  source = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (on_register), registers, NULL);
  g_source_attach (source, NULL);
  *socket_out = socket;
  return source;
}
