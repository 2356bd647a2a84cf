/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-fuzz"

#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

/*
 * Replaces libFuzzer where it is not available: feeds every file of the corpus directories
 * (or files) given on the command line to LLVMFuzzerTestOneInput, then a fixed set of
 * pseudo-random mutations of them, the same on every run.
 */

#define N_MUTATIONS 2000
#define MAX_INPUT_SIZE (64 * 1024)

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const char * const tokens[] = {
  "\"", "\"\"", ";", ",", "\t", "|", "\r", "\n", "\r\n", "\"\n", ";\"", "\357\273\277",
  "\303", "\304\205", "\271", "\234", "\237", "\250", "\230", "\377", "\000",
  "ż", "Ё", "2024-01-31", "1 234,56",
};

static guint32
next_random (guint32 *state)
{
  /* xorshift32 */
  *state ^= *state << 13;
  *state ^= *state >> 17;
  *state ^= *state << 5;

  return *state;
}

static void
add_file (GPtrArray  *inputs,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("Cannot read %s: %s", path, error->message);

  g_ptr_array_add (inputs, g_bytes_new_take (contents, len));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_path (GPtrArray  *inputs,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      add_file (inputs, path);
      return;
    }

  dir = g_dir_open (path, 0, &error);
  if (dir == NULL)
    g_error ("Cannot open %s: %s", path, error->message);

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));

  /* The same order everywhere, for the same mutations. */
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      if (g_file_test (g_ptr_array_index (names, i), G_FILE_TEST_IS_REGULAR))
        add_file (inputs, g_ptr_array_index (names, i));
    }
}

static void
mutate (GArray  *input,
        guint32 *state)
{
  guint n = 1 + next_random (state) % 4;

  for (guint i = 0; i < n; i++)
    {
      guint len = input->len;
      guint pos = len > 0 ? next_random (state) % (len + 1) : 0;

      switch (next_random (state) % 5)
        {
        case 0:
          if (len > 0)
            g_array_index (input, guint8, MIN (pos, len - 1)) = (guint8) next_random (state);
          break;

        case 1:
          {
            guint t = next_random (state) % G_N_ELEMENTS (tokens);
            /* "\000" is one byte long. */
            gsize token_len = tokens[t][0] == '\0' ? 1 : strlen (tokens[t]);

            g_array_insert_vals (input, pos, tokens[t], (guint) token_len);
          }
          break;

        case 2:
          if (pos < len)
            {
              guint n_remove = 1 + next_random (state) % 16;

              g_array_remove_range (input, pos, MIN (len - pos, n_remove));
            }
          break;

        case 3:
          if (pos < len)
            {
              guint n_copy = 1 + next_random (state) % 64;
              guint to = next_random (state) % (len + 1);
              g_autofree guint8 *copy = NULL;

              n_copy = MIN (len - pos, n_copy);
              copy = g_memdup2 (input->data + pos, n_copy);
              g_array_insert_vals (input, to, copy, n_copy);
            }
          break;

        case 4:
        default:
          if (len > 0 && next_random (state) % 4 == 0)
            g_array_set_size (input, pos);
          break;
        }
    }

  if (input->len > MAX_INPUT_SIZE)
    g_array_set_size (input, MAX_INPUT_SIZE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint32 state = 0x5EED1234;

  for (int i = 1; i < argc; i++)
    {
      if (argv[i][0] != '-')
        add_path (inputs, argv[i]);
    }

  if (inputs->len == 0)
    g_ptr_array_add (inputs, g_bytes_new_static ("a;b\n\"c\"\"d\";e\n", 14));

  for (guint i = 0; i < inputs->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (inputs->pdata[i], &len);

      LLVMFuzzerTestOneInput (data, len);
    }

  for (guint i = 0; i < N_MUTATIONS; i++)
    {
      g_autoptr(GArray) input = g_array_new (FALSE, FALSE, sizeof (guint8));
      gsize len;
      const guint8 *data = g_bytes_get_data (inputs->pdata[i % inputs->len], &len);

      g_array_append_vals (input, data, (guint) MIN (len, MAX_INPUT_SIZE));
      mutate (input, &state);
      LLVMFuzzerTestOneInput ((const guint8 *) input->data, input->len);
    }

  g_print ("%u inputs and %u mutations passed\n", inputs->len, N_MUTATIONS);

  return 0;
}
