/* The bridge from C to Google ctemplate. Templates are loaded once at
 * start-up and the cache is frozen; a dictionary belongs to one request. */
#ifndef SMSDESK_TMPL_H
#define SMSDESK_TMPL_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif
struct buf;
typedef struct tmpl_dict tmpl_dict;

/* Loads every *.tpl in dir; each must parse and start with the
 * AUTOESCAPE pragma. Returns 0, or -1 with a message in err. */
int tmpl_load_all(const char *dir, char *err, size_t errlen);
/* A value every template sees (set at start-up, before any request). */
void tmpl_set_global(const char *key, const char *value);
tmpl_dict *tmpl_dict_new(const char *name);
void tmpl_dict_free(tmpl_dict *d);
void tmpl_set(tmpl_dict *d, const char *key, const char *value);
void tmpl_set_int(tmpl_dict *d, const char *key, long long value);
void tmpl_show(tmpl_dict *d, const char *section);
/* Adds one repetition of a section and returns its dictionary. */
tmpl_dict *tmpl_section(tmpl_dict *d, const char *section);
/* Fills the {{>name}} include marker with the template file. */
tmpl_dict *tmpl_include(tmpl_dict *d, const char *name, const char *file);
/* Appends the expansion of file to out; 0 on success. */
int tmpl_expand(const char *file, const tmpl_dict *d, struct buf *out);
#ifdef __cplusplus
}
#endif
#endif
