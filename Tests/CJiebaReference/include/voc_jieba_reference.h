#ifndef VOC_JIEBA_REFERENCE_H
#define VOC_JIEBA_REFERENCE_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* cppjieba exactly as published (its own DictTrie), for tests that hold analyze's compact
 * dictionary to it. Same calls as voc_jieba.h. */
typedef struct voc_jieba_reference voc_jieba_reference;

voc_jieba_reference *voc_jieba_reference_open(const char *dictionary_path, const char *hmm_path);
void voc_jieba_reference_close(voc_jieba_reference *jieba);
/* 1 when cppjieba's InsertUserWord took the word. */
int voc_jieba_reference_add_word(voc_jieba_reference *jieba, const char *word, size_t length);
size_t voc_jieba_reference_cut(const voc_jieba_reference *jieba, const char *text, size_t length, uint32_t *ends, size_t capacity);

#ifdef __cplusplus
}
#endif
#endif
