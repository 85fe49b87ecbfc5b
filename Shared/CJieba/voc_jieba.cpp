// jieba segmentation for analyze: cppjieba's MixSegment, MPSegment, HMMSegment and
// PreFilter, unchanged, over a dictionary that takes a fifth of the memory.
//
// cppjieba's own DictTrie keeps a 128-byte DictUnit per word and an unordered_map per
// trie node: 116 MB resident (149 MB at the peak of loading) for jieba's 349,000 words,
// which alone is most of analyze's memory budget. The class below has the interface
// MPSegment and PosTagger use and the same semantics (same weights, same DAG, same
// tie-breaking order), stored as one open-addressing table of trie edges and one weight
// per node. It takes cppjieba's place by defining DictTrie.hpp's include guard before any
// cppjieba header is read. Tests compare it word for word with cppjieba's own DictTrie.

#define CPPJIEBA_DICT_TRIE_HPP

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

// DictTrie.hpp's constants, which the segmenters read.
const double MIN_DOUBLE = -3.14e+100;
const double MAX_DOUBLE = 3.14e+100;
const size_t DICT_COLUMN_NUM = 3;
const char* const UNKNOWN_TAG = "";

class DictTrie {
 public:
  enum UserWordWeightOption { WordWeightMin, WordWeightMedian, WordWeightMax };

  DictTrie() { Reset(); }

  // The constructor MPSegment's path-taking constructor calls (analyze never does).
  explicit DictTrie(const string& dict_path, const string& user_dict_paths = "",
                    UserWordWeightOption option = WordWeightMedian) {
    Reset();
    string error;
    XCHECK(user_dict_paths.empty() && option == WordWeightMedian && Load(dict_path, error)) << error;
  }

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

  // What MPSegment asks: for each position, every dictionary word starting there (the single
  // character always, with NULL when it is not a word), in increasing length.
  void Find(RuneStrArray::const_iterator begin, RuneStrArray::const_iterator end, vector<struct Dag>& res,
            size_t max_word_len = MAX_WORD_LENGTH) const {
    Scratch& scratch = scratch_();
    scratch.used = 0;
    const size_t count = size_t(end - begin);
    res.resize(count);
    for (size_t i = 0; i < count; i++) {
      res[i].runestr = *(begin + i);
      uint32_t node = Child(kRoot, (begin + i)->rune);
      res[i].nexts.push_back(pair<size_t, const DictUnit*>(i, node == kNone ? NULL : Unit(scratch, node, begin + i, 1)));
      for (size_t j = i + 1; j < count && (j - i + 1) <= max_word_len && node != kNone; j++) {
        node = Child(node, (begin + j)->rune);
        if (node == kNone) break;
        if (weight_[node] <= 0.0) {
          res[i].nexts.push_back(pair<size_t, const DictUnit*>(j, Unit(scratch, node, begin + i, j - i + 1)));
        }
      }
    }
  }

  // The word [begin, end) if the dictionary has it (PosTagger's question).
  const DictUnit* Find(RuneStrArray::const_iterator begin, RuneStrArray::const_iterator end) const {
    uint32_t node = kRoot;
    for (RuneStrArray::const_iterator it = begin; it != end && node != kNone; ++it) node = Child(node, it->rune);
    if (node == kNone || node == kRoot) return NULL;
    Scratch& scratch = scratch_();
    scratch.used = 0;
    return Unit(scratch, node, begin, size_t(end - begin));
  }

  // Single characters are only "user dictionary single words" when loaded from a user
  // dictionary file, which analyze does not use.
  bool IsUserDictSingleChineseWord(const Rune&) const { return false; }

  double GetMinWeight() const { return min_weight_; }

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

  // The DictUnits one Find hands out; MPSegment is done with them before the thread's next Find.
  struct Scratch {
    std::deque<DictUnit> units;
    size_t used = 0;
  };

  static Scratch& scratch_() {
    static thread_local Scratch scratch;
    return scratch;
  }

  // The word ending at `node`, `length` characters from `start`, as a DictUnit of the
  // thread's scratch; NULL when the node only continues longer words.
  const DictUnit* Unit(Scratch& scratch, uint32_t node, RuneStrArray::const_iterator start, size_t length) const {
    if (weight_[node] > 0.0) return NULL;
    if (scratch.used == scratch.units.size()) scratch.units.emplace_back();
    DictUnit& unit = scratch.units[scratch.used++];
    unit.word.clear();
    for (size_t k = 0; k < length; k++) unit.word.push_back((start + k)->rune);
    unit.weight = weight_[node];
    return &unit;
  }

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

#include "cppjieba/MixSegment.hpp"
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

struct voc_jieba {
  cppjieba::DictTrie dictionary;
  cppjieba::HMMModel* hmm;
  cppjieba::MixSegment* segment;
};

extern "C" voc_jieba* voc_jieba_open(const char* dictionary_path, const char* hmm_path, char* error, size_t error_size) {
  std::string message;
  voc_jieba* jieba = new voc_jieba();
  jieba->hmm = NULL;
  jieba->segment = NULL;
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
  jieba->segment = new cppjieba::MixSegment(&jieba->dictionary, jieba->hmm);
  return jieba;
}

extern "C" void voc_jieba_close(voc_jieba* jieba) {
  if (jieba == NULL) return;
  delete jieba->segment;
  delete jieba->hmm;
  delete jieba;
}

extern "C" int voc_jieba_add_word(voc_jieba* jieba, const char* word, size_t length) {
  return jieba->dictionary.AddUserWord(std::string(word, length));
}

extern "C" size_t voc_jieba_cut(const voc_jieba* jieba, const char* text, size_t length, uint32_t* ends, size_t capacity) {
  // What MixSegment::Cut(sentence, words, true) does, keeping byte offsets instead of strings.
  static const char* const separators = " \t\n\xEF\xBC\x8C\xE3\x80\x82";
  static const cppjieba::unordered_set<cppjieba::Rune> symbols = [] {
    cppjieba::unordered_set<cppjieba::Rune> set;
    cppjieba::RuneStrArray runes;
    cppjieba::DecodeRunesInString(separators, strlen(separators), runes);
    for (size_t i = 0; i < runes.size(); i++) set.insert(runes[i].rune);
    return set;
  }();
  cppjieba::PreFilter filter(symbols, std::string(text, length));
  std::vector<cppjieba::WordRange> ranges;
  ranges.reserve(length / 2);
  while (filter.HasNext()) {
    cppjieba::PreFilter::Range range = filter.Next();
    jieba->segment->Cut(range.begin, range.end, ranges, true);
  }
  for (size_t i = 0; i < ranges.size() && i < capacity; i++) {
    ends[i] = ranges[i].right->offset + ranges[i].right->len;
  }
  return ranges.size();
}

extern "C" size_t voc_jieba_word_count(const voc_jieba* jieba) { return jieba->dictionary.WordCount(); }
