// cppjieba in a namespace of its own, so it can live in one test binary with analyze's
// segmenter, whose DictTrie has the same name in namespace cppjieba.
#define cppjieba cppjieba_reference
#include "cppjieba/MixSegment.hpp"
#undef cppjieba
#include "voc_jieba_reference.h"

struct voc_jieba_reference {
  cppjieba_reference::DictTrie* dictionary;
  cppjieba_reference::HMMModel* hmm;
  cppjieba_reference::MixSegment* segment;
};

extern "C" voc_jieba_reference* voc_jieba_reference_open(const char* dictionary_path, const char* hmm_path) {
  voc_jieba_reference* jieba = new voc_jieba_reference();
  jieba->dictionary = new cppjieba_reference::DictTrie(dictionary_path);
  jieba->hmm = new cppjieba_reference::HMMModel(hmm_path);
  jieba->segment = new cppjieba_reference::MixSegment(jieba->dictionary, jieba->hmm);
  return jieba;
}

extern "C" void voc_jieba_reference_close(voc_jieba_reference* jieba) {
  delete jieba->segment;
  delete jieba->hmm;
  delete jieba->dictionary;
  delete jieba;
}

extern "C" int voc_jieba_reference_add_word(voc_jieba_reference* jieba, const char* word, size_t length) {
  return jieba->dictionary->InsertUserWord(std::string(word, length)) ? 1 : 0;
}

extern "C" size_t voc_jieba_reference_cut(const voc_jieba_reference* jieba, const char* text, size_t length, uint32_t* ends,
                                          size_t capacity) {
  std::vector<cppjieba_reference::Word> words;
  jieba->segment->Cut(std::string(text, length), words, true);
  for (size_t i = 0; i < words.size() && i < capacity; i++) ends[i] = words[i].offset + uint32_t(words[i].word.size());
  return words.size();
}
