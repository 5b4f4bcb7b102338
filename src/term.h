#ifndef TERM_H
#define TERM_H

#include <stdbool.h>

/* Terminal escape sequences sendnews writes on purpose, built here so the
 * bytes are checked in one place (no curses: the reader writes them).
 * Both refuse any URL or text that could carry a sequence of its own:
 * feed text must never end an OSC early or start another. */

/* Longest URL either builder accepts, in bytes. */
#define TERM_MAX_URL 4096

/* True when url is 1 to TERM_MAX_URL bytes of valid UTF-8 with no
 * control character (C0, DEL, C1), no space and nothing text_sanitize
 * would remove (bidi controls, zero-width characters). */
bool term_url_ok(const char *url);

/* OSC 52, "copy to the clipboard", which works over SSH and through
 * terminals that allow it: ESC ] 5 2 ; c ; BASE64(url) BEL.  Returns a
 * string the caller frees, or NULL when term_url_ok refuses url. */
char *term_osc52(const char *url);

/* An OSC 8 hyperlink around text: ESC ] 8 ; ; URL ESC \ TEXT ESC ] 8 ; ;
 * ESC \.  Bytes of url outside printable ASCII are percent-encoded, as
 * the OSC 8 convention asks.  Returns a string the caller frees, or NULL
 * when the url is refused or text holds a control character. */
char *term_osc8(const char *url, const char *text);

#endif
