// jieba segmentation for analyze: what cppjieba's MixSegment computes (maximum probability
// over the dictionary, then its HMMSegment for each run of single characters), over a
// dictionary that takes a fifth of the memory.
//
// cppjieba's own DictTrie keeps a 128-byte DictUnit per word and an unordered_map per
// trie node: 116 MB resident (149 MB at the peak of loading) for jieba's 349,000 words,
// which alone is most of analyze's memory budget. The class below stores one
// open-addressing table of trie edges and one weight per node, with cppjieba's weights.
//
// MPSegment builds a DAG of DictUnits for a sentence, scores it right to left and walks
// it; `DictTrie::Route` does the three in one pass over the trie with the same sums and
// the same tie-breaking (the first candidate, so the shortest word, among equal scores),
// allocating nothing per character. The HMM and the pieces between separators are
// HMMSegment's and PreFilter's, reimplemented below over flat tables.
// Tests compare the result word for word with cppjieba's own MixSegment and DictTrie.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <string>
#include <vector>

#include "limonp/StringUtil.hpp"
#include "limonp/Logging.hpp"
#include "cppjieba/Unicode.hpp"
#include "cppjieba/Trie.hpp"

namespace cppjieba {

// DictTrie.hpp's constants: HMMSegment's Viterbi starts from MIN_DOUBLE.
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

#include "cppjieba/HMMModel.hpp"
#include "voc_jieba.h"

// cppjieba's HMMModel aborts the process on a file it cannot read; this reads the file
// by the same rules first (comments and blank lines skipped, 4 start probabilities, 4
// rows of 4 transitions, 4 lines of "character:probability" pairs), so a bad file is an
// error with its line number instead.
static bool CheckHMMModel(const std::string& path, std::string& error) {
  std::ifstream file(path.c_str());
  if (!file.is_open()) {
    error = "cannot open " + path;
    return false;
  }
  std::string line;
  size_t number = 0;
  size_t rows = 0;
  std::vector<std::string> columns, pair;
  while (rows < 9 && std::getline(file, line)) {
    number++;
    limonp::Trim(line);
    if (line.empty() || limonp::StartsWith(line, "#")) continue;
    const std::string where = path + " line " + std::to_string(number);
    if (rows < 5) {
      limonp::Split(line, columns, " ");
      if (columns.size() != 4) {
        error = where + ": expected 4 probabilities";
        return false;
      }
    } else {
      limonp::Split(line, columns, ",");
      for (size_t i = 0; i < columns.size(); i++) {
        limonp::Split(columns[i], pair, ":");
        cppjieba::Unicode character;
        if (pair.size() != 2 || !cppjieba::DecodeRunesInString(pair[0], character) || character.size() != 1) {
          error = where + ": expected character:probability pairs";
          return false;
        }
      }
    }
    rows++;
  }
  if (rows < 9) {
    error = path + " ends early: expected 9 lines of the model";
    return false;
  }
  return true;
}

// cppjieba's HMMSegment over the same model: a character's four emission probabilities
// sit in one table slot (HMMSegment looks each up in its own hash map) and the Viterbi
// buffers are the thread's. The sums and comparisons are HMMSegment's, in its order, so
// the cut is the same.
class FastHMM {
 public:
  explicit FastHMM(const cppjieba::HMMModel& model) {
    for (size_t y = 0; y < kStates; y++) {
      start_[y] = model.startProb[y];
      for (size_t to = 0; to < kStates; to++) trans_[y][to] = model.transProb[y][to];
    }
    std::vector<cppjieba::Rune> runes;
    for (size_t y = 0; y < kStates; y++) {
      for (cppjieba::EmitProbMap::const_iterator it = model.emitProbVec[y]->begin(); it != model.emitProbVec[y]->end(); ++it) {
        runes.push_back(it->first);
      }
    }
    std::sort(runes.begin(), runes.end());
    runes.erase(std::unique(runes.begin(), runes.end()), runes.end());
    size_t capacity = 16;
    while (capacity < runes.size() * 2) capacity <<= 1;
    slots_.assign(capacity, Slot());
    for (size_t i = 0; i < runes.size(); i++) {
      Slot& slot = slots_[Find(runes[i])];
      slot.rune = runes[i];
      slot.used = true;
      for (size_t y = 0; y < kStates; y++) {
        cppjieba::EmitProbMap::const_iterator it = model.emitProbVec[y]->find(runes[i]);
        slot.emit[y] = it == model.emitProbVec[y]->end() ? cppjieba::MIN_DOUBLE : it->second;
      }
    }
    for (size_t y = 0; y < kStates; y++) unknown_[y] = cppjieba::MIN_DOUBLE;
  }

  // HMMSegment::Cut: ASCII letters (with digits after them) and numbers are words of their
  // own, the other runs go through the HMM.
  void Cut(const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end, std::vector<cppjieba::WordRange>& res) const {
    const cppjieba::RuneStr* left = begin;
    const cppjieba::RuneStr* right = begin;
    while (right != end) {
      if (right->rune < 0x80) {
        if (left != right) InternalCut(left, right, res);
        left = right;
        right = LettersThenDigits(left, end);
        if (right == left) right = Number(left, end);
        if (right == left) right++;
        res.push_back(cppjieba::WordRange(left, right - 1));
        left = right;
      } else {
        right++;
      }
    }
    if (left != right) InternalCut(left, right, res);
  }

 private:
  static const size_t kStates = cppjieba::HMMModel::STATUS_SUM;

  struct Slot {
    cppjieba::Rune rune = 0;
    bool used = false;
    double emit[kStates];
  };

  size_t Find(cppjieba::Rune rune) const {
    const size_t mask = slots_.size() - 1;
    size_t slot = size_t((uint64_t(rune) * 0x9E3779B97F4A7C15ull) >> 32) & mask;
    while (slots_[slot].used && slots_[slot].rune != rune) slot = (slot + 1) & mask;
    return slot;
  }

  const double* Emit(cppjieba::Rune rune) const {
    const Slot& slot = slots_[Find(rune)];
    return slot.used ? slot.emit : unknown_;
  }

  static const cppjieba::RuneStr* LettersThenDigits(const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end) {
    cppjieba::Rune x = begin->rune;
    if (!(('a' <= x && x <= 'z') || ('A' <= x && x <= 'Z'))) return begin;
    for (begin++; begin != end; begin++) {
      x = begin->rune;
      if (!(('a' <= x && x <= 'z') || ('A' <= x && x <= 'Z') || ('0' <= x && x <= '9'))) break;
    }
    return begin;
  }

  static const cppjieba::RuneStr* Number(const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end) {
    cppjieba::Rune x = begin->rune;
    if (!('0' <= x && x <= '9')) return begin;
    for (begin++; begin != end; begin++) {
      x = begin->rune;
      if (!(('0' <= x && x <= '9') || x == '.')) break;
    }
    return begin;
  }

  // Viterbi over B, E, M, S; a word ends at each E or S.
  void InternalCut(const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end, std::vector<cppjieba::WordRange>& res) const {
    static thread_local std::vector<double> weight;
    static thread_local std::vector<int> path;
    const size_t X = size_t(end - begin);
    weight.resize(X * kStates);
    path.resize(X * kStates);
    const double* emit = Emit(begin->rune);
    for (size_t y = 0; y < kStates; y++) {
      weight[y * X] = start_[y] + emit[y];
      path[y * X] = -1;
    }
    for (size_t x = 1; x < X; x++) {
      emit = Emit((begin + x)->rune);
      for (size_t y = 0; y < kStates; y++) {
        const size_t now = x + y * X;
        weight[now] = cppjieba::MIN_DOUBLE;
        path[now] = cppjieba::HMMModel::E;
        for (size_t from = 0; from < kStates; from++) {
          const double value = weight[x - 1 + from * X] + trans_[from][y] + emit[y];
          if (value > weight[now]) {
            weight[now] = value;
            path[now] = int(from);
          }
        }
      }
    }
    const double endE = weight[X - 1 + cppjieba::HMMModel::E * X];
    const double endS = weight[X - 1 + cppjieba::HMMModel::S * X];
    static thread_local std::vector<size_t> status;
    status.resize(X);
    size_t state = endE >= endS ? size_t(cppjieba::HMMModel::E) : size_t(cppjieba::HMMModel::S);
    for (size_t x = X; x-- > 0;) {
      status[x] = state;
      state = size_t(path[x + state * X]);
    }
    const cppjieba::RuneStr* left = begin;
    for (size_t i = 0; i < X; i++) {
      if (status[i] % 2) {
        res.push_back(cppjieba::WordRange(left, begin + i));
        left = begin + i + 1;
      }
    }
  }

  double start_[kStates];
  double trans_[kStates][kStates];
  double unknown_[kStates];
  std::vector<Slot> slots_;
};

struct voc_jieba {
  cppjieba::DictTrie dictionary;
  cppjieba::HMMModel* hmm;
  FastHMM* hmmSegment;
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
    jieba->hmmSegment->Cut(begin + i, begin + j, hmmWords);
    words.insert(words.end(), hmmWords.begin(), hmmWords.end());
    i = j;
  }
}

extern "C" voc_jieba* voc_jieba_open(const char* dictionary_path, const char* hmm_path, char* error, size_t error_size) {
  std::string message;
  voc_jieba* jieba = new voc_jieba();
  jieba->hmm = NULL;
  jieba->hmmSegment = NULL;
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
  jieba->hmm = new cppjieba::HMMModel(hmm_path);
  jieba->hmmSegment = new FastHMM(*jieba->hmm);
  return jieba;
}

extern "C" void voc_jieba_close(voc_jieba* jieba) {
  if (jieba == NULL) return;
  delete jieba->hmmSegment;
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
