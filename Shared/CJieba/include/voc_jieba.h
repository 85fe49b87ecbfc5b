#ifndef VOC_JIEBA_H
#define VOC_JIEBA_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* jieba segmentation (cppjieba's MixSegment: maximum probability over the dictionary,
 * HMM for runs of characters the dictionary does not join) over a compact dictionary. */
typedef struct voc_jieba voc_jieba;

/* Loads jieba's dictionary and HMM model. NULL on failure, with the reason in `error`. */
voc_jieba *voc_jieba_open(const char *dictionary_path, const char *hmm_path, char *error, size_t error_size);
void voc_jieba_close(voc_jieba *jieba);

/* Adds a word with the weight cppjieba gives user words (the median of the dictionary's).
 * 1: added; 0: already a word; -1: empty or not UTF-8. Not safe while another thread cuts. */
int voc_jieba_add_word(voc_jieba *jieba, const char *word, size_t length);

/* Cuts UTF-8 text into words as cppjieba's `Jieba::Cut(text, words, true)` does, writing the
 * end byte offset of each word to `ends` (at most `capacity` of them). Returns the number of
 * words, which may exceed `capacity`: then call again with room for all. Safe from any
 * number of threads at once. */
size_t voc_jieba_cut(const voc_jieba *jieba, const char *text, size_t length, uint32_t *ends, size_t capacity);

/* Words in the dictionary (the loaded ones plus the added ones). */
size_t voc_jieba_word_count(const voc_jieba *jieba);

#ifdef __cplusplus
}
#endif
#endif
