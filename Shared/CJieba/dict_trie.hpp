// The jieba dictionary as a compact trie.
//
// cppjieba's own DictTrie keeps a 128-byte DictUnit per word and an unordered_map per
// trie node: 116 MB resident (149 MB at the peak of loading) for jieba's 349,000 words,
// which alone is most of analyze's memory budget. This one stores one open-addressing
// table of trie edges, an array for the root and one weight per node, with cppjieba's
// weights.
//
// MPSegment builds a DAG of DictUnits for a sentence, scores it right to left and walks
// it; `DictTrie::Route` does the three in one pass over the trie with the same sums and
// the same tie-breaking (the first candidate, so the shortest word, among equal scores),
// allocating nothing per character.

#ifndef VOC_JIEBA_DICT_TRIE_HPP
#define VOC_JIEBA_DICT_TRIE_HPP

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "limonp/StringUtil.hpp"
#include "limonp/Logging.hpp"
#include "cppjieba/Unicode.hpp"
#include "cppjieba/Trie.hpp"

namespace cppjieba {

// The constants of cppjieba's DictTrie.hpp, which this file stands in for: the HMM's
// Viterbi starts from MIN_DOUBLE; the loader reads the other two.
const double MIN_DOUBLE = -3.14e+100;
const double MAX_DOUBLE = 3.14e+100;
const size_t DICT_COLUMN_NUM = 3;

class DictTrie {
 public:
  DictTrie() { Reset(); }

  // Loads jieba's "word freq tag" lines as cppjieba's DictTrie does: weight = log(freq / sum of
  // freqs), summed in file order; user words get the median weight; a repeated word keeps its last line.
  bool Load(const string& path, string& error) {
    // Two passes over the file (frequencies, then words), so the words are never held twice.
    vector<double> weights;
    if (!ReadLines(path, error, [&](const Unicode&, double freq) { weights.push_back(freq); })) return false;
    if (weights.empty()) {
      error = path + " has no words";
      return false;
    }
    double sum = 0.0;
    for (size_t i = 0; i < weights.size(); i++) sum += weights[i];
    for (size_t i = 0; i < weights.size(); i++) weights[i] = log(weights[i] / sum);
    // cppjieba sorts its DictUnits by weight and takes the ones at 0 and size/2: the values
    // do not depend on how equal weights are ordered.
    vector<double> sorted(weights);
    std::sort(sorted.begin(), sorted.end());
    min_weight_ = sorted.front();
    user_word_default_weight_ = sorted[sorted.size() / 2];
    size_t index = 0;
    return ReadLines(path, error, [&](const Unicode& word, double) { Insert(word, weights[index++]); });
  }

  // 1: added, 0: already a word, -1: not a word.
  int AddUserWord(const string& text) {
    Unicode word;
    if (!DecodeRunesInString(text, word) || word.size() == 0) return -1;
    uint32_t node = Walk(word.begin(), word.end());
    if (node != kNone && weight_[node] <= 0.0) return 0;
    Insert(word, user_word_default_weight_);
    return 1;
  }

  size_t WordCount() const { return words_; }

  // MPSegment's choice at each position of [begin, end): the index of the last character
  // of the word it takes there (the position itself for one character). best[k] is the
  // score of the best cut of [k, end), summed as MPSegment::CalcDP sums it; a character
  // that is not a word scores the dictionary's lowest weight.
  void Route(RuneStrArray::const_iterator begin, RuneStrArray::const_iterator end, vector<double>& best,
             vector<uint32_t>& last) const {
    const size_t count = size_t(end - begin);
    best.resize(count);
    last.resize(count);
    for (size_t k = count; k-- > 0;) {
      const double after = k + 1 < count ? best[k + 1] : 0.0;
      uint32_t node = Child(kRoot, (begin + k)->rune);
      double top = after + (node != kNone && weight_[node] <= 0.0 ? weight_[node] : min_weight_);
      uint32_t choice = uint32_t(k);
      for (size_t j = k + 1; j < count && (j - k + 1) <= MAX_WORD_LENGTH && node != kNone; j++) {
        node = Child(node, (begin + j)->rune);
        if (node == kNone) break;
        if (weight_[node] > 0.0) continue;
        const double value = (j + 1 < count ? best[j + 1] : 0.0) + weight_[node];
        if (value > top) {
          top = value;
          choice = uint32_t(j);
        }
      }
      best[k] = top;
      last[k] = choice;
    }
  }

 private:
  template <typename Visit>
  static bool ReadLines(const string& path, string& error, Visit visit) {
    ifstream file(path.c_str());
    if (!file.is_open()) {
      error = "cannot open " + path;
      return false;
    }
    string line;
    vector<string> columns;
    Unicode word;
    for (size_t number = 1; getline(file, line); number++) {
      limonp::Split(line, columns, " ");
      if (columns.size() != DICT_COLUMN_NUM) {
        error = path + " line " + std::to_string(number) + ": expected \"word frequency tag\"";
        return false;
      }
      if (!DecodeRunesInString(columns[0], word) || word.size() == 0) {
        error = path + " line " + std::to_string(number) + ": the word is not UTF-8";
        return false;
      }
      visit(word, atof(columns[1].c_str()));
    }
    return true;
  }

  static constexpr uint32_t kRoot = 0;
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  // Non-words carry this weight; real weights are logs of probabilities, never above 0.
  static constexpr double kNotAWord = 1.0;
  // Every position of a text starts at the root: its children in the Basic Multilingual
  // Plane are an array (256 KB) instead of hash probes.
  static constexpr Rune kRootDirect = 0x10000;

  // One trie edge: (parent node, character) → child node. A key of 0 is a free slot.
  struct Edge {
    uint64_t key;
    uint32_t child;
  };

  static uint64_t Key(uint32_t parent, Rune rune) { return ((uint64_t(parent) << 21) | uint64_t(rune & 0x1FFFFF)) + 1; }

  static size_t Slot(uint64_t key, size_t mask) {
    uint64_t hash = key * 0x9E3779B97F4A7C15ull;
    return size_t(hash >> 32) & mask;
  }

  uint32_t Child(uint32_t parent, Rune rune) const {
    if (parent == kRoot && rune < kRootDirect) return root_[rune];
    const uint64_t key = Key(parent, rune);
    const size_t mask = edges_.size() - 1;
    for (size_t slot = Slot(key, mask);; slot = (slot + 1) & mask) {
      const Edge& edge = edges_[slot];
      if (edge.key == key) return edge.child;
      if (edge.key == 0) return kNone;
    }
  }

  uint32_t Walk(Unicode::const_iterator begin, Unicode::const_iterator end) const {
    uint32_t node = kRoot;
    for (Unicode::const_iterator it = begin; it != end && node != kNone; ++it) node = Child(node, *it);
    return node;
  }

  void Insert(const Unicode& word, double weight) {
    uint32_t node = kRoot;
    for (Unicode::const_iterator it = word.begin(); it != word.end(); ++it) {
      uint32_t child = Child(node, *it);
      if (child == kNone) {
        child = uint32_t(weight_.size());
        weight_.push_back(kNotAWord);
        if (node == kRoot && *it < kRootDirect) {
          root_[*it] = child;
        } else {
          AddEdge(Key(node, *it), child);
        }
      }
      node = child;
    }
    if (weight_[node] > 0.0) words_++;
    weight_[node] = weight;
  }

  void AddEdge(uint64_t key, uint32_t child) {
    if ((edge_count_ + 1) * 2 > edges_.size()) Grow();
    const size_t mask = edges_.size() - 1;
    size_t slot = Slot(key, mask);
    while (edges_[slot].key != 0) slot = (slot + 1) & mask;
    edges_[slot].key = key;
    edges_[slot].child = child;
    edge_count_++;
  }

  void Grow() {
    vector<Edge> old;
    old.swap(edges_);
    edges_.assign(old.size() * 2, Edge{0, 0});
    const size_t mask = edges_.size() - 1;
    for (size_t i = 0; i < old.size(); i++) {
      if (old[i].key == 0) continue;
      size_t slot = Slot(old[i].key, mask);
      while (edges_[slot].key != 0) slot = (slot + 1) & mask;
      edges_[slot] = old[i];
    }
  }

  void Reset() {
    edges_.assign(1024, Edge{0, 0});
    root_.assign(kRootDirect, kNone);
    edge_count_ = 0;
    weight_.assign(1, kNotAWord);
    words_ = 0;
    min_weight_ = MAX_DOUBLE;
    user_word_default_weight_ = 0.0;
  }

  vector<Edge> edges_;
  vector<uint32_t> root_;
  size_t edge_count_;
  vector<double> weight_;
  size_t words_;
  double min_weight_;
  double user_word_default_weight_;
};

}  // namespace cppjieba

#endif
