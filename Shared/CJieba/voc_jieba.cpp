// jieba segmentation for analyze: what cppjieba's MixSegment computes (maximum probability
// over the dictionary, then the HMM for each run of single characters), over the compact
// trie of dict_trie.hpp and the HMM of hmm.hpp. Tests compare the result word for word
// with published cppjieba's MixSegment.

#include "dict_trie.hpp"
#include "hmm.hpp"
#include "voc_jieba.h"

struct voc_jieba {
  cppjieba::DictTrie dictionary;
  FastHMM* hmm;
};

// MixSegment::Cut(begin, end, words, true): the maximum-probability words, each run of
// single characters among them cut again by the HMM.
static void MixCut(const voc_jieba* jieba, cppjieba::RuneStrArray::const_iterator begin,
                   cppjieba::RuneStrArray::const_iterator end, std::vector<cppjieba::WordRange>& words) {
  static thread_local std::vector<double> best;
  static thread_local std::vector<uint32_t> last;
  static thread_local std::vector<cppjieba::WordRange> hmmWords;
  jieba->dictionary.Route(begin, end, best, last);
  const size_t count = size_t(end - begin);
  size_t i = 0;
  while (i < count) {
    if (last[i] > i) {
      words.push_back(cppjieba::WordRange(begin + i, begin + last[i]));
      i = last[i] + 1;
      continue;
    }
    size_t j = i;
    while (j < count && last[j] == j) j++;
    hmmWords.clear();
    jieba->hmm->Cut(begin + i, begin + j, hmmWords);
    words.insert(words.end(), hmmWords.begin(), hmmWords.end());
    i = j;
  }
}

extern "C" voc_jieba* voc_jieba_open(const char* dictionary_path, const char* hmm_path, char* error, size_t error_size) {
  std::string message;
  voc_jieba* jieba = new voc_jieba();
  jieba->hmm = NULL;
  if (!jieba->dictionary.Load(dictionary_path, message)) {
    snprintf(error, error_size, "%s", message.c_str());
    delete jieba;
    return NULL;
  }
  if (!CheckHMMModel(hmm_path, message)) {
    snprintf(error, error_size, "%s", message.c_str());
    delete jieba;
    return NULL;
  }
  // FastHMM copies what it needs: cppjieba's model, with its four hash maps, is not kept.
  const cppjieba::HMMModel model(hmm_path);
  jieba->hmm = new FastHMM(model);
  return jieba;
}

extern "C" void voc_jieba_close(voc_jieba* jieba) {
  if (jieba == NULL) return;
  delete jieba->hmm;
  delete jieba;
}

extern "C" int voc_jieba_add_word(voc_jieba* jieba, const char* word, size_t length) {
  return jieba->dictionary.AddUserWord(std::string(word, length));
}

// The separators of MixSegment's PreFilter: the text is cut between them and each is a
// piece of its own.
static bool IsSeparator(cppjieba::Rune rune) {
  return rune == ' ' || rune == '\t' || rune == '\n' || rune == 0xFF0C || rune == 0x3002;
}

extern "C" size_t voc_jieba_cut(const voc_jieba* jieba, const char* text, size_t length, uint32_t* ends, size_t capacity) {
  // What MixSegment::Cut(sentence, words, true) does, keeping byte offsets instead of
  // strings: PreFilter's decoding and pieces, into buffers the thread keeps.
  static thread_local std::vector<cppjieba::RuneStr> runes;
  static thread_local std::vector<cppjieba::WordRange> ranges;
  runes.clear();
  ranges.clear();
  for (uint32_t i = 0, j = 0; i < length; j++) {
    cppjieba::RuneStrLite rune = cppjieba::DecodeRuneInString(text + i, length - i);
    // Not UTF-8: PreFilter gives no piece, so nothing is cut.
    if (rune.len == 0) return 0;
    runes.push_back(cppjieba::RuneStr(rune.rune, i, rune.len, j, 1));
    i += rune.len;
  }
  const cppjieba::RuneStr* const end = runes.data() + runes.size();
  const cppjieba::RuneStr* start = runes.data();
  for (const cppjieba::RuneStr* cursor = start; cursor != end; cursor++) {
    if (!IsSeparator(cursor->rune)) continue;
    if (start != cursor) MixCut(jieba, start, cursor, ranges);
    MixCut(jieba, cursor, cursor + 1, ranges);
    start = cursor + 1;
  }
  if (start != end) MixCut(jieba, start, end, ranges);
  for (size_t i = 0; i < ranges.size() && i < capacity; i++) {
    ends[i] = ranges[i].right->offset + ranges[i].right->len;
  }
  return ranges.size();
}

extern "C" size_t voc_jieba_word_count(const voc_jieba* jieba) { return jieba->dictionary.WordCount(); }
